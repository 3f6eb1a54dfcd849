"""CLI: match / profiles / advise / launcher through app.cli.main, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from probes.core.i18n import set_language

DATA = Path(__file__).resolve().parents[2] / "data" / "match"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def run_json(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr().out
    return rc, json.loads(out)


def test_match_json_contract(capsys):
    rc, d = run_json(capsys, "match", "--json", "--probe", str(DATA / "s80-linux.json"))
    assert rc == 0 and d["schema"] == "rigpilot.match/1"
    c = d["chosen"]
    for key in (
        "id",
        "confidence",
        "sources",
        "python",
        "index_url",
        "extra_index_urls",
        "packages",
        "env",
        "tuning",
        "notes",
    ):
        assert key in c
    assert c["id"] == "mthreads-s80-linux" and c["python"] == "3.10"
    assert "torch==2.5.0" in c["packages"] and any(p.startswith("torch_musa==2.1") for p in c["packages"])
    assert all({"id", "accepted", "reasons"} <= set(x) for x in d["candidates"])
    assert any("mp version 2.2" in k["pattern"] and k["sources"] for k in c["known_problems"])


def test_match_os_override_and_gpu(capsys):
    rc, d = run_json(capsys, "match", "--json", "--os", "windows", "--probe", str(DATA / "s80-linux.json"))
    assert d["chosen"]["id"] == "mthreads-directml-windows"
    rc, d = run_json(
        capsys, "match", "--json", "--gpu", "1", "--probe", str(DATA / "rx7900xtx-rx6600-linux.json")
    )
    assert d["chosen"]["env"] == {"HSA_OVERRIDE_GFX_VERSION_1": "10.3.0"}


def test_match_text_explains_rejections(capsys):
    assert main(["match", "--probe", str(DATA / "gtx1080ti-560-linux.json")]) == 0
    out = capsys.readouterr().out
    assert "nvidia-cuda/cu126" in out and "not covered" in out and "unslothai/unsloth PR #7814" in out


def test_match_in_chinese(capsys):
    set_language("zh_CN")
    assert main(["match", "--probe", str(DATA / "no-gpu-linux.json")]) == 0
    out = capsys.readouterr().out
    assert "CPU" in out and "所选配置" in out


@pytest.mark.parametrize(
    "argv,code",
    [
        (["match", "--probe", "/nonexistent/probe.json"], "probe-file-unreadable"),
        (["match", "--probe", str(DATA / "s80-linux.expected.json")], "probe-file-invalid"),
        (["match", "--probe", str(DATA / "s80-linux.json"), "--gpu", "7"], "match-gpu-not-found"),
        (["match", "--probe", str(DATA / "s80-linux.json"), "--profile", "nope"], "profile-not-found"),
        (["advise", "--vram-gb", "8", "--width", "5"], "advise-bad-size"),
        (["profiles", "show", "nope"], "profile-not-found"),
    ],
)
def test_bad_input_is_a_coded_error(capsys, argv, code):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"error [{code}]" in err and "hint:" in err


def test_probe_file_that_is_not_json(tmp_path, capsys):
    bad = tmp_path / "p.json"
    bad.write_bytes(b"\xff\xfe garbage")
    assert main(["match", "--probe", str(bad)]) == 2
    assert "probe-file-invalid" in capsys.readouterr().err


def test_profiles_list_show_validate(capsys, tmp_path):
    rc, d = run_json(capsys, "profiles", "list", "--json")
    assert "mthreads-s80-linux" in [p["id"] for p in d["hardware"]]
    rc, d = run_json(capsys, "profiles", "show", "torch-directml", "--json")
    assert d["rows"][0]["values"][0] == ["torch_directml", "0.2.5.dev240914"]
    rc, d = run_json(capsys, "profiles", "validate", "--json")
    assert rc == 0 and d["ok"] and d["errors"] == []
    for sub in ("hardware", "apps", "tables"):
        (tmp_path / sub).mkdir()
    (tmp_path / "hardware" / "bad.toml").write_text(
        'id = "x"\ntitle = "t"\nconfidence = "official"\nsources = ["s"]\nwat = 1\n[match]\n',
        encoding="utf-8",
    )
    rc, d = run_json(capsys, "profiles", "validate", "--json", "--dir", str(tmp_path))
    assert (
        rc == 1 and d["errors"][0]["context"]["line"] == 5 and "bad.toml" in d["errors"][0]["context"]["path"]
    )


def test_advise_json(capsys):
    rc, d = run_json(
        capsys, "advise", "--json", "--vram-gb", "8", "--width", "1536", "--height", "1536", "--quant", "q4"
    )
    assert d["verdict"] == "does-not-fit"
    r = d["recommended"]
    assert r["width"] % 16 == 0 and r["width"] < 1536 and r["quant"] == "q4"
    rc, d = run_json(capsys, "advise", "--json", "--probe", str(DATA / "rtx3060-520-linux.json"))
    assert d["vram_gb"] == 12.0 and d["verdict"] == "fits"


def test_launcher_writes_per_gpu_scripts(tmp_path, capsys):
    probe = json.loads((DATA / "rx7900xtx-rx6600-linux.json").read_text(encoding="utf-8"))
    probe["gpus"][1]["compute"]["gfx"] = "gfx1100"
    p = tmp_path / "probe.json"
    p.write_text(json.dumps(probe), encoding="utf-8")
    out = tmp_path / "我的 launchers"
    rc, d = run_json(
        capsys,
        "launcher",
        "--app",
        "comfyui",
        "--app-dir",
        str(tmp_path / "我的 ComfyUI (v2) & co's"),
        "--python",
        "/opt/venv/bin/python",
        "--out",
        str(out),
        "--probe",
        str(p),
        "--per-gpu",
        "--env",
        "HF_HOME=/data/h f",
        "--arg=--preview-method",
        "--arg=auto",
        "--json",
    )
    assert rc == 0 and d["profile"] == "amd-rocm-linux/rocm7.1" and d["format"] == "sh"
    assert [s["env"]["HIP_VISIBLE_DEVICES"] for s in d["scripts"]] == ["0", "1"]
    assert [s["port"] for s in d["scripts"]] == [8188, 8189]
    assert all(s["env"]["HF_HOME"] == "/data/h f" for s in d["scripts"])
    for s in d["scripts"]:
        assert os.access(s["path"], os.X_OK)
        assert s["argv"][-2:] == ["--preview-method", "auto"] and s["argv"][-4] == "--port"


def test_launcher_windows_writes_bat_and_refuses_quotes(tmp_path, capsys):
    rc, d = run_json(
        capsys,
        "launcher",
        "--app",
        "comfyui",
        "--app-dir",
        "D:\\我的 AI (v2)\\ComfyUI",
        "--python",
        "D:\\我的 AI (v2)\\venv\\Scripts\\python.exe",
        "--out",
        str(tmp_path),
        "--probe",
        str(DATA / "s80-windows.json"),
        "--restart",
        "--json",
    )
    assert d["format"] == "bat" and d["scripts"][0]["argv"][1:] == ["main.py", "--directml"]
    assert Path(d["scripts"][0]["path"]).read_bytes().startswith(b"@chcp 65001 >nul\r\n")
    assert (
        main(
            [
                "launcher",
                "--app",
                "comfyui",
                "--app-dir",
                'D:\\say "hi"',
                "--python",
                "D:\\p\\python.exe",
                "--out",
                str(tmp_path / "x"),
                "--probe",
                str(DATA / "s80-windows.json"),
            ]
        )
        == 2
    )
    assert "launch-unsafe-value" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_launcher_ps1_format(tmp_path, capsys):
    rc, d = run_json(
        capsys,
        "launcher",
        "--app",
        "generic",
        "--script",
        "run me.py",
        "--app-dir",
        "C:\\a b",
        "--python",
        "C:\\v\\python.exe",
        "--out",
        str(tmp_path),
        "--probe",
        str(DATA / "no-gpu-linux.json"),
        "--os",
        "windows",
        "--format",
        "ps1",
        "--json",
    )
    data = Path(d["scripts"][0]["path"]).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"'run me.py'" in data


def test_cli_commands_do_not_import_qt_or_torch():
    code = (
        "import sys, profiles.advisor, profiles.validation, installers.scripts; from app.cli import main; "
        f"main(['match', '--json', '--probe', {str(DATA / 's80-linux.json')!r}]); "
        "bad = [m for m in ('PySide6', 'torch', 'pyqtgraph') if m in sys.modules]; "
        "sys.stderr.write(repr(bad)); sys.exit(1 if bad else 0)"
    )
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr


def test_launcher_per_gpu_matches_each_gpu(tmp_path, capsys):
    rc, d = run_json(
        capsys,
        "launcher",
        "--app",
        "comfyui",
        "--app-dir",
        "/srv/comfy",
        "--python",
        "/v/bin/python",
        "--out",
        str(tmp_path),
        "--probe",
        str(DATA / "rx7900xtx-rx6600-linux.json"),
        "--per-gpu",
        "--port",
        "9000",
        "--json",
    )
    s0, s1 = d["scripts"]
    assert (s0["gpu"], s0["port"], s0["env"]["HIP_VISIBLE_DEVICES"]) == (0, 9000, "0")
    assert (s1["gpu"], s1["port"], s1["env"]["HIP_VISIBLE_DEVICES"]) == (1, 9001, "1")
    assert not any(k.startswith("HSA_OVERRIDE") for k in s0["env"])  # gfx1100 is served
    assert s1["env"]["HSA_OVERRIDE_GFX_VERSION_1"] == "10.3.0"  # gfx1032 is not
    assert Path(s0["path"]).name == "run-comfyui-gpu0.sh"

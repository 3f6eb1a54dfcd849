"""``install --dry-run [--json]``: the plan as JSON and text (en, zh_CN), and the honest stop without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from probes.core.i18n import set_language

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def _run(*argv):
    env = {**os.environ, "RIGPILOT_NO_BOOTSTRAP": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True, env=env, timeout=120
    )


def test_dry_run_json_via_subprocess(tmp_path):
    p = _run(
        "install",
        "--app",
        "comfyui",
        "--dir",
        str(tmp_path),
        "--simulate",
        "s80-linux",
        "--dry-run",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["schema"] == "rigpilot.install-plan/1"
    assert data["profile"] == "mthreads-s80-linux" and data["simulated"] == "s80-linux"
    assert [s["kind"] for s in data["steps"]][:3] == ["interpreter", "environment", "torch-stack"]
    assert not any(tmp_path.iterdir())  # nothing written


def test_a_blocked_plan_is_refused_before_anything_is_written(tmp_path):
    # the S80's torch and torch_musa come only from the GitHub release: without --wheelhouse the plan is
    # blocked, and a real install stops with that step's code and hint, creating nothing
    target = tmp_path / "rig"
    p = _run("install", "--app", "comfyui", "--dir", str(target), "--simulate", "s80-linux")
    assert p.returncode == 2
    assert "error [install-wheelhouse-needed]" in p.stderr and "--wheelhouse" in p.stderr
    assert "torch_musa" in p.stderr and "Traceback" not in p.stderr
    assert not target.exists()


def test_install_needs_app_and_dir_unless_repairing(tmp_path):
    p = _run("install", "--simulate", "s80-linux")
    assert p.returncode == 2 and "error [bad-argument]" in p.stderr and "--repair" in p.stderr


def test_repair_and_rollback_of_a_folder_without_an_install(tmp_path):
    for flag in ("--repair", "--rollback"):
        p = _run("install", flag, str(tmp_path))
        assert p.returncode == 2 and "error [install-not-found]" in p.stderr, p.stderr


def test_text_output_english(capsys):
    rc = main(["install", "--app", "comfyui", "--dir", "/srv/rp", "--simulate", "s80-no-driver", "--dry-run"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "1. [needs you] Install the GPU driver / toolkit" in out
    assert "download page: https://www.mthreads.com/download/driver" in out
    assert "[BLOCKED] Install the torch stack" in out and "install-wheelhouse-needed" in out
    assert "constraints: torch==2.5.0 torch_musa==2.1.1 torchada==0.1.95" in out
    assert "Nothing was changed (dry run)." in out


def test_text_output_chinese(capsys):
    rc = main(
        [
            "--lang",
            "zh_CN",
            "install",
            "--app",
            "comfyui",
            "--dir",
            "/srv/rp",
            "--simulate",
            "rtx3060-linux",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "安装计划" in out and "[已计划] 安装 torch 组合" in out and "约束：torch==2.7.1" in out


def test_wheelhouse_and_index_url_options(capsys):
    main(
        [
            "install",
            "--app",
            "comfyui",
            "--dir",
            "/srv/rp",
            "--simulate",
            "s80-linux",
            "--dry-run",
            "--json",
            "--wheelhouse",
            "/srv/wheels",
            "--executor",
            "pip",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    torch = next(s for s in data["steps"] if s["kind"] == "torch-stack")
    assert torch["status"] == "planned" and torch["commands"][0][:3] == [
        "/srv/rp/envs/<new>/bin/python",
        "-m",
        "pip",
    ]


def _wheel(folder: Path, filename: str) -> None:
    """A small valid wheel: the variant check reads only its name."""
    import zipfile

    name, version = filename.split("-")[:2]
    with zipfile.ZipFile(folder / filename, "w") as zf:
        zf.writestr(
            f"{name}-{version}.dist-info/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        )
        zf.writestr(
            f"{name}-{version}.dist-info/WHEEL",
            "Wheel-Version: 1.0\nTag: cp312-cp312-manylinux_2_28_x86_64\n",
        )


def test_check_index_with_a_wheelhouse_end_to_end(tmp_path):
    """The plan's index check through the real variant check: a wheelhouse given as a path on the
    command line (it once reached the checker as a str and crashed), the profile's index replaced by a
    closed local port so the run never depends on the network."""
    house = tmp_path / "wheels"
    house.mkdir()
    _wheel(house, "torch-2.11.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl")
    common = [
        "install",
        "--app",
        "comfyui",
        "--dir",
        str(tmp_path / "x"),
        "--simulate",
        "no-gpu",
        "--dry-run",
    ]
    common += [
        "--check-index",
        "--wheelhouse",
        str(house),
        "--index-url",
        "http://127.0.0.1:9/simple",
        "--json",
    ]
    p = _run(*common)
    assert "Traceback" not in p.stderr, p.stderr
    plan = json.loads(p.stdout)
    (step,) = [s for s in plan["steps"] if s["kind"] == "torch-stack"]
    files = {d["name"]: d.get("filename") for d in step["downloads"]}
    assert files["torch"] == "torch-2.11.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl"
    assert step["status"] == "blocked" and step["code"] == "index-unreachable"  # torchvision: nowhere to look


def test_an_unexpected_exception_is_an_error_with_a_code_not_a_traceback(monkeypatch, capsys):
    """The safety net of app/cli.py for bugs like the one above: code, message, hint; exit 2."""
    from app.commands import install

    def boom(args):
        raise AttributeError("'str' object has no attribute 'iterdir'")

    monkeypatch.setattr(install, "run", boom)
    rc = main(["install", "--app", "comfyui", "--dir", "x", "--simulate", "no-gpu", "--dry-run"])
    err = capsys.readouterr().err
    assert rc == 2 and "error [internal-error]" in err and "iterdir" in err and "hint:" in err
    assert "Traceback" not in err

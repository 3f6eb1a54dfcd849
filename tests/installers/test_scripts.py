"""Launch scripts, executed: bash with a fake python that prints argv/env/cwd as JSON; .bat under wine with
a fake python.exe compiled with mingw; .ps1 rendered and checked. Hostile folder names and values are
either passed exactly or refused with launch-unsafe-value."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from installers.scripts import (
    TORCHADA_BOOT,
    LaunchChoices,
    LaunchSpec,
    Watchdog,
    build_specs,
    render,
    render_bat,
    render_ps1,
    render_sh,
    write_scripts,
)
from probes.core.errors import RigPilotError
from probes.core.model import ProbeResult
from profiles.loader import load_catalog
from profiles.matcher import match

SUPPORT = Path(__file__).resolve().parents[1] / "launch_support"
MATCH_DATA = Path(__file__).resolve().parents[1] / "data" / "match"
HOSTILE_DIR = "我的 ComfyUI (v2) & co's"
HOSTILE_VALUES = [
    "a b",
    "x&y",
    "(p)",
    "it's",
    "up^caret",
    "bang!",
    "100%",
    "%PATH%",
    "$HOME",
    "`id`",
    "中文 值",
    "semi;colon",
    "pipe|gt>lt<",
    "back\\slash\\",
    "",
]
BASH = shutil.which("bash")


def selection_for(case: str, os_name=None):
    probe = ProbeResult.from_json(json.loads((MATCH_DATA / f"{case}.json").read_text(encoding="utf-8")))
    return match(probe, os_name=os_name).chosen


def fake_python(tmp_path: Path) -> Path:
    venv = tmp_path / "我的 venv (v2) & co's" / "bin"
    venv.mkdir(parents=True)
    py = venv / "python"
    py.write_text(
        f"#!{sys.executable}\n" + (SUPPORT / "fake_python.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    py.chmod(0o755)
    return py


def run_sh(path: Path, env=None, timeout=60) -> list[dict]:
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(path.parent)}
    e.update(env or {})
    # run it from its own folder, as a user would
    p = subprocess.run([BASH, f"./{path.name}"], capture_output=True, env=e, timeout=timeout, cwd=path.parent)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
    return [json.loads(line) for line in p.stdout.decode("utf-8").split("\n") if line.startswith("{")]


@pytest.mark.skipif(not BASH, reason="bash is not installed")
def test_bash_launcher_hands_the_app_exact_argv_env_cwd(tmp_path):
    py = fake_python(tmp_path)
    app_dir = tmp_path / HOSTILE_DIR
    app_dir.mkdir()
    sel = selection_for("s80-linux")
    app = load_catalog().app("comfyui")
    user_env = tuple((f"RPT_V{i}", v) for i, v in enumerate(HOSTILE_VALUES))
    choices = LaunchChoices(
        app_dir=str(app_dir),
        python=str(py),
        env=user_env + (("PYTORCH_MUSA_ALLOC_CONF", "x"),),
        args=tuple(HOSTILE_VALUES),
        date="2026-11-22",
    )
    [spec] = build_specs(sel, app, choices)
    [path] = write_scripts([spec], "sh", app_dir)  # the script lives in the hostile folder
    assert path.stat().st_mode & stat.S_IXUSR
    [rec] = run_sh(path)
    assert rec["argv"] == list(spec.argv) and rec["cwd"] == spec.cwd
    assert all(rec["env"][k] == v for k, v in spec.env)
    assert rec["argv"] == [
        "-c",
        TORCHADA_BOOT,
        "main.py",
        "--use-pytorch-cross-attention",
        "--force-fp16",
        *HOSTILE_VALUES,
    ]
    assert rec["cwd"] == str(app_dir)
    for k, v in user_env:
        assert rec["env"][k] == v
    assert rec["env"]["PYTORCH_MUSA_ALLOC_CONF"] == "x"  # the user wins over the profile
    text = path.read_text(encoding="utf-8")
    assert "mthreads-s80-linux" in text and "community" in text and "2026-11-22" in text


@pytest.mark.skipif(not BASH, reason="bash is not installed")
def test_per_gpu_instances_pin_devices_and_ports(tmp_path):
    py = fake_python(tmp_path)
    sel = selection_for("rtx3060-520-linux")
    app = load_catalog().app("comfyui")
    specs = build_specs(sel, app, LaunchChoices(app_dir=str(tmp_path), python=str(py), gpus=(0, 1), date="d"))
    assert [s.name for s in specs] == ["run-comfyui-gpu0", "run-comfyui-gpu1"]
    paths = write_scripts(specs, "sh", tmp_path / "out")
    recs = [run_sh(p)[0] for p in paths]
    assert [r["env"]["CUDA_VISIBLE_DEVICES"] for r in recs] == ["0", "1"]
    assert [r["argv"][-2:] for r in recs] == [["--port", "8188"], ["--port", "8189"]]


def test_a1111_flags_go_into_commandline_args(tmp_path):
    sel = selection_for("gtx1080ti-560-linux")
    app = load_catalog().app("a1111")
    [spec] = build_specs(sel, app, LaunchChoices(app_dir="/a", python="/v/bin/python", args=("--api",)))
    env = dict(spec.env)
    assert spec.argv == ("launch.py",)
    assert env["COMMANDLINE_ARGS"] == "--no-half --api"  # Pascal: fp32 -> --no-half (Z-Image-Turbo guide)


def test_zimage_runs_as_module_with_medvram():
    sel = selection_for("rx6600-gfx1032-linux")
    sel = sel.__class__(
        **{**sel.__dict__, "tuning": (("vram_mode", "medium"), ("precision", "fp16"), ("attention", "auto"))}
    )
    [spec] = build_specs(
        sel, load_catalog().app("zimage"), LaunchChoices(app_dir="/a", python="/v/bin/python")
    )
    assert spec.argv == ("-m", "app.main", "--medvram", "--half")
    assert dict(spec.env)["HSA_OVERRIDE_GFX_VERSION"] == "10.3.0"


def test_generic_needs_a_script_and_relative_python_is_refused():
    sel = selection_for("no-gpu-linux")
    gen = load_catalog().app("generic")
    with pytest.raises(RigPilotError) as e:
        build_specs(sel, gen, LaunchChoices(app_dir="/a", python="/v/bin/python"))
    assert e.value.code == "launch-script-missing"
    with pytest.raises(RigPilotError) as e:
        build_specs(sel, gen, LaunchChoices(app_dir="/a", python="venv/bin/python", script="x.py"))
    assert e.value.code == "launch-python-not-absolute"
    [spec] = build_specs(
        sel, gen, LaunchChoices(app_dir="/a", python="/v/bin/python", script="x.py", args=("1",))
    )
    assert spec.argv == ("x.py", "1")


def test_comfyui_expandable_segments_is_refused():
    sel = selection_for("rtx3060-520-linux")
    with pytest.raises(RigPilotError) as e:
        build_specs(
            sel,
            load_catalog().app("comfyui"),
            LaunchChoices(
                app_dir="/a", python="/p", env=(("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True"),)
            ),
        )
    assert e.value.code == "launch-comfy-alloc-conf"


def _spec(argv=("a",), env=(), cwd="/tmp", python="/usr/bin/python3", watchdog=None):
    return LaunchSpec(name="t", python=python, argv=tuple(argv), env=tuple(env), cwd=cwd, watchdog=watchdog)


@pytest.mark.parametrize(
    "fmt,value",
    [("sh", "a\x00b"), ("bat", 'say "hi"'), ("bat", "two\nlines"), ("ps1", "two\r\nlines"), ("ps1", 'q"q')],
)
def test_unrepresentable_values_are_refused_and_nothing_is_written(tmp_path, fmt, value):
    with pytest.raises(RigPilotError) as e:
        write_scripts([_spec(argv=(value,))], fmt, tmp_path / "o")
    assert e.value.code == "launch-unsafe-value" and e.value.hint
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("fmt", ["bat", "ps1"])
def test_empty_env_values_are_refused_on_windows(fmt):
    with pytest.raises(RigPilotError) as e:
        render(_spec(env=(("EMPTY", ""),)), fmt)
    assert e.value.code == "launch-unsafe-value"
    assert "EMPTY=''" in render_sh(_spec(env=(("EMPTY", ""),))).replace("export ", "")


def test_ps1_has_bom_and_quotes_every_single_quote_kind():
    spec = _spec(argv=("it's", "‘curly’", "a b", "$x", "`t"), env=(("V", "o'k"),), cwd="C:\\我的 (v2) & co's")
    text = render_ps1(spec)
    from installers.scripts import encode

    assert encode(text, "ps1").startswith(b"\xef\xbb\xbf")
    assert "'it''s'" in text and "'‘‘curly’’'" in text and "'$x'" in text and "'`t'" in text
    assert "${env:V} = 'o''k'" in text
    assert "Set-Location -LiteralPath 'C:\\我的 (v2) & co''s'" in text
    for bad in ("", "a b\\"):
        with pytest.raises(RigPilotError):
            render_ps1(_spec(argv=(bad,)))


def test_bat_layout_and_escaping():
    text = render_bat(_spec(argv=("100%", "d:\\x\\"), env=(("V", "a&b^c!"),), cwd="C:\\我的 (v2) & co's"))
    lines = text.split("\r\n")
    assert lines[0] == "@chcp 65001 >nul" and lines[1] == "@echo off"
    assert '"/usr/bin/python3" "100%%" "d:\\x\\\\" %*' in lines and 'set "V=a&b^c!"' in lines
    assert "setlocal EnableExtensions DisableDelayedExpansion" in lines
    assert 'cd /d "C:\\我的 (v2) & co\'s"' in lines
    assert "\n" not in text.replace("\r\n", "")


def test_render_rejects_unknown_format():
    with pytest.raises(RigPilotError):
        render(_spec(), "fish")


def test_write_refuses_to_overwrite_a_foreign_file(tmp_path):
    (tmp_path / "t.sh").write_text("my own script\n")
    with pytest.raises(RigPilotError) as e:
        write_scripts([_spec()], "sh", tmp_path)
    assert e.value.code == "launch-would-overwrite"
    assert (tmp_path / "t.sh").read_text() == "my own script\n"


# -------------------------------------------------------------------------------- hypothesis (bash)
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@pytest.mark.skipif(not BASH, reason="bash is not installed")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(_text, max_size=4), value=_text)
def test_bash_quoting_round_trips(tmp_path_factory, args, value):
    tmp = tmp_path_factory.mktemp("rt")
    py = fake_python(tmp)
    spec = _spec(argv=args, env=(("RPT_VALUE", value),), cwd=str(tmp), python=str(py))
    path = tmp / "run.sh"
    path.write_text(render_sh(spec), encoding="utf-8")
    [rec] = run_sh(path)
    assert rec["argv"] == args
    assert rec["env"]["RPT_VALUE"] == value


# ---------------------------------------------------------------------------------------- watchdog
def _watchdog_script(tmp_path, max_restarts=5, backoff=0):
    py = fake_python(tmp_path)
    app = tmp_path / HOSTILE_DIR
    app.mkdir(exist_ok=True)
    log = tmp_path / "日志 (log) & x.log"
    spec = _spec(
        argv=("main.py",),
        cwd=str(app),
        python=str(py),
        watchdog=Watchdog(log=str(log), max_restarts_per_hour=max_restarts, backoff_s=backoff),
    )
    path = tmp_path / "run.sh"
    path.write_text(render_sh(spec), encoding="utf-8")
    return path, log


@pytest.mark.skipif(not BASH, reason="bash is not installed")
def test_watchdog_restarts_a_crashing_app_until_it_exits_cleanly(tmp_path):
    path, log = _watchdog_script(tmp_path, backoff=1)
    counter = tmp_path / "count"
    t0 = time.monotonic()
    p = subprocess.run(
        [BASH, str(path)],
        capture_output=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "FAKE_CRASHES": "2", "FAKE_COUNTER": str(counter)},
    )
    assert p.returncode == 0
    assert counter.read_text() == "3"
    assert time.monotonic() - t0 >= 3  # backoff 1 s, then 2 s
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [ln.split(" ", 1)[1].split(" (")[0].split(":")[0] for ln in lines] == [
        "start",
        "crashed",
        "start",
        "crashed",
        "start",
        "clean exit",
    ]
    assert "in 1 s" in lines[1] and "in 2 s" in lines[3]
    import re

    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ln) for ln in lines)


@pytest.mark.skipif(not BASH, reason="bash is not installed")
def test_watchdog_gives_up_after_max_restarts_per_hour(tmp_path):
    path, log = _watchdog_script(tmp_path, max_restarts=2)
    counter = tmp_path / "count"
    p = subprocess.run(
        [BASH, str(path)],
        capture_output=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "FAKE_CRASHES": "99", "FAKE_COUNTER": str(counter)},
    )
    assert p.returncode == 3
    assert counter.read_text() == "3"
    assert "giving up" in log.read_text(encoding="utf-8").splitlines()[-1]


@pytest.mark.skipif(not BASH, reason="bash is not installed")
def test_watchdog_stops_on_ctrl_c(tmp_path):
    path, log = _watchdog_script(tmp_path)
    ready = tmp_path / "ready"
    p = subprocess.Popen(
        [BASH, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={"PATH": os.environ["PATH"], "FAKE_SLEEP": "60", "FAKE_READY": str(ready)},
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C does: SIGINT to the foreground process group
        try:
            rc = p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(
                "the watchdog did not stop on SIGINT; log:\n"
                + (log.read_text(encoding="utf-8") if log.exists() else "(none)")
            )
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert rc == 130
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "stopped" in lines[-1] and sum("start" in ln for ln in lines) == 1


# ------------------------------------------------------------------------------------- cmd under wine
WINE = shutil.which("wine")
MINGW = shutil.which("x86_64-w64-mingw32-gcc")
CACHE = Path(os.environ.get("RIGPILOT_TEST_CACHE", Path.home() / ".cache" / "rigpilot-test"))


def _utf8_locale() -> dict:
    """Wine 8's cmd decodes a batch file with the OEM code page and ignores `chcp` (wine programs/cmd
    batch.c WCMD_fgets uses GetOEMCP(); newer wine uses GetConsoleOutputCP() as Windows does). A
    Unicode-only Windows locale (hi-IN) has OEM code page 65001, which is what `chcp 65001` gives on
    Windows. The unix locale must exist for wine to read UTF-8 file names, so we build it privately."""
    loc = CACHE / "locale"
    if not (loc / "hi_IN.UTF-8").is_dir():
        if not shutil.which("localedef"):
            pytest.skip("localedef is needed to build the hi_IN.UTF-8 locale for wine")
        loc.mkdir(parents=True, exist_ok=True)
        p = subprocess.run(
            ["localedef", "-i", "hi_IN", "-f", "UTF-8", str(loc / "hi_IN.UTF-8")],
            capture_output=True,
            timeout=120,
        )
        if not (loc / "hi_IN.UTF-8").is_dir():
            pytest.skip(f"could not build the hi_IN.UTF-8 locale: {p.stderr[-300:]!r}")
    return {"LOCPATH": str(loc), "LC_ALL": "hi_IN.UTF-8", "LANG": "hi_IN.UTF-8"}


def _wine_env(extra=None):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.path.expanduser("~"),
        "WINEDEBUG": "-all",
        **_utf8_locale(),
        "WINEPREFIX": str(CACHE / "wineprefix"),
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
    }
    if os.environ.get("DISPLAY"):
        env["DISPLAY"] = os.environ["DISPLAY"]
    env.update(extra or {})
    return env


@pytest.fixture(scope="session")
def fake_python_exe():
    if not WINE or not MINGW:
        pytest.skip(
            "wine and x86_64-w64-mingw32-gcc are needed (apt-get install wine64 gcc-mingw-w64-x86-64-win32)"
        )
    src = (SUPPORT / "fake_python.c").read_bytes()
    exe = CACHE / f"fakepy-{hashlib.sha256(src).hexdigest()[:12]}.exe"
    if not exe.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = exe.with_suffix(".tmp.exe")
        subprocess.run(
            [MINGW, "-municode", "-O1", "-o", str(tmp), str(SUPPORT / "fake_python.c")],
            check=True,
            timeout=120,
        )
        tmp.replace(exe)
    return exe


def winpath(p: Path) -> str:
    return "Z:" + str(p).replace("/", "\\")


def run_bat(bat: Path, extra_env=None, timeout=240):
    # run from the script's own (hostile) folder, as a user double-clicking it would
    return subprocess.run(
        ["wine", "cmd", "/c", bat.name],
        capture_output=True,
        timeout=timeout,
        env=_wine_env(extra_env),
        cwd=str(bat.parent),
    )


def test_bat_launcher_under_wine_hands_the_app_exact_argv_env_cwd(tmp_path, fake_python_exe):
    venv = tmp_path / "我的 venv (v2) & co's" / "Scripts"
    venv.mkdir(parents=True)
    shutil.copy(fake_python_exe, venv / "python.exe")
    app_dir = tmp_path / HOSTILE_DIR
    app_dir.mkdir()
    out = tmp_path / "out.jsonl"
    values = list(HOSTILE_VALUES)
    user_env = tuple((f"RPT_V{i}", v) for i, v in enumerate(values) if v)
    sel = selection_for("s80-windows")
    choices = LaunchChoices(
        app_dir=winpath(app_dir),
        python=winpath(venv / "python.exe"),
        os_name="windows",
        env=user_env + (("FAKE_OUT", winpath(out)),),
        args=tuple(values),
        date="2026-11-22",
    )
    [spec] = build_specs(sel, load_catalog().app("comfyui"), choices)
    [bat] = write_scripts([spec], "bat", app_dir)  # the script lives in the hostile folder
    assert bat.read_bytes().startswith(b"@chcp 65001 >nul\r\n@echo off\r\n")
    p = run_bat(bat)
    assert out.exists(), (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    [rec] = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert rec["argv"] == ["main.py", "--directml", *values] == list(spec.argv)
    assert rec["cwd"].rstrip("\\").lower() == winpath(app_dir).lower()
    env = {k.upper(): v for k, v in rec["env"].items()}
    for k, v in spec.env:
        assert env[k.upper()] == v, k
    assert p.returncode == 0


def test_bat_watchdog_under_wine_restarts_then_stops_on_clean_exit(tmp_path, fake_python_exe):
    shutil.copy(fake_python_exe, tmp_path / "python.exe")
    app_dir = tmp_path / HOSTILE_DIR
    app_dir.mkdir()
    log = tmp_path / "日志 & (log).log"
    counter = tmp_path / "count"
    spec = _spec(
        argv=("main.py",),
        cwd=winpath(app_dir),
        python=winpath(tmp_path / "python.exe"),
        env=(("FAKE_CRASHES", "2"), ("FAKE_COUNTER", winpath(counter))),
        watchdog=Watchdog(log=winpath(log), max_restarts_per_hour=5, backoff_s=1),
    )
    bat = tmp_path / "run.bat"
    bat.write_bytes(render_bat(spec).encode("utf-8"))
    p = run_bat(bat)
    assert counter.read_text() == "3", (p.stdout[-2000:], p.stderr[-2000:])
    text = log.read_bytes().decode("utf-8", "replace")
    assert text.count("crashed") == 2 and "clean exit" in text
    assert p.returncode == 0


def test_bat_random_values_round_trip_under_wine(tmp_path, fake_python_exe):
    """One cmd run with many random values built from the characters cmd treats specially."""
    import random

    rng = random.Random(20261122)
    pool = list("&()^!%$`'<>|;,=@~#*?[]{}+- \\/.:") + list("aZ9_中文值é") + ["%PATH%", "!RP!", "^&", "\\\\"]
    values = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 12))) for _ in range(40)]
    shutil.copy(fake_python_exe, tmp_path / "python.exe")
    app_dir = tmp_path / HOSTILE_DIR
    app_dir.mkdir()
    out = tmp_path / "out.jsonl"
    env = tuple((f"RPT_R{i}", v) for i, v in enumerate(values) if v)
    spec = _spec(
        argv=values,
        env=env + (("FAKE_OUT", winpath(out)),),
        cwd=winpath(app_dir),
        python=winpath(tmp_path / "python.exe"),
    )
    bat = app_dir / "run.bat"
    bat.write_bytes(render_bat(spec).encode("utf-8"))
    p = run_bat(bat)
    assert out.exists(), (p.stdout[-2000:], p.stderr[-2000:])
    [rec] = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert rec["argv"] == values
    got = {k.upper(): v for k, v in rec["env"].items()}
    for k, v in env:
        assert got[k] == v, k


def test_bat_watchdog_under_wine_gives_up_after_max_restarts(tmp_path, fake_python_exe):
    shutil.copy(fake_python_exe, tmp_path / "python.exe")
    log = tmp_path / "w.log"
    counter = tmp_path / "count"
    spec = _spec(
        argv=("main.py",),
        cwd=winpath(tmp_path),
        python=winpath(tmp_path / "python.exe"),
        env=(("FAKE_CRASHES", "99"), ("FAKE_COUNTER", winpath(counter))),
        watchdog=Watchdog(log=winpath(log), max_restarts_per_hour=2, backoff_s=0),
    )
    bat = tmp_path / "run.bat"
    bat.write_bytes(render_bat(spec).encode("utf-8"))
    p = run_bat(bat)
    assert counter.read_text() == "3", (p.stdout[-2000:], p.stderr[-2000:])
    assert "giving up" in log.read_bytes().decode("utf-8", "replace").splitlines()[-1]
    assert p.returncode == 3

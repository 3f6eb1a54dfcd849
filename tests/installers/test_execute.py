"""Real installs through ``python main.py install`` against a local package index on 127.0.0.1
(tools/localindex.py): uv and pip really create environments and install wheels here. The profiles are
data: each test writes one that pins what its index serves, in a folder given by RIGPILOT_PROFILES."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tools.fresh_check import find_python
from tools.localindex import build_wheel, isolated_env, standin_torch

ROOT = Path(__file__).resolve().parents[2]


def _profile(folder: Path, pid: str, index: str, packages: list[str], python: str | None = None) -> Path:
    hw = folder / "hardware"
    hw.mkdir(parents=True, exist_ok=True)
    py = python or f"{sys.version_info[0]}.{sys.version_info[1]}"
    pins = ", ".join(f'"{p}"' for p in packages)
    (hw / f"{pid}.toml").write_text(
        f'id = "{pid}"\ntitle = "test profile {pid}"\nconfidence = "official"\nsources = ["a test"]\n'
        f'python = "{py}"\nindex_url = "{index}"\npackages = [{pins}]\npriority = 1\n\n'
        '[match]\nfallback = true\n\n[tuning]\nvram_mode = "cpu"\nprecision = "fp32"\n',
        encoding="utf-8",
    )
    return folder


def _env(tmp_path: Path, profiles: Path) -> dict:
    env = isolated_env(tmp_path / "caches")
    env.update(
        RIGPILOT_PROFILES=str(profiles),
        RIGPILOT_DATA_DIR=str(tmp_path / "data"),
        RIGPILOT_NO_BOOTSTRAP="1",
        RIGPILOT_LANG="en",
        PYTHONPATH="",
    )
    return env


def _cli(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT.parent),
    )


def _events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _app_archive(tmp_path: Path, requirements: str, name: str = "TinyApp-1.0") -> Path:
    src = tmp_path / "appsrc" / name
    src.mkdir(parents=True)
    (src / "main.py").write_text(
        "import sys, torch\nprint('app torch', torch.__version__, sys.argv[1:])\n", encoding="utf-8"
    )
    (src / "requirements.txt").write_text(requirements, encoding="utf-8")
    (src / "models").mkdir()
    (src / "models" / "put_checkpoints_here").write_text("", encoding="utf-8")
    archive = tmp_path / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(src, arcname=name)
    return archive


def _install(env, target, profile, *extra, app="comfyui"):
    return _cli(env, "install", "--app", app, "--dir", str(target), "--profile", profile, "--json", *extra)


def _result(p: subprocess.CompletedProcess) -> dict:
    events = _events(p.stdout)
    assert events and events[-1]["event"] == "result", p.stdout[-2000:] + p.stderr[-2000:]
    return events[-1]


def _python_of(target: Path) -> str:
    return json.loads((target / "rigpilot-install.json").read_text(encoding="utf-8"))["current"]["python"]


def _torch_in(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import torch; print(torch.__version__)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def _requests(index):
    """The ComfyUI app profile adds ``requests`` to the app's requirements (extra_requirements)."""
    index.build("requests", "2.32.0", files={"requests/__init__.py": ""})


@pytest.fixture
def tiny_app(tmp_path, local_index):
    """A release archive of a small app whose requirements name torch, torchvision, torchaudio and a
    package of its own (from the same local index, as PyPI would serve it)."""
    local_index.build("tinydep", "1.0", files={"tinydep/__init__.py": "VALUE = 1\n"})
    _requests(local_index)
    archive = _app_archive(tmp_path, "torch\ntorchvision\ntorchaudio\ntinydep>=1.0\n")
    return local_index.serve("/archive/TinyApp-1.0.tar.gz", archive, content_type="application/gzip")


@pytest.mark.parametrize("executor", ["uv", "pip"])
def test_a_full_install_switches_to_a_verified_environment(tmp_path, local_index, tiny_app, executor):
    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    p = _install(
        env,
        target,
        "standin",
        "--app-source",
        tiny_app.url,
        "--pypi-url",
        local_index.url,
        "--executor",
        executor,
    )
    res = _result(p)
    assert p.returncode == 0 and res["status"] == "ok", res
    assert res["torch"] == "2.13.0+standin" and res["executor"] == executor
    events = _events(p.stdout)
    steps = [e["step"] for e in events if e["event"] == "step" and e["status"] == "ok"]
    assert steps[:4] == ["preflight", "interpreter", "environment", "torch-stack"]
    assert any(e["event"] == "progress" and e.get("total") for e in events)  # bytes of the torch wheel
    # the app: unpacked without its top folder, its own requirement installed, torchvision/torchaudio
    # left out (the profile pins no build of them), torch exactly the pin
    python = _python_of(target)
    assert (target / "app" / "main.py").is_file()
    assert _torch_in(python) == "2.13.0+standin"
    listed = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util as u; print([bool(u.find_spec(m)) for m in ('tinydep', 'torchvision')])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.stdout.strip() == "[True, False]"
    constraints = (target / "constraints.txt").read_text(encoding="utf-8")
    assert "torch==2.13.0+standin" in constraints
    lock = json.loads((target / "rigpilot-lock.json").read_text(encoding="utf-8"))
    torch_entry = next(x for x in lock["packages"] if x["name"] == "torch")
    assert torch_entry["version"] == "2.13.0+standin" and len(torch_entry["sha256"]) == 64
    assert lock["torch_stack"] == {"torch": "2.13.0+standin"}
    # the launch script starts the app with the new environment's python
    script = Path(res["script"])
    run = subprocess.run(
        [str(script), "--quick"], capture_output=True, text=True, timeout=120, cwd=str(tmp_path)
    )
    assert "app torch 2.13.0+standin" in run.stdout, run.stdout + run.stderr
    # recorded for the Launch and Verify pages and `installs list`
    listed = _cli(env, "installs", "list", "--json")
    items = json.loads(listed.stdout)["installs"]
    assert items[0]["dir"] == str(target) and items[0]["python"] == python and items[0]["present"]
    assert not (target / ".rigpilot-building.json").exists()


def test_a_missing_variant_stops_before_anything_is_written(tmp_path, local_index):
    profiles = _profile(tmp_path / "profiles", "nope", local_index.url, ["torch==2.13.0+cu999"])
    target = tmp_path / "rig"
    p = _install(_env(tmp_path, profiles), target, "nope", app="generic")
    res = _result(p)
    assert p.returncode == 1 and res["status"] == "failed"
    assert res["code"] in ("version-missing", "variant-missing"), res
    assert "2.13.0+cu999" in res["message"] and "2.13.0+standin" in (res["message"] + (res["hint"] or ""))
    assert not target.exists()


def test_a_wheelhouse_without_the_file_names_it(tmp_path):
    # the S80's torch and torch_musa come from the torch_musa GitHub release only: an empty wheelhouse
    # stops the install with the exact file wanted (Python 3.10, linux x86_64)
    wheelhouse = tmp_path / "wheels"
    wheelhouse.mkdir()
    env = _env(tmp_path, tmp_path / "no-profiles")
    py310 = find_python("3.10")  # the interpreter the S80's torch_musa needs, on this machine
    if py310 is None:
        pytest.skip("no Python 3.10 on this machine (python3.10 on PATH or a pyenv version)")
    env["PATH"] = str(Path(py310).parent) + os.pathsep + env.get("PATH", "")
    target = tmp_path / "rig"
    p = _cli(
        env, "install", "--app", "generic", "--dir", str(target), "--simulate", "s80-linux", "--no-uv-python",
        "--wheelhouse", str(wheelhouse), "--json",
    )  # fmt: skip
    res = _result(p)
    assert res["status"] == "failed" and res["code"] in ("wheelhouse-missing-file", "version-missing"), res
    text = res["message"] + (res["hint"] or "")
    assert "torch" in text and ("cp310" in text or "3.10" in text)
    assert not target.exists()


def test_cancel_mid_download_leaves_nothing_switched(tmp_path, local_index):
    slow = standin_torch(tmp_path / "slow", version="2.13.0+slow")
    pad = tmp_path / "pad.bin"
    pad.write_bytes(os.urandom(64))
    local_index.add(slow, bytes_per_s=20_000)
    profiles = _profile(tmp_path / "profiles", "slow", local_index.url, ["torch==2.13.0+slow"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "install", "--app", "generic", "--dir", str(target),
         "--profile", "slow", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for line in proc.stdout:
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("event") == "progress" and event.get("done", 0) > 0:
                proc.send_signal(signal.SIGINT)
                break
        out, _err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    res = _result(subprocess.CompletedProcess([], proc.returncode, out, ""))
    assert proc.returncode == 130 and res["status"] == "cancelled" and res["code"] == "install-cancelled"
    assert not (target / "rigpilot-install.json").exists()
    assert list((target / "envs").iterdir()) == [] if (target / "envs").exists() else True
    assert (tmp_path / "data" / "wheels").is_dir()  # the shared wheels folder of the data folder
    assert not list((tmp_path / "data" / "wheels").glob("*.part"))  # the cut download left nothing
    assert not (target / ".rigpilot-building.json").exists()


def test_kill_9_mid_install_keeps_the_previous_environment_and_is_cleaned_next_time(tmp_path, torch_index):
    version = torch_index.files_of("torch")[0].version
    profiles = _profile(tmp_path / "profiles", "real", torch_index.url, [f"torch=={version}"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    first = _install(env, target, "real", app="generic")
    assert _result(first)["status"] == "ok", first.stdout[-3000:]
    previous = _python_of(target)
    # the second install: a slow torch download from another index; killed -9 while it downloads
    with __import__("tools.localindex", fromlist=["LocalIndex"]).LocalIndex() as slow_index:
        slow_index.add(standin_torch(tmp_path / "slow", version="2.13.0+slow"), bytes_per_s=20_000)
        _profile(profiles, "slow", slow_index.url, ["torch==2.13.0+slow"])
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "install", "--app", "generic", "--dir", str(target),
             "--profile", "slow", "--json"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        for line in proc.stdout:
            if '"progress"' in line and '"done": 0' not in line:
                proc.kill()  # SIGKILL: no handler runs
                break
        proc.wait(30)
    assert (target / ".rigpilot-building.json").exists()  # the journal says what was going on
    assert _python_of(target) == previous and _torch_in(previous) == version
    # the next run (a repair) cleans up first, and the current environment is untouched
    unfinished = json.loads((target / ".rigpilot-building.json").read_text(encoding="utf-8"))["env_id"]
    again = _install(env, target, "real", app="generic")
    res = _result(again)
    assert res["status"] == "ok"
    notes = [e.get("text", "") for e in _events(again.stdout) if e["event"] == "note"]
    assert any("interrupted install" in n and unfinished in n for n in notes), notes
    assert not (target / "envs" / unfinished).exists()
    assert _torch_in(_python_of(target)) == version


def test_repair_restores_the_locked_torch_after_something_replaced_it(tmp_path, local_index, uv_bin):
    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    assert _result(_install(env, target, "standin", app="generic"))["status"] == "ok"
    python = _python_of(target)
    # a custom node's requirements bring another torch build
    other = standin_torch(tmp_path / "other", version="2.5.1+other")
    subprocess.run(
        [uv_bin, "pip", "install", "--python", python, str(other)], env=env, check=True, timeout=120
    )
    assert _torch_in(python) == "2.5.1+other"
    p = _cli(env, "install", "--repair", str(target), "--json")
    data = json.loads(p.stdout)
    assert p.returncode == 0 and data["status"] == "ok", p.stdout + p.stderr
    assert data["changed"] == [{"name": "torch", "was": "2.13.0+standin", "now": "2.5.1+other"}]
    assert _torch_in(python) == "2.13.0+standin"
    again = json.loads(_cli(env, "install", "--repair", str(target), "--json").stdout)
    assert again["status"] == "nothing-to-do"


def test_rollback_makes_the_previous_environment_current(tmp_path, local_index):
    local_index.add(standin_torch(tmp_path / "b", version="2.13.1+standin"))
    profiles = _profile(tmp_path / "profiles", "a", local_index.url, ["torch==2.13.0+standin"])
    _profile(profiles, "b", local_index.url, ["torch==2.13.1+standin"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    archive = _app_archive(tmp_path, "torch\n")
    served = local_index.serve("/archive/app.tar.gz", archive, content_type="application/gzip")
    _requests(local_index)
    pypi = ("--pypi-url", local_index.url)
    first = _result(_install(env, target, "a", "--app-source", served.url, *pypi))
    (target / "app" / "models" / "mine.safetensors").write_bytes(b"user data")
    second = _result(_install(env, target, "b", "--app-source", served.url, *pypi))
    assert first["status"] == second["status"] == "ok"
    assert _torch_in(_python_of(target)) == "2.13.1+standin"
    p = _cli(env, "install", "--rollback", str(target), "--json")
    assert p.returncode == 0, p.stderr
    assert _python_of(target) == first["python"] and _torch_in(first["python"]) == "2.13.0+standin"
    script = Path(first["script"]).read_text(encoding="utf-8")
    assert first["python"] in script
    assert (target / "app" / "models" / "mine.safetensors").read_bytes() == b"user data"


def test_an_app_requirement_that_wants_another_torch_is_refused(tmp_path, local_index):
    local_index.build("greedy", "1.0", requires=["torch==1.0.0"], files={"greedy/__init__.py": ""})
    _requests(local_index)
    archive = _app_archive(tmp_path, "torch\ngreedy\n")
    served = local_index.serve("/archive/app.tar.gz", archive, content_type="application/gzip")
    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    env = _env(tmp_path, profiles)
    target = tmp_path / "rig"
    res = _result(_install(env, target, "standin", "--app-source", served.url, "--pypi-url", local_index.url))
    assert res["status"] == "failed" and res["code"] == "install-conflict", res
    assert "greedy" in res["message"] or "torch" in res["message"]
    assert not (target / "rigpilot-install.json").exists()
    assert not list((target / "envs").iterdir())


@pytest.mark.slow
def test_the_real_comfyui_with_the_cpu_torch(tmp_path, torch_index, comfyui_archive, uv_bin):
    """The real ComfyUI v0.3.64 release archive, served locally, with its real requirements from the
    registry under the constraints: torch stays the pinned CPU build; the registry's torchvision (built
    against the CUDA torch) is caught by the verification with its code; the kept environment's launch
    script starts ComfyUI far enough to print the torch build and the device."""
    version = torch_index.files_of("torch")[0].version
    profiles = _profile(tmp_path / "profiles", "cpu-here", torch_index.url, [f"torch=={version}"])
    env = _env(tmp_path, profiles)
    cache = (
        Path(os.environ.get("RIGPILOT_TEST_CACHE") or Path.home() / ".cache" / "rigpilot-test") / "uv-comfyui"
    )
    env["UV_CACHE_DIR"] = str(cache)  # the registry downloads stay warm between runs
    target = tmp_path / "comfy"
    t0 = time.monotonic()
    p = _install(
        env, target, "cpu-here", "--app-source", comfyui_archive.url, "--pypi-url", "https://pypi.org/simple"
    )
    seconds = time.monotonic() - t0
    res = _result(p)
    try:
        assert res["status"] == "verify-failed", p.stdout[-4000:]
        assert res["code"] == "verify-torchvision-mismatch"
        assert "torchvision::nms" in res["message"] and torch_index.url in res["hint"]
        env_python = res["python"]
        assert _torch_in(env_python) == version  # the requirements did not replace it
        assert not (target / "rigpilot-install.json").exists()  # nothing switched
        run = subprocess.run(
            [res["script"], "--quick-test-for-ci"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=str(tmp_path),
        )
        out = run.stdout + run.stderr
        assert f"pytorch version: {version}" in out and "Device: cpu" in out, out[-3000:]
        assert "operator torchvision::nms does not exist" in out
        print(f"ComfyUI install to verification: {seconds:.1f} s")
    finally:
        subprocess.run(
            [uv_bin, "cache", "clean", "torch", "--cache-dir", str(cache)], capture_output=True, timeout=120
        )


def test_json_events_are_one_object_per_line(tmp_path, local_index):
    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    p = _install(_env(tmp_path, profiles), tmp_path / "rig", "standin", app="generic")
    lines = [line for line in p.stdout.splitlines() if line.strip()]
    assert all(line.startswith("{") for line in lines)
    kinds = {json.loads(line)["event"] for line in lines}
    assert {"step", "log", "result"} <= kinds
    assert build_wheel  # the helpers import (used by fixtures)


def test_a_simulated_s80_builds_its_environment_here_from_a_wheelhouse(tmp_path, local_index):
    """The plan the S80 rig implies (Python 3.10; torch and torch_musa only from the vendor's release, so
    from a wheelhouse; torchada from the package index) built for real on this machine with stand-in
    wheels. Verification then says what a stand-in torch_musa cannot give: the MUSA API."""
    wheelhouse = tmp_path / "wheelhouse"
    tags = {"python_tag": "cp310", "abi": "cp310", "platform": "linux_x86_64"}
    standin_torch(wheelhouse, version="2.5.0", **tags)
    build_wheel(
        wheelhouse,
        "torch_musa",
        "2.1.1",
        requires=["torch==2.5.0"],
        files={"torch_musa/__init__.py": ""},
        **tags,
    )
    local_index.build("torchada", "0.1.95", files={"torchada/__init__.py": ""})
    env = _env(tmp_path, tmp_path / "no-profiles")
    py310 = find_python("3.10")  # the interpreter the S80's torch_musa needs, on this machine
    if py310 is None:
        pytest.skip("no Python 3.10 on this machine (python3.10 on PATH or a pyenv version)")
    env["PATH"] = str(Path(py310).parent) + os.pathsep + env.get("PATH", "")
    target = tmp_path / "rig"
    p = _cli(
        env, "install", "--app", "generic", "--dir", str(target), "--simulate", "s80-linux", "--no-uv-python",
        "--wheelhouse", str(wheelhouse), "--pypi-url", local_index.url, "--json",
    )  # fmt: skip
    res = _result(p)
    assert res["status"] == "verify-failed" and res["code"] == "verify-torch-api-missing", res
    events = _events(p.stdout)
    assert any(e["event"] == "step" and e["step"] == "extras" and e["status"] == "ok" for e in events)
    python = res["python"]
    code = "import sys, torch, torch_musa, torchada; print(sys.version_info[:2], torch.__version__)"
    version = subprocess.run(
        [python, "-c", code],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert version.stdout.strip() == "(3, 10) 2.5.0", version.stderr


def _job(tmp_path, monkeypatch, profiles, target, **kw):
    """The executor's Job as the CLI builds it, in this process (for monkeypatched failures)."""
    import argparse

    from app.commands._install_run import build_job
    from app.commands._probe_input import load_probe
    from profiles import loader

    monkeypatch.setenv("RIGPILOT_PROFILES", str(profiles))
    monkeypatch.setenv("RIGPILOT_DATA_DIR", str(tmp_path / "data"))
    loader._load_cached.cache_clear()
    args = argparse.Namespace(
        app="generic", dir=str(target), profile=kw.pop("profile"), gpu=None, python=None, app_source=None,
        index_url=None, wheelhouse=None, check_index=False, executor="uv", no_uv_python=True,
        python_mirror=None, mirror=[], pypi_url=None, probe=None, simulate="no-gpu", **kw,
    )  # fmt: skip
    return build_job(args, load_probe(args), data_dir=tmp_path / "data")


def test_too_little_disk_space_stops_before_anything_is_written(tmp_path, local_index, monkeypatch):
    from collections import namedtuple

    from installers import execute

    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    target = tmp_path / "rig"
    job = _job(tmp_path, monkeypatch, profiles, target, profile="standin")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(execute.shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 10**8, 10**8))
    res = execute.execute(job)
    assert res.status == "failed" and res.error.code == "install-disk-full"
    assert "0.1 GB free" in str(res.error.message) and not target.exists()


def test_an_unreachable_index_is_a_network_error_with_a_hint(tmp_path, monkeypatch):
    from installers import execute

    profiles = _profile(tmp_path / "profiles", "offline", "http://127.0.0.1:9/simple", ["torch==2.13.0+cpu"])
    target = tmp_path / "rig"
    job = _job(tmp_path, monkeypatch, profiles, target, profile="offline")
    events = []
    res = execute.execute(job, on_event=events.append)
    assert res.status == "failed" and res.error.code == "index-unreachable", res.error
    assert "127.0.0.1:9" in str(res.error.message) and res.error.hint
    assert not target.exists()
    assert [e.status for e in events if e.kind == "step"] == ["running", "failed"]  # the preflight only


def test_a_second_install_reuses_the_downloaded_wheel(tmp_path, local_index):
    profiles = _profile(tmp_path / "profiles", "standin", local_index.url, ["torch==2.13.0+standin"])
    env = _env(tmp_path, profiles)
    for name in ("one", "two"):
        assert _result(_install(env, tmp_path / name, "standin", app="generic"))["status"] == "ok"
    wheel = next(f for f in local_index.downloads() if f.startswith("torch-"))
    assert local_index.downloads().count(wheel) == 1  # the second folder took it from the data folder
    assert _torch_in(_python_of(tmp_path / "two")) == "2.13.0+standin"

"""The install fixtures of tests/installers/conftest.py do what they say: stand-ins, the real CPU torch with
its dependencies from the local index alone, the ComfyUI archive served at a URL."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

from installers.index import Target, WheelFile, check_requirements
from tools.run_tests import TORCH_VERSION

ROOT = Path(__file__).resolve().parents[2]

RUNTIME_SCRIPT = ROOT / "probes" / "detect" / "runtime_script.py"


def runtime(python) -> dict:
    out = subprocess.run([str(python), str(RUNTIME_SCRIPT)], capture_output=True, text=True, timeout=180)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RIGPILOT_RUNTIME ")), None)
    assert line, f"no runtime line:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return json.loads(line.split(" ", 1)[1])


def uv_install(uv_bin, python, index_url, *reqs, env) -> subprocess.CompletedProcess:
    argv = [uv_bin, "pip", "install", "--python", str(python), "--index-url", index_url, *reqs]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_local_index_serves_the_standins(local_index, fresh_venv, uv_bin, installer_env, standin_wheels):
    assert local_index.projects() == ["torch", "torchvision"]
    uv_install(uv_bin, fresh_venv, local_index.url, "torchvision==0.28.0+standin", env=installer_env)
    data = runtime(fresh_venv)
    assert data["error"] is None and data["torch"] == "2.13.0+standin"
    assert data["packages"]["torchvision"] == "0.28.0+standin"
    assert sorted(local_index.downloads()) == sorted(standin_wheels[n].name for n in ("torch", "torchvision"))
    with pytest.raises(FileExistsError):  # one index holds the good or the broken torchvision
        local_index.add(standin_wheels["torchvision-broken"])


def test_torch_index_installs_the_real_cpu_torch_with_uv_alone(torch_index, tmp_path, uv_bin, installer_env):
    (torch_file,) = torch_index.files_of("torch")
    assert torch_file.version == f"{TORCH_VERSION}+cpu"
    assert torch_file.path.stat().st_nlink > 1 or torch_file.path.is_symlink()  # linked, not copied
    (found,) = check_requirements(
        [f"torch=={torch_file.version}"],
        Target("{}.{}".format(*sys.version_info[:2]), "linux"),
        index_urls=[torch_index.url],
    )
    assert isinstance(found, WheelFile) and found.sha256 == torch_file.sha256
    venv = tmp_path / "torch-venv"
    subprocess.run(
        [uv_bin, "venv", "-q", "--python", sys.executable, str(venv)],
        check=True,
        env=installer_env,
        timeout=120,
    )
    python = venv / "bin" / "python"
    torch_index.clear_log()
    try:
        start = time.monotonic()
        uv_install(uv_bin, python, torch_index.url, f"torch=={TORCH_VERSION}", env=installer_env)
        took = time.monotonic() - start
        data = runtime(python)
    finally:  # about 1 GB unpacked between the uv cache and the venv: not kept for pytest's last 3 runs
        shutil.rmtree(installer_env["UV_CACHE_DIR"], ignore_errors=True)
        shutil.rmtree(venv, ignore_errors=True)
    assert data["error"] is None and data["torch"] == torch_file.version, data
    assert torch_file.name in torch_index.downloads()
    assert all(r.path.startswith(("/simple/", "/files/")) for r in torch_index.log)
    print(f"uv installed torch {torch_file.version} from the local index in {took:.1f} s")


def test_comfyui_archive_is_served_whole(comfyui_archive, local_index):
    assert comfyui_archive.url == local_index.base_url + "/archive/ComfyUI-0.3.64.tar.gz"
    with urllib.request.urlopen(comfyui_archive.url, timeout=60) as resp:  # noqa: S310 - 127.0.0.1
        assert int(resp.headers["Content-Length"]) == comfyui_archive.size
        data = resp.read()
    assert hashlib.sha256(data).hexdigest() == comfyui_archive.sha256
    tar_path = local_index.root / "got.tar.gz"
    tar_path.write_bytes(data)
    with tarfile.open(tar_path) as tar:
        tops = {m.name.split("/", 1)[0] for m in tar.getmembers()}
        names = set(tar.getnames())
    assert tops == {"ComfyUI-0.3.64"} and "ComfyUI-0.3.64/main.py" in names
    assert "ComfyUI-0.3.64/requirements.txt" in names

"""Downloads and archives (installers.fetch) and child processes (installers.runner)."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import threading
import time
import zipfile

import pytest

from installers import fetch, runner
from installers.execute import filter_requirements
from installers.mirrors import choose, load, variant_of
from probes.core.errors import RigPilotError
from profiles.loader import load_catalog


def _tar(path, members):
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(data, tuple):  # ("symlink", target)
                info.type, info.linkname = tarfile.SYMTYPE, data[1]
                tf.addfile(info)
                continue
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_a_release_archive_is_unpacked_without_its_top_folder(tmp_path):
    arc = _tar(
        tmp_path / "app.tar.gz", {"ComfyUI-0.3.64/main.py": b"print()", "ComfyUI-0.3.64/comfy/x.py": b""}
    )
    dest = fetch.extract(arc, tmp_path / "app")
    assert (dest / "main.py").read_bytes() == b"print()" and (dest / "comfy" / "x.py").exists()


@pytest.mark.parametrize(
    "members",
    [
        {"../evil.py": b"x"},
        {"top/../../evil.py": b"x"},
        {"/etc/evil": b"x"},
        {"top/link": ("symlink", "../../outside")},
    ],
)
def test_members_escaping_the_folder_stop_the_extraction(tmp_path, members):
    arc = _tar(tmp_path / "bad.tar.gz", members)
    with pytest.raises(RigPilotError) as err:
        fetch.extract(arc, tmp_path / "out" / "app")
    assert err.value.code == "install-archive-unsafe"
    assert not (tmp_path / "out" / "app").exists() and not (tmp_path / "evil.py").exists()


def test_a_zip_with_a_traversal_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        zf.writestr("../evil.py", "x")
    with pytest.raises(RigPilotError) as err:
        fetch.extract(tmp_path / "bad.zip", tmp_path / "app")
    assert err.value.code == "install-archive-unsafe"


def test_a_truncated_archive_is_damaged(tmp_path):
    arc = _tar(tmp_path / "a.tar.gz", {"top/big.bin": os.urandom(200_000)})
    data = arc.read_bytes()
    arc.write_bytes(data[: len(data) // 2])
    with pytest.raises(RigPilotError) as err:
        fetch.extract(arc, tmp_path / "app")
    assert err.value.code == "install-archive-damaged"


def test_download_reports_progress_and_checks_the_hash(tmp_path):
    src = tmp_path / "src.whl"
    payload = os.urandom(700_000)
    src.write_bytes(payload)
    seen = []
    dest = fetch.download(
        src.as_uri(),
        tmp_path / "out" / "w.whl",
        sha256=hashlib.sha256(payload).hexdigest(),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert dest.read_bytes() == payload
    assert seen[0][0] == 0 and seen[-1][0] == len(payload) and len(seen) >= 3
    with pytest.raises(RigPilotError) as err:
        fetch.download(src.as_uri(), tmp_path / "out" / "x.whl", sha256="0" * 64)
    assert err.value.code == "install-hash-mismatch"
    assert not list((tmp_path / "out").glob("x.whl*"))  # no half file, no .part


def test_a_download_that_cannot_start_has_a_code(tmp_path):
    with pytest.raises(RigPilotError) as err:
        fetch.download((tmp_path / "missing.whl").as_uri(), tmp_path / "o.whl")
    assert err.value.code == "install-download-failed"


def test_download_can_be_cancelled(tmp_path):
    src = tmp_path / "big"
    src.write_bytes(b"\0" * 5_000_000)
    cancel = runner.Cancel()

    def progress(done, total):
        if done > 1_000_000:
            cancel.cancel()

    with pytest.raises(RigPilotError) as err:
        fetch.download(src.as_uri(), tmp_path / "o", progress=progress, cancel=cancel)
    assert err.value.code == "install-cancelled" and not list(tmp_path.glob("o*"))


GRANDCHILD = (
    "import subprocess, sys, time\n"
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "print(p.pid, flush=True)\n"
    "time.sleep(60)\n"
)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = open(f"/proc/{pid}/stat").read() if os.path.exists(f"/proc/{pid}/stat") else ""
    return " Z " not in stat


@pytest.mark.skipif(os.name == "nt", reason="process groups of POSIX")
def test_a_timeout_stops_the_child_and_what_it_started(tmp_path):
    lines = []
    t0 = time.monotonic()
    with pytest.raises(RigPilotError) as err:
        runner.run([sys.executable, "-c", GRANDCHILD], timeout_s=1.5, on_line=lines.append)
    assert err.value.code == "install-step-timeout"
    assert time.monotonic() - t0 < 10
    grandchild = int(lines[0])
    for _ in range(50):
        if not _alive(grandchild):
            break
        time.sleep(0.1)
    assert not _alive(grandchild)


def test_cancel_stops_a_running_child():
    cancel = runner.Cancel()
    threading.Timer(0.5, cancel.cancel).start()
    t0 = time.monotonic()
    with pytest.raises(RigPilotError) as err:
        runner.run([sys.executable, "-c", "import time; time.sleep(60)"], timeout_s=60, cancel=cancel)
    assert err.value.code == "install-cancelled" and time.monotonic() - t0 < 10


def test_output_lines_and_exit_code_come_back():
    lines = []
    done = runner.run(
        [sys.executable, "-c", "import sys; print('a'); print('b\\r c'); sys.exit(3)"],
        timeout_s=30,
        on_line=lines.append,
    )
    assert done.rc == 3 and lines == ["a", " c"]


def test_a_missing_program_has_a_code():
    with pytest.raises(RigPilotError) as err:
        runner.run(["rigpilot-no-such-program"], timeout_s=5)
    assert err.value.code == "install-tool-missing"


def test_child_env_does_not_point_at_rigpilots_own_venv(monkeypatch):
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/.venv")
    monkeypatch.setenv("PYTHONPATH", "/x")
    env = runner.python_env()
    assert "VIRTUAL_ENV" not in env and "PYTHONPATH" not in env and env["PYTHONNOUSERSITE"] == "1"
    assert subprocess.run([sys.executable, "-c", "0"], env=env, timeout=30).returncode == 0


COMFY_REQUIREMENTS = """comfyui-frontend-package==1.27.10
torch
torchsde
torchvision
torchaudio
numpy>=1.25.0
transformers>=4.37.2 # comment
#non essential dependencies:
kornia>=0.7.1
spandrel
"""


def test_requirements_lose_the_torch_stack_and_unpinned_companions():
    kept, dropped = filter_requirements(
        COMFY_REQUIREMENTS, pinned={"torch"}, skipped={"torchvision", "torchaudio"}
    )
    assert dropped == ["torch", "torchvision", "torchaudio"]
    assert "torchsde" in kept and "numpy>=1.25.0" in kept and "transformers>=4.37.2" in kept
    assert not any(line.startswith("#") for line in kept)
    # a pinned torchvision is not dropped as "skipped" but as part of the stack the constraints decide
    kept2, dropped2 = filter_requirements(
        COMFY_REQUIREMENTS, pinned={"torch", "torchvision"}, skipped={"torchaudio"}
    )
    assert "torchvision" in dropped2 and "torchvision" not in kept2


def test_mirrors_for_a_chinese_user_come_first_and_fill_the_variant():
    cat = load_catalog()
    zh = load(cat, "zh_CN")
    pypi = [m for m in zh if m.kind == "pypi"]
    assert pypi[0].region == "cn" and pypi[-1].name == "pypi"
    assert [m for m in load(cat, "en") if m.kind == "pypi"][0].name == "pypi"
    assert variant_of("https://download.pytorch.org/whl/cu128") == "cu128"
    c = choose(
        cat, ["tuna", "aliyun-pytorch", "nju-python", "ghproxy"], "https://download.pytorch.org/whl/cu128"
    )
    assert c.pypi_url == "https://pypi.tuna.tsinghua.edu.cn/simple"
    assert c.torch_find_links == "https://mirrors.aliyun.com/pytorch-wheels/cu128/" and c.torch_index is None
    assert c.python_mirror and "python-build-standalone" in c.python_mirror and c.github_prefix


def test_unknown_or_inapplicable_mirrors_are_errors():
    cat = load_catalog()
    with pytest.raises(RigPilotError) as err:
        choose(cat, ["nope"], None)
    assert err.value.code == "install-unknown-mirror" and "tuna" in str(err.value.hint)
    with pytest.raises(RigPilotError) as err:
        choose(cat, ["sjtu-pytorch"], None)  # the S80 profile has no download.pytorch.org index
    assert err.value.code == "install-mirror-not-applicable"


def test_stale_partial_downloads_are_removed_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "0"])
    dead.wait(30)
    (tmp_path / f"torch.whl.{dead.pid}.part").write_bytes(b"half")
    (tmp_path / f"torch.whl.{os.getpid()}.part").write_bytes(b"ours")
    (tmp_path / "torch.whl").write_bytes(b"whole")
    assert fetch.clean_parts(tmp_path) == [f"torch.whl.{dead.pid}.part"]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["torch.whl", f"torch.whl.{os.getpid()}.part"])

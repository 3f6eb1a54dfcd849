"""tools/localindex.py: its wheels install with pip and uv, its pages are what the clients and RigPilot's
variant checker read, and its downloads can be throttled, cut and watched."""

from __future__ import annotations

import base64
import csv
import hashlib
import http.client
import io
import json
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename

from installers.index import ACCEPT, Target, WheelFile, check_requirements
from probes.core.errors import RigPilotError
from probes.detect.parsers.runtime_json import parse_runtime
from tools.localindex import (
    JSON_TYPE,
    LocalIndex,
    build_wheel,
    isolated_env,
    normalize_version,
    standin_companion,
    standin_torch,
    wheel_requirements,
)

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_SCRIPT = ROOT / "probes" / "detect" / "runtime_script.py"


@pytest.fixture(scope="module")
def uv() -> str:
    from uv import find_uv_bin

    return find_uv_bin()


def make_venv(uv: str, where: Path) -> Path:
    subprocess.run(
        [uv, "venv", "-q", "--python", sys.executable, str(where)],
        check=True,
        timeout=120,
        env=isolated_env(),
    )
    return where / "bin" / "python"


def install(
    tool: str, uv: str, python: Path, index: LocalIndex, *reqs: str, cache: Path
) -> tuple[float, str]:
    """Install ``reqs`` from ``index`` only, with ``tool``; (seconds, output). Fails the test on error."""
    if tool == "uv":
        argv = [uv, "pip", "install", "--python", str(python), "--index-url", index.url, *reqs]
    else:  # this venv's pip, installing into the other venv
        argv = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-cache-dir",
            "--index-url",
            index.url,
            *reqs,
        ]
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=isolated_env(cache))
    took = time.monotonic() - start
    assert proc.returncode == 0, f"{tool} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return took, proc.stdout + proc.stderr


def run_py(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], capture_output=True, text=True, timeout=120)


def get(url: str, accept: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - our own 127.0.0.1 server
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


# --- wheels -----------------------------------------------------------------------------------


def test_build_wheel_writes_a_valid_wheel_with_normalised_names_and_record(tmp_path):
    path = build_wheel(
        tmp_path,
        "Torch_Musa.Ext",
        "2.01+CU_118",
        files={"torch_musa_ext/__init__.py": "X = 1\n", "torch_musa_ext/data.bin": b"\x00\x01"},
        requires=["torch==2.13.0+standin", "numpy>=1.24; python_version >= '3.10'"],
        python_tag="cp311",
        abi="cp311",
        platform="manylinux_2_28_x86_64",
        requires_python=">=3.10",
    )
    assert path.name == "torch_musa_ext-2.1+cu.118-cp311-cp311-manylinux_2_28_x86_64.whl"
    name, version, _build, tags = parse_wheel_filename(path.name)
    assert (name, str(version), [str(t) for t in tags]) == (
        "torch-musa-ext",
        "2.1+cu.118",
        ["cp311-cp311-manylinux_2_28_x86_64"],
    )
    info = "torch_musa_ext-2.1+cu.118.dist-info"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta = zf.read(f"{info}/METADATA").decode()
        wheel = zf.read(f"{info}/WHEEL").decode()
        record = list(csv.reader(io.StringIO(zf.read(f"{info}/RECORD").decode())))
        contents = {n: zf.read(n) for n in names}
    assert names[-1] == f"{info}/RECORD" and "Name: Torch_Musa.Ext" in meta and "Version: 2.1+cu.118" in meta
    assert "Requires-Python: >=3.10" in meta and "Requires-Dist: torch==2.13.0+standin" in meta
    assert "Root-Is-Purelib: false" in wheel and "Tag: cp311-cp311-manylinux_2_28_x86_64" in wheel
    assert sorted(r[0] for r in record) == sorted(names)
    for arcname, digest, size in record:
        if arcname.endswith("RECORD"):
            assert (digest, size) == ("", "")
            continue
        expect = base64.urlsafe_b64encode(hashlib.sha256(contents[arcname]).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={expect}", len(contents[arcname]))
    assert wheel_requirements(path) == ["torch==2.13.0+standin", "numpy>=1.24; python_version >= '3.10'"]
    # the same inputs give the same bytes (hashes stay valid across runs)
    again = build_wheel(
        tmp_path / "again",
        "Torch_Musa.Ext",
        "2.01+CU_118",
        files={"torch_musa_ext/__init__.py": "X = 1\n", "torch_musa_ext/data.bin": b"\x00\x01"},
        requires=["torch==2.13.0+standin", "numpy>=1.24; python_version >= '3.10'"],
        python_tag="cp311",
        abi="cp311",
        platform="manylinux_2_28_x86_64",
        requires_python=">=3.10",
    )
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("2.13.0+standin", "2.13.0+standin"),
        ("v1.02", "1.2"),
        ("1.0rc1.post2.dev3", "1.0rc1.post2.dev3"),
        ("2.7.1+CU-118", "2.7.1+cu.118"),
    ],
)
def test_normalize_version(given, normal):
    assert normalize_version(given) == normal


@pytest.mark.parametrize("bad", ["1!2.0", "1.0-1", "1.0alpha", "", "2.0+", "2.0+a..b"])
def test_versions_not_in_normal_form_are_refused(bad):
    with pytest.raises(ValueError, match="PEP 440"):
        normalize_version(bad)


def test_build_wheel_refuses_paths_outside_the_wheel(tmp_path):
    for bad in ("/etc/x.py", "pkg/../../x.py", "x-1.0.dist-info/METADATA"):
        with pytest.raises(ValueError, match="relative path"):
            build_wheel(tmp_path, "x", "1.0", files={bad: ""})


@pytest.mark.parametrize("tool", ["uv", "pip"])
def test_a_built_wheel_and_its_dependency_install_from_the_index(tool, uv, tmp_path):
    with LocalIndex() as index:
        index.build("rp-dep", "1.0", files={"rp_dep/__init__.py": "VALUE = 41\n"})
        index.build(
            "RP.App",
            "2.0+local",
            files={"rp_app/__init__.py": "from rp_dep import VALUE\nANSWER = VALUE + 1\n"},
            requires=["rp-dep==1.0"],
        )
        py = make_venv(uv, tmp_path / "venv")
        install(tool, uv, py, index, "rp-app==2.0+local", cache=tmp_path / "cache")
        downloaded = index.downloads()
    out = run_py(
        py, "-c", "import rp_app, importlib.metadata as m; print(rp_app.ANSWER, m.version('rp-app'))"
    )
    assert out.stdout.split() == ["42", "2.0+local"], out.stderr
    assert sorted(downloaded) == ["rp_app-2.0+local-py3-none-any.whl", "rp_dep-1.0-py3-none-any.whl"]


@pytest.mark.parametrize("tool", ["uv", "pip"])
def test_standin_torch_answers_the_runtime_probe(tool, uv, tmp_path):
    with LocalIndex() as index:
        index.add(standin_torch(tmp_path / "w", cuda="12.6", arch_flags=["sm_80", "sm_90"]))
        index.add(standin_companion(tmp_path / "w"))
        py = make_venv(uv, tmp_path / "venv")
        install(tool, uv, py, index, "torchvision==0.28.0+standin", cache=tmp_path / "cache")
    out = run_py(py, str(RUNTIME_SCRIPT))
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("RIGPILOT_RUNTIME "))
    data = json.loads(line.split(" ", 1)[1])
    assert data["error"] is None and data["api_errors"] == {}
    assert (data["torch"], data["torch_local"], data["cuda"], data["hip"]) == (
        "2.13.0+standin",
        "standin",
        "12.6",
        None,
    )
    assert data["apis"]["cuda"] is False and data["devices"] == []
    assert data["arch_list"] == ["sm_80", "sm_90"]  # the compiled-in flags, as with a real CUDA build
    assert data["packages"] == {"torch": "2.13.0+standin", "torchvision": "0.28.0+standin"}
    runtime = parse_runtime(out.stdout, str(py))  # RigPilot's own parser reads it
    assert runtime.torch == "2.13.0+standin"


def test_standin_torch_cpu_and_hip_builds(tmp_path):
    cpu = standin_torch(tmp_path / "cpu")
    hip = standin_torch(tmp_path / "hip", version="2.13.0+rocm6.4", hip="6.4.43482", arch_flags=["gfx1100"])
    assert hip.name == "torch-2.13.0+rocm6.4-py3-none-any.whl"
    for wheel, expect in ((cpu, (None, None, "")), (hip, (None, "6.4.43482", "gfx1100"))):
        target = tmp_path / wheel.stem
        zipfile.ZipFile(wheel).extractall(target)
        code = (
            "import torch; flags = getattr(torch._C, '_cuda_getArchFlags', lambda: '')();"
            "print(repr((torch.version.cuda, torch.version.hip, flags)));"
            "print(torch.cuda.is_available(), torch.cuda.device_count(), torch.cuda.get_arch_list())"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=target
        )
        assert out.stdout.splitlines() == [repr(expect), "False 0 []"], out.stderr


def test_broken_companion_raises_the_nms_error_on_import(uv, tmp_path):
    with LocalIndex() as index:
        index.add(standin_torch(tmp_path / "w"))
        broken = index.add(standin_companion(tmp_path / "w", "torchvision", broken=True))
        py = make_venv(uv, tmp_path / "venv")
        install("uv", uv, py, index, "torchvision", cache=tmp_path / "cache")
    assert broken.version == "0.28.0+standin"
    out = run_py(py, "-c", "import torchvision")
    assert out.returncode != 0
    assert out.stderr.strip().splitlines()[-1] == "RuntimeError: operator torchvision::nms does not exist"
    assert run_py(py, "-c", "import torch; print(torch.__version__)").stdout.strip() == "2.13.0+standin"


def test_local_version_labels_sort_lexically_a_bare_pin_takes_the_highest(uv, tmp_path):
    """What a test author must know: ``torch==2.13.0`` matches every local build; uv (and pip) take the
    highest label, and 'standin' > 'cpu', so a stand-in beside the real wheel wins a bare pin."""
    with LocalIndex() as index:
        index.add(standin_torch(tmp_path / "a", version="2.13.0+cpu"))
        index.add(standin_torch(tmp_path / "b", version="2.13.0+standin"))
        py = make_venv(uv, tmp_path / "venv")
        install("uv", uv, py, index, "torch==2.13.0", cache=tmp_path / "cache")
    assert run_py(py, "-c", "import torch; print(torch.__version__)").stdout.strip() == "2.13.0+standin"


# --- pages ------------------------------------------------------------------------------------


def test_json_and_html_pages(tmp_path):
    wheel = standin_torch(tmp_path, python_tag="cp311", abi="cp311", platform="manylinux_2_28_x86_64")
    with LocalIndex() as index:
        served = index.add(wheel, requires_python=">=3.10")
        status, headers, body = get(index.url + "/torch/", JSON_TYPE)
        assert (status, headers["content-type"]) == (200, JSON_TYPE)
        page = json.loads(body)
        assert page["meta"]["api-version"] == "1.1" and page["name"] == "torch"
        assert page["versions"] == ["2.13.0+standin"]
        (entry,) = page["files"]
        assert entry["filename"] == wheel.name and entry["size"] == wheel.stat().st_size
        assert entry["hashes"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest() == served.sha256
        assert entry["requires-python"] == ">=3.10"
        file_url = urllib.parse.urljoin(index.url + "/torch/", entry["url"])
        assert file_url == index.file_url(wheel.name) == served.url
        _, fheaders, data = get(file_url)
        assert data == wheel.read_bytes() and int(fheaders["content-length"]) == len(data)
        # PEP 658: the METADATA file, with the hash the page gives
        _, _, meta = get(file_url + ".metadata")
        assert hashlib.sha256(meta).hexdigest() == entry["core-metadata"]["sha256"]
        assert b"Name: torch" in meta

        status, headers, body = get(index.url + "/torch/")  # no Accept: PEP 503 HTML
        text = body.decode()
        assert headers["content-type"].startswith("text/html")
        assert (
            f'href="../../files/torch-2.13.0%2Bstandin-cp311-cp311-manylinux_2_28_x86_64.whl#sha256={served.sha256}"'
            in text
        )
        assert 'data-requires-python="&gt;=3.10"' in text
        assert get(index.url + "/torch/", "text/html, application/vnd.pypi.simple.v1+json;q=0.5")[1][
            "content-type"
        ].startswith("text/html")
        root = json.loads(get(index.url + "/", JSON_TYPE)[2])
        assert root["projects"] == [{"name": "torch"}]
        assert '<a href="torch/">torch</a>' in get(index.url + "/")[2].decode()
        # not normalised: redirected to the normalised page (urllib follows it)
        assert json.loads(get(index.url + "/Torch/", JSON_TYPE)[2])["name"] == "torch"
        with pytest.raises(urllib.error.HTTPError) as err:
            get(index.url + "/nothing-here/")
        assert err.value.code == 404
        assert index.requests[:2] == ["/simple/torch/", "/files/" + wheel.name]
    with LocalIndex(json=False) as html_only:
        html_only.add(wheel)
        assert get(html_only.url + "/torch/", JSON_TYPE)[1]["content-type"].startswith("text/html")


@pytest.mark.parametrize("json_pages", [True, False], ids=["pep691", "pep503"])
def test_the_variant_checker_finds_a_pinned_file_and_reports_a_missing_variant(json_pages, tmp_path):
    wheel = standin_torch(tmp_path, python_tag="cp311", abi="cp311", platform="manylinux_2_28_x86_64")
    with LocalIndex(json=json_pages) as index:
        served = index.add(wheel)
        found, missing, absent = check_requirements(
            ["torch==2.13.0+standin", "torch==2.13.0+cu126", "torchvision==0.28.0"],
            Target("3.11", "linux"),
            index_urls=[index.url],
        )
        (other_python,) = check_requirements(
            ["torch==2.13.0+standin"], Target("3.12", "linux"), index_urls=[index.url]
        )
        accepts = {r.accept for r in index.log if r.path.startswith("/simple/")}
    assert isinstance(found, WheelFile)
    assert (found.filename, found.url, found.sha256) == (wheel.name, served.url, served.sha256)
    assert found.size == (served.size if json_pages else None)  # PEP 503 pages give no size
    assert isinstance(missing, RigPilotError) and missing.code == "version-missing"
    assert isinstance(absent, RigPilotError) and absent.code == "index-not-found"
    assert isinstance(other_python, RigPilotError) and other_python.code == "variant-missing"
    assert other_python.context["files"] == [wheel.name] and other_python.context["python_tags"] == ["cp311"]
    assert accepts == {ACCEPT}


def test_extra_files_and_head(tmp_path):
    archive = tmp_path / "ComfyUI-0.3.64.tar.gz"
    archive.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 40)
    with LocalIndex() as index:
        served = index.serve("/archive/ComfyUI-0.3.64.tar.gz", archive, content_type="application/gzip")
        text = index.serve("/notes/hello.txt", b"hello\n", content_type="text/plain")
        assert (
            served.url == index.base_url + "/archive/ComfyUI-0.3.64.tar.gz"
            and served.size == archive.stat().st_size
        )
        _, headers, body = get(served.url)
        assert body == archive.read_bytes() and headers["content-length"] == str(served.size)
        assert headers["content-type"] == "application/gzip"
        assert get(text.url)[2] == b"hello\n"
        head = urllib.request.Request(served.url, method="HEAD")
        with urllib.request.urlopen(head, timeout=30) as resp:  # noqa: S310 - our own server
            assert resp.headers["Content-Length"] == str(served.size) and resp.read() == b""
        assert index.downloads() == []  # only /files/ counts as a download
        log = index.log
    assert [(r.method, r.path, r.sent_bytes, r.complete) for r in log] == [
        ("GET", "/archive/ComfyUI-0.3.64.tar.gz", served.size, True),
        ("GET", "/notes/hello.txt", 6, True),
        ("HEAD", "/archive/ComfyUI-0.3.64.tar.gz", 0, True),
    ]
    with pytest.raises(ValueError):
        LocalIndex.serve(index, "/simple/x", b"")


def test_add_links_instead_of_copying_and_refuses_a_different_file_of_the_same_name(tmp_path):
    wheel = standin_torch(tmp_path / "a")
    other = standin_torch(tmp_path / "b", cuda="12.6")  # same name, other contents
    with LocalIndex() as index:
        served = index.add(wheel)
        assert served.path.samefile(wheel) or served.path.resolve() == wheel.resolve()
        assert index.add(wheel) == served  # the same file again is fine
        with pytest.raises(FileExistsError):
            index.add(other)
        assert [p.name for p in index.find_links_dir().iterdir()] == [wheel.name]
        root = index.root
    assert not root.exists() and wheel.exists()  # stop() removed its temp folder, not the source


# --- downloads: throttled, cut, cancelled -----------------------------------------------------


def _big(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "big.bin"
    path.write_bytes(hashlib.sha256(b"seed").digest() * (size // 32))
    return path


def test_throttling_slows_a_download_to_the_rate(tmp_path):
    big = _big(tmp_path, 96_000)
    with LocalIndex(bytes_per_s=160_000) as index:
        served = index.serve("/files/big.bin", big)
        start = time.monotonic()
        body = get(served.url)[2]
        throttled = time.monotonic() - start
        index.bytes_per_s = None
        start = time.monotonic()
        get(served.url)
        fast = time.monotonic() - start
    assert body == big.read_bytes()
    assert throttled >= 0.45  # 96 kB at 160 kB/s: 0.6 s
    assert fast < throttled / 2


def test_fail_after_bytes_cuts_the_download_then_fail_times_lets_the_retry_through(tmp_path):
    big = _big(tmp_path, 64_000)
    with LocalIndex(fail_after_bytes=10_000, fail_times=1) as index:
        served = index.serve("/files/big.bin", big)
        with pytest.raises(http.client.IncompleteRead) as err:
            get(served.url)
        assert len(err.value.partial) == 10_000
        assert get(served.url)[2] == big.read_bytes()
        first, second = index.log
    assert (first.cut, first.complete, first.sent_bytes) == (True, False, 10_000)
    assert (second.cut, second.complete, second.sent_bytes) == (False, True, 64_000)


def test_a_cut_wheel_download_fails_uv_install(uv, tmp_path):
    with LocalIndex(fail_after_bytes=500) as index:
        index.add(standin_torch(tmp_path / "w"))
        py = make_venv(uv, tmp_path / "venv")
        argv = [uv, "pip", "install", "--python", str(py), "--index-url", index.url, "torch==2.13.0+standin"]
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=300, env=isolated_env(tmp_path / "cache")
        )
        cuts = [r for r in index.log if r.path.endswith(".whl") and r.cut]
    assert proc.returncode != 0 and cuts
    assert run_py(py, "-c", "import torch").returncode != 0


def test_an_install_cancelled_mid_download_leaves_a_partial_request(uv, tmp_path):
    # 1.28 MB that does not compress; at 400 kB/s the download takes 3 s
    payload = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(40_000))
    with LocalIndex(bytes_per_s=400_000) as index:
        served = index.build("rp-big", "1.0", files={"rp_big/__init__.py": "", "rp_big/blob.bin": payload})
        py = make_venv(uv, tmp_path / "venv")
        argv = [uv, "pip", "install", "--python", str(py), "--index-url", index.url, "rp-big==1.0"]
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=isolated_env(tmp_path / "cache")
        )
        try:
            started = index.wait_for(served.url_path, sent_bytes=50_000, timeout_s=60)
            assert not started.complete
            proc.kill()
        finally:
            proc.wait(timeout=60)
        done = index.wait_for(served.url_path, sent_bytes=served.size + 1, timeout_s=30)  # until it ends
    assert done.done and not done.complete and done.sent_bytes < served.size
    assert index.downloads() == [] and index.downloads(complete=False) == [served.name]
    assert run_py(py, "-c", "import rp_big").returncode != 0


def test_stop_ends_a_throttled_download_at_once(tmp_path):
    big = _big(tmp_path, 200_000)
    index = LocalIndex(bytes_per_s=10_000)  # 20 s for the whole file
    served = index.serve("/files/big.bin", big)
    errors: list[BaseException] = []

    def reader():
        try:
            get(served.url)
        except BaseException as exc:  # noqa: BLE001 - what the client sees is the point
            errors.append(exc)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    index.wait_for("/files/big.bin", sent_bytes=1, timeout_s=30)
    start = time.monotonic()
    index.stop()
    thread.join(timeout=30)
    assert time.monotonic() - start < 5 and not thread.is_alive()
    assert errors and isinstance(errors[0], http.client.IncompleteRead)
    with pytest.raises(TimeoutError):
        LocalIndex().wait_for("/never", timeout_s=0.2)

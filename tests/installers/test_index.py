"""installers/index.py against a real local package index (http.server on 127.0.0.1) and wheelhouse.

The index is generated into a temp folder: PEP 503 HTML pages under /html/, PEP 691 JSON pages under
/json/, and small real wheels (zip files with METADATA and WHEEL) under /files/, named like the vendor
packages RigPilot installs.
"""

from __future__ import annotations

import hashlib
import html
import json
import socket
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from packaging.utils import parse_wheel_filename

from installers.index import (
    ACCEPT,
    Target,
    WheelFile,
    check_requirements,
    find_wheel,
    redact_url,
)
from probes.core.errors import RigPilotError

TORCH_FILES = [
    "torch-2.7.1+cu118-cp310-cp310-manylinux_2_28_x86_64.whl",
    "torch-2.7.1+cu118-cp311-cp311-manylinux_2_28_x86_64.whl",
    "torch-2.7.1+cu118-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.7.1+cu118-cp312-cp312-win_amd64.whl",
    "torch-2.6.0+cu118-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.8.0+cu118-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.13.0+cpu-cp311-cp311-win_amd64.whl",
    "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
    "torch-2.13.0+cu126-cp311-cp311-manylinux_2_28_x86_64.whl",
]
MUSA_FILES = ["torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl"]
OTHER_FILES = [
    "tqdm-4.67.1-py3-none-any.whl",
    "numpy-2.2.6-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "numpy-2.2.6-cp312-cp312-win_amd64.whl",
    "numpy-2.2.6-cp312-cp312-macosx_14_0_arm64.whl",
]
LINUX312 = Target("3.12", "linux")


def make_wheel(folder: Path, filename: str) -> Path:
    """A small, valid wheel: a zip with the dist-info METADATA and WHEEL files."""
    name, version, _build, tags = parse_wheel_filename(filename)
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    path = folder / filename
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        tag_lines = "".join(f"Tag: {t}\n" for t in sorted(map(str, tags)))
        zf.writestr(f"{dist}/WHEEL", f"Wheel-Version: 1.0\nGenerator: rigpilot-test\n{tag_lines}")
        zf.writestr(f"{name.replace('-', '_')}/__init__.py", "")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _project(filename: str) -> str:
    return str(parse_wheel_filename(filename)[0])


def build_index(root: Path, filenames: list[str], *, requires_python: dict[str, str] | None = None) -> None:
    """Write /files/<wheel>, /html/<project>/index.html (PEP 503) and /json/<project>/index.json (PEP 691)."""
    requires_python = requires_python or {}
    files = root / "files"
    files.mkdir(parents=True)
    by_project: dict[str, list[Path]] = {}
    for filename in filenames:
        by_project.setdefault(_project(filename), []).append(make_wheel(files, filename))
    for project, paths in by_project.items():
        anchors = []
        entries = []
        for p in paths:
            rp = requires_python.get(p.name)
            attr = f' data-requires-python="{html.escape(rp)}"' if rp else ""
            # relative href with the '+' percent-encoded, as download.pytorch.org writes it
            href = f"../../files/{quote(p.name)}#sha256={sha256(p)}"
            anchors.append(f'<a href="{href}"{attr}>{html.escape(p.name)}</a><br/>')
            entry = {
                "filename": p.name,
                "url": f"/files/{quote(p.name)}",
                "hashes": {"sha256": sha256(p)},
                "size": p.stat().st_size,
            }
            if rp:
                entry["requires-python"] = rp
            entries.append(entry)
        (root / "html" / project).mkdir(parents=True)
        (root / "html" / project / "index.html").write_text(
            "<!DOCTYPE html><html><body>" + "\n".join(anchors) + "</body></html>", encoding="utf-8"
        )
        (root / "json" / project).mkdir(parents=True)
        page = {"meta": {"api-version": "1.1"}, "name": project, "files": entries}
        (root / "json" / project / "index.json").write_text(json.dumps(page), encoding="utf-8")


class IndexServer:
    """ThreadingHTTPServer on 127.0.0.1 (port 0) serving a generated index folder."""

    def __init__(self, root: Path, *, status: int | None = None, auth: str | None = None) -> None:
        self.root = root
        self.requests: list[dict] = []
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server_self.requests.append(
                    {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
                )
                if status is not None:
                    return self._send(status, b"down", "text/plain")
                if auth is not None and self.headers.get("Authorization") != auth:
                    return self._send(401, b"who are you", "text/plain")
                target = (server_self.root / unquote(urlsplit(self.path).path).lstrip("/")).resolve()
                if server_self.root.resolve() not in target.parents and target != server_self.root.resolve():
                    return self._send(403, b"no", "text/plain")
                if target.is_dir():
                    if (target / "index.json").is_file():
                        body = (target / "index.json").read_bytes()
                        return self._send(200, body, "application/vnd.pypi.simple.v1+json")
                    target = target / "index.html"
                if not target.is_file():
                    return self._send(404, b"not found", "text/plain")
                kind = "text/html" if target.suffix == ".html" else "application/octet-stream"
                return self._send(200, target.read_bytes(), kind)

            def _send(self, code: int, body: bytes, kind: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, kind: str) -> str:
        return f"http://127.0.0.1:{self.port}/{kind}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    root = tmp_path / "index"
    build_index(
        root,
        TORCH_FILES + MUSA_FILES + OTHER_FILES,
        requires_python={"torch-2.8.0+cu118-cp312-cp312-manylinux_2_28_x86_64.whl": ">=3.13"},
    )
    return root


@pytest.fixture
def server(index_root: Path):
    srv = IndexServer(index_root)
    yield srv
    srv.close()


def _error(excinfo: pytest.ExceptionInfo[RigPilotError]) -> tuple[str, str, str]:
    err = excinfo.value
    return err.code, str(err.message), str(err.hint)


# --- found ------------------------------------------------------------------------------------


def test_found_via_pep691_json(server: IndexServer, index_root: Path) -> None:
    wheel = find_wheel("torch==2.7.1+cu118", LINUX312, index_urls=[server.url("json")], timeout_s=5)
    name = "torch-2.7.1+cu118-cp312-cp312-manylinux_2_28_x86_64.whl"
    assert wheel == WheelFile(
        project="torch",
        version="2.7.1+cu118",
        filename=name,
        url=f"http://127.0.0.1:{server.port}/files/{quote(name)}",
        sha256=sha256(index_root / "files" / name),
        size=(index_root / "files" / name).stat().st_size,
        source=server.url("json"),
    )
    assert server.requests[0]["path"] == "/json/torch/"
    assert server.requests[0]["accept"] == ACCEPT


def test_found_via_pep503_html_with_relative_href(server: IndexServer, index_root: Path) -> None:
    wheel = find_wheel(
        "torch_musa==2.1.1", Target("3.10", "linux"), index_urls=[server.url("html")], timeout_s=5
    )
    assert wheel.filename == "torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl"
    assert wheel.project == "torch-musa"
    assert wheel.url == f"http://127.0.0.1:{server.port}/files/{wheel.filename}"
    assert wheel.sha256 == sha256(index_root / "files" / wheel.filename)
    assert wheel.size is None  # PEP 503 pages do not say
    assert server.requests[0]["path"] == "/html/torch-musa/"  # PEP 503 normalised name


def test_local_version_matching(server: IndexServer) -> None:
    urls = [server.url("json")]
    # a public pin matches the one local build there is
    assert find_wheel("torch==2.7.1", LINUX312, index_urls=urls).version == "2.7.1+cu118"
    # a local label in the pin must match exactly
    win311 = Target("3.11", "windows", "AMD64")
    assert find_wheel("torch==2.13.0+cpu", win311, index_urls=urls).filename == (
        "torch-2.13.0+cpu-cp311-cp311-win_amd64.whl"
    )
    linux311 = Target("3.11", "linux")
    assert find_wheel("torch==2.13.0+cu126", linux311, index_urls=urls).version == "2.13.0+cu126"
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.13.0+cu999", linux311, index_urls=urls)
    code, message, _ = _error(excinfo)
    assert code == "version-missing"
    assert "2.13.0+cpu" in message and "2.13.0+cu126" in message


def test_a_public_pin_matching_several_builds_is_not_chosen_silently(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.13.0", Target("3.11", "linux"), index_urls=[server.url("html")])
    code, message, hint = _error(excinfo)
    assert code == "variant-ambiguous"
    assert "2.13.0+cpu" in message and "2.13.0+cu126" in message
    assert "torch==2.13.0+" in hint


def test_best_tag_wins_and_pure_and_abi3_wheels_match(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    build_index(
        root,
        [
            "pkg-1.0-cp312-cp312-linux_x86_64.whl",
            "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
            "pkg-1.0-cp39-abi3-manylinux_2_28_x86_64.whl",
            "pkg-1.0-py3-none-any.whl",
            "pure-0.1-py3-none-any.whl",
            "limited-3.0-cp39-abi3-win_amd64.whl",
            "mac-1.0-cp312-cp312-macosx_11_0_universal2.whl",
        ],
    )
    srv = IndexServer(root)
    try:
        urls = [srv.url("json")]
        assert find_wheel("pkg==1.0", LINUX312, index_urls=urls).filename == (
            "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
        )
        assert find_wheel("pkg==1.0", Target("3.11", "linux"), index_urls=urls).filename == (
            "pkg-1.0-cp39-abi3-manylinux_2_28_x86_64.whl"
        )
        assert find_wheel("pkg==1.0", Target("3.12", "darwin", "arm64"), index_urls=urls).filename == (
            "pkg-1.0-py3-none-any.whl"
        )
        assert find_wheel("pure==0.1", Target("3.13", "windows"), index_urls=urls).filename.endswith(
            "any.whl"
        )
        assert find_wheel("limited==3.0", Target("3.12", "windows", "AMD64"), index_urls=urls)
        assert find_wheel("mac==1.0", Target("3.12", "darwin", "arm64"), index_urls=urls)
        assert find_wheel("mac==1.0", Target("3.12", "darwin", "x86_64"), index_urls=urls)
    finally:
        srv.close()


def test_the_target_decides_not_this_machine(server: IndexServer) -> None:
    urls = [server.url("json")]
    assert find_wheel("numpy==2.2.6", Target("3.12", "windows", "AMD64"), index_urls=urls).filename.endswith(
        "win_amd64.whl"
    )
    assert find_wheel("numpy==2.2.6", Target("3.12", "darwin", "arm64"), index_urls=urls).filename.endswith(
        "macosx_14_0_arm64.whl"
    )
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("numpy==2.2.6", Target("3.12", "linux", "aarch64"), index_urls=urls)
    assert excinfo.value.code == "variant-missing"


# --- missing ----------------------------------------------------------------------------------


def test_wrong_python_is_variant_missing_naming_the_existing_cp_tags(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1+cu118", Target("3.13", "linux"), index_urls=[server.url("html")])
    code, message, hint = _error(excinfo)
    assert code == "variant-missing"
    assert "torch 2.7.1+cu118" in message and "cp313" in message and "linux x86_64" in message
    assert "torch-2.7.1+cu118-cp310-cp310-manylinux_2_28_x86_64.whl" in message
    assert "3.10, 3.11, 3.12" in hint
    assert "torch-2.7.1+cu118-cp313-cp313-manylinux_2_28_x86_64.whl" in hint
    assert server.url("html") + "/torch/" in hint
    assert excinfo.value.context["python_tags"] == ["cp310", "cp311", "cp312"]


def test_torch_musa_for_another_python_names_the_file_to_fetch(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch_musa==2.1.1", LINUX312, index_urls=[server.url("json")])
    code, message, hint = _error(excinfo)
    assert code == "variant-missing"
    assert "torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl" in message
    assert "torch_musa-2.1.1-cp312-cp312-linux_x86_64.whl" in hint and "--wheelhouse" in hint


def test_requires_python_is_honoured(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.8.0", LINUX312, index_urls=[server.url("html")])
    assert excinfo.value.code == "variant-missing"
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.8.0", LINUX312, index_urls=[server.url("json")])
    assert excinfo.value.code == "variant-missing"


def test_missing_version_lists_the_nearest_versions(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.0", LINUX312, index_urls=[server.url("json")])
    code, message, _ = _error(excinfo)
    assert code == "version-missing"
    assert "2.7.0" in message
    assert "2.6.0+cu118, 2.7.1+cu118, 2.8.0+cu118" in message
    assert excinfo.value.context["nearest"][:3] == ["2.6.0+cu118", "2.7.1+cu118", "2.8.0+cu118"]


def test_404_on_every_source_is_index_not_found(server: IndexServer) -> None:
    urls = [server.url("json"), server.url("html")]
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("no-such-package==1.0", LINUX312, index_urls=urls)
    code, message, _ = _error(excinfo)
    assert code == "index-not-found"
    assert "no-such-package" in message and server.url("json") in message and server.url("html") in message


def test_second_index_is_asked_when_the_first_lacks_the_project(server: IndexServer, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = IndexServer(empty)
    try:
        wheel = find_wheel("tqdm==4.67.1", LINUX312, index_urls=[other.url("simple"), server.url("html")])
    finally:
        other.close()
    assert wheel.source == server.url("html")


# --- network failures -------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_closed_port_is_index_unreachable_quickly() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/simple"
    start = time.monotonic()
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1", LINUX312, index_urls=[url], timeout_s=5)
    assert time.monotonic() - start < 3
    code, message, hint = _error(excinfo)
    assert code == "index-unreachable"
    assert url in message
    assert "5 s" in hint


def test_a_server_that_never_answers_times_out_within_the_bound() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the kernel; nothing ever reads or answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/simple"
        start = time.monotonic()
        with pytest.raises(RigPilotError) as excinfo:
            find_wheel("torch==2.7.1", LINUX312, index_urls=[url], timeout_s=0.5)
        elapsed = time.monotonic() - start
    finally:
        silent.close()
    assert elapsed < 2.5
    assert excinfo.value.code == "index-unreachable"
    assert "timed out" in str(excinfo.value.message)


def test_http_5xx_is_index_unreachable(index_root: Path) -> None:
    srv = IndexServer(index_root, status=503)
    try:
        with pytest.raises(RigPilotError) as excinfo:
            find_wheel("torch==2.7.1", LINUX312, index_urls=[srv.url("json")])
    finally:
        srv.close()
    assert excinfo.value.code == "index-unreachable"
    assert "HTTP 503" in str(excinfo.value.message)


def test_check_requirements_asks_a_dead_index_once(server: IndexServer) -> None:
    calls: list[str] = []

    def fetch(url: str, timeout_s: float) -> tuple[int, dict, bytes]:
        calls.append(url)
        if "dead.invalid" in url:
            raise OSError("connection refused")
        from installers.index import default_fetch

        return default_fetch(url, timeout_s)

    results = check_requirements(
        ["torch==2.7.1+cu118", "tqdm==4.67.1", "torch==1.0", "torch>=2"],
        LINUX312,
        index_urls=["http://dead.invalid/simple", server.url("json")],
        fetch=fetch,
    )
    assert [r.code if isinstance(r, RigPilotError) else r.filename for r in results] == [
        "torch-2.7.1+cu118-cp312-cp312-manylinux_2_28_x86_64.whl",
        "tqdm-4.67.1-py3-none-any.whl",
        "index-unreachable",  # the dead index might have held 1.0: not "version-missing"
        "install-pin-not-exact",
    ]
    assert sum("dead.invalid" in u for u in calls) == 1


# --- wheelhouse -------------------------------------------------------------------------------


def test_wheelhouse_hit_comes_first_with_its_sidecar_hash(server: IndexServer, tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    house.mkdir()
    path = make_wheel(house, "torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl")
    (house / (path.name + ".sha256")).write_text(f"{sha256(path)}  {path.name}\n", encoding="utf-8")
    wheel = find_wheel(
        "torch-musa==2.1.1", Target("3.10", "linux"), wheelhouse=house, index_urls=[server.url("json")]
    )
    assert wheel.source == str(house)
    assert wheel.url == path.resolve().as_uri()
    assert wheel.sha256 == sha256(path) and wheel.size == path.stat().st_size
    assert server.requests == []  # the index was not asked


def test_wheelhouse_miss_without_an_index_names_the_expected_file(tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    house.mkdir()
    make_wheel(house, "torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl")
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch_musa==2.1.1", LINUX312, wheelhouse=house)
    code, message, hint = _error(excinfo)
    assert code == "wheelhouse-missing-file"
    assert "torch_musa-2.1.1-cp312-cp312-linux_x86_64.whl" in message
    assert "torch_musa-2.1.1-cp310-cp310-linux_x86_64.whl" in message  # what is there
    assert str(house) in hint
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1+cu118", LINUX312, wheelhouse=house)
    code, message, _ = _error(excinfo)
    assert code == "wheelhouse-missing-file"
    assert "torch-2.7.1+cu118-cp312-cp312-manylinux_*_x86_64.whl" in message


def test_wheelhouse_miss_then_index_hit(server: IndexServer, tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    house.mkdir()
    wheel = find_wheel("torch==2.7.1", LINUX312, wheelhouse=house, index_urls=[server.url("html")])
    assert wheel.source == server.url("html")


# --- credentials and pins ---------------------------------------------------------------------


def test_credentials_are_sent_but_never_shown(index_root: Path) -> None:
    import base64

    auth = "Basic " + base64.b64encode(b"alice:s3cr3t-token").decode()
    srv = IndexServer(index_root, auth=auth)
    try:
        url = f"http://alice:s3cr3t-token@127.0.0.1:{srv.port}/json"
        wheel = find_wheel("torch==2.7.1", LINUX312, index_urls=[url])
        assert wheel.source == f"http://***@127.0.0.1:{srv.port}/json"
        assert "s3cr3t" not in wheel.url and "alice" not in wheel.url
        assert srv.requests[0]["authorization"] == auth
        for req in ("torch==2.7.1+cu118", "torch==9.9"):
            with pytest.raises(RigPilotError) as excinfo:
                find_wheel(req, Target("3.13", "linux"), index_urls=[url])
            shown = json.dumps(excinfo.value.to_json()) + str(excinfo.value.hint)
            assert "s3cr3t" not in shown and "alice" not in shown, shown
        bad = f"http://alice:s3cr3t-token@127.0.0.1:{_closed_port()}/simple"
        with pytest.raises(RigPilotError) as excinfo:
            find_wheel("torch==2.7.1", LINUX312, index_urls=[bad], timeout_s=2)
        assert excinfo.value.code == "index-unreachable"
        assert "s3cr3t" not in json.dumps(excinfo.value.to_json())
    finally:
        srv.close()


def test_a_wrong_token_is_reported_without_the_token(index_root: Path) -> None:
    srv = IndexServer(index_root, auth="Basic nobody")
    try:
        url = f"https://TOKEN123@127.0.0.1:{srv.port}/json".replace("https", "http")
        with pytest.raises(RigPilotError) as excinfo:
            find_wheel("torch==2.7.1", LINUX312, index_urls=[url])
    finally:
        srv.close()
    assert excinfo.value.code == "index-unreachable"
    assert "HTTP 401" in str(excinfo.value.message)
    assert "TOKEN123" not in json.dumps(excinfo.value.to_json())


def test_redact_url() -> None:
    assert redact_url("https://user:tok@host.example/simple") == "https://***@host.example/simple"
    assert redact_url("https://tok@host.example:8443/simple") == "https://***@host.example:8443/simple"
    assert redact_url("https://pypi.org/simple") == "https://pypi.org/simple"


@pytest.mark.parametrize(
    "requirement",
    [
        "torch",
        "torch>=2.7",
        "torch==2.7.*",
        "torch~=2.7.1",
        "torch==2.7.1,<3",
        "torch @ https://x/y.whl",
        "==",
    ],
)
def test_not_an_exact_pin(requirement: str) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel(requirement, LINUX312, index_urls=["http://127.0.0.1:9/simple"])
    code, message, _ = _error(excinfo)
    assert code == "install-pin-not-exact"
    assert requirement in message


def test_an_unknown_target_is_refused_before_any_request() -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1", Target("3.12", "beos"), index_urls=["http://127.0.0.1:9/simple"])
    assert excinfo.value.code == "install-target-invalid"
    with pytest.raises(RigPilotError):
        find_wheel("torch==2.7.1", Target("python3", "linux"), index_urls=["http://127.0.0.1:9/simple"])


def test_messages_are_translated(server: IndexServer) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1+cu118", Target("3.13", "linux"), index_urls=[server.url("json")])
    message = excinfo.value.message
    assert not isinstance(message, str)
    zh = message.render("zh_CN")
    assert "torch 2.7.1+cu118" in zh and "cp313" in zh and "现有文件" in zh


def test_variant_missing_offers_only_python_versions_built_for_the_target_platform(
    server: IndexServer,
) -> None:
    with pytest.raises(RigPilotError) as excinfo:
        find_wheel("torch==2.7.1+cu118", Target("3.11", "windows", "AMD64"), index_urls=[server.url("json")])
    code, _, hint = _error(excinfo)
    assert code == "variant-missing"
    assert excinfo.value.context["python_tags"] == ["cp312"]  # the cp310/cp311 files are Linux builds
    assert "Use Python 3.12," in hint
    assert "torch-2.7.1+cu118-cp311-cp311-win_amd64.whl" in hint

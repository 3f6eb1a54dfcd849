"""A stand-in install for the Install page's tests: a tiny ``torch`` wheel built with zipfile, a PEP 503
index for it on 127.0.0.1 (optionally slow, to cancel a download), and a local hardware profile that
replaces ``cpu-fallback`` (``RIGPILOT_PROFILES``) so that a machine without a GPU installs it.

Standard library only; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VERSION = "2.13.0+standin"
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def wheel(folder: Path, name: str, version: str, files: dict, requires: tuple = ()) -> Path:
    """``<name>-<version>-py3-none-any.whl`` holding ``files`` (path -> str or bytes; ``.bin`` files stored
    uncompressed), with METADATA, WHEEL and a RECORD of sha256 hashes."""
    info = f"{name}-{version}.dist-info"
    meta = [
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}",
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    blobs = {k: v if isinstance(v, bytes) else v.encode("utf-8") for k, v in files.items()}
    blobs[f"{info}/METADATA"] = ("\n".join(meta) + "\n").encode("utf-8")
    blobs[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: rigpilot-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in blobs.items()]
    blobs[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for arc, data in blobs.items():
            method = zipfile.ZIP_STORED if arc.endswith(".bin") else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0)), data, compress_type=method)
    return path


def torch_wheel(folder: Path, version: str = VERSION, pad_bytes: int = 0) -> Path:
    """A stand-in torch: imports, reports its version, sees no device, computes nothing. ``pad_bytes``
    adds a stored (uncompressed) file so that a slow index takes a while to serve it."""
    files: dict = {
        "torch/__init__.py": f"from . import cuda, version\n__version__ = {version!r}\n",
        "torch/version.py": f"__version__ = {version!r}\ncuda = None\nhip = None\n",
        "torch/cuda/__init__.py": (
            "def is_available():\n    return False\n\n\ndef device_count():\n    return 0\n"
        ),
    }
    if pad_bytes:
        files["torch/_pad.bin"] = os.urandom(pad_bytes)
    return wheel(folder, "torch", version, files)


def broken_torchvision(folder: Path, version: str = "0.28.0+standin", torch: str = VERSION) -> Path:
    """A torchvision that fails on import the way one built for another torch does."""
    error = 'raise RuntimeError("operator torchvision::nms does not exist")\n'
    files = {"torchvision/__init__.py": "import torch\n" + error}
    return wheel(folder, "torchvision", version, files, requires=(f"torch=={torch}",))


class Index:
    """A PEP 503 index serving the wheels of ``folder`` at ``url`` (``/simple/<project>/``, files under
    ``/files/``). ``bytes_per_s`` throttles the files (0: full speed). Use as a context manager."""

    def __init__(self, folder: Path, bytes_per_s: int = 0) -> None:
        self.folder = Path(folder)
        self.bytes_per_s = bytes_per_s
        self.requests: list[str] = []
        index = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                index.requests.append(self.path)
                if self.path.startswith("/simple/"):
                    return self._page(self.path.strip("/").split("/")[-1])
                if self.path.startswith("/files/"):
                    return self._file(index.folder / self.path[len("/files/") :])
                self.send_error(404)

            def _page(self, project: str) -> None:
                wheels = [
                    p
                    for p in sorted(index.folder.glob("*.whl"))
                    if p.name.split("-")[0].lower().replace("_", "-") == project
                ]
                sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in wheels}
                links = [f'<a href="/files/{name}#sha256={sha}">{name}</a>' for name, sha in sums.items()]
                if not links:
                    return self.send_error(404)
                body = (
                    "<!DOCTYPE html><html><body>\n" + "<br>\n".join(links) + "\n</body></html>\n"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _file(self, path: Path) -> None:
                if not path.is_file() or path.parent != index.folder:
                    return self.send_error(404)
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                chunk = 16 * 1024
                for start in range(0, len(data), chunk):
                    try:
                        self.wfile.write(data[start : start + chunk])
                    except OSError:  # the client went away (a cancelled download)
                        return
                    if index.bytes_per_s:
                        time.sleep(chunk / index.bytes_per_s)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple"
        self._thread = threading.Thread(target=self.server.serve_forever, name="standin-index", daemon=True)

    def __enter__(self) -> Index:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


def cpu_profile(folder: Path, index_url: str, version: str = VERSION, extra: tuple = ()) -> Path:
    """``<folder>/hardware/cpu-fallback.toml``: the fallback profile with the stand-in torch from
    ``index_url`` (and the ``extra`` pins) and this interpreter's Python version. Point RIGPILOT_PROFILES at
    ``folder``."""
    hw = folder / "hardware"
    hw.mkdir(parents=True, exist_ok=True)
    path = hw / "cpu-fallback.toml"
    path.write_text(
        "\n".join(
            [
                'id = "cpu-fallback"',
                'title = "CPU only (stand-in torch for tests)"',
                'confidence = "official"',
                'sources = ["https://download.pytorch.org/whl/cpu"]',
                f'python = "{PYTHON}"',
                f'index_url = "{index_url}"',
                "packages = [" + ", ".join(f'"{p}"' for p in (f"torch=={version}", *extra)) + "]",
                "priority = 1000",
                "",
                "[match]",
                "fallback = true",
                "",
                "[tuning]",
                'vram_mode = "cpu"',
                'precision = "fp32"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path

"""A local package index for tests and benchmarks: real wheels, real installs, no internet (stdlib only).

* ``build_wheel(out_dir, name, version, files=..., requires=...)`` writes a valid wheel (METADATA, WHEEL,
  RECORD with sha256 hashes; names and versions normalised as the wheel spec says) that ``pip install``
  and ``uv pip install`` accept. ``standin_torch`` and ``standin_companion`` build tiny stand-ins for
  torch and torchvision/torchaudio: ``import torch`` works and reports a version, CUDA/HIP version and
  no device, so that ``probes/detect/runtime_script.py`` runs on it; a ``broken=True`` companion fails on
  import the way PyPI's torchvision fails beside a torch it was not built for.
* ``LocalIndex()`` serves a folder on 127.0.0.1 (ephemeral port, background thread): the PEP 503 simple
  pages and, on ``Accept: application/vnd.pypi.simple.v1+json``, PEP 691 JSON (with PEP 658/714
  metadata files, so resolvers need not download a wheel to read its dependencies), the wheels under
  ``/files/<name>`` with Content-Length, arbitrary extra files (a release archive...), optional
  throttling (``bytes_per_s``) and cut downloads (``fail_after_bytes``), and a log of every request.

    with LocalIndex() as index:
        index.add(standin_torch(tmp))              # hard-linked into the index's folder, not copied
        subprocess.run([uv, "pip", "install", "--python", py, "--index-url", index.url,
                        "torch==2.13.0+standin"], timeout=120, check=True)
        assert "/files/torch-2.13.0+standin-py3-none-any.whl" in index.requests

Importable as ``tools.localindex`` from the repository root (tests, ``bench/``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import io
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = [
    "JSON_TYPE",
    "LocalIndex",
    "Request",
    "ServedFile",
    "build_wheel",
    "isolated_env",
    "normalize_name",
    "normalize_version",
    "pip_download",
    "standin_companion",
    "standin_torch",
    "wheel_metadata",
    "wheel_requirements",
]

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "text/html; charset=utf-8"
CHUNK = 64 * 1024
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed: the same inputs give the same wheel, byte for byte
GENERATOR = "rigpilot-localindex"
IMMUTABLE = "max-age=365000000, immutable, public"  # files.pythonhosted.org's Cache-Control
PAIRED = {"torchvision": "0.28.0", "torchaudio": "2.13.0"}  # the releases paired with torch 2.13.0

_RELEASE_RE = re.compile(r"^(\d+(?:\.\d+)*)((?:a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
_LOCAL_RE = re.compile(r"^[a-z0-9]+(?:\.[a-z0-9]+)*$")
_NAME_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


# --- names and versions -----------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """PEP 503: ``Torch_Vision`` -> ``torch-vision``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def normalize_version(version: str) -> str:
    """The normalised PEP 440 form of the versions tests use: ``2.13.0+StandIn`` -> ``2.13.0+standin``,
    ``2.01`` -> ``2.1``, ``1.0+cu_118`` -> ``1.0+cu.118``. Epochs and spelling variants (``1.0-1``,
    ``1.0alpha``) are refused: write those in normal form."""
    text = version.strip().lower()
    text = text[1:] if text.startswith("v") else text
    public, plus, local = text.partition("+")
    m = _RELEASE_RE.match(public)
    if not m or (plus and not _LOCAL_RE.match(re.sub(r"[-_]", ".", local))):
        raise ValueError(f"not a normalised PEP 440 version: {version!r}")
    release = ".".join(str(int(part)) for part in m.group(1).split("."))
    out = release + "".join(g for g in m.groups()[1:] if g)
    return out + ("+" + re.sub(r"[-_]", ".", local) if local else "")


def _dist_name(name: str) -> str:
    """The wheel file-name form of a project name: ``torch-musa`` -> ``torch_musa``."""
    if not _NAME_RE.match(name):
        raise ValueError(f"not a valid project name: {name!r}")
    return normalize_name(name).replace("-", "_")


def _b64_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


# --- wheels -----------------------------------------------------------------------------------


def _tags(python_tag: str, abi: str, platform: str) -> list[str]:
    """``py2.py3``-style compressed tag sets expand into one Tag line each."""
    return [
        f"{p}-{a}-{pl}"
        for p, a, pl in itertools.product(python_tag.split("."), abi.split("."), platform.split("."))
    ]


def _zip_entry(zf: zipfile.ZipFile, arcname: str, data: bytes) -> None:
    info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_wheel(
    out_dir: Path | str,
    name: str,
    version: str,
    *,
    files: Mapping[str, str | bytes] | None = None,
    requires: Sequence[str] = (),
    python_tag: str = "py3",
    abi: str = "none",
    platform: str = "any",
    requires_python: str | None = None,
    summary: str = "Built by RigPilot's tools/localindex.py for tests",
) -> Path:
    """Write ``<name>-<version>-<python_tag>-<abi>-<platform>.whl`` into ``out_dir`` and return its path.

    ``files`` maps paths inside the wheel (``torch/__init__.py``) to their contents; ``requires`` are
    ``Requires-Dist`` lines (``torch==2.13.0+standin``, ``numpy>=1.24; python_version >= '3.10'``).
    """
    dist = _dist_name(name)
    ver = normalize_version(version)
    info_dir = f"{dist}-{ver}.dist-info"
    contents: dict[str, bytes] = {}
    for arcname, data in (files or {}).items():
        clean = arcname.replace("\\", "/")
        if clean.startswith(("/", info_dir + "/")) or ".." in clean.split("/"):
            raise ValueError(f"not a relative path inside the wheel: {arcname!r}")
        contents[clean] = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {ver}", f"Summary: {summary}"]
    if requires_python:
        meta.append(f"Requires-Python: {requires_python}")
    meta += [f"Requires-Dist: {r}" for r in requires]
    contents[f"{info_dir}/METADATA"] = ("\n".join(meta) + "\n").encode("utf-8")
    purelib = "true" if platform == "any" else "false"
    wheel = ["Wheel-Version: 1.0", f"Generator: {GENERATOR}", f"Root-Is-Purelib: {purelib}"]
    wheel += [f"Tag: {t}" for t in _tags(python_tag, abi, platform)]
    contents[f"{info_dir}/WHEEL"] = ("\n".join(wheel) + "\n").encode("utf-8")
    record = [f"{arc},sha256={_b64_digest(data)},{len(data)}" for arc, data in contents.items()]
    record.append(f"{info_dir}/RECORD,,")
    contents[f"{info_dir}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dist}-{ver}-{python_tag}-{abi}-{platform}.whl"
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w") as zf:
        for arcname, data in contents.items():
            _zip_entry(zf, arcname, data)
    tmp.replace(path)
    return path


def _module(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


def standin_torch(
    out_dir: Path | str,
    version: str = "2.13.0+standin",
    cuda: str | None = None,
    hip: str | None = None,
    *,
    arch_flags: Sequence[str] = (),
    python_tag: str = "py3",
    abi: str = "none",
    platform: str = "any",
) -> Path:
    """A tiny wheel named torch: ``torch.__version__``, ``torch.version.cuda/hip``, a ``torch.cuda`` with
    no device (``is_available()`` False, ``device_count()`` 0, ``get_arch_list()`` []) and, for a CUDA or
    HIP stand-in, ``torch._C._cuda_getArchFlags()`` giving ``arch_flags`` (the compiled-in list that
    real torch answers while no device is usable). No kernels: nothing can compute with it."""
    ver = normalize_version(version)
    gpu_build = bool(cuda or hip)
    no_device = (
        'raise RuntimeError("No CUDA GPUs are available")'
        if gpu_build
        else 'raise AssertionError("Torch not compiled with CUDA enabled")'
    )
    files = {
        "torch/__init__.py": _module(
            '''
            """A stand-in for torch (RigPilot's tools/localindex.py): imports, reports, computes nothing."""
            from . import _C, backends, cuda, version
            from .version import __version__

            STANDIN = True
            '''
        ),
        "torch/version.py": _module(
            f"""
            __version__ = {ver!r}
            cuda = {cuda!r}
            hip = {hip!r}
            git_version = "standin"
            debug = False
            """
        ),
        "torch/cuda/__init__.py": _module(
            f"""
            def is_available():
                return False


            def device_count():
                return 0


            def get_arch_list():
                return []


            def get_device_properties(device=None):
                {no_device}


            def get_device_name(device=None):
                {no_device}
            """
        ),
        "torch/backends/__init__.py": "from . import mps  # noqa: F401\n",
        "torch/backends/mps/__init__.py": _module(
            """
            def is_available():
                return False


            def is_built():
                return False
            """
        ),
        "torch/_C.py": (
            f"def _cuda_getArchFlags():\n    return {' '.join(arch_flags)!r}\n" if gpu_build else "\n"
        ),
    }
    return build_wheel(out_dir, "torch", ver, files=files, python_tag=python_tag, abi=abi, platform=platform)


def standin_companion(
    out_dir: Path | str,
    name: str = "torchvision",
    version: str | None = None,
    torch_pin: str = "2.13.0+standin",
    *,
    broken: bool = False,
    python_tag: str = "py3",
    abi: str = "none",
    platform: str = "any",
) -> Path:
    """A companion of torch (torchvision, torchaudio...) that ``Requires-Dist: torch==<torch_pin>`` and
    imports torch on import, as the real one does. ``version`` defaults to the release paired with
    torch 2.13 plus torch_pin's local label (``0.28.0+standin``). ``broken=True``: importing it raises
    ``RuntimeError: operator <name>::nms does not exist``, the error PyPI's torchvision gives beside a
    torch it was not built for."""
    if version is None:
        if name not in PAIRED:
            raise ValueError(f"give the version of {name!r}: no paired release is known")
        local = torch_pin.partition("+")[2]
        version = PAIRED[name] + (f"+{local}" if local else "")
    ver = normalize_version(version)
    module = _dist_name(name)
    body = [f'"""A stand-in for {name} built by RigPilot\'s tools/localindex.py."""', "import torch", ""]
    if broken:
        body.append(f'raise RuntimeError("operator {module}::nms does not exist")')
    else:
        body += ["from .version import __version__", ""]
    files = {
        f"{module}/__init__.py": "\n".join(body) + "\n",
        f"{module}/version.py": f"__version__ = {ver!r}\ncuda = None\n",
    }
    return build_wheel(
        out_dir,
        name,
        ver,
        files=files,
        requires=[f"torch=={torch_pin}"],
        python_tag=python_tag,
        abi=abi,
        platform=platform,
    )


def wheel_metadata(path: Path | str) -> bytes:
    """The METADATA file of a wheel, as stored (PEP 658 serves exactly these bytes)."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if len(names) != 1:
            raise ValueError(f"{Path(path).name}: expected one .dist-info/METADATA, found {len(names)}")
        return zf.read(names[0])


def _metadata_field(metadata: bytes, key: str) -> list[str]:
    head = metadata.decode("utf-8", errors="replace").split("\n\n", 1)[0]
    prefix = key.lower() + ":"
    return [line.split(":", 1)[1].strip() for line in head.splitlines() if line.lower().startswith(prefix)]


def wheel_requirements(path: Path | str, extras: Iterable[str] = ()) -> list[str]:
    """A wheel's ``Requires-Dist`` lines, without those of extras not asked for."""
    wanted = {normalize_name(e) for e in extras}
    out = []
    for req in _metadata_field(wheel_metadata(path), "Requires-Dist"):
        m = re.search(r"""extra\s*==\s*["']([^"']+)["']""", req)
        if m is None or normalize_name(m.group(1)) in wanted:
            out.append(req)
    return out


# --- running installers in isolation ----------------------------------------------------------


def isolated_env(
    cache_dir: Path | str | None = None, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """An environment for pip and uv that reads no configuration of this machine or user (no pip.conf,
    no constraints, no find-links, no uv.toml) and, with ``cache_dir``, keeps their caches there."""
    env = {
        k: v for k, v in (os.environ if base is None else base).items() if not k.startswith(("PIP_", "UV_"))
    }
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", UV_NO_CONFIG="1")
    env.update(UV_PYTHON_DOWNLOADS="never", PYTHONDONTWRITEBYTECODE="1")
    if cache_dir is not None:
        env.update(PIP_CACHE_DIR=str(Path(cache_dir) / "pip"), UV_CACHE_DIR=str(Path(cache_dir) / "uv"))
    return env


def pip_download(
    dest: Path | str,
    requirements: Sequence[str],
    *,
    python: str = sys.executable,
    timeout_s: float = 900,
) -> list[Path]:
    """``pip download`` wheels only (for ``python``'s version and platform) into ``dest`` through the
    machine's ordinary pip configuration; returns the wheels now in ``dest``. Raises RuntimeError with
    pip's last output when pip fails, subprocess.TimeoutExpired past ``timeout_s``."""
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    argv = [python, "-m", "pip", "download", "--dest", str(out), "--only-binary=:all:", "--no-input"]
    argv += ["--disable-pip-version-check", "--progress-bar", "off", *requirements]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s)
    if proc.returncode:
        raise RuntimeError(
            f"pip download failed (rc {proc.returncode}): {(proc.stderr or proc.stdout)[-2000:]}"
        )
    return sorted(out.glob("*.whl"))


# --- the server -------------------------------------------------------------------------------


@dataclass
class Request:
    """One request the index answered (updated while its body is being sent)."""

    method: str
    path: str  # unquoted, without the query: /files/torch-2.13.0+standin-py3-none-any.whl
    accept: str = ""
    user_agent: str = ""
    status: int = 0
    sent_bytes: int = 0  # body bytes written
    complete: bool = False  # the whole body went out
    cut: bool = False  # fail_after_bytes closed it early
    done: bool = False  # the handler finished (client gone, cut or complete)


@dataclass(frozen=True)
class ServedFile:
    """A file the index serves. ``project``/``version`` are set for distributions listed on a page."""

    url: str
    url_path: str
    path: Path
    size: int
    sha256: str
    project: str | None = None
    version: str | None = None
    requires_python: str | None = None

    @property
    def name(self) -> str:
        return self.url_path.rsplit("/", 1)[-1]


@dataclass
class _Body:
    path: Path | None
    data: bytes | None
    size: int
    content_type: str = "application/octet-stream"
    bytes_per_s: float | None = None  # per-file overrides of the index's settings
    fail_after_bytes: int | None = None


@dataclass
class _Dist:
    served: ServedFile
    metadata: bytes | None


_HASHES: dict[tuple, str] = {}
_HASH_LOCK = threading.Lock()


def _sha256_file(path: Path) -> str:
    """sha256 of a file, remembered per (device, inode, size, mtime): the real torch wheel is 190 MB."""
    st = path.stat()
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    with _HASH_LOCK:
        if key in _HASHES:
            return _HASHES[key]
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    with _HASH_LOCK:
        _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


def _place(src: Path, dest: Path) -> None:
    """Put ``src`` at ``dest`` without copying where possible: hard link, else symlink, else copy."""
    if dest.exists():
        if dest.samefile(src) or _sha256_file(dest) == _sha256_file(src):
            return
        raise FileExistsError(f"{dest.name} is already served with other contents")
    try:
        os.link(src, dest)
    except OSError:
        try:
            os.symlink(src.resolve(), dest)
        except OSError:
            shutil.copy2(src, dest)


def _parse_distribution(filename: str) -> tuple[str, str] | None:
    """(normalised project, version) of a wheel or sdist file name, or None."""
    if filename.endswith(".whl"):
        parts = filename[:-4].split("-")
        return (normalize_name(parts[0]), parts[1]) if len(parts) in (5, 6) else None
    for ext in (".tar.gz", ".zip"):
        if filename.endswith(ext):
            stem = filename[: -len(ext)]
            if "-" in stem:
                name, version = stem.rsplit("-", 1)
                return normalize_name(name), version
    return None


def _accept_q(accept: str) -> tuple[float, float]:
    """(best q of a JSON simple type, best q of an HTML type) in an Accept header."""
    q_json = q_html = 0.0
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                with contextlib.suppress(ValueError):
                    q = float(value)
        media = media.lower()
        if media in (JSON_TYPE, "application/vnd.pypi.simple.latest+json"):
            q_json = max(q_json, q)
        elif media in ("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.latest+html"):
            q_html = max(q_html, q)
        elif media in ("text/html", "text/*", "*/*"):
            q_html = max(q_html, q)
    return q_json, q_html


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    index: LocalIndex


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: resolvers open many requests
    server_version = "RigPilotLocalIndex/1"
    timeout = 60  # an idle keep-alive connection ends after this
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        pass  # quiet: the index keeps its own log

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.index._handle(self, head=False)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self.server.index._handle(self, head=True)


class LocalIndex:
    """A package index on 127.0.0.1 serving a temp folder (or ``root``), started by the constructor.

    ``json=False`` serves HTML pages only (like a static mirror); ``metadata=False`` leaves out the
    PEP 658 metadata files. ``bytes_per_s`` throttles every file download; ``fail_after_bytes`` cuts
    each download after that many body bytes (the Content-Length promised the whole file), for the
    next ``fail_times`` downloads (None: all). The three are attributes: change them at any time.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        json: bool = True,
        metadata: bool = True,
        bytes_per_s: float | None = None,
        fail_after_bytes: int | None = None,
        fail_times: int | None = None,
    ) -> None:
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="rigpilot-index-")) if root is None else Path(root)
        (self.root / "files").mkdir(parents=True, exist_ok=True)
        self.json, self.metadata = json, metadata
        self.bytes_per_s, self.fail_after_bytes, self.fail_times = bytes_per_s, fail_after_bytes, fail_times
        self._lock = threading.Condition()
        self._bodies: dict[str, _Body] = {}
        self._dists: dict[str, dict[str, _Dist]] = {}  # project -> filename -> dist
        self._log: list[Request] = []
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.index = self
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="localindex"
        )
        self._thread.start()

    # -- life --

    def __enter__(self) -> LocalIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving (a throttled download in progress is cut) and remove the temp folder."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        with self._lock:  # let the handlers still sending see the stop and note how they ended
            self._lock.wait_for(lambda: all(r.done for r in self._log), timeout=5)
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- addresses --

    @property
    def url(self) -> str:
        """The simple index: pass it as ``--index-url``."""
        return self.base_url + "/simple"

    def file_url(self, name: str) -> str:
        return f"{self.base_url}/files/{urllib.parse.quote(name)}"

    def find_links_dir(self) -> Path:
        """The flat folder of every distribution added (for ``--find-links``)."""
        return self.root / "files"

    # -- contents --

    def add(
        self,
        path: Path | str,
        *,
        requires_python: str | None = None,
        bytes_per_s: float | None = None,
        fail_after_bytes: int | None = None,
    ) -> ServedFile:
        """List a wheel or sdist on its project's page and serve it at ``/files/<name>``. The file is
        hard-linked into the index's folder (symlinked across file systems; copied only if neither
        works). Requires-Python defaults to the wheel's own METADATA."""
        src = Path(path)
        parsed = _parse_distribution(src.name)
        if parsed is None:
            raise ValueError(f"{src.name}: not a wheel or sdist file name")
        project, version = parsed
        dest = self.find_links_dir() / src.name
        _place(src, dest)
        meta = None
        if src.name.endswith(".whl"):
            meta = wheel_metadata(dest)
            if requires_python is None:
                requires_python = next(iter(_metadata_field(meta, "Requires-Python")), None)
        url_path = "/files/" + src.name
        served = ServedFile(
            self.base_url + urllib.parse.quote(url_path),
            url_path,
            dest,
            dest.stat().st_size,
            _sha256_file(dest),
            project,
            version,
            requires_python,
        )
        with self._lock:
            self._bodies[url_path] = _Body(
                dest, None, served.size, "application/octet-stream", bytes_per_s, fail_after_bytes
            )
            if meta is not None:
                self._bodies[url_path + ".metadata"] = _Body(
                    None, meta, len(meta), "text/plain; charset=utf-8"
                )
            self._dists.setdefault(project, {})[src.name] = _Dist(served, meta)
        return served

    def add_folder(self, folder: Path | str) -> list[ServedFile]:
        """``add`` every wheel and sdist in ``folder``."""
        paths = sorted(Path(folder).iterdir())
        return [self.add(p) for p in paths if p.is_file() and _parse_distribution(p.name)]

    def build(self, name: str, version: str, **kwargs: object) -> ServedFile:
        """``build_wheel`` straight into the index, then ``add`` it."""
        return self.add(build_wheel(self.find_links_dir(), name, version, **kwargs))  # type: ignore[arg-type]

    def serve(
        self,
        url_path: str,
        source: Path | str | bytes,
        *,
        content_type: str = "application/octet-stream",
        bytes_per_s: float | None = None,
        fail_after_bytes: int | None = None,
    ) -> ServedFile:
        """Serve a file that is not a listed distribution (a release archive at
        ``/archive/ComfyUI-0.3.64.tar.gz``): bytes, or a path read in place (not copied)."""
        if not url_path.startswith("/") or url_path.startswith("/simple"):
            raise ValueError(f"serve a path outside /simple, starting with '/': {url_path!r}")
        if isinstance(source, bytes):
            body = _Body(None, source, len(source), content_type, bytes_per_s, fail_after_bytes)
            path, sha = Path(url_path.rsplit("/", 1)[-1]), hashlib.sha256(source).hexdigest()
        else:
            path = Path(source).resolve()
            body = _Body(path, None, path.stat().st_size, content_type, bytes_per_s, fail_after_bytes)
            sha = _sha256_file(path)
        with self._lock:
            self._bodies[url_path] = body
        return ServedFile(self.base_url + urllib.parse.quote(url_path), url_path, path, body.size, sha)

    def files_of(self, project: str) -> list[ServedFile]:
        with self._lock:
            return [d.served for d in self._dists.get(normalize_name(project), {}).values()]

    def projects(self) -> list[str]:
        with self._lock:
            return sorted(self._dists)

    # -- the log --

    @property
    def log(self) -> list[Request]:
        """Copies of every request so far, in arrival order."""
        with self._lock:
            return [replace(r) for r in self._log]

    @property
    def requests(self) -> list[str]:
        """The paths requested so far, in arrival order (``/simple/torch/``, ``/files/torch-...whl``)."""
        with self._lock:
            return [r.path for r in self._log]

    def downloads(self, *, complete: bool = True) -> list[str]:
        """Names of the files under /files/ sent by GET (whole ones only, unless ``complete=False``)."""
        with self._lock:
            return [
                r.path.rsplit("/", 1)[-1]
                for r in self._log
                if r.method == "GET"
                and r.path.startswith("/files/")
                and not r.path.endswith(".metadata")
                and r.status == 200
                and (r.complete or not complete)
            ]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def wait_for(self, path: str, *, sent_bytes: int = 0, timeout_s: float = 30.0) -> Request:
        """Block until a request for ``path`` has sent at least ``sent_bytes`` body bytes (or ended);
        a copy of it. TimeoutError past ``timeout_s``."""
        deadline = time.monotonic() + timeout_s

        def found() -> Request | None:
            for r in self._log:
                if r.path == path and (r.sent_bytes >= sent_bytes or r.done):
                    return r
            return None

        with self._lock:
            while (hit := found()) is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no request for {path} (with {sent_bytes} bytes sent) in {timeout_s} s"
                    )
                self._lock.wait(min(left, 0.1))
            return replace(hit)

    # -- answering --

    def _handle(self, handler: _Handler, *, head: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(handler.path).path)
        record = Request(
            handler.command, path, handler.headers.get("Accept", ""), handler.headers.get("User-Agent", "")
        )
        with self._lock:
            self._log.append(record)
            self._lock.notify_all()
        try:
            if path == "/simple" or path.startswith("/simple/"):
                self._page(handler, record, path, head=head)
            else:
                with self._lock:
                    body = self._bodies.get(path)
                if body is None:
                    self._send(handler, record, 404, b"not found\n", "text/plain", head=head)
                else:
                    self._send_body(handler, record, body, head=head)
        except (TimeoutError, BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            handler.close_connection = True  # the client went away (a cancelled download)
        finally:
            with self._lock:
                record.done = True
                self._lock.notify_all()

    def _page(self, handler: _Handler, record: Request, path: str, *, head: bool) -> None:
        rest = path[len("/simple") :].strip("/")
        as_json = self._wants_json(handler.headers.get("Accept", ""))
        if not rest:
            body, ctype = self._root_page(as_json)
            return self._send(handler, record, 200, body, ctype, head=head)
        if "/" in rest:
            return self._send(handler, record, 404, b"not found\n", "text/plain", head=head)
        project = normalize_name(rest)
        if project != rest:  # PEP 503: redirect to the normalised URL
            headers = {"Location": f"/simple/{project}/", "Content-Length": "0"}
            return self._headers(handler, record, 301, headers, last=True)
        with self._lock:
            dists = sorted(self._dists.get(project, {}).values(), key=lambda d: d.served.name)
        if not dists:
            return self._send(handler, record, 404, b"not found\n", "text/plain", head=head)
        body, ctype = self._project_page(project, dists, as_json)
        return self._send(handler, record, 200, body, ctype, head=head)

    def _wants_json(self, accept: str) -> bool:
        if not self.json:
            return False
        q_json, q_html = _accept_q(accept)
        return q_json > 0 and q_json >= q_html

    def _root_page(self, as_json: bool) -> tuple[bytes, str]:
        names = self.projects()
        if as_json:
            doc = {"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in names]}
            return json.dumps(doc).encode("utf-8"), JSON_TYPE
        links = "".join(f'<a href="{n}/">{html.escape(n)}</a><br>\n' for n in names)
        return self._html("Simple index", links), HTML_TYPE

    def _project_page(self, project: str, dists: list[_Dist], as_json: bool) -> tuple[bytes, str]:
        entries = []
        for d in dists:
            s = d.served
            meta_sha = hashlib.sha256(d.metadata).hexdigest() if (d.metadata and self.metadata) else None
            entries.append((s, "../../files/" + urllib.parse.quote(s.name), meta_sha))
        if as_json:
            files = []
            for s, href, meta_sha in entries:
                entry: dict[str, object] = {"filename": s.name, "url": href, "hashes": {"sha256": s.sha256}}
                entry.update(size=s.size, yanked=False)
                if s.requires_python:
                    entry["requires-python"] = s.requires_python
                if meta_sha:
                    # PEP 714's name only: pip 23.0.x (ensurepip of Python 3.10.13) crashes on the old
                    # "dist-info-metadata" key holding a dict ("TypeError: unhashable type: 'dict'"),
                    # which is why PEP 714 renamed it
                    entry["core-metadata"] = {"sha256": meta_sha}
                files.append(entry)
            versions = sorted({s.version for s, _, _ in entries if s.version})
            doc = {"meta": {"api-version": "1.1"}, "name": project, "versions": versions, "files": files}
            return json.dumps(doc).encode("utf-8"), JSON_TYPE
        links = []
        for s, href, meta_sha in entries:
            attrs = f' href="{html.escape(href)}#sha256={s.sha256}"'
            if s.requires_python:
                attrs += f' data-requires-python="{html.escape(s.requires_python)}"'
            if meta_sha:
                attrs += (
                    f' data-core-metadata="sha256={meta_sha}" data-dist-info-metadata="sha256={meta_sha}"'
                )
            links.append(f"<a{attrs}>{html.escape(s.name)}</a><br>\n")
        return self._html(f"Links for {project}", "".join(links)), HTML_TYPE

    @staticmethod
    def _html(title: str, links: str) -> bytes:
        head = '<meta name="pypi:repository-version" content="1.1">'
        text = f"<!DOCTYPE html>\n<html><head>{head}<title>{html.escape(title)}</title></head>\n<body>\n"
        return (text + f"<h1>{html.escape(title)}</h1>\n{links}</body></html>\n").encode("utf-8")

    def _note(self, record: Request, **changes: object) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(record, key, value)
            self._lock.notify_all()

    def _write(self, handler: _Handler, record: Request, data: bytes, *, last: bool) -> None:
        """Write body bytes, counting them in the log *before* the client can see them (a test that
        saw the download end then reads a log that says so); undone if the write fails."""
        before = record.sent_bytes
        self._note(record, sent_bytes=before + len(data), complete=last)
        try:
            handler.wfile.write(data)
        except OSError:
            self._note(record, sent_bytes=before, complete=False)
            raise

    def _headers(
        self, handler: _Handler, record: Request, status: int, headers: dict[str, str], *, last: bool = False
    ) -> None:
        """Send the status and headers (``last``: no body follows)."""
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        self._note(record, status=status, complete=last)
        handler.end_headers()

    def _send(
        self, handler: _Handler, record: Request, status: int, body: bytes, ctype: str, *, head: bool
    ) -> None:
        headers = {"Content-Type": ctype, "Content-Length": str(len(body)), "Cache-Control": "no-cache"}
        self._headers(handler, record, status, {**headers, "Vary": "Accept"}, last=head)
        if not head:
            self._write(handler, record, body, last=True)

    def _cut_at(self, body: _Body) -> int | None:
        """Where this download is cut, counting it against ``fail_times``."""
        limit = body.fail_after_bytes if body.fail_after_bytes is not None else self.fail_after_bytes
        if limit is None:
            return None
        with self._lock:
            if self.fail_times is not None:
                if self.fail_times <= 0:
                    return None
                self.fail_times -= 1
        return max(0, int(limit))

    def _send_body(self, handler: _Handler, record: Request, body: _Body, *, head: bool) -> None:
        headers = {"Content-Type": body.content_type, "Content-Length": str(body.size)}
        # as PyPI's file host: a file never changes, so pip's HTTP cache keeps it (pip caches plain
        # http only for a --trusted-host) and a warm run does not download it again
        headers["Cache-Control"] = IMMUTABLE
        self._headers(handler, record, 200, headers, last=head)
        if head:
            return
        cut = self._cut_at(body)
        rate = body.bytes_per_s if body.bytes_per_s is not None else self.bytes_per_s
        chunk = CHUNK if not rate else max(1, min(CHUNK, int(rate / 20)))
        with contextlib.ExitStack() as stack:
            stream = stack.enter_context(body.path.open("rb")) if body.path else io.BytesIO(body.data or b"")
            self._stream(handler, record, stream, body.size, chunk, rate, cut)

    def _stream(
        self,
        handler: _Handler,
        record: Request,
        stream: io.BufferedIOBase,
        size: int,
        chunk: int,
        rate: float | None,
        cut: int | None,
    ) -> None:
        start = time.monotonic()
        sent = 0
        while not self._stopping.is_set():
            want = chunk if cut is None else min(chunk, cut - sent)
            data = stream.read(want) if want > 0 else b""
            if not data:
                break
            self._write(handler, record, data, last=sent + len(data) >= size)
            sent += len(data)
            if rate:
                delay = start + sent / rate - time.monotonic()
                if delay > 0 and self._stopping.wait(delay):
                    break
        if sent >= size:
            handler.wfile.flush()
            return
        self._note(record, cut=cut is not None and sent >= cut)  # before the client sees the end
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)

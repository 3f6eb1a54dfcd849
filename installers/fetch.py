"""Downloads the installer makes itself (the pinned torch-stack wheels, the app's release archive), with
progress in bytes, a stall timeout, cancellation between chunks, a sha256 check, and an archive
extractor that refuses paths escaping the target folder.

A download goes to ``<name>.part`` and is renamed only when complete (and, where the index gave one,
when its sha256 matches), so an interrupted or killed download never leaves a file that looks whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from installers.runner import Cancel, cancelled_error, pid_alive
from probes.core.errors import RigPilotError
from probes.core.i18n import Text

CHUNK = 256 * 1024
STALL_TIMEOUT_S = 60.0

Progress = Callable[[int, "int | None"], None]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _failed(url: str, detail: str) -> RigPilotError:
    return RigPilotError(
        "install-download-failed",
        Text("execute", "Downloading {url} failed: {detail}", url=url, detail=detail),
        Text(
            "execute",
            "Check the network or choose a mirror (install --mirror NAME), then run it again; files already "
            "downloaded are kept.",
        ),
        context={"url": url},
    )


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    size: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    timeout_s: float = STALL_TIMEOUT_S,
) -> Path:
    """Download ``url`` (http, https or file) to ``dest``; an existing ``dest`` with the right sha256 is
    reused without a request."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_file() and sha256 and _sha256(dest) == sha256.lower():
        if progress:
            progress(dest.stat().st_size, dest.stat().st_size)
        return dest
    part = dest.with_name(f"{dest.name}.{os.getpid()}.part")  # two installs may fetch the same file
    h = hashlib.sha256()
    done = 0
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "RigPilot installer"})
        with urllib.request.urlopen(req, timeout=timeout_s) as resp, open(part, "wb") as out:
            length = resp.headers.get("Content-Length") if hasattr(resp, "headers") else None
            total = int(length) if length and length.isdigit() else size
            if progress:
                progress(0, total)
            while True:
                if cancel is not None and cancel.is_set:
                    raise cancelled_error()
                block = resp.read(CHUNK)
                if not block:
                    break
                out.write(block)
                h.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
        if total is not None and done != total:
            raise _failed(url, f"got {done} of {total} bytes")
    except RigPilotError:
        part.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
            raise disk_full(dest.parent) from None
        raise _failed(url, str(getattr(exc, "reason", exc))) from None
    if sha256 and h.hexdigest() != sha256.lower():
        part.unlink(missing_ok=True)
        raise RigPilotError(
            "install-hash-mismatch",
            Text(
                "execute",
                "{name}: the downloaded file's sha256 is {got}, the index says {want}.",
                name=dest.name,
                got=h.hexdigest(),
                want=sha256.lower(),
            ),
            Text(
                "execute", "The file was damaged or replaced on the way: run it again, or try another mirror."
            ),
        )
    os.replace(part, dest)
    return dest


def clean_parts(folder: Path) -> list[str]:
    """Remove ``<name>.<pid>.part`` files whose download process is gone (a killed install's)."""
    removed = []
    for part in Path(folder).glob("*.part"):
        pid = part.name[: -len(".part")].rsplit(".", 1)[-1]
        if pid.isdigit() and pid_alive(int(pid)):
            continue
        part.unlink(missing_ok=True)
        removed.append(part.name)
    return removed


def disk_full(folder: Path) -> RigPilotError:
    return RigPilotError(
        "install-disk-full",
        Text("execute", "The disk holding {folder} is full.", folder=str(folder)),
        Text(
            "execute",
            "Free some space (or choose a folder on another disk) and run it again; the previous environment "
            "is unchanged.",
        ),
    )


def _inside(root: Path, member: str) -> bool:
    target = (root / member).resolve()
    return target == root or root in target.parents


def extract(archive: Path, dest: Path, *, cancel: Cancel | None = None) -> Path:
    """Unpack a .tar.gz/.tgz/.zip release archive into ``dest`` (which must not exist); a single top folder
    (``ComfyUI-0.3.64/``) is stripped. Members that would land outside ``dest`` (``../``, absolute paths,
    links pointing out) stop the extraction with ``install-archive-unsafe``."""
    tmp = dest.with_name(dest.name + ".unpack")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    root = tmp.resolve()
    name = archive.name.lower()
    try:
        if name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(archive) as tf:
                members = tf.getmembers()
                for m in members:
                    bad_link = (m.issym() or m.islnk()) and not _inside(
                        root, os.path.join(os.path.dirname(m.name), m.linkname) if m.issym() else m.linkname
                    )
                    if not _inside(root, m.name) or bad_link or m.isdev():
                        raise _unsafe(archive, m.name)
                for m in members:
                    if cancel is not None and cancel.is_set:
                        raise cancelled_error()
                    tf.extract(m, root, set_attrs=not m.issym())
        elif name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                for n in zf.namelist():
                    if not _inside(root, n):
                        raise _unsafe(archive, n)
                zf.extractall(root)
        else:
            raise RigPilotError(
                "install-archive-unknown",
                Text("execute", "{name} is not a .tar.gz or .zip archive.", name=archive.name),
                Text("execute", "Pass the app's release archive (.tar.gz or .zip), a folder, or a URL."),
            )
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RigPilotError(
            "install-archive-damaged",
            Text("execute", "{name} cannot be unpacked: {error}", name=archive.name, error=str(exc)),
            Text("execute", "Download it again (the file may be incomplete)."),
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    entries = list(tmp.iterdir())
    src = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    os.replace(src, dest)
    shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _unsafe(archive: Path, member: str) -> RigPilotError:
    return RigPilotError(
        "install-archive-unsafe",
        Text(
            "execute",
            "{name} holds {member}, which would be written outside the app folder.",
            name=archive.name,
            member=member,
        ),
        Text("execute", "Use the app's official release archive."),
    )


def filename_of(url: str) -> str:
    path = urllib.parse.urlparse(url).path
    return urllib.parse.unquote(path.rsplit("/", 1)[-1]) or "download"

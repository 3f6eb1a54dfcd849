"""Before changing anything, check that the variant exists (issue 12, point 3).

``find_wheel("torch==2.7.1+cu118", Target("3.12", "linux"), index_urls=[...], wheelhouse=...)`` asks the
wheelhouse (a folder of ``.whl`` files) and then each package index in order (PEP 691 JSON or PEP 503
HTML simple pages) whether the exact pin has a file for the *target* Python, OS and machine (not this
machine's), and returns the best file by tag priority. When there is none it raises a RigPilotError
that names what was looked for, what exists, and what to do; it never picks another build silently
(several builds matching one pin, e.g. ``==2.7.1`` against ``+cu118`` and ``+cpu``, is an error too).

Credentials in index URLs (``https://user:token@host/simple``) are sent as HTTP basic auth and never
shown: every message, ``WheelFile.source`` and ``WheelFile.url`` carry ``***`` instead.
"""

from __future__ import annotations

import base64
import html.parser
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from probes.core.errors import RigPilotError
from probes.core.i18n import Text

__all__ = [
    "ACCEPT",
    "MAX_PAGE_BYTES",
    "Target",
    "WheelFile",
    "check_requirements",
    "default_fetch",
    "find_wheel",
    "redact_url",
]

Fetch = Callable[[str, float], tuple[int, dict, bytes]]

ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
MAX_PAGE_BYTES = 32 * 1024 * 1024
FLAT = "flat+"
# manylinux_2_5 is manylinux1 and manylinux_2_12 manylinux2010 (PEP 600): older wheels such as
# torch-2.5.0-cp310-cp310-manylinux1_x86_64.whl run on any newer glibc
MANYLINUX_NEWEST, MANYLINUX_OLDEST = 39, 5
MACOS_NEWEST = (15, 0)
MACOS_OLDEST_MAJOR = 11
SHOWN_FILES = 4  # how many existing file names a message lists
SHOWN_VERSIONS = 3  # nearest versions on each side

_ARCH = {
    "x86_64": "x86_64",
    "amd64": "x86_64",
    "x64": "x86_64",
    "aarch64": "aarch64",
    "arm64": "aarch64",
    "i386": "i686",
    "i686": "i686",
    "x86": "i686",
}
_WINDOWS_PLATFORM = {"x86_64": "win_amd64", "aarch64": "win_arm64", "i686": "win32"}
_MANYLINUX2014_ARCHES = ("x86_64", "aarch64", "i686", "ppc64le", "s390x", "armv7l")
_SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")
_PY_RE = re.compile(r"^3\.(\d{1,2})$")


@dataclass(frozen=True)
class Target:
    """The environment the wheels are for (not necessarily this machine)."""

    python_version: str  # "3.12"
    os: str  # "linux" | "windows" | "darwin"
    machine: str = "x86_64"  # "x86_64" | "aarch64" | "arm64" | "AMD64"...

    @property
    def arch(self) -> str:
        m = self.machine.strip().lower()
        return _ARCH.get(m, m)

    @property
    def python_minor(self) -> int:
        match = _PY_RE.match(self.python_version.strip())
        if not match:
            raise _target_invalid(self)
        return int(match.group(1))

    @property
    def cp_tag(self) -> str:
        return f"cp3{self.python_minor}"

    def describe(self) -> str:
        return f"{self.os} {self.arch}"

    def platforms(self) -> list[str]:
        """Platform tags the target accepts, best first."""
        arch, os_name = self.arch, self.os.strip().lower()
        if os_name == "linux":
            plats = [f"manylinux_2_{n}_{arch}" for n in range(MANYLINUX_NEWEST, MANYLINUX_OLDEST - 1, -1)]
            if arch in _MANYLINUX2014_ARCHES:
                plats.append(f"manylinux2014_{arch}")
            if arch in ("x86_64", "i686"):
                plats += [f"manylinux2010_{arch}", f"manylinux1_{arch}"]
            return [*plats, f"linux_{arch}"]
        if os_name == "windows" and arch in _WINDOWS_PLATFORM:
            return [_WINDOWS_PLATFORM[arch]]
        if os_name == "darwin" and arch in ("x86_64", "aarch64"):
            mac_arch = "arm64" if arch == "aarch64" else "x86_64"
            plats = list(mac_platforms(MACOS_NEWEST, mac_arch))
            if mac_arch == "arm64":  # arm64 Macs start at 11; x86_64 keeps the 10.x wheels it can run
                plats = [p for p in plats if int(p.split("_")[1]) >= MACOS_OLDEST_MAJOR]
            return plats
        raise _target_invalid(self)

    def tags(self) -> list[Tag]:
        """Every tag a wheel may carry for this target, best first (cpython, abi3, none, py3-none-any)."""
        version = (3, self.python_minor)
        plats = self.platforms()
        out = list(cpython_tags(version, abis=[self.cp_tag], platforms=plats))
        out += compatible_tags(version, interpreter=self.cp_tag, platforms=plats)
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class WheelFile:
    """One wheel that satisfies a pin for a target; ``url`` and ``source`` carry no credentials."""

    project: str  # the PEP 503 normalised name: torch-musa
    version: str
    filename: str
    url: str
    sha256: str | None
    size: int | None
    source: str  # the index URL (credentials redacted) or the wheelhouse folder


# --- URLs and credentials ---------------------------------------------------------------------


def redact_url(url: str) -> str:
    """``https://user:token@host/x`` -> ``https://***@host/x``; other URLs unchanged."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + host))


def _secrets(urls: Sequence[str]) -> list[str]:
    """The credential strings in ``urls``, longest first, to scrub from any text we show."""
    out: set[str] = set()
    for url in urls:
        netloc = urllib.parse.urlsplit(url).netloc
        if "@" not in netloc:
            continue
        userinfo = netloc.rsplit("@", 1)[0]
        user, _, password = userinfo.partition(":")
        for value in (userinfo, password or user):
            if value:
                out.update({value, urllib.parse.unquote(value)})
    return sorted(out, key=len, reverse=True)


def _scrub(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


# --- fetching ---------------------------------------------------------------------------------


def default_fetch(url: str, timeout_s: float) -> tuple[int, dict, bytes]:
    """GET ``url`` with the simple-API Accept header: (status, lower-case headers, body).

    Credentials in the URL become a basic-auth header. Every socket operation has ``timeout_s`` and
    the whole answer must arrive within it too (checked between reads); bodies over MAX_PAGE_BYTES
    are refused. HTTP errors are returned as their status; network errors raise OSError.
    """
    parts = urllib.parse.urlsplit(url)
    headers = {"Accept": ACCEPT, "User-Agent": "RigPilot"}
    if "@" in parts.netloc:
        userinfo, host = parts.netloc.rsplit("@", 1)
        user, _, password = userinfo.partition(":")
        pair = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        url = urllib.parse.urlunsplit(parts._replace(netloc=host))
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - http(s)/file only
            status = getattr(response, "status", None) or 200
            return status, _lower(response.headers), _read_bounded(response, deadline)
    except urllib.error.HTTPError as err:
        return err.code, _lower(err.headers), b""


def _lower(headers: object) -> dict:
    items = headers.items() if hasattr(headers, "items") else []
    return {str(k).lower(): str(v) for k, v in items}


def _read_bounded(response: object, deadline: float) -> bytes:
    read = response.read  # type: ignore[attr-defined]
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer did not arrive in time")
        chunk = read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_PAGE_BYTES:
            raise OSError(f"the answer is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB")
        chunks.append(chunk)


# --- pages and folders ------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    filename: str
    url: str  # may carry credentials: only shown through redact_url
    sha256: str | None = None
    size: int | None = None
    requires_python: str | None = None


class _AnchorParser(html.parser.HTMLParser):
    """PEP 503: every <a href> with its text (the file name) and data-requires-python."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open, "".join(self._text).strip()))
            self._open = None


def _split_hash(url: str) -> tuple[str, str | None]:
    base, _, fragment = url.partition("#")
    name, _, value = fragment.partition("=")
    return base, (value.lower() if name == "sha256" and _SHA256_RE.match(value) else None)


def _parse_html(body: bytes, page_url: str) -> list[_File]:
    parser = _AnchorParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    files = []
    for attrs, text in parser.anchors:
        href = attrs.get("href")
        if not href:
            continue
        url, sha = _split_hash(urllib.parse.urljoin(page_url, href))
        name = text or urllib.parse.unquote(url.rsplit("/", 1)[-1])
        files.append(_File(name, url, sha, None, attrs.get("data-requires-python")))
    return files


def _parse_json(body: bytes, page_url: str) -> list[_File]:
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("not a PEP 691 project page (no 'files' list)")
    files = []
    for entry in data["files"]:
        if not isinstance(entry, dict) or not entry.get("filename") or not entry.get("url"):
            continue
        url, sha = _split_hash(urllib.parse.urljoin(page_url, str(entry["url"])))
        hashes = entry.get("hashes")
        if isinstance(hashes, dict) and _SHA256_RE.match(str(hashes.get("sha256", ""))):
            sha = str(hashes["sha256"]).lower()
        size = entry.get("size")
        rp = entry.get("requires-python")
        files.append(
            _File(
                str(entry["filename"]),
                url,
                sha,
                size if isinstance(size, int) and not isinstance(size, bool) else None,
                rp if isinstance(rp, str) else None,
            )
        )
    return files


def _parse_page(headers: dict, body: bytes, page_url: str) -> list[_File]:
    content_type = headers.get("content-type", "").lower()
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _parse_json(body, page_url)
    return _parse_html(body, page_url)


def _sidecar_sha256(path: Path) -> str | None:
    sidecar = path.with_name(path.name + ".sha256")
    try:
        words = sidecar.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    return words[0].lower() if words and _SHA256_RE.match(words[0]) else None


def _wheelhouse_files(folder: Path) -> list[_File]:
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []
    files = []
    for path in paths:
        if path.name.endswith(".sha256"):
            continue
        try:
            size: int | None = path.stat().st_size
        except OSError:
            size = None
        files.append(_File(path.name, path.resolve().as_uri(), _sidecar_sha256(path), size))
    return files


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pin:
    text: str
    name: NormalizedName
    display: str  # the name as the requirement writes it, for messages
    spec: SpecifierSet
    version: str  # as written after ==


@dataclass
class _Candidate:
    file: _File
    version: Version
    tags: frozenset[Tag] | None  # None: a source archive


@dataclass
class _Listing:
    """What one source holds for the project."""

    source: str  # redacted index URL or wheelhouse folder
    page: str  # redacted project page or wheelhouse folder
    is_wheelhouse: bool
    candidates: list[_Candidate] = field(default_factory=list)


def _parse_pin(requirement: str) -> _Pin:
    try:
        req = Requirement(requirement)
    except InvalidRequirement as err:
        raise _not_exact(requirement) from err
    specs = list(req.specifier)
    if req.url or len(specs) != 1 or specs[0].operator != "==" or specs[0].version.endswith(".*"):
        raise _not_exact(requirement)
    return _Pin(requirement.strip(), canonicalize_name(req.name), req.name, req.specifier, specs[0].version)


def _candidates(files: Sequence[_File], name: NormalizedName) -> list[_Candidate]:
    out = []
    for f in files:
        try:
            if f.filename.endswith(".whl"):
                wname, version, _build, tags = parse_wheel_filename(f.filename)
                if wname == name:
                    out.append(_Candidate(f, version, tags))
            elif f.filename.endswith((".tar.gz", ".zip")):
                sname, version = parse_sdist_filename(f.filename)
                if sname == name:
                    out.append(_Candidate(f, version, None))
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
    return out


def _python_ok(f: _File, python: str) -> bool:
    if not f.requires_python:
        return True
    try:
        return SpecifierSet(f.requires_python).contains(python, prereleases=True)
    except InvalidSpecifier:
        return True  # a broken marker on the index does not hide a file


def _rank(c: _Candidate, priority: dict[Tag, int], python: str) -> int | None:
    if c.tags is None or not _python_ok(c.file, python):
        return None
    ranks = [priority[t] for t in c.tags if t in priority]
    return min(ranks) if ranks else None


# --- the finder -------------------------------------------------------------------------------


@dataclass
class _Outcome:
    listings: list[_Listing] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)  # (redacted url, detail)
    not_found: list[str] = field(default_factory=list)


class _Finder:
    def __init__(
        self,
        target: Target,
        index_urls: Sequence[str],
        wheelhouse: Path | None,
        fetch: Fetch | None,
        timeout_s: float,
    ) -> None:
        if not index_urls and wheelhouse is None:
            raise ValueError("find_wheel needs index_urls, a wheelhouse, or both")
        self.target = target
        self.tags = target.tags()  # validates the target before any request
        self.priority = {t: i for i, t in enumerate(self.tags)}
        self.index_urls = [u for u in index_urls if u]
        self.wheelhouse = Path(wheelhouse) if wheelhouse is not None else None
        self.fetch = fetch or default_fetch
        self.timeout_s = timeout_s
        self.secrets = _secrets(self.index_urls)
        self._dead: dict[str, str] = {}  # index URL -> network error, not asked again in this run

    def find(self, requirement: str) -> WheelFile:
        pin = _parse_pin(requirement)
        outcome = _Outcome()
        for listing in self._listings(pin.name, outcome):
            found = self._choose(pin, listing)
            if found is not None:
                return found
        raise self._failure(pin, outcome)

    def _listings(self, name: NormalizedName, outcome: _Outcome) -> Iterator[_Listing]:
        if self.wheelhouse is not None:
            folder = str(self.wheelhouse)
            listing = _Listing(folder, folder, True, _candidates(_wheelhouse_files(self.wheelhouse), name))
            outcome.listings.append(listing)
            yield listing
        for index in self.index_urls:
            listing_or_none = self._ask_index(index, name, outcome)
            if listing_or_none is not None:
                outcome.listings.append(listing_or_none)
                yield listing_or_none

    def _ask_index(self, index: str, name: NormalizedName, outcome: _Outcome) -> _Listing | None:
        shown = redact_url(index)
        if index in self._dead:
            outcome.unreachable.append((shown, self._dead[index]))
            return None
        # "flat+URL": a plain folder listing of wheels (a --find-links page such as a pytorch-wheels mirror)
        flat = index.startswith(FLAT)
        page = index[len(FLAT) :] if flat else index.rstrip("/") + "/" + name + "/"
        try:
            status, headers, body = self.fetch(page, self.timeout_s)
        except (OSError, http.client.HTTPException, ValueError) as err:
            detail = _scrub(_describe(err), self.secrets)
            self._dead[index] = detail
            outcome.unreachable.append((shown, detail))
            return None
        if status == 404:
            outcome.not_found.append(shown)
            return None
        if status >= 400:
            outcome.unreachable.append((shown, f"HTTP {status}"))
            return None
        try:
            files = _parse_page({str(k).lower(): str(v) for k, v in headers.items()}, body, page)
        except (ValueError, UnicodeDecodeError) as err:
            outcome.unreachable.append((shown, _scrub(f"not a simple index page: {err}", self.secrets)))
            return None
        return _Listing(shown, redact_url(page), False, _candidates(files, name))

    def _choose(self, pin: _Pin, listing: _Listing) -> WheelFile | None:
        ranked: list[tuple[int, _Candidate]] = []
        for c in listing.candidates:
            if pin.spec.contains(c.version, prereleases=True):
                rank = _rank(c, self.priority, self.target.python_version)
                if rank is not None:
                    ranked.append((rank, c))
        if not ranked:
            return None
        versions = sorted({c.version for _, c in ranked})
        if len(versions) > 1:
            raise _ambiguous(pin, listing, versions)
        _rank_value, best = min(ranked, key=lambda rc: (rc[0], rc[1].file.filename))
        f = best.file
        return WheelFile(
            project=pin.name,
            version=str(best.version),
            filename=f.filename,
            url=redact_url(f.url),
            sha256=f.sha256,
            size=f.size,
            source=listing.source,
        )

    def _failure(self, pin: _Pin, outcome: _Outcome) -> RigPilotError:
        with_version = [
            (lst, [c for c in lst.candidates if pin.spec.contains(c.version, prereleases=True)])
            for lst in outcome.listings
        ]
        with_version = [(lst, cs) for lst, cs in with_version if cs]
        wheelhouse_only = not self.index_urls
        if wheelhouse_only:
            return self._wheelhouse_missing(pin, outcome)
        if with_version:
            return self._variant_missing(pin, with_version)
        if outcome.unreachable:
            return _unreachable(outcome, self.timeout_s)
        if any(lst.candidates for lst in outcome.listings):
            return _version_missing(pin, outcome)
        return _not_found(pin, outcome)

    def _expected_name(self, pin: _Pin, candidates: Sequence[_Candidate]) -> str:
        """The file name the target needs: an existing build's platform with the target's Python."""
        dist = pin.name.replace("-", "_")
        plats = self.target.platforms()
        for c in candidates:
            for tag in sorted(c.tags or (), key=str):
                if tag.platform in plats:
                    return f"{dist}-{c.version}-{self.target.cp_tag}-{self.target.cp_tag}-{tag.platform}.whl"
        version = str(candidates[0].version) if candidates else pin.version
        return (
            f"{dist}-{version}-{self.target.cp_tag}-{self.target.cp_tag}-{_platform_pattern(self.target)}.whl"
        )

    def _variant_missing(
        self, pin: _Pin, with_version: list[tuple[_Listing, list[_Candidate]]]
    ) -> RigPilotError:
        candidates = [c for _, cs in with_version for c in cs]
        files = _few([c.file.filename for c in candidates])
        usable = {*self.target.platforms(), "any"}  # Python versions whose files fit this OS/machine
        pythons = sorted(
            {
                t.interpreter
                for c in candidates
                for t in (c.tags or ())
                if t.interpreter.startswith("cp3") and t.platform in usable
            },
            key=lambda s: int(s[3:]) if s[3:].isdigit() else 0,
        )
        expected = self._expected_name(pin, candidates)
        where = with_version[0][0].page
        look = Text(
            "installers",
            "{project} {version} exists, but has no file for Python {python} ({cp}) on {platform}. "
            "Files that exist: {files}.",
            project=pin.display,
            version=pin.version,
            python=self.target.python_version,
            cp=self.target.cp_tag,
            platform=self.target.describe(),
            files=files,
        )
        other = [_python_of(p) for p in pythons if p != self.target.cp_tag]
        if other:
            hint = Text(
                "installers",
                "Use Python {pythons}, which the existing files are built for, or download {expected} "
                "from {where} into a wheelhouse folder and pass it with --wheelhouse.",
                pythons=", ".join(other),
                expected=expected,
                where=where,
            )
        else:
            hint = Text(
                "installers",
                "Download {expected} from {where} (or the vendor's release page) into a wheelhouse folder "
                "and pass it with --wheelhouse, or choose a profile built for {platform}.",
                expected=expected,
                where=where,
                platform=self.target.describe(),
            )
        return RigPilotError(
            "variant-missing",
            look,
            hint,
            context={
                "project": pin.name,
                "version": pin.version,
                "cp": self.target.cp_tag,
                "platform": self.target.describe(),
                "files": [c.file.filename for c in candidates],
                "python_tags": pythons,
                "expected": expected,
                "where": where,
            },
        )

    def _wheelhouse_missing(self, pin: _Pin, outcome: _Outcome) -> RigPilotError:
        folder = str(self.wheelhouse)
        matching = [
            c
            for lst in outcome.listings
            for c in lst.candidates
            if pin.spec.contains(c.version, prereleases=True)
        ]
        expected = self._expected_name(pin, matching)
        present = [c.file.filename for lst in outcome.listings for c in lst.candidates]
        return RigPilotError(
            "wheelhouse-missing-file",
            Text(
                "installers",
                "The wheelhouse {folder} has no file of {project} {version} for Python {python} on "
                "{platform}: expected a file named like {expected}. Files of {project} there: {files}.",
                folder=folder,
                project=pin.display,
                version=pin.version,
                python=self.target.python_version,
                platform=self.target.describe(),
                expected=expected,
                files=_few(present) if present else "-",
            ),
            Text(
                "installers",
                "Download {expected} (from the project's package index or release page) into {folder}, "
                "or give a package index as well.",
                expected=expected,
                folder=folder,
            ),
            context={"folder": folder, "expected": expected, "files": present, "project": pin.name},
        )


# --- errors -----------------------------------------------------------------------------------


def _describe(err: BaseException) -> str:
    if isinstance(err, urllib.error.URLError) and not isinstance(err, urllib.error.HTTPError):
        reason = err.reason
        return str(reason) if not isinstance(reason, str) else reason
    if isinstance(err, TimeoutError):
        return str(err) or "timed out"
    return str(err) or type(err).__name__


def _few(names: Sequence[str]) -> str:
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:SHOWN_FILES])
    return shown + (f" (+{len(unique) - SHOWN_FILES})" if len(unique) > SHOWN_FILES else "")


def _python_of(cp: str) -> str:
    return f"{cp[2]}.{cp[3:]}" if len(cp) > 3 else cp


def _platform_pattern(target: Target) -> str:
    plats = target.platforms()
    if target.os.strip().lower() == "linux":
        return f"manylinux_*_{target.arch}"
    if target.os.strip().lower() == "darwin":
        return f"macosx_*_{plats[0].rsplit('_', 1)[-1]}"
    return plats[0]


def _nearest(wanted: str, versions: Sequence[Version]) -> list[str]:
    ordered = sorted(set(versions))
    try:
        key = Version(wanted)
    except ValueError:
        return [str(v) for v in ordered[-2 * SHOWN_VERSIONS :]]
    below = [v for v in ordered if v < key][-SHOWN_VERSIONS:]
    above = [v for v in ordered if v >= key][:SHOWN_VERSIONS]
    return [str(v) for v in below + above]


def _not_exact(requirement: str) -> RigPilotError:
    return RigPilotError(
        "install-pin-not-exact",
        Text(
            "installers",
            "{requirement} is not an exact pin: the check needs name==version (e.g. torch==2.7.1+cu118).",
            requirement=requirement,
        ),
        Text("installers", "Write the exact version the profile means, with == and without a wildcard."),
        context={"requirement": requirement},
    )


def _target_invalid(target: Target) -> RigPilotError:
    return RigPilotError(
        "install-target-invalid",
        Text(
            "installers",
            "Unknown target: Python {python} on {os} {machine}.",
            python=target.python_version,
            os=target.os,
            machine=target.machine,
        ),
        Text(
            "installers",
            "Give the Python version as 3.X and the OS as linux, windows or darwin (x86_64 or arm64).",
        ),
        context={"python": target.python_version, "os": target.os, "machine": target.machine},
    )


def _ambiguous(pin: _Pin, listing: _Listing, versions: Sequence[Version]) -> RigPilotError:
    shown = [str(v) for v in versions]
    return RigPilotError(
        "variant-ambiguous",
        Text(
            "installers",
            "{requirement} matches several builds on {source}: {versions}. RigPilot does not pick one "
            "silently.",
            requirement=pin.text,
            source=listing.source,
            versions=", ".join(shown),
        ),
        Text(
            "installers",
            "Pin the build with its local label (e.g. {project}=={example}), or use the index that holds "
            "only the wanted build.",
            project=pin.display,
            example=shown[-1],
        ),
        context={"requirement": pin.text, "source": listing.source, "versions": shown},
    )


def _version_missing(pin: _Pin, outcome: _Outcome) -> RigPilotError:
    with_project = [lst for lst in outcome.listings if lst.candidates]
    nearest = _nearest(pin.version, [c.version for lst in with_project for c in lst.candidates])
    sources = ", ".join(lst.source for lst in with_project)
    return RigPilotError(
        "version-missing",
        Text(
            "installers",
            "{project} has no version {version} on {sources}. Nearest versions there: {nearest}.",
            project=pin.display,
            version=pin.version,
            sources=sources,
            nearest=", ".join(nearest),
        ),
        Text(
            "installers",
            "Pin a version that exists, or check that the profile's index URL is the one that holds "
            "this build.",
        ),
        context={"project": pin.name, "version": pin.version, "nearest": nearest, "sources": sources},
    )


def _unreachable(outcome: _Outcome, timeout_s: float) -> RigPilotError:
    detail = "; ".join(f"{url}: {why}" for url, why in outcome.unreachable)
    return RigPilotError(
        "index-unreachable",
        Text("installers", "Could not read the package index ({detail}).", detail=detail),
        Text(
            "installers",
            "Check the network connection and proxy, or choose a mirror; each request waited at most "
            "{timeout} s.",
            timeout=f"{timeout_s:g}",
        ),
        context={"indexes": [url for url, _ in outcome.unreachable], "detail": detail},
    )


def _not_found(pin: _Pin, outcome: _Outcome) -> RigPilotError:
    sources = [lst.source for lst in outcome.listings] + outcome.not_found
    return RigPilotError(
        "index-not-found",
        Text(
            "installers",
            "{project} was not found on {sources}.",
            project=pin.display,
            sources=", ".join(sources),
        ),
        Text(
            "installers",
            "Check the package name, and that the index URL is a simple index (it usually ends in /simple "
            "or, for PyTorch, /whl/<variant>).",
        ),
        context={"project": pin.name, "sources": sources},
    )


# --- the interface ----------------------------------------------------------------------------


def find_wheel(
    requirement: str,
    target: Target,
    *,
    index_urls: Sequence[str] = (),
    wheelhouse: Path | None = None,
    fetch: Fetch | None = None,
    timeout_s: float = 20.0,
) -> WheelFile:
    """The best wheel for an exact pin on the target, or a RigPilotError that says what is missing."""
    return _Finder(target, index_urls, wheelhouse, fetch, timeout_s).find(requirement)


def check_requirements(
    requirements: Sequence[str],
    target: Target,
    *,
    index_urls: Sequence[str] = (),
    wheelhouse: Path | None = None,
    fetch: Fetch | None = None,
    timeout_s: float = 20.0,
) -> list[WheelFile | RigPilotError]:
    """find_wheel for each pin, in order; an index that failed at the network level is asked once."""
    finder = _Finder(target, index_urls, wheelhouse, fetch, timeout_s)
    out: list[WheelFile | RigPilotError] = []
    for requirement in requirements:
        try:
            out.append(finder.find(requirement))
        except RigPilotError as err:
            out.append(err)
    return out

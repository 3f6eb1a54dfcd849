#!/usr/bin/env python3
"""Build RigPilot's downloads on this (Linux) machine, one command each:

    python3 tools/build_dist.py windows --out DIR   # DIR/RigPilot-Setup-<version>.exe (NSIS)
    python3 tools/build_dist.py linux --out DIR     # DIR/RigPilot-<version>-linux-x86_64.tar.gz (PyInstaller)
    python3 tools/build_dist.py lock                # re-resolve release/requirements.lock (needs the index)

The last line printed is the artifact's path. Everything the build needs it gets itself: makensis
through apt-get (package ``nsis``) when it runs as root, PyInstaller (pyproject's ``dist`` extra)
into a build venv, the Windows ``uv.exe`` from the registry's ``uv`` wheel for win_amd64 at
pyproject's pin. Both artifacts are made from release/requirements.lock (every dependency pinned,
every file's hash; torch is never in it): the Windows first start installs exactly it, the Linux
bundle is frozen from a venv made from it. An artifact whose inputs (sources, lock, release/
files, tool versions) have not changed since it was built is kept (``--force`` rebuilds); the
downloads and the build venv are cached in ``$RIGPILOT_DIST_CACHE`` (default
``~/.cache/rigpilot-dist``). How the pieces fit: release/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: app.version, probes.core.i18n and tools.dist_text
    sys.path.insert(0, str(ROOT))

from app.version import read_version  # noqa: E402
from tools import dist_text  # noqa: E402

RELEASE = ROOT / "release"
LOCK = RELEASE / "requirements.lock"
MIRRORS = ROOT / "profiles" / "data" / "tables" / "mirrors.toml"
ICON_ICO = ROOT / "assets" / "icons" / "rigpilot.ico"
# The Python the Windows first start installs (uv python install): the newest that every Windows
# torch build RigPilot installs later has wheels for (torch-directml: 3.8-3.12, see
# probes/detect/sources/runtime.py).
WINDOWS_PYTHON = "3.12"
LANGS = ("en", "zh_CN")
# what the Windows payload and the Linux bundle carry of the repository (tests, tools, docs stay out)
PAYLOAD_FILES = ("main.py", "pyproject.toml", "README.md")
PAYLOAD_DIRS = ("app", "probes", "profiles", "installers", "assets")
STEP_TIMEOUT_S = 1800.0
# characters a value must not have to be written into a cmd "set" line and echoed unquoted
CMD_UNSAFE = set('%!^"&|<>\r\n')


class BuildError(Exception):
    """A build failure the person can act on: a stable code, a message and a hint."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


# ------------------------------------------------------------------------------------------ helpers
def default_cache() -> Path:
    return Path(os.environ.get("RIGPILOT_DIST_CACHE") or Path.home() / ".cache" / "rigpilot-dist")


def run(argv: list, *, timeout: float = STEP_TIMEOUT_S, cwd: Path | None = None, env: dict | None = None):
    """Run one build step (argv list, no shell, a timeout); a failure is a BuildError with the tail
    of what the step printed."""
    argv = [str(a) for a in argv]
    print("+", " ".join(argv), flush=True)
    try:
        proc = subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, errors="replace", timeout=timeout
        )
    except FileNotFoundError:
        raise BuildError(
            "dist-tool-missing", f"{argv[0]} was not found.", "Install it (see release/README.md)."
        ) from None
    except subprocess.TimeoutExpired:
        raise BuildError(
            "dist-step-timed-out",
            f"{Path(argv[0]).name} did not finish within {timeout:g} s.",
            "Check the network connection and run the build again.",
        ) from None
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-25:]
        raise BuildError(
            "dist-step-failed",
            f"{Path(argv[0]).name} failed (exit code {proc.returncode}):\n    " + "\n    ".join(tail),
            "Fix what the step said above, then run the build again.",
        )
    return proc


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            raise BuildError(
                "dist-needs-tomllib",
                "Reading TOML needs Python 3.11 or the tomli package.",
                "Run the build with python3.11 or newer, or pip install tomli.",
            ) from None
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise BuildError(
            "dist-bad-input", f"Cannot read {path}: {exc}", "Restore the file from git."
        ) from None


# ------------------------------------------------------------------------------- project metadata
def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    version = read_version(pyproject.read_text(encoding="utf-8"))
    if not version or not re.fullmatch(r"[0-9]+(\.[0-9]+){0,3}([a-z]+[0-9]*)?", version):
        raise BuildError(
            "dist-bad-version",
            f"pyproject.toml's [project] version is {version!r}.",
            'Set it to a release number such as "0.1.0".',
        )
    return version


def version_quad(version: str) -> str:
    """'0.1.0' -> '0.1.0.0' (Windows file versions are four numbers)."""
    nums = [int(n) for n in re.findall(r"[0-9]+", version)[:4]]
    return ".".join(str(n) for n in (nums + [0, 0, 0, 0])[:4])


def exact_pin(requirements: list[str], name: str) -> str:
    """The version of ``name==X`` among ``requirements``; an error unless it is exactly pinned."""
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([A-Za-z0-9_.+!-]+)\s*", req.split(";")[0])
        if m and re.sub(r"[-_.]+", "-", m.group(1)).lower() == name:
            return m.group(2)
    raise BuildError(
        "dist-pin-missing",
        f"pyproject.toml does not pin {name} exactly (name==version).",
        f"Pin it in pyproject.toml: the distributables carry that exact {name}.",
    )


def pyproject_data() -> dict:
    return load_toml(ROOT / "pyproject.toml")


def uv_pin() -> str:
    return exact_pin(list(pyproject_data()["project"]["dependencies"]), "uv")


def pyinstaller_pin() -> str:
    extras = pyproject_data()["project"].get("optional-dependencies", {})
    return exact_pin(list(extras.get("dist", [])), "pyinstaller")


# ------------------------------------------------------------------------------------------- lock
def parse_lock(text: str) -> dict[str, list[dict]]:
    """release/requirements.lock (``uv pip compile --generate-hashes --universal``) as
    {name: [{"version", "marker", "hashes"}]} (a name has several entries when Pythons differ)."""
    out: dict[str, list[dict]] = {}
    current: dict | None = None
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        m = re.match(r"([A-Za-z0-9_.-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if m:
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            current = {"version": m.group(2), "marker": (m.group(3) or "").strip(), "hashes": set()}
            out.setdefault(name, []).append(current)
            continue
        h = re.match(r"--hash=sha256:([0-9a-f]{64})", line)
        if h and current is not None:
            current["hashes"].add(h.group(1))
    return out


def check_lock(lock: dict[str, list[dict]], dependencies: list[str], uv_version: str) -> list[str]:
    """What is wrong with the lock against pyproject: a dependency missing, uv not at the pin,
    an entry without hashes, torch inside. [] when it is usable."""
    problems = []
    for dep in dependencies:
        name = re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", dep.strip(), maxsplit=1)[0]).lower()
        if name not in lock:
            problems.append(f"{name} (from pyproject.toml) is not in the lock")
    if [e["version"] for e in lock.get("uv", [])] != [uv_version]:
        problems.append(f"the lock's uv is not {uv_version}")
    problems += [f"{n}=={e['version']} has no hash" for n, es in lock.items() for e in es if not e["hashes"]]
    problems += [f"{n} must never be in RigPilot's own lock" for n in lock if n.startswith("torch")]
    return problems


def read_checked_lock() -> tuple[str, dict[str, list[dict]]]:
    if not LOCK.is_file():
        raise BuildError(
            "dist-lock-missing", f"{LOCK} is missing.", "Re-resolve it: python3 tools/build_dist.py lock"
        )
    text = LOCK.read_text(encoding="utf-8")
    lock = parse_lock(text)
    problems = check_lock(lock, list(pyproject_data()["project"]["dependencies"]), uv_pin())
    if problems:
        raise BuildError(
            "dist-lock-stale",
            "release/requirements.lock does not match pyproject.toml: " + "; ".join(problems) + ".",
            "Re-resolve it: python3 tools/build_dist.py lock (then commit it).",
        )
    return text, lock


def relock(cache: Path) -> Path:
    """``uv pip compile`` pyproject's dependencies into the hashed universal lock (keeping the
    versions already locked unless pyproject needs others)."""
    venv = ensure_tool_venv(cache, [f"uv=={uv_pin()}"], "uv")
    run(
        [
            venv_bin(venv, "uv"),
            "pip",
            "compile",
            "pyproject.toml",
            "--universal",
            "--generate-hashes",
            "--python-version",
            "3.10",
            "--no-config",
            "--custom-compile-command",
            "python3 tools/build_dist.py lock",
            "-o",
            str(LOCK.relative_to(ROOT)),
        ],
        cwd=ROOT,
    )
    read_checked_lock()
    return LOCK


# ------------------------------------------------------------------------------------------ mirrors
def mirror_rows() -> list[dict]:
    return list(load_toml(MIRRORS).get("row", []))


def ordered_mirrors(rows: list[dict], kind: str, lang: str) -> list[dict]:
    """The rows of ``kind``, China mainland first for zh_CN and the global ones first otherwise
    (the table's order kept within each group)."""
    mine = [r for r in rows if r.get("kind") == kind and r.get("url")]
    first = "cn" if lang == "zh_CN" else "global"
    return [r for r in mine if r.get("region") == first] + [r for r in mine if r.get("region") != first]


def cmd_value(value: str, what: str) -> str:
    bad = sorted(set(value) & CMD_UNSAFE)
    if bad:
        raise BuildError(
            "dist-unsafe-value",
            f"{what} contains {''.join(bad)!r}, which the Windows bootstrap cannot print safely: {value!r}",
            'Reword it without % ! ^ " & | < > or line breaks.',
        )
    return value


def crlf(lines: list[str]) -> bytes:
    """A cmd file: UTF-8 without BOM (a BOM breaks the first line), CRLF line ends."""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def render_mirrors_cmd(rows: list[dict], lang: str) -> bytes:
    lines = [f"rem download mirrors for {lang}, from profiles/data/tables/mirrors.toml (tools/build_dist.py)"]
    for kind, var in (("pypi", "PYPI"), ("python", "PYTHON")):
        chosen = ordered_mirrors(rows, kind, lang)
        if not chosen:
            raise BuildError(
                "dist-no-mirror", f"mirrors.toml has no row of kind {kind}.", "Add one (see its header)."
            )
        lines.append(f'set "RP_{var}_COUNT={len(chosen)}"')
        for i, row in enumerate(chosen, 1):
            lines.append(f'set "RP_{var}_{i}_TITLE={cmd_value(row.get("title") or row["name"], "a title")}"')
            lines.append(f'set "RP_{var}_{i}_URL={cmd_value(row["url"], "a mirror URL")}"')
    return crlf(lines)


def render_messages_cmd(lang: str, version: str, python: str) -> bytes:
    lines = [f"rem the bootstrap's messages in {lang}, from tools/dist_text.py (assets/i18n/dist_zh_CN.ts)"]
    for key, text in dist_text.BOOTSTRAP.items():
        value = dist_text.render(text, lang, version=version, python=python)
        lines.append(f'set "M_{key}={cmd_value(value, "message " + key)}"')
    return crlf(lines)


def render_config_cmd(version: str, python: str) -> bytes:
    return crlf([f'set "RP_VERSION={cmd_value(version, "version")}"', f'set "RP_PYTHON={python}"'])


# ------------------------------------------------------------------------------------------ sources
def source_files() -> list[str]:
    """The repository files a distributable carries (tracked or new, never ignored ones), relative."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
        )
        names = [n for n in proc.stdout.decode("utf-8").split("\0") if n] if proc.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        names = None
    if names is None:  # not a git checkout: every file, without caches
        names = [
            p.relative_to(ROOT).as_posix()
            for p in ROOT.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".qm"))
        ]
    keep = [
        n
        for n in names
        if (n in PAYLOAD_FILES or n.split("/", 1)[0] in PAYLOAD_DIRS) and (ROOT / n).is_file()
    ]
    return sorted(keep)


def inputs_digest(files: list[str], extra: list[str]) -> str:
    h = hashlib.sha256()
    for name in files:
        h.update(name.encode("utf-8") + b"\0")
        h.update(hashlib.sha256((ROOT / name).read_bytes()).digest())
    for item in extra:
        h.update(b"\1" + item.encode("utf-8"))
    return h.hexdigest()


def release_files(sub: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (RELEASE / sub).rglob("*") if p.is_file()) + [
        "release/requirements.lock",
        "tools/build_dist.py",
        "tools/dist_text.py",
    ]


def up_to_date(artifact: Path, digest: str) -> bool:
    stamp = artifact.with_name(artifact.name + ".inputs")
    return artifact.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest


def mark_built(artifact: Path, digest: str) -> None:
    artifact.with_name(artifact.name + ".inputs").write_text(digest + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------- tools
def ensure_apt_tool(command: str, package: str) -> str:
    """``command`` on PATH, installed with apt-get when missing and this runs as root."""
    found = shutil.which(command)
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], env=env, timeout=600)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], env=env, timeout=900)
        found = shutil.which(command)
        if found:
            return found
    raise BuildError(
        "dist-tool-missing",
        f"{command} is not installed, and this build cannot install it (it is not root or has no apt-get).",
        f"Install the package {package} (Debian/Ubuntu: sudo apt-get install {package}) and build again.",
    )


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_tool_venv(cache: Path, requirements: list[str], label: str, lock: Path | None = None) -> Path:
    """A venv in the cache with ``requirements`` (and the hashed ``lock``, when given) installed
    with this Python; made once, made again when what it should hold changes."""
    tag = f"{label}-cp{sys.version_info[0]}{sys.version_info[1]}"
    venv = cache / f"venv-{tag}"
    want = "\n".join(requirements) + "\n" + (hashlib.sha256(lock.read_bytes()).hexdigest() if lock else "")
    stamp = venv / ".rigpilot-dist"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == want and venv_bin(venv, "python").exists():
        return venv
    if venv.exists():
        shutil.rmtree(venv)
    run([sys.executable, "-m", "venv", venv], timeout=300)
    py = venv_bin(venv, "python")
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if lock is not None:  # the exact files of the lock, hashes checked
        run([*pip, "--require-hashes", "--no-deps", "-r", lock])
    run([*pip, *requirements])
    stamp.write_text(want, encoding="utf-8")
    return venv


def windows_uv_exe(cache: Path, version: str, lock: dict[str, list[dict]]) -> Path:
    """uv.exe from the registry's uv wheel for win_amd64 at ``version``, its hash checked against
    the lock's hashes for that uv."""
    target = cache / f"uv-{version}-win_amd64" / "uv.exe"
    if target.is_file():
        return target
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--disable-pip-version-check",
            "-q",
            f"uv=={version}",
            "--platform",
            "win_amd64",
            "--only-binary=:all:",
            "--no-deps",
            "-d",
            downloads,
        ],
        timeout=600,
    )
    wheels = sorted(downloads.glob(f"uv-{version}-*win_amd64.whl"))
    if not wheels:
        raise BuildError(
            "dist-uv-wheel-missing",
            f"pip did not download uv {version} for win_amd64.",
            "Check that the package index has that version for Windows x64.",
        )
    wheel = wheels[0]
    allowed = {h for e in lock.get("uv", []) for h in e["hashes"]}
    digest = sha256_file(wheel)
    if digest not in allowed:
        wheel.unlink()
        raise BuildError(
            "dist-uv-hash-mismatch",
            f"{wheel.name} has sha256 {digest}, which release/requirements.lock does not list.",
            "Download it again; if it persists, re-resolve the lock (python3 tools/build_dist.py lock).",
        )
    with zipfile.ZipFile(wheel) as zf:
        member = f"uv-{version}.data/scripts/uv.exe"
        if member not in zf.namelist():
            raise BuildError(
                "dist-uv-wheel-bad",
                f"{wheel.name} has no {member}.",
                "Report this: the wheel's layout changed.",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(zf.read(member))
        tmp.replace(target)
    return target


def copy_sources(files: list[str], dest: Path) -> None:
    for name in files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


# ------------------------------------------------------------------------------------------ windows
def write_bootstrap(boot: Path, uv_exe: Path, lock_text: str, version: str) -> str:
    """The payload's bootstrap\\ folder: bootstrap.cmd (CRLF), uv.exe, the lock and its hash, and the
    files the script reads (config, messages and mirrors per language). Returns the lock's hash."""
    boot.mkdir(parents=True, exist_ok=True)
    script = (RELEASE / "windows" / "bootstrap.cmd").read_text(encoding="utf-8")
    (boot / "bootstrap.cmd").write_bytes(crlf(script.splitlines()))
    shutil.copy2(uv_exe, boot / "uv.exe")
    (boot / "requirements.lock").write_text(lock_text, encoding="utf-8")
    lock_sha = hashlib.sha256(lock_text.encode("utf-8")).hexdigest()
    (boot / "lock.sha256").write_bytes(crlf([lock_sha]))
    (boot / "config.cmd").write_bytes(render_config_cmd(version, WINDOWS_PYTHON))
    rows = mirror_rows()
    for lang in LANGS:
        (boot / f"messages-{lang}.cmd").write_bytes(render_messages_cmd(lang, version, WINDOWS_PYTHON))
        (boot / f"mirrors-{lang}.cmd").write_bytes(render_mirrors_cmd(rows, lang))
    return lock_sha


def nsis_defines(version: str) -> list[str]:
    return [
        "-V2",
        "-INPUTCHARSET",
        "UTF8",
        f"-DRP_VERSION={version}",
        f"-DRP_VERSION_QUAD={version_quad(version)}",
        f"-DRP_ICON={ICON_ICO}",
    ]


def build_launcher(makensis: str, out_exe: Path, version: str, lock_sha: str) -> Path:
    """RigPilot.exe (release/windows/launcher.nsi) for a lock whose hash is ``lock_sha``."""
    out_exe.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            makensis,
            *nsis_defines(version),
            f"-DRP_LOCK_SHA256={lock_sha}",
            f"-DRP_OUT={out_exe}",
            RELEASE / "windows" / "launcher.nsi",
        ],
        timeout=300,
    )
    return out_exe


def build_windows(out: Path, cache: Path, force: bool = False) -> Path:
    version = project_version()
    lock_text, lock = read_checked_lock()
    uv_version = uv_pin()
    files = source_files()
    artifact = out / f"RigPilot-Setup-{version}.exe"
    digest = inputs_digest(
        files + release_files("windows"), [version, uv_version, WINDOWS_PYTHON, "windows/1"]
    )
    if not force and up_to_date(artifact, digest):
        print(f"{artifact.name} is up to date (its inputs did not change)", flush=True)
        return artifact
    makensis = ensure_apt_tool("makensis", "nsis")
    uv_exe = windows_uv_exe(cache, uv_version, lock)
    stage = cache / "stage-windows"
    if stage.exists():
        shutil.rmtree(stage)
    payload = stage / "payload"
    copy_sources(files, payload / "app")
    lock_sha = write_bootstrap(payload / "bootstrap", uv_exe, lock_text, version)
    shutil.copy2(ICON_ICO, payload / "rigpilot.ico")
    build_launcher(makensis, payload / "RigPilot.exe", version, lock_sha)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (artifact.name + ".part")
    run(
        [
            makensis,
            *nsis_defines(version),
            f"-DRP_PAYLOAD={payload}",
            f"-DRP_OUT={tmp}",
            RELEASE / "windows" / "RigPilot.nsi",
        ],
        timeout=900,
    )
    tmp.replace(artifact)
    mark_built(artifact, digest)
    return artifact


# -------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 tools/build_dist.py",
        description="Build RigPilot's Windows setup program or Linux bundle.",
    )
    parser.add_argument("target", choices=("windows", "linux", "lock"))
    parser.add_argument("--out", type=Path, help="folder for the artifact (default: build/dist)")
    parser.add_argument("--cache", type=Path, help="download and build cache (default: $RIGPILOT_DIST_CACHE)")
    parser.add_argument("--force", action="store_true", help="build even if the artifact is up to date")
    args = parser.parse_args(argv)
    out = (args.out or ROOT / "build" / "dist").resolve()
    cache = (args.cache or default_cache()).resolve()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if args.target == "windows":
            artifact = build_windows(out, cache, args.force)
        elif args.target == "linux":
            from tools.dist_linux import build_linux

            artifact = build_linux(out, cache, args.force)
        else:
            artifact = relock(cache)
    except BuildError as err:
        sys.stderr.write(f"error [{err.code}]: {err.message}\n  hint: {err.hint}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(
            f"error [dist-io-error]: {exc}\n  hint: check that --out and the cache folder are writable.\n"
        )
        return 2
    size = artifact.stat().st_size if artifact.is_file() else 0
    print(f"{artifact.name}: {size / 1e6:.1f} MB", flush=True)
    print(artifact, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Every tracked file stands on its own: no absolute path of a developer's machine, no citation of files
that live outside the repository (the developers' private ``../shared`` folder), which a user cannot open.

Each check lists every offender (file:line: text), not just the first.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THIS = "tests/test_repo_hygiene.py"  # it spells the patterns out

# (a) Absolute paths of a developer's machine. The lookbehind keeps relative paths such as
# ``DIR/root/sys`` (probes/core/replay.py) or ``/var/tmp`` from matching.
_START = r"(?<![\w.~/\\-])"
_NAME = r"([A-Za-z0-9][\w.-]*)"
MACHINE_PATTERNS = (
    ("home folder", re.compile(_START + r"/home/" + _NAME + r"(?=[/\\])")),
    ("macOS home folder", re.compile(_START + r"/Users/" + _NAME + r"(?=[/\\])")),
    ("Windows profile", re.compile(r"\b[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/)" + _NAME + r"(?=[\\/])")),
    # spelled in pieces so that this file itself holds no such path (the stop hook greps for them)
    ("root's home", re.compile(_START + "/" + "root" + "/")),
    ("/work path", re.compile(_START + "/" + "work" + "/")),
    ("fixed /tmp path", re.compile(_START + r"/tmp/")),
    ("pyenv interpreter", re.compile(r"\.pyenv/versions")),
)
# Clearly synthetic user names, allowed in test data and in the simulated rigs only:
# - ann, bob, carol, dave: the redaction tests' made-up users (tests/app/test_report.py); me: the made-up user
#   of the ``py -0p`` outputs in tests/detect/sources/test_hostinfo.py;
# - user, root: generic names the redaction must leave alone (tests/app/test_report.py);
# - rig: the made-up account of the simulated Windows rigs (tools/make_windows_rigs.py, assets/rigs/*);
# - tech-renaissance: not a developer of this project but the account in the public mthreads-gmi capture
#   tests/data/mthreads-gmi/s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt; the GUI/report tests use it on purpose
#   to check that it is redacted.
SYNTHETIC_USERS = {"ann", "bob", "carol", "dave", "me", "user", "root", "rig", "tech-renaissance"}
SYNTHETIC_PLACES = ("tests/", "assets/rigs/", "tools/make_windows_rigs.py")

# (b) Files outside the repository: the private research notes, guides, design notes and fixtures.
OUTSIDE_PATTERNS = (
    re.compile(r"\.\./shared\b"),
    re.compile(r"\bshared/(?:research|sources|fixtures|hooks|DESIGN|STYLE|README)"),
    re.compile(r"\b(?:installers|monitoring|style)_anchors\.md"),
    re.compile(r"\bmusa_and_domestic\.md"),
    re.compile(r"(?<![\w/])(?:DESIGN|STYLE)\.md"),
    re.compile(r"(?<![\w./])sources/00\d\b"),
)
# Developer-only places that may name ../shared: the CI script runs with shared/ beside the clone.
OUTSIDE_ALLOWED = {".ci/run"}


def tracked_texts():
    """(path, text) of every tracked file that is text (binary files: a NUL byte in the first 8 KiB)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout (or no git): nothing tracked to check")
    files = []
    for name in out.decode("utf-8", "surrogateescape").split("\0"):
        path = ROOT / name
        if not name or name == THIS or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        files.append((name, data.decode("utf-8", "replace")))
    assert files, "git ls-files listed no text file"
    return files


@pytest.fixture(scope="module")
def texts():
    return tracked_texts()


def _offenders(texts, find):
    found = []
    for name, text in texts:
        for n, line in enumerate(text.splitlines(), 1):
            why = find(name, line)
            if why:
                found.append(f"{name}:{n}: [{why}] {line.strip()[:160]}")
    return found


def machine_path(name: str, line: str) -> str | None:
    for why, pattern in MACHINE_PATTERNS:
        for m in pattern.finditer(line):
            user = m.group(1).lower() if pattern.groups else None
            if user in SYNTHETIC_USERS and name.startswith(SYNTHETIC_PLACES):
                continue
            return why
    return None


def this_machine_paths() -> list[str]:
    """Absolute paths of the machine running the tests: its home folder and this checkout's folder."""
    paths = [str(ROOT)]
    home = os.path.expanduser("~")
    if home not in ("~", "/", ""):
        paths.append(home)
    return [p for p in paths if len(p) > 4]


def test_no_absolute_path_of_a_developer_machine(texts):
    found = _offenders(texts, machine_path)
    assert not found, (
        "absolute paths of a developer's machine in tracked files (use a relative path, "
        "a tmp_path fixture or a clearly synthetic name):\n" + "\n".join(found)
    )


def test_no_path_of_this_machine(texts):
    mine = this_machine_paths()

    def find(name, line):
        hit = next((p for p in mine if re.search(_START + re.escape(p) + r"(?![\w.-])", line)), None)
        return f"this machine: {hit}" if hit else None

    found = _offenders(texts, find)
    assert not found, "paths of this machine in tracked files:\n" + "\n".join(found)


def outside_reference(name: str, line: str) -> str | None:
    if name in OUTSIDE_ALLOWED:
        return None
    for pattern in OUTSIDE_PATTERNS:
        m = pattern.search(line)
        if m:
            return m.group(0)
    return None


def test_no_reference_to_files_outside_the_repository(texts):
    found = _offenders(texts, outside_reference)
    assert not found, (
        "tracked files cite files outside the repository; cite what a user can open "
        "(URL, repository + file, issue or PR):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("/home/alice/venv/bin/python", True),
        ("C:\\Users\\alice\\AppData\\x", True),
        ("C:\\\\Users\\\\alice\\\\AppData", True),
        ("/Users/alice/Library", True),
        ("/" + "root/.cache/x", True),
        ("python at /" + "work/venv/bin/python", True),
        ("log to /tmp/x.log", True),
        ("~/.pyenv/versions/3.12.1/bin/python", True),
        ("DIR/root/sys/class", False),
        ("/var/tmp/x", False),
        ("/home/<user>/x", False),
        ("/opt/mxdriver/bin", False),
        ("~/venv/bin/python", False),
    ],
)
def test_machine_patterns(line, bad):
    assert bool(machine_path("app/x.py", line)) is bad


def test_synthetic_names_only_in_test_data():
    assert machine_path("tests/data/x.json", "/home/ann/comfy/python") is None
    assert machine_path("app/x.py", "/home/ann/comfy/python")


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("see ../shared/DESIGN.md", True),
        ("(shared/research/musa_and_domestic.md §2.1)", True),
        ("research/installers_anchors.md §3.1", True),
        ("the guide (sources/002)", True),
        ("STYLE.md §11", True),
        ("docs/ARCHITECTURE.md", False),
        ("https://github.com/MooreThreads/torch_musa/issues/27", False),
        ("probes/detect/sources/pci.py", False),
    ],
)
def test_outside_patterns(line, bad):
    assert bool(outside_reference("app/x.py", line)) is bad

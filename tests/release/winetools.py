"""Running the Windows pieces under wine: a prefix of their own (installs write its registry), the
UTF-8 locale the launcher tests build (tests/installers/test_scripts.py), a zh_CN one for the
installer's language, and waiting for every process the command started (wineserver -w)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.installers.test_scripts import _utf8_locale, winpath
from tests.release.conftest import CACHE, unavailable

PREFIX = CACHE / "wineprefix-dist"
__all__ = ["PREFIX", "locale_env", "run_wine", "winpath", "wine_user_dir"]


def locale_env(lang: str = "en") -> dict:
    """hi_IN.UTF-8 (a Unicode-only Windows locale, so cmd reads UTF-8; English to the installer) or
    zh_CN.UTF-8 (Chinese (Simplified): the installer picks its Chinese pages)."""
    env = _utf8_locale()
    if lang == "zh_CN":
        loc = Path(env["LOCPATH"])
        if not (loc / "zh_CN.UTF-8").is_dir():
            proc = subprocess.run(
                ["localedef", "-i", "zh_CN", "-f", "UTF-8", str(loc / "zh_CN.UTF-8")],
                capture_output=True,
                timeout=120,
            )
            if not (loc / "zh_CN.UTF-8").is_dir():
                unavailable(f"could not build the zh_CN.UTF-8 locale: {proc.stderr[-300:]!r}")
        env.update(LC_ALL="zh_CN.UTF-8", LANG="zh_CN.UTF-8")
    return env


def wine_env(lang: str = "en", extra: dict | None = None) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.path.expanduser("~"),
        "WINEDEBUG": "-all",
        "WINEPREFIX": str(PREFIX),
        "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
        **locale_env(lang),
    }
    env.update(extra or {})
    return env


def run_wine(argv: list[str], *, lang="en", extra_env=None, cwd=None, stdin=b"", timeout=180):
    """``wine ARGV...``, then wait until every process it started has ended."""
    if not shutil.which("wine"):
        pytest.skip("wine is missing")
    env = wine_env(lang, extra_env)
    proc = subprocess.run(
        ["wine", *argv], input=stdin, capture_output=True, env=env, cwd=cwd, timeout=timeout
    )
    subprocess.run(["wineserver", "-w"], env=env, timeout=timeout)
    return proc


def wine_user_dir() -> Path:
    """C:\\users\\<user> of the prefix (wine names it after the unix user)."""
    users = PREFIX / "drive_c" / "users"
    mine = [p for p in users.iterdir() if p.name not in ("Public",) and (p / "AppData").is_dir()]
    assert mine, list(users.iterdir())
    return mine[0]

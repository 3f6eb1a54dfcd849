"""Load the TOML profile data (``profiles/data``) into frozen dataclasses.

``load_catalog()`` raises ProfileError (file + line) on the first bad file; with an error list
``load_dir()`` collects every error instead (``profiles.validation.validate_dir`` uses it so that
``profiles validate`` reports them all).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dependency there)
    import tomli as tomllib

from profiles import schema
from profiles.schema import AppProfile, HardwareProfile, ProfileError, Table

DATA_DIR = Path(__file__).resolve().parent / "data"
_Loaded = TypeVar("_Loaded", HardwareProfile, AppProfile, Table)


@dataclass(frozen=True)
class Catalog:
    hardware: tuple[HardwareProfile, ...]  # sorted by id
    apps: tuple[AppProfile, ...]  # sorted by id
    tables: dict[str, Table]  # id -> Table

    def profile(self, pid: str) -> HardwareProfile | None:
        return next((p for p in self.hardware if p.id == pid), None)

    def app(self, aid: str) -> AppProfile | None:
        return next((a for a in self.apps if a.id == aid), None)

    def table(self, tid: str) -> Table:
        return self.tables[tid]


def _read(path: Path, root: Path) -> tuple[dict, str, str]:
    rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(rel, None, f"cannot read the file: {exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ProfileError(rel, int(m.group(1)) if m else None, f"TOML syntax error: {exc}") from None
    return doc, text, rel


def _load_files(
    root: Path, sub: str, parse: Callable[[dict, str, str], _Loaded], errors: list[ProfileError] | None
) -> list[_Loaded]:
    """Every ``root/sub/*.toml`` through ``parse``; a bad file raises, or is collected into ``errors``."""
    loaded = []
    for path in sorted((root / sub).glob("*.toml")):
        try:
            doc, text, rel = _read(path, root)
            loaded.append(parse(doc, rel, text))
        except ProfileError as err:
            if errors is None:
                raise
            errors.append(err)
    return loaded


def load_dir(root: Path, errors: list[ProfileError] | None) -> Catalog:
    """The catalog in ``root``. Without ``errors`` the first bad file raises its ProfileError; with a
    list, every error goes into it and the catalog holds the files that loaded."""
    hardware = _load_files(root, "hardware", schema.hardware_profile, errors)
    apps = _load_files(root, "apps", schema.app_profile, errors)
    tables = {t.id: t for t in _load_files(root, "tables", schema.table, errors)}
    seen: dict[str, str] = {}
    profiles: list[HardwareProfile | AppProfile] = [*hardware, *apps]
    for obj in profiles:
        if obj.id in seen:
            duplicate = ProfileError(obj.path, None, f"duplicate id '{obj.id}' (also in {seen[obj.id]})")
            if errors is None:
                raise duplicate
            errors.append(duplicate)
        seen[obj.id] = obj.path
    return Catalog(
        tuple(sorted(hardware, key=lambda p: p.id)), tuple(sorted(apps, key=lambda a: a.id)), tables
    )


@functools.lru_cache(maxsize=4)
def load_catalog(root: Path | str | None = None) -> Catalog:
    return load_dir(Path(root) if root else DATA_DIR, None)


__all__ = [
    "AppProfile",
    "Catalog",
    "HardwareProfile",
    "ProfileError",
    "Table",
    "load_catalog",
]

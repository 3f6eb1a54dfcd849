"""``profiles validate``: every error in a profile data folder, not only the first.

Each file is checked alone against the schema while it is loaded (``profiles.schema``, through
``profiles.loader.load_dir``); the checks here need the whole catalog: required tables, the
hsa-override table against the ROCm index table, a fallback profile, packages of static profiles.
"""

from __future__ import annotations

from pathlib import Path

from profiles.gfx import gfx_major, hsa_target
from profiles.loader import DATA_DIR, Catalog, load_dir
from profiles.schema import ProfileError

REQUIRED_TABLES = (
    "advisor",
    "cuda-driver-floors",
    "cuda-toolkit-drivers",
    "torch-cuda-variants",
    "rocm-gfx",
    "hsa-override",
    "torch-directml",
    "nvidia-precision",
    "vram-modes",
)


def consistency_errors(cat: Catalog) -> list[ProfileError]:
    """Errors no single file shows: what the files say about each other."""
    errors = []
    for tid in REQUIRED_TABLES:
        if tid not in cat.tables:
            errors.append(ProfileError("profiles/data/tables", None, f"table '{tid}' is missing"))
    if "hsa-override" in cat.tables and "rocm-gfx" in cat.tables:
        served = {g for row in cat.tables["rocm-gfx"].rows for g in row["gfx"]}
        t = cat.tables["hsa-override"]
        for row in t.rows:
            target = hsa_target(row["value"])
            for gfx in row["gfx"]:
                if gfx in served:
                    errors.append(
                        ProfileError(
                            t.path, row.line, f"{gfx} is served by a ROCm index and must not get an override"
                        )
                    )
                if gfx_major(gfx) != gfx_major(target or ""):
                    errors.append(
                        ProfileError(
                            t.path, row.line, f"override {row['value']} for {gfx} crosses a major version"
                        )
                    )
            if target not in served:
                errors.append(
                    ProfileError(t.path, row.line, f"override target {target} is served by no ROCm index")
                )
    if not any(p.match.fallback for p in cat.hardware):
        errors.append(
            ProfileError("profiles/data/hardware", None, "no fallback profile (match.fallback = true)")
        )
    for p in cat.hardware:
        if p.strategy == "static" and not p.packages:
            errors.append(ProfileError(p.path, None, "a static profile must list its packages"))
    return errors


def validate_dir(root: Path | str | None = None) -> tuple[Catalog, list[ProfileError]]:
    """Load ``root`` (default: the shipped data) collecting every error; the cross-file checks run only
    when every file loaded."""
    errors: list[ProfileError] = []
    cat = load_dir(Path(root) if root else DATA_DIR, errors)
    if not errors:
        errors.extend(consistency_errors(cat))
    return cat, errors

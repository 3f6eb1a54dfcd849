"""AMD gfx target names: the major version of a target and the target an HSA_OVERRIDE_GFX_VERSION value
stands for. A leaf module (standard library only), used by the matcher and by the validation of the
hsa-override table."""

from __future__ import annotations

import re


def gfx_major(gfx: str | None) -> int | None:
    """'gfx1030' -> 10, 'gfx906' -> 9; None for anything that is not a gfx target."""
    m = re.fullmatch(r"gfx([0-9a-f]+)", gfx or "")
    if not m:
        return None
    digits = m.group(1)
    try:
        return int(digits[:2]) if len(digits) >= 4 else int(digits[:1])
    except ValueError:
        return None


def hsa_target(value: str) -> str | None:
    """'10.3.0' -> 'gfx1030', '9.0.0' -> 'gfx900'; None if ``value`` is not major.minor.stepping."""
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", value)
    if not m:
        return None
    major, minor, step = (int(x) for x in m.groups())
    return f"gfx{major}{minor:x}{step:x}"

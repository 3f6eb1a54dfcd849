"""Where RigPilot keeps what it writes between runs: the data folder (settings, smoke-test history
and images, monitor logs, compiled translations), shared by the command line and the GUI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def default_data_dir(env: Mapping[str, str] | None = None, os_name: str | None = None) -> Path:
    """``RIGPILOT_DATA_DIR`` if set, else ``%LOCALAPPDATA%\\RigPilot`` on Windows and
    ``$XDG_DATA_HOME/rigpilot`` (``~/.local/share/rigpilot``) elsewhere. ``env`` and ``os_name``
    default to the running process's (tests pass their own)."""
    env = os.environ if env is None else env
    os_name = os.name if os_name is None else os_name
    base = env.get("RIGPILOT_DATA_DIR")
    if base:
        return Path(base)
    if os_name == "nt":
        return Path(env.get("LOCALAPPDATA", Path.home())) / "RigPilot"
    return Path(env.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "rigpilot"

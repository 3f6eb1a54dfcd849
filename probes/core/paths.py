"""Where RigPilot keeps what it writes between runs: the data folder (settings, smoke-test history
and images, monitor logs, compiled translations), shared by the command line and the GUI."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """``RIGPILOT_DATA_DIR`` if set, else ``%LOCALAPPDATA%\\RigPilot`` on Windows and
    ``$XDG_DATA_HOME/rigpilot`` (``~/.local/share/rigpilot``) elsewhere."""
    base = os.environ.get("RIGPILOT_DATA_DIR")
    if base:
        return Path(base)
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "RigPilot"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "rigpilot"

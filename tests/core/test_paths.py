"""probes/core/paths.py: the data folder per platform, overridable."""

from __future__ import annotations

from pathlib import Path

from probes.core.paths import default_data_dir


def test_data_dir_override_wins_everywhere():
    env = {"RIGPILOT_DATA_DIR": "override", "LOCALAPPDATA": "local", "XDG_DATA_HOME": "xdg"}
    assert default_data_dir(env, "nt") == Path("override") == default_data_dir(env, "posix")


def test_data_dir_per_platform():
    assert default_data_dir({"LOCALAPPDATA": "C:/L"}, "nt") == Path("C:/L") / "RigPilot"
    assert default_data_dir({"XDG_DATA_HOME": "/x"}, "posix") == Path("/x") / "rigpilot"
    assert default_data_dir({}, "posix") == Path.home() / ".local" / "share" / "rigpilot"
    assert default_data_dir({}, "nt") == Path.home() / "RigPilot"

"""The install folder's state and journal: a killed install is cleaned up (or finished) on the next run,
never at the cost of the current or previous environment or the user's folders."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from installers import state
from probes.core.errors import RigPilotError


def _env(folder, env_id):
    d = folder / "envs" / env_id
    (d / "bin").mkdir(parents=True)
    (d / "bin" / "python").write_text("#", encoding="utf-8")
    return d


def _journal(folder, **data):
    base = {"pid": 999_999_999, "host": socket.gethostname(), "started": 0, "phase": "building"}
    (folder / state.JOURNAL).write_text(json.dumps({**base, **data}), encoding="utf-8")


def _state(folder, current, previous=None):
    state.write_state(
        folder,
        {
            "app": "comfyui",
            "current": {"env_id": current} if current else None,
            "previous": {"env_id": previous} if previous else None,
        },
    )


def test_a_killed_build_is_removed_and_the_current_and_previous_kept(tmp_path):
    for e in ("a", "b", "c"):
        _env(tmp_path, e)
    _state(tmp_path, "b", "a")
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "torch.whl.part").write_bytes(b"half")
    _journal(tmp_path, env_id="c")
    done = state.recover(tmp_path)
    assert sorted(p.name for p in (tmp_path / "envs").iterdir()) == ["a", "b"]
    assert not (tmp_path / state.JOURNAL).exists()
    assert not (tmp_path / "wheels" / "torch.whl.part").exists()
    assert any("envs/c" in line for line in done)


def test_a_running_install_is_not_touched(tmp_path):
    _env(tmp_path, "c")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as proc:
        try:
            _journal(tmp_path, env_id="c", pid=proc.pid)
            with pytest.raises(RigPilotError) as err:
                state.begin(tmp_path, "d")
            assert err.value.code == "install-busy"
            assert (tmp_path / "envs" / "c").exists()
        finally:
            proc.kill()


def test_killed_after_the_state_switched_finishes_the_switch(tmp_path):
    _env(tmp_path, "a")
    _env(tmp_path, "b")
    _state(tmp_path, "b", "a")
    script = tmp_path / "run-comfyui.sh"
    script.write_text("old", encoding="utf-8")
    new = tmp_path / "run-comfyui.sh.new"
    new.write_text("new", encoding="utf-8")
    _journal(tmp_path, env_id="b", phase="switching", script_new=str(new))
    state.recover(tmp_path)
    assert script.read_text(encoding="utf-8") == "new" and not new.exists()
    assert (tmp_path / "envs" / "b").exists()


def test_killed_before_the_state_switched_keeps_the_old_script(tmp_path):
    _env(tmp_path, "a")
    _env(tmp_path, "b")
    _state(tmp_path, "a")
    script = tmp_path / "run-comfyui.sh"
    script.write_text("old", encoding="utf-8")
    new = tmp_path / "run-comfyui.sh.new"
    new.write_text("new", encoding="utf-8")
    _journal(tmp_path, env_id="b", phase="switching", script_new=str(new))
    state.recover(tmp_path)
    assert script.read_text(encoding="utf-8") == "old" and not new.exists()
    assert not (tmp_path / "envs" / "b").exists()


def test_an_app_update_cut_in_the_middle_gives_the_user_folders_back(tmp_path):
    app, staging = tmp_path / "app", tmp_path / "app.staging"
    (app / "models" / "checkpoints").mkdir(parents=True)
    (app / "models" / "checkpoints" / "sd.safetensors").write_bytes(b"weights")
    (app / "custom_nodes" / "mine").mkdir(parents=True)
    (staging / "comfy").mkdir(parents=True)
    # the kill came after "models" was moved into the staging app, before custom_nodes and the renames
    os.replace(app / "models", staging / "models")
    _journal(tmp_path, env_id="x", phase="switch-app", user_dirs=["models", "custom_nodes", "output"])
    state.recover(tmp_path)
    assert (app / "models" / "checkpoints" / "sd.safetensors").read_bytes() == b"weights"
    assert (app / "custom_nodes" / "mine").is_dir()
    assert not staging.exists()


def test_switch_app_moves_the_user_folders_into_the_new_release(tmp_path):
    app, staging = tmp_path / "app", tmp_path / "app.staging"
    (app / "output").mkdir(parents=True)
    (app / "output" / "img.png").write_bytes(b"png")
    (app / "main.py").write_text("old", encoding="utf-8")
    (staging / "output").mkdir(parents=True)  # the release's own empty placeholder
    (staging / "main.py").write_text("new", encoding="utf-8")
    j = state.begin(tmp_path, "e1")
    moved = state.switch_app(tmp_path, j, ("models", "output"))
    j.close()
    assert moved == ["output"]
    assert (app / "output" / "img.png").read_bytes() == b"png"
    assert (app / "main.py").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "app.previous" / "main.py").read_text(encoding="utf-8") == "old"


def test_a_damaged_state_file_is_an_error_with_a_code(tmp_path):
    (tmp_path / state.STATE).write_text("{not json", encoding="utf-8")
    with pytest.raises(RigPilotError) as err:
        state.read_state(tmp_path)
    assert err.value.code == "install-state-damaged"


def test_prune_keeps_current_and_previous(tmp_path):
    for e in ("a", "b", "c", "d"):
        _env(tmp_path, e)
    assert state.prune(tmp_path, {"current": {"env_id": "d"}, "previous": {"env_id": "b"}}) == ["a", "c"]


def test_new_env_ids_never_collide(tmp_path):
    first = state.new_env_id(tmp_path, now=0)
    (tmp_path / "envs" / first).mkdir(parents=True)
    assert state.new_env_id(tmp_path, now=0) == first + "-1"

"""The install folder: what is current, what was before, and what an interrupted install left behind.

Layout of an install folder ``DIR``::

    DIR/rigpilot-install.json   the state: current and previous environment (written atomically)
    DIR/envs/<id>/              one folder per environment built; never moved or renamed once built
    DIR/envs/<id>/rigpilot-lock.json   what that environment holds (the lock)
    DIR/rigpilot-lock.json      a copy of the current environment's lock
    DIR/app/                    the app (models, outputs, custom nodes live inside, the app's own way)
    DIR/wheels/                 the pinned torch-stack wheels downloaded (reused by repair and rebuilds)
    DIR/logs/                   one log per install run
    DIR/.rigpilot-building.json the journal, present only while an install runs

Why environments are never moved: a venv records its own path (console scripts, activate), and a
rename is not atomic across two folders. Switching to a new environment is one atomic write of the state
file plus one atomic replace of the launch script, so a kill -9 at any moment leaves either the previous
environment current and untouched, or the new one current and complete. The journal says what a killed
run was doing; ``recover()`` finishes or undoes it on the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from installers.runner import pid_alive
from probes.core import jsonfile
from probes.core.errors import RigPilotError
from probes.core.i18n import Text

STATE = "rigpilot-install.json"
JOURNAL = ".rigpilot-building.json"
LOCK = "rigpilot-lock.json"
SCHEMA = "rigpilot.install-state/1"
KEEP_ENVS = 2  # current and previous


def state_path(folder: Path) -> Path:
    return Path(folder) / STATE


def journal_path(folder: Path) -> Path:
    return Path(folder) / JOURNAL


def read_state(folder: Path) -> dict | None:
    """The state of an install folder, or None when it holds no RigPilot install."""
    p = state_path(folder)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise RigPilotError(
            "install-state-damaged",
            Text("execute", "{path} cannot be read.", path=str(p)),
            Text(
                "execute",
                "Move the file aside and run the install again; the environments in envs/ are kept.",
            ),
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise RigPilotError(
            "install-state-damaged",
            Text("execute", "{path} is not a RigPilot install state.", path=str(p)),
            Text(
                "execute",
                "Move the file aside and run the install again; the environments in envs/ are kept.",
            ),
        )
    return data


def write_state(folder: Path, state: dict) -> None:
    jsonfile.write_atomic(state_path(folder), {**state, "schema": SCHEMA})


def new_env_id(folder: Path, now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    envs = Path(folder) / "envs"
    candidate, n = stamp, 1
    while (envs / candidate).exists():
        candidate = f"{stamp}-{n}"
        n += 1
    return candidate


@dataclass
class Journal:
    folder: Path
    data: dict
    cleaned: list = field(default_factory=list)

    def update(self, **values: object) -> None:
        self.data.update(values)
        jsonfile.write_atomic(journal_path(self.folder), self.data)

    def close(self) -> None:
        journal_path(self.folder).unlink(missing_ok=True)


def begin(folder: Path, env_id: str) -> Journal:
    """Start an install run in ``folder``: recover what a killed run left, refuse a running one."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cleaned = recover(folder)
    j = Journal(
        folder,
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.time(),
            "env_id": env_id,
            "phase": "building",
        },
    )
    j.update()
    j.cleaned = cleaned
    return j


def recovered(journal: Journal) -> list[str]:
    """What ``begin`` cleaned up after an interrupted install."""
    return list(journal.cleaned)


def _busy(folder: Path, pid: int) -> RigPilotError:
    return RigPilotError(
        "install-busy",
        Text(
            "execute", "Another install is running in {folder} (process {pid}).", folder=str(folder), pid=pid
        ),
        Text("execute", "Wait for it to finish or cancel it; one install per folder at a time."),
    )


def recover(folder: Path) -> list[str]:
    """Clean up after an install that was killed; what was done, as lines for the log."""
    folder = Path(folder)
    jp = journal_path(folder)
    try:
        j = json.loads(jp.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        j = {}
    if not isinstance(j, dict):
        j = {}
    pid = int(j.get("pid") or 0)
    if j.get("host") == socket.gethostname() and pid != os.getpid() and pid_alive(pid):
        raise _busy(folder, pid)
    done = _stop_orphan(j)
    state = read_state(folder) or {}
    current = (state.get("current") or {}).get("env_id")
    previous = (state.get("previous") or {}).get("env_id")
    env_id = j.get("env_id")
    script_new = j.get("script_new")
    if env_id and env_id == current:  # killed after the state switched: finish the switch
        if script_new and Path(script_new).exists():
            os.replace(script_new, script_new[: -len(".new")])
            done.append(f"finished switching to environment {env_id}")
    else:
        if script_new:
            Path(script_new).unlink(missing_ok=True)
        if env_id and env_id not in (current, previous):
            shutil.rmtree(folder / "envs" / env_id, ignore_errors=True)
            done.append(f"removed the unfinished environment envs/{env_id}")
    done += _recover_app(folder, j)
    for part in (folder / "wheels").glob("*.part"):
        part.unlink(missing_ok=True)
    for part in (folder / "downloads").glob("*.part"):
        part.unlink(missing_ok=True)
    jp.unlink(missing_ok=True)
    return done


def _stop_orphan(j: dict) -> list[str]:
    """A child (uv, pip) of a killed install may still be writing into the unfinished environment: stop
    its process group first. Only when its command line names that environment (a reused pid is left
    alone); Linux only (elsewhere it ends by itself, writing into a folder nobody uses)."""
    pid, env_id = int(j.get("child_pid") or 0), str(j.get("env_id") or "")
    if os.name == "nt" or pid <= 0 or not env_id or j.get("host") != socket.gethostname():
        return []
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return []
    if env_id not in cmdline:
        return []
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        return []
    for _ in range(50):
        if not pid_alive(pid) or _zombie(pid):
            break
        time.sleep(0.1)
    return [f"stopped the orphaned installer process {pid}"]


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _recover_app(folder: Path, j: dict) -> list[str]:
    """An app update killed half-way: the user's folders go back into the app that holds them."""
    app = folder / "app"
    staging = folder / "app.staging"
    previous = folder / "app.previous"
    done = []
    if j.get("phase") == "switch-app":
        if not app.exists() and previous.exists() and staging.exists():
            os.replace(previous, app)  # the rename pair was cut in the middle
        for name in j.get("user_dirs") or []:
            if (staging / name).exists() and app.exists() and not (app / name).exists():
                os.replace(staging / name, app / name)
                done.append(f"moved {name} back into app/")
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        done.append("removed the unfinished app.staging")
    shutil.rmtree(folder / "app.unpack", ignore_errors=True)
    shutil.rmtree(folder / "app.staging.unpack", ignore_errors=True)
    return done


def prune(folder: Path, state: dict) -> list[str]:
    """Remove environments that are neither current nor previous."""
    keep = {(state.get(k) or {}).get("env_id") for k in ("current", "previous")}
    removed = []
    for env in sorted((Path(folder) / "envs").glob("*")):
        if env.is_dir() and env.name not in keep:
            shutil.rmtree(env, ignore_errors=True)
            removed.append(env.name)
    return removed


def switch_app(folder: Path, journal: Journal, user_dirs: tuple) -> list[str]:
    """Put ``app.staging`` in place of ``app``, moving the user's folders across intact."""
    folder = Path(folder)
    app, staging, previous = folder / "app", folder / "app.staging", folder / "app.previous"
    moved = []
    journal.update(phase="switch-app", user_dirs=list(user_dirs))
    if app.exists():
        for name in user_dirs:
            src = app / name
            if src.exists():
                dst = staging / name
                if dst.exists():  # the release's own placeholder (an empty models/ tree): the user's wins
                    shutil.rmtree(dst) if dst.is_dir() else dst.unlink()
                os.replace(src, dst)
                moved.append(name)
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(app, previous)
    os.replace(staging, app)
    journal.update(phase="building", user_dirs=[])
    return moved

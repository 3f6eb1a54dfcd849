"""After an install: ``rollback`` (make the previous environment current again) and ``repair`` (an app
update or a custom node replaced the pinned torch stack: reinstall exactly what the lock says)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from installers import execute, fetch, records, runner, state
from installers.plan import normalize
from installers.verify import VERIFY_MODULES, Check, Expect, expected_api, failures, installed_version, verify
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render


@dataclass
class Outcome:
    action: str  # rollback | repair
    status: str  # ok | nothing-to-do | failed
    dir: str
    env_id: str | None = None
    python: str | None = None
    script: str | None = None
    changed: list = field(default_factory=list)  # [(name, was, now)]
    checks: list = field(default_factory=list)
    error: RigPilotError | None = None

    def to_json(self, lang: str | None = None) -> dict:
        e = self.error
        return {
            "schema": f"rigpilot.install-{self.action}/1",
            "status": self.status,
            "dir": self.dir,
            "env_id": self.env_id,
            "python": self.python,
            "script": self.script,
            "changed": [{"name": n, "was": a, "now": b} for n, a, b in self.changed],
            "checks": [c.to_json(lang) for c in self.checks],
            "code": e.code if e else None,
            "message": render(e.message, lang) if e else None,
            "hint": render(e.hint, lang) if e and e.hint is not None else None,
        }


def _current(folder: Path) -> dict:
    st = state.read_state(folder)
    if not st or not st.get("current"):
        raise RigPilotError(
            "install-not-found",
            Text("execute", "{folder} holds no RigPilot install.", folder=str(folder)),
            Text("execute", "Pass the folder given to install --dir (installs list shows them)."),
        )
    return st


def _replace_script(folder: Path, env_dir: Path, app: str) -> str | None:
    for fmt in ("sh", "bat", "ps1"):
        src = env_dir / f"run-{app}.{fmt}"
        if src.exists():
            dst = folder / f"run-{app}.{fmt}"
            tmp = dst.with_name(dst.name + ".new")
            shutil.copyfile(src, tmp)
            if fmt == "sh":
                tmp.chmod(0o755)
            os.replace(tmp, dst)
            return str(dst)
    return None


def rollback(folder: Path | str, *, data_dir: Path | None = None) -> Outcome:
    """Swap current and previous: the previous environment (and app version, when it differed) becomes
    current; the launch script and the lock copy follow."""
    folder = Path(folder)
    st = _current(folder)
    prev, cur = st.get("previous"), st["current"]
    if not prev:
        raise RigPilotError(
            "install-no-previous",
            Text("execute", "{folder} has no previous environment to go back to.", folder=str(folder)),
            Text("execute", "Only an install that replaced another one can be rolled back."),
        )
    env_dir = folder / "envs" / prev["env_id"]
    if not env_dir.is_dir():
        raise RigPilotError(
            "install-previous-missing",
            Text("execute", "The previous environment envs/{id} is gone.", id=prev["env_id"]),
            Text("execute", "Run the install again to build a new one."),
        )
    journal = state.begin(folder, prev["env_id"])
    try:
        if prev.get("app_version") != cur.get("app_version") and (folder / "app.previous").is_dir():
            os.replace(folder / "app.previous", folder / "app.staging")
            state.switch_app(folder, journal, execute.USER_DIRS.get(str(cur.get("app")), ()))
        script = _replace_script(folder, env_dir, str(prev.get("app") or st.get("app")))
        state.write_state(folder, {**st, "current": prev, "previous": cur})
        if (env_dir / state.LOCK).exists():
            shutil.copyfile(env_dir / state.LOCK, folder / state.LOCK)
    finally:
        journal.close()
    if data_dir is not None:
        _update_record(data_dir, folder, prev, script)
    return Outcome(
        "rollback",
        "ok",
        str(folder),
        prev["env_id"],
        prev.get("python"),
        script,
        changed=[("torch", cur.get("torch"), prev.get("torch"))],
    )


def _update_record(data_dir: Path, folder: Path, entry: dict, script: str | None) -> None:
    for rec in records.load(data_dir):
        if rec.get("dir") == str(folder):
            rec.update(
                env=entry.get("env"),
                python=entry.get("python"),
                torch=entry.get("torch"),
                profile=entry.get("profile"),
                script=script or rec.get("script"),
            )
            records.add(data_dir, rec)
            return


def drift(lock: dict, report: dict) -> list[tuple[str, str, str | None]]:
    """(name, locked version, installed version) for every torch-stack package that differs."""
    stack = sorted((lock.get("torch_stack") or {}).items())
    now = {name: installed_version(report, normalize(name)) for name, _ in stack}
    return [(name, want, now[name]) for name, want in stack if now[name] != want]


def _wheel_for(
    folder: Path, lock: dict, name: str, version: str, cancel: runner.Cancel | None
) -> Path | None:
    entry = next(
        (
            p
            for p in lock.get("packages") or []
            if normalize(p.get("name", "")) == normalize(name) and p.get("file")
        ),
        None,
    )
    if entry is None:
        return None
    for path in (Path(entry.get("path") or ""), folder / "wheels" / entry["file"]):
        if path.name and path.is_file():
            return path
    path = folder / "wheels" / entry["file"]
    if entry.get("url"):
        return fetch.download(entry["url"], path, sha256=entry.get("sha256"), cancel=cancel)
    return None


def repair(
    folder: Path | str,
    *,
    executor: str = "uv",
    runtime_probe: Callable[[str], dict | None] | None = None,
    on_line: Callable[[str], None] | None = None,
    cancel: runner.Cancel | None = None,
) -> Outcome:
    """Compare the current environment's torch stack with its lock; reinstall exactly the locked builds
    (no dependencies touched) when they differ, then verify again."""
    folder = Path(folder)
    st = _current(folder)
    cur = st["current"]
    env_dir, python = folder / "envs" / cur["env_id"], str(cur["python"])
    try:
        lock = json.loads((env_dir / state.LOCK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RigPilotError(
            "install-lock-missing",
            Text("execute", "The lock of envs/{id} cannot be read.", id=cur["env_id"]),
            Text("execute", "Run the install again: it writes a new lock."),
        ) from None
    out = Outcome("repair", "nothing-to-do", str(folder), cur["env_id"], python, cur.get("script"))
    changed = drift(lock, execute.env_report(python, []))
    if changed:
        _reinstall(folder, lock, python, changed, executor, on_line, cancel)
        after = drift(lock, execute.env_report(python, []))
        if after:
            raise RigPilotError(
                "install-repair-failed",
                Text(
                    "execute",
                    "{name} is still {got} after the repair (the lock says {want}).",
                    name=after[0][0],
                    got=after[0][2] or "missing",
                    want=after[0][1],
                ),
                Text("execute", "Run the install again to build a new environment."),
            )
        out.status = "ok"
        out.changed = [(n, want, got) for n, want, got in changed]
    out.checks = _verify_lock(lock, python, runtime_probe)
    if failures(out.checks):
        bad = failures(out.checks)[0]
        out.status = "failed"
        out.error = RigPilotError(bad.code or "verify-failed", bad.message, bad.hint)
    return out


def _reinstall(
    folder: Path,
    lock: dict,
    python: str,
    changed: list,
    executor: str,
    on_line: Callable[[str], None] | None,
    cancel: runner.Cancel | None,
) -> None:
    files, specs = [], []
    for name, want, _got in changed:
        wheel = _wheel_for(folder, lock, name, want, cancel)
        if wheel is not None:
            files.append(str(wheel))
        else:
            specs.append(f"{name}=={want}")
    uv = execute.find_uv() if executor == "uv" else None
    if uv:
        argv = [uv, "pip", "install", "--python", python, "--reinstall", "--no-deps"]
    else:
        argv = [
            python,
            "-m",
            "pip",
            "install",
            "--force-reinstall",
            "--no-deps",
            "--disable-pip-version-check",
        ]
    if specs:
        argv += ["--index-url", (lock.get("indexes") or [execute.PYPI])[0]]
    done = runner.run(
        [*argv, *files, *specs],
        timeout_s=execute.INSTALL_TIMEOUT_S,
        cancel=cancel,
        on_line=on_line,
        env=runner.python_env(),
    )
    if done.rc != 0:
        raise RigPilotError(
            "install-repair-failed",
            Text(
                "execute",
                "Reinstalling the locked torch stack failed: {tail}",
                tail="\n".join(done.tail[-8:]),
            ),
            Text("execute", "Check the network or the wheels folder, then run the repair again."),
        )


def _verify_lock(lock: dict, python: str, runtime_probe: Callable[[str], dict | None] | None) -> list[Check]:
    stack = lock.get("torch_stack") or {}
    names = tuple(stack)
    report = execute.env_report(python, VERIFY_MODULES)
    expect = Expect(
        torch=str(stack.get("torch", "")),
        api=expected_api(
            tuple(f"{k}=={v}" for k, v in stack.items()),
            (lock.get("indexes") or [None])[0],
            str(lock.get("profile") or ""),
        ),
        companions=tuple(n for n in names if n != "torch"),
        torch_index=(lock.get("indexes") or [None])[0],
    )
    return verify(runtime_probe(python) if runtime_probe else None, report, expect)

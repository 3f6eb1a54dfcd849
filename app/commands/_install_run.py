"""``install`` for real: build the job (plan + the app layer's helpers: the runtime probe, the arch check,
the launch-script renderer, the smoke test), run it with progress on the terminal or as JSON lines, and
``--repair`` / ``--rollback``. Shared with the GUI's Install page (``build_job``)."""

from __future__ import annotations

import datetime
import json
import signal
import sys
import time
from pathlib import Path

from probes.core.i18n import Text, render, tr


def runtime_probe(python: str, timeout_s: float = 120.0) -> dict | None:
    """The probe's runtime source (``probe --python PATH``) run on ``python``: Runtime as JSON, or None
    when the interpreter could not be inspected (verification then reports what the environment report
    says)."""
    from probes.core.host import Host
    from probes.detect.sources import ProbeContext
    from probes.detect.sources.runtime import RuntimeSource

    out = RuntimeSource().collect(Host(), ProbeContext(pythons=[python], runtime_timeout_s=timeout_s))
    return out.runtimes[0].to_json() if out.runtimes else None


def arch_check(capability: str, arch_list: list) -> tuple[str, str | None]:
    from probes.detect.sources.runtime import arch_support

    return arch_support(capability, arch_list)


def smoke_in(python: str):
    from probes.smoke.client import run_smoke

    res = run_smoke(python, timeout_s=900)
    ok = res.get("verdict") in ("pass", "warn")
    codes = res.get("codes") or []
    text = Text(
        "cli-install",
        "Smoke test on {device}: {verdict} {codes}",
        device=res.get("device") or "?",
        verdict=res.get("verdict") or "?",
        codes=" ".join(codes),
    )
    return ok, (codes[0] if codes else None) if not ok else None, text


def apply_mirrors(args, probe_result):
    """``--mirror NAME``s into the arguments they replace (torch index, Python downloads); the package
    index and the GitHub prefix come back in the Choice. The dry run and the install share this."""
    from installers import mirrors

    if not getattr(args, "mirror", None):
        return mirrors.Choice()
    from profiles.loader import load_catalog
    from profiles.matcher import match

    cat = load_catalog()
    os_name = probe_result.host.platform if probe_result.host.platform in ("linux", "windows") else "linux"
    chosen = match(probe_result, gpu_index=args.gpu, os_name=os_name, catalog=cat, profile_id=args.profile)
    choice = mirrors.choose(cat, list(args.mirror), chosen.chosen.index_url)
    if choice.torch_index and not args.index_url:
        args.index_url = choice.torch_index
    if choice.torch_find_links and not args.index_url:
        args.index_url = "flat+" + choice.torch_find_links
    if choice.python_mirror and not args.python_mirror:
        args.python_mirror = choice.python_mirror
    return choice


def build_job(args, probe_result, *, data_dir=None, smoke: bool = False):
    """The executor's Job for these arguments (the Install page builds the same)."""
    from app.commands.install import make_job_parts
    from installers.execute import Job
    from installers.scripts import LaunchChoices, build_specs, render

    choice = apply_mirrors(args, probe_result)
    plan, result, app, options, _catalog = make_job_parts(args, probe_result, build_here=True)
    gpu = result.gpu
    os_name = options.os_name
    fmt = "bat" if os_name == "windows" else "sh"

    def render_script(python: str, app_dir: str) -> tuple[str, str]:
        choices = LaunchChoices(
            app_dir=app_dir, python=python, os_name=os_name, date=datetime.date.today().isoformat()
        )
        specs = build_specs(result.chosen, app, choices)
        return render(specs[0], fmt), fmt

    from installers.plan import PYPI

    return Job(
        plan=plan,
        selection=result.chosen,
        app=app,
        options=options,
        data_dir=data_dir,
        pypi_url=getattr(args, "pypi_url", None) or choice.pypi_url or PYPI,
        github_prefix=choice.github_prefix or "",
        runtime_probe=runtime_probe,
        arch_check=arch_check,
        capability=getattr(gpu, "capability", None) if gpu is not None else None,
        smoke=smoke_in if smoke else None,
        render_script=render_script if app.id != "generic" else None,
    )


def _data_dir() -> Path:
    from probes.core.paths import default_data_dir

    return default_data_dir()


class _Printer:
    """Human progress on stderr-free stdout: step lines, a download line at most every second."""

    def __init__(self, as_json: bool, verbose: bool) -> None:
        self.as_json, self.verbose = as_json, verbose
        self.last = 0.0

    def __call__(self, e) -> None:
        if self.as_json:
            sys.stdout.write(json.dumps(e.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
            return
        if e.kind == "step":
            mark = {
                "running": "…",
                "ok": "✓",
                "failed": "✗",
                "skipped": "-",
                "cancelled": "✗",
                "needs-user": "!",
            }
            head = f"[{e.index}/{e.count}] {mark.get(e.status, '?')} {render(e.text) if e.text else e.step}"
            print(head + (f" [{e.code}]" if e.code else ""), flush=True)
            if e.hint is not None and e.status != "running":
                print("      " + tr("cli-install", "hint: {text}", text=render(e.hint)), flush=True)
        elif e.kind == "progress":
            now = time.monotonic()
            if now - self.last >= 1.0 or (e.total and e.done == e.total):
                self.last = now
                total = f"/{e.total / 1e6:.1f}" if e.total else ""
                print(f"      {render(e.text)}: {e.done / 1e6:.1f}{total} MB", flush=True)
        elif e.kind == "note":
            code = f" [{e.code}]" if e.code else ""
            print(f"      {render(e.text)}{code}", flush=True)
        elif self.verbose:
            print(f"      {render(e.text)}", flush=True)


def run_install(args) -> int:
    from app.commands._probe_input import load_probe
    from installers.execute import execute, refuse_blocked
    from installers.runner import Cancel

    job = build_job(args, load_probe(args), data_dir=_data_dir(), smoke=args.verify)
    refuse_blocked(job.plan)  # before anything is written: the CLI's usual error, code and hint
    cancel = Cancel()
    old = signal.getsignal(signal.SIGINT)

    def on_sigint(_signum, _frame) -> None:
        cancel.cancel()

    signal.signal(signal.SIGINT, on_sigint)
    try:
        result = execute(job, on_event=_Printer(args.json, getattr(args, "verbose", False)), cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, old)
    if args.json:
        sys.stdout.write(json.dumps({"event": "result", **result.to_json()}, ensure_ascii=False) + "\n")
    else:
        print(format_result(result))
    return {"ok": 0, "cancelled": 130}.get(result.status, 1)


def format_result(result) -> str:
    out = []
    if result.status == "ok":
        out.append(
            tr(
                "cli-install",
                "Installed in {dir} ({seconds} s).",
                dir=result.dir,
                seconds=f"{result.seconds:.0f}",
            )
        )
        out.append(tr("cli-install", "Python: {path}", path=result.python))
        if result.script:
            out.append(tr("cli-install", "Start it with: {script}", script=result.script))
        out.append(tr("cli-install", "Lock: {path}", path=result.lock))
    else:
        err = result.error
        out.append(
            tr(
                "cli-install",
                "Install {status}: [{code}] {message}",
                status=result.status,
                code=err.code if err else "?",
                message=render(err.message) if err else "",
            )
        )
        if err is not None and err.hint is not None:
            out.append("  " + tr("cli-install", "hint: {text}", text=render(err.hint)))
        if result.status == "verify-failed" and result.script:
            out.append(
                tr("cli-install", "The failed environment's launch script: {script}", script=result.script)
            )
        out.append(tr("cli-install", "Nothing was switched; the previous environment (if any) is current."))
    if result.log:
        out.append(tr("cli-install", "Log: {path}", path=result.log))
    return "\n".join(out)


def maintain(args) -> int:
    from installers import maintain as m

    if args.rollback:
        out = m.rollback(Path(args.rollback).resolve(), data_dir=_data_dir())
    else:
        out = m.repair(
            Path(args.repair).resolve(),
            executor=args.executor,
            runtime_probe=runtime_probe,
            on_line=(lambda line: print("      " + line, flush=True)) if not args.json else None,
        )
    if args.json:
        sys.stdout.write(json.dumps(out.to_json(), indent=2, ensure_ascii=False) + "\n")
        return 0 if out.status != "failed" else 1
    if out.action == "rollback":
        print(tr("cli-install", "Rolled back: envs/{id} is current again.", id=out.env_id))
        for name, was, now in out.changed:
            print(
                "  " + tr("cli-install", "{name}: {was} -> {now}", name=name, was=was or "?", now=now or "?")
            )
    elif out.status == "nothing-to-do":
        print(tr("cli-install", "The torch stack matches the lock; nothing to repair."))
    else:
        for name, want, got in out.changed:
            print(
                tr(
                    "cli-install",
                    "Repaired {name}: {got} -> {want}",
                    name=name,
                    got=got or "missing",
                    want=want,
                )
            )
    for c in out.checks:
        if not c.ok:
            print(f"  [{c.code}] {render(c.message)}")
    if out.error is not None:
        print(tr("cli-install", "hint: {text}", text=render(out.error.hint)))
    return 0 if out.status != "failed" else 1


__all__ = ["apply_mirrors", "build_job", "maintain", "run_install", "runtime_probe"]

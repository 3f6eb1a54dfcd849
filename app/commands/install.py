"""``python main.py install``: plan an install (``--dry-run``) or run it: the interpreter, the environment,
the profile's exact torch pins, the app and its requirements under constraints, extras, lock, verification
and launch script (``installers.execute``). ``--repair DIR`` and ``--rollback DIR`` act on an install."""

from __future__ import annotations

import json
import os
import sys

from app.commands._probe_input import add_probe_arguments, load_probe
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "install"
HELP = Text("cli-install", "build the matched torch stack and an app into its own environment")


def add_arguments(p) -> None:
    p.add_argument(
        "--app",
        choices=["comfyui", "a1111", "zimage", "generic"],
        help=tr("cli-install", "which app to install"),
    )
    p.add_argument("--dir", metavar="DIR", help=tr("cli-install", "the install folder"))
    p.add_argument("--profile", metavar="ID", help=tr("cli-install", "force this hardware profile"))
    p.add_argument(
        "--gpu", type=int, metavar="N", help=tr("cli-install", "the GPU to match (default: the best one)")
    )
    p.add_argument(
        "--python", metavar="PY", help=tr("cli-install", "use this interpreter for the environment")
    )
    p.add_argument(
        "--app-source",
        metavar="URL|DIR|ARCHIVE",
        help=tr(
            "cli-install",
            "the app from this release URL, folder or archive (default: the profile's pinned release)",
        ),
    )
    p.add_argument(
        "--index-url",
        metavar="URL",
        help=tr("cli-install", "the torch wheel index to use instead of the profile's"),
    )
    p.add_argument(
        "--pypi-url",
        metavar="URL",
        help=tr("cli-install", "the package index for everything but the torch stack (default: PyPI)"),
    )
    p.add_argument(
        "--wheelhouse", metavar="DIR", help=tr("cli-install", "a folder of wheels to install from")
    )
    p.add_argument(
        "--check-index",
        action="store_true",
        help=tr("cli-install", "ask the index whether every pin has a file for this Python and platform"),
    )
    p.add_argument(
        "--executor", choices=["uv", "pip"], default="uv", help=tr("cli-install", "the installer to run")
    )
    p.add_argument(
        "--python-mirror",
        metavar="URL",
        help=tr("cli-install", "download mirror for the Python uv provisions"),
    )
    p.add_argument(
        "--no-uv-python",
        action="store_true",
        help=tr("cli-install", "never let uv download a Python; stop when none is found"),
    )
    p.add_argument(
        "--mirror",
        metavar="NAME",
        action="append",
        default=[],
        help=tr("cli-install", "use this download mirror (repeatable; see installs mirrors)"),
    )
    p.add_argument("--dry-run", action="store_true", help=tr("cli-install", "print the plan, change nothing"))
    p.add_argument(
        "--verify",
        action="store_true",
        help=tr("cli-install", "run the smoke test in the new environment before switching to it"),
    )
    act = p.add_mutually_exclusive_group()
    act.add_argument(
        "--repair",
        metavar="DIR",
        help=tr("cli-install", "reinstall the locked torch stack of the install in DIR if it changed"),
    )
    act.add_argument(
        "--rollback",
        metavar="DIR",
        help=tr("cli-install", "make the previous environment of the install in DIR current again"),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=tr(
            "cli-install", "JSON: the plan (with --dry-run), else progress events as JSON lines and a result"
        ),
    )
    add_probe_arguments(p)


def _os_name(probe_result) -> str:
    platform = probe_result.host.platform
    return platform if platform in ("linux", "windows", "darwin") else "linux"


def make_plan(args, probe_result, checker=None):
    return make_job_parts(args, probe_result, checker)[0]


def make_job_parts(args, probe_result, checker=None, *, build_here: bool = False):
    """The plan and what it was made from: (plan, match result, app profile, options, catalog)."""
    from installers.plan import InstallOptions, build_plan
    from profiles.loader import load_catalog
    from profiles.matcher import match

    catalog = load_catalog()
    os_name = _os_name(probe_result)
    result = match(
        probe_result, gpu_index=args.gpu, os_name=os_name, catalog=catalog, profile_id=args.profile
    )
    app = catalog.app(args.app)
    if app is None:  # pragma: no cover - argparse limits the choices to the shipped apps
        raise RigPilotError("install-unknown-app", Text("cli-install", "Unknown app {app}.", app=args.app))
    directory = args.dir
    if not result.simulated and not os.path.isabs(directory):
        directory = os.path.abspath(directory)
    options = InstallOptions(
        dir=directory,
        os_name=os_name,
        machine=probe_result.host.arch or "x86_64",
        python=args.python,
        app_source=args.app_source,
        index_url=args.index_url,
        wheelhouse=args.wheelhouse,
        check_index=args.check_index,
        executor=args.executor,
        uv_python=not args.no_uv_python,
        python_mirror=args.python_mirror,
        build_here=build_here and bool(probe_result.host.simulated),
    )
    plan = build_plan(result, app, options, probe_result, catalog=catalog, checker=checker)
    return plan, result, app, options, catalog


def run(args) -> int:
    from app.commands import _install_run

    if args.repair or args.rollback:
        return _install_run.maintain(args)
    if not args.app or not args.dir:
        raise RigPilotError(
            "bad-argument",
            Text("cli-install", "install needs --app and --dir (or --repair DIR / --rollback DIR)."),
            Text("cli-install", "For example: install --app comfyui --dir ~/rigpilot/comfyui"),
        )
    if not args.dry_run:
        return _install_run.run_install(args)
    probe_result = load_probe(args)
    _install_run.apply_mirrors(args, probe_result)
    plan = make_plan(args, probe_result)
    if args.json:
        sys.stdout.write(json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_plan(plan) + "\n")
    return 0


STATUS = {
    "planned": Text("cli-install", "planned"),
    "blocked": Text("cli-install", "BLOCKED"),
    "needs-user": Text("cli-install", "needs you"),
    "skipped": Text("cli-install", "skipped"),
}


def _download_line(d) -> str:
    what = f"{d.name}=={d.version}" if d.version else d.name
    extra = []
    if d.filename:
        extra.append(d.filename)
    if d.size is not None:
        extra.append(tr("cli-install", "{mb} MB", mb=f"{d.size / 1e6:.1f}"))
    if d.sha256:
        extra.append(f"sha256 {d.sha256[:16]}…")
    tail = f" ({', '.join(extra)})" if extra else ""
    return tr("cli-install", "download {what} from {source}{tail}", what=what, source=d.source, tail=tail)


def _step_lines(i: int, s) -> list[str]:
    out = [f"{i}. [{render(STATUS[s.status])}] {render(s.title)}"]
    if s.code:
        out.append("   " + tr("cli-install", "code: {code}", code=s.code))
    out += ["   " + tr("cli-install", "why: {text}", text=render(w)) for w in s.why]
    out += ["   " + _download_line(d) for d in s.downloads]
    out += ["   " + tr("cli-install", "writes {path}", path=p) for p in s.writes]
    out += ["   $ " + " ".join(c) for c in s.commands]
    data = dict(s.data)
    if s.kind == "driver":
        if data.get("page"):
            out.append("   " + tr("cli-install", "download page: {url}", url=data["page"]))
        if data.get("command"):
            out.append("   " + tr("cli-install", "install command: {command}", command=data["command"]))
    if s.kind == "app-requirements" and data.get("constraints"):
        out.append("   " + tr("cli-install", "constraints: {pins}", pins=" ".join(data["constraints"])))
    out += ["   " + tr("cli-install", "note: {text}", text=render(n)) for n in s.notes]
    if s.hint is not None:
        out.append("   " + tr("cli-install", "hint: {text}", text=render(s.hint)))
    if s.sources and s.kind == "driver":
        out.append("   " + tr("cli-install", "sources: {sources}", sources="; ".join(s.sources)))
    return out


def format_plan(plan) -> str:
    out = []
    if plan.simulated:
        out.append(tr("cli-match", "*** SIMULATED rig: {name} ***", name=plan.simulated))
    out.append(
        tr(
            "cli-install",
            "Install plan for {app} in {dir} with profile {profile} ({os}): {status}",
            app=plan.app,
            dir=plan.dir,
            profile=plan.profile,
            os=plan.os,
            status=render(STATUS[plan.status]),
        )
    )
    for i, s in enumerate(plan.steps, 1):
        out += _step_lines(i, s)
    out.append(tr("cli-install", "Nothing was changed (dry run)."))
    return "\n".join(out)

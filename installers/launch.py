"""Launch scripts: a plan (``LaunchSpec``) built from hardware profile x app profile x user choices, and
pure renderers ``render_sh`` / ``render_bat`` / ``render_ps1`` that turn it into text.

Every value is either represented exactly in the target shell or refused with a RigPilotError
(``launch-unsafe-value``); nothing is written half-quoted:

* bash: every value in single quotes (``'`` becomes ``'\\''``); only NUL is refused.
* cmd (.bat): every value goes through ``set "NAME=value"`` with ``%`` doubled and delayed expansion
  disabled, and is used only inside double quotes, so ``& ( ) ^ ! '`` and spaces are literal; ``"``,
  CR/LF and NUL cannot be represented and are refused; argv values ending in backslashes get them doubled
  (the C runtime reads ``\\"`` as an escaped quote). The file is UTF-8, CRLF, and starts with
  ``@chcp 65001 >nul``.
* PowerShell (.ps1): single-quoted strings (every kind of single quote doubled); argv values that
  Windows PowerShell 5.1 cannot pass to a native program intact (``"``, empty, whitespace + trailing
  backslash) and CR/LF/NUL are refused. The file is UTF-8 with BOM.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from probes.core.errors import RigPilotError
from probes.core.i18n import Text
from profiles.schema import ENV_NAME_RE, AppProfile

FORMATS = ("sh", "bat", "ps1")
MARKER = "RigPilot launcher"
TORCHADA_BOOT = (
    "import runpy, sys, torchada; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)
# ComfyUI's cuda_malloc.py strips expandable_segments:True from PYTORCH_CUDA_ALLOC_CONF
# (comfyanonymous/ComfyUI cuda_malloc.py @7fd2ff0f), so a launcher that sets it for ComfyUI would lie.
COMFY_STRIPPED = "expandable_segments"


@dataclass(frozen=True)
class Watchdog:
    log: str  # absolute path of the timestamped log file
    max_restarts_per_hour: int = 5
    backoff_s: int = 5  # first delay; doubles after each crash
    backoff_max_s: int = 300


@dataclass(frozen=True)
class LaunchSpec:
    name: str
    python: str
    argv: tuple
    env: tuple
    cwd: str
    header: tuple = ()
    watchdog: Watchdog | None = None
    port: int | None = None
    gpu: int | None = None


@dataclass(frozen=True)
class LaunchChoices:
    app_dir: str
    python: str
    os_name: str = "linux"
    gpus: tuple = ()  # GPU indexes for one instance each (per-GPU); empty = one instance
    device_ids: tuple = ()  # device number to pin for each entry in gpus (the vendor's index)
    restart: bool = False
    max_restarts_per_hour: int = 5
    backoff_s: int = 5
    log_dir: str | None = None
    env: tuple = ()  # user overrides, win over the profile
    script: str | None = None  # generic app
    args: tuple = ()  # extra app args
    port: int | None = None
    listen: bool = False
    date: str = ""
    extra: dict = field(default_factory=dict)


def _unsafe(what: str, value: str, fmt: str, why: Text) -> RigPilotError:
    return RigPilotError(
        "launch-unsafe-value",
        Text(
            "launch",
            "The {what} {value} cannot be written safely into a {fmt} script: {why}.",
            what=what,
            value=repr(value),
            fmt=fmt,
            why=why,
        ),
        Text("launch", "Rename the folder or change the value, or choose another script format."),
        context={"what": what, "format": fmt},
    )


def _is_abs(path: str, os_name: str) -> bool:
    return PureWindowsPath(path).is_absolute() if os_name == "windows" else path.startswith("/")


def build_specs(selection, app: AppProfile, choices: LaunchChoices) -> list[LaunchSpec]:
    """The launch plan(s): one spec, or one per GPU. ``selection`` is a matcher Selection."""
    c = choices
    if not _is_abs(c.python, c.os_name):
        raise RigPilotError(
            "launch-python-not-absolute",
            Text("launch", "The interpreter path {path} is not absolute.", path=c.python),
            Text("launch", "Give the full path of the venv's python (python.exe on Windows)."),
        )
    if not _is_abs(c.app_dir, c.os_name):
        raise RigPilotError(
            "launch-app-dir-not-absolute",
            Text("launch", "The app folder {path} is not absolute.", path=c.app_dir),
            Text("launch", "Give the full path of the app folder."),
        )
    for k, _ in c.env:
        if not ENV_NAME_RE.match(k) or k.upper().startswith("RP_"):
            raise RigPilotError(
                "launch-bad-env-name",
                Text("launch", "'{name}' is not a valid environment variable name.", name=k),
                Text(
                    "launch",
                    "Use letters, digits and underscores, e.g. --env MY_VAR=1; "
                    "names starting with RP_ are reserved for the launcher.",
                ),
            )
    tuning = dict(selection.tuning)
    flags: list[str] = []
    flags += dict(app.vram_flags).get(tuning.get("vram_mode", "normal"), ())
    flags += dict(app.precision_flags).get(tuning.get("precision", "auto"), ())
    flags += dict(app.attention_flags).get(tuning.get("attention", "auto"), ())
    for f in dict(selection.app_flags).get(app.id, ()):
        if f not in flags:
            flags.append(f)
    if c.listen and app.listen_flag:
        flags.append(app.listen_flag)
    if app.entry == "module":
        head = ["-m", app.target]
    else:
        target = app.target or c.script
        if not target:
            raise RigPilotError(
                "launch-script-missing",
                Text("launch", "The generic app needs the script to run."),
                Text("launch", "Pass --script FILE (relative to the app folder or absolute)."),
            )
        head = [target]
        if selection.preload == "torchada":
            head = ["-c", TORCHADA_BOOT, target]
    base_env = dict(selection.env)
    if app.id == "comfyui":
        alloc = dict(c.env).get("PYTORCH_CUDA_ALLOC_CONF", base_env.get("PYTORCH_CUDA_ALLOC_CONF", ""))
        if COMFY_STRIPPED in alloc:
            raise RigPilotError(
                "launch-comfy-alloc-conf",
                Text(
                    "launch",
                    "ComfyUI removes expandable_segments from PYTORCH_CUDA_ALLOC_CONF "
                    "itself, so the launcher would not do what it says.",
                ),
                Text(
                    "launch",
                    "Drop expandable_segments; use ComfyUI's --disable-cuda-malloc "
                    "through --arg if you need the default allocator.",
                ),
            )
    instances = list(zip(c.gpus, c.device_ids or c.gpus, strict=False)) or [(None, None)]
    if len(instances) > 1 or instances[0][0] is not None:
        if not selection.device_env:
            raise RigPilotError(
                "launch-no-device-pinning",
                Text("launch", "Profile {id} has no way to pin one instance to one GPU.", id=selection.id),
                Text("launch", "Launch a single instance without --gpu/--per-gpu."),
            )
    specs = []
    app_title = app.title
    for gpu, dev in instances:
        env = dict(base_env)
        argv = list(head)
        app_flags = list(flags)
        port = None
        suffix = ""
        if gpu is not None:
            env[selection.device_env] = str(dev)
        if app.port_flag and (c.port is not None or len(instances) > 1):
            port = (c.port or app.default_port or 8000) + (
                instances.index((gpu, dev)) if len(instances) > 1 else 0
            )
            app_flags += [app.port_flag, str(port)]
        if gpu is not None:
            suffix = f"-gpu{gpu}"
        app_flags += list(c.args)
        env.update(dict(c.env))  # the user wins
        if app.args_env:
            env[app.args_env] = " ".join(x for x in (env.get(app.args_env, ""), shlex.join(app_flags)) if x)
        else:
            argv += app_flags
        header = (
            f"{MARKER} for {app_title} ({app.id})",
            f"profile: {selection.id} - confidence: {selection.confidence}",
            *(f"source: {s}" for s in selection.sources),
            f"app flags source: {', '.join(app.sources)}",
            f"generated: {c.date}",
        )
        watchdog = None
        if c.restart:
            sep = "\\" if c.os_name == "windows" else "/"
            log_dir = (c.log_dir or c.app_dir).rstrip("/\\")
            watchdog = Watchdog(
                log=f"{log_dir}{sep}rigpilot-{app.id}{suffix}.log",
                max_restarts_per_hour=c.max_restarts_per_hour,
                backoff_s=c.backoff_s,
            )
        specs.append(
            LaunchSpec(
                name=f"run-{app.id}{suffix}",
                python=c.python,
                argv=tuple(argv),
                env=tuple(env.items()),
                cwd=c.app_dir,
                header=header,
                watchdog=watchdog,
                port=port,
                gpu=gpu,
            )
        )
    return specs


# ------------------------------------------------------------------------------------------- bash
def sh_quote(value: str, what: str = "value") -> str:
    if "\x00" in value:
        raise _unsafe(what, value, "sh", Text("launch", "it contains a NUL character"))
    return "'" + value.replace("'", "'\\''") + "'"


def _header_lines(spec: LaunchSpec, prefix: str, fmt: str) -> list[str]:
    out = []
    for line in spec.header:
        line = re.sub(r"[\x00-\x1f]", " ", line)
        if fmt == "bat":  # rem lines still see %-expansion and the caret: keep them to plain text
            line = re.sub(r"[%^&|<>\"!]", "_", line)
        out.append(f"{prefix} {line}")
    return out


def render_sh(spec: LaunchSpec) -> str:
    lines = ["#!/usr/bin/env bash", *_header_lines(spec, "#", "sh"), ""]
    lines.append(f"cd -- {sh_quote(spec.cwd, 'app folder')} || exit 1")
    for k, v in spec.env:
        lines.append(f"export {k}={sh_quote(v, 'value of ' + k)}")
    lines.append(f"RP_PY={sh_quote(spec.python, 'interpreter path')}")
    lines.append("RP_ARGS=(" + " ".join(sh_quote(a, "argument") for a in spec.argv) + ")")
    w = spec.watchdog
    if w is None:
        lines.append('exec "$RP_PY" "${RP_ARGS[@]}" "$@"')
        return "\n".join(lines) + "\n"
    lines += [
        f"RP_LOG={sh_quote(w.log, 'log path')}",
        f"RP_MAX={int(w.max_restarts_per_hour)}",
        f"RP_DELAY={int(w.backoff_s)}",
        f"RP_DELAY_MAX={int(w.backoff_max_s)}",
        'rp_log() { printf \'%s %s\\n\' "$(date \'+%Y-%m-%dT%H:%M:%S%z\')" "$*" >>"$RP_LOG"; }',
        "rp_stop=0",
        "trap 'rp_stop=1' INT TERM",
        "rp_times=()",
        "while :; do",
        '  rp_log "start: $RP_PY ${RP_ARGS[*]}"',
        '  "$RP_PY" "${RP_ARGS[@]}" "$@"',
        "  rp_rc=$?",
        '  if [ "$rp_stop" = 1 ] || [ "$rp_rc" -eq 130 ]; then '
        'rp_log "stopped by Ctrl-C/TERM (exit code $rp_rc)"; exit "$rp_rc"; fi',
        '  if [ "$rp_rc" -eq 0 ]; then rp_log "clean exit"; exit 0; fi',
        "  rp_now=$(date +%s)",
        "  rp_kept=()",
        '  for rp_t in "${rp_times[@]}"; do [ $((rp_now - rp_t)) -lt 3600 ] && rp_kept+=("$rp_t"); done',
        '  rp_times=("${rp_kept[@]}")',
        '  if [ "${#rp_times[@]}" -ge "$RP_MAX" ]; then',
        '    rp_log "crashed (exit code $rp_rc); $RP_MAX restarts in the last hour: giving up"; '
        'exit "$rp_rc"',
        "  fi",
        '  rp_times+=("$rp_now")',
        '  rp_log "crashed (exit code $rp_rc); restart ${#rp_times[@]} of $RP_MAX this hour in $RP_DELAY s"',
        '  sleep "$RP_DELAY" || true',
        '  if [ "$rp_stop" = 1 ]; then rp_log "stopped by Ctrl-C/TERM"; exit 130; fi',
        '  RP_DELAY=$((RP_DELAY * 2)); [ "$RP_DELAY" -gt "$RP_DELAY_MAX" ] && RP_DELAY=$RP_DELAY_MAX',
        "done",
    ]
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------------- cmd
def _bat_check(value: str, what: str) -> str:
    for bad, why in (
        ('"', Text("launch", "cmd cannot quote a double quote")),
        ("\r", Text("launch", "it contains a line break")),
        ("\n", Text("launch", "it contains a line break")),
        ("\x00", Text("launch", "it contains a NUL character")),
    ):
        if bad in value:
            raise _unsafe(what, value, "bat", why)
    return value


def _win_env_value(name: str, value: str, fmt: str) -> str:
    if value == "":
        raise _unsafe(
            f"value of {name}",
            value,
            fmt,
            Text("launch", "on Windows setting a variable to an empty value removes it"),
        )
    return value


def bat_set(name: str, value: str, what: str) -> str:
    return f'set "{name}={_bat_check(value, what).replace("%", "%%")}"'


def bat_quote(value: str, what: str) -> str:
    """A literal in double quotes: inside quotes cmd treats & ( ) ^ < > | and spaces as text; with delayed
    expansion disabled ! is text too; % is doubled. Values are written literally, not through variables,
    because wine 8's cmd re-scans expanded variable text for % and ! (real cmd does not)."""
    return '"' + _bat_check(value, what).replace("%", "%%") + '"'


def _argv_value(value: str) -> str:
    """Double trailing backslashes: they sit right before the closing quote on the command line."""
    stripped = value.rstrip("\\")
    return stripped + "\\" * (2 * (len(value) - len(stripped)))


def render_bat(spec: LaunchSpec) -> str:
    cwd = bat_quote(spec.cwd, "app folder")
    lines = [
        "@chcp 65001 >nul",
        "@echo off",
        *_header_lines(spec, "rem", "bat"),
        "setlocal EnableExtensions DisableDelayedExpansion",
        # no `cd ... || exit`: wine 8's cmd runs the || branch after a successful cd
        f"if not exist {cwd} goto rp_nodir",
        f"cd /d {cwd}",
    ]
    for k, v in spec.env:
        lines.append(bat_set(k, _win_env_value(k, v, "bat"), f"value of {k}"))
    call = " ".join(
        [
            bat_quote(spec.python, "interpreter path"),
            *(bat_quote(_argv_value(a), "argument") for a in spec.argv),
            "%*",
        ]
    )
    nodir = [":rp_nodir", f"echo RigPilot: the app folder does not exist: {cwd}", "exit /b 1"]
    w = spec.watchdog
    if w is None:
        lines += [call, "exit /b %ERRORLEVEL%", *nodir]
        return "\r\n".join(lines) + "\r\n"
    log = bat_quote(w.log, "log path")
    py = bat_quote(spec.python, "interpreter path")
    lines += [
        f"set /a RP_MAX={int(w.max_restarts_per_hour)}",
        f"set /a RP_DELAY={int(w.backoff_s)}",
        f"set /a RP_DELAY_MAX={int(w.backoff_max_s)}",
        "set /a RP_COUNT=0",
        'set "RP_HOUR="',
        ":rp_loop",
        "call :rp_log start",
        call,
        'set "RP_RC=%ERRORLEVEL%"',
        'if "%RP_RC%"=="0" goto rp_clean',
        # 0xC000013A STATUS_CONTROL_C_EXIT: the app was stopped with Ctrl-C
        'if "%RP_RC%"=="-1073741510" goto rp_ctrlc',
        # at most RP_MAX restarts per clock hour (cmd has no portable clock arithmetic)
        'set "RP_NOW=%DATE% %TIME:~0,2%"',
        'if not "%RP_NOW%"=="%RP_HOUR%" set /a RP_COUNT=0',
        'set "RP_HOUR=%RP_NOW%"',
        "if %RP_COUNT% GEQ %RP_MAX% goto rp_giveup",
        "set /a RP_COUNT+=1",
        "call :rp_log crashed exit code %RP_RC%, restart %RP_COUNT% of %RP_MAX% this hour in %RP_DELAY% s",
        f'{py} -c "import time; time.sleep(%RP_DELAY%)"',
        "set /a RP_DELAY*=2",
        "if %RP_DELAY% GTR %RP_DELAY_MAX% set /a RP_DELAY=%RP_DELAY_MAX%",
        "goto rp_loop",
        ":rp_clean",
        "call :rp_log clean exit",
        "exit /b 0",
        ":rp_ctrlc",
        "call :rp_log stopped by Ctrl-C",
        "exit /b %RP_RC%",
        ":rp_giveup",
        "call :rp_log crashed exit code %RP_RC%, %RP_MAX% restarts this hour: giving up",
        "exit /b %RP_RC%",
        ":rp_log",
        f">>{log} echo %DATE% %TIME% %*",
        "exit /b 0",
        *nodir,
    ]
    return "\r\n".join(lines) + "\r\n"


# ------------------------------------------------------------------------------------- PowerShell
_PS_SINGLE = "'\u2018\u2019\u201a\u201b"


def ps_quote(value: str, what: str = "value") -> str:
    for bad in ("\r", "\n", "\x00"):
        if bad in value:
            raise _unsafe(what, value, "ps1", Text("launch", "it contains a line break or NUL"))
    return "'" + "".join(ch * 2 if ch in _PS_SINGLE else ch for ch in value) + "'"


def _ps_arg(value: str) -> str:
    if value == "":
        raise _unsafe("argument", value, "ps1", Text("launch", "Windows PowerShell drops empty arguments"))
    if '"' in value or "\u201c" in value or "\u201d" in value or "\u201e" in value:
        raise _unsafe(
            "argument",
            value,
            "ps1",
            Text("launch", "Windows PowerShell does not pass double quotes to programs intact"),
        )
    if re.search(r"\s", value) and value.endswith("\\"):
        raise _unsafe(
            "argument",
            value,
            "ps1",
            Text("launch", "Windows PowerShell mangles a quoted argument ending in a backslash"),
        )
    return ps_quote(value, "argument")


def render_ps1(spec: LaunchSpec) -> str:
    lines = [
        *_header_lines(spec, "#", "ps1"),
        "$ErrorActionPreference = 'Stop'",
        f"Set-Location -LiteralPath {ps_quote(spec.cwd, 'app folder')}",
    ]
    for k, v in spec.env:
        lines.append(f"${{env:{k}}} = {ps_quote(_win_env_value(k, v, 'ps1'), 'value of ' + k)}")
    lines.append(f"$RpPy = {ps_quote(spec.python, 'interpreter path')}")
    lines.append("$RpArgs = @(" + ", ".join(_ps_arg(a) for a in spec.argv) + ")")
    w = spec.watchdog
    if w is None:
        lines += ["& $RpPy @RpArgs @args", "exit $LASTEXITCODE"]
        return "\r\n".join(lines) + "\r\n"
    lines += [
        f"$RpLog = {ps_quote(w.log, 'log path')}",
        f"$RpMax = {int(w.max_restarts_per_hour)}",
        f"$RpDelay = {int(w.backoff_s)}",
        f"$RpDelayMax = {int(w.backoff_max_s)}",
        "function RpLog($m) { Add-Content -LiteralPath $RpLog -Encoding UTF8 -Value "
        "((Get-Date -Format 'yyyy-MM-ddTHH:mm:sszzz') + ' ' + $m) }",
        "$RpTimes = @()",
        "while ($true) {",
        "  RpLog 'start'",
        "  & $RpPy @RpArgs @args",
        "  $rc = $LASTEXITCODE",
        "  if ($rc -eq 0) { RpLog 'clean exit'; exit 0 }",
        "  if ($rc -eq -1073741510) { RpLog 'stopped by Ctrl-C'; exit $rc }",
        "  $now = Get-Date",
        "  $RpTimes = @($RpTimes | Where-Object { ($now - $_).TotalSeconds -lt 3600 })",
        "  if ($RpTimes.Count -ge $RpMax) { "
        'RpLog "crashed (exit code $rc); $RpMax restarts in the last hour: giving up"; exit $rc }',
        "  $RpTimes += $now",
        '  RpLog "crashed (exit code $rc); restart $($RpTimes.Count) of $RpMax this hour in $RpDelay s"',
        "  Start-Sleep -Seconds $RpDelay",
        "  $RpDelay = [Math]::Min($RpDelay * 2, $RpDelayMax)",
        "}",
    ]
    return "\r\n".join(lines) + "\r\n"


RENDERERS = {"sh": render_sh, "bat": render_bat, "ps1": render_ps1}


def plan_launch(
    probe,
    app_id: str,
    choices: LaunchChoices,
    *,
    gpu: int | None = None,
    per_gpu: bool = False,
    profile_id: str | None = None,
    catalog=None,
):
    """Match and build the specs. With ``per_gpu``, every GPU of the matched vendor is matched on its own
    (two AMD cards of different gfx get their own override) and gets its own script and port."""
    from dataclasses import replace

    from profiles.loader import load_catalog
    from profiles.matcher import match

    cat = catalog or load_catalog()
    app = cat.app(app_id)
    if app is None:
        raise RigPilotError(
            "launch-unknown-app",
            Text("launch", "Unknown app '{app}'.", app=app_id),
            Text("launch", "Use comfyui, a1111, zimage or generic."),
        )
    first = match(probe, gpu_index=gpu, os_name=choices.os_name, profile_id=profile_id, catalog=cat)
    if not per_gpu and gpu is None:
        return [first], build_specs(first.chosen, app, choices)
    if first.gpu is None:
        return [first], build_specs(first.chosen, app, choices)
    targets = [first.gpu] if not per_gpu else [g for g in first.gpus if g.vendor == first.gpu.vendor]
    results, specs = [], []
    base_port = choices.port if choices.port is not None else app.default_port
    for k, g in enumerate(targets):
        res = (
            first
            if g.index == first.gpu.index
            else match(probe, gpu_index=g.index, os_name=choices.os_name, profile_id=profile_id, catalog=cat)
        )
        dev = g.vendor_index if g.vendor_index is not None else g.index
        port = None if base_port is None or not per_gpu else base_port + k
        if not per_gpu:
            port = choices.port
        c = replace(choices, gpus=(g.index,), device_ids=(dev,), port=port)
        results.append(res)
        specs.extend(build_specs(res.chosen, app, c))
    return results, specs


def render(spec: LaunchSpec, fmt: str) -> str:
    if fmt not in RENDERERS:
        raise RigPilotError(
            "launch-bad-format",
            Text("launch", "Unknown script format '{fmt}'.", fmt=fmt),
            Text("launch", "Use sh, bat or ps1."),
        )
    return RENDERERS[fmt](spec)


def encode(text: str, fmt: str) -> bytes:
    return ("\ufeff" + text).encode("utf-8") if fmt == "ps1" else text.encode("utf-8")


def write_scripts(specs, fmt: str, out_dir: str | Path, *, force: bool = False) -> list[Path]:
    """Render every spec first (nothing is written if one value is refused), then write the files."""
    rendered = [(spec, render(spec, fmt)) for spec in specs]
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RigPilotError(
            "launch-out-dir-unwritable",
            Text(
                "launch",
                "Cannot create the folder {path}: {detail}",
                path=str(out),
                detail=exc.strerror or str(exc),
            ),
            Text("launch", "Choose a folder you can write to."),
        ) from None
    paths = []
    for spec, text in rendered:
        path = out / f"{spec.name}.{fmt}"
        if path.exists() and not force:
            try:
                old = path.read_bytes().decode("utf-8", "replace")
            except OSError:
                old = ""
            if MARKER not in old:
                raise RigPilotError(
                    "launch-would-overwrite",
                    Text("launch", "{path} exists and was not written by RigPilot.", path=str(path)),
                    Text("launch", "Move it away or choose another --out folder."),
                )
        try:
            path.write_bytes(encode(text, fmt))
            if fmt == "sh":
                path.chmod(0o755)
        except OSError as exc:
            raise RigPilotError(
                "launch-out-dir-unwritable",
                Text(
                    "launch", "Cannot write {path}: {detail}", path=str(path), detail=exc.strerror or str(exc)
                ),
                Text("launch", "Choose a folder you can write to."),
            ) from None
        paths.append(path)
    return paths

"""Power limits: show, set (validated, privileged, re-read), reset, confirm-or-revert.

Command-line equivalents: ``nvidia-smi -q -d POWER`` / ``nvidia-smi -i N -pl W`` (NVIDIA),
``cat /sys/class/drm/cardN/device/hwmon/hwmon*/power1_cap*`` / ``echo W000000 | sudo tee power1_cap``
(AMD). Moore Threads has no public setter (MTML 2.2.0), so ``supported`` is false there.

Decisions (documented, tested):

* **Refuse, never clamp, what the user asks for.** A value outside [min, max] raises
  ``power-limit-out-of-range`` with the allowed range in the hint — silently writing a different
  number than the one typed would hide a mistake. The only clamping is the thermal guard's own
  arithmetic (its steps stop at the floor and at the user's limit, see probes/live/guard.py). The
  device may round (NVML takes milliwatts, amdgpu ``power1_cap`` whole watts), so the re-read
  is compared with a tolerance of 1 W or 1 %.
* **Privilege:** the backend writes directly when it needs no privilege (simulated rigs) or
  when we already are root/Administrator; otherwise a tiny helper, ``python -m
  probes.live.power_helper --bus-id BUS --watts W`` (or ``--reset``), is started through ``pkexec``
  (Linux) or UAC (``Start-Process -Verb RunAs``, Windows). It re-probes and validates itself.
* **Re-read after every write:** ``nvidia-smi -pl`` prints "All done." even when a laptop ignores
  the write; a card that reports another limit afterwards raises ``power-limit-ignored``.
* **Confirm or revert:** a write the user has to confirm is a :class:`PendingChange`: the previous
  limit comes back unless the user confirms within the given seconds (LACT does the same with 5 s).
  :func:`set_with_confirm` drives it blocking (``power set --confirm-seconds``), the Monitor page
  from a timer beside its dialog.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from probes.core.errors import RigPilotError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import normalize_bus_id
from probes.live.telemetry.base import PowerConstraints, TelemetryBackend

CTX = "power"
HELPER_SCRIPT = Path(__file__).resolve().with_name("power_helper.py")
HELPER_TIMEOUT_S = 180.0  # the user types a password into the pkexec / UAC prompt
PKEXEC_DISMISSED, PKEXEC_NOT_AUTHORIZED = 126, 127


@dataclass(frozen=True)
class WriteResult:
    gpu: int
    requested_w: float
    previous_w: float | None
    current_w: float | None
    enforced_w: float | None
    via: str  # "direct", "pkexec", "uac"
    verified: bool  # the re-read matched the request
    confirmed: bool | None = None  # None: no confirmation was asked
    reverted: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def show(backend: TelemetryBackend, gpu: int) -> PowerConstraints:
    """The card's power constraints; never raises (an error becomes ``supported: false``)."""
    try:
        return backend.power(gpu)
    except Exception as exc:  # a broken backend must not take the command down
        return PowerConstraints(
            gpu=gpu,
            supported=False,
            reason=Text(
                CTX, "Reading the power limits failed: {detail}", detail=str(getattr(exc, "message", exc))
            ),
        )


def _unsupported(c: PowerConstraints) -> RigPilotError:
    return RigPilotError(
        "power-limit-unsupported",
        c.reason or Text(CTX, "This card's power limit cannot be changed."),
        Text(CTX, "Use the vendor's own tool, if it has one."),
    )


def validate(c: PowerConstraints, watts: float | str | None) -> float:
    """The wattage as float if the card accepts it; else RigPilotError (never clamps)."""
    if not c.supported:
        raise _unsupported(c)
    try:
        w = float("nan") if watts is None else float(watts)
    except (TypeError, ValueError):
        w = float("nan")
    lo = c.min_w
    hi = c.max_w
    if (
        not math.isfinite(w)
        or w <= 0
        or (lo is not None and w < lo - 1e-6)
        or (hi is not None and w > hi + 1e-6)
    ):
        raise RigPilotError(
            "power-limit-out-of-range",
            Text(CTX, "{watts} W is not a valid power limit for GPU {gpu}.", watts=watts, gpu=c.gpu),
            Text(CTX, "Choose a value between {min_w} W and {max_w} W.", min_w=_fmt(lo), max_w=_fmt(hi)),
            context={"min_w": lo, "max_w": hi},
        )
    return w


def _fmt(w: float | None) -> str:
    if w is None:
        return "?"
    return f"{w:.0f}" if float(w).is_integer() else f"{w:.2f}"


def _close_enough(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= max(1.0, 0.01 * b)


# ---- the privileged helper -------------------------------------------------------------------
def helper_argv(host: Host, bus_id: str, watts: float | None, python: str | None = None) -> list[str]:
    """The argv that starts the helper elevated. Only validated, formatted values go in."""
    bus = normalize_bus_id(bus_id)
    if bus is None:
        raise RigPilotError(
            "power-helper-no-bus-id",
            Text(CTX, "The GPU has no PCI bus id, so the privileged helper cannot find it."),
            Text(CTX, "Run RigPilot as root/Administrator to change this card's power limit."),
        )
    args = ["--bus-id", bus] + (["--reset"] if watts is None else ["--watts", f"{float(watts):.2f}"])
    python = python or sys.executable
    if host.platform == "windows":

        def ps_quote(text: str) -> str:
            if any(ch in text for ch in "\r\n\0"):
                raise RigPilotError(
                    "power-helper-unavailable",
                    Text(CTX, "The Python path cannot be passed to the elevation prompt."),
                    Text(CTX, "Install RigPilot in a folder whose path has no line breaks."),
                )
            return "'" + text.replace("'", "''") + "'"

        arg_list = ",".join(ps_quote(a) for a in [str(HELPER_SCRIPT)] + args)
        command = (
            f"$p = Start-Process -FilePath {ps_quote(python)} -ArgumentList {arg_list} "
            f"-Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode"
        )
        return ["powershell", "-NoProfile", "-NonInteractive", "-Command", command]
    return ["pkexec", python, str(HELPER_SCRIPT)] + args


def _run_helper(host: Host, bus_id: str, watts: float | None) -> str:
    argv = helper_argv(host, bus_id, watts)
    via = "uac" if host.platform == "windows" else "pkexec"
    if via == "pkexec" and not host.which("pkexec"):
        raise RigPilotError(
            "power-helper-unavailable",
            Text(
                CTX,
                "Changing the power limit needs administrator rights, and pkexec (polkit) is not installed.",
            ),
            Text(
                CTX,
                "Install polkit (package 'pkexec' or 'polkit'), or run 'sudo python main.py power set ...'.",
            ),
        )
    result = host.run(argv, timeout_s=HELPER_TIMEOUT_S)
    if result.error == "timeout":
        raise RigPilotError(
            "power-helper-timeout",
            Text(CTX, "The administrator prompt was not answered in time."),
            Text(CTX, "Try again and confirm the prompt."),
        )
    if result.error is not None:
        raise RigPilotError(
            "power-helper-unavailable",
            Text(
                CTX,
                "The privileged helper could not be started: {detail}",
                detail=result.detail or result.error,
            ),
            Text(CTX, "Run RigPilot as root/Administrator to change the power limit."),
        )
    if via == "pkexec" and result.rc in (PKEXEC_DISMISSED, PKEXEC_NOT_AUTHORIZED):
        raise RigPilotError(
            "power-helper-denied",
            Text(CTX, "Administrator rights were not granted."),
            Text(CTX, "Confirm the password prompt to change the power limit."),
        )
    reply = _last_json(result.stdout)
    if reply is not None and not reply.get("ok", False):
        err = reply.get("error") or {}
        raise RigPilotError(
            str(err.get("code") or "power-helper-failed"), str(err.get("message") or "-"), err.get("hint")
        )
    if result.rc not in (0, None):
        raise RigPilotError(
            "power-helper-failed",
            Text(CTX, "The privileged helper failed (exit code {rc}).", rc=result.rc),
            Text(CTX, "Run 'python -m probes.live.power_helper --help' as root to see why."),
        )
    return via


def _last_json(text: str) -> dict | None:
    for line in reversed((text or "").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
    return None


# ---- writes ----------------------------------------------------------------------------------
def write(
    backend: TelemetryBackend, gpu: int, watts: float | None, *, host: Host, bus_id: str | None = None
) -> str:
    """Write a limit (None: the default) directly or through the helper; returns how ("direct"...)."""
    direct = not getattr(backend, "write_needs_privilege", True) or host.is_admin()
    if direct:
        target = watts
        if target is None:
            target = show(backend, gpu).default_w
            if target is None:
                raise _unsupported(show(backend, gpu))
        backend.set_power_limit(gpu, float(target))
        return "direct"
    return _run_helper(host, bus_id or "", watts)


def apply(
    backend: TelemetryBackend, gpu: int, watts: float | str, *, host: Host, bus_id: str | None = None
) -> WriteResult:
    """Validate, write, re-read. Raises RigPilotError (out of range, unsupported, ignored, denied)."""
    c = show(backend, gpu)
    w = validate(c, watts)
    via = write(backend, gpu, w, host=host, bus_id=bus_id)
    return _verify(backend, gpu, w, c.current_w, via)


def reset(backend: TelemetryBackend, gpu: int, *, host: Host, bus_id: str | None = None) -> WriteResult:
    """Back to the card's default limit."""
    c = show(backend, gpu)
    if not c.supported:
        raise _unsupported(c)
    if c.default_w is None:
        raise RigPilotError(
            "power-limit-no-default",
            Text(CTX, "GPU {gpu} does not report a default power limit.", gpu=gpu),
            Text(CTX, "Set the limit explicitly with 'power set'."),
        )
    via = write(backend, gpu, None, host=host, bus_id=bus_id)
    return _verify(backend, gpu, c.default_w, c.current_w, via)


def _verify(
    backend: TelemetryBackend, gpu: int, requested: float, previous: float | None, via: str
) -> WriteResult:
    after = show(backend, gpu)
    current = after.current_w if after.current_w is not None else after.enforced_w
    if current is not None and not _close_enough(current, requested):
        raise RigPilotError(
            "power-limit-ignored",
            Text(
                CTX,
                "GPU {gpu} still reports {current} W after the write of {requested} W: the card "
                "ignored the change.",
                gpu=gpu,
                current=_fmt(current),
                requested=_fmt(requested),
            ),
            Text(
                CTX,
                "Many laptops manage the GPU power limit themselves and discard writes "
                "(nvidia-smi still prints 'All done.'). Use the laptop's power profile instead.",
            ),
            context={"current_w": current, "requested_w": requested},
        )
    return WriteResult(
        gpu=gpu,
        requested_w=requested,
        previous_w=previous,
        current_w=after.current_w,
        enforced_w=after.enforced_w,
        via=via,
        verified=current is not None,
    )


class PendingChange:
    """A limit that is written but not yet kept: confirm it, or the previous limit comes back.

    The deadline runs from when the change is created, that is when the user is asked, for
    ``confirm_seconds`` on ``clock``. Whoever asks drives it: the command line blocks on the terminal
    (:func:`set_with_confirm`), the Monitor page counts down on a timer (:meth:`countdown`) and
    reverts at zero. An answer only keeps the change when it came before the deadline (:meth:`kept`).
    """

    def __init__(
        self,
        backend: TelemetryBackend,
        result: WriteResult,
        *,
        host: Host,
        confirm_seconds: float,
        bus_id: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.result = result
        self.gpu = result.gpu
        self.host = host
        self.bus_id = bus_id
        self.confirm_seconds = float(confirm_seconds)
        self.clock = clock
        self.deadline = clock() + self.confirm_seconds
        self.restored_w: float | None = None  # the limit revert() wrote back

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def countdown(self) -> int:
        """Whole seconds left as a once-a-second display shows them (a tick a little early or late
        still shows the same number)."""
        return int(round(self.seconds_left()))

    def expired(self) -> bool:
        return self.clock() >= self.deadline

    def kept(self, confirmed: bool) -> bool:
        """Does this answer keep the change? Only a yes before the deadline does."""
        return bool(confirmed) and not self.expired()

    def confirm(self) -> WriteResult:
        return WriteResult(**{**asdict(self.result), "confirmed": True})

    def revert(self) -> WriteResult:
        """Write the previous limit back (the default where the previous one was unknown) and re-read."""
        previous = self.result.previous_w
        if previous is None:
            reverted = reset(self.backend, self.gpu, host=self.host, bus_id=self.bus_id)
        else:
            via = write(self.backend, self.gpu, previous, host=self.host, bus_id=self.bus_id)
            reverted = _verify(self.backend, self.gpu, previous, self.result.requested_w, via)
        self.restored_w = reverted.requested_w
        return WriteResult(
            **{
                **asdict(self.result),
                "current_w": reverted.current_w,
                "enforced_w": reverted.enforced_w,
                "confirmed": False,
                "reverted": True,
            }
        )

    def settle(self, confirmed: bool) -> WriteResult:
        """Keep the change if :meth:`kept`, else revert it."""
        return self.confirm() if self.kept(confirmed) else self.revert()


def set_with_confirm(
    backend: TelemetryBackend,
    gpu: int,
    watts: float | str,
    *,
    host: Host,
    confirm_seconds: float | None,
    ask: Callable[[float], bool],
    bus_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> WriteResult:
    """Write, then ``ask(seconds) -> bool`` (blocking); without a timely yes, the previous limit is back."""
    result = apply(backend, gpu, watts, host=host, bus_id=bus_id)
    if not confirm_seconds:
        return result
    pending = PendingChange(
        backend, result, host=host, confirm_seconds=confirm_seconds, bus_id=bus_id, clock=clock
    )
    try:
        confirmed = bool(ask(pending.confirm_seconds))
    except Exception:
        confirmed = False
    return pending.settle(confirmed)

"""NVIDIA telemetry: NVML first, a long-lived ``nvidia-smi -lms`` loop as the fallback.

Command-line equivalent of one sample::

    nvidia-smi --query-gpu=index,pci.bus_id,temperature.gpu,memory.used,memory.total,utilization.gpu,\\
               power.draw,enforced.power.limit,clocks.sm,fan.speed --format=csv,noheader,nounits -lms 1000

NVML: memory v2 (v1 counts reserved memory as used), ``nvmlDeviceGetTemperatureV`` with the legacy
fallback, NotSupported -> None, GPU lost -> ``Sample(state="lost")`` and the handle is re-acquired
(NVML re-initialised at most every 10 s) until the GPU answers again. Names and limits are cached.

Power: ``power(gpu)`` reads NVML's constraints (mW -> W); ``set_power_limit(gpu, W)`` is only the
NVML write (``nvmlDeviceSetPowerManagementLimit``, needs root/admin) followed by a re-read. Range
validation, confirm-or-revert and the pkexec/UAC helper belong to the power command.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from types import ModuleType

from probes.core.errors import ParseError, RigPilotError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import ProbeResult, normalize_bus_id
from probes.detect.nvml import (
    DRIVER_MISMATCH,
    DRIVER_NOT_LOADED,
    GPU_LOST,
    INVALID_ARGUMENT,
    NO_PERMISSION,
    NOT_SUPPORTED,
    Nvml,
    NvmlFailure,
)
from probes.detect.parsers import nvidia_smi as smi
from probes.live.telemetry.base import LOST, OK, UNAVAILABLE, PowerConstraints, Sample, TelemetryBackend

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 64 * 1024  # one CSV line of the loop; a longer one is not nvidia-smi's

PRIORITY = 10
STATIC_TTL_S = 10.0  # names, limits, VRAM total: re-read at most this often
REINIT_EVERY_S = 10.0  # after a GPU is lost, re-initialise NVML at most this often


def _targets(result: ProbeResult) -> dict[int, dict]:
    """{probe index: {"bus_id", "vendor_index"}} for the NVIDIA GPUs of a ProbeResult."""
    out = {}
    for g in getattr(result, "gpus", []) or []:
        if g.vendor == "nvidia" and g.index is not None:
            out[g.index] = {"bus_id": normalize_bus_id(g.pci.bus_id), "vendor_index": g.vendor_index}
    return out


# ---- NVML ----------------------------------------------------------------------------------
class NvmlBackend(TelemetryBackend):
    name = "nvml"

    def __init__(self, module: ModuleType, targets: dict[int, dict]) -> None:
        self.nv = Nvml(module)
        self.targets = dict(targets)
        self._handles: dict[int, object] = {}
        self._static: dict[int, tuple[float, dict]] = {}
        self._last_reinit = -1e18
        self._lock = threading.RLock()

    def open(self) -> NvmlBackend:
        self.nv.open()
        return self

    def gpus(self) -> list[int]:
        return sorted(self.targets)

    # handles: matched by PCI bus id, else by NVML index
    def _find_handle(self, gpu: int) -> object:  # an opaque NVML device handle
        if gpu in self._handles:
            return self._handles[gpu]
        want = self.targets[gpu]
        n = self.nv.device_count()
        for i in range(n):
            try:
                h = self.nv.handle(i)
            except NvmlFailure as exc:
                if exc.kind == GPU_LOST and i == want.get("vendor_index"):
                    raise
                continue
            bus, _v, _d = self.nv.pci(h)
            if (want.get("bus_id") and bus == want["bus_id"]) or (
                not want.get("bus_id") and i == want.get("vendor_index")
            ):
                self._handles[gpu] = h
                return h
        raise NvmlFailure(GPU_LOST, f"no NVML device for GPU {gpu}")

    def _static_fields(self, gpu: int, h: object, now: float) -> dict:
        cached = self._static.get(gpu)
        if cached is not None and now - cached[0] < STATIC_TTL_S:
            return cached[1]
        fields = self.nv.power_constraints(h)
        total, _u, _r, _api = self.nv.memory(h)
        fields["memory_total_bytes"] = total
        self._static[gpu] = (now, fields)
        return fields

    def _forget(self, gpu: int) -> None:
        self._handles.pop(gpu, None)
        self._static.pop(gpu, None)

    def _reinit(self, now: float) -> None:
        if now - self._last_reinit < REINIT_EVERY_S:
            return
        self._last_reinit = now
        self.nv.close()
        self._handles.clear()
        try:
            self.nv.open()
        except NvmlFailure:
            log.debug("NVML re-init failed", exc_info=True)

    def _sample_one(self, gpu: int, now: float) -> Sample:
        try:
            h = self._find_handle(gpu)
            st = self._static_fields(gpu, h, now)
            total, used, _res, _api = self.nv.memory(h)
            return Sample(
                t=now,
                gpu=gpu,
                temperature_c=self.nv.temperature(h),
                hotspot_c=None,
                memory_used_bytes=used,
                memory_total_bytes=total if total is not None else st.get("memory_total_bytes"),
                utilization_pct=self.nv.utilization(h),
                power_draw_w=self.nv.power_draw_w(h),
                power_limit_w=st["enforced_w"] if st.get("enforced_w") is not None else st.get("current_w"),
                clock_mhz=self.nv.clock_sm(h),
                fan_pct=self.nv.fan(h),
                state=OK,
                source=self.name,
            )
        except NvmlFailure as exc:
            self._forget(gpu)
            if exc.kind == GPU_LOST:
                self._reinit(now)
                return Sample(t=now, gpu=gpu, state=LOST, source=self.name)
            if exc.kind in (DRIVER_NOT_LOADED, DRIVER_MISMATCH):
                self._reinit(now)
            return Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name)
        except Exception:  # noqa: BLE001 - sample() must never raise
            log.exception("NVML sample of GPU %s failed", gpu)
            return Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name)

    def sample(self, now: float) -> list[Sample]:
        with self._lock:
            return [self._sample_one(g, now) for g in self.gpus()]

    # ---- power -----------------------------------------------------------------------------
    def power(self, gpu: int) -> PowerConstraints:
        with self._lock:
            try:
                h = self._find_handle(gpu)
                c = self.nv.power_constraints(h)
            except NvmlFailure as exc:
                self._forget(gpu)
                return PowerConstraints(gpu=gpu, supported=False, reason=_failure_reason(exc))
        supported = c["min_w"] is not None and c["max_w"] is not None
        reason = (
            None
            if supported
            else Text(
                "nvidia", "The driver does not let this card's power limit be changed (NVML: not supported)."
            )
        )
        return PowerConstraints(
            gpu=gpu,
            supported=supported,
            reason=reason,
            min_w=c["min_w"],
            max_w=c["max_w"],
            default_w=c["default_w"],
            current_w=c["current_w"],
            enforced_w=c["enforced_w"],
        )

    def set_power_limit(self, gpu: int, watts: float) -> float:
        """NVML write in milliwatts, then re-read; returns the enforced limit in watts."""
        with self._lock:
            try:
                h = self._find_handle(gpu)
                self.nv.set_power_limit_mw(h, int(round(float(watts) * 1000)))
            except NvmlFailure as exc:
                self._forget(gpu)
                raise _power_error(exc, gpu, watts) from None
            self._static.pop(gpu, None)
            try:
                c = self.nv.power_constraints(h)
            except NvmlFailure as exc:
                self._forget(gpu)
                raise _power_error(exc, gpu, watts) from None
        value = c["enforced_w"] if c["enforced_w"] is not None else c["current_w"]
        if value is None:
            raise RigPilotError(
                "power-limit-unreadable",
                Text(
                    "nvidia", "The power limit of GPU {gpu} could not be read back after the change.", gpu=gpu
                ),
                Text("nvidia", "Check it with 'nvidia-smi -q -d power'."),
            )
        return value

    def close(self) -> None:
        with self._lock:
            self._handles.clear()
            self.nv.close()


def _failure_reason(exc: NvmlFailure) -> Text:
    if exc.kind == GPU_LOST:
        return Text("nvidia", "The GPU is lost (fell off the bus); its power limit cannot be read.")
    return Text("nvidia", "NVML could not read the power limits: {detail}", detail=exc.detail or exc.kind)


def _power_error(exc: NvmlFailure, gpu: int, watts: float) -> RigPilotError:
    if exc.kind == NO_PERMISSION:
        return RigPilotError(
            "power-permission-denied",
            Text("nvidia", "Changing the power limit of GPU {gpu} needs administrator rights.", gpu=gpu),
            Text(
                "nvidia",
                "Run the change through RigPilot's privileged helper (pkexec on Linux, UAC on Windows), "
                "or as root/administrator. Inside a container it also needs --cap-add=SYS_ADMIN.",
            ),
            context={"gpu": gpu, "watts": watts},
        )
    if exc.kind == NOT_SUPPORTED:
        return RigPilotError(
            "power-limit-unsupported",
            Text(
                "nvidia", "The driver does not let this card's power limit be changed (NVML: not supported)."
            ),
            Text("nvidia", "Many laptop GPUs manage their power themselves; there is nothing to set."),
            context={"gpu": gpu, "watts": watts},
        )
    if exc.kind == INVALID_ARGUMENT:
        return RigPilotError(
            "power-limit-out-of-range",
            Text(
                "nvidia",
                "{watts} W is outside the power range the driver allows for GPU {gpu}.",
                watts=watts,
                gpu=gpu,
            ),
            Text("nvidia", "Run 'python main.py power show --gpu {gpu}' to see the allowed range.", gpu=gpu),
            context={"gpu": gpu, "watts": watts},
        )
    if exc.kind == GPU_LOST:
        return RigPilotError(
            "nvidia-gpu-lost",
            Text("nvidia", "The GPU is lost (fell off the bus); its power limit cannot be read."),
            Text("nvidia", "Check the power cables and reboot."),
            context={"gpu": gpu},
        )
    return RigPilotError(
        "power-limit-failed",
        Text("nvidia", "NVML refused the power limit: {detail}", detail=exc.detail or exc.kind),
        Text("nvidia", "Check it with 'nvidia-smi -q -d power'."),
        context={"gpu": gpu},
    )


# ---- nvidia-smi loop mode ------------------------------------------------------------------
class SmiLoopBackend(TelemetryBackend):
    """Reads ``nvidia-smi --query-gpu=... -lms N`` line by line from one long-lived process.

    This is the one place a long-lived subprocess is started (argv list, no shell, own session);
    ``close()`` stops it, and ``sample()`` restarts it (at most every ``restart_every_s``) if it died.
    """

    name = "nvidia-smi"

    def __init__(
        self,
        host: Host,
        exe: str,
        targets: dict[int, dict],
        interval_s: float = 1.0,
        restart_every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.exe = exe
        self.targets = dict(targets)
        self.interval_ms = max(100, int(round(interval_s * 1000)))
        self.restart_every_s = restart_every_s
        self.clock = clock
        self.fields = smi.TELEMETRY_FIELDS
        self._proc: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._latest: dict[str, tuple[float, dict]] = {}  # bus id -> (clock, row)
        self._lock = threading.Lock()
        self._last_start = -1e18
        self._closed = False
        self.starts = 0
        self.parse_errors = 0
        self._power: dict[int, PowerConstraints] = {}

    @property
    def argv(self) -> list[str]:
        return smi.query_argv(self.exe, self.fields, loop_ms=self.interval_ms)

    def gpus(self) -> list[int]:
        return sorted(self.targets)

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        if self._closed or self.running():
            return
        self._stop_process()
        self._last_start = self.clock()
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
        else:  # pragma: no cover - Windows only
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            self._proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,  # noqa: S603
                stderr=subprocess.DEVNULL,
                env=dict(self.host.env or {}),
                **kwargs,
            )
        except OSError:
            log.debug("cannot start %s", self.argv, exc_info=True)
            self._proc = None
            return
        self.starts += 1
        proc = self._proc
        self._reader = threading.Thread(target=self._read, args=(proc,), name="nvidia-smi-loop", daemon=True)
        self._reader.start()

    def _read(self, proc: subprocess.Popen) -> None:
        stream = proc.stdout
        if stream is None:
            return
        skipping = False
        for raw in iter(lambda: stream.readline(MAX_LINE_BYTES), b""):
            whole = raw.endswith(b"\n")
            if skipping or not whole and len(raw) >= MAX_LINE_BYTES:
                if not skipping:
                    self.parse_errors += 1  # a line no nvidia-smi prints: skip it, bounded memory
                skipping = not whole
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                rows = smi.parse_query_csv(line, self.fields)
            except ParseError:
                self.parse_errors += 1
                continue
            for row in rows:
                bus = normalize_bus_id(row.get("pci.bus_id"))
                if bus:
                    with self._lock:
                        self._latest[bus] = (self.clock(), row)
        try:
            stream.close()
        except OSError:
            pass

    def sample(self, now: float) -> list[Sample]:
        if not self.running() and self.clock() - self._last_start >= self.restart_every_s:
            self.start()
        fresh_for = max(3.0, 3 * self.interval_ms / 1000.0)
        out = []
        current = self.clock()
        for gpu in self.gpus():
            bus = self.targets[gpu].get("bus_id")
            with self._lock:
                item = self._latest.get(bus) if bus else None
            if item is None or current - item[0] > fresh_for:
                out.append(Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name))
                continue
            row = item[1]
            out.append(
                Sample(
                    t=now,
                    gpu=gpu,
                    temperature_c=row.get("temperature.gpu"),
                    memory_used_bytes=smi.mib_to_bytes(row.get("memory.used")),
                    memory_total_bytes=smi.mib_to_bytes(row.get("memory.total")),
                    utilization_pct=row.get("utilization.gpu"),
                    power_draw_w=row.get("power.draw"),
                    power_limit_w=row.get("enforced.power.limit"),
                    clock_mhz=row.get("clocks.sm"),
                    fan_pct=row.get("fan.speed"),
                    state=OK,
                    source=self.name,
                )
            )
        return out

    def power(self, gpu: int) -> PowerConstraints:
        """Read-only constraints from a one-shot query (no NVML: no writes from this backend)."""
        fields = (
            "pci.bus_id",
            "power.min_limit",
            "power.max_limit",
            "power.default_limit",
            "power.limit",
            "enforced.power.limit",
        )
        reason = Text(
            "nvidia",
            "NVML (nvidia-ml-py) is not available, so RigPilot cannot change this card's power limit.",
        )
        res = self.host.run(smi.query_argv(self.exe, fields), 5.0)
        if res.ok:
            try:
                rows = smi.parse_query_csv(res.stdout, fields)
            except ParseError:
                rows = []
            bus = self.targets.get(gpu, {}).get("bus_id")
            for row in rows:
                if normalize_bus_id(row.get("pci.bus_id")) == bus:
                    return PowerConstraints(
                        gpu=gpu,
                        supported=False,
                        reason=reason,
                        min_w=row.get("power.min_limit"),
                        max_w=row.get("power.max_limit"),
                        default_w=row.get("power.default_limit"),
                        current_w=row.get("power.limit"),
                        enforced_w=row.get("enforced.power.limit"),
                    )
        return PowerConstraints(gpu=gpu, supported=False, reason=reason)

    def _stop_process(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                proc.terminate()
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                try:
                    proc.wait(timeout=2)
                except subprocess.TimeoutExpired:  # pragma: no cover
                    log.warning("nvidia-smi loop did not stop")
            except OSError:
                pass
        if self._reader is not None:
            self._reader.join(timeout=2)
            self._reader = None

    def close(self) -> None:
        self._closed = True
        self._stop_process()


# ---- discovery -----------------------------------------------------------------------------
def backends(host: Host, result: ProbeResult, *, interval_s: float = 1.0) -> list[TelemetryBackend]:
    """NVML for the NVIDIA GPUs of ``result`` when it opens; else the nvidia-smi loop; else []."""
    targets = _targets(result)
    if not targets:
        return []
    simulation = getattr(host, "simulation", None)
    if getattr(host, "simulated", None) and simulation:
        return []  # simulated rigs with a thermal model are served by the simulator backend
    module = host.import_module("pynvml")
    if module is not None:
        try:
            return [NvmlBackend(module, targets).open()]
        except NvmlFailure as exc:
            log.info("NVML telemetry unavailable (%s); trying nvidia-smi", exc.kind)
    if getattr(host, "replay_dir", None) is not None:
        return []  # a recording cannot run a live process
    from probes.detect.sources.nvidia import find_smi

    exe = find_smi(host)
    if exe is None:
        return []
    backend = SmiLoopBackend(host, exe, targets, interval_s=interval_s)
    backend.start()
    return [backend]

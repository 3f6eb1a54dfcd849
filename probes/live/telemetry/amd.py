"""AMD telemetry: amdgpu hwmon/sysfs first, then ``amd-smi metric --json``, then ``rocm-smi --json``.

Sysfs nodes (units in probes/detect/parsers/amdgpu_sysfs.py): ``hwmon/hwmonN/temp*_input`` with
``temp*_label`` (edge -> temperature_c, junction -> hotspot_c), ``power1_average`` or
``power1_input`` (µW), ``power1_cap`` (µW), ``pwm1``/``pwm1_max`` (fan), and on the PCI device
``mem_info_vram_used``/``mem_info_vram_total`` (bytes), ``gpu_busy_percent``, ``pp_dpm_sclk``.

Laptops: the amdgpu hwmon handlers call ``pm_runtime_get_sync`` (amdgpu_pm.c), so reading them
resumes a runtime-suspended dGPU (nvtop #211/#267 report exactly that). Every sample therefore
reads ``/sys/bus/pci/devices/<bus>/power/runtime_status`` first and, when it says ``suspended``,
returns ``state="asleep"`` without touching any other node.

Power limits: ``power1_cap`` is root-writable only (S_IRUGO | S_IWUSR); the driver keeps whole
watts (it divides by 1 000 000). Validation, clamping, confirm-or-revert and the privileged helper
live in the monitor; ``set_power_limit`` here only writes and re-reads.
"""

from __future__ import annotations

import logging
import re

from probes.core.errors import ParseError, RigPilotError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import ProbeResult
from probes.detect.parsers import amd_smi, rocm_smi
from probes.detect.parsers import amdgpu_sysfs as sysfs
from probes.live.telemetry.base import (
    ASLEEP,
    LOST,
    OK,
    UNAVAILABLE,
    PowerConstraints,
    Sample,
    TelemetryBackend,
)

log = logging.getLogger(__name__)

PRIORITY = 20
TOOL_TIMEOUT_S = 3.0
CTX = "telemetry"


def _pci(bus: str) -> str:
    return f"/sys/bus/pci/devices/{bus}"


def runtime_suspended(host: Host, bus: str) -> bool:
    status = host.read_text(f"{_pci(bus)}/power/runtime_status")
    return status is not None and status.strip() == "suspended"


def find_hwmon(host: Host, bus: str) -> str | None:
    """The hwmon folder of a PCI device (listing a directory never resumes the device)."""
    base = f"{_pci(bus)}/hwmon"
    for name in host.listdir(base):
        if re.fullmatch(r"hwmon\d+", name):
            return f"{base}/{name}"
    return None


class AmdSysfsBackend(TelemetryBackend):
    name = "amdgpu-sysfs"

    def __init__(self, host: Host, cards: dict[int, str]) -> None:
        """``cards``: {gpu index: PCI bus id}."""
        self.host = host
        self.cards = dict(cards)
        self._hwmon: dict[int, str | None] = {}
        self._temp_channels: dict[int, list[str]] = {}

    def gpus(self) -> list[int]:
        return sorted(self.cards)

    def _hw(self, gpu: int) -> str | None:
        if self._hwmon.get(gpu) is None:
            self._hwmon[gpu] = find_hwmon(self.host, self.cards[gpu])
        return self._hwmon[gpu]

    def _read(self, path: str) -> str | None:
        return self.host.read_text(path)

    def sample(self, now: float) -> list[Sample]:
        out = []
        for gpu in self.gpus():
            try:
                out.append(self._sample_one(gpu, now))
            except Exception:  # never raise from sample()
                log.exception("amdgpu sysfs sample failed")
                out.append(Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name))
        return out

    def _sample_one(self, gpu: int, now: float) -> Sample:
        bus = self.cards[gpu]
        base = _pci(bus)
        if runtime_suspended(self.host, bus):
            return Sample(t=now, gpu=gpu, state=ASLEEP, source=self.name)
        if not self.host.exists(f"{base}/vendor"):
            self._hwmon[gpu] = None
            return Sample(t=now, gpu=gpu, state=LOST, source=self.name)
        hw = self._hw(gpu)
        temps: dict[str, float] = {}
        draw = cap = fan = None
        if hw:
            chans = self._temp_channels.get(gpu)
            if chans is None:
                chans = sorted(
                    {m.group(1) for n in self.host.listdir(hw) if (m := re.fullmatch(r"(temp\d+)_input", n))}
                )
                self._temp_channels[gpu] = chans
            temps = sysfs.label_temps(
                {c: (self._read(f"{hw}/{c}_label"), self._read(f"{hw}/{c}_input")) for c in chans}
            )
            draw = sysfs.microwatts(self._read(f"{hw}/power1_average"))
            if draw is None:
                draw = sysfs.microwatts(self._read(f"{hw}/power1_input"))
            cap = sysfs.microwatts(self._read(f"{hw}/power1_cap"))
            pwm = sysfs.parse_int(self._read(f"{hw}/pwm1"))
            if pwm is not None:
                pwm_max = sysfs.parse_int(self._read(f"{hw}/pwm1_max")) or 255
                if 0 <= pwm <= pwm_max:
                    fan = round(100.0 * pwm / pwm_max, 1)
        used = sysfs.parse_int(self._read(f"{base}/mem_info_vram_used"))
        total = sysfs.parse_int(self._read(f"{base}/mem_info_vram_total"))
        return Sample(
            t=now,
            gpu=gpu,
            temperature_c=temps.get("edge", temps.get("temp1")),
            hotspot_c=temps.get("junction"),
            memory_used_bytes=used if used is not None and used >= 0 else None,
            memory_total_bytes=total if total else None,
            utilization_pct=sysfs.percent(self._read(f"{base}/gpu_busy_percent")),
            power_draw_w=draw,
            power_limit_w=cap,
            clock_mhz=sysfs.current_dpm_mhz(self._read(f"{base}/pp_dpm_sclk")),
            fan_pct=fan,
            state=OK,
            source=self.name,
        )

    # ---- power -------------------------------------------------------------------------------
    def power(self, gpu: int) -> PowerConstraints:
        hw = self._hw(gpu) if gpu in self.cards else None
        cap = sysfs.microwatts(self._read(f"{hw}/power1_cap")) if hw else None
        if cap is None:
            return PowerConstraints(
                gpu=gpu,
                supported=False,
                reason=Text(
                    CTX,
                    "The amdgpu driver exposes no power1_cap for this GPU "
                    "(some APUs and virtual functions hide it).",
                ),
            )
        return PowerConstraints(
            gpu=gpu,
            supported=True,
            min_w=sysfs.microwatts(self._read(f"{hw}/power1_cap_min")),
            max_w=sysfs.microwatts(self._read(f"{hw}/power1_cap_max")),
            default_w=sysfs.microwatts(self._read(f"{hw}/power1_cap_default")),
            current_w=cap,
            enforced_w=cap,
        )

    def set_power_limit(self, gpu: int, watts: float) -> float:
        hw = self._hw(gpu) if gpu in self.cards else None
        if not hw or not self.host.exists(f"{hw}/power1_cap"):
            raise RigPilotError(
                "power-limit-unsupported",
                self.power(gpu).reason or "",
                Text(CTX, "Use the vendor's own tool, if it has one."),
            )
        path = f"{hw}/power1_cap"
        microwatts = int(round(float(watts) * 1_000_000))
        try:
            self.host.write_text(path, f"{microwatts}\n")
        except PermissionError:
            raise RigPilotError(
                "power-permission-denied",
                Text(
                    CTX,
                    "Changing the power limit of GPU {gpu} needs administrator rights ({path}).",
                    gpu=gpu,
                    path=path,
                ),
                Text(
                    CTX,
                    "Let RigPilot ask for your password (pkexec), or run: "
                    "echo {microwatts} | sudo tee {path}",
                    microwatts=microwatts,
                    path=path,
                ),
                context={"gpu": gpu, "path": path},
            ) from None
        except OSError as exc:
            raise RigPilotError(
                "power-write-failed",
                Text(
                    CTX,
                    "The driver refused the power limit {watts} W for GPU {gpu}: {detail}",
                    watts=watts,
                    gpu=gpu,
                    detail=exc.strerror or str(exc),
                ),
                Text(
                    CTX,
                    "The card may be suspended, resetting, or a virtual function; "
                    "check the allowed range with 'power show'.",
                ),
                context={"gpu": gpu, "path": path},
            ) from None
        now = sysfs.microwatts(self._read(path))
        if now is None:
            raise RigPilotError(
                "power-readback-failed",
                Text(CTX, "The power limit of GPU {gpu} could not be read back after writing it.", gpu=gpu),
                Text(CTX, "Check the value with 'power show' before relying on it."),
            )
        return now


class _ToolBackend(TelemetryBackend):
    """Shared parts of the amd-smi / rocm-smi backends: one tool run per sample for all GPUs."""

    def __init__(self, host: Host, exe: str, index_map: dict[int, int]) -> None:
        """``index_map``: {gpu index in the probe result: the tool's own index}."""
        self.host, self.exe, self.index_map = host, exe, dict(index_map)

    def gpus(self) -> list[int]:
        return sorted(self.index_map)

    def _records(self) -> dict[int, dict] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, now: float) -> list[Sample]:
        try:
            recs = self._records()
        except Exception:
            log.exception("%s sample failed", self.name)
            recs = None
        out = []
        for gpu, tool_index in sorted(self.index_map.items()):
            rec = (recs or {}).get(tool_index)
            if rec is None:
                out.append(
                    Sample(t=now, gpu=gpu, state=UNAVAILABLE if recs is None else LOST, source=self.name)
                )
                continue
            out.append(
                Sample(
                    t=now,
                    gpu=gpu,
                    temperature_c=rec.get("temperature_c"),
                    hotspot_c=rec.get("hotspot_c"),
                    memory_used_bytes=rec.get("memory_used_bytes", rec.get("vram_used_bytes")),
                    memory_total_bytes=rec.get("memory_total_bytes", rec.get("vram_total_bytes")),
                    utilization_pct=rec.get("utilization_pct"),
                    power_draw_w=rec.get("power_draw_w"),
                    power_limit_w=rec.get("power_cap_w"),
                    clock_mhz=rec.get("clock_mhz"),
                    fan_pct=rec.get("fan_pct"),
                    state=OK,
                    source=self.name,
                )
            )
        return out


class AmdSmiBackend(_ToolBackend):
    name = "amd-smi"

    def _records(self):
        run = self.host.run([self.exe, "metric", "--json"], timeout_s=TOOL_TIMEOUT_S)
        if not run.ok:
            return None
        try:
            return {r["index"]: r for r in amd_smi.parse_metric(run.stdout)}
        except ParseError:
            return None


class RocmSmiBackend(_ToolBackend):
    name = "rocm-smi"
    ARGS = (
        "--showtemp",
        "--showpower",
        "--showuse",
        "--showmeminfo",
        "vram",
        "--showclocks",
        "--showfan",
        "--json",
    )

    def _records(self):
        run = self.host.run([self.exe, *self.ARGS], timeout_s=TOOL_TIMEOUT_S)
        if not run.ok:
            return None
        try:
            return {c["card"]: c for c in rocm_smi.parse(run.stdout)["cards"]}
        except ParseError:
            return None


def _amd_gpus(result: ProbeResult) -> list:
    return [g for g in getattr(result, "gpus", []) if g.vendor == "amd" and g.index is not None]


def backends(host: Host, result: ProbeResult) -> list[TelemetryBackend]:
    if host.platform != "linux":
        return []
    gpus = _amd_gpus(result)
    out: list[TelemetryBackend] = []
    sysfs_cards = {
        g.index: g.key()
        for g in gpus
        if g.key() and host.exists(f"{_pci(g.key())}/vendor") and find_hwmon(host, g.key())
    }
    if sysfs_cards:
        out.append(AmdSysfsBackend(host, sysfs_cards))
    rest = [g for g in gpus if g.index not in sysfs_cards]
    if not rest:
        return out
    exe = host.which("amd-smi")
    if exe:
        mapping = {g.index: g.vendor_index for g in rest if g.vendor_index is not None}
        if not mapping and len(rest) == 1:
            mapping = {rest[0].index: 0}
        if mapping:
            out.append(AmdSmiBackend(host, exe, mapping))
            return out
    exe = host.which("rocm-smi")
    if exe:
        mapping = {g.index: (g.vendor_index if g.vendor_index is not None else n) for n, g in enumerate(rest)}
        out.append(RocmSmiBackend(host, exe, mapping))
    return out

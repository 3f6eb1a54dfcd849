"""The shared telemetry contract: ``Sample``, ``PowerConstraints`` and the backend interface.

Every backend (NVML, MTML / mthreads-gmi, amdgpu sysfs, amd-smi/rocm-smi, xpu-smi, Windows
counters, simulated) returns the same ``Sample``; a value the source does not give is None, never 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from probes.core.i18n import Text, render

SAMPLE_FIELDS = (
    "temperature_c",
    "hotspot_c",
    "memory_used_bytes",
    "memory_total_bytes",
    "utilization_pct",
    "power_draw_w",
    "power_limit_w",
    "clock_mhz",
    "fan_pct",
)

# Sample.state values
OK, LOST, ASLEEP, UNAVAILABLE = "ok", "lost", "asleep", "unavailable"


@dataclass(frozen=True)
class Sample:
    t: float  # seconds (the sampler's clock: wall time, or simulated)
    gpu: int  # index in the probe result
    temperature_c: float | None = None
    hotspot_c: float | None = None
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    utilization_pct: float | None = None
    power_draw_w: float | None = None
    power_limit_w: float | None = None
    clock_mhz: float | None = None
    fan_pct: float | None = None
    state: str = OK
    source: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PowerConstraints:
    gpu: int
    supported: bool
    reason: Text | str | None = None
    min_w: float | None = None
    max_w: float | None = None
    default_w: float | None = None
    current_w: float | None = None
    enforced_w: float | None = None

    def to_json(self, lang: str | None = None) -> dict:
        d = asdict(self)
        d["reason"] = render(self.reason, lang)
        return d


class TelemetryBackend:
    """One telemetry source for one or more GPUs. Implementations must never raise from sample()."""

    name = "backend"

    def gpus(self) -> list[int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, now: float) -> list[Sample]:  # pragma: no cover - abstract
        raise NotImplementedError

    def power(self, gpu: int) -> PowerConstraints:
        return PowerConstraints(
            gpu=gpu, supported=False, reason=Text("telemetry", "This source cannot change the power limit.")
        )

    def set_power_limit(self, gpu: int, watts: float) -> float:
        """Write the limit, re-read it and return what the card reports now. Raises RigPilotError."""
        from probes.core.errors import RigPilotError

        raise RigPilotError(
            "power-limit-unsupported",
            self.power(gpu).reason or "",
            Text("telemetry", "Use the vendor's own tool, if it has one."),
        )

    def close(self) -> None:
        pass

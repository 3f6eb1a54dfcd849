"""The simulated telemetry backend for ``--simulate RIG``: a small thermal model per card.

Model (per GPU, advanced to the ``now`` the sampler passes in, so the sampler's clock drives it):

* power draw  ``P = max(idle_w, load × min(limit, capability_w))`` (W);
* temperature relaxes toward ``ambient_c + c_per_w × P`` with time constant ``tau_s``
  (exact exponential step, so a 60× faster clock gives the same curve);
* VRAM used follows the load, clock and fan are derived from load and temperature.

Card parameters come from ``assets/rigs/<rig>/simulation.json`` (or ``simulation.json`` next to a
recording's ``manifest.json``) when present, else from :data:`CARD_TABLE` by GPU name/vendor.
Every sample is labelled ``source="simulated"``. Moore Threads cards keep ``supported: false`` for
power writes, mirroring MTML 2.2.0 (no power-limit setter), so the thermal guard is alert-only there.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

from probes.core.errors import RigPilotError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import Gpu, ProbeResult
from probes.live.telemetry.base import PowerConstraints, Sample, TelemetryBackend

PRIORITY = 0  # a simulated rig is served by the model, never by a vendor backend
SOURCE = "simulated"
CTX = "telemetry"


@dataclass(frozen=True)
class CardParams:
    default_w: float = 200.0  # the card's default (board) power limit
    min_w: float | None = 100.0  # lowest settable limit
    max_w: float | None = 200.0  # highest settable limit
    capability_w: float | None = None  # what the chip would draw at 100 % load unlimited (default: max_w)
    idle_w: float = 15.0
    ambient_c: float = 30.0
    c_per_w: float | None = None  # steady-state °C above ambient per W (default: 92 °C at default_w)
    tau_s: float = 20.0  # thermal time constant
    power_writes: bool = True  # False: the real API has no setter (Moore Threads MTML)
    report_limit: bool = True  # False: the real API cannot read the limit either
    memory_total_bytes: int | None = None
    memory_idle_bytes: int = 300 * 2**20
    memory_load_fraction: float = 0.7  # share of VRAM in use at 100 % load
    clock_max_mhz: float = 1800.0
    clock_idle_mhz: float = 300.0
    hotspot_offset_c: float | None = 12.0
    fan: bool = True

    @property
    def steady_c_per_w(self) -> float:
        if self.c_per_w is not None:
            return self.c_per_w
        return (92.0 - self.ambient_c) / max(self.default_w, 1.0)


# Built-in table, matched by a case-insensitive substring of the GPU name, then by vendor.
# Board powers are the vendors' published TDP/TGP/TBP where cited; min/max limits are estimates
# unless a source is given. The rigs' simulation.json files carry the same numbers with citations.
CARD_TABLE: list[tuple[dict, dict]] = [
    # MTT S80: 255 W TGP (chip.pl 2022-11 review; newstextarea "TDP von 255 W"). The domestic-GPU
    # guide (https://apatero.com/zh/blog/china-gpus-cuda-directx-complete-comfyui-guide-2025)
    # says 250 W. MTML has no limit getter/setter -> power_writes False.
    (
        {"name": "S80"},
        {
            "default_w": 255,
            "min_w": None,
            "max_w": None,
            "power_writes": False,
            "report_limit": False,
            "memory_total_bytes": 16 * 2**30,
            "hotspot_offset_c": None,
        },
    ),
    (
        {"name": "S4000"},
        {
            "default_w": 450,
            "min_w": None,
            "max_w": None,
            "power_writes": False,
            "report_limit": False,
            "memory_total_bytes": 48 * 2**30,
            "hotspot_offset_c": None,
        },
    ),
    # RTX 3060: 170 W graphics card power (NVIDIA spec); min 100 W is an estimate.
    (
        {"name": "RTX 3060"},
        {
            "default_w": 170,
            "min_w": 100,
            "max_w": 170,
            "memory_total_bytes": 12 * 2**30,
            "clock_max_mhz": 1777,
        },
    ),
    # GTX 1080 Ti: 250 W TDP (NVIDIA spec); min 125 W / max 300 W are estimates (typical FE values).
    (
        {"name": "1080 Ti"},
        {
            "default_w": 250,
            "min_w": 125,
            "max_w": 300,
            "memory_total_bytes": 11 * 2**30,
            "clock_max_mhz": 1582,
            "hotspot_offset_c": None,
        },
    ),
    # RX 7900 XTX: 355 W total board power (AMD spec); the cap range is an estimate.
    (
        {"name": "7900 XTX"},
        {
            "default_w": 355,
            "min_w": 320,
            "max_w": 402,
            "memory_total_bytes": 24 * 2**30,
            "clock_max_mhz": 2500,
        },
    ),
    # Arc A770: 225 W TBP (Intel spec); the range is an estimate.
    (
        {"name": "A770"},
        {
            "default_w": 225,
            "min_w": 150,
            "max_w": 228,
            "memory_total_bytes": 16 * 2**30,
            "clock_max_mhz": 2100,
        },
    ),
    (
        {"vendor": "mthreads"},
        {
            "default_w": 250,
            "min_w": None,
            "max_w": None,
            "power_writes": False,
            "report_limit": False,
            "hotspot_offset_c": None,
        },
    ),
    ({"vendor": "nvidia"}, {"default_w": 200, "min_w": 100, "max_w": 220}),
    ({"vendor": "amd"}, {"default_w": 250, "min_w": 200, "max_w": 280}),
    ({"vendor": "intel"}, {"default_w": 190, "min_w": 120, "max_w": 200}),
]

_PARAM_FIELDS = set(CardParams.__dataclass_fields__)


def _matches(match: dict, gpu: Gpu) -> bool:
    if not match:
        return True
    name = (getattr(gpu, "name", None) or "").lower()
    if "name" in match and str(match["name"]).lower() not in name:
        return False
    if "vendor" in match and match["vendor"] != getattr(gpu, "vendor", None):
        return False
    if "bus_id" in match and match["bus_id"] != getattr(getattr(gpu, "pci", None), "bus_id", None):
        return False
    if "index" in match and match["index"] != getattr(gpu, "index", None):
        return False
    return True


def _clean(values: dict) -> dict:
    return {k: v for k, v in values.items() if k in _PARAM_FIELDS}


def params_for(gpu: Gpu, config: dict | None = None) -> CardParams:
    """Parameters of one simulated card: rig config first, then the built-in table, then defaults."""
    config = config or {}
    base = _clean({k: v for k, v in config.items() if k != "cards"})
    for match, values in CARD_TABLE:
        if _matches(match, gpu):
            base.update(_clean(values))
            break
    for card in config.get("cards") or []:
        if isinstance(card, dict) and _matches(card.get("match") or {}, gpu):
            base.update(_clean(card))
            break
    if base.get("memory_total_bytes") is None and getattr(gpu, "memory_total_bytes", None):
        base["memory_total_bytes"] = gpu.memory_total_bytes
    if base.get("max_w") is None and base.get("power_writes", True):
        base["max_w"] = base.get("default_w", CardParams.default_w)
    return CardParams(**base)


def load_config(host: Host) -> dict:
    """simulation.json of the rig behind ``host`` ({} when absent or unreadable)."""
    candidates = []
    replay_dir = getattr(host, "replay_dir", None)
    if replay_dir:
        candidates.append(Path(replay_dir) / "simulation.json")
    name = getattr(host, "simulated", None)
    if name:
        from probes.core.replay import RIGS_DIR

        candidates.append(RIGS_DIR / str(name) / "simulation.json")
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return data
    manifest_sim = getattr(host, "simulation", None)
    return dict(manifest_sim) if isinstance(manifest_sim, dict) else {}


class _Card:
    def __init__(self, gpu_index: int, params: CardParams, t0: float | None) -> None:
        self.index = gpu_index
        self.p = params
        self.limit_w = float(params.default_w)
        self.load = 0.0
        self.t: float | None = t0
        self.temp_c = params.ambient_c + params.steady_c_per_w * params.idle_w

    @property
    def capability_w(self) -> float:
        return float(self.p.capability_w or self.p.max_w or self.p.default_w)

    def power_w(self) -> float:
        return max(self.p.idle_w, self.load * min(self.limit_w, self.capability_w))

    def advance(self, now: float) -> None:
        if self.t is None:
            self.t = now
            return
        dt = now - self.t
        if dt <= 0:
            return
        target = self.p.ambient_c + self.p.steady_c_per_w * self.power_w()
        self.temp_c += (target - self.temp_c) * (1.0 - math.exp(-dt / self.p.tau_s))
        self.t = now

    def sample(self, now: float) -> Sample:
        self.advance(now)
        p = self.p
        power = self.power_w()
        headroom = min(1.0, self.limit_w / max(self.capability_w, 1.0))
        clock = p.clock_idle_mhz + (p.clock_max_mhz - p.clock_idle_mhz) * self.load * (0.8 + 0.2 * headroom)
        mem_total = p.memory_total_bytes
        mem_used = None
        if mem_total:
            mem_used = int(
                min(mem_total, p.memory_idle_bytes + self.load * p.memory_load_fraction * mem_total)
            )
        fan = None
        if p.fan:
            fan = max(30.0, min(100.0, 30.0 + (self.temp_c - 50.0) * 1.75))
        return Sample(
            t=now,
            gpu=self.index,
            temperature_c=round(self.temp_c, 2),
            hotspot_c=None
            if p.hotspot_offset_c is None
            else round(self.temp_c + p.hotspot_offset_c * (power / max(p.default_w, 1.0)), 2),
            memory_used_bytes=mem_used,
            memory_total_bytes=mem_total,
            utilization_pct=round(self.load * 100.0, 1),
            power_draw_w=round(power, 2),
            power_limit_w=self.limit_w if p.report_limit else None,
            clock_mhz=round(clock, 0),
            fan_pct=None if fan is None else round(fan, 1),
            source=SOURCE,
        )


class SimulatedBackend(TelemetryBackend):
    """Every GPU of a simulated rig. ``sample(now)`` advances the model to ``now``."""

    name = SOURCE
    write_needs_privilege = False  # the model is written in-process, no helper

    def __init__(self, gpus: list[Gpu], config: dict | None = None, t0: float | None = None) -> None:
        self._lock = threading.Lock()
        self._cards: dict[int, _Card] = {}
        self.config = dict(config or {})
        for gpu in gpus:
            if gpu.index is None:
                continue
            self._cards[gpu.index] = _Card(gpu.index, params_for(gpu, self.config), t0)
        start_load = self.config.get("start_load_pct")
        if isinstance(start_load, (int, float)):
            self.set_load(float(start_load))

    def gpus(self) -> list[int]:
        return sorted(self._cards)

    def params(self, gpu: int) -> CardParams:
        return self._cards[gpu].p

    def set_load(self, pct: float, gpu: int | None = None, now: float | None = None) -> None:
        """Set the simulated load (0–100 %) of one card or all; ``now`` first advances the model."""
        value = max(0.0, min(100.0, float(pct))) / 100.0
        with self._lock:
            for idx, card in self._cards.items():
                if gpu is None or gpu == idx:
                    if now is not None:
                        card.advance(now)
                    card.load = value

    def load_pct(self) -> float:
        """The highest simulated load of the rig's cards, in % (what a load control shows)."""
        with self._lock:
            return max((card.load for card in self._cards.values()), default=0.0) * 100.0

    def sample(self, now: float) -> list[Sample]:
        with self._lock:
            return [card.sample(now) for card in self._cards.values()]

    def power(self, gpu: int) -> PowerConstraints:
        card = self._cards.get(gpu)
        if card is None:
            return PowerConstraints(
                gpu=gpu, supported=False, reason=Text(CTX, "This GPU is not part of the simulated rig.")
            )
        p = card.p
        if not p.power_writes:
            return PowerConstraints(
                gpu=gpu,
                supported=False,
                reason=Text(
                    CTX,
                    "The vendor library has no public call to change the power limit "
                    "(simulated like the real Moore Threads MTML).",
                ),
                current_w=card.limit_w if p.report_limit else None,
                enforced_w=card.limit_w if p.report_limit else None,
            )
        return PowerConstraints(
            gpu=gpu,
            supported=True,
            reason=None,
            min_w=p.min_w,
            max_w=p.max_w,
            default_w=float(p.default_w),
            current_w=card.limit_w,
            enforced_w=card.limit_w,
        )

    def set_power_limit(self, gpu: int, watts: float) -> float:
        card = self._cards.get(gpu)
        c = self.power(gpu)
        if card is None or not c.supported:
            return super().set_power_limit(gpu, watts)
        w = float(watts)
        if (
            not math.isfinite(w)
            or (c.min_w is not None and w < c.min_w - 1e-6)
            or (c.max_w is not None and w > c.max_w + 1e-6)
        ):
            raise RigPilotError(
                "power-limit-out-of-range",
                Text(CTX, "{watts} W is outside the allowed range of this card.", watts=watts),
                Text(CTX, "Choose a value between {min_w} W and {max_w} W.", min_w=c.min_w, max_w=c.max_w),
            )
        with self._lock:
            card.limit_w = w
        return card.limit_w

    def simulated_params(self) -> dict:
        return {idx: c.p for idx, c in self._cards.items()}


def backends(host: Host, result: ProbeResult) -> list[TelemetryBackend]:
    """A simulated backend for every GPU of ``result`` when ``host`` is a simulated rig."""
    if not getattr(host, "simulated", None):
        return []
    gpus = [g for g in (getattr(result, "gpus", None) or []) if g.index is not None]
    if not gpus:
        return []
    return [SimulatedBackend(gpus, load_config(host))]

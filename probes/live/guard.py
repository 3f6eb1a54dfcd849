"""The thermal guard: a pure state machine over telemetry samples (no I/O, no clock of its own).

Rules (issue 5; the 85 °C figure is the advice of the popular guide
'支持CUDA/DirectX的国产GPU:ComfyUI完全兼容性指南2025',
https://apatero.com/zh/blog/china-gpus-cuda-directx-complete-comfyui-guide-2025):

* the GPU temperature stays above ``threshold_c`` (85 °C) for ``hold_s`` (10 s) → lower the power
  limit by one step (10 % of the default limit), never below the floor (the card's minimum
  limit); further steps need the temperature to stay above the threshold for another ``hold_s``
  and at least ``min_step_interval_s`` since the last step, so the card has time to react
  (a GPU die settles within tens of seconds);
* the temperature stays below ``threshold_c - hysteresis_c`` for ``recover_s`` (60 s) → raise the
  limit by one step, never above the user's own limit; reaching it ends the guard's intervention;
* where the card has no setter (Moore Threads) the guard only alerts;
* every action is a :class:`GuardEvent` with its reason. The caller writes the limit
  (``event.to_w``) and reports a failed write back through :meth:`ThermalGuard.write_failed`.

Time comes from the samples' ``t``, so tests drive hours of simulated time in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render
from probes.live.telemetry.base import OK, PowerConstraints, Sample

CTX = "guard"
EPS_W = 0.01

# GuardEvent.kind values
STEP_DOWN, STEP_UP, RESTORED, AT_FLOOR, HOT, COOLED, WRITE_FAILED = (
    "step-down",
    "step-up",
    "restored",
    "at-floor",
    "hot",
    "cooled",
    "write-failed",
)


@dataclass(frozen=True)
class GuardSettings:
    threshold_c: float = 85.0
    hold_s: float = 10.0
    step_fraction: float = 0.10  # of the default limit
    hysteresis_c: float = 10.0
    recover_s: float = 60.0
    min_step_interval_s: float = 30.0

    def validate(self) -> GuardSettings:
        bad = None
        if not 40.0 <= self.threshold_c <= 110.0:
            bad = Text(CTX, "The threshold must be between 40 and 110 °C.")
        elif not 1.0 <= self.hold_s <= 600.0:
            bad = Text(CTX, "The hold time must be between 1 and 600 s.")
        elif not 0.01 <= self.step_fraction <= 0.5:
            bad = Text(CTX, "The step must be between 1 % and 50 % of the default limit.")
        elif not 1.0 <= self.hysteresis_c <= 40.0:
            bad = Text(CTX, "The hysteresis must be between 1 and 40 °C.")
        elif not 1.0 <= self.recover_s <= 3600.0:
            bad = Text(CTX, "The recovery time must be between 1 and 3600 s.")
        if bad is not None:
            raise RigPilotError(
                "guard-settings-invalid",
                bad,
                Text(CTX, "Defaults: 85 °C, hold 10 s, step 10 %, hysteresis 10 °C, recovery 60 s."),
            )
        return self


@dataclass(frozen=True)
class GuardEvent:
    t: float
    gpu: int
    kind: str
    reason: Text
    temperature_c: float | None = None
    from_w: float | None = None
    to_w: float | None = None  # the limit to write now (None: nothing to write)

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "type": "guard",
            "t": self.t,
            "gpu": self.gpu,
            "event": self.kind,
            "reason": render(self.reason, lang),
            "temperature_c": self.temperature_c,
            "from_w": self.from_w,
            "to_w": self.to_w,
        }


@dataclass
class _GpuState:
    constraints: PowerConstraints
    user_limit_w: float | None
    guard_limit_w: float | None = None  # None: the guard is not holding the limit down
    above_since: float | None = None
    cool_since: float | None = None
    last_step_t: float | None = None
    alerted: bool = False
    floor_reported: bool = False
    alert_only: bool = False

    @property
    def step_base_w(self) -> float:
        return self.constraints.default_w or self.user_limit_w or 0.0

    @property
    def current_w(self) -> float | None:
        return self.guard_limit_w if self.guard_limit_w is not None else self.user_limit_w


def _fmt(w: float | None) -> str:
    return "-" if w is None else f"{w:.0f}"


@dataclass
class ThermalGuard:
    settings: GuardSettings = field(default_factory=GuardSettings)
    _gpus: dict = field(default_factory=dict)

    # ---- configuration ------------------------------------------------------------------------
    def configure(self, gpu: int, constraints: PowerConstraints) -> None:
        """Tell the guard a card's power constraints; its current limit becomes the user's limit."""
        user = constraints.current_w if constraints.current_w is not None else constraints.default_w
        can_set = bool(
            constraints.supported
            and constraints.min_w is not None
            and user is not None
            and (constraints.default_w or user)
        )
        self._gpus[gpu] = _GpuState(constraints=constraints, user_limit_w=user, alert_only=not can_set)

    def alert_only(self, gpu: int) -> bool:
        st = self._gpus.get(gpu)
        return True if st is None else st.alert_only

    def user_limit(self, gpu: int) -> float | None:
        st = self._gpus.get(gpu)
        return None if st is None else st.user_limit_w

    def guard_limit(self, gpu: int) -> float | None:
        st = self._gpus.get(gpu)
        return None if st is None else st.guard_limit_w

    def set_user_limit(self, gpu: int, watts: float) -> None:
        """The user chose a new limit (slider, CLI): it becomes the ceiling and the guard lets go."""
        st = self._gpus.get(gpu)
        if st is not None:
            st.user_limit_w = float(watts)
            st.guard_limit_w = None
            st.floor_reported = False

    # ---- the state machine ---------------------------------------------------------------------
    def update(self, sample: Sample) -> list[GuardEvent]:
        st = self._gpus.get(sample.gpu)
        temp = sample.temperature_c
        if st is None or temp is None or sample.state != OK:
            if st is not None:
                st.above_since = st.cool_since = None
            return []
        s = self.settings
        t = sample.t
        events: list[GuardEvent] = []
        if temp > s.threshold_c:
            st.cool_since = None
            if st.above_since is None:
                st.above_since = t
            held = t - st.above_since
            if held >= s.hold_s:
                if st.alert_only:
                    if not st.alerted:
                        st.alerted = True
                        events.append(
                            GuardEvent(
                                t,
                                sample.gpu,
                                HOT,
                                Text(
                                    CTX,
                                    "GPU {gpu} has been at {temp} °C, above {threshold} °C, for {held} s. "
                                    "This card's power limit cannot be changed: "
                                    "reduce the load or improve cooling.",
                                    gpu=sample.gpu,
                                    temp=f"{temp:.0f}",
                                    threshold=f"{s.threshold_c:.0f}",
                                    held=f"{held:.0f}",
                                ),
                                temp,
                            )
                        )
                else:
                    events.extend(self._step_down(st, sample.gpu, t, temp, held))
        elif temp < s.threshold_c - s.hysteresis_c:
            st.above_since = None
            if st.cool_since is None:
                st.cool_since = t
            if st.alerted:
                st.alerted = False
                events.append(
                    GuardEvent(
                        t,
                        sample.gpu,
                        COOLED,
                        Text(CTX, "GPU {gpu} cooled down to {temp} °C.", gpu=sample.gpu, temp=f"{temp:.0f}"),
                        temp,
                    )
                )
            if not st.alert_only and st.guard_limit_w is not None and t - st.cool_since >= s.recover_s:
                events.extend(self._step_up(st, sample.gpu, t, temp))
        else:
            st.above_since = None
            st.cool_since = None
        return events

    def _step_down(self, st: _GpuState, gpu: int, t: float, temp: float, held: float) -> list[GuardEvent]:
        s = self.settings
        current = st.current_w
        floor = st.constraints.min_w
        if current is None or floor is None:
            return []
        if current <= floor + EPS_W:
            if st.floor_reported:
                return []
            st.floor_reported = True
            return [
                GuardEvent(
                    t,
                    gpu,
                    AT_FLOOR,
                    Text(
                        CTX,
                        "GPU {gpu} is still at {temp} °C but the power limit is already at its minimum "
                        "of {floor} W. Reduce the load or improve cooling.",
                        gpu=gpu,
                        temp=f"{temp:.0f}",
                        floor=_fmt(floor),
                    ),
                    temp,
                    current,
                    None,
                )
            ]
        if st.last_step_t is not None and t - st.last_step_t < s.min_step_interval_s:
            return []
        new = max(floor, current - s.step_fraction * st.step_base_w)
        st.guard_limit_w = new
        st.last_step_t = t
        st.above_since = t  # another full hold period before the next step
        st.alerted = True
        return [
            GuardEvent(
                t,
                gpu,
                STEP_DOWN,
                Text(
                    CTX,
                    "GPU {gpu} has been at {temp} °C, above {threshold} °C, for {held} s: "
                    "lowering the power limit from {from_w} W to {to_w} W.",
                    gpu=gpu,
                    temp=f"{temp:.0f}",
                    threshold=f"{s.threshold_c:.0f}",
                    held=f"{held:.0f}",
                    from_w=_fmt(current),
                    to_w=_fmt(new),
                ),
                temp,
                current,
                new,
            )
        ]

    def _step_up(self, st: _GpuState, gpu: int, t: float, temp: float) -> list[GuardEvent]:
        s = self.settings
        current = st.guard_limit_w
        user = st.user_limit_w
        if current is None or user is None:
            return []
        new = min(user, current + s.step_fraction * st.step_base_w)
        st.last_step_t = t
        st.cool_since = t  # another full recovery period before the next step
        st.floor_reported = False
        st.alerted = False
        if new >= user - EPS_W:
            st.guard_limit_w = None
            return [
                GuardEvent(
                    t,
                    gpu,
                    RESTORED,
                    Text(
                        CTX,
                        "GPU {gpu} stayed below {cool} °C for {recover} s: the power limit is back at "
                        "your {to_w} W.",
                        gpu=gpu,
                        cool=f"{s.threshold_c - s.hysteresis_c:.0f}",
                        recover=f"{s.recover_s:.0f}",
                        to_w=_fmt(user),
                    ),
                    temp,
                    current,
                    user,
                )
            ]
        st.guard_limit_w = new
        return [
            GuardEvent(
                t,
                gpu,
                STEP_UP,
                Text(
                    CTX,
                    "GPU {gpu} stayed below {cool} °C for {recover} s: raising the power limit from "
                    "{from_w} W to {to_w} W.",
                    gpu=gpu,
                    cool=f"{s.threshold_c - s.hysteresis_c:.0f}",
                    recover=f"{s.recover_s:.0f}",
                    from_w=_fmt(current),
                    to_w=_fmt(new),
                ),
                temp,
                current,
                new,
            )
        ]

    def write_failed(self, gpu: int, t: float, error: Exception) -> GuardEvent:
        """A limit write failed: the guard falls back to alerting for this card."""
        st = self._gpus.get(gpu)
        if st is not None:
            st.alert_only = True
            st.guard_limit_w = None
        detail = render(getattr(error, "message", None) or str(error))
        return GuardEvent(
            t,
            gpu,
            WRITE_FAILED,
            Text(
                CTX,
                "The guard could not change the power limit of GPU {gpu} ({detail}); it will only warn "
                "from now on.",
                gpu=gpu,
                detail=detail,
            ),
        )

    def release(self, t: float) -> list[GuardEvent]:
        """The guard is switched off (or the monitor stops): give every card its user limit back."""
        events = []
        for gpu, st in self._gpus.items():
            if st.guard_limit_w is not None and st.user_limit_w is not None:
                events.append(
                    GuardEvent(
                        t,
                        gpu,
                        RESTORED,
                        Text(
                            CTX,
                            "The guard stopped: the power limit of GPU {gpu} goes back to your {to_w} W.",
                            gpu=gpu,
                            to_w=_fmt(st.user_limit_w),
                        ),
                        None,
                        st.guard_limit_w,
                        st.user_limit_w,
                    )
                )
                st.guard_limit_w = None
        return events

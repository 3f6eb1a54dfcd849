"""Windows GPU performance counters: parser on captures, backend with a fake powershell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.core.model import Compute, Driver, Gpu, ProbeResult
from probes.detect.parsers.windows_counters import parse_counters
from probes.live.telemetry import windows as tw
from probes.live.telemetry.base import OK, UNAVAILABLE

DATA = Path(__file__).resolve().parents[2] / "data" / "windows-counters"
FIXTURES = sorted(p for p in DATA.glob("*.json") if not p.name.endswith(".expected.json"))


def _expected(path: Path) -> Path:
    return path.with_name(path.name[: -len(".json")] + ".expected.json")


def test_every_fixture_has_an_expectation():
    assert FIXTURES and not [p for p in FIXTURES if not _expected(p).is_file()]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_parse_counters(path):
    assert parse_counters(path.read_text(encoding="utf-8")) == json.loads(_expected(path).read_text())


def test_single_sample_object_and_path_only_rows():
    one = {
        "Path": "\\\\pc\\gpu adapter memory(luid_0x00000000_0x0000d1b5_phys_0)\\dedicated usage",
        "CookedValue": 1024,
    }
    assert parse_counters(json.dumps(one)) == {
        "luid_0x00000000_0x0000d1b5_phys_0": {"dedicated_bytes": 1024, "util_3d_pct": None}
    }


@pytest.mark.parametrize("text", ["", "Get-Counter : The specified object was not found", "42"])
def test_bad_output(text):
    with pytest.raises(ParseError):
        parse_counters(text)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=60),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(st.sampled_from(["Path", "InstanceName", "CookedValue"]), c, max_size=3)
        ),
        max_leaves=15,
    )
)
def test_fuzz(value):
    try:
        parse_counters(json.dumps(value))
    except ParseError:
        pass


def _result(*gpus):
    return ProbeResult(gpus=list(gpus))


def _gpu(index, vendor="mthreads", loaded=True, memory=17179869184):
    return Gpu(
        index=index,
        vendor=vendor,
        name="MTT S80",
        driver=Driver(loaded=loaded),
        memory_total_bytes=memory,
        compute=Compute(api="directml"),
        sources=["windows-cim"],
    )


def _host(fake_tools, make_host, stdout, rc=0):
    fake_tools.script(
        "powershell",
        f"""
args = sys.argv[1:]
if args[:3] != ["-NoProfile", "-NonInteractive", "-Command"] or "Get-Counter" not in args[3]:
    sys.exit(3)
sys.stdout.write({stdout!r})
sys.exit({rc})
""",
    )
    return make_host(platform="windows", path=[fake_tools.path])


def test_backend_samples_vram_and_3d_utilisation(fake_tools, make_host):
    host = _host(fake_tools, make_host, (DATA / "s80-win11.json").read_text(encoding="utf-8"))
    (backend,) = tw.backends(host, _result(_gpu(0)))
    assert backend.gpus() == [0]
    (s,) = backend.sample(100.0)
    assert s.state == OK and s.t == 100.0 and s.gpu == 0
    assert (
        s.memory_used_bytes == 1288490188
        and s.utilization_pct == 64.3
        and s.memory_total_bytes == 17179869184
    )
    assert s.temperature_c is None and s.power_draw_w is None and s.fan_pct is None and s.clock_mhz is None


def test_two_cards_without_a_luid_map_are_unavailable_not_guessed(fake_tools, make_host):
    rows = json.loads((DATA / "s80-win11.json").read_text(encoding="utf-8"))
    rows.append({"InstanceName": "luid_0x00000000_0x0000abcd_phys_0", "CookedValue": 5000000})
    host = _host(fake_tools, make_host, json.dumps(rows))
    (backend,) = tw.backends(host, _result(_gpu(0), _gpu(1, vendor="intel", memory=None)))
    samples = backend.sample(1.0)
    assert [s.state for s in samples] == [UNAVAILABLE, UNAVAILABLE]
    assert all(s.memory_used_bytes is None and s.utilization_pct is None for s in samples)


def test_failing_counters_never_raise(fake_tools, make_host):
    host = _host(fake_tools, make_host, "Get-Counter : Unable to connect", rc=1)
    (backend,) = tw.backends(host, _result(_gpu(0)))
    (s,) = backend.sample(5.0)
    assert s.state == UNAVAILABLE and s.memory_used_bytes is None


def test_backend_selection(fake_tools, make_host):
    host = _host(fake_tools, make_host, "[]")
    assert tw.backends(host, _result(_gpu(0, vendor="nvidia"))) == []  # NVML's job
    assert tw.backends(host, _result(_gpu(0, loaded=False))) == []  # no driver: nothing to read
    assert tw.backends(make_host(platform="linux", path=[fake_tools.path]), _result(_gpu(0))) == []
    assert tw.PRIORITY >= 80


def test_absurd_counter_values_are_dropped():
    huge = '[{"InstanceName": "luid_0x0_0x1_phys_0", "CookedValue": 1' + "0" * 400 + "}]"
    assert parse_counters(huge) == {"luid_0x0_0x1_phys_0": {"dedicated_bytes": None, "util_3d_pct": None}}

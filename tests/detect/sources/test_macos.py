"""macOS: system_profiler SPDisplaysDataType -json parser on captures, source with fake tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.detect.parsers.macos_sp import parse_size, parse_sp_displays
from probes.detect.sources import ProbeContext
from probes.detect.sources.macos import MacDisplaysSource

DATA = Path(__file__).resolve().parents[2] / "data" / "macos-sp"
FIXTURES = sorted(p for p in DATA.glob("*.json") if not p.name.endswith(".expected.json"))


def _expected(path: Path) -> Path:
    return path.with_name(path.name[: -len(".json")] + ".expected.json")


def test_every_fixture_has_an_expectation():
    assert FIXTURES
    assert not [p.name for p in FIXTURES if not _expected(p).is_file()]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_parse_matches_expectation(path):
    assert parse_sp_displays(path.read_text(encoding="utf-8")) == json.loads(_expected(path).read_text())


@pytest.mark.parametrize(
    "text, n",
    [
        ("4 GB", 4 * 2**30),
        ("1536 MB", 1536 * 2**20),
        ("Dynamic, Max: 48 GB", 48 * 2**30),
        ("0 MB", None),
        ("lots", None),
        (None, None),
    ],
)
def test_sizes(text, n):
    assert parse_size(text) == n


@pytest.mark.parametrize("text", ["", "{}", "[]", "not json", '{"SPDisplaysDataType": 3}'])
def test_bad_output_raises_parse_error(text):
    with pytest.raises(ParseError):
        parse_sp_displays(text)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "SPDisplaysDataType",
                        "sppci_model",
                        "_name",
                        "sppci_cores",
                        "spdisplays_vendor",
                        "spdisplays_vram",
                        "spdisplays_device-id",
                        "sppci_device_type",
                        "sppci_bus",
                        "spdisplays_vram_shared",
                        "spdisplays_metal",
                    ]
                ),
                c,
                max_size=6,
            )
        ),
        max_leaves=20,
    )
)
def test_fuzz(value):
    try:
        parse_sp_displays(json.dumps(value))
    except ParseError:
        pass


def _mac_host(fake_tools, make_host, fixture: str, memsize="34359738368"):
    fake_tools.replay(
        "system_profiler",
        {"SPDisplaysDataType -json": {"stdout": (DATA / fixture).read_text(encoding="utf-8")}},
    )
    fake_tools.replay("sysctl", {"-n hw.memsize": {"stdout": memsize + "\n"}})
    return make_host(platform="darwin", path=[fake_tools.path])


def test_apple_silicon_is_mps_with_unified_memory(fake_tools, make_host):
    res = MacDisplaysSource().collect(_mac_host(fake_tools, make_host, "m3pro-macos14.json"), ProbeContext())
    (gpu,) = res.gpus
    assert gpu.vendor == "apple" and gpu.name == "Apple M3 Pro" and gpu.compute.api == "mps"
    assert gpu.memory_total_bytes is None  # no dedicated VRAM
    assert (
        gpu.extra["system_memory_bytes"] == 32 * 2**30
        and gpu.extra["unified_memory"]
        and gpu.extra["cores"] == 18
    )


def test_intel_mac_with_amd_dgpu(fake_tools, make_host):
    res = MacDisplaysSource().collect(
        _mac_host(fake_tools, make_host, "radeonpro5500m-macos13-intel.json"), ProbeContext()
    )
    igpu, dgpu = res.gpus
    assert (igpu.vendor, igpu.compute.api, igpu.memory_total_bytes) == ("intel", "none", None)
    assert igpu.extra["vram_shared_bytes"] == 1536 * 2**20
    assert (dgpu.vendor, dgpu.pci.vendor_id, dgpu.pci.device_id) == ("amd", "1002", "7340")
    assert dgpu.memory_total_bytes == 4 * 2**30 and dgpu.compute.api == "mps"


def test_broken_system_profiler_is_a_problem(fake_tools, make_host):
    fake_tools.replay("system_profiler", {"*": {"stdout": "<plist>", "rc": 0}})
    res = MacDisplaysSource().collect(make_host(platform="darwin", path=[fake_tools.path]), ProbeContext())
    assert not res.gpus and [p.code for p in res.problems] == ["smi-output-unparsed"]


def test_absurd_sizes_are_unknown_not_a_crash():
    assert parse_size("9" * 400 + " GB") is None

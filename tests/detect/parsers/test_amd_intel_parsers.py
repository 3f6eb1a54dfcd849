"""AMD/Intel parsers on verbatim captures (tests/data/<tool>/, sources in
tests/fixture_sources_amdintel.md), key/unit drift, the gfx mapping, and fuzzing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.detect.parsers import amd_smi, rocm_smi, rocminfo, xpu_smi
from probes.detect.parsers import amdgpu_sysfs as sysfs

DATA = Path(__file__).resolve().parents[2] / "data"


def _kfd(text: str) -> dict:
    props = sysfs.parse_kfd_properties(text, strict=True)
    return {
        "gfx": sysfs.gfx_from_target_version(props.get("gfx_target_version")),
        "bus_id": sysfs.kfd_bus_id(props),
        "vendor_id": props.get("vendor_id"),
        "device_id": props.get("device_id"),
    }


PARSERS = {
    "amd-smi-static": amd_smi.parse_static,
    "amd-smi-metric": amd_smi.parse_metric,
    "rocm-smi": rocm_smi.parse,
    "rocminfo": rocminfo.parse,
    "xpu-smi": xpu_smi.parse_discovery,
    "xpu-smi-dump": xpu_smi.parse_dump,
    "kfd": _kfd,
}
FIXTURES = sorted(p for d in PARSERS for p in (DATA / d).glob("*.txt"))


def test_every_tool_folder_has_captures():
    for folder in PARSERS:
        assert list((DATA / folder).glob("*.txt")), folder


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_has_expectation(path):
    assert path.with_name(path.stem + ".expected.json").is_file(), f"{path} has no .expected.json"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parser_matches_expectation(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    got = PARSERS[path.parent.name](path.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(got)) == expected


def test_no_orphan_expectations():
    for folder in PARSERS:
        for exp in (DATA / folder).glob("*.expected.json"):
            assert exp.with_name(exp.name.replace(".expected.json", ".txt")).is_file(), exp


# ---- concrete facts from the captures (what the expected files encode) -------------------------
def test_amd_smi_rx6600_values():
    rec = amd_smi.parse_static((DATA / "amd-smi-static/rx6600-amdgpu7.0.0pve-linux.txt").read_text())[0]
    assert rec["bus_id"] == "0000:0b:00.0" and rec["device_id"] == "73ff"
    assert rec["vram_total_bytes"] == 8176 * 1024 * 1024  # "MB" are MiB
    assert rec["gfx"] is None  # that amd-smi has no target_graphics_version
    assert (rec["power_min_w"], rec["power_max_w"]) == (94.0, 100.0)
    m = amd_smi.parse_metric((DATA / "amd-smi-metric/rx6600-amdgpu7.0.0pve-linux.txt").read_text())[0]
    assert (m["temperature_c"], m["hotspot_c"], m["power_draw_w"], m["clock_mhz"]) == (36.0, 37.0, 6.0, 800.0)
    assert m["memory_used_bytes"] == 202 * 1024 * 1024


def test_rocm_smi_key_drift():
    old = rocm_smi.parse((DATA / "rocm-smi/unknown-rocmsmi2019-linux-ftp.txt").read_text())["cards"][0]
    assert (old["temperature_c"], old["hotspot_c"], old["memory_temperature_c"]) == (77.0, 103.0, 79.0)
    assert old["power_draw_w"] == 222.0 and old["fan_pct"] == 45.0
    apu = {
        "card0": {
            "Temperature (Sensor edge) (C)": "31.0",
            "Current Socket Graphics Package Power (W)": "7.222",
            "GPU use (%)": "19",
            "PCI Bus": "0000:C4:00.0",
            "sclk clock speed:": "(800Mhz)",
        }
    }
    c = rocm_smi.parse(json.dumps(apu))["cards"][0]
    assert (c["temperature_c"], c["power_draw_w"], c["bus_id"], c["clock_mhz"]) == (
        31.0,
        7.222,
        "0000:c4:00.0",
        800.0,
    )
    legacy = {"card0": {"GPU ID": "0x738c", "Card model": "0x1002", "PCI Bus": "0000:63:00.0"}}
    assert rocm_smi.parse(json.dumps(legacy))["cards"][0]["device_id"] == "738c"


def test_rocm_smi_no_json_data_is_a_parse_error():
    with pytest.raises(ParseError):
        rocm_smi.parse("WARNING: No JSON data to report\n")


def test_amd_smi_top_level_drift_and_units():
    rec = {
        "gpu": 0,
        "asic": {
            "market_name": "AMD Radeon RX 7800 XT",
            "device_id": "0x747e",
            "target_graphics_version": "gfx1101",
        },
        "bus": {"bdf": "0000:03:00.0"},
        "vram": {"size": {"value": 16368, "unit": "MB"}},
    }
    as_list = amd_smi.parse_static(json.dumps([rec]))
    wrapped = amd_smi.parse_static(json.dumps({"gpu_data": [rec]}))
    noisy = amd_smi.parse_static(
        "/usr/lib/python3.14/site-packages/amdsmi/amdsmi_interface.py:3569: "
        "SyntaxWarning: 'return' in a 'finally' block\n  return return_dictionary\n"
        + json.dumps({"gpu_data": [rec]}, indent=4)
    )
    assert as_list == wrapped == noisy
    assert as_list[0]["gfx"] == "gfx1101" and as_list[0]["vram_total_bytes"] == 16368 * 2**20
    na = amd_smi.parse_metric(
        json.dumps(
            [
                {
                    "timestamp": 1769014607,
                    "gpu": 0,
                    "usage": "N/A",
                    "power": {"socket_power": "N/A"},
                    "temperature": {"edge": 45, "hotspot": {"value": "N/A", "unit": "C"}},
                }
            ]
        )
    )
    assert na[0]["utilization_pct"] is None and na[0]["power_draw_w"] is None
    assert na[0]["temperature_c"] == 45.0 and na[0]["hotspot_c"] is None


def test_rocminfo_gpu_agents_only():
    agents = rocminfo.parse((DATA / "rocminfo/rx7900xtx-rocm6.0.2-linux.txt").read_text())
    assert [(a["gfx"], a["marketing_name"], a["bus_id"]) for a in agents] == [
        ("gfx1100", "Radeon RX 7900 XTX", "0000:03:00.0")
    ]
    quoted = (
        "*** Agent 1 ***\n  Name:  AMD Ryzen 9 7950X\n  Device Type:  CPU\n"
        "*** Agent 2 ***\n  Name:  gfx90a\n  Marketing Name:  AMD Instinct MI210\n  Device Type:  GPU\n"
    )
    assert [a["gfx"] for a in rocminfo.parse(quoted)] == ["gfx90a"]


@pytest.mark.parametrize(
    "value,gfx",
    [
        (110000, "gfx1100"),
        (90010, "gfx90a"),
        (100302, "gfx1032"),
        (90402, "gfx942"),
        (110501, "gfx1151"),
        (120001, "gfx1201"),
        (90000, "gfx900"),
        (100300, "gfx1030"),
        (0, None),
        (91600, None),
    ],
)
def test_gfx_target_version_mapping(value, gfx):
    assert sysfs.gfx_from_target_version(value) == gfx


def test_kfd_location_and_sysfs_units():
    assert sysfs.kfd_bus_id({"location_id": 768, "domain": 0}) == "0000:03:00.0"
    assert sysfs.kfd_bus_id({"location_id": 34304, "domain": 1}) == "0001:86:00.0"
    assert sysfs.millidegrees("45000\n") == 45.0 and sysfs.microwatts("303000000\n") == 303.0
    assert sysfs.current_dpm_mhz("0: 500Mhz\n1: 1029Mhz *\n2: 2526Mhz\n") == 1029.0
    assert sysfs.current_dpm_mhz("0: 500Mhz\n1: 2526Mhz\n") is None
    assert sysfs.label_temps(
        {"temp1": ("edge\n", "45000"), "temp2": ("junction", "52000"), "temp3": (None, "60000")}
    ) == {"edge": 45.0, "junction": 52.0, "temp3": 60.0}
    assert sysfs.bus_from_link("../../../0000:03:00.0") == "0000:03:00.0"
    assert (
        sysfs.parse_uevent("DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n")["PCI_SLOT_NAME"] == "0000:03:00.0"
    )


def test_xpu_smi_discovery_and_dump():
    d = xpu_smi.parse_discovery((DATA / "xpu-smi/a770-i915-linux-discovery.txt").read_text())[0]
    assert (d["name"], d["bus_id"], d["device_id"]) == (
        "Intel(R) Arc(TM) A770 Graphics",
        "0000:03:00.0",
        "56a0",
    )
    rows = xpu_smi.parse_dump((DATA / "xpu-smi-dump/pvc-aurora-linux.txt").read_text())
    assert rows[0]["utilization_pct"] is None and rows[0]["power_draw_w"] == 280.5
    with pytest.raises(ParseError):
        xpu_smi.parse_dump("Timestamp, DeviceId, GPU Power (W)\n12:00:00.000, 0\n")


@pytest.mark.parametrize("bad", ["", "   ", "not json", "{", "[1, 2]", '"error"', "null", "\x00\xff"])
def test_garbage_raises_parse_error(bad):
    for fn in (amd_smi.parse_static, amd_smi.parse_metric, rocm_smi.parse):
        with pytest.raises(ParseError):
            fn(bad)


# ---- fuzzing: only ParseError may escape ----------------------------------------------------------
_json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from(["N/A", "0x1002", "gfx1100", "0000:03:00.0", "16 MB", "(800Mhz)"]),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "gpu",
                    "gpu_data",
                    "asic",
                    "bus",
                    "bdf",
                    "vram",
                    "size",
                    "value",
                    "unit",
                    "temperature",
                    "edge",
                    "power",
                    "socket_power",
                    "usage",
                    "mem_usage",
                    "card0",
                    "card1",
                    "system",
                    "Card Series",
                    "GFX Version",
                    "PCI Bus",
                    "Temperature (Sensor edge) (C)",
                    "clock",
                    "gfx_0",
                    "clk",
                    "fan",
                    "limit",
                    "driver",
                ]
            )
            | st.text(max_size=6),
            kids,
            max_size=5,
        )
    ),
    max_leaves=20,
)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT_PARSERS = [
    amd_smi.parse_static,
    amd_smi.parse_metric,
    rocm_smi.parse,
    rocminfo.parse,
    xpu_smi.parse_discovery,
    xpu_smi.parse_dump,
    lambda t: sysfs.parse_kfd_properties(t, strict=True),
]


@FUZZ
@given(st.text(max_size=400))
def test_fuzz_text(text):
    for fn in TEXT_PARSERS:
        try:
            fn(text)
        except ParseError:
            pass


@FUZZ
@given(_json_like)
def test_fuzz_json_shapes(value):
    text = json.dumps(value)
    for fn in (amd_smi.parse_static, amd_smi.parse_metric, rocm_smi.parse):
        try:
            fn(text)
        except ParseError:
            pass


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "Agent 1",
                "*******",
                "  Name: gfx1100",
                "  Device Type: GPU",
                "  BDFID: 99999999",
                "  Chip ID: 29772(0x744c)",
                "      Name: amdgcn-amd-amdhsa--gfx1100",
                "| 0 | Device Name: x |",
                "|   | PCI BDF Address: zz |",
                "| Device ID | x |",
                "Timestamp, DeviceId, GPU Power (W)",
                "1, x, 2",
                "gfx_target_version 9999999",
                "location_id 99999999",
            ]
        )
        | st.text(max_size=20),
        max_size=12,
    )
)
def test_fuzz_line_shapes(lines):
    text = "\n".join(lines)
    for fn in TEXT_PARSERS:
        try:
            fn(text)
        except ParseError:
            pass


@FUZZ
@given(st.integers(min_value=-(10**12), max_value=10**12), st.text(max_size=30))
def test_fuzz_sysfs_helpers(n, text):
    sysfs.gfx_from_target_version(n)
    sysfs.kfd_bus_id({"location_id": n, "domain": n})
    for fn in (
        sysfs.parse_int,
        sysfs.millidegrees,
        sysfs.microwatts,
        sysfs.percent,
        sysfs.current_dpm_mhz,
        sysfs.parse_uevent,
        sysfs.bus_from_link,
    ):
        fn(text)

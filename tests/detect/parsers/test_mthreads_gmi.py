"""Parsers on the verbatim captures in tests/data/{mthreads-gmi,musa,lspci,ixsmi,mx-smi,hy-smi}.

Each capture ``X`` has ``X.expected.json`` next to it. To (re)write an expectation after adding a
capture: ``RIGPILOT_WRITE_EXPECTED=1 pytest tests/detect/parsers/test_mthreads_gmi.py`` — then READ the file
and check every value against the capture by hand before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from probes.detect.parsers import domestic_smi, lspci, mthreads_gmi

DATA = Path(__file__).resolve().parents[2] / "data"


def _musa(text: str) -> dict:
    comps = mthreads_gmi.parse_musa_components(text)
    return {
        "components": comps,
        "toolkit": mthreads_gmi.musa_toolkit_version(comps),
        "build_archs": mthreads_gmi.build_archs(comps),
    }


def _jsonfrag(text: str) -> dict:
    # the research quotes the S4000 shape as a fragment of a GPU object: wrap it in braces
    return mthreads_gmi.gpu_from_query(json.loads("{" + text.strip().rstrip(",") + "}")).to_json()


PARSERS = {
    ("mthreads-gmi", ".txt"): lambda t: mthreads_gmi.parse_table(t).to_json(),
    ("mthreads-gmi", ".json"): lambda t: mthreads_gmi.parse_query_json(t).to_json(),
    ("mthreads-gmi", ".qtxt"): lambda t: mthreads_gmi.parse_query_text(t).to_json(),
    ("mthreads-gmi", ".jsonfrag"): _jsonfrag,
    ("musa", ".txt"): _musa,
    ("lspci", ".txt"): lambda t: [dataclasses.asdict(d) for d in lspci.parse_lspci(t)],
    ("ixsmi", ".txt"): lambda t: domestic_smi.parse_ixsmi(t).to_json(),
    ("mx-smi", ".txt"): lambda t: domestic_smi.parse_mxsmi(t).to_json(),
    ("hy-smi", ".txt"): lambda t: domestic_smi.parse_hysmi(t).to_json(),
}
FOLDERS = sorted({folder for folder, _ in PARSERS})


def _captures():
    out = []
    for folder in FOLDERS:
        for path in sorted((DATA / folder).iterdir()):
            if path.name.endswith(".expected.json") or path.suffix == ".md":
                continue
            out.append(path)
    return out


CAPTURES = _captures()


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_capture_matches_expectation(path):
    parser = PARSERS[(path.parent.name, path.suffix)]
    got = json.loads(json.dumps(parser(path.read_text(encoding="utf-8"))))
    expected_path = path.with_name(path.name + ".expected.json")
    if os.environ.get("RIGPILOT_WRITE_EXPECTED") and not expected_path.exists():
        expected_path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_capture_has_an_expectation_and_a_parser():
    assert len(CAPTURES) >= 20
    for path in CAPTURES:
        assert (path.parent.name, path.suffix) in PARSERS, f"no parser for {path.name}"
        assert path.with_name(path.name + ".expected.json").is_file(), f"{path.name} has no expectation"
    for folder in FOLDERS:
        for exp in (DATA / folder).glob("*.expected.json"):
            assert exp.with_name(exp.name[: -len(".expected.json")]).is_file(), f"orphan {exp.name}"


# ---- facts the captures must show, spelled out (so a wrong expectation file cannot hide them) ----


def _read(folder, name):
    return (DATA / folder / name).read_text(encoding="utf-8")


def test_s80_on_gmi_1x_and_2x():
    old = mthreads_gmi.parse_table(_read("mthreads-gmi", "s80-gmi1.14.0-drv2.7.0-linux.txt"))
    new = mthreads_gmi.parse_table(_read("mthreads-gmi", "s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt"))
    assert (old.gmi_version, old.driver_version) == ("1.14.0", "2.7.0")
    assert (new.gmi_version, new.driver_version) == ("2.0.0", "3.0.0")
    for rep in (old, new):
        (g,) = rep.gpus
        assert g.name == "MTT S80" and g.memory_total_bytes == 16 * 2**30 and g.device_type == "Physical"
        assert rep.layout == "table"
    assert old.gpus[0].link_width == 4 and old.gpus[0].link_width_max == 16
    assert new.gpus[0].memory_used_bytes == 662 * 2**20 and new.gpus[0].temperature_c == 41.0


def test_perf_layout_and_ecc_cell():
    rep = mthreads_gmi.parse_table(_read("mthreads-gmi", "s5000x8-gmi2.4.1-drv5.1.0-server-linux.txt"))
    assert rep.layout == "table-perf" and len(rep.gpus) == 8
    assert all(g.perf == "P0" and g.ecc_mode == "On-die, EDC" for g in rep.gpus)
    assert [g.bus_id[-7:] for g in rep.gpus][:2] == ["18:00.0", "3a:00.0"]


def test_used_above_total_is_kept_not_rejected():
    (g,) = mthreads_gmi.parse_table(_read("mthreads-gmi", "s4000-gmi1.12.2-drv1.2.0-linux.txt")).gpus
    assert g.memory_used_bytes == 44302 * 2**20 > g.memory_total_bytes == 32768 * 2**20


def test_vgpu_rows():
    host = mthreads_gmi.parse_table(
        _read("mthreads-gmi", "s3000-vgpu-host-gmi2.3.4-drv2.9.2-000-linux-cf.txt")
    )
    guest = mthreads_gmi.parse_table(_read("mthreads-gmi", "s3000-vgpu-guest-gmi2.3.4-drv2.9.2-linux.txt"))
    assert host.gpus[0].device_type == "MPC Parent" and host.gpus[0].temperature_c == 57.0
    g = guest.gpus[0]
    assert g.device_type == "Virtual" and g.temperature_c is None and g.memory_total_bytes == 2**30


def test_truncated_row_keeps_what_is_there():
    rep = mthreads_gmi.parse_table(
        _read("mthreads-gmi", "s4000x4-gmi2.1.0-drv3.1.0-rc4.2.0-server-ubuntu.txt")
    )
    assert (
        len(rep.gpus) == 4 and rep.gpus[3].memory_total_bytes is None and rep.gpus[3].utilization_pct == 0.0
    )


def test_json_power_draw_key_with_trailing_space():
    rep = mthreads_gmi.parse_query_json(
        _read("mthreads-gmi", "s5000x2-query-json-drv3.3.5-server-linux.json")
    )
    a, b = rep.gpus
    assert a.power_draw_w == 96.66 and b.power_draw_w == 97.09 and a.power_limit_w == 950.0
    assert b.power_limit_w is None and b.bus_id is None and b.index == 1
    assert a.device_id == "0400" and a.vendor_id == "1ed5" and a.temperature_c == 27.0


def test_musa_version_query_blocks():
    got = _musa(_read("musa", "musa_version_query-musa4.2.0-s80-ubuntu22.04.txt"))
    assert got["toolkit"] == "4.2.0" and got["build_archs"] == ["mp_21", "mp_22", "mp_31"]
    assert _musa(_read("musa", "version.json-grep-m1000-musa5.1.0-linux.txt"))["toolkit"] == "5.1.0"


def test_lspci_display_functions_and_drivers():
    devs = lspci.parse_lspci(_read("lspci", "gtx1650m-nnk-nvidia-arch.txt"))
    assert [(d.vendor_id, d.device_id, d.is_display, d.driver) for d in devs] == [
        ("10de", "1f91", True, "nvidia"),
        ("10de", "10fa", False, "snd_hda_intel"),
    ]
    assert devs[0].subsystem_id == "103c:85fc" and devs[0].revision == "a1"
    mt = lspci.parse_lspci(_read("lspci", "s3000-plain-d1ed5-vgpu-host-linux.txt"))
    assert [d.is_display for d in mt] == [True, False] and mt[0].vendor_id is None


# ---- -q text: no full capture exists (research §7); these are the documented line shapes ----------


def test_query_text_flagperf_line_shapes():
    # FlagPerf training/mthreads/README.md greps these lines and splits them with awk -F ': *'
    text = (
        "    GPU Current Temp                  : 45C\n"
        "        Power Draw                        : 109.51W\n"
        "        Used                              : 1MiB\n"
        "        Total                             : 32768MiB\n"
        "        Gpu                               : 0%\n"
    )
    (g,) = mthreads_gmi.parse_query_text(text).gpus
    assert (
        g.temperature_c,
        g.power_draw_w,
        g.memory_used_bytes,
        g.memory_total_bytes,
        g.utilization_pct,
    ) == (45.0, 109.51, 2**20, 32 * 2**30, 0.0)


def test_query_text_sections_follow_the_json_tree():
    text = (
        "Driver Version                            : 3.0.0\n"
        "GPU 00000000:01:00.0\n"
        "    Product Name                          : MTT S80\n"
        "    PCI\n"
        "        Device ID                         : 0x0201\n"
        "    FB Memory Usage\n"
        "        Total                             : 16384MiB\n"
        "    Power Readings\n"
        "        Power Draw                        : N/A\n"
    )
    rep = mthreads_gmi.parse_query_text(text)
    (g,) = rep.gpus
    assert rep.driver_version == "3.0.0" and g.bus_id == "00000000:01:00.0" and g.device_id == "0201"
    assert g.memory_total_bytes == 16 * 2**30 and g.power_draw_w is None and g.name == "MTT S80"


def test_errors_on_stdout_are_recognised():
    assert mthreads_gmi.error_line("Error: failed to load driver.\n") == "Error: failed to load driver."
    assert mthreads_gmi.error_line("\n  Failed to initialize MTML\n") == "Failed to initialize MTML"
    assert mthreads_gmi.error_line("Mon Nov 11 16:07:07 2024\n----") is None
    assert mthreads_gmi.parse_version("mthreads-gmi version: 2.0.0\n") == "2.0.0"

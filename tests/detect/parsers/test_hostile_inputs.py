"""Hostile input: every parser is total (returns or raises ParseError), linear (a 1 MB line in well
under a second) and honest (garbage is the parse error, never facts); the sources turn that into
problems naming the tool; subprocess output is bounded; the power helper refuses junk.

The generators are in tests/fuzzing.py (also driven by bench/fuzz_parsers.py with 10,000 inputs per
parser); here each parser gets a few dozen hypothesis-drawn inputs, every saved crasher of the
corpus (tests/data/fuzz-corpus/<parser>/) and a truncation sweep of its real captures.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probes.core import values
from probes.core.errors import ParseError
from probes.detect.engine import probe
from probes.detect.parsers import (
    hostinfo,
    lspci,
    macos_sp,
    mthreads_gmi,
    nvidia_smi,
    xpu_smi,
)
from probes.detect.sources import mthreads, nvidia, pci
from tests import fuzzing

TARGETS = fuzzing.targets()
BY_NAME = {t.name: t for t in TARGETS}
MB = 1024 * 1024


def _total(parser, text: str) -> fuzzing.Outcome:
    out = fuzzing.run_one(parser, text)
    assert out.ok, f"{out.error} on {text[:120]!r}"
    assert out.seconds < fuzzing.TIME_BOUND_S, f"{out.seconds:.2f} s on {len(text)} characters"
    return out


# ---- the shared value helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "①",
        "٣",
        "１２",
        "9" * 30,
        "1" * 5000,
        "1e400",
        "NaN",
        " ",
        "",
        None,
        True,
        float("inf"),
        float("nan"),
        10**400,
        "0x10",
        "12a",
        "-",
    ],
)
def test_ascii_int_refuses_what_is_not_a_plain_bounded_integer(value):
    assert values.ascii_int(value) is None


def test_numbers_sizes_and_ranges():
    assert values.ascii_int(" 42 ") == 42 and values.ascii_int("5", values.INDEX) == 5
    assert values.index("4096") is None and values.index("-1") is None
    assert values.number("45C", "C") == 45.0 and values.watts("109.51W") == 109.51
    assert values.temperature_c("900C") is None and values.temperature_c("-300") is None
    assert values.percent("101 %") is None and values.percent("26 %") == 26.0
    assert values.number(1e300) is None and values.number(10**30) is None
    assert values.size_bytes("81920MiB") == 80 * 2**30 and values.size_bytes("8 GB") == 8 * 2**30
    assert values.size_bytes("9" * 20 + " TiB") is None and values.size_bytes("5 W") is None
    assert (
        values.hex4("0x10DE") == "10de" and values.hex4("0x" + "f" * 40) is None and values.hex4(-1) is None
    )
    assert values.normalize_bus_id("00000000:01:00.0") == "0000:01:00.0"
    assert values.normalize_bus_id("0" * 100) is None
    assert values.is_na("[Not Supported]") and values.is_na(None) and not values.is_na("0")


def test_json_loads_guards_everything():
    assert values.json_loads('{"a": 1e400, "b": NaN, "c": -Infinity, "d": 2}', "t") == {
        "a": None,
        "b": None,
        "c": None,
        "d": 2,
    }
    for bad in [
        "[" * 100_000,
        '{"a":' * 5000,
        "1" * 5000,
        "",
        "{",
        "\x00",
        '{"a": [' + "[" * 80 + "]" * 80 + "]}",
    ]:
        with pytest.raises(ParseError):
            values.json_loads(bad, "t")
    with pytest.raises(ParseError):
        values.text("x" * (values.MAX_TEXT_CHARS + 1), "t")
    with pytest.raises(ParseError):
        values.text(b"bytes", "t")


def test_first_line_is_shown_safely():
    assert values.first_line("\n\n  \x1b[31mred\x00 line  \nsecond") == "\\x1b[31mred\\x00 line"
    assert values.first_line("x" * 500).endswith("…") and len(values.first_line("x" * 500)) == 81


# ---- every parser, hypothesis-driven ----------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32))
def test_every_parser_is_total_linear_and_honest(target, seed):
    rng = random.Random(seed)
    kind, text, parser = fuzzing.hostile(rng, target, seed)
    out = _total(parser, text)
    if kind == "random" and target.strict:
        assert not out.accepted, f"{target.name} accepted random input {text[:120]!r}"


@pytest.mark.parametrize("target", [t for t in TARGETS if t.seeds], ids=lambda t: t.name)
def test_truncation_at_every_point_of_the_real_captures(target):
    """Every prefix of every capture (every character for short ones, 300 evenly spread cuts plus
    every line end for long ones): the parse error or an answer, nothing else."""
    for i, (seed, per_seed) in enumerate(target.seeds):
        parser = per_seed or target.parse
        cuts = (
            set(range(len(seed) + 1))
            if len(seed) <= 1500
            else set(range(0, len(seed) + 1, max(1, len(seed) // 300)))
            | {j for j, c in enumerate(seed) if c == "\n"}
        )
        t0 = time.perf_counter()
        for cut in sorted(cuts):
            out = fuzzing.run_one(parser, seed[:cut])
            assert out.ok, f"{target.name} seed {i} cut at {cut}: {out.error}"
        assert time.perf_counter() - t0 < 20


@pytest.mark.parametrize(
    "name, path", fuzzing.corpus_files(), ids=lambda x: x if isinstance(x, str) else x.name
)
def test_fuzz_corpus_regressions(name, path):
    """Inputs that crashed, hung or were wrongly accepted before (found by bench/fuzz_parsers.py)."""
    target = BY_NAME[name]
    text = path.read_bytes().decode("utf-8", "surrogatepass")
    out = _total(target.parse, text)
    if path.name.startswith("accepted-") and target.strict:
        assert not out.accepted


# ---- former super-linear hot spots: a 1 MB line in well under a second --------------------------

HOT_SPOTS = {
    "cmd-ver": (hostinfo.parse_cmd_ver, "[" * MB),
    "cmd-ver-spaces": (hostinfo.parse_cmd_ver, "Microsoft Windows [Version" + " " * MB + "x]"),
    "py-0p-new": (hostinfo.parse_py_launcher, " -V:3.12 *" + " " * MB + "x y"),
    "py-0p-old": (hostinfo.parse_py_launcher, " -3.9-64 C:\\x" + " " * MB + "y *z"),
    "lspci-head": (lspci.parse_lspci, "0000:01:00.0 " + " " * MB + "x"),
    "lspci-prog-if": (lspci.parse_lspci, "0000:01:00.0 VGA compatible controller [0300]: N" + " " * MB + "x"),
    "macos-size": (macos_sp.parse_size, "1" * MB),
    "macos-size-spaces": (macos_sp.parse_size, "1" + " " * MB + "x"),
    "gmi-query-kv": (mthreads_gmi.parse_query_text, "Product Name: a" + " " * MB + "b"),
    "gmi-table-cells": (
        mthreads_gmi.parse_table,
        "mthreads-gmi:2.0.0 Driver Version:3.0.0\n+"
        + "-" * 40
        + "+\n0 X |00000000:01:00.0 |1"
        + " " * MB
        + "x\n",
    ),
    "smi-csv-header": (nvidia_smi.parse_query_csv, "[" * MB),
    "smi-csv-cell": (nvidia_smi.parse_query_csv, "0, " + " " * MB + "x"),
    "xpu-discovery": (xpu_smi.parse_discovery, "|" + " " * MB + "|x"),
    "proc-version": (nvidia_smi.parse_proc_version, "NVRM version: Kernel Module" + " " * MB + "x"),
}


@pytest.mark.parametrize("name", sorted(HOT_SPOTS))
def test_a_one_megabyte_line_parses_quickly(name):
    parser, text = HOT_SPOTS[name]
    _total(parser, text)


# ---- honesty: markers required -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["MTBios Version: 1\n", "Key: value\n", "a : b\nc : d\n", "GPU\nfoo : bar\n", "x\x00: y\n", "   \n"],
)
def test_gmi_query_text_needs_the_tools_markers(text):
    with pytest.raises(ParseError):
        mthreads_gmi.parse_query_text(text)


@pytest.mark.parametrize("text", ["", " \n\t\n", "\r\n"])
def test_nvidia_smi_query_without_output_is_an_error(text):
    with pytest.raises(ParseError):
        nvidia_smi.parse_query_csv(text)


def test_huge_numbers_are_the_parse_error_not_a_crash():
    row = (
        "0, 00000000:01:00.0, 0x250410DE, RTX, GPU-1, 550.54.14, "
        + "9" * 400
        + ", 1, 40, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8.6"
    )
    with pytest.raises(ParseError):
        nvidia_smi.parse_query_csv(row)
    table = (
        "mthreads-gmi:2.0.0 Driver Version:3.0.0\n+"
        + "-" * 40
        + "+\n"
        + "9" * 5000
        + " MTT S80 |00000000:01:00.0 |0%  1MiB(16384MiB)\n"
    )
    rep = mthreads_gmi.parse_table(table)
    assert rep.gpus == []  # an index of 5,000 digits is no GPU row
    assert mthreads_gmi.parse_table(table.replace("0%", "9" * 400 + "%")).gpus == []


# ---- sources: the parse error becomes a problem naming the tool; failures are not erased ----------


def _problems(result, code="smi-output-unparsed"):
    return [p for p in result.problems if p.code == code]


def test_nvidia_smi_blank_output_is_a_problem(fake_tools, make_host, monkeypatch):
    fake_tools.replay("nvidia-smi", {"*": {"stdout": "  \n"}})
    host = make_host(path=[fake_tools.path])
    monkeypatch.setattr(host, "import_module", lambda name: None)  # no NVML: nvidia-smi answers
    result = probe(host, sources=list(nvidia.SOURCES))
    (p,) = _problems(result)
    assert "nvidia-smi" in str(p.message) and result.gpus == []


def test_gmi_garbage_query_does_not_erase_the_table_failure(fake_tools, sysfs, make_host):
    sysfs.pci_device("0000:01:00.0", "1ed5", "0201", driver="mtgpu")
    fake_tools.replay(
        "mthreads-gmi", {"": {"stdout": "MTBios Version: 1\n"}, "-q": {"stdout": "MTBios Version: 1\n"}}
    )
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES + mthreads.SOURCES)
    (p,) = _problems(result)
    assert "mthreads-gmi" in str(p.message) and "MTBios Version: 1" in str(p.message)


def test_a_flooding_tool_is_stopped_and_reported(fake_tools, make_host):
    from probes.core.host import OUTPUT_TOO_LARGE
    from probes.core.problems import tool_problem

    fake_tools.script("flood", "chunk = b'x' * 65536\nwhile True:\n    sys.stdout.buffer.write(chunk)\n")
    host = make_host(path=[fake_tools.path])
    host.max_output_bytes = 1 * MB
    t0 = time.monotonic()
    res = host.run([str(fake_tools.bindir / "flood")], timeout_s=20)
    assert time.monotonic() - t0 < 10
    assert res.error == OUTPUT_TOO_LARGE and len(res.stdout) <= 1 * MB
    assert tool_problem(res, "flood").code == "smi-output-unparsed"


# ---- the privileged power helper ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--bus-id", "0000:02:00.0\n", "--watts", "100"],
        ["--bus-id", "0000:02:00.0", "--watts", "100\n"],
        ["--bus-id", "0000:02:00.0", "--watts", "0"],
        ["--bus-id", "0000:02:00.0", "--watts", "9999"],
        ["--bus-id", "0000:02:00.0", "--watts", "１００"],
        ["--bus-id", "0000:02:00.0", "--watts", "²"],
        ["--bus-id", "0000:0２:00.0", "--reset"],
        ["--bus-id", "0" * 5000, "--reset"],
        ["--bus-id", "0000:02:00.0", "--watts", "100", "--reset", "--reset"],
    ],
)
def test_power_helper_refuses_hostile_arguments(argv):
    from probes.core.errors import RigPilotError
    from probes.live import power_helper

    with pytest.raises(RigPilotError) as exc:
        power_helper.parse_args(argv)
    assert exc.value.code == "power-helper-bad-arguments"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(["--bus-id", "--watts", "--reset"])
        | st.text(max_size=12)
        | st.sampled_from(
            [
                "0000:02:00.0",
                "02:00.0",
                "150",
                "150.5",
                "0",
                "5001",
                "1e3",
                "-1",
                "²",
                "0000:02:00.0\n",
                "9" * 400,
            ]
        ),
        max_size=6,
    )
)
def test_power_helper_accepts_only_a_bus_id_and_a_wattage_in_range(argv):
    from probes.core.errors import RigPilotError
    from probes.live import power_helper

    try:
        bus, watts = power_helper.parse_args(argv)
    except RigPilotError as err:
        assert err.code == "power-helper-bad-arguments"
        return
    assert values.normalize_bus_id(bus) == bus
    assert watts is None or 1.0 <= watts <= 5000.0

"""Hypothesis: every parser of this area raises nothing but ParseError, on noise and on mangled captures."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.detect.parsers import domestic_smi, lspci, mthreads_gmi

DATA = Path(__file__).resolve().parents[2] / "data"
SEEDS = [
    p.read_text(encoding="utf-8")
    for folder in ("mthreads-gmi", "musa", "lspci", "ixsmi", "mx-smi", "hy-smi")
    for p in sorted((DATA / folder).iterdir())
    if not p.name.endswith((".expected.json", ".md"))
]

PARSERS = [
    mthreads_gmi.parse_table,
    mthreads_gmi.parse_query_text,
    mthreads_gmi.parse_query_json,
    mthreads_gmi.parse_musa_components,
    mthreads_gmi.parse_version,
    mthreads_gmi.error_line,
    lspci.parse_lspci,
    domestic_smi.parse_ixsmi,
    domestic_smi.parse_mxsmi,
    domestic_smi.parse_hysmi,
]

ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
TOKENS = st.sampled_from(
    [
        "|",
        "+----------------------+",
        "-" * 63,
        "-" * 69,
        "MiB(",
        "MiB)",
        "16x(16x)",
        "Physical",
        "P0",
        "%",
        "C",
        "W / ",
        "00000000:01:00.0",
        "mthreads-gmi:2.0.0",
        "Driver Version:",
        " : ",
        "{",
        "}",
        '"version":',
        "GPU 0",
        "\n",
        "    ",
        "\t",
        "[10de:1f91]",
        "(rev a1)",
        "HCU Temp AvgPwr",
        "N/A",
        "99999999999999999999",
    ]
)


def _mangle(seed: str, data) -> str:
    lines = seed.splitlines()
    for _ in range(data.draw(st.integers(0, 6))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "cut", "insert", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "insert":
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + data.draw(st.text(ALPHABET, max_size=6) | TOKENS) + lines[i][pos:]
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _only_parse_error(parser, text):
    try:
        parser(text)
    except ParseError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(ALPHABET, max_size=400) | st.lists(TOKENS, max_size=40).map("".join))
def test_parsers_on_noise(text):
    for parser in PARSERS:
        _only_parse_error(parser, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parsers_on_mangled_captures(data):
    text = _mangle(data.draw(st.sampled_from(SEEDS)), data)
    for parser in PARSERS:
        _only_parse_error(parser, text)


@settings(max_examples=200, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "GPU",
                        "Index",
                        "PCI",
                        "Bus ID",
                        "Power Readings",
                        "Power Draw ",
                        "FB Memory Usage",
                        "Total",
                        "Driver Version",
                        "Product Name",
                        "x",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_query_json_on_arbitrary_json(value):
    _only_parse_error(mthreads_gmi.parse_query_json, json.dumps(value))

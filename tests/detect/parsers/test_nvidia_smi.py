"""nvidia-smi / procfs parsers on verbatim captures (tests/data/nvidia-smi, tests/data/nvidia-proc)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.detect.parsers import nvidia_smi as smi

DATA = Path(__file__).resolve().parents[2] / "data"
FOLDERS = {
    "nvidia-smi/query": lambda text, exp: smi.parse_query_csv(text, exp["fields"]),
    "nvidia-smi/banner": lambda text, exp: smi.parse_smi_header(text),
    "nvidia-smi/topo": lambda text, exp: smi.parse_topo_matrix(text),
    "nvidia-proc": lambda text, exp: smi.parse_proc_version(text),
}
CASES = [(folder, p) for folder in FOLDERS for p in sorted((DATA / folder).glob("*.txt"))]


def _expected(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


@pytest.mark.parametrize("folder,path", CASES, ids=[f"{f}/{p.name}" for f, p in CASES])
def test_capture_parses_to_expectation(folder, path):
    expected = json.loads(_expected(path).read_text(encoding="utf-8"))
    got = FOLDERS[folder](path.read_text(encoding="utf-8"), expected)
    got = json.loads(json.dumps(got))  # int dict keys become strings, like the stored JSON
    assert got == (expected["rows"] if folder == "nvidia-smi/query" else expected)


def test_every_capture_has_an_expectation_and_vice_versa():
    assert len(CASES) >= 15
    for folder in FOLDERS:
        for txt in (DATA / folder).glob("*.txt"):
            assert _expected(txt).is_file(), f"{txt} has no .expected.json"
        for exp in (DATA / folder).glob("*.expected.json"):
            assert exp.with_name(exp.name.replace(".expected.json", ".txt")).is_file(), f"orphan {exp}"


def test_sentinels_are_none_never_zero():
    rows = smi.parse_query_csv(
        "0, 00000000:01:00.0, [Unknown Error], [N/A], N/A, [Not Supported]\n",
        ["index", "pci.bus_id", "fan.speed", "power.draw", "temperature.gpu", "power.limit"],
    )
    assert rows == [
        {
            "index": 0,
            "pci.bus_id": "00000000:01:00.0",
            "fan.speed": None,
            "power.draw": None,
            "temperature.gpu": None,
            "power.limit": None,
        }
    ]


def test_full_rigpilot_query_two_gpus():
    text = (
        "0, 00000000:01:00.0, 0x220410DE, NVIDIA GeForce RTX 3090, GPU-aaaa, 550.54.14, "
        "24576, 512, 45, 3, 31.20, "
        "350.00, 350.00, 100.00, 400.00, 350.00, 210, 30, 8.6\n"
        "1, 00000000:02:00.0, 0x250410DE, NVIDIA GeForce RTX 3060, GPU-bbbb, 550.54.14, "
        "12288, 2, 40, 0, [N/A], "
        "170.00, 170.00, 100.00, 212.00, 170.00, 210, [N/A], 8.6\n"
    )
    rows = smi.parse_query_csv(text)
    assert [r["name"] for r in rows] == ["NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 3060"]
    assert rows[0]["memory.total"] == 24576 and smi.mib_to_bytes(rows[0]["memory.total"]) == 24576 * 2**20
    assert rows[1]["power.draw"] is None and rows[1]["fan.speed"] is None
    assert rows[1]["compute_cap"] == "8.6" and rows[0]["power.max_limit"] == 400.0
    assert smi.split_pci_device_id(rows[1]["pci.device_id"]) == ("10de", "2504")


def test_query_argv_is_exact():
    assert smi.query_argv("nvidia-smi", ("index", "name")) == [
        "nvidia-smi",
        "--query-gpu=index,name",
        "--format=csv,noheader,nounits",
    ]
    assert smi.query_argv("x", ("index",), loop_ms=1000)[-2:] == ["-lms", "1000"]
    assert "compute_cap" not in smi.QUERY_FIELDS_LEGACY and "compute_cap" in smi.QUERY_FIELDS


@pytest.mark.parametrize(
    "text",
    [
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the "
        "latest NVIDIA driver is installed and running.\n",
        "Failed to initialize NVML: Unknown Error\n",
        "0, 1, 2\n",
    ],
)
def test_error_text_instead_of_csv_is_a_parse_error(text):
    with pytest.raises(ParseError) as info:
        smi.parse_query_csv(text)
    assert info.value.code == "smi-output-unparsed"


def test_banner_without_driver_line_is_a_parse_error():
    with pytest.raises(ParseError):
        smi.parse_smi_header("No devices were found\n")


def test_module_version_and_max_cuda_table():
    assert smi.parse_module_version("550.54.14\n") == "550.54.14"
    with pytest.raises(ParseError):
        smi.parse_module_version("garbage")
    assert smi.max_cuda_for_driver("550.54.14") == "12.4"
    assert smi.max_cuda_for_driver("550.54.13") == "12.1"
    assert smi.max_cuda_for_driver("580.95.05") == "13.0"
    assert smi.max_cuda_for_driver("551.61", "windows") == "12.4"
    assert smi.max_cuda_for_driver("590.44.01", "windows") == "12.9"  # no 13.x row for Windows
    assert smi.max_cuda_for_driver("470.82.01") is None
    assert smi.max_cuda_for_driver(None) is None


def test_invalid_field_message_is_recognised():
    assert smi.is_invalid_field_error('Field "compute_cap" is not a valid field to query.\n')
    assert not smi.is_invalid_field_error("All done.")


def test_topo_with_space_layout_and_nics():
    text = (
        "        GPU0    GPU1    NIC0    CPU Affinity\n"
        "GPU0     X      NV18    PXB     0-55\n"
        "GPU1    NV18     X      NODE    0-55\n"
        "NIC0    PXB     NODE     X\n"
    )
    topo = smi.parse_topo_matrix(text)
    assert topo["links"] == [{"a": 0, "b": 1, "type": "NV18", "kind": "nvlink"}]
    assert topo["affinity"][0]["cpu"] == "0-55"


def test_topo_single_gpu_has_no_links():
    topo = smi.parse_topo_matrix(
        "\tGPU0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\nGPU0\t X \t0-7\t\tN/A\t\tN/A\n"
    )
    assert topo["gpus"] == [0] and topo["links"] == []


@pytest.mark.parametrize(
    "text", ["", "Legend:\n X = Self\n", "\tGPU0\tGPU1\nGPU0\t X \tWAT\nGPU1\tWAT\t X \n"]
)
def test_topo_garbage_is_a_parse_error(text):
    with pytest.raises(ParseError):
        smi.parse_topo_matrix(text)


_ALPHABET = st.sampled_from(list("0123456789.,: \t\n[]NA/XGPUSYSNODEVRMabc-%WMiB") + ["\x00", "\u4e2d", "\r"])
_texts = st.one_of(st.text(_ALPHABET, max_size=300), st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_fuzz_only_parse_error_escapes(text):
    parsers = [
        smi.parse_query_csv,
        lambda t: smi.parse_query_csv(t, ["fan.speed"]),
        lambda t: smi.parse_query_csv(t, ["index", "name", "compute_cap"]),
        smi.parse_smi_header,
        smi.parse_topo_matrix,
        smi.parse_proc_version,
        smi.parse_module_version,
    ]
    for parse in parsers:
        try:
            parse(text)
        except ParseError:
            pass


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "", "x"]),
            st.floats(allow_nan=False, allow_infinity=False, width=32).map(str),
            st.integers(-5, 10**6).map(str),
        ),
        min_size=1,
        max_size=18,
    )
)
def test_fuzz_query_rows(cells):
    fields = smi.QUERY_FIELDS[: len(cells)]
    try:
        rows = smi.parse_query_csv(", ".join(cells) + "\n", fields)
    except ParseError:
        return
    for row in rows:
        for value in row.values():
            assert value is None or isinstance(value, (int, float, str))

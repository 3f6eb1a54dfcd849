"""Windows display adapters: CIM + registry parser on captured shapes, and the source end to end
with a fake ``powershell`` on PATH (RIGPILOT_PLATFORM=windows on Linux)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.core.host import decode_output
from probes.detect.parsers import windows_cim as wc
from probes.detect.sources import ProbeContext
from probes.detect.sources import windows as win

DATA = Path(__file__).resolve().parents[2] / "data" / "windows-cim"
FIXTURES = sorted(p for p in DATA.glob("*.json") if not p.name.endswith(".expected.json"))


def _expected(path: Path) -> Path:
    return path.with_name(path.name[: -len(".json")] + ".expected.json")


def test_every_fixture_has_an_expectation():
    assert FIXTURES, "no fixtures found"
    missing = [p.name for p in FIXTURES if not _expected(p).is_file()]
    assert not missing, f"fixtures without .expected.json: {missing}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_parse_cim_matches_expectation(path):
    text = decode_output(path.read_bytes())  # GBK / UTF-16 files decode like host.run does
    expected = json.loads(_expected(path).read_text(encoding="utf-8"))
    assert wc.parse_cim(text) == expected


def test_vram_comes_from_the_registry_not_the_saturated_adapter_ram():
    parsed = wc.parse_cim((DATA / "gtx1080ti-536.67-win10.json").read_text(encoding="utf-8"))
    gtx = [a for a in parsed["adapters"] if a["vendor"] == "nvidia"][0]
    assert gtx["adapter_ram_bytes"] == 4293918720 and gtx["adapter_ram_saturated"]
    assert gtx["memory_total_bytes"] == 11 * 2**30
    single = wc.parse_cim(decode_output((DATA / "rx6800xt-24.2.1-win11-single.json").read_bytes()))
    assert single["adapters"][0]["memory_total_bytes"] is None  # no registry data: unknown, not 4 GiB


def test_chinese_basic_display_adapter_in_gbk_means_no_driver():
    raw = (DATA / "s80-nodriver-win11-zh.json").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GBK bytes
    a = wc.parse_cim(decode_output(raw))["adapters"][0]
    assert a["basic_display"] and a["vendor"] == "mthreads" and a["device_id"] == "0201"
    assert (
        a["windows_name"] == "Microsoft 基本显示适配器" and a["name"] is None and a["driver_version"] is None
    )


@pytest.mark.parametrize(
    "windows, vendor_form",
    [
        ("31.0.15.3667", "536.67"),
        ("31.0.15.7652", "576.52"),
        ("30.0.14.7242", "472.42"),
        ("32.0.15.6094", "560.94"),
        ("32.0.16.1047", "610.47"),
        ("27.21.14.5671", "456.71"),
        ("26.21.14.4120", "441.20"),
        ("garbage", None),
        ("", None),
        (None, None),
        ("1.2.3", None),
    ],
)
def test_nvidia_windows_driver_version_mapping(windows, vendor_form):
    assert wc.nvidia_version_from_windows(windows) == vendor_form


@pytest.mark.parametrize(
    "value, iso",
    [
        ("\\/Date(1706745600000)\\/", "2024-02-01"),
        ("/Date(1688601600000)/", "2023-07-06"),
        ("20180816000000.000000-000", "2018-08-16"),
        ("2025-03-27T00:00:00", "2025-03-27"),
        ("2023-07-06T00:00:00+08:00", "2023-07-06"),
        ("2022-07-20", "2022-07-20"),
        ("7/6/2023", "2023-07-06"),
        ({"value": "\\/Date(1706745600000)\\/", "DisplayHint": 2}, "2024-02-01"),
        ("2023-13-45", None),
        ("yesterday", None),
        (None, None),
        (12345, None),
    ],
)
def test_driver_date_formats(value, iso):
    assert wc.parse_driver_date(value) == iso


def test_pnp_ids_and_location():
    ids = wc.parse_pnp_id("PCI\\VEN_1ED5&DEV_0201&SUBSYS_00011ED5&REV_01\\4&1C3D25BB&0&0008")
    assert ids == {"vendor_id": "1ed5", "device_id": "0201", "subsystem_id": "1ed5:0001", "revision": "01"}
    assert wc.parse_pnp_id("ROOT\\BasicRender\\0000")["vendor_id"] is None
    assert wc.parse_location("PCI bus 3, device 0, function 0") == "0000:03:00.0"
    assert wc.parse_location("PCI-Bus 3") is None


def test_ambiguous_registry_match_gives_no_size():
    reg = [
        {"Key": "0000", "MatchingDeviceId": "pci\\ven_10de&dev_2204", "qwMemorySize": 25769803776},
        {"Key": "0001", "MatchingDeviceId": "pci\\ven_10de&dev_2204", "qwMemorySize": 12884901888},
    ]
    ctl = {"Name": "NVIDIA GeForce RTX 3090", "PNPDeviceID": "PCI\\VEN_10DE&DEV_2204&SUBSYS_1\\4&X"}
    assert wc.match_registry(ctl, reg) is None
    ctl["DriverKey"] = "{4d36e968-e325-11ce-bfc1-08002be10318}\\0001"
    assert wc.registry_memory(wc.match_registry(ctl, reg)) == 12884901888


@pytest.mark.parametrize(
    "text", ["", "   ", "WARNING: something\n", "{not json", "42", '"a string"', '{"controllers": 5}']
)
def test_bad_output_raises_parse_error_only(text):
    with pytest.raises(ParseError):
        wc.parse_cim(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda c: (
        st.lists(c, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Name",
                    "PNPDeviceID",
                    "DriverVersion",
                    "DriverDate",
                    "AdapterRAM",
                    "Service",
                    "controllers",
                    "registry",
                    "os",
                    "Key",
                    "MatchingDeviceId",
                    "qwMemorySize",
                    "MemorySize",
                    "DriverKey",
                    "LocationInformation",
                    "ConfigManagerErrorCode",
                    "BuildNumber",
                    "Version",
                    "value",
                ]
            )
            | st.text(max_size=8),
            c,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_fuzz_parse_cim_structured(value):
    try:
        wc.parse_cim(json.dumps(value))
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_parse_cim_text(text):
    try:
        wc.parse_cim(text)
    except ParseError:
        pass


# ---- the source, end to end with a fake powershell ---------------------------------------------
def _ps_host(
    fake_tools,
    make_host,
    stdout: str | None = None,
    *,
    stdout_hex: str | None = None,
    rc=0,
    sleep=0,
    root=None,
):
    spec = {"rc": rc, "sleep": sleep}
    if stdout_hex is not None:
        spec["stdout_hex"] = stdout_hex
    else:
        spec["stdout"] = stdout or ""
    fake_tools.replay("powershell", {"*": spec})
    return make_host(platform="windows", path=[fake_tools.path], root=root)


def test_source_runs_powershell_with_argv_and_builds_gpus(fake_tools, make_host):
    fake_tools.script(
        "powershell",
        """
import json
args = sys.argv[1:]
ok = args[:3] == ["-NoProfile", "-NonInteractive", "-Command"] and "Win32_VideoController" in args[3] \
    and "HardwareInformation.qwMemorySize" in args[3] and len(args) == 4
sys.stdout.write(open(os.environ["FIXTURE"], encoding="utf-8").read() if ok else "bad argv")
""",
    )
    host = make_host(
        platform="windows", path=[fake_tools.path], env={"FIXTURE": str(DATA / "gtx1080ti-536.67-win10.json")}
    )
    res = win.WindowsCimSource().collect(host, ProbeContext())
    assert not res.problems
    by_vendor = {g.vendor: g for g in res.gpus}
    gtx = by_vendor["nvidia"]
    assert gtx.name == "NVIDIA GeForce GTX 1080 Ti" and gtx.pci.device_id == "1b06"
    assert gtx.pci.bus_id == "0000:01:00.0" and gtx.driver.version == "536.67"
    assert gtx.extra["windows_driver_version"] == "31.0.15.3667"
    assert gtx.memory_total_bytes == 11811160064 and gtx.compute.api == "cuda"
    igpu = by_vendor["intel"]
    assert igpu.compute.api == "directml" and igpu.memory_total_bytes == 128 * 2**20


def test_s80_gets_directml_and_no_musa_on_windows(fake_tools, make_host):
    host = _ps_host(fake_tools, make_host, (DATA / "s80-mtdriver-win11-zh.json").read_text(encoding="utf-8"))
    (gpu,) = win.WindowsCimSource().collect(host, ProbeContext()).gpus
    assert gpu.vendor == "mthreads" and gpu.compute.api == "directml" and gpu.memory_total_bytes == 16 * 2**30
    assert gpu.extra["directml"]["available"] and gpu.extra["directml"]["windows_build"] == 22631


def test_gbk_output_of_a_card_without_driver_reports_driver_not_installed(fake_tools, make_host):
    raw = (DATA / "s80-nodriver-win11-zh.json").read_bytes()
    host = _ps_host(fake_tools, make_host, stdout_hex=raw.hex())
    res = win.WindowsCimSource().collect(host, ProbeContext())
    (gpu,) = res.gpus
    assert gpu.vendor == "mthreads" and gpu.driver.loaded is False and gpu.compute.api == "none"
    assert gpu.extra["windows_adapter_name"] == "Microsoft 基本显示适配器"
    (p,) = res.problems
    assert p.code == "driver-not-installed" and p.bus_id == "0000:03:00.0"
    assert "Moore Threads" in str(p.message) and "1ed5:0201" in str(p.message)


def test_amd_with_hip_runtime_is_rocm_without_is_directml(fake_tools, make_host, sysfs):
    text = DATA / "rx6800xt-24.2.1-win11-single.json"
    out = decode_output(text.read_bytes())
    host = _ps_host(fake_tools, make_host, out)
    assert win.WindowsCimSource().collect(host, ProbeContext()).gpus[0].compute.api == "directml"
    sysfs.write("/C/Windows/System32/amdhip64_6.dll", b"MZ")
    host = make_host(platform="windows", path=[fake_tools.path], root=sysfs)
    gpu = win.WindowsCimSource().collect(host, ProbeContext()).gpus[0]
    assert gpu.compute.api == "rocm" and gpu.extra["hip_runtime"].endswith("amdhip64_6.dll")


def test_old_windows_build_has_no_directml(fake_tools, make_host):
    data = json.loads((DATA / "s80-mtdriver-win11-zh.json").read_text(encoding="utf-8"))
    data["os"] = {"Caption": "Microsoft Windows 10 Pro", "Version": "10.0.17763", "BuildNumber": "17763"}
    host = _ps_host(fake_tools, make_host, json.dumps(data))
    res = win.WindowsCimSource().collect(host, ProbeContext())
    assert res.gpus[0].compute.api is None
    assert [p.code for p in res.problems] == ["windows-directml-too-old"]


def test_arc_is_xpu_and_software_adapters_are_dropped(fake_tools, make_host):
    host = _ps_host(
        fake_tools, make_host, (DATA / "arc-a770-32.0.101.6737-win11-ps7.json").read_text(encoding="utf-8")
    )
    gpus = win.WindowsCimSource().collect(host, ProbeContext()).gpus
    assert [(g.vendor, g.compute.api) for g in gpus] == [("intel", "xpu")]


def test_garbage_output_is_a_problem_not_a_traceback(fake_tools, make_host):
    host = _ps_host(fake_tools, make_host, stdout_hex=bytes(range(256)).hex())
    res = win.WindowsCimSource().collect(host, ProbeContext())
    assert not res.gpus and [p.code for p in res.problems] == ["smi-output-unparsed"]


def test_failing_powershell_exit_code_is_reported(fake_tools, make_host):
    host = _ps_host(fake_tools, make_host, "Get-CimInstance : Access denied\r\n", rc=1)
    res = win.WindowsCimSource().collect(host, ProbeContext())
    assert [p.code for p in res.problems] == ["smi-tool-failed"]


def test_hanging_powershell_times_out(fake_tools, make_host, monkeypatch):
    monkeypatch.setattr(win, "RUN_TIMEOUT_S", 0.5)
    host = _ps_host(fake_tools, make_host, "{}", sleep=30)
    res = win.WindowsCimSource().collect(host, ProbeContext())
    assert [p.code for p in res.problems] == ["smi-tool-timeout"] and not res.gpus


def test_no_powershell_means_no_gpus_and_no_noise(make_host):
    res = win.WindowsCimSource().collect(make_host(platform="windows"), ProbeContext())
    assert not res.gpus and not res.problems


def test_source_only_applies_on_windows(make_host):
    assert win.WindowsCimSource().applicable(make_host(platform="windows"), ProbeContext())
    assert not win.WindowsCimSource().applicable(make_host(platform="linux"), ProbeContext())


def test_powershell_scripts_survive_windows_command_line_quoting():
    """No double quotes inside -Command scripts: CreateProcess quoting stays trivial."""
    from probes.detect.sources.hostinfo import WIN_HOST_SCRIPT
    from probes.live.telemetry.windows import COUNTER_SCRIPT

    for script in (win.CIM_SCRIPT, WIN_HOST_SCRIPT, COUNTER_SCRIPT):
        assert '"' not in script and "\n" not in script and len(script) < 8000


def test_utf16_output_through_host_run(fake_tools, make_host):
    raw = (DATA / "rx6800xt-24.2.1-win11-single.json").read_bytes()
    assert raw.startswith(b"\xff\xfe")
    host = _ps_host(fake_tools, make_host, stdout_hex=raw.hex())
    (gpu,) = win.WindowsCimSource().collect(host, ProbeContext()).gpus
    assert (gpu.vendor, gpu.name, gpu.pci.device_id) == ("amd", "AMD Radeon RX 6800 XT", "73bf")
    assert gpu.memory_total_bytes is None and gpu.extra["adapter_ram_saturated"] is True


def test_code_43_is_a_device_error_with_a_translated_meaning(fake_tools, make_host):
    from probes.core.i18n import render

    data = json.loads((DATA / "gtx1080ti-536.67-win10.json").read_text(encoding="utf-8"))
    data["controllers"][1]["ConfigManagerErrorCode"] = 43
    data["controllers"][1]["Status"] = "Error"
    host = _ps_host(fake_tools, make_host, json.dumps(data))
    res = win.WindowsCimSource().collect(host, ProbeContext())
    gtx = [g for g in res.gpus if g.vendor == "nvidia"][0]
    assert gtx.driver.loaded is False and gtx.compute.api is None and gtx.name == "NVIDIA GeForce GTX 1080 Ti"
    (p,) = res.problems
    assert p.code == "windows-device-error" and p.bus_id == "0000:01:00.0"
    assert "code 43" in render(p.message, "en") and "stopped the device" in render(p.message, "en")
    assert "代码 43" in render(p.message, "zh_CN") and "Windows 已将其停止" in render(p.message, "zh_CN")


def test_my_problem_texts_have_zh_cn_translations():
    from probes.core.i18n import I18N_DIR, parse_ts
    from probes.core.problems import CATALOG
    from probes.detect.sources import runtime  # noqa: F401 - defines its codes

    catalog = parse_ts(I18N_DIR / "winhost_zh_CN.ts")
    texts = [t.source for t in win.DEVICE_ERRORS.values()] + ["see Device Manager"]
    for code in (
        "windows-device-error",
        "windows-directml-too-old",
        "torch-arch-ptx-jit",
        "torch-device-unavailable",
    ):
        texts += [CATALOG[code].message, CATALOG[code].hint]
    missing = [t for t in texts if ("problems", t) not in catalog]
    assert not missing

"""The Host seam: subprocess helper, decoding, file reads under RIGPILOT_ROOT, lookup, platform."""

from __future__ import annotations

import time

import pytest

from probes.core.host import Host, decode_output, platform_name


def test_run_returns_typed_result(fake_tools, make_host):
    fake_tools.replay("tool", {"--x": {"stdout": "hello\n", "rc": 0}})
    host = make_host(path=[fake_tools.path])
    res = host.run([host.which("tool"), "--x"], timeout_s=5)
    assert res.ok and res.stdout == "hello\n" and res.error is None


def test_missing_tool_is_not_found_not_an_exception(make_host):
    res = make_host().run(["/nonexistent/tool-xyz"], timeout_s=1)
    assert res.error == "not-found" and res.rc is None and not res.ok


def test_hanging_tool_is_killed_at_the_timeout(fake_tools, make_host):
    fake_tools.replay("hang", {"*": {"sleep": 60}})
    host = make_host(path=[fake_tools.path])
    t0 = time.monotonic()
    res = host.run([host.which("hang")], timeout_s=0.5)
    assert res.error == "timeout"
    assert time.monotonic() - t0 < 5


def test_exit_code_and_stdout_kept_when_tool_fails(fake_tools, make_host):
    fake_tools.replay("bad", {"*": {"stdout": "Error: failed to initialize\n", "rc": 4}})
    host = make_host(path=[fake_tools.path])
    res = host.run([host.which("bad")])
    assert res.rc == 4 and res.error is None and "failed to initialize" in res.stdout and not res.ok


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("显卡驱动".encode("gbk"), "显卡驱动"),
        ("名称 NVIDIA".encode(), "名称 NVIDIA"),
        ("\ufeffName".encode("utf-8"), "Name"),
        ("Name,Value\r\n".encode("utf-16"), "Name,Value\r\n"),
        ("Name,Value\r\n".encode("utf-16-le"), "Name,Value\r\n"),
        (b"", ""),
    ],
)
def test_decode_output_survives_real_encodings(raw, expected):
    assert decode_output(raw) == expected


def test_decode_output_never_raises_on_garbage():
    garbage = bytes(range(256)) * 3
    assert isinstance(decode_output(garbage), str)


def test_file_reads_are_under_rigpilot_root(sysfs, make_host):
    sysfs.write("/sys/module/mtgpu/version", "2.7.0\n")
    host = make_host(root=sysfs)
    assert host.read_text("/sys/module/mtgpu/version") == "2.7.0\n"
    assert host.read_text("/sys/module/missing/version") is None
    assert host.listdir("/sys/module") == ["mtgpu"]
    assert host.listdir("/nope") == []


def test_platform_override():
    assert platform_name({"RIGPILOT_PLATFORM": "windows"}) == "windows"
    assert platform_name({"RIGPILOT_PLATFORM": "darwin"}) == "darwin"
    assert Host(env={"RIGPILOT_PLATFORM": "windows", "PATH": ""}).platform == "windows"


def test_which_checks_well_known_dirs_after_path(tmp_path, fake_tools):
    fake_tools.replay("mthreads-gmi", {"*": {"stdout": "x"}})
    host = Host(env={"PATH": ""}, platform="linux", extra_dirs={"linux": (fake_tools.path,)})
    assert host.which("mthreads-gmi") == str(fake_tools.bindir / "mthreads-gmi")
    assert host.which("nvidia-smi") is None

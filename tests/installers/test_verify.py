"""Verification after install: the runtime report and the environment report against the profile."""

from __future__ import annotations

from installers.verify import Expect, expected_api, failures, import_modules, verify
from probes.core.i18n import render

NMS = "RuntimeError: operator torchvision::nms does not exist"


def _env(torch="2.13.0+cpu", **imports):
    dists = {"torch": {"version": torch}}
    for name, res in imports.items():
        if name != "torch" and res.get("version"):
            dists[name] = {"version": res["version"]}
    return {"distributions": dists, "imports": {"torch": {"ok": True}, **imports}}


def _runtime(torch="2.13.0+cpu", **kw):
    base = {
        "torch": torch,
        "cuda": None,
        "hip": None,
        "musa": None,
        "apis": {},
        "devices": [],
        "arch_list": [],
    }
    return {**base, **kw}


def test_the_cpu_stack_verifies():
    checks = verify(_runtime(), _env(), Expect(torch="2.13.0+cpu", api="cpu"))
    assert failures(checks) == []
    assert checks[0].id == "torch-version" and checks[0].ok


def test_torchvision_built_for_another_torch_has_its_own_code_and_the_fix():
    # what the real registry torchvision 0.28.0 does beside the CPU torch 2.13.0 (fixture README)
    env = _env(torchvision={"ok": False, "error": NMS, "version": "0.28.0"})
    checks = verify(_runtime(), env, Expect(torch="2.13.0+cpu", api="cpu", torch_index="https://x/whl/cpu"))
    bad = failures(checks)
    assert [c.code for c in bad] == ["verify-torchvision-mismatch"]
    message, hint = render(bad[0].message, "en"), render(bad[0].hint, "en")
    assert "0.28.0" in message and "torchvision::nms" in message
    assert "https://x/whl/cpu" in hint and "same index as torch" in hint


def test_a_cpu_build_where_a_cuda_build_was_chosen_fails():
    rt = _runtime(apis={"cuda": False})
    checks = verify(rt, _env(), Expect(torch="2.13.0+cpu", api="cuda"))
    assert "verify-torch-cpu-build" in {c.code for c in failures(checks)}


def test_another_torch_version_fails_and_stops_the_other_checks():
    checks = verify(_runtime("2.5.1+cpu"), _env("2.5.1+cpu"), Expect(torch="2.13.0+cpu", api="cpu"))
    assert [c.code for c in checks] == ["verify-torch-version"]


def test_torch_that_does_not_import():
    env = {"distributions": {}, "imports": {"torch": {"ok": False, "error": "OSError: libcudart.so.12"}}}
    checks = verify(None, env, Expect(torch="2.13.0+cu126", api="cuda"))
    assert checks[0].code == "verify-torch-import" and "libcudart" in render(checks[0].message, "en")


def test_no_device_is_a_warning_while_the_driver_is_missing_and_an_error_otherwise():
    rt = _runtime("2.7.1+cu128", cuda="12.8", apis={"cuda": False}, api_errors={"cuda": "no driver"})
    env = _env("2.7.1+cu128")
    pending = verify(rt, env, Expect(torch="2.7.1+cu128", api="cuda", device_pending=True))
    assert failures(pending) == [] and any(c.code == "verify-no-device" for c in pending)
    ready = verify(rt, env, Expect(torch="2.7.1+cu128", api="cuda"))
    assert [c.code for c in failures(ready)] == ["verify-no-device"]


def test_a_gpu_build_without_its_api_fails():
    rt = _runtime("6.0.0+rocm6.4", hip=None, apis={"rocm": True})
    checks = verify(rt, _env("6.0.0+rocm6.4"), Expect(torch="6.0.0+rocm6.4", api="rocm"))
    assert "verify-torch-api-missing" in {c.code for c in failures(checks)}


def test_arch_list_must_cover_the_card():
    rt = _runtime("2.7.1+cu126", cuda="12.6", apis={"cuda": True}, arch_list=["sm_80", "sm_90"])
    env = _env("2.7.1+cu126")

    def arch(cap, archs):
        return ("ok", None) if f"sm_{cap.replace('.', '')}" in archs else ("missing", "no sm_120")

    blackwell = verify(rt, env, Expect(torch="2.7.1+cu126", api="cuda", capability="12.0"), arch_check=arch)
    assert [c.code for c in failures(blackwell)] == ["verify-arch-not-covered"]
    ampere = verify(rt, env, Expect(torch="2.7.1+cu126", api="cuda", capability="8.0"), arch_check=arch)
    assert failures(ampere) == []


def test_a_pinned_companion_that_is_missing_fails():
    env = _env(torchaudio={"ok": False, "error": "ModuleNotFoundError: No module named 'torchaudio'"})
    checks = verify(_runtime(), env, Expect(torch="2.13.0+cpu", api="cpu", companions=("torchaudio",)))
    assert [c.code for c in failures(checks)] == ["verify-companion-import"]


def test_expected_api_from_the_profile():
    assert expected_api(("torch==2.7.1",), "https://download.pytorch.org/whl/cu128") == "cuda"
    assert expected_api(("torch==2.7.1",), "https://download.pytorch.org/whl/rocm6.3") == "rocm"
    assert expected_api(("torch==2.7.1",), "https://download.pytorch.org/whl/xpu") == "xpu"
    assert expected_api(("torch==2.5.0", "torch_musa==2.1.1"), None) == "musa"
    assert expected_api(("torch==2.4.1", "torch-directml==0.2.5.dev240914"), None) == "directml"
    assert expected_api(("torch==2.11.0",), "https://download.pytorch.org/whl/cpu") == "cpu"
    assert expected_api(("torch==2.0.1+rocm5.7", "torchvision==0.15.2+rocm5.7"), None) == "rocm"
    assert expected_api(("torch==2.12.0", "torch_supa==1.0.0.21200+br2xx"), "https://x/whl/cpu") == "unknown"
    assert expected_api(("torch==2.11.0",), None, "apple-mps") == "mps"
    # a profile whose name says cuda but whose pins and index say nothing: nothing is assumed
    assert expected_api(("torch==2.14.1",), "https://pypi.org/simple", "cuda-here") == "unknown"


def test_import_modules_names_companions_that_arrived_anyway():
    assert import_modules((), {"torchvision"}) == ["torch", "torchvision"]
    assert import_modules(("torch-musa",), set()) == ["torch", "torch_musa"]


def test_the_distribution_version_decides_not_the_runtime_string():
    # PyPI's CUDA torch: the wheel and its metadata say 2.14.1, torch.__version__ says 2.14.1+cu130
    # (seen installing torch==2.14.1 here); the pin 2.14.1 is met
    rt = _runtime("2.14.1+cu130", cuda="13.0")
    checks = verify(rt, _env("2.14.1"), Expect(torch="2.14.1", api="cpu"))
    assert failures(checks) == [] and "2.14.1+cu130" in render(checks[0].message, "en")

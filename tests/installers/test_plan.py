"""The install plan on simulated rigs: steps, order, statuses, downloads, constraints, index check."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from installers.plan import SCHEMA, InstallOptions, build_plan
from probes.core.errors import RigPilotError
from probes.core.i18n import Text
from probes.core.replay import simulated_host
from probes.detect.engine import probe
from probes.detect.sources import ProbeContext
from profiles.loader import load_catalog
from profiles.matcher import match

CATALOG = load_catalog()


def _probe(rig):
    return probe(simulated_host(rig), ProbeContext(pythons=[]))


def plan_for(rig, app="comfyui", checker=None, probe_result=None, **opts):
    result = probe_result or _probe(rig)
    os_name = result.host.platform if result.host.platform in ("linux", "windows") else "linux"
    m = match(result, os_name=os_name, catalog=CATALOG)
    options = InstallOptions(dir="/srv/rp" if os_name != "windows" else "D:\\rp", os_name=os_name, **opts)
    return build_plan(m, CATALOG.app(app), options, result, catalog=CATALOG, checker=checker)


def kinds(plan):
    return [s.kind for s in plan.steps]


TAIL = ["interpreter", "environment", "torch-stack", "app", "app-requirements", "extras", "lock", "verify"]


def test_s80_linux_torch_musa_with_torchada_preload():
    plan = plan_for("s80-linux", wheelhouse="/srv/wheels")
    assert plan.profile == "mthreads-s80-linux"
    assert kinds(plan) == [*TAIL, "launch-script"]  # driver present: no driver step
    torch = plan.step("torch-stack")
    assert torch.status == "planned"
    assert [(d.name, d.version) for d in torch.downloads] == [("torch", "2.5.0"), ("torch_musa", "2.1.1")]
    assert all(d.source == "wheelhouse:/srv/wheels" for d in torch.downloads)
    assert "--no-index" in torch.commands[0]
    extras = plan.step("extras")
    assert [(d.name, d.version) for d in extras.downloads] == [("torchada", "0.1.95")]
    assert any("torchada" in str(w) for w in extras.why)
    assert plan.status == "planned"
    assert plan.step("environment").writes == ("/srv/rp/envs/<new>",)
    assert plan.step("launch-script").writes == ("/srv/rp/run-comfyui.sh",)


def test_s80_linux_without_wheelhouse_is_blocked_with_the_release_page():
    step = plan_for("s80-linux").step("torch-stack")
    assert step.status == "blocked" and step.code == "install-wheelhouse-needed"
    assert "https://github.com/MooreThreads/torch_musa/releases" in str(step.hint)


def test_s80_no_driver_first_step_needs_the_user_with_the_vendor_page():
    plan = plan_for("s80-no-driver", wheelhouse="/srv/wheels")
    first = plan.steps[0]
    assert first.kind == "driver" and first.status == "needs-user"
    data = dict(first.data)
    assert data["page"] == "https://www.mthreads.com/download/driver"
    assert "command" not in data  # no source documents one
    assert "toolkit: MUSA SDK 4.2.0" in data["needs"]
    assert any("mthreads.com" in s for s in first.sources)
    assert kinds(plan)[1:] == [*TAIL, "launch-script"]
    assert plan.status == "needs-user"  # the install may still proceed


def test_rtx3060_cuda_index_and_torch_pin():
    plan = plan_for("rtx3060-linux")
    torch = plan.step("torch-stack")
    assert torch.status == "planned"
    assert dict(torch.data)["indexes"][0] == "https://download.pytorch.org/whl/cu118"
    assert ("torch", "2.7.1") in [(d.name, d.version) for d in torch.downloads]
    assert (
        "--index-url" in torch.commands[0] and "https://download.pytorch.org/whl/cu118" in torch.commands[0]
    )
    assert plan.step("extras").status == "skipped"
    assert plan.steps[0].kind == "interpreter"


@pytest.mark.parametrize("rig", ["no-gpu", "vm-no-gpu"])
def test_no_gpu_rigs_get_the_cpu_profile(rig):
    plan = plan_for(rig)
    assert plan.profile == "cpu-fallback"
    torch = plan.step("torch-stack")
    assert dict(torch.data)["indexes"] == ("https://download.pytorch.org/whl/cpu",)
    assert plan.steps[0].kind == "interpreter"


def test_s80_windows_directml_uses_the_found_python():
    plan = plan_for("s80-windows")
    assert plan.profile == "mthreads-directml-windows"
    interp = plan.step("interpreter")
    assert interp.status == "planned" and "Python312" in dict(interp.data)["path"]
    extras = plan.step("extras")
    assert [d.name for d in extras.downloads] == ["torch-directml"]
    assert plan.step("launch-script").writes[0].endswith("run-comfyui.bat")
    assert plan.step("environment").writes == ("D:\\rp\\envs\\<new>",)


def test_interpreter_blocked_without_python_and_without_uv():
    step = plan_for("s80-linux", uv_python=False).step("interpreter")
    assert step.status == "blocked" and step.code == "install-python-missing"
    assert "3.10" in str(step.hint) and "python.org" in str(step.hint)


def test_interpreter_from_uv_with_mirror():
    step = plan_for("rtx3060-linux", python_mirror="https://mirror.example/python").step("interpreter")
    assert step.commands == (("uv", "python", "install", "3.12"),)
    assert "UV_PYTHON_INSTALL_MIRROR=https://mirror.example/python" in dict(step.data)["env"]


def test_constraints_pin_the_torch_stack_and_skip_companions():
    step = plan_for("rtx3060-linux").step("app-requirements")
    data = dict(step.data)
    assert data["constraints"] == ("torch==2.7.1", "torchvision==0.22.1")
    assert data["skipped"] == ("torchaudio",)
    assert any("torchaudio" in str(n) for n in step.notes)
    assert "-c" in step.commands[0] and "/srv/rp/constraints.txt" in step.commands[0]


def test_app_is_the_pinned_comfyui_release_or_the_users_folder():
    step = plan_for("no-gpu").step("app")
    assert dict(step.data)["version"] == "v0.3.64"
    assert step.downloads[0].url.endswith("/v0.3.64.tar.gz")
    mine = plan_for("no-gpu", app_source="/home/me/ComfyUI")
    assert mine.step("app").downloads == () and mine.step("launch-script").data[1] == (
        "app_dir",
        "/home/me/ComfyUI",
    )


def test_generic_app_skips_download_and_a1111_needs_a_source():
    g = plan_for("no-gpu", app="generic")
    assert g.step("app").status == "skipped" and g.step("app-requirements").status == "skipped"
    a = plan_for("no-gpu", app="a1111").step("app")
    assert a.status == "blocked" and a.code == "install-app-source-needed"


@dataclass(frozen=True)
class FakeWheel:
    project: str
    version: str
    filename: str
    url: str
    sha256: str | None
    size: int | None
    source: str


def test_index_check_attaches_files_sizes_and_hashes():
    calls = []

    def checker(requirements, target, **kw):
        calls.append((list(requirements), target, kw))
        return [
            FakeWheel(
                r.split("==")[0],
                r.split("==")[1],
                f"{r.split('==')[0]}-x.whl",
                "https://i/x",
                "ab" * 32,
                123,
                "index",
            )
            for r in requirements
        ]

    step = plan_for("rtx3060-linux", check_index=True, checker=checker).step("torch-stack")
    assert step.status == "planned"
    assert [d.size for d in step.downloads] == [123, 123] and step.downloads[0].sha256 == "ab" * 32
    reqs, target, kw = calls[0]
    assert reqs == ["torch==2.7.1", "torchvision==0.22.1"]
    assert (target.python_version, target.os) == ("3.12", "linux")
    assert kw["index_urls"][0] == "https://download.pytorch.org/whl/cu118"


def test_index_check_variant_missing_blocks_with_code_and_hint():
    def checker(requirements, target, **kw):
        return [
            RigPilotError(
                "variant-missing", Text("x", "no file for torch==2.7.1"), Text("x", "use another index")
            )
        ] + [FakeWheel("torchvision", "0.22.1", "t.whl", "u", None, None, "index")]

    step = plan_for("rtx3060-linux", check_index=True, checker=checker).step("torch-stack")
    assert step.status == "blocked" and step.code == "variant-missing"
    assert str(step.hint) == "use another index"


def test_json_shape():
    data = plan_for("s80-no-driver").to_json()
    assert data["schema"] == SCHEMA
    assert set(data) == {"schema", "app", "profile", "dir", "os", "python", "simulated", "status", "steps"}
    step = data["steps"][0]
    assert set(step) >= {
        "id",
        "kind",
        "title",
        "status",
        "code",
        "hint",
        "why",
        "sources",
        "downloads",
        "writes",
    }
    assert isinstance(step["title"], str) and step["status"] == "needs-user"


def test_plan_is_pure_and_repeatable():
    result = _probe("s80-linux")
    assert plan_for("s80-linux", probe_result=result) == plan_for("s80-linux", probe_result=replace(result))

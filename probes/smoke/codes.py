"""What each smoke-test code means to a user: message and hint, translatable.

The runner in ``probes/smoke/`` runs inside the target interpreter with only the standard library
and torch, so it reports bare codes with an English ``detail``; RigPilot explains them here (used
by ``python main.py smoke`` and the Verify page).
"""

from __future__ import annotations

from probes.core.i18n import Text
from probes.core.problems import CATALOG, define

CTX = "problems"

define(
    "nan-output",
    "error",
    "The generated image contains NaN values.",
    "The device computed invalid numbers: try --dtype fp32 or fp16, update the driver, or check "
    "that torch matches the driver. If the model file was changed, restore it.",
)
define(
    "black-image",
    "error",
    "The generated image is black.",
    "This is the classic symptom of a torch/driver mismatch or broken half-precision kernels: "
    "try --dtype fp32 and install the torch build the Match page recommends.",
)
define(
    "mismatch-vs-cpu",
    "error",
    "The image differs from the CPU float32 reference more than rounding explains.",
    "The device's kernels give wrong results: update the driver and the vendor torch build, then "
    "run the test again with --dtype fp32 to see whether half precision is the cause.",
)
define(
    "arch-not-compiled",
    "error",
    "This torch build has no kernels for this card's architecture.",
    "Install a torch build compiled for your GPU (see the Match page); for ROCm, an "
    "HSA_OVERRIDE_GFX_VERSION setting may be needed.",
)
define(
    "out-of-memory",
    "error",
    "The device ran out of memory.",
    "Run with a lower --resolution, close other programs using the GPU, or start ComfyUI with --lowvram.",
)
define(
    "vram-spill-suspected",
    "warning",
    "Some steps took far longer than the others: video memory may be spilling into system memory.",
    "Lower the resolution or use --lowvram; on Windows, set the driver's 'CUDA sysmem fallback "
    "policy' to 'prefer no sysmem fallback'.",
)
define(
    "bf16-unsupported-fell-back",
    "warning",
    "bfloat16 was requested but the device does not support it; the test fell back to another precision.",
    "Use fp16 for this card (e.g. ComfyUI --force-fp16); bf16 needs newer hardware.",
)
define(
    "torch-missing",
    "error",
    "The selected Python cannot import torch.",
    "Choose the interpreter of the environment you installed (its venv's python), or install torch "
    "there from the Install page.",
)
define(
    "device-unavailable",
    "error",
    "The requested device is not available to this torch build.",
    "Check that the driver is loaded and that this interpreter has the vendor's torch build "
    "(CUDA, ROCm, torch_musa, XPU); run 'python main.py probe' to see what is installed.",
)
define(
    "model-corrupt",
    "error",
    "The smoke-test model file is damaged or not a RigPilot smoke model.",
    "Reinstall RigPilot or restore assets/smoke/rigpilot-smoke.gguf from the release.",
)
define(
    "device-error",
    "error",
    "The device failed while generating.",
    "Read the detail below; run the test with --device cpu to check that the rest of the stack works.",
)
define(
    "smoke-timeout",
    "error",
    "The smoke test did not finish within {timeout} s and was stopped.",
    "A hung driver or an extremely slow device: try --device cpu, fewer --steps, or reboot.",
)
define(
    "smoke-runner-failed",
    "error",
    "The smoke-test process ended without a result (exit code {rc}).",
    "Run the command shown below in a terminal to see its full output.",
)
define("smoke-cancelled", "info", "The smoke test was cancelled.", "")

CODES = (
    "nan-output",
    "black-image",
    "mismatch-vs-cpu",
    "arch-not-compiled",
    "out-of-memory",
    "vram-spill-suspected",
    "bf16-unsupported-fell-back",
    "torch-missing",
    "device-unavailable",
    "model-corrupt",
    "device-error",
    "smoke-timeout",
    "smoke-runner-failed",
    "smoke-cancelled",
)

VERDICTS = {
    "pass": Text("smoke", "pass"),
    "warn": Text("smoke", "warning"),
    "fail": Text("smoke", "fail"),
}


def explain(code: str, **args: object) -> tuple[Text, Text | None]:
    """(message, hint) for a smoke code; unknown codes get a generic text."""
    spec = CATALOG.get(code)
    if spec is None:
        return Text("smoke", "Unknown result code {code}.", code=code), None
    if code == "model-corrupt" and args.get("expected") and args.get("actual"):
        # the runner's checksum check: name both hashes, they are what a bug report needs
        return (
            Text(
                CTX,
                "The smoke-test model file does not match its checksum: its SHA-256 is {actual}, "
                "the expected one is {expected}.",
                **args,
            ),
            Text(CTX, spec.hint, **args),
        )
    return Text(CTX, spec.message, **args), (Text(CTX, spec.hint, **args) if spec.hint else None)

"""nvidia-smi outputs of an RTX 3090 + RTX 3060 machine on driver 550.54.14, in the real formats
(query CSV and banner as in the captures of tests/data/nvidia-smi/, topo -m as the captures in
tests/data/nvidia-smi/topo). Shared by the end-to-end tests; the simulated rigs carry the same text.
"""

from __future__ import annotations

from probes.detect.parsers import nvidia_smi as smi

QUERY_ARGS = " ".join(smi.query_argv("nvidia-smi")[1:])
LEGACY_ARGS = " ".join(smi.query_argv("nvidia-smi", smi.QUERY_FIELDS_LEGACY)[1:])

TWO_GPU_CSV = (
    "0, 00000000:01:00.0, 0x220410DE, NVIDIA GeForce RTX 3090, GPU-3b2d5ae1-7a0c-4e2c-9f6e-0a31c2f43090, "
    "550.54.14, 24576, 1370, 45, 37, 120.50, 350.00, 350.00, 100.00, 400.00, 350.00, 1695, 41, 8.6\n"
    "1, 00000000:02:00.0, 0x250410DE, NVIDIA GeForce RTX 3060, GPU-7c1e0d44-2b8f-4a51-8d3a-5e0b91d23060, "
    "550.54.14, 12288, 452, 38, 0, 15.25, 170.00, 170.00, 100.00, 212.00, 170.00, 210, 0, 8.6\n"
)
TWO_GPU_CSV_LEGACY = "".join(line.rsplit(", ", 1)[0] + "\n" for line in TWO_GPU_CSV.splitlines())

BANNER_550 = """Sun Nov 22 01:50:11 2026
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.14              Driver Version: 550.54.14      CUDA Version: 12.4     |
+-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |
|                                         |                        |               MIG M. |
|=========================================+========================+======================|
|   0  NVIDIA GeForce RTX 3090        Off |   00000000:01:00.0  On |                  N/A |
| 41%   45C    P2            121W /  350W |    1370MiB /  24576MiB |     37%      Default |
|                                         |                        |                  N/A |
+-----------------------------------------+------------------------+----------------------+
|   1  NVIDIA GeForce RTX 3060        Off |   00000000:02:00.0 Off |                  N/A |
|  0%   38C    P8             15W /  170W |     452MiB /  12288MiB |      0%      Default |
|                                         |                        |                  N/A |
+-----------------------------------------+------------------------+----------------------+
"""

TOPO_TWO = (
    "\tGPU0\tGPU1\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\n"
    "GPU0\t X \tPHB\t0-15\t0\t\tN/A\n"
    "GPU1\tPHB\t X \t0-15\t0\t\tN/A\n\n"
    "Legend:\n\n"
    "  X    = Self\n"
    "  SYS  = Connection traversing PCIe as well as the SMP interconnect between NUMA nodes (e.g., QPI/UPI)\n"
    "  NODE = Connection traversing PCIe as well as the interconnect between PCIe Host Bridges "
    "within a NUMA node\n"
    "  PHB  = Connection traversing PCIe as well as a PCIe Host Bridge (typically the CPU)\n"
    "  PXB  = Connection traversing multiple PCIe bridges (without traversing the PCIe Host Bridge)\n"
    "  PIX  = Connection traversing at most a single PCIe bridge\n"
    "  NV#  = Connection traversing a bonded set of # NVLinks\n"
)

# Verbatim error texts of nvidia-smi (driver not loaded: the message every NVIDIA user has met;
# "Failed to initialize NVML: Unknown Error" with exit 255: public report, code index id 68926270190).
NOT_LOADED = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that "
    "the latest NVIDIA driver is installed and running.\n\n"
)
NVML_UNKNOWN = "Failed to initialize NVML: Unknown Error\n"
MISMATCH = "Failed to initialize NVML: Driver/library version mismatch\n"
INVALID_FIELD = 'Field "compute_cap" is not a valid field to query.\n\n'


def two_gpu_tool() -> dict:
    return {QUERY_ARGS: {"stdout": TWO_GPU_CSV}, "": {"stdout": BANNER_550}, "topo -m": {"stdout": TOPO_TWO}}

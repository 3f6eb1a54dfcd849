"""PCI vendor/device name table for the vendors RigPilot serves (data, with sources).

Source of the ids and names, unless a row says otherwise: pciutils/pciids ``pci.ids`` at commit
c1c12547 (2026-08-22), https://github.com/pciutils/pciids/blob/master/pci.ids. NVIDIA, AMD and Intel
names are only a few common cards: for those vendors the name comes from the vendor's own tool
(nvidia-smi, amd-smi, xpu-smi), the table is only the last resort before "Unknown device".

Biren: no PCI vendor id is known. It is not in pci.ids and no public code associates an id with
Biren (research §4.2: the guessed 0x1ee0 is NOT confirmed), so there is deliberately no Biren row
here; a Biren card is recognised only through its own tools (brsmi), not by PCI id.
"""

from __future__ import annotations

from dataclasses import dataclass

from probes.core.i18n import Text
from probes.core.model import hex4

# vendor id -> (our vendor key, vendor name as pci.ids spells it)
VENDORS: dict[str, tuple[str, str]] = {
    "10de": ("nvidia", "NVIDIA Corporation"),
    "1002": ("amd", "Advanced Micro Devices, Inc. [AMD/ATI]"),
    "8086": ("intel", "Intel Corporation"),
    "1ed5": ("mthreads", "Moore Threads Technology Co.,Ltd"),
    # pci.ids: "Beijing Fantasy Technology Co., Ltd." with the comment "# nee Innosilicon Co Ltd"
    "1ec8": ("innosilicon", "Beijing Fantasy Technology Co., Ltd. (Innosilicon)"),
    # vendor only in pci.ids; confirmed by gpustack/runtime detector/iluvatar.py (0x1e3e)
    "1e3e": ("iluvatar", "Iluvatar CoreX"),
    "9999": ("metax", "MetaX Integrated Circuits (Shanghai) Co., Ltd."),
    "1d94": ("hygon", "Chengdu Haiguang IC Design Co., Ltd. (Hygon)"),
}

# Vendor key -> what a person calls the vendor (used in problem messages).
VENDOR_LABELS: dict[str, str] = {
    "nvidia": "NVIDIA",
    "amd": "AMD",
    "intel": "Intel",
    "mthreads": "Moore Threads",
    "innosilicon": "Innosilicon (Fantasy)",
    "iluvatar": "Iluvatar CoreX",
    "metax": "MetaX",
    "hygon": "Hygon DCU",
    "biren": "Biren",
    "apple": "Apple",
    "other": "graphics card",
}


@dataclass(frozen=True)
class DeviceInfo:
    name: str
    audio: bool = False  # an HDMI/DP audio function of a card: never a GPU
    arch: str | None = None  # Moore Threads MUSA arch (mp_21 / mp_22 / mp_31)
    api: str | None = None  # compute API the vendor stack offers for it
    source: str = "pci.ids"


def _mt(name: str, arch: str | None = None, source: str = "pci.ids") -> DeviceInfo:
    return DeviceInfo(name, arch=arch, api="musa" if arch else None, source=source)


_AUDIO = DeviceInfo("MTT HDMI/DP Audio", audio=True)

# Moore Threads arch mapping: llama.cpp ggml-cuda/common.cuh "QY1 ... MTT S80, MTT S3000",
# "QY2 ... MTT S4000", "PH1 ... MTT S5000"; compiler targets mp_21 / mp_22 / mp_31 (research §2.6).
# S70 and X300 are the same generation as the S80 (0x02xx "Chunxiao" family, MP_21 per
# MooreThreads/mutlass#5); that grouping is ours, no vendor table lists them explicitly.
DEVICES: dict[str, dict[str, DeviceInfo]] = {
    "10de": {
        "1b06": DeviceInfo("GP102 [GeForce GTX 1080 Ti]"),
        "1f91": DeviceInfo("TU117M [GeForce GTX 1650 Mobile / Max-Q]"),
        "2204": DeviceInfo("GA102 [GeForce RTX 3090]"),
        "2504": DeviceInfo("GA106 [GeForce RTX 3060 Lite Hash Rate]"),
        "2684": DeviceInfo("AD102 [GeForce RTX 4090]"),
    },
    "1002": {
        "744c": DeviceInfo("Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]"),
        "73bf": DeviceInfo("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]"),
    },
    "8086": {
        "56a0": DeviceInfo("DG2 [Arc A770]"),
        "56a1": DeviceInfo("DG2 [Arc A750]"),
    },
    "1ed5": {
        "0100": _mt("MTT S10"),
        "0101": _mt("MTT S10"),
        "0102": _mt("MTT S30"),
        "0105": _mt("MTT S50"),
        "0106": _mt("MTT S60"),
        "0111": _mt("MTT S100"),
        "0121": _mt("MTT S1000M"),
        "0122": _mt("MTT S1000"),
        "0123": _mt("MTT S2000"),
        "01ff": _AUDIO,
        "0200": _mt("MTT S80 Engineering Sample", "mp_21"),
        "0201": _mt("MTT S80", "mp_21"),
        "0202": _mt("MTT S70", "mp_21"),
        "0203": _mt("MTT S60"),  # second "MTT S60" entry in pci.ids (also 0106)
        "0211": _mt("MTT X300", "mp_21"),
        "0221": _mt("G2S80"),
        "0222": _mt("MTT S3000", "mp_21"),
        "0223": _mt("G2S4"),
        "0225": _mt("MTT S3000E", "mp_21"),
        "0251": _mt("G2N10"),
        "02ff": _AUDIO,
        "0300": _mt("MTT S90 Engineering Sample"),
        "0301": _mt("MTT S90"),
        "0313": _mt("MTT X500"),
        "0323": _mt("MTT S4000", "mp_22"),
        "0327": _mt("MTT S4000", "mp_22"),
        "0328": _mt("MTT S4000", "mp_22"),
        "03ff": _AUDIO,
        # Not in pci.ids. Known only from an unattributed `mthreads-gmi --query --json` excerpt
        # (research §1.5 F9: "Device ID": "0x0400", "Product Name": "MTT S5000").
        "0400": _mt("MTT S5000", "mp_31", source="unattributed (mthreads-gmi JSON excerpt)"),
    },
    "1ec8": {
        "8800": DeviceInfo("Fantasy I"),
        "8810": DeviceInfo("Fantasy I"),
        "8811": DeviceInfo("Fantasy I-V"),
        "8820": DeviceInfo("Fantasy III"),
        "9800": DeviceInfo("Fantasy II"),
        "9802": DeviceInfo("Fantasy II"),
        "9804": DeviceInfo("Fantasy II"),
        "9810": DeviceInfo("Fantasy II-M"),
        "8900": DeviceInfo("GR308"),
        "8904": DeviceInfo("GR308"),
        "8902": DeviceInfo("GR3 Audio", audio=True),
        "9a00": DeviceInfo("GR316"),
    },
    "1e3e": {},  # vendor only; no device ids in pci.ids
    "9999": {"0a01": DeviceInfo("C500")},
    "1d94": {"6211": DeviceInfo("K100_AI")},  # other 1d94 entries are CPU/chipset functions
}

# ---- display-only adapters ------------------------------------------------------------------
# Display adapters that show a desktop but cannot run generation: a hypervisor's emulated display
# ("virtual"), the VGA of a server's management controller ("server-management"), chips from before
# GPU computing ("legacy"). They are listed apart from the GPUs (ProbeResult.display_adapters).
# Sources: pci.ids (pciutils/pciids, Debian package pci.ids 0.0~2023.04.11) for every name below;
# 1234:1111 is not in pci.ids: QEMU's docs/specs/standard-vga.rst ("PCI ID 1234:1111", the
# Bochs/QEMU standard VGA); virtio-gpu 1af4:1050 and QXL 1b36:0100 also QEMU docs/specs/pci-ids.rst.


@dataclass(frozen=True)
class DisplayOnly:
    kind: str  # "virtual" / "server-management" / "legacy"
    name: str


DISPLAY_ONLY: dict[str, dict[str, DisplayOnly]] = {
    "1af4": {"1050": DisplayOnly("virtual", "Virtio 1.0 GPU")},  # virtio-vga / virtio-gpu-pci
    "1b36": {"0100": DisplayOnly("virtual", "QXL paravirtual graphic card")},
    "15ad": {
        "0405": DisplayOnly("virtual", "VMware SVGA II Adapter"),
        "0710": DisplayOnly("virtual", "VMware SVGA Adapter"),
    },
    "80ee": {"beef": DisplayOnly("virtual", "VirtualBox Graphics Adapter")},
    "1414": {"5353": DisplayOnly("virtual", "Hyper-V virtual VGA")},
    "1234": {"1111": DisplayOnly("virtual", "QEMU/Bochs standard VGA")},
    "1013": {"00b8": DisplayOnly("virtual", "Cirrus Logic GD 5446")},  # QEMU's -vga cirrus
    "1a03": {"2000": DisplayOnly("server-management", "ASPEED Graphics Family")},
    "19e5": {"1711": DisplayOnly("server-management", "Huawei Hi171x iBMC VGA")},
    "102b": {
        "0520": DisplayOnly("legacy", "Matrox MGA G200"),
        "0521": DisplayOnly("legacy", "Matrox MGA G200 AGP"),
        "0522": DisplayOnly("server-management", "Matrox MGA G200e [Pilot] ServerEngines (SEP1)"),
        "0530": DisplayOnly("server-management", "Matrox MGA G200EV"),
        "0532": DisplayOnly("server-management", "Matrox MGA G200eW WPCM450"),
        "0533": DisplayOnly("server-management", "Matrox MGA G200EH"),
        "0534": DisplayOnly("server-management", "Matrox G200eR2"),
        "0536": DisplayOnly("server-management", "Matrox G200eW3"),
        "0538": DisplayOnly("server-management", "Matrox MGA G200eH3"),
    },
}
# Vendors whose every display function is display-only (an id missing above still is one).
DISPLAY_ONLY_VENDORS: dict[str, tuple[str, str]] = {
    "1af4": ("virtual", "Red Hat virtio"),
    "1b36": ("virtual", "Red Hat QEMU"),
    "15ad": ("virtual", "VMware"),
    "80ee": ("virtual", "VirtualBox"),
    "1414": ("virtual", "Microsoft Hyper-V"),
    "1234": ("virtual", "QEMU/Bochs"),
    "1013": ("legacy", "Cirrus Logic"),
    "1a03": ("server-management", "ASPEED"),
    "102b": ("legacy", "Matrox"),
}
# Windows adapter names (Win32_VideoController.Name) of display-only adapters that are not on the
# PCI bus (Hyper-V generation 2 VMs put the synthetic video on VMBus) or come with the hypervisor's
# driver: Windows' inbox "Microsoft Hyper-V Video", VMware Tools' "VMware SVGA 3D", VirtualBox
# Guest Additions' "VirtualBox Graphics Adapter (WDDM)", virtio-win's "Red Hat QXL controller" and
# "Red Hat VirtIO GPU DOD controller".
DISPLAY_ONLY_NAMES: tuple[tuple[str, DisplayOnly], ...] = (
    ("hyper-v video", DisplayOnly("virtual", "Microsoft Hyper-V Video")),
    ("vmware svga", DisplayOnly("virtual", "VMware SVGA")),
    ("virtualbox graphics adapter", DisplayOnly("virtual", "VirtualBox Graphics Adapter")),
    ("qxl", DisplayOnly("virtual", "QXL paravirtual graphic card")),
    ("virtio gpu", DisplayOnly("virtual", "Virtio GPU")),
)


def display_only(
    vendor_id: str | int | None, device_id: str | int | None, names: tuple[str | None, ...] = ()
) -> DisplayOnly | None:
    """The display-only adapter these PCI ids (or, without ids, this Windows name) denote; None for
    anything that may compute."""
    vid, did = hex4(vendor_id), hex4(device_id)
    if vid is not None:
        info = DISPLAY_ONLY.get(vid, {}).get(did or "")
        if info is None and vid in DISPLAY_ONLY_VENDORS:
            kind, label = DISPLAY_ONLY_VENDORS[vid]
            info = DisplayOnly(kind, f"{label} display adapter [{vid}:{did or '????'}]")
        return info
    for name in names:
        low = (name or "").lower()
        for needle, info in DISPLAY_ONLY_NAMES:
            if needle in low:
                return info
    return None


# Cards a vendor sells under a product name that differs from the chip name in pci.ids.
_DISPLAY_PREFIX = {"metax": "MetaX ", "hygon": "Hygon ", "innosilicon": "Innosilicon "}


def vendor_key(vendor_id: str | int | None) -> str:
    """'1ed5' / '0x1ED5' -> 'mthreads'; unknown -> 'other'."""
    vid = hex4(vendor_id)
    return VENDORS.get(vid or "", ("other", ""))[0]


def vendor_name(vendor_id: str | int | None) -> str | None:
    vid = hex4(vendor_id)
    entry = VENDORS.get(vid or "")
    return entry[1] if entry else None


def device_info(vendor_id: str | int | None, device_id: str | int | None) -> DeviceInfo | None:
    vid, did = hex4(vendor_id), hex4(device_id)
    if vid is None or did is None:
        return None
    return DEVICES.get(vid, {}).get(did)


def device_name(vendor_id: str | int | None, device_id: str | int | None) -> str | None:
    """A human name for the card: the table's name (vendor-prefixed where that helps)."""
    info = device_info(vendor_id, device_id)
    if info is None:
        return None
    prefix = _DISPLAY_PREFIX.get(vendor_key(vendor_id), "")
    return prefix + info.name


def is_audio(vendor_id: str | int | None, device_id: str | int | None) -> bool:
    info = device_info(vendor_id, device_id)
    return bool(info and info.audio)


def mthreads_arch(device_id: str | int | None) -> str | None:
    """Moore Threads PCI device id -> MUSA arch ('mp_21', 'mp_22', 'mp_31') or None."""
    info = device_info("1ed5", device_id)
    return info.arch if info else None


def vendor_label(vendor: str | None) -> str:
    return VENDOR_LABELS.get(vendor or "other", VENDOR_LABELS["other"])


def vendor_text(vendor: str | None) -> Text:
    """The vendor label as translatable text (context "vendors", zh_CN in problems_zh_CN.ts)."""
    return Text("vendors", vendor_label(vendor))

"""Parser for ``lspci -D -nn -k`` (also plain ``lspci``, ``-nn`` and ``-nnk`` without ``-D``).

Line shape (pciutils lspci(8); real capture in tests/data/lspci/)::

    0000:01:00.0 VGA compatible controller [0300]: NVIDIA Corporation TU117M [...] [10de:1f91] (rev a1)
            Subsystem: Hewlett-Packard Company Device [103c:85fc]
            Kernel driver in use: nvidia
            Kernel modules: nouveau, nvidia_drm, nvidia
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from probes.core import values as v
from probes.core.errors import ParseError

TOOL = "lspci"

_BUS_PREFIX = re.compile(r"(?P<bus>(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s")
_CODE = re.compile(r"[0-9a-fA-F]{4}")
_IDS = re.compile(r"\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\]")
_REV = re.compile(r"\(rev ([0-9a-fA-F]{1,2})\)")


def _head(line: str) -> tuple[str, str, str | None, str] | None:
    """'0000:01:00.0 VGA compatible controller [0300]: desc' -> (bus, class, '0300', desc).

    Split with str methods, not one regex: the class name runs to the first ':' after the bus id
    and may end with the ``[cccc]`` class code (-nn)."""
    m = _BUS_PREFIX.match(line)
    if not m:
        return None
    rest = line[m.end() :]
    cls, sep, desc = rest.partition(":")
    if not sep:
        return None
    cls = cls.strip()
    code = None
    if cls.endswith("]") and len(cls) >= 6 and cls[-6] == "[" and _CODE.fullmatch(cls[-5:-1]):
        code, cls = cls[-5:-1], cls[:-6].rstrip()
    if not cls or "[" in cls or "]" in cls:
        return None
    return m.group("bus"), cls, code, desc.strip()


def _drop_prog_if(desc: str) -> str:
    """Remove every ' (prog-if 00 [VGA controller])' part of a description."""
    while True:
        at = desc.find("(prog-if ")
        if at < 0:
            return desc
        end = desc.find(")", at)
        if end < 0:
            return desc
        desc = desc[:at].rstrip() + desc[end + 1 :]


# lspci class names of PCI base class 0x03 (display controllers), for output without -nn.
DISPLAY_CLASS_NAMES = (
    "VGA compatible controller",
    "3D controller",
    "Display controller",
    "XGA compatible controller",
)


@dataclass
class LspciDevice:
    bus_id: str
    class_name: str
    class_code: str | None = None  # "0300" (class + subclass) when -nn was given
    description: str = ""  # vendor and device names as lspci prints them
    vendor_id: str | None = None
    device_id: str | None = None
    revision: str | None = None
    subsystem_id: str | None = None  # "103c:85fc"
    driver: str | None = None  # "Kernel driver in use"
    modules: list = field(default_factory=list)

    @property
    def is_display(self) -> bool:
        if self.class_code:
            return self.class_code.startswith("03")
        return self.class_name.strip() in DISPLAY_CLASS_NAMES


def parse_lspci(text: str) -> list[LspciDevice]:
    """All devices in the listing. Raises ParseError when no line looks like an lspci device."""
    text = v.text(text, TOOL)
    devices: list[LspciDevice] = []
    current: LspciDevice | None = None
    unknown = 0
    for raw in v.lines(text):
        line = raw.rstrip()
        if not line.strip():
            continue
        if not line[0].isspace():
            m = _head(line)
            if not m:
                # lspci -nnk output copied without indentation: detail lines start at column 0
                if current is not None and _detail(current, line.strip()):
                    continue
                unknown += 1
                current = None
                continue
            bus, cls, code, desc = m
            desc = _drop_prog_if(desc).strip()
            ids = _IDS.findall(desc)
            vid = did = None
            if ids:
                vid, did = ids[-1][0].lower(), ids[-1][1].lower()
            rev = _REV.search(desc)
            name = _IDS.sub("", _REV.sub("", desc)).strip()
            current = LspciDevice(
                bus_id=bus.lower(),
                class_name=cls,
                class_code=code.lower() if code else None,
                description=re.sub(r"\s{2,}", " ", name),
                vendor_id=vid,
                device_id=did,
                revision=rev.group(1).lower().zfill(2) if rev else None,
            )
            devices.append(current)
        elif current is not None:
            _detail(current, line.strip())
    if not devices:
        raise ParseError(
            TOOL, "no PCI device lines found" + (f" ({unknown} unreadable lines)" if unknown else "")
        )
    return devices


def _detail(dev: LspciDevice, line: str) -> bool:
    key, sep, value = line.partition(":")
    if not sep:
        return False
    key, value = key.strip(), value.strip()
    if key == "Subsystem":
        ids = _IDS.findall(value)
        if ids:
            dev.subsystem_id = f"{ids[-1][0].lower()}:{ids[-1][1].lower()}"
        return True
    if key == "Kernel driver in use":
        dev.driver = value or None
        return True
    if key == "Kernel modules":
        dev.modules = [m.strip() for m in value.split(",")[:64] if m.strip()]
        return True
    return key in (
        "Flags",
        "Memory at",
        "I/O ports at",
        "Capabilities",
        "Control",
        "Status",
        "Latency",
        "Interrupt",
        "Region 0",
        "Expansion ROM at",
        "DeviceName",
        "Physical Slot",
    )

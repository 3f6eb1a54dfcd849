"""DIAGNOSE rule ``render-group-missing``: can this user open the GPU render nodes?

ROCm, oneAPI/XPU and Vulkan open ``/dev/dri/renderD*``; on most distributions the node is
``crw-rw---- root render``, so a user outside the ``render`` group gets "permission denied" deep
inside torch. We compare the node's group and mode with the user's groups (``host.user_groups()``)
and name the group from ``/etc/group``. On the real machine an ``os.access`` check runs too, so a
desktop session that was granted access through a logind ACL is not flagged.
"""

from __future__ import annotations

import os
import stat as stat_mod

from probes.core import values
from probes.core.host import Host
from probes.core.model import ProbeResult, normalize_bus_id
from probes.core.problems import problem

DRI = "/dev/dri"


def group_names(text: str | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for line in (text or "").splitlines():
        parts = line.strip().split(":")
        gid = values.ascii_int(parts[2], (0, 1 << 32)) if len(parts) >= 3 and parts[0] else None
        if gid is not None:
            out.setdefault(gid, parts[0])
    return out


def _real_access_ok(host: Host, path: str) -> bool:
    if host.simulated or type(host).__name__ in ("ReplayHost",) or host.root not in (None, "", "/"):
        return False
    try:
        return os.access(path, os.R_OK | os.W_OK)
    except OSError:  # pragma: no cover
        return False


def render_group_missing(result: ProbeResult, host: Host) -> list:
    if host.platform != "linux":
        return []
    try:
        if host.uid() == 0 or host.is_admin():
            return []
    except Exception:  # pragma: no cover - identity unavailable
        return []
    groups = host.user_groups()
    names = None
    bus_to_gpu = {g.key(): g.index for g in result.gpus if g.key()}
    out = []
    for node in host.listdir(DRI):
        if not node.startswith("renderD"):
            continue
        path = f"{DRI}/{node}"
        st = host.stat(path)
        if st is None:
            continue
        mode = st.st_mode
        if mode & stat_mod.S_IROTH and mode & stat_mod.S_IWOTH:
            continue
        if st.st_gid in groups:
            continue
        if _real_access_ok(host, path):
            continue
        if names is None:
            names = group_names(host.read_text("/etc/group"))
        group = names.get(st.st_gid, str(st.st_gid))
        target = host.readlink(f"/sys/class/drm/{node}/device")
        bus = normalize_bus_id(target.rstrip("/").rsplit("/", 1)[-1]) if target else None
        p = problem("render-group-missing", source="dri-access", device=path, group=group)
        p.bus_id = bus
        p.gpu = bus_to_gpu.get(bus) if bus else None
        out.append(p)
    return out


SOURCES: list = []
DIAGNOSE = [render_group_missing]

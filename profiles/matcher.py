"""The matcher: probe result (+ chosen GPU, OS) -> ranked candidates, each accepted or rejected with
reasons that cite the rule and its source. Deterministic: same input, same output, same order.

Rules for NVIDIA (the sources are in profiles/data/tables/): a CUDA wheel is acceptable only if
(a) its arch list covers the card's compute capability and (b) the driver meets the CUDA family's
minor-version floor; we (c) prefer the newest tag not above the CUDA version the driver reports (the
rule of Comfy-Org/comfy-cli comfy_cli/cuda_detect.py).
Rules for AMD Linux (astral-sh/uv backend.rs; ROCm/rocm-systems PR #5686): the newest ROCm index that
serves the card's gfx; an HSA_OVERRIDE_GFX_VERSION only for targets no index serves, never across a major
version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render
from probes.core.model import Gpu, ProbeResult
from profiles.loader import Catalog, load_catalog
from profiles.schema import OSES, HardwareProfile

SCHEMA = "rigpilot.match/1"
CONFIDENCE_RANK = {"official": 0, "community": 1, "unverified": 2}
VENDOR_RANK = {"nvidia": 0, "amd": 1, "mthreads": 2, "biren": 3, "innosilicon": 4, "apple": 5, "intel": 6}
GIB = 1024**3


@dataclass(frozen=True)
class Reason:
    rule: str
    ok: bool
    message: Text
    sources: tuple = ()
    kind: str = "require"  # "require" (decides acceptance) | "prefer" (ranking only) | "info"

    def to_json(self, lang=None) -> dict:
        return {
            "rule": self.rule,
            "ok": self.ok,
            "kind": self.kind,
            "message": render(self.message, lang),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Candidate:
    id: str
    profile: HardwareProfile
    accepted: bool
    reasons: tuple
    preferred: bool = True
    variant: tuple = ()  # (("tag", "cu126"), ("torch", "2.11.0"), ...)
    env: tuple = ()  # env added by the rules (HSA override)
    sort_key: tuple = ()
    data_confidence: str | None = None  # the weakest table row the variant rests on

    @property
    def confidence(self) -> str:
        return worst(self.profile.confidence, self.data_confidence)

    def to_json(self, lang=None) -> dict:
        return {
            "id": self.id,
            "title": render(Text("profile-notes", self.profile.title), lang),
            "confidence": self.confidence,
            "accepted": self.accepted,
            "preferred": self.preferred,
            "reasons": [r.to_json(lang) for r in self.reasons],
        }


@dataclass(frozen=True)
class Selection:
    id: str
    profile_id: str
    title: str
    confidence: str
    sources: tuple
    python: str | None
    index_url: str | None
    extra_index_urls: tuple
    packages: tuple
    env: tuple
    tuning: tuple
    requires: tuple
    notes: tuple  # Text
    warnings: tuple  # Text
    device_env: str | None
    preload: str | None
    app_flags: tuple
    known_problems: tuple = ()

    def to_json(self, lang=None) -> dict:
        return {
            "id": self.id,
            "profile": self.profile_id,
            "title": render(Text("profile-notes", self.title), lang),
            "confidence": self.confidence,
            "sources": list(self.sources),
            "python": self.python,
            "index_url": self.index_url,
            "extra_index_urls": list(self.extra_index_urls),
            "packages": list(self.packages),
            "env": dict(self.env),
            "tuning": dict(self.tuning),
            "requires": dict(self.requires),
            "notes": [render(n, lang) for n in self.notes],
            "warnings": [render(w, lang) for w in self.warnings],
            "device_env": self.device_env,
            "preload": self.preload,
            "app_flags": {k: list(v) for k, v in self.app_flags},
            "known_problems": [
                {
                    "pattern": k.pattern,
                    "meaning": render(Text("profile-notes", k.meaning), lang),
                    "hint": render(Text("profile-notes", k.hint), lang),
                    "sources": list(k.sources),
                }
                for k in self.known_problems
            ],
        }


@dataclass(frozen=True)
class MatchResult:
    os: str
    gpu: Gpu | None
    chosen: Selection
    candidates: tuple
    simulated: str | None = None
    gpus: tuple = field(default_factory=tuple)

    def to_json(self, lang=None) -> dict:
        g = self.gpu
        return {
            "schema": SCHEMA,
            "os": self.os,
            "simulated": self.simulated,
            "gpu": None
            if g is None
            else {
                "index": g.index,
                "vendor": g.vendor,
                "name": g.name,
                "memory_total_bytes": g.memory_total_bytes,
                "compute": {
                    "api": g.compute.api,
                    "capability": g.compute.capability,
                    "gfx": g.compute.gfx,
                    "arch": g.compute.arch,
                    "max_cuda": g.compute.max_cuda,
                },
                "driver": g.driver.version,
            },
            "chosen": self.chosen.to_json(lang),
            "candidates": [c.to_json(lang) for c in self.candidates],
        }


def worst(*confidences) -> str:
    """The least certain of several confidences: a choice is only as sure as its weakest fact."""
    known = [c for c in confidences if c in CONFIDENCE_RANK]
    return max(known, key=CONFIDENCE_RANK.__getitem__) if known else "unverified"


def _v(value) -> Version | None:
    if value is None:
        return None
    try:
        return Version(str(value).strip())
    except InvalidVersion:
        m = re.match(r"\d+(\.\d+)*", str(value).strip())
        return Version(m.group(0)) if m else None


def _gfx_major(gfx: str) -> int | None:
    m = re.fullmatch(r"gfx([0-9a-f]+)", gfx or "")
    if not m:
        return None
    digits = m.group(1)
    try:
        return int(digits[:2]) if len(digits) >= 4 else int(digits[:1])
    except ValueError:
        return None


def _hsa_target(value: str) -> str | None:
    """'10.3.0' -> 'gfx1030', '9.0.0' -> 'gfx900'."""
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", value)
    if not m:
        return None
    major, minor, step = (int(x) for x in m.groups())
    return f"gfx{major}{minor:x}{step:x}"


def pick_gpu(result: ProbeResult, index: int | None) -> Gpu | None:
    if index is not None:
        for g in result.gpus:
            if g.index == index:
                return g
        raise RigPilotError(
            "match-gpu-not-found",
            Text("match", "There is no GPU {index} in the probe result.", index=index),
            Text("match", "Run `python main.py probe` to see the GPU numbers."),
        )
    if not result.gpus:
        return None

    def key(g: Gpu):
        igpu = g.vendor == "intel" and not re.search(r"(?i)\barc\b", g.name or "")
        return (
            igpu,
            VENDOR_RANK.get(g.vendor or "", 9),
            -(g.memory_total_bytes or 0),
            g.index if g.index is not None else 99,
        )

    return sorted(result.gpus, key=key)[0]


def _r(rule, ok, template, sources=(), kind="require", **kw) -> Reason:
    return Reason(rule, bool(ok), Text("match", template, **kw), tuple(sources), kind)


def _base_reasons(p: HardwareProfile, gpu: Gpu | None, os_name: str) -> list[Reason]:
    m = p.match
    src = p.sources
    out: list[Reason] = []
    if m.fallback:
        out.append(
            _r(
                "match.fallback",
                True,
                "Fallback profile: always possible, used when no GPU profile fits.",
                src,
            )
        )
        return out
    if gpu is None:
        out.append(_r("match.gpu", False, "No GPU was found, and this profile needs one.", src))
        return out
    if m.os:
        out.append(
            _r(
                "match.os",
                os_name in m.os,
                "Operating system is {os}; this profile is for {wanted}.",
                src,
                os=os_name,
                wanted=", ".join(m.os),
            )
        )
    if m.vendor:
        out.append(
            _r(
                "match.vendor",
                gpu.vendor in m.vendor,
                "GPU vendor is {vendor}; this profile is for {wanted}.",
                src,
                vendor=gpu.vendor or "?",
                wanted=", ".join(m.vendor),
            )
        )
    if m.pci_vendor_ids and gpu.pci.vendor_id:
        out.append(
            _r(
                "match.pci_vendor",
                gpu.pci.vendor_id in m.pci_vendor_ids,
                "PCI vendor id {id}; this profile wants {wanted}.",
                src,
                id=gpu.pci.vendor_id,
                wanted=", ".join(m.pci_vendor_ids),
            )
        )
    if m.api and gpu.compute.api:
        out.append(
            _r(
                "match.api",
                gpu.compute.api in m.api,
                "Compute API {api}; this profile wants {wanted}.",
                src,
                api=gpu.compute.api,
                wanted=", ".join(m.api),
            )
        )
    if m.pci_device_ids or m.arch or m.gfx or m.name_pattern:
        hits = []
        if m.pci_device_ids and gpu.pci.device_id in m.pci_device_ids:
            hits.append(f"PCI device {gpu.pci.device_id}")
        if m.arch and gpu.compute.arch in m.arch:
            hits.append(f"arch {gpu.compute.arch}")
        if m.gfx and gpu.compute.gfx in m.gfx:
            hits.append(f"gfx {gpu.compute.gfx}")
        if m.name_pattern and gpu.name and re.search(m.name_pattern, gpu.name):
            hits.append(f"name '{gpu.name}'")
        if hits:
            out.append(
                _r(
                    "match.model",
                    True,
                    "The card is one this profile covers ({evidence}).",
                    src,
                    evidence=", ".join(hits),
                )
            )
        else:
            out.append(
                _r(
                    "match.model",
                    False,
                    "The card ({name}, PCI device {device}, arch {arch}) is not one this profile covers.",
                    src,
                    name=gpu.name or "?",
                    device=gpu.pci.device_id or "?",
                    arch=gpu.compute.arch or gpu.compute.gfx or "?",
                )
            )
    if m.capability:
        cap = _v(gpu.compute.capability)
        out.append(
            _r(
                "match.capability",
                cap is not None and cap in SpecifierSet(m.capability),
                "Compute capability {cap}; this profile needs {spec}.",
                src,
                cap=gpu.compute.capability or "unknown",
                spec=m.capability,
            )
        )
    if m.driver:
        drv = _v(gpu.driver.version)
        out.append(
            _r(
                "match.driver",
                drv is not None and drv in SpecifierSet(m.driver),
                "Driver {driver}; this profile needs {spec}.",
                src,
                driver=gpu.driver.version or "unknown",
                spec=m.driver,
            )
        )
    return out


def _covers(archs, capability: str) -> bool:
    cap = _v(capability)
    if cap is None:
        return False
    for a in archs:
        av = _v(a)
        if av and av.major == cap.major and av.minor <= cap.minor:
            return True
    return False


def _max_cuda(gpu: Gpu, os_name: str, cat: Catalog) -> tuple[Version | None, Reason | None]:
    if gpu.compute.max_cuda:
        return _v(gpu.compute.max_cuda), None
    drv = _v(gpu.driver.version)
    if drv is None:
        return None, None
    t = cat.table("cuda-toolkit-drivers")
    best = None
    for row in t.rows:
        floor = row.get("windows_min") if os_name == "windows" else row.get("linux_min")
        if floor and drv >= Version(floor):
            best = row
    if best is None:
        return None, None
    return Version(best["cuda"]), _r(
        "cuda.max_estimate",
        True,
        "The probe has no CUDA version from the driver; driver {driver} ships with "
        "CUDA {cuda} (toolkit table).",
        best.sources,
        kind="info",
        driver=gpu.driver.version,
        cuda=best["cuda"],
    )


def _cuda_candidates(p: HardwareProfile, gpu: Gpu, os_name: str, base: list, cat: Catalog) -> list[Candidate]:
    floors = {r["family"]: r for r in cat.table("cuda-driver-floors").rows}
    maxc, est = _max_cuda(gpu, os_name, cat)
    out = []
    for row in cat.table("torch-cuda-variants").rows:
        reasons = list(base)
        tag, cuda = row["tag"], Version(row["cuda"])
        cap = gpu.compute.capability
        if cap is None:
            reasons.append(
                _r(
                    "cuda.arch",
                    False,
                    "The card's compute capability is unknown, so {tag} cannot be "
                    "checked against the wheel's architectures.",
                    row.sources,
                    tag=tag,
                )
            )
        else:
            ok = _covers(row["archs"], cap)
            reasons.append(
                _r(
                    "cuda.arch",
                    ok,
                    "The {tag} wheel (torch {torch}) carries sm {archs}; the card is sm {cap}: {verdict}.",
                    row.sources,
                    tag=tag,
                    torch=row["torch"],
                    archs=" ".join(row["archs"]),
                    cap=cap,
                    verdict=Text("match", "covered") if ok else Text("match", "not covered"),
                )
            )
        fam = floors.get(str(cuda.major))
        drv = _v(gpu.driver.version)
        if fam is None:
            reasons.append(
                _r(
                    "cuda.driver_floor",
                    False,
                    "No driver floor is known for CUDA {family}.x.",
                    (),
                    family=cuda.major,
                )
            )
        else:
            floor = fam["windows_min"] if os_name == "windows" else fam["linux_min"]
            ok = drv is not None and drv >= Version(floor)
            reasons.append(
                _r(
                    "cuda.driver_floor",
                    ok,
                    "CUDA {family}.x wheels need driver {floor} or newer on {os}; the driver is {driver}.",
                    fam.sources,
                    family=cuda.major,
                    floor=floor,
                    os=os_name,
                    driver=gpu.driver.version or Text("match", "unknown"),
                )
            )
        preferred = True
        if est:
            reasons.append(est)
        if maxc is not None:
            preferred = cuda <= Version(f"{maxc.major}.{maxc.minor}")
            reasons.append(
                _r(
                    "cuda.prefer_driver_cuda",
                    preferred,
                    "{tag} (CUDA {cuda}) is not above the CUDA {max} the driver reports: preferred."
                    if preferred
                    else "{tag} (CUDA {cuda}) is above the CUDA {max} the driver reports: it would run only "
                    "under minor-version compatibility (limited feature set); "
                    "update the driver to prefer it.",
                    (
                        "Comfy-Org/comfy-cli comfy_cli/cuda_detect.py",
                        "https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html",
                    ),
                    kind="prefer",
                    tag=tag,
                    cuda=row["cuda"],
                    max=f"{maxc.major}.{maxc.minor}",
                )
            )
        accepted = all(r.ok for r in reasons if r.kind == "require")
        variant = (
            ("tag", tag),
            ("torch", row["torch"]),
            ("torchvision", row["torchvision"]),
            ("index_url", row["index_url"]),
            ("cuda", row["cuda"]),
        )
        out.append(
            Candidate(
                f"{p.id}/{tag}",
                p,
                accepted,
                tuple(reasons),
                preferred,
                variant,
                (),
                (-cuda.major, -cuda.minor),
                worst(row.confidence, fam.confidence if fam else "unverified"),
            )
        )
    return out


def _rocm_candidates(
    p: HardwareProfile, gpu: Gpu, result: ProbeResult, base: list, cat: Catalog
) -> list[Candidate]:
    gfx = gpu.compute.gfx
    rules = cat.table("hsa-override").rows
    out = []
    for i, row in enumerate(cat.table("rocm-gfx").rows):
        reasons = list(base)
        env: tuple = ()
        data_conf = row.confidence
        if gfx is None:
            reasons.append(
                _r(
                    "rocm.gfx",
                    False,
                    "The card's gfx target is unknown, so no ROCm index can be chosen.",
                    row.sources,
                )
            )
        elif gfx in row["gfx"]:
            reasons.append(
                _r(
                    "rocm.gfx",
                    True,
                    "The {index} index serves {gfx}: no HSA_OVERRIDE_GFX_VERSION.",
                    row.sources,
                    index=row["index"],
                    gfx=gfx,
                )
            )
        else:
            rule = next((r for r in rules if gfx in r["gfx"]), None)
            if rule is None:
                reasons.append(
                    _r(
                        "rocm.gfx",
                        False,
                        "The {index} index does not serve {gfx}, and no sourced override exists for it.",
                        row.sources + cat.table("hsa-override").sources,
                        index=row["index"],
                        gfx=gfx,
                    )
                )
            else:
                target = _hsa_target(rule["value"])
                same_major = _gfx_major(gfx) is not None and _gfx_major(gfx) == _gfx_major(target or "")
                if not same_major:
                    reasons.append(
                        _r(
                            "rocm.override_major",
                            False,
                            "Overriding {gfx} as {value} would cross a major version, which ROCm rejects.",
                            ("ROCm/rocm-systems PR #5686",),
                            gfx=gfx,
                            value=rule["value"],
                        )
                    )
                elif target not in row["gfx"]:
                    reasons.append(
                        _r(
                            "rocm.gfx",
                            False,
                            "The {index} index serves neither {gfx} nor the override target {target}.",
                            row.sources,
                            index=row["index"],
                            gfx=gfx,
                            target=target,
                        )
                    )
                else:
                    others = {g.compute.gfx for g in result.gpus if g.vendor == "amd" and g is not gpu}
                    per_gpu = bool(others - {gfx})
                    if per_gpu:
                        n = (
                            gpu.vendor_index
                            if gpu.vendor_index is not None
                            else [g for g in result.gpus if g.vendor == "amd"].index(gpu)
                        )
                        name = f"HSA_OVERRIDE_GFX_VERSION_{n}"
                    else:
                        name = "HSA_OVERRIDE_GFX_VERSION"
                    env = ((name, rule["value"]),)
                    data_conf = worst(data_conf, rule.confidence)
                    reasons.append(
                        _r(
                            "rocm.override",
                            True,
                            "No index serves {gfx}; {name}={value} makes ROCm treat "
                            "it as {target}, same major version.",
                            rule.sources,
                            gfx=gfx,
                            name=name,
                            value=rule["value"],
                            target=target,
                        )
                    )
                    if per_gpu:
                        reasons.append(
                            _r(
                                "rocm.override_per_gpu",
                                True,
                                "The AMD GPUs in this machine differ, so the "
                                "override is set for this GPU only.",
                                ("ollama/ollama PR #10034", "ROCm ROCT-Thunk-Interface PR #104"),
                                kind="info",
                            )
                        )
        accepted = all(r.ok for r in reasons if r.kind == "require")
        variant = (
            ("index", row["index"]),
            ("torch", row["torch"]),
            ("torchvision", row["torchvision"]),
            ("index_url", row["index_url"]),
        )
        out.append(
            Candidate(
                f"{p.id}/{row['index']}",
                p,
                accepted,
                tuple(reasons),
                not env,
                variant,
                env,
                (CONFIDENCE_RANK[row.confidence], i),
                data_conf,
            )
        )
    return out


def _rank(c: Candidate) -> tuple:
    return (
        not c.accepted,
        c.profile.match.fallback,
        not c.preferred,
        CONFIDENCE_RANK[c.confidence],
        c.profile.priority,
        c.profile.id,
        c.sort_key,
    )


def _vram_mode(gpu: Gpu | None, cat: Catalog) -> tuple[str, Reason | None]:
    if gpu is None or gpu.memory_total_bytes is None:
        return "normal", None
    gib = gpu.memory_total_bytes / GIB
    for row in cat.table("vram-modes").rows:
        # cards report a little less than their nominal size (an "8 GB" card: 7.98 GiB): compare rounded
        if round(gib) < row["below_gib"]:
            return row["mode"], _r(
                "tuning.vram",
                True,
                "{gib} GiB of VRAM: VRAM mode {mode}.",
                row.sources,
                kind="info",
                gib=f"{gib:.1f}",
                mode=row["mode"],
            )
    return "high", None


def _select(c: Candidate, gpu: Gpu | None, cat: Catalog) -> tuple[Selection, list[Reason]]:
    p = c.profile
    v = dict(c.variant)
    extra: list[Reason] = []
    warnings = [Text("profile-notes", w) for w in p.warnings]
    packages = p.packages
    index_url = p.index_url
    if p.strategy in ("cuda-table", "rocm-table"):
        packages = (f"torch=={v['torch']}", f"torchvision=={v['torchvision']}")
        index_url = v["index_url"]
    tuning = {
        "vram_mode": p.tuning.vram_mode,
        "precision": p.tuning.precision,
        "attention": p.tuning.attention,
    }
    if tuning["vram_mode"] == "auto":
        tuning["vram_mode"], why = _vram_mode(gpu, cat)
        if why:
            extra.append(why)
    if (
        tuning["precision"] == "auto"
        and gpu is not None
        and gpu.vendor == "nvidia"
        and gpu.compute.capability
    ):
        cap = _v(gpu.compute.capability)
        for row in cat.table("nvidia-precision").rows:
            if cap in SpecifierSet(row["capability"]):
                tuning["precision"] = row["precision"]
                extra.append(
                    _r(
                        "tuning.precision",
                        True,
                        "Compute capability {cap}: precision {precision}.",
                        row.sources,
                        kind="info",
                        cap=gpu.compute.capability,
                        precision=row["precision"],
                    )
                )
                if row["weak"]:
                    warnings.append(
                        Text(
                            "match",
                            "This card (compute capability {cap}, Pascal or older) has no "
                            "Tensor Cores and weak fp16: expect slow generation; fp32 is used.",
                            cap=gpu.compute.capability,
                        )
                    )
                break
    if p.match.fallback and gpu is not None:
        warnings.append(
            Text(
                "match",
                "No GPU profile fits {name} ({vendor}); RigPilot falls back to the CPU.",
                name=gpu.name or "?",
                vendor=gpu.vendor or "?",
            )
        )
    env = dict(p.env)
    env.update(dict(c.env))
    sel = Selection(
        id=c.id,
        profile_id=p.id,
        title=p.title,
        confidence=c.confidence,
        sources=tuple(
            dict.fromkeys(
                p.sources
                + p.env_sources
                + tuple(
                    src
                    for r in c.reasons
                    if r.ok and r.rule.startswith(("cuda.", "rocm."))
                    for src in r.sources
                )
            )
        ),
        python=p.python,
        index_url=index_url,
        extra_index_urls=p.extra_index_urls,
        packages=packages,
        env=tuple(sorted(env.items())),
        tuning=tuple(tuning.items()),
        requires=p.requires,
        notes=tuple(Text("profile-notes", n) for n in p.notes),
        warnings=tuple(warnings),
        device_env=p.device_env,
        preload=p.preload,
        app_flags=p.app_flags,
        known_problems=p.known_problems,
    )
    return sel, extra


def _str(v):
    return v if isinstance(v, str) and v.strip() else None


def sanitize(result: ProbeResult) -> ProbeResult:
    """A probe file can be hand-edited: keep only values of the contract's types (others become None), so
    the matcher explains instead of crashing."""
    from dataclasses import replace

    from probes.core.model import Compute, Driver, Gpu, HostInfo, Pci, hex4

    gpus = []
    for i, g in enumerate(result.gpus if isinstance(result.gpus, list) else []):
        if not isinstance(g, Gpu):
            continue
        pci = g.pci if isinstance(g.pci, Pci) else Pci()
        drv = g.driver if isinstance(g.driver, Driver) else Driver()
        comp = g.compute if isinstance(g.compute, Compute) else Compute()
        mem = g.memory_total_bytes
        gpus.append(
            replace(
                g,
                index=g.index if isinstance(g.index, int) and not isinstance(g.index, bool) else i,
                vendor=_str(g.vendor),
                name=_str(g.name),
                pci=Pci(
                    vendor_id=hex4(pci.vendor_id) if isinstance(pci.vendor_id, str) else None,
                    device_id=hex4(pci.device_id) if isinstance(pci.device_id, str) else None,
                    bus_id=_str(pci.bus_id),
                ),
                driver=Driver(version=_str(drv.version), loaded=drv.loaded, tool=_str(drv.tool)),
                memory_total_bytes=mem
                if isinstance(mem, int) and not isinstance(mem, bool) and mem > 0
                else None,
                compute=Compute(
                    api=_str(comp.api),
                    capability=_str(comp.capability),
                    gfx=_str(comp.gfx),
                    arch=_str(comp.arch),
                    max_cuda=_str(comp.max_cuda),
                ),
                vendor_index=g.vendor_index
                if isinstance(g.vendor_index, int) and not isinstance(g.vendor_index, bool)
                else None,
            )
        )
    host = result.host if isinstance(result.host, HostInfo) else HostInfo()
    return replace(
        result, gpus=gpus, host=replace(host, platform=_str(host.platform), simulated=_str(host.simulated))
    )


def match(
    result: ProbeResult,
    gpu_index: int | None = None,
    os_name: str | None = None,
    catalog: Catalog | None = None,
    profile_id: str | None = None,
) -> MatchResult:
    cat = catalog or load_catalog()
    result = sanitize(result)
    os_name = os_name or (result.host.platform if result.host.platform in OSES else "linux")
    if os_name not in OSES:
        raise RigPilotError(
            "match-bad-os",
            Text("match", "Unknown operating system '{os}'.", os=os_name),
            Text("match", "Use linux, windows or darwin."),
        )
    gpu = pick_gpu(result, gpu_index)
    candidates: list[Candidate] = []
    for p in sorted(cat.hardware, key=lambda p: (p.priority, p.id)):
        base = _base_reasons(p, gpu, os_name)
        base_ok = all(r.ok for r in base if r.kind == "require")
        if base_ok and gpu is not None and p.strategy == "cuda-table":
            candidates.extend(_cuda_candidates(p, gpu, os_name, base, cat))
        elif base_ok and gpu is not None and p.strategy == "rocm-table":
            candidates.extend(_rocm_candidates(p, gpu, result, base, cat))
        else:
            candidates.append(Candidate(p.id, p, base_ok, tuple(base)))
    if profile_id:
        forced = [c for c in candidates if c.id == profile_id or c.profile.id == profile_id]
        if not forced:
            raise RigPilotError(
                "profile-not-found",
                Text("match", "There is no profile '{id}'.", id=profile_id),
                Text("match", "`python main.py profiles list` shows the profile ids."),
            )
        chosen_c = sorted(forced, key=_rank)[0]
    else:
        candidates.sort(key=_rank)
        chosen_c = candidates[0]
    candidates.sort(key=_rank)
    sel, extra = _select(chosen_c, gpu, cat)
    if profile_id and not chosen_c.accepted:
        sel = Selection(
            **{
                **sel.__dict__,
                "warnings": sel.warnings
                + (
                    Text(
                        "match",
                        "Profile {id} was chosen by hand although the matcher rejects it.",
                        id=chosen_c.id,
                    ),
                ),
            }
        )
    if extra:
        candidates = [
            Candidate(**{**c.__dict__, "reasons": c.reasons + tuple(extra)}) if c is chosen_c else c
            for c in candidates
        ]
    return MatchResult(
        os=os_name,
        gpu=gpu,
        chosen=sel,
        candidates=tuple(candidates),
        simulated=result.host.simulated,
        gpus=tuple(result.gpus),
    )

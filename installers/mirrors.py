"""Download mirrors (``profiles/data/tables/mirrors.toml``): the choices the Install page and
``install --mirror NAME`` offer, ordered for the user's language (China mainland mirrors first for zh_CN),
and how a chosen mirror changes an install: the package index, the PyTorch wheel index, the Python
downloads of uv, the app's GitHub archive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from probes.core.errors import RigPilotError
from probes.core.i18n import Text

KINDS = ("pypi", "torch", "python", "github")


@dataclass(frozen=True)
class Mirror:
    name: str
    kind: str
    url: str
    format: str
    region: str
    title: str
    confidence: str
    sources: tuple

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "url": self.url,
            "format": self.format,
            "region": self.region,
            "title": self.title,
            "confidence": self.confidence,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Choice:
    """What the chosen mirrors change; None keeps the profile's / the tool's default."""

    pypi_url: str | None = None
    torch_index: str | None = None  # with {variant} filled in
    torch_find_links: str | None = None
    python_mirror: str | None = None
    github_prefix: str | None = None


def load(catalog: Any, lang: str | None = None) -> list[Mirror]:
    table = catalog.tables.get("mirrors")
    rows = table.rows if table else ()
    out = [
        Mirror(
            r["name"],
            r["kind"],
            r["url"],
            r["format"],
            r["region"],
            r["title"],
            r.get("confidence", "community"),
            tuple(r.sources),
        )
        for r in rows
    ]
    if (lang or "").startswith("zh"):
        out.sort(key=lambda m: (KINDS.index(m.kind) if m.kind in KINDS else 9, m.region != "cn"))
    else:
        out.sort(key=lambda m: (KINDS.index(m.kind) if m.kind in KINDS else 9, m.region == "cn"))
    return out


def variant_of(index_url: str | None) -> str | None:
    """``https://download.pytorch.org/whl/cu128`` -> ``cu128``; None for other indexes."""
    m = re.match(r"^https?://download\.pytorch\.org/whl/([A-Za-z0-9.]+)/?$", index_url or "")
    return m.group(1) if m else None


def choose(catalog: Any, names: list[str], profile_index: str | None) -> Choice:
    """Apply the named mirrors; an unknown name, or a torch mirror for an index that is not
    download.pytorch.org, is an error with the list of names."""
    known = {m.name: m for m in load(catalog)}
    values: dict = {}
    for name in names:
        m = known.get(name)
        if m is None:
            raise RigPilotError(
                "install-unknown-mirror",
                Text("cli-install", "Unknown mirror {name}.", name=name),
                Text("cli-install", "Known mirrors: {names}", names=", ".join(sorted(known))),
            )
        if m.kind == "pypi":
            values["pypi_url"] = m.url
        elif m.kind == "python":
            values["python_mirror"] = m.url
        elif m.kind == "github":
            values["github_prefix"] = m.url
        elif m.kind == "torch":
            variant = variant_of(profile_index)
            if variant is None:
                raise RigPilotError(
                    "install-mirror-not-applicable",
                    Text(
                        "cli-install",
                        "Mirror {name} mirrors download.pytorch.org; this profile's index is {index}.",
                        name=name,
                        index=profile_index or "-",
                    ),
                    Text("cli-install", "Use --index-url to point at a mirror of that index instead."),
                )
            url = m.url.replace("{variant}", variant)
            values["torch_find_links" if m.format == "find-links" else "torch_index"] = url
    return Choice(**values)

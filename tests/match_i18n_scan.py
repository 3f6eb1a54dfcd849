"""Collect the user-facing strings of the match/launch area: Text/tr/translate literals in its Python files
(ast, so implicitly concatenated literals are joined) and the profile texts shown to users."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    "profiles/schema.py",
    "profiles/loader.py",
    "profiles/matcher.py",
    "profiles/advisor.py",
    "profiles/validation.py",
    "installers/scripts.py",
    "app/commands/match.py",
    "app/commands/profiles_cmd.py",
    "app/commands/advise.py",
    "app/commands/launcher.py",
    "app/commands/_probe_input.py",
    "app/gui/pages/match.py",
    "app/gui/pages/launch.py",
]
GUI_CTX = {"app/gui/pages/match.py": "MatchPage", "app/gui/pages/launch.py": "LaunchPage"}
DYNAMIC = [("profiles", s) for s in ("official", "community", "unverified")] + [
    ("advisor", s) for s in ("fits", "tight", "does-not-fit")
]


def _lit(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def strings() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set(DYNAMIC)
    for rel in FILES:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in ("Text", "tr", "translate") and len(node.args) >= 2:
                ctx, src = _lit(node.args[0]), _lit(node.args[1])
                if ctx and src:
                    out.add((ctx, src))
            elif name == "_t" and node.args and rel in GUI_CTX and _lit(node.args[0]):
                out.add((GUI_CTX[rel], _lit(node.args[0])))
            elif name == "_r" and len(node.args) >= 3 and _lit(node.args[2]):
                out.add(("match", _lit(node.args[2])))
            elif name == "_r" and len(node.args) >= 3 and isinstance(node.args[2], ast.IfExp):
                for part in (node.args[2].body, node.args[2].orelse):
                    if _lit(part):
                        out.add(("match", _lit(part)))
    from profiles.loader import load_catalog

    cat = load_catalog()
    for p in cat.hardware:
        for s in (
            p.title,
            *p.notes,
            *p.warnings,
            *(k.meaning for k in p.known_problems),
            *(k.hint for k in p.known_problems),
        ):
            out.add(("profile-notes", s))
    return out


if __name__ == "__main__":
    for ctx, src in sorted(strings()):
        print(f"{ctx}\t{src}")

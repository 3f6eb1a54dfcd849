"""Find the translatable literals of the GUI/report modules with ast (implicit concatenation folded)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# files -> the context their local ``_t(...)`` helper translates in
FILES = {
    "app/gui/main_window.py": "MainWindow",
    "app/gui/pages/detect.py": "DetectPage",
    "app/gui/pages/install.py": "InstallPage",
    "app/gui/installs.py": "InstalledEnvs",
    **{
        f"app/gui/pages/monitor/{name}.py": "MonitorPage"
        for name in ("common", "notify", "page", "panel", "power_confirm", "worker")
    },
    "app/gui/start.py": None,
    "app/gui/i18n.py": None,
    "app/report.py": None,
    "app/commands/report.py": None,
}


def literals(path: Path, local_ctx: str | None) -> list[tuple[str, str]]:
    """(context, source) for every _t("..."), translate("ctx", "..."), tr/Text("ctx", "...") call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = {}
    for node in tree.body:  # module constants such as CTX = "report"
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value.value, str)
        ):
            consts[node.targets[0].id] = node.value.value
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        args = node.args

        def value(a):
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                return a.value
            if isinstance(a, ast.Name):
                return consts.get(a.id)
            return None

        if name == "_t" and local_ctx and args and value(args[0]) is not None:
            out.append((local_ctx, value(args[0])))
        elif name in ("translate", "tr", "Text") and len(args) >= 2:
            ctx, src = value(args[0]), value(args[1])
            if ctx and src is not None and isinstance(args[1], ast.Constant):
                out.append((ctx, src))
    return out


def all_literals() -> list[tuple[str, str]]:
    seen = []
    for rel, ctx in FILES.items():
        for item in literals(ROOT / rel, ctx):
            if item not in seen:
                seen.append(item)
    return seen


if __name__ == "__main__":
    for ctx, src in all_literals():
        print(f"{ctx}\t{src}")

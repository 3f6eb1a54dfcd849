"""The Linux bundle: ``python3 tools/build_dist.py linux --out DIR``.

PyInstaller (pyproject's ``dist`` extra) freezes main.py in a venv made from
release/requirements.lock into one folder (release/linux/rigpilot.spec); this module compiles the
zh_CN translations for it, removes what RigPilot does not use, adds install.sh, the .desktop entry
and the icon, and packs ``RigPilot-<version>-linux-<machine>.tar.gz`` reproducibly (sorted entries,
one timestamp, no owner names).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import platform
import shutil
import sys
import tarfile
from pathlib import Path

from tools import dist_text
from tools.build_dist import (
    LOCK,
    RELEASE,
    ROOT,
    BuildError,
    ensure_tool_venv,
    inputs_digest,
    mark_built,
    project_version,
    pyinstaller_pin,
    read_checked_lock,
    release_files,
    run,
    source_files,
    up_to_date,
    venv_bin,
)

ICONS = ROOT / "assets" / "icons"
# Qt's own translations kept (the dialogs' buttons): RigPilot's languages only
QT_TRANSLATIONS_KEPT = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")
# Qt libraries and plugins PyInstaller's hooks bring along that RigPilot never loads
PRUNED_GLOBS = (
    "PySide6/Qt/translations/*",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/egldeviceintegrations",
    "PySide6/Qt/plugins/networkinformation",
    "PySide6/Qt/plugins/tls",
    "PySide6/Qt/plugins/generic",
)
# the archive's one timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else this one
DEFAULT_EPOCH = 1767225600  # 2026-01-01 00:00 UTC


def sh_double_quoted(text: str, values: dict[str, str]) -> str:
    """``text`` as a POSIX shell double-quoted word, its ``{name}`` placeholders replaced by the
    shell expressions in ``values`` (``"$dest"``); everything else literal."""
    out = text
    for ch in ("\\", '"', "$", "`"):
        out = out.replace(ch, "\\" + ch)
    for name, expr in values.items():
        out = out.replace("{" + name + "}", expr)
    return '"' + out + '"'


def render_install_sh(version: str) -> str:
    values = {"path": "$dest", "command": "$bin", "version": version}
    runtime = {
        "path": "${dest}",
        "command": "${bin}",
        "version": version.replace("$", ""),
    }

    def pair(text: dist_text.Text, **extra: str) -> str:
        both = []
        for lang in ("en", "zh_CN"):
            src = dist_text.render(text, lang, **{k: "{" + k + "}" for k in values})
            both.append(sh_double_quoted(src, {**runtime, **extra}))
        return " ".join(both)

    template = (RELEASE / "linux" / "install.sh.in").read_text(encoding="utf-8")
    return (
        template.replace("@VERSION@", version)
        .replace("@UNINSTALLED@", pair(dist_text.UNINSTALLED, path="${data}"))
        .replace("@NOT_A_BUNDLE@", pair(dist_text.NOT_A_BUNDLE))
        .replace("@INSTALLED@", pair(dist_text.INSTALLED))
        .replace("@START_HOW@", pair(dist_text.START_HOW))
        .replace("@UNINSTALL_HOW@", pair(dist_text.UNINSTALL_HOW, command="${dest}/install.sh --uninstall"))
    )


def render_desktop() -> str:
    template = (RELEASE / "linux" / "rigpilot.desktop.in").read_text(encoding="utf-8")
    values = {
        "@GENERIC_NAME@": dist_text.render(dist_text.DESKTOP_GENERIC_NAME, "en"),
        "@GENERIC_NAME_ZH@": dist_text.render(dist_text.DESKTOP_GENERIC_NAME, "zh_CN"),
        "@COMMENT@": dist_text.render(dist_text.DESKTOP_COMMENT, "en"),
        "@COMMENT_ZH@": dist_text.render(dist_text.DESKTOP_COMMENT, "zh_CN"),
    }
    for key, value in values.items():
        template = template.replace(key, value.replace("\n", " "))
    return template


def compile_translations(venv: Path, dest: Path) -> list[Path]:
    """assets/i18n/*_zh_CN.ts -> dest/*.qm with the build venv's lrelease (the bundle has none)."""
    proc = run(
        [venv_bin(venv, "python"), "-c", "import PySide6, os; print(os.path.dirname(PySide6.__file__))"]
    )
    lrelease = Path(proc.stdout.strip()) / "lrelease"
    if not lrelease.is_file():
        raise BuildError(
            "dist-no-lrelease",
            f"{lrelease} is missing in the build venv.",
            "Delete the build cache (RIGPILOT_DIST_CACHE) and build again.",
        )
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for ts in sorted((ROOT / "assets" / "i18n").glob("*_zh_CN.ts")):
        qm = dest / (ts.stem + ".qm")
        run([lrelease, "-silent", ts, "-qm", qm], timeout=120)
        out.append(qm)
    return out


def prune(internal: Path) -> int:
    """Remove what RigPilot does not use from the frozen folder; the bytes removed."""
    kept = {internal / "PySide6" / "Qt" / "translations" / name for name in QT_TRANSLATIONS_KEPT}
    freed = 0
    for pattern in PRUNED_GLOBS:
        for path in internal.glob(pattern):
            if path in kept:
                continue
            if path.is_dir():
                freed += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
                shutil.rmtree(path)
            elif path.exists():
                freed += path.stat().st_size
                path.unlink()
    return freed


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def pack(folder: Path, top: str, artifact: Path) -> None:
    """``folder`` as ``top/...`` in a .tar.gz: entries sorted, one mtime, owner root, no user names."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or DEFAULT_EPOCH)

    def norm(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime = epoch
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    tmp = artifact.with_name(artifact.name + ".part")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            paths = sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
            tar.add(folder, arcname=top, recursive=False, filter=norm)
            for path in paths:
                tar.add(
                    path, arcname=f"{top}/{path.relative_to(folder).as_posix()}", recursive=False, filter=norm
                )
    tmp.replace(artifact)


def build_linux(out: Path, cache: Path, force: bool = False) -> Path:
    version = project_version()
    read_checked_lock()
    pin = pyinstaller_pin()
    machine = platform.machine() or "unknown"
    files = source_files()
    artifact = out / f"RigPilot-{version}-linux-{machine}.tar.gz"
    py = f"{sys.version_info[0]}.{sys.version_info[1]}"
    digest = inputs_digest(
        files + release_files("linux") + ["tools/dist_linux.py"], [version, pin, py, "linux/1"]
    )
    if not force and up_to_date(artifact, digest):
        print(f"{artifact.name} is up to date (its inputs did not change)", flush=True)
        return artifact
    venv = ensure_tool_venv(cache, [f"pyinstaller=={pin}"], "linux-build", lock=LOCK)
    stage = cache / "stage-linux"
    if stage.exists():
        shutil.rmtree(stage)
    compile_translations(venv, stage / "qm")
    env = dict(os.environ, RIGPILOT_BUILD_QM=str(stage / "qm"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    run(
        [
            venv_bin(venv, "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            stage / "dist",
            "--workpath",
            cache / "pyinstaller-work",
            RELEASE / "linux" / "rigpilot.spec",
        ],
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    bundle = stage / "dist" / "RigPilot"
    freed = prune(bundle / "_internal")
    (bundle / "install.sh").write_text(render_install_sh(version), encoding="utf-8")
    (bundle / "install.sh").chmod(0o755)
    (bundle / "rigpilot.desktop").write_text(render_desktop(), encoding="utf-8")
    shutil.copy2(ICONS / "rigpilot.svg", bundle / "rigpilot.svg")
    shutil.copy2(ICONS / "rigpilot-256.png", bundle / "rigpilot.png")
    (bundle / "VERSION").write_text(version + "\n", encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    pack(bundle, f"RigPilot-{version}", artifact)
    mark_built(artifact, digest)
    sha = hashlib.sha256(artifact.read_bytes()).hexdigest()
    print(
        f"bundle: {folder_size(bundle) / 1e6:.1f} MB unpacked ({freed / 1e6:.1f} MB pruned), "
        f"{artifact.stat().st_size / 1e6:.1f} MB packed, sha256 {sha}",
        flush=True,
    )
    return artifact

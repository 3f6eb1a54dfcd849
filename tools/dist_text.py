"""What the distributables say to a person, translatable like every other RigPilot string.

The Windows first-run bootstrap (release/windows/bootstrap.cmd) and the Linux bundle's installer
and menu entry cannot import RigPilot's i18n at run time, so tools/build_dist.py renders these
``Text`` entries into them once per language (``messages-<lang>.cmd``, the .desktop file's
``Name[zh_CN]=`` keys, install.sh's messages). The zh_CN translations are in
assets/i18n/dist_zh_CN.ts; the NSIS setup program keeps its own LangStrings (release/windows/RigPilot.nsi).
"""

from __future__ import annotations

from probes.core.i18n import LANGUAGES, Text

CTX = "dist"

# the Windows first-run bootstrap: one cmd variable per message (M_<key>); no runtime values inside,
# the script prints those on their own lines
BOOTSTRAP: dict[str, Text] = {
    "TITLE": Text(CTX, "RigPilot {version}: first start"),
    "INTRO": Text(
        CTX,
        "RigPilot needs its own Python and a few packages (about 150 MB, downloaded once). "
        "Choose where to download them from; Enter takes the first choice.",
    ),
    "CHOOSE_INDEX": Text(CTX, "Download the Python packages from:"),
    "CHOOSE_PYTHON": Text(CTX, "Download Python itself from:"),
    "PROMPT": Text(CTX, "Number, then Enter"),
    "STEP_PYTHON": Text(CTX, "Step 1 of 3: getting Python {python} ..."),
    "STEP_VENV": Text(CTX, "Step 2 of 3: creating RigPilot's environment ..."),
    "STEP_PACKAGES": Text(CTX, "Step 3 of 3: installing RigPilot's packages ..."),
    "FAIL_PYTHON": Text(CTX, "Python could not be downloaded from this address:"),
    "FAIL_VENV": Text(CTX, "RigPilot's environment could not be created in this folder:"),
    "FAIL_PACKAGES": Text(CTX, "RigPilot's packages could not be downloaded or installed from this address:"),
    "FAIL_HINT": Text(
        CTX,
        "Is this computer connected to the Internet? A mirror closer to you often helps. "
        "What the downloader said is above; the steps are logged in this file:",
    ),
    "RETRY_MENU": Text(CTX, "R = try again, M = choose other download sources, Q = quit"),
    "READY": Text(CTX, "Ready. Later starts skip this step. Starting RigPilot ..."),
    "INCOMPLETE": Text(
        CTX, "This RigPilot installation is incomplete (a file is missing). Run the setup program again."
    ),
    "QUIT": Text(CTX, "RigPilot was not started. Start it again from the Start menu to continue."),
}

# the Linux bundle: the menu entry and install.sh
DESKTOP_GENERIC_NAME = Text(CTX, "GPU setup assistant")
DESKTOP_COMMENT = Text(CTX, "Get local image generation running well on the GPU you own")
INSTALLED = Text(CTX, "RigPilot {version} is installed in {path}.")
START_HOW = Text(CTX, "Start it from the application menu, or with: {command}")
UNINSTALL_HOW = Text(CTX, "To remove it (your data folder stays): {command}")
UNINSTALLED = Text(CTX, "RigPilot was removed; your data folder {path} was kept.")
NOT_A_BUNDLE = Text(
    CTX, "install.sh must stay in the unpacked RigPilot folder (next to the RigPilot program)."
)


def render(text: Text, lang: str, **kw: object) -> str:
    """``text`` in ``lang`` with the placeholders filled (the build's values, never the user's)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    from probes.core.i18n import tr

    return tr(text.context, text.source, lang=lang, **{**text.kwargs, **kw})

"""One module per step page: detect, match, install, launch, verify, monitor.

Contract: ``app/gui/pages/<step>.py`` (or a package ``<step>/``, like ``monitor/``) defines
``STEP = "<step>"`` and a page class named after the step (``class DetectPage(QWidget)`` in
``detect.py``, ``MonitorPage`` exported by ``monitor/__init__.py``) with ``__init__(self, ctx: AppContext,
parent=None)``. A page re-translates its texts in ``changeEvent`` on ``QEvent.LanguageChange`` (or
via ``ctx.language_changed``), reacts to ``ctx.probe_changed``, runs long work through
``ctx.run_in_worker`` (never on the GUI thread) and stops its timers/threads in ``shutdown()``
(called when the window closes and in tests).
The main window shows a plain "planned" page for a step whose module does not exist yet.
"""

STEPS = ("detect", "match", "install", "launch", "verify", "monitor")

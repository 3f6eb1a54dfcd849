"""User interfaces: app/cli.py (no Qt) and app/gui/ (PySide6 + pyqtgraph)."""

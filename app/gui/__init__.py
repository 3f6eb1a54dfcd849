"""The desktop GUI (PySide6 + pyqtgraph): a thin view over the Qt-free core."""

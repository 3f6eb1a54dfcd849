"""Plans and their execution: venvs, package installs, launch-script renderers (Qt-free)."""

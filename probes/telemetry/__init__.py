"""Live telemetry: one backend per source, one shared sample shape (probes/telemetry/base.py)."""

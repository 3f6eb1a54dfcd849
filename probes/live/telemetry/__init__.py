"""Live telemetry: one backend per source, one shared sample shape (probes/live/telemetry/base.py)."""

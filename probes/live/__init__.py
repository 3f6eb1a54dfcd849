"""Live monitoring: telemetry backends with one shared sample shape (``telemetry/``), the sampler,
power-limit reads and writes (with the privileged helper), and the thermal guard. Imports
``probes.detect`` and ``probes.core``."""

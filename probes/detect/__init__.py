"""Detection: what is in the machine. Pure parsers over real tool output (``parsers/``), one probe
source per tool or interface (``sources/``), the PCI id tables, the NVML wrapper, the runtime
script run inside a target interpreter, and the engine that runs the sources in parallel and merges
their results. Imports only ``probes.core``."""

"""Everything that reads (and, for power, writes) the machine. Qt-free; see docs/ARCHITECTURE.md."""

"""The foundation every other part stands on: errors with codes and hints, translations, the probe
data model, the Host seam (commands, files, platform), record/replay with the simulated vendor
libraries it serves, bounded value parsing, and the problem registry. Imports nothing else of
RigPilot."""

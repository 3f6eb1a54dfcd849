"""The built-in quantized generation smoke test (standard library + torch only).

Runs inside the target interpreter: ``python -m probes.smoke.target --json-lines [options]`` from the
repository root. See ``runner.run`` for the result (schema ``rigpilot.smoke/1``).
"""

"""CLI subcommands, discovered automatically: each module defines NAME, HELP,
``add_arguments(parser)`` and ``run(args) -> int``. None of them may import Qt or torch at module
level (``probe`` is timed against a budget)."""

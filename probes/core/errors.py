"""Errors that tell the user what to do (leaf module: imports nothing of ours but i18n).

Every error carries a stable kebab-case ``code``, a message and a hint. The GUI shows the three;
it never parses exception text.
"""

from __future__ import annotations

from probes.core.i18n import Text


class RigPilotError(Exception):
    """A user-facing failure: ``code`` is stable, ``message``/``hint`` are translatable Text or str."""

    def __init__(
        self, code: str, message: Text | str, hint: Text | str | None = None, *, context: dict | None = None
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.hint = hint
        self.context = dict(context or {})

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "hint": None if self.hint is None else str(self.hint),
            "context": self.context,
        }

    def __str__(self) -> str:  # pragma: no cover - trivial
        text = f"[{self.code}] {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class ParseError(RigPilotError):
    """A parser met text it does not understand. The only exception a parser may raise."""

    def __init__(self, tool: str, detail: str, *, line: int | None = None) -> None:
        where = f" (line {line})" if line is not None else ""
        super().__init__(
            "smi-output-unparsed",
            Text(
                "errors",
                "Could not read the output of {tool}: {detail}{where}",
                tool=tool,
                detail=detail,
                where=where,
            ),
            Text(
                "errors",
                "Run the tool by hand and attach its output to a bug report (python main.py report).",
            ),
            context={"tool": tool, "line": line},
        )
        self.tool = tool
        self.detail = detail
        self.line = line

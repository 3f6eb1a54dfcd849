"""Pure parsers over tool output text: str -> data, raising only probes.core.errors.ParseError."""

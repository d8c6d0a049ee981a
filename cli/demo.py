"""CLI commands `demo` (to be filled in)."""

COMMANDS: tuple = ()

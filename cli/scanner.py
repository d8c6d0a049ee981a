"""CLI commands `scanner` (to be filled in)."""

COMMANDS: tuple = ()

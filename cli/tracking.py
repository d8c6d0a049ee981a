"""CLI commands `tracking` (to be filled in)."""

COMMANDS: tuple = ()

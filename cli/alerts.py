"""CLI commands `alerts` (to be filled in)."""

COMMANDS: tuple = ()

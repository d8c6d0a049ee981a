"""CLI commands `handover` (to be filled in)."""

COMMANDS: tuple = ()

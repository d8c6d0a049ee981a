"""CLI commands `scans` (to be filled in)."""

COMMANDS: tuple = ()

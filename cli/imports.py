"""CLI commands `imports` (to be filled in)."""

COMMANDS: tuple = ()

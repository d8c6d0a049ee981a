"""CLI commands `register` (to be filled in)."""

COMMANDS: tuple = ()

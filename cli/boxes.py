"""CLI commands `boxes` (to be filled in)."""

COMMANDS: tuple = ()

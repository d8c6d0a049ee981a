"""CLI commands `sorting` (to be filled in)."""

COMMANDS: tuple = ()

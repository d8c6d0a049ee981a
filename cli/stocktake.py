"""CLI commands `stocktake` (to be filled in)."""

COMMANDS: tuple = ()

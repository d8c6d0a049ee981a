"""Kho's command-line faces: Flask CLI groups that parse, call a warehouse service and print.

Conventions (CONTRACT.md): never prompt; `--json` prints exactly one JSON document on stdout;
progress and logs go to stderr; a failure exits non-zero and says why on stderr."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from cli import accounts, audit, schema

    for group in (*schema.COMMANDS, *accounts.COMMANDS, *audit.COMMANDS):
        app.cli.add_command(group)

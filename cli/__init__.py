"""Kho's command-line faces: Flask CLI groups that parse, call a warehouse service and print.

Conventions (CONTRACT.md): never prompt; `--json` prints exactly one JSON document on stdout;
progress and logs go to stderr; a failure exits non-zero and says why on stderr."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from cli import (
        accounts,
        alerts,
        audit,
        boxes,
        demo,
        handover,
        imports,
        labels,
        register,
        scanner,
        scans,
        schema,
        sorting,
        stocktake,
        tracking,
    )

    for module in (schema, accounts, audit, imports, register, boxes, sorting, demo, scans, scanner,
                   stocktake, tracking, alerts, handover, labels):
        for command in module.COMMANDS:
            app.cli.add_command(command)

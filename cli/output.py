"""Printing for the CLI: one JSON document on stdout, messages on stderr, errors as exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import current_app

from warehouse.db import Database
from warehouse.errors import ImportRefused, KhoError


def emit(data, as_json: bool, text: Callable[[object], str] | None = None) -> None:
    """Print `data` as one JSON document, or as text for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    else:
        click.echo(text(data) if text else json.dumps(data, ensure_ascii=False, indent=1, default=str))


def say(message: str) -> None:
    """A message for people, on stderr."""
    click.echo(message, err=True)


def db() -> Database:
    return current_app.extensions["kho_db"]


@contextmanager
def failing_cleanly(as_json: bool = False) -> Iterator[None]:
    """Turn Kho's errors into a message on stderr (and a JSON error document) and exit 1."""
    try:
        yield
    except ImportRefused as e:
        if as_json:
            emit({"error": str(e), "errors": e.errors}, True)
        for err in e.errors:
            say(f"row {err.get('row')}, column {err.get('column')}: {err.get('error')}")
        say(f"refused: {len(e.errors)} error(s); nothing was saved")
        sys.exit(1)
    except KhoError as e:
        if as_json:
            emit({"error": str(e)}, True)
        say(f"error: {e}")
        sys.exit(1)

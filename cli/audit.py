"""`audit verify` and `audit head`: check the hash chain of the audit trail."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from cli.output import db, emit, say
from warehouse import audit as trail

audit = AppGroup("audit", help="The append-only audit trail.")


@audit.command("verify")
@click.option("--head", "expected", help="The head hash the chain must end at.")
@click.option("--json", "as_json", is_flag=True)
def verify(expected: str | None, as_json: bool) -> None:
    """Exit 0 if the chain is intact (and ends at --head); 1 naming the first bad entry."""
    with db().reading() as s:
        verdict = trail.verify(s, expected)
    emit({"ok": verdict.ok, "entries": verdict.checked, "head": verdict.head,
          "problem": verdict.problem or None, "bad_entry": verdict.bad_entry}, as_json,
         lambda _: f"intact: {verdict.checked} entries, head {verdict.head}" if verdict.ok else "")
    if not verdict.ok:
        say(f"audit trail broken: {verdict.problem}")
        sys.exit(1)


@audit.command("head")
def head() -> None:
    """Print the current head hash alone."""
    with db().reading() as s:
        click.echo(trail.head(s))


COMMANDS = (audit,)

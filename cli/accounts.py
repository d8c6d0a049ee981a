"""`user` and `token`: accounts and per-device API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse import accounts


user = AppGroup("user", help="Manage user accounts.")


@user.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--full-name", default="")
def user_create(name: str, role: str, password_stdin: bool, full_name: str) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    import secrets

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else secrets.token_urlsafe(12)
    with failing_cleanly(), db().transaction() as s:
        accounts.create_user(s, name, role, password, actor="cli", full_name=full_name)
    say(f"user {name} ({role}) created")
    if not password_stdin:
        click.echo(f"password: {password}")


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Close an account: it can no longer log in, and its devices' tokens stop working."""
    with failing_cleanly(), db().transaction() as s:
        accounts.update_user(s, name, "cli", active=False)
    say(f"user {name} disabled")


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    with failing_cleanly(), db().transaction() as s:
        accounts.update_user(s, name, "cli", active=True)
    say(f"user {name} enabled")


token = AppGroup("token", help="Per-device API tokens.")


@token.command("create")
@click.argument("device")
@click.option("--json", "as_json", is_flag=True)
def token_create(device: str, as_json: bool) -> None:
    """Issue a token for DEVICE (registered if new); it is shown this once."""
    with failing_cleanly(as_json), db().transaction() as s:
        tok, plain = accounts.issue_token(s, device, actor="cli")
    emit({"device": device, "token": plain, "id": tok.id}, as_json, lambda d: d["token"])


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    with failing_cleanly(), db().transaction() as s:
        accounts.revoke_token(s, token_id, actor="cli")
    say(f"token {token_id} revoked")


COMMANDS = (user, token)

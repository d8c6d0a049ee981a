"""`user`, `device` and `token`: accounts, the devices that post scans, and their API tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse import accounts
from warehouse.errors import Refused

user = AppGroup("user", help="Manage user accounts.")


def _stdin_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


@user.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--full-name", default="")
def user_create(name: str, role: str, password_stdin: bool, full_name: str) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    password = _stdin_password() if password_stdin else accounts.new_password()
    with failing_cleanly(), db().transaction() as s:
        accounts.create_user(s, name, role, password, actor="cli", full_name=full_name)
    say(f"user {name} ({role}) created")
    if not password_stdin:
        click.echo(f"password: {password}")


@user.command("first-admin")
def user_first_admin() -> None:
    """On a database without users, create `admin` and print its random password once."""
    with failing_cleanly(), db().transaction() as s:
        password = accounts.first_admin(s)
    if password is not None:
        say(f"first administrator created; log in as {accounts.FIRST_ADMIN!r} with the password below "
            "(shown only this once)")
        click.echo(f"user: {accounts.FIRST_ADMIN}\npassword: {password}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
def user_list(as_json: bool) -> None:
    """Every account with its role and state."""
    with db().reading() as s:
        rows = [{"name": u.name, "full_name": u.full_name, "role": u.role, "active": u.active,
                 "created_at": _when(u.created_at)} for u in accounts.list_users(s)]
    emit(rows, as_json, lambda d: "\n".join(
        f"{r['name']}\t{r['role']}\t{'active' if r['active'] else 'disabled'}\t{r['full_name']}" for r in d))


@user.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(accounts.ROLES))
def user_set_role(name: str, role: str) -> None:
    """Give an account another role (the last active administrator keeps theirs)."""
    with failing_cleanly(), db().transaction() as s:
        accounts.update_user(s, name, "cli", role=role)
    say(f"user {name} is now {role}")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def user_password(name: str, password_stdin: bool) -> None:
    """Reset a password; without --password-stdin a random one is printed once."""
    given = _stdin_password() if password_stdin else ""
    with failing_cleanly():
        if password_stdin and not given:
            raise Refused("no password on standard input")
        with db().transaction() as s:
            password = accounts.reset_password(s, name, "cli", given)
    say(f"password of {name} reset")
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


device = AppGroup("device", help="Devices that post scans (handhelds, readers).")


@device.command("list")
@click.option("--json", "as_json", is_flag=True)
def device_list(as_json: bool) -> None:
    """Every device with its owner and how many live tokens it has."""
    with db().reading() as s:
        owners = {u.id: u.name for u in accounts.list_users(s)}
        rows = [{"name": d.name, "description": d.description, "owner": owners.get(d.owner_id or 0),
                 "live_tokens": sum(t.revoked_at is None for t in d.tokens)} for d in accounts.list_devices(s)]
    emit(rows, as_json, lambda d: "\n".join(
        f"{r['name']}\t{r['owner'] or '-'}\t{r['live_tokens']} live token(s)\t{r['description']}" for r in d))


@device.command("set")
@click.argument("name")
@click.option("--owner", help="The user the device belongs to; an empty string clears it.")
@click.option("--description")
def device_set(name: str, owner: str | None, description: str | None) -> None:
    """Register DEVICE if new, and set its owner or description."""
    with failing_cleanly(), db().transaction() as s:
        accounts.device(s, name, actor="cli")
        accounts.update_device(s, name.strip(), "cli", owner=owner, description=description)
    say(f"device {name} saved")


token = AppGroup("token", help="Per-device API tokens.")


@token.command("create")
@click.argument("device")
@click.option("--json", "as_json", is_flag=True)
def token_create(device: str, as_json: bool) -> None:
    """Issue a token for DEVICE (registered if new); it is shown this once."""
    with failing_cleanly(as_json), db().transaction() as s:
        tok, plain = accounts.issue_token(s, device, actor="cli")
    emit({"device": device, "token": plain, "id": tok.id}, as_json, lambda d: d["token"])


@token.command("list")
@click.option("--device", "device_name", help="Only this device's tokens.")
@click.option("--json", "as_json", is_flag=True)
def token_list(device_name: str | None, as_json: bool) -> None:
    """Tokens by id and hint (never the token itself), newest first."""
    with db().reading() as s:
        rows = [{"id": t.id, "device": name, "hint": t.hint, "created_at": _when(t.created_at),
                 "created_by": t.created_by, "revoked_at": _when(t.revoked_at),
                 "live": t.revoked_at is None} for t, name in accounts.list_tokens(s, device_name)]
    emit(rows, as_json, lambda d: "\n".join(
        f"{r['id']}\t{r['device']}\t{r['hint']}…\t{r['created_at']}\t"
        f"{'live' if r['live'] else 'revoked ' + str(r['revoked_at'])}" for r in d))


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    with failing_cleanly(), db().transaction() as s:
        accounts.revoke_token(s, token_id, actor="cli")
    say(f"token {token_id} revoked")


COMMANDS = (user, device, token)

"""Accounts from the command line: first admin, list, roles, passwords, closing accounts."""

import json
import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from warehouse import accounts
from warehouse.models import AuditEntry, User


def test_first_admin_is_created_once_with_a_password_that_works(runner, db):
    result = runner.invoke(args=["user", "first-admin"])
    assert result.exit_code == 0
    password = re.search(r"^password: (\S+)$", result.output, re.MULTILINE).group(1)
    with db.transaction() as s:
        assert accounts.authenticate(s, "admin", password).role == "admin"
    again = runner.invoke(args=["user", "first-admin"])
    assert again.exit_code == 0 and again.stdout == ""
    with db.transaction() as s:
        assert s.scalars(select(User.name)).all() == ["admin"]


def test_first_admin_does_nothing_when_any_user_exists(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    result = runner.invoke(args=["user", "first-admin"])
    assert result.exit_code == 0 and result.stdout == ""
    with db.transaction() as s:
        assert s.scalars(select(User.name)).all() == ["lan"]


def test_user_list_json_gives_every_account_with_role_and_state(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD, full_name="Nguyễn Thị Lan")
        accounts.create_user(s, "minh", "patrol", PASSWORD)
        accounts.update_user(s, "minh", "cli", active=False)
    result = runner.invoke(args=["user", "list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["name"], r["role"], r["active"], r["full_name"]) for r in rows] == [
        ("lan", "archivist", True, "Nguyễn Thị Lan"), ("minh", "patrol", False, "")]


def test_set_role_changes_the_role_and_refuses_unknown_users(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    assert runner.invoke(args=["user", "set-role", "lan", "auditor"]).exit_code == 0
    with db.transaction() as s:
        assert accounts.get_user(s, "lan").role == "auditor"
    missing = runner.invoke(args=["user", "set-role", "nobody", "auditor"])
    assert missing.exit_code == 1 and "nobody" in missing.stderr


def test_password_from_stdin_replaces_the_old_one(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    result = runner.invoke(args=["user", "password", "lan", "--password-stdin"], input="brand-new-pass\n")
    assert result.exit_code == 0 and result.stdout == ""
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", PASSWORD) is None
        assert accounts.authenticate(s, "lan", "brand-new-pass") is not None


def test_a_short_or_empty_password_is_refused_and_the_old_one_stays(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    short = runner.invoke(args=["user", "password", "lan", "--password-stdin"], input="abc\n")
    empty = runner.invoke(args=["user", "password", "lan", "--password-stdin"], input="\n")
    assert short.exit_code == 1 and "8 characters" in short.stderr
    assert empty.exit_code == 1 and "standard input" in empty.stderr
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", PASSWORD) is not None


def test_disable_and_enable_are_audited(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    runner.invoke(args=["user", "disable", "lan"])
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", PASSWORD) is None
    runner.invoke(args=["user", "enable", "lan"])
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", PASSWORD) is not None
        details = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "user.update")).all()
    assert details == ['{"active": [true, false]}', '{"active": [false, true]}']


def test_the_last_admin_cannot_be_disabled_from_the_cli(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "root", "admin", PASSWORD)
    result = runner.invoke(args=["user", "disable", "root"])
    assert result.exit_code == 1 and "last active administrator" in result.stderr
    with db.transaction() as s:
        accounts.create_user(s, "boss", "admin", PASSWORD)
    assert runner.invoke(args=["user", "disable", "root"]).exit_code == 0

"""The audit trail names the first entry that was altered, removed or reordered."""

from sqlalchemy import text

from warehouse import accounts, audit


def _three_entries(db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", "secret-pass-1")
        accounts.create_user(s, "minh", "warehouse", "secret-pass-2")
        accounts.issue_token(s, "HH-01", actor="lan")


def test_an_untouched_chain_verifies_and_ends_at_its_head(db):
    _three_entries(db)
    with db.transaction() as s:
        verdict = audit.verify(s)
        assert verdict.ok and verdict.checked == 4  # 2 users, device register, token
        assert audit.verify(s, audit.head(s)).ok
        assert not audit.verify(s, "0" * 64).ok


def test_an_altered_entry_is_named(db):
    _three_entries(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = 2"))
    with db.transaction() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.bad_entry == 2 and "altered" in verdict.problem


def test_a_removed_entry_is_named(db):
    _three_entries(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    with db.transaction() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.bad_entry == 3


def test_a_removed_last_entry_shows_against_the_head(db):
    _three_entries(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id = 4"))
    with db.transaction() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and "removed" in verdict.problem


def test_reordered_entries_are_named(db):
    _three_entries(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET id = 100 WHERE id = 2"))
        conn.execute(text("UPDATE audit_entries SET id = 2 WHERE id = 3"))
        conn.execute(text("UPDATE audit_entries SET id = 3 WHERE id = 100"))
    with db.transaction() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.bad_entry == 2


def test_cli_verify_exits_1_naming_the_entry(db, runner):
    _three_entries(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET detail = '{\"x\": 1}' WHERE id = 3"))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 3" in result.stderr

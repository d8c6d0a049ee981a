"""Forms need their CSRF token; passwords are stored as argon2id hashes only."""

from sqlalchemy import select, text

from tests.conftest import PASSWORD, csrf_token
from warehouse import accounts
from warehouse.models import User


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(login, db):
    client = login("admin", "root")
    response = client.post("/admin/users", data={"name": "hoa", "role": "admin", "password": PASSWORD})
    assert response.status_code == 400
    forged = client.post("/admin/users", data={"name": "hoa", "role": "admin", "password": PASSWORD,
                                               "csrf_token": "forged"})
    assert forged.status_code == 400
    with db.transaction() as s:
        assert s.scalar(select(User.id).where(User.name == "hoa")) is None
    ok = client.post("/admin/users", data={"name": "hoa", "role": "admin", "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/admin/users")})
    assert ok.status_code == 302


def test_a_revoke_without_csrf_token_leaves_the_token_live(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        token, plain = accounts.issue_token(s, "HH-01")
    assert client.post(f"/devices/tokens/{token.id}/revoke").status_code == 400
    with db.transaction() as s:
        assert accounts.device_for_token(s, plain) is not None


def _stored_text(db) -> str:
    """Every value in the users and audit tables, as one string."""
    with db.engine.connect() as conn:
        rows = [*conn.execute(text("SELECT * FROM users")), *conn.execute(text("SELECT * FROM audit_entries"))]
    return "\n".join(str(v) for row in rows for v in row)


def test_passwords_are_stored_as_argon2id_hashes_never_as_given(login, db, runner):
    client = login("admin", "root")
    client.post("/admin/users", data={"name": "hoa", "role": "patrol", "password": "web-pass-123",
                                      "csrf_token": csrf_token(client, "/admin/users")})
    runner.invoke(args=["user", "create", "lan", "--role", "archivist", "--password-stdin"],
                  input="cli-pass-456\n")
    runner.invoke(args=["user", "password", "lan", "--password-stdin"], input="cli-pass-789\n")
    with db.transaction() as s:
        hashes = dict(s.execute(select(User.name, User.password_hash)).all())
    assert set(hashes) == {"root", "hoa", "lan"}
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    stored = _stored_text(db)
    for password in (PASSWORD, "web-pass-123", "cli-pass-456", "cli-pass-789"):
        assert password not in stored

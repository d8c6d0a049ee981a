"""The users page: an administrator creates accounts, changes roles, closes accounts, resets passwords."""

import re

from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_token
from warehouse import accounts
from warehouse.models import AuditEntry, User


def _post(client, path, **form):
    form["csrf_token"] = csrf_token(client, "/admin/users")
    return client.post(path, data=form)


def _user(db, name):
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.name == name))
        return None if user is None else (user.role, user.active, user.full_name, user.password_hash)


def _actions(db, target):
    with db.transaction() as s:
        return s.scalars(select(AuditEntry.action).where(AuditEntry.target == target)
                         .order_by(AuditEntry.id)).all()


def test_the_page_lists_users_with_their_role_and_state(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD, full_name="Nguyễn Thị Lan")
        accounts.update_user(s, "lan", "root", active=False)
    client.get("/lang/en")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html
    row = html.split("Nguyễn Thị Lan", 1)[1].split("</tr>", 1)[0]
    assert re.search(r'value="archivist"\s+selected', row) and "disabled" in row


def test_an_admin_creates_a_user_who_can_then_log_in(login, db, app):
    client = login("admin", "root")
    response = _post(client, "/admin/users", name="hoa", full_name="Trần Hoa", role="warehouse",
                     password="kho-secret-9")
    assert response.status_code == 302
    role, active, full_name, _ = _user(db, "hoa")
    assert (role, active, full_name) == ("warehouse", True, "Trần Hoa")
    assert _actions(db, "user:hoa") == ["user.create"]
    other = app.test_client()
    token = other.get("/login").get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"')[0]
    assert other.post("/login", data={"name": "hoa", "password": "kho-secret-9",
                                      "csrf_token": token}).status_code == 302


def test_a_user_created_without_a_password_gets_one_shown_once(login, db):
    client = login("admin", "root")
    response = _post(client, "/admin/users", name="hoa", role="patrol", password="")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    shown = re.search(r'<code class="once">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    with db.transaction() as s:
        assert accounts.authenticate(s, "hoa", shown) is not None
    assert shown not in client.get("/admin/users").get_data(as_text=True)


def test_a_duplicate_name_is_refused_and_nothing_changes(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    client.get("/lang/en")
    response = _post(client, "/admin/users", name="lan", role="admin", password="another-pass")
    assert response.status_code == 302
    assert "exists already" in client.get("/admin/users").get_data(as_text=True)
    assert _user(db, "lan")[0] == "archivist"


def test_an_unknown_role_or_short_password_is_refused(login, db):
    client = login("admin", "root")
    _post(client, "/admin/users", name="x1", role="boss", password="long-enough-1")
    _post(client, "/admin/users", name="x2", role="patrol", password="short")
    assert _user(db, "x1") is None and _user(db, "x2") is None


def test_an_admin_changes_a_role_and_it_is_audited(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    assert _post(client, "/admin/users/role", user="lan", role="auditor").status_code == 302
    assert _user(db, "lan")[0] == "auditor"
    with db.transaction() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.target == "user:lan",
                                                  AuditEntry.action == "user.update"))
    assert entry.actor == "root" and '"role": ["archivist", "auditor"]' in entry.detail


def test_disabling_an_account_ends_its_open_session_and_enabling_restores_login(login, db, app):
    admin = login("admin", "root")
    other = app.test_client()
    with db.transaction() as s:
        accounts.create_user(s, "minh", "warehouse", PASSWORD)
    token = other.get("/login").get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"')[0]
    other.post("/login", data={"name": "minh", "password": PASSWORD, "csrf_token": token})
    assert other.get("/").status_code == 200
    _post(admin, "/admin/users/state", user="minh", active="0")
    assert _user(db, "minh")[1] is False
    assert other.get("/").status_code == 302
    _post(admin, "/admin/users/state", user="minh", active="1")
    assert _user(db, "minh")[1] is True
    assert _actions(db, "user:minh")[-2:] == ["user.update", "user.update"]


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "boss", "admin", PASSWORD)
        accounts.update_user(s, "boss", "root", active=False)
    client.get("/lang/en")
    _post(client, "/admin/users/role", user="root", role="archivist")
    assert _user(db, "root")[:2] == ("admin", True)
    assert "last active administrator" in client.get("/admin/users").get_data(as_text=True)
    _post(client, "/admin/users/state", user="root", active="0")
    assert _user(db, "root")[1] is True


def test_a_reset_password_replaces_the_old_one(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    response = _post(client, "/admin/users/password", user="lan", password="")
    shown = re.search(r'<code class="once">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", PASSWORD) is None
        assert accounts.authenticate(s, "lan", shown) is not None
    _post(client, "/admin/users/password", user="lan", password="chosen-pass-2")
    with db.transaction() as s:
        assert accounts.authenticate(s, "lan", "chosen-pass-2") is not None
    assert _actions(db, "user:lan").count("user.update") == 2


def test_role_labels_come_through_the_translation_layer(login, app):
    client = login("admin", "root")
    client.get("/lang/en")
    html = client.get("/admin/users").get_data(as_text=True)
    for label in ("administrator", "archivist", "warehouse staff", "patrol", "auditor"):
        assert f">{label}</option>" in html

"""Logging in: right password in, wrong password and closed accounts out."""

from sqlalchemy import select

from tests.conftest import PASSWORD
from warehouse import accounts
from warehouse.models import AuditEntry


def test_a_user_logs_in_and_sees_the_overview(login):
    client = login("archivist")
    assert client.get("/").status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_disabled_account_cannot_log_in_and_its_session_ends(login, db, client):
    login("warehouse", "minh")
    with db.transaction() as s:
        accounts.update_user(s, "minh", "admin", active=False)
    assert client.get("/").status_code == 302  # the open session no longer counts
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"name": "minh", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 200  # the form again, not a redirect
    with db.transaction() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.target == "user:minh")).all()
    assert actions[-1] == "login.refused"


def test_a_login_form_without_csrf_token_is_refused(client, db):
    with db.transaction() as s:
        accounts.create_user(s, "lan", "archivist", PASSWORD)
    response = client.post("/login", data={"name": "lan", "password": PASSWORD})
    assert response.status_code == 400

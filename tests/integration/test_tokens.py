"""Device tokens: shown once, kept as SHA-256, listed by hint, revoked; owners' state counts."""

import hashlib
import json
import re

import pytest
from sqlalchemy import select, text

from tests.conftest import PASSWORD, csrf_token
from warehouse import accounts
from warehouse.errors import NotFound
from warehouse.models import AuditEntry, Device, DeviceToken


def test_a_token_is_stored_only_as_its_sha256(db):
    with db.transaction() as s:
        _, plain = accounts.issue_token(s, "HH-01", actor="lan")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM device_tokens")).mappings().all()
    assert len(rows) == 1
    assert rows[0]["digest"] == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in json.dumps([dict(r) for r in rows], default=str)
    with db.engine.connect() as conn:
        trail = conn.execute(text("SELECT detail FROM audit_entries")).scalars().all()
    assert not any(plain in d for d in trail)


def test_a_live_token_names_its_device_and_a_revoked_one_nothing(db):
    with db.transaction() as s:
        token, plain = accounts.issue_token(s, "HH-01")
        assert accounts.device_for_token(s, plain).name == "HH-01"
        assert accounts.device_for_token(s, plain + "x") is None
        accounts.revoke_token(s, token.id, actor="lan")
        assert accounts.device_for_token(s, plain) is None


def test_a_disabled_owner_stops_the_devices_tokens_until_enabled(db):
    with db.transaction() as s:
        accounts.create_user(s, "minh", "warehouse", PASSWORD)
        accounts.create_device(s, "HH-02", "root", "Zebra TC21", owner="minh")
        _, plain = accounts.issue_token(s, "HH-02")
        assert accounts.device_for_token(s, plain) is not None
        accounts.update_user(s, "minh", "root", active=False)
        assert accounts.device_for_token(s, plain) is None
        accounts.update_user(s, "minh", "root", active=True)
        assert accounts.device_for_token(s, plain) is not None


def test_a_device_owner_must_be_a_known_user(db):
    with db.transaction() as s:
        accounts.device(s, "HH-03")
    with pytest.raises(NotFound, match="ghost"), db.transaction() as s:
        accounts.update_device(s, "HH-03", "root", owner="ghost")


def test_the_devices_page_shows_a_new_token_once_and_then_only_its_hint(login, db):
    client = login("warehouse", "minh")
    client.post("/devices", data={"name": "HH-07", "description": "Cổng A", "owner": "minh",
                                  "csrf_token": csrf_token(client, "/devices")})
    response = client.post("/devices/tokens", data={"device": "HH-07",
                                                    "csrf_token": csrf_token(client, "/devices")})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = re.search(r'<code class="once token">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    with db.transaction() as s:
        assert accounts.device_for_token(s, plain).name == "HH-07"
        device = s.scalar(select(Device).where(Device.name == "HH-07"))
        assert device.description == "Cổng A" and device.owner_id is not None
    later = client.get("/devices").get_data(as_text=True)
    assert plain not in later and plain[:10] in later


def test_revoking_from_the_page_stops_the_token(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        token, plain = accounts.issue_token(s, "HH-01")
    response = client.post(f"/devices/tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/devices")})
    assert response.status_code == 302
    with db.transaction() as s:
        assert accounts.device_for_token(s, plain) is None
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "token.revoke")) == "root"


def test_a_device_owner_is_set_and_cleared_from_the_page(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.create_user(s, "minh", "warehouse", PASSWORD)
        accounts.device(s, "HH-01")
    token = csrf_token(client, "/devices")
    client.post("/devices/update", data={"device": "HH-01", "owner": "minh", "description": "x",
                                         "csrf_token": token})
    with db.transaction() as s:
        assert s.scalar(select(Device.owner_id).where(Device.name == "HH-01")) is not None
    client.post("/devices/update", data={"device": "HH-01", "owner": "", "description": "x",
                                         "csrf_token": token})
    with db.transaction() as s:
        assert s.scalar(select(Device.owner_id).where(Device.name == "HH-01")) is None
        details = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "device.update")).all()
    assert len(details) == 2 and '"owner": [null, "minh"]' in details[0]


def test_a_device_name_taken_is_refused_on_the_page(login, db):
    client = login("admin", "root")
    with db.transaction() as s:
        accounts.device(s, "HH-01")
    client.get("/lang/en")
    client.post("/devices", data={"name": "HH-01", "csrf_token": csrf_token(client, "/devices")})
    assert "exists already" in client.get("/devices").get_data(as_text=True)


def test_token_list_json_shows_hints_and_states_never_tokens(runner, db):
    with db.transaction() as s:
        first, plain1 = accounts.issue_token(s, "HH-01")
        _, plain2 = accounts.issue_token(s, "HH-02")
        accounts.revoke_token(s, first.id, actor="cli")
    result = runner.invoke(args=["token", "list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {(r["device"], r["live"], r["hint"]) for r in rows} == {
        ("HH-01", False, plain1[:10]), ("HH-02", True, plain2[:10])}
    assert plain1 not in result.stdout and plain2 not in result.stdout
    only = json.loads(runner.invoke(args=["token", "list", "--device", "HH-02", "--json"]).stdout)
    assert [r["device"] for r in only] == ["HH-02"]


def test_token_create_then_revoke_from_the_cli(runner, db):
    created = json.loads(runner.invoke(args=["token", "create", "HH-09", "--json"]).stdout)
    assert created["device"] == "HH-09" and created["token"].startswith("kho_")
    assert runner.invoke(args=["token", "revoke", str(created["id"])]).exit_code == 0
    with db.transaction() as s:
        assert accounts.device_for_token(s, created["token"]) is None
        assert s.scalar(select(DeviceToken.revoked_at)) is not None
    missing = runner.invoke(args=["token", "revoke", "999"])
    assert missing.exit_code == 1 and "999" in missing.stderr


def test_device_set_and_list_from_the_cli(runner, db):
    with db.transaction() as s:
        accounts.create_user(s, "minh", "warehouse", PASSWORD)
    assert runner.invoke(args=["device", "set", "HH-05", "--owner", "minh",
                               "--description", "Kho 1"]).exit_code == 0
    runner.invoke(args=["token", "create", "HH-05"])
    rows = json.loads(runner.invoke(args=["device", "list", "--json"]).stdout)
    assert rows == [{"name": "HH-05", "description": "Kho 1", "owner": "minh", "live_tokens": 1}]

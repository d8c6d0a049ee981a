"""POST /api/v1/scans: device tokens only, the token's own device only, the ingest service's answer."""

from sqlalchemy import func, select

from tests.integration.test_scan_ingest import SHELVES, build_world, read
from warehouse import accounts
from warehouse.models import ScanEvent


def token_for(db, device="HH-01", owner=None):
    with db.transaction() as s:
        if owner:
            accounts.create_user(s, owner, "warehouse", "long-enough-1")
        token, plain = accounts.issue_token(s, device)
        if owner:
            token.device.owner_id = accounts.get_user(s, owner).id
        return token.id, plain


def post(client, plain, events):
    headers = {"Authorization": f"Bearer {plain}"} if plain else {}
    return client.post("/api/v1/scans", json={"events": events}, headers=headers)


def test_a_device_posts_its_reads_and_a_resend_counts_as_duplicates(db, client):
    build_world(db)
    _, plain = token_for(db)
    batch = [read(1, SHELVES[0]), read(2, "P001-H0001"), read(3, "NOPE")]
    first = post(client, plain, batch)
    assert first.status_code == 200
    assert first.json == {"accepted": 3, "duplicates": 0, "refused": [], "sightings": 1, "unknown": ["NOPE"]}
    again = post(client, plain, batch).json
    assert (again["accepted"], again["duplicates"], again["refused"]) == (0, 3, [])


def test_malformed_events_are_refused_by_their_index_in_the_batch(db, client):
    build_world(db)
    _, plain = token_for(db)
    got = post(client, plain, [read(1, "P001-H0001"), {"device": "HH-01", "code": "X"}, "junk"]).json
    assert got["accepted"] == 1
    assert [(r["line"], r["device"], r["seq"]) for r in got["refused"]] == [(2, "HH-01", None), (3, None, None)]


def test_without_a_token_or_with_an_unknown_one_the_api_answers_401(db, client):
    build_world(db)
    assert post(client, None, [read(1, "P001-H0001")]).status_code == 401
    assert post(client, "kho_not-a-token", [read(1, "P001-H0001")]).status_code == 401
    response = client.post("/api/v1/scans", json={"events": []}, headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401 and "Bearer" in response.json["error"]


def test_a_revoked_token_is_refused(db, client):
    token_id, plain = token_for(db)
    with db.transaction() as s:
        accounts.revoke_token(s, token_id, "admin")
    response = post(client, plain, [read(1, "P001-H0001")])
    assert response.status_code == 401 and "revoked" in response.json["error"]


def test_the_token_of_a_device_whose_owner_is_disabled_is_refused(db, client):
    _, plain = token_for(db, owner="minh")
    assert post(client, plain, []).status_code == 200
    with db.transaction() as s:
        accounts.update_user(s, "minh", "admin", active=False)
    assert post(client, plain, []).status_code == 401


def test_events_of_another_device_refuse_the_whole_request_with_403(db, client):
    build_world(db)
    _, plain = token_for(db, "HH-01")
    response = post(client, plain, [read(1, "P001-H0001"), read(2, "P001-H0002", device="HH-02")])
    assert response.status_code == 403
    assert "HH-02" in response.json["error"] and "HH-01" in response.json["error"]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0


def test_a_body_without_a_list_of_events_is_a_bad_request(db, client):
    _, plain = token_for(db)
    response = client.post("/api/v1/scans", data="nope", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 400 and "events" in response.json["error"]


def test_a_logged_in_session_cannot_post_scans_without_a_token(db, client, login):
    build_world(db)
    login("warehouse")
    assert client.post("/api/v1/scans", json={"events": [read(1, "P001-H0001")]}).status_code == 401


def test_health_answers_without_login(client):
    import warehouse

    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.json == {"ok": True, "version": warehouse.__version__}


def test_the_api_views_carry_the_token_marker(app):
    for endpoint in ("api.scans", "api.box"):
        view = app.view_functions[endpoint]
        assert view.token_auth is True and view.permission in accounts.PERMISSIONS["warehouse"]

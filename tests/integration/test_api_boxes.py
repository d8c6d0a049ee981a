"""GET /api/v1/boxes/CODE: a box by code or EPC, with its home and where it was last seen."""

from tests.integration.test_api_scans import post, token_for
from tests.integration.test_scan_ingest import SHELVES, build_world, read
from warehouse.scans import giai96


def test_a_box_never_read_has_its_home_and_an_unknown_state(db, client):
    build_world(db)
    _, plain = token_for(db)
    response = client.get("/api/v1/boxes/P001-H0001", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert response.json == {"code": "P001-H0001", "fonds": "P001", "box": 1, "epc": None, "home": SHELVES[0],
                             "place": None, "state": "unknown", "last_seen": None}


def test_the_place_and_time_come_from_the_latest_read(db, client):
    build_world(db)
    _, plain = token_for(db)
    post(client, plain, [read(1, SHELVES[1]), read(2, "P001-H0002"), read(3, SHELVES[0]),
                         read(4, "P001-H0002", second=1)])
    got = client.get("/api/v1/boxes/P001-H0002", headers={"Authorization": f"Bearer {plain}"}).json
    assert (got["place"], got["state"], got["last_seen"]) == (SHELVES[1], "on_shelf", "2026-03-01T08:00:02+07:00")


def test_a_box_last_seen_at_an_unknown_place_has_an_unknown_state(db, client):
    build_world(db)
    _, plain = token_for(db)
    post(client, plain, [read(1, SHELVES[1]), read(2, "P001-H0002"), read(3, "K01-C1"), read(4, "P001-H0002")])
    got = client.get("/api/v1/boxes/P001-H0002", headers={"Authorization": f"Bearer {plain}"}).json
    assert (got["place"], got["state"], got["last_seen"]) == (None, "unknown", "2026-03-01T08:00:04+07:00")


def test_a_box_is_found_by_its_stored_epc_or_by_kho_s_own_tag(db, client):
    build_world(db)
    _, plain = token_for(db)
    auth = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/boxes/e2801160600002084a5de1c5", headers=auth).json["code"] == "P001-H0003"
    tag = giai96.box_to_epc("P001", 6, "8930000")
    assert client.get(f"/api/v1/boxes/{tag}", headers=auth).json["code"] == "P001-H0006"


def test_an_unknown_code_is_404_with_the_reason(db, client):
    build_world(db)
    _, plain = token_for(db)
    response = client.get("/api/v1/boxes/P404-H0001", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 404 and "P404-H0001" in response.json["error"]


def test_a_logged_in_user_who_may_view_or_scan_may_look_up_a_box(db, client, login):
    build_world(db)
    for role in ("patrol", "auditor", "archivist"):
        login(role)
        assert client.get("/api/v1/boxes/P001-H0001").status_code == 200, role


def test_without_a_login_or_a_token_a_lookup_is_401(db, client):
    build_world(db)
    assert client.get("/api/v1/boxes/P001-H0001").status_code == 401
    assert client.get("/api/v1/boxes/P001-H0001", headers={"Authorization": "Bearer nope"}).status_code == 401

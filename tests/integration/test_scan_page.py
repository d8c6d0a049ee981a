"""The scan page's server side on both databases: look-ups judge reads, batches go through ingest."""

import json

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from warehouse import accounts, boxes, fonds, locations
from warehouse.models import AuditEntry, Device, Location, ScanEvent

EPC = "E28011606000020400001A2B"
N1, N2, G01, G02N1 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G01", "K01-D01-G02-N1"


def store(db) -> None:
    """K01 › K01-D01 › racks G01 (shelves N1, N2) and G02 (N1), a gate; fonds P001 with six boxes."""
    with db.transaction() as s:
        fonds.create_fonds(s, "test", "P001", "UBND huyện Phú Mỹ")
        for code, name, kind, parent in (("K01", "Kho tỉnh", "kho", None), ("K01-D01", "Dãy 1", "day", "K01"),
                                         (G01, "Giá 1", "gia", "K01-D01"), (N1, "Ngăn 1", "ngan", G01),
                                         (N2, "Ngăn 2", "ngan", G01), ("K01-D01-G02", "Giá 2", "gia", "K01-D01"),
                                         (G02N1, "Ngăn 1", "ngan", "K01-D01-G02"), ("K01-C1", "Cổng 1", "cong", "K01")):
            locations.create_location(s, "test", code, name, kind, parent)
        for number, home, epc in ((1, N1, ""), (2, N1, ""), (3, N1, ""), (4, N2, ""), (5, "", ""), (6, G02N1, EPC)):
            boxes.create_box(s, "test", "P001", number, epc=epc, home=home)


def events(device, *codes, start=1, **extra):
    return [{"device": device, "seq": start + i, "code": code, "kind": "barcode",
             "at": f"2026-03-01T08:{i // 60:02d}:{i % 60:02d}+07:00", **extra} for i, code in enumerate(codes)]


def post(client, batch, token=None):
    headers = {"X-CSRFToken": token or csrf_token(client, "/scan")}
    return client.post("/scan/events", json={"events": batch}, headers=headers)


def test_the_scan_page_and_its_endpoints_need_the_scan_permission(db, client, login):
    assert client.get("/scan").status_code == 302
    login("auditor")
    assert client.get("/scan").status_code == 403
    assert client.get("/scan/lookup?code=X").status_code == 403
    login("warehouse")
    page = client.get("/scan").get_data(as_text=True)
    assert 'id="scan-input"' in page and 'id="scan-words"' in page and "js/scan.js" in page


@pytest.mark.parametrize("place, code, verdict, after", [
    ("", N1, "place", N1),
    (N1, "P001-H0001", "in_place", N1),
    (G01, "P001-H0001", "in_place", G01),
    (N2, "P001-H0001", "misplaced", N2),
    ("K01-D01-G02", "P001-H0001", "misplaced", "K01-D01-G02"),
    ("", "P001-H0001", "no_place", None),
    ("K01-D01", "P001-H0001", "no_place", "K01-D01"),
    (N1, "K01-D01", "coarse", "K01-D01"),
    (N1, "K01-C1", "cleared", None),
    (N1, "NOPE-42", "unknown", N1),
    (N1, "P001-H0005", "no_home", N1),
    (G02N1, EPC.lower(), "in_place", G02N1),
    (N1, "p001-h3", "in_place", N1),
])
def test_a_lookup_judges_a_read_where_the_device_stands(db, client, login, place, code, verdict, after):
    store(db)
    login("warehouse")
    got = client.get("/scan/lookup", query_string={"code": code, "place": place}).json
    assert got["verdict"] == verdict
    assert (got["place"] or {}).get("code") == after


def test_a_misplaced_box_is_shown_with_its_home_and_an_epc_read_by_its_box_code(db, client, login):
    store(db)
    login("warehouse")
    got = client.get("/scan/lookup", query_string={"code": EPC, "place": N1}).json
    assert (got["verdict"], got["box"], got["home"]) == ("misplaced", "P001-H0006", G02N1)
    assert G02N1 in got["message"]
    assert client.get("/scan/lookup").status_code == 400


def test_reads_are_stored_once_under_the_users_own_browser_device(db, client, login):
    store(db)
    login("warehouse", "lan")
    batch = events("WEB-ABCDEFGH23", N1, "P001-H0001", "P001-H0004", "NOPE")
    first = post(client, batch)
    assert first.status_code == 200
    assert (first.json["accepted"], first.json["acked"], first.json["unknown"]) == (4, [1, 2, 3, 4], ["NOPE"])
    again = post(client, batch).json
    assert (again["accepted"], again["duplicates"], again["acked"]) == (0, 4, [1, 2, 3, 4])
    with db.transaction() as s:
        device = s.scalar(select(Device).where(Device.name == "WEB-ABCDEFGH23"))
        assert device.owner_id == accounts.get_user(s, "lan").id
        places = dict(s.execute(select(ScanEvent.seq, Location.code).outerjoin(
            Location, Location.id == ScanEvent.place_id).where(ScanEvent.device_id == device.id)).all())
        assert places == {1: None, 2: N1, 3: N1, 4: None}  # the pipeline placed both boxes on N1
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "scans.ingest")))
        assert actors == {"lan"}


def test_a_manual_entry_keeps_its_mark_in_the_context(db, client, login):
    store(db)
    login("warehouse")
    assert post(client, events("WEB-MANUAL0001", "P001-H0002", context={"manual": True})).status_code == 200
    with db.transaction() as s:
        assert s.scalar(select(ScanEvent.context)) == json.dumps({"manual": True}, separators=(",", ":"))


def test_without_the_csrf_token_nothing_is_stored(db, client, login):
    login("warehouse")
    response = client.post("/scan/events", json={"events": events("WEB-ABCDEFGH23", "P001-H0001")})
    assert response.status_code == 400
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0


def test_another_users_browser_device_is_refused_and_the_page_told_to_renew(db, client, login):
    store(db)
    login("warehouse", "lan")
    assert post(client, events("WEB-ABCDEFGH23", N1)).status_code == 200
    login("warehouse", "minh")
    response = post(client, events("WEB-ABCDEFGH23", "P001-H0001", start=2))
    assert response.status_code == 409 and response.json["renew"] is True
    with db.transaction() as s:
        accounts.issue_token(s, "WEB-FROMTOKEN01")  # a device nobody owns is nobody's browser
    assert post(client, events("WEB-FROMTOKEN01", N1)).status_code == 409
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 1


def test_only_one_browser_device_per_batch_and_only_web_names(db, client, login):
    login("warehouse")
    assert post(client, events("HH-01", N1)).status_code == 400
    mixed = events("WEB-ABCDEFGH23", N1) + events("WEB-ZZZZZZZZ99", N1, start=2)
    assert post(client, mixed).status_code == 400
    assert client.post("/scan/events", data="nope", headers={"X-CSRFToken": csrf_token(client, "/scan")}
                       ).status_code == 400
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Device)) == 0


def test_a_refused_read_is_reported_by_seq_and_not_acknowledged(db, client, login):
    store(db)
    login("warehouse")
    batch = events("WEB-ABCDEFGH23", N1, "P001-H0001")
    batch[1]["at"] = "yesterday"
    got = post(client, batch).json
    assert got["acked"] == [1]
    assert [(r["seq"], r["line"]) for r in got["refused"]] == [(2, 2)]


def test_the_page_can_renew_its_csrf_token(db, client, login):
    login("warehouse")
    token = client.get("/scan/token").json["csrf_token"]
    assert post(client, [], token=token).json["acked"] == []

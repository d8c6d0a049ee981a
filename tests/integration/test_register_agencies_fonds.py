"""Agencies and fonds through the web forms: created, corrected, closed and reopened, all audited."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.integration.register_seed import seed
from warehouse import audit
from warehouse.models import Agency, AuditEntry, Catalogue, Fonds


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def _actions(db, target):
    with db.reading() as s:
        return [(e.action, e.detail) for e in s.scalars(select(AuditEntry).where(AuditEntry.target == target)
                                                        .order_by(AuditEntry.id))]


def test_an_archivist_creates_an_agency_and_the_audit_trail_records_it(login, db):
    client = login("archivist")
    response = client.post("/agencies", data={"name": "Sở Nội vụ tỉnh", "status": "active",
                                              "csrf_token": csrf_token(client, "/agencies")})
    assert response.status_code == 302
    with db.reading() as s:
        agency = s.scalar(select(Agency))
        assert (agency.name, agency.name_key, agency.status) == ("Sở Nội vụ tỉnh", "so noi vu tinh", "active")
    assert [a for a, _ in _actions(db, f"agency:{agency.id}")] == ["agency.create"]
    assert "Sở Nội vụ tỉnh" in client.get("/agencies").get_data(as_text=True)


def test_a_merged_agency_without_its_successor_is_refused_and_nothing_is_saved(login, db):
    client = login("archivist")
    response = client.post("/agencies", data={"name": "Sở Xây dựng", "status": "merged",
                                              "ended_on": "2025-07-01",
                                              "csrf_token": csrf_token(client, "/agencies")},
                           follow_redirects=True)
    assert "successor" in response.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Agency)) is None


def test_recording_a_merger_keeps_what_changed_in_the_audit_trail(login, db):
    seed(db)
    client = login("archivist")
    token = csrf_token(client, "/agencies")
    client.post("/agencies", data={"name": "Sở Nông nghiệp và Môi trường", "csrf_token": token})
    with db.reading() as s:
        old = s.scalar(select(Agency).where(Agency.name_key == "so tai nguyen va moi truong"))
        new = s.scalar(select(Agency).where(Agency.name_key == "so nong nghiep va moi truong"))
    response = client.post(f"/agencies/{old.id}", data={
        "name": old.name, "status": "merged", "successor_id": str(new.id), "ended_on": "2025-03-01",
        "decision": "Quyết định 123/QĐ-UBND", "csrf_token": token})
    assert response.status_code == 302
    with db.reading() as s:
        merged = s.get(Agency, old.id)
        assert (merged.status, merged.successor_id, str(merged.ended_on)) == ("merged", new.id, "2025-03-01")
    (action, detail), = _actions(db, f"agency:{old.id}")
    assert action == "agency.update" and '"status": ["active", "merged"]' in detail
    page = client.get("/fonds/P012").get_data(as_text=True)
    assert 'value="2025-03-01"' in page  # closing the fonds is offered from the day the agency ended


def test_an_agency_cannot_succeed_itself_through_a_chain(login, db):
    client = login("archivist")
    token = csrf_token(client, "/agencies")
    for name in ("Cơ quan A", "Cơ quan B"):
        client.post("/agencies", data={"name": name, "csrf_token": token})
    with db.reading() as s:
        a, b = s.scalars(select(Agency).order_by(Agency.id)).all()
    client.post(f"/agencies/{b.id}", data={"name": b.name, "status": "merged", "successor_id": a.id,
                                           "ended_on": "2025-01-01", "csrf_token": token})
    page = client.post(f"/agencies/{a.id}", data={"name": a.name, "status": "merged", "successor_id": b.id,
                                                  "ended_on": "2025-01-01", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "lead back" in page
    with db.reading() as s:
        assert s.get(Agency, a.id).status == "active"


def test_agencies_are_searched_without_accents(login, db):
    seed(db)
    client = login("warehouse")
    assert "Sở Tài nguyên và Môi trường" in client.get("/agencies?q=tai+NGUYEN").get_data(as_text=True)
    assert "Sở Tài nguyên và Môi trường" not in client.get("/agencies?q=noi+vu").get_data(as_text=True)


def test_an_archivist_creates_a_fonds_with_its_first_catalogue(login, db):
    client = login("archivist")
    response = client.post("/fonds", data={"code": "p027", "name": "Phông UBND huyện",
                                           "csrf_token": csrf_token(client, "/fonds")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/fonds/P027")
    with db.reading() as s:
        fonds = s.scalar(select(Fonds))
        assert (fonds.code, fonds.name_key) == ("P027", "phong ubnd huyen")
        assert [c.number for c in s.scalars(select(Catalogue))] == [1]
    assert [a for a, _ in _actions(db, "fonds:P027")] == ["fonds.create"]


def test_a_fonds_code_outside_the_barcode_alphabet_is_refused_naming_it(login, db):
    client = login("archivist")
    page = client.post("/fonds", data={"code": "PĐ 01", "name": "Phông", "csrf_token": csrf_token(client, "/fonds")},
                       follow_redirects=True).get_data(as_text=True)
    assert "PĐ 01" in page
    with db.reading() as s:
        assert s.scalar(select(Fonds)) is None


def test_the_fonds_list_counts_boxes_and_files(login, db):
    seed(db)
    page = login("auditor").get("/fonds").get_data(as_text=True)
    row = page.split("P012", 1)[1].split("</tr>", 1)[0]
    assert ">3</a>" in row and "<td>3</td>" in row  # 3 boxes, 3 files


def test_closing_and_reopening_a_fonds_is_audited(login, db):
    seed(db)
    client = login("archivist")
    token = csrf_token(client, "/fonds/P012")
    client.post("/fonds/P012/close", data={"closed_on": "2025-06-30", "decision": "QĐ 45", "csrf_token": token})
    with db.reading() as s:
        assert str(s.scalar(select(Fonds.closed_on))) == "2025-06-30"
    again = client.post("/fonds/P012/close", data={"closed_on": "2025-07-01", "csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert "closed already" in again
    no_reason = client.post("/fonds/P012/reopen", data={"reason": "", "csrf_token": token},
                            follow_redirects=True).get_data(as_text=True)
    assert "needs a reason" in no_reason
    client.post("/fonds/P012/reopen", data={"reason": "đóng nhầm", "csrf_token": token})
    with db.reading() as s:
        assert s.scalar(select(Fonds.closed_on)) is None
        assert audit.verify(s).ok
    actions = _actions(db, "fonds:P012")
    assert [a for a, _ in actions] == ["fonds.close", "fonds.reopen"]
    assert "2025-06-30" in actions[1][1] and "đóng nhầm" in actions[1][1]


def test_a_second_catalogue_is_added_and_a_duplicate_number_refused(login, db):
    seed(db)
    client = login("archivist")
    token = csrf_token(client, "/fonds/P012")
    client.post("/fonds/P012/catalogues", data={"number": "2", "title": "Mục lục bổ sung", "csrf_token": token})
    page = client.post("/fonds/P012/catalogues", data={"number": "2", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "number 2 already" in page
    with db.reading() as s:
        assert [(c.number, c.title) for c in s.scalars(select(Catalogue).order_by(Catalogue.number))] == [
            (1, ""), (2, "Mục lục bổ sung")]
    renumber = client.post("/fonds/P012/catalogues/1", data={"number": "5", "title": "", "csrf_token": token},
                           follow_redirects=True).get_data(as_text=True)
    assert "cannot be renumbered: 3 files" in renumber


def test_editing_a_fonds_records_old_and_new_values(login, db):
    seed(db)
    client = login("archivist")
    client.post("/fonds/P012/edit", data={"code": "P012", "name": "Phông Sở TN&MT", "agency_id": "",
                                          "note": "", "csrf_token": csrf_token(client, "/fonds/P012")})
    (action, detail), = _actions(db, "fonds:P012")
    assert action == "fonds.update" and "Phông Sở TN&MT" in detail and '"agency_id": [1, null]' in detail

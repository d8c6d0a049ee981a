"""Boxes and files through the web: created, corrected, their condition recorded; restricted titles."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.integration.register_seed import EPC, NFD_SECRET_TITLE, OPEN_TITLE, SECRET_TITLE, seed
from warehouse import audit
from warehouse.models import AuditEntry, Box, File


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


@pytest.fixture
def register(db):
    seed(db)
    return db


def _entries(db, target):
    with db.reading() as s:
        return [(e.action, e.actor, e.detail) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.target == target).order_by(AuditEntry.id))]


def test_a_box_created_in_the_form_gets_the_generated_code_and_is_audited(login, register):
    client = login("archivist")
    response = client.post("/boxes", data={"fonds": "P012", "number": "12", "home": "k01-d01-g01-n03",
                                           "epc": "e28011606000020400009999", "condition": "good",
                                           "csrf_token": csrf_token(client, "/boxes/new")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/boxes/P012-H0012")
    with register.reading() as s:
        box = s.scalar(select(Box).where(Box.code == "P012-H0012"))
        assert (box.number, box.epc, box.home.code) == (12, "E28011606000020400009999", "K01-D01-G01-N03")
    (action, actor, detail), = _entries(register, "box:P012-H0012")
    assert (action, actor) == ("box.create", "archivist-user") and "K01-D01-G01-N03" in detail


@pytest.mark.parametrize("form, why", [
    ({"number": "1"}, "has a box number 1 already: P012-H0001"),
    ({"number": "9", "code": "K01-D01"}, "already used by a place"),
    ({"number": "9", "epc": EPC.lower()}, "already on box P012-H0001"),
    ({"number": "9", "epc": "XYZ"}, "not 24 hexadecimal digits"),
    ({"number": "9", "home": "K01-D01-G01"}, "a box&#39;s home is a shelf"),
    ({"number": "9", "home": "K09"}, "no place with code"),
    ({"number": "nine"}, "not a whole number"),
])
def test_a_box_that_breaks_a_rule_is_refused_with_the_reason_and_not_saved(login, register, form, why):
    client = login("archivist")
    data = {"fonds": "P012", "condition": "good", "csrf_token": csrf_token(client, "/boxes/new")} | form
    page = client.post("/boxes", data=data, follow_redirects=True).get_data(as_text=True)
    assert why in page
    with register.reading() as s:
        assert len(s.scalars(select(Box)).all()) == 3


def test_recording_a_damaged_box_keeps_old_and_new_condition_in_the_audit_trail(login, register):
    client = login("archivist")
    token = csrf_token(client, "/boxes/P012-H0003")
    response = client.post("/boxes/P012-H0003/edit", data={
        "code": "P012-H0003", "number": "3", "epc": "", "home": "K01-D01-G01-N02", "condition": "mould",
        "condition_note": "mốc góc dưới", "csrf_token": token})
    assert response.status_code == 302
    (action, _actor, detail), = _entries(register, "box:P012-H0003")
    assert action == "box.update"
    assert '"condition": ["good", "mould"]' in detail and "mốc góc dưới" in detail
    assert "home" not in detail  # unchanged fields stay out of the trail
    page = client.get("/boxes?condition=mould").get_data(as_text=True)
    assert "P012-H0003" in page and "P012-H0001" not in page


def test_moving_a_box_to_a_full_shelf_warns_but_is_done(login, register):
    client = login("archivist")
    token = csrf_token(client, "/boxes/P012-H0003")
    page = client.post("/boxes/P012-H0003/edit", data={
        "code": "P012-H0003", "number": "3", "home": "K01-D01-G01-N01", "condition": "good",
        "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "more than its capacity of 2" in page
    with register.reading() as s:
        assert s.scalar(select(Box).where(Box.code == "P012-H0003")).home.code == "K01-D01-G01-N01"
    (_action, _actor, detail), = _entries(register, "box:P012-H0003")
    assert '"home": ["K01-D01-G01-N02", "K01-D01-G01-N01"]' in detail


def test_a_box_is_opened_by_its_epc_in_any_case(login, register):
    response = login("warehouse").get(f"/boxes/{EPC.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/boxes/P012-H0001")
    assert login("warehouse").get("/boxes/P999-H0001").status_code == 404


def test_the_box_page_lists_its_files_as_in_the_catalogue(login, register):
    page = login("archivist").get("/boxes/P012-H0001").get_data(as_text=True)
    for text in (OPEN_TITLE, SECRET_TITLE, "01/01/2005 – 31/12/2005", "Vĩnh viễn", "K01-D01-G01-N01"):
        assert text in page


def test_restricted_titles_are_hidden_from_the_warehouse_role_and_shown_to_archivists(login, register):
    page = login("warehouse").get("/boxes/P012-H0001").get_data(as_text=True)
    assert OPEN_TITLE in page and SECRET_TITLE not in page and "(restricted)" in page
    page = login("warehouse").get("/boxes/P012-H0002").get_data(as_text=True)
    assert NFD_SECRET_TITLE not in page  # access "MẬT" in NFD and upper case is restricted too
    for role in ("archivist", "auditor"):
        page = login(role).get("/boxes/P012-H0001").get_data(as_text=True)
        assert SECRET_TITLE in page and "(restricted)" not in page


def test_a_file_edit_is_audited_and_refolds_its_title(login, register):
    client = login("archivist")
    with register.reading() as s:
        file_id = s.scalar(select(File.id).where(File.number == "01"))
    token = csrf_token(client, f"/files/{file_id}/edit")
    response = client.post(f"/files/{file_id}/edit", data={
        "position": "1", "number": "01", "file_code": "000.06.16.G09.2005.01", "title": "Hồ sơ cấp đất ở",
        "start_date": "2005-02-01", "end_date": "2005-11-30", "retention": "20 năm", "pages": "33",
        "access": "Thường", "completed": "1", "note": "", "csrf_token": token})
    assert response.status_code == 302
    with register.reading() as s:
        found = s.get(File, file_id)
        assert (found.title_key, found.retention_years, found.pages) == ("ho so cap dat o", 20, 33)
        assert audit.verify(s).ok
    (action, _actor, detail), = _entries(register, f"file:{file_id}")
    assert action == "file.update" and OPEN_TITLE in detail and "Hồ sơ cấp đất ở" in detail


def test_a_file_edit_with_dates_out_of_order_changes_nothing(login, register):
    client = login("archivist")
    with register.reading() as s:
        file_id = s.scalar(select(File.id).where(File.number == "01"))
    page = client.post(f"/files/{file_id}/edit", data={
        "number": "01", "title": "X", "start_date": "2006-01-01", "end_date": "2005-01-01",
        "csrf_token": csrf_token(client, f"/files/{file_id}/edit")}, follow_redirects=True).get_data(as_text=True)
    assert "after it ends" in page
    with register.reading() as s:
        assert s.get(File, file_id).title == OPEN_TITLE
    assert _entries(register, f"file:{file_id}") == []


def test_the_box_list_filters_by_place_and_pages(login, register, app):
    app.config["PAGE_SIZE"] = 2
    client = login("warehouse")
    page = client.get("/boxes?location=K01-D01-G01-N01").get_data(as_text=True)
    assert "P012-H0001" in page and "P012-H0002" in page and "P012-H0003" not in page
    first = client.get("/boxes?location=K01").get_data(as_text=True)
    second = client.get("/boxes?location=K01&page=2").get_data(as_text=True)
    assert "P012-H0002" in first and "P012-H0003" not in first
    assert "P012-H0003" in second and "P012-H0001" not in second and "page=1" in second
    assert "no place with code" in client.get("/boxes?location=K77").get_data(as_text=True)

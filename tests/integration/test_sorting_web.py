"""The sorting page: an archivist splits, moves, merges and renumbers through forms with their CSRF
token; refusals are flashed with the reason; roles without "rebox" are turned away."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_sorting_services import box_of, seed_register, snapshot
from warehouse.models import AuditEntry, Box


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


PAGE = "/sorting/?box=P012-H0001"


def test_an_archivist_sees_the_files_of_a_box_with_checkboxes(login, db):
    ids = seed_register(db)
    client = login("archivist")
    html = client.get(PAGE).get_data(as_text=True)
    assert f'name="file" value="{ids["P012/1"]}"' in html and f'value="{ids["P012/3"]}"' in html
    assert f'value="{ids["P012/4"]}"' not in html  # file 4 is in box 2
    assert "Hồ sơ số 2 năm 2016" in html


def test_a_box_is_found_by_its_number_in_the_fonds(login, db):
    seed_register(db)
    html = login("archivist").get("/sorting/?fonds=P012&box=2").get_data(as_text=True)
    assert 'value="P012-H0002"' in html


def test_a_split_through_the_form_makes_a_new_box_and_shows_its_history(login, db):
    ids = seed_register(db)
    client = login("archivist")
    response = client.post("/sorting/split", data={
        "csrf_token": csrf_token(client, PAGE), "box": "P012-H0001",
        "file": [ids["P012/2"], ids["P012/3"]], "code": "", "reason": "tách theo năm"})
    assert response.status_code == 302 and "box=P012-H0001" in response.headers["Location"]
    assert box_of(db, ids["P012/2"]) == box_of(db, ids["P012/3"]) == "P012-H0004"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "P012-H0004" in html and "tách theo năm" in html  # the flash and the history
    with db.transaction() as s:
        entry = s.execute(select(AuditEntry.actor, AuditEntry.target).where(
            AuditEntry.action == "box.split")).one()
    assert entry == ("archivist-user", "box:P012-H0001")


def test_a_split_without_its_csrf_token_is_refused_and_changes_nothing(login, db):
    ids = seed_register(db)
    client = login("archivist")
    before = snapshot(db)
    response = client.post("/sorting/split", data={"box": "P012-H0001", "file": [ids["P012/2"]]})
    assert response.status_code == 400
    assert snapshot(db) == before


def test_a_refused_move_is_flashed_with_its_reason_and_changes_nothing(login, db):
    ids = seed_register(db)
    client = login("archivist")
    before = snapshot(db)
    response = client.post("/sorting/move", data={
        "csrf_token": csrf_token(client, PAGE), "box": "P012-H0001", "file": [ids["P012/1"]],
        "to": "P031-H0001"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "P031-H0001" in html and "P012" in html and 'class="flash error"' in html
    assert snapshot(db) == before


def test_merge_and_renumber_through_the_forms(login, db):
    ids = seed_register(db)
    client = login("archivist")
    token = csrf_token(client, PAGE)
    client.post("/sorting/merge", data={"csrf_token": token, "box": "P012-H0001", "from": "P012-H0002"})
    assert box_of(db, ids["P012/4"]) == "P012-H0001"
    response = client.post("/sorting/renumber", data={"csrf_token": token, "box": "P012-H0001",
                                                      "number": "9", "code": "P012-H0009"})
    assert "box=P012-H0009" in response.headers["Location"]
    with db.transaction() as s:
        boxes = dict(s.execute(select(Box.code, Box.number)).all())
        retired = s.scalar(select(Box.retired_at).where(Box.code == "P012-H0002"))
    assert boxes["P012-H0009"] == 9 and "P012-H0001" not in boxes and retired is not None


def test_a_renumbering_clash_is_flashed_naming_the_box_that_holds_the_number(login, db):
    seed_register(db)
    client = login("archivist")
    response = client.post("/sorting/renumber", data={
        "csrf_token": csrf_token(client, PAGE), "box": "P012-H0001", "number": "3"}, follow_redirects=True)
    assert "taken by box P012-H0003" in response.get_data(as_text=True)


def test_positions_are_renumbered_from_the_page(login, db):
    seed_register(db)
    client = login("archivist")
    response = client.post("/sorting/positions", data={
        "csrf_token": csrf_token(client, PAGE), "fonds": "P012", "catalogue": "1"})
    assert response.status_code == 302
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "file.renumber")) == 0  # already in order: nothing to audit


def test_roles_without_rebox_are_refused(login, db):
    ids = seed_register(db)
    for role in ("warehouse", "patrol", "auditor"):
        client = login(role)
        assert client.get(PAGE).status_code == 403
        token = csrf_token(client, "/login")  # any page with the layout carries the token
        response = client.post("/sorting/split", data={"csrf_token": token, "box": "P012-H0001",
                                                       "file": [ids["P012/2"]]})
        assert response.status_code == 403
    assert box_of(db, ids["P012/2"]) == "P012-H0001"


def test_restricted_titles_stay_hidden_without_clearance(login, db, monkeypatch):
    from warehouse import accounts

    seed_register(db)
    client = login("archivist")
    assert "Hồ sơ số 5 năm 2016" in client.get("/sorting/?box=P012-H0002").get_data(as_text=True)
    monkeypatch.setitem(accounts.PERMISSIONS, "archivist", accounts.PERMISSIONS["archivist"] - {"restricted"})
    html = client.get("/sorting/?box=P012-H0002").get_data(as_text=True)
    assert "Hồ sơ số 4 năm 2016" in html and "Hồ sơ số 5 năm 2016" not in html  # file 5 is "Hạn chế"

"""The stores' tree through the web: built store to shelf, refused where kinds do not nest, free space."""

import pytest
from sqlalchemy import event, select

from tests.conftest import csrf_token
from tests.integration.register_seed import place, seed
from warehouse import locations
from warehouse.models import AuditEntry, Box, Location


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def _post(client, path, **data):
    return client.post(path, data=data | {"csrf_token": csrf_token(client, "/locations")},
                       follow_redirects=True)


def test_an_archivist_builds_a_store_down_to_a_shelf(login, db):
    client = login("archivist")
    for code, kind, parent, capacity in (("K02", "kho", "", ""), ("K02-P1", "phong", "K02", ""),
                                         ("K02-P1-D1", "day", "K02-P1", ""), ("K02-P1-D1-G1", "gia", "K02-P1-D1", ""),
                                         ("k02-p1-d1-g1-n1", "ngan", "K02-P1-D1-G1", "12"),
                                         ("K02-DIEM1", "diem", "K02", "")):
        assert _post(client, "/locations", code=code, name=f"Chỗ {code}", kind=kind, parent=parent,
                     capacity=capacity).status_code == 200
    with db.reading() as s:
        shelf = s.scalar(select(Location).where(Location.code == "K02-P1-D1-G1-N1"))
        assert shelf.path == "/K02/K02-P1/K02-P1-D1/K02-P1-D1-G1/K02-P1-D1-G1-N1/"
        assert (shelf.kind, shelf.capacity, shelf.name_key) == ("ngan", 12, "cho k02-p1-d1-g1-n1")
        created = s.scalars(select(AuditEntry.target).where(AuditEntry.action == "location.create")).all()
    assert len(created) == 6 and "location:K02-P1-D1-G1-N1" in created
    tree = client.get("/locations").get_data(as_text=True)
    assert "K02-P1-D1-G1" in tree and "<svg" in tree


@pytest.mark.parametrize("code, kind, parent, why", [
    ("K09-N1", "ngan", "K01", "cannot sit inside"),
    ("K09", "gia", "", "must sit inside"),
    ("K01-D01-G01-X", "kho", "K01-D01-G01", "top-level place"),
    ("K01-CONG2", "cong", "K01-CONG", "cannot sit inside"),
    ("K01 D9", "day", "K01", "may only hold"),
    ("P012-H0001", "day", "K01", "already used by a box"),
    ("K01-D01", "day", "K01", "already used by a place"),
    ("K01-G9", "day", "K77", "no place with code"),
    ("K01-CONG3", "cong", "K01", "never holds boxes"),
])
def test_a_place_that_breaks_a_rule_is_refused_with_the_reason(login, db, code, kind, parent, why):
    seed(db)
    client = login("archivist")
    capacity = "5" if code == "K01-CONG3" else ""
    page = _post(client, "/locations", code=code, name="X", kind=kind, parent=parent,
                 capacity=capacity).get_data(as_text=True)
    assert why in page
    with db.reading() as s:
        assert len(s.scalars(select(Location)).all()) == 7


def test_deleting_a_shelf_with_boxes_is_refused_with_the_reason(login, db):
    seed(db)
    client = login("archivist")
    page = _post(client, "/locations/K01-D01-G01-N01/delete").get_data(as_text=True)
    assert "home of 2 boxes" in page
    page = _post(client, "/locations/K01-D01-G01/delete").get_data(as_text=True)
    assert "3 places sit in it" in page
    with db.reading() as s:
        assert s.scalar(select(Location.id).where(Location.code == "K01-D01-G01-N01")) is not None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "location.delete")) is None


def test_deleting_an_empty_shelf_is_audited(login, db):
    seed(db)
    client = login("archivist")
    response = client.post("/locations/K01-D01-G01-N03/delete",
                           data={"csrf_token": csrf_token(client, "/locations")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/locations/K01-D01-G01")
    with db.reading() as s:
        assert s.scalar(select(Location.id).where(Location.code == "K01-D01-G01-N03")) is None
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "location.delete"))
        assert entry.target == "location:K01-D01-G01-N03" and entry.actor == "archivist-user"


def test_editing_a_place_changes_its_capacity_and_its_code_only_while_empty(login, db):
    seed(db)
    client = login("archivist")
    _post(client, "/locations/K01-D01-G01-N02/edit", code="K01-D01-G01-N02", name="Ngăn hai", capacity="4")
    page = _post(client, "/locations/K01-D01-G01-N02/edit", code="K01-D01-G01-N9", name="Ngăn hai",
                 capacity="4").get_data(as_text=True)
    assert "cannot change while it holds 0 places and 1 boxes" in page
    _post(client, "/locations/K01-D01-G01-N03/edit", code="K01-D01-G01-N04", name="Ngăn 4", capacity="10")
    with db.reading() as s:
        shelf = s.scalar(select(Location).where(Location.code == "K01-D01-G01-N02"))
        assert (shelf.name, shelf.capacity) == ("Ngăn hai", 4)
        moved = s.scalar(select(Location).where(Location.code == "K01-D01-G01-N04"))
        assert moved.path == "/K01/K01-D01/K01-D01-G01/K01-D01-G01-N04/"
        updates = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "location.update")).all()
    assert '"capacity": [10, 4]' in updates[0] and '"code": ["K01-D01-G01-N03", "K01-D01-G01-N04"]' in updates[1]


def test_free_space_is_shown_per_shelf_and_summed_up_the_tree(login, db):
    seed(db)
    with db.reading() as s:
        spaces = {p.code: p.space for p in locations.tree(s)}
    assert (spaces["K01-D01-G01-N01"].free, spaces["K01-D01-G01-N02"].free) == (0, 9)
    assert (spaces["K01-D01-G01"].capacity, spaces["K01-D01-G01"].boxes, spaces["K01-D01-G01"].free) == (22, 3, 19)
    assert (spaces["K01"].capacity, spaces["K01"].free) == (22, 19)
    page = login("patrol").get("/locations/K01-D01-G01").get_data(as_text=True)
    assert "19" in page and "Ngăn 2" in page


def test_retired_boxes_free_their_shelf(login, db):
    seed(db)
    from warehouse.models.base import utcnow

    with db.transaction() as s:
        s.scalar(select(Box).where(Box.code == "P012-H0002")).retired_at = utcnow()
    with db.reading() as s:
        assert {p.code: p.space.free for p in locations.tree(s)}["K01-D01-G01-N01"] == 1


def test_the_tree_is_read_with_the_same_few_queries_however_many_shelves(db):
    seed(db)

    few = _count_queries(db)
    with db.transaction() as s:
        rack = s.scalar(select(Location).where(Location.code == "K01-D01-G01"))
        for n in range(10, 40):
            place(s, f"K01-D01-G01-N{n}", f"Ngăn {n}", "ngan", rack, 5)
    assert 2 <= few <= 3  # the places and one grouped count of boxes (and BEGIN on SQLite)
    assert _count_queries(db) == few


def _count_queries(db) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.reading() as s:
            locations.tree(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)

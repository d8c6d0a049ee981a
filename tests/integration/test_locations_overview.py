"""The overview: the stores and the register in numbers, and how full the shelves are."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.integration.register_seed import seed
from warehouse.models import Fonds


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def _figure(page: str, name: str) -> str:
    return page.split(f'id="figure-{name}"', 1)[1].split("<b>", 1)[1].split("</b>", 1)[0]


def test_the_overview_counts_stores_shelves_boxes_files_and_fonds(login, db):
    seed(db)
    with db.transaction() as s:
        s.add(Fonds(code="P027", name="Phông cũ", name_key="phong cu", closed_on=date(2025, 6, 30)))
    page = login("warehouse").get("/").get_data(as_text=True)
    figures = {name: _figure(page, name) for name in ("stores", "shelves", "boxes", "files", "fonds-open",
                                                      "fonds-closed")}
    assert figures == {"stores": "1", "shelves": "3", "boxes": "3", "files": "3", "fonds-open": "1",
                       "fonds-closed": "1"}
    assert "3 boxes on shelves for a capacity of 22: room for 19 more." in page
    assert "1 empty, 1 full (0 over capacity), 0 without a capacity." in page
    assert '<svg' in page and 'href="/locations/K01"' in page


def test_an_empty_kho_says_so(login, db):
    page = login("archivist").get("/").get_data(as_text=True)
    assert _figure(page, "boxes") == "0" and "No shelves yet." in page


def test_closing_a_fonds_moves_it_from_open_to_closed(login, db):
    seed(db)
    with db.transaction() as s:
        s.scalar(select(Fonds)).closed_on = date(2025, 1, 1)
    page = login("auditor").get("/").get_data(as_text=True)
    assert (_figure(page, "fonds-open"), _figure(page, "fonds-closed")) == ("0", "1")

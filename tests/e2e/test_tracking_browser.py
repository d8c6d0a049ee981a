"""On a 360-px handheld, a box with an open move order is scanned box first, then its new shelf: the page
holds the box read, sends it with the shelf as its location, and the box's home changes."""

from playwright.sync_api import expect
from sqlalchemy import select

from tests.integration.test_tracking_service import N1, N2, N3, build
from warehouse.models import Box, Location, MoveOrder, ScanEvent
from warehouse.tracking import moves

FAST = 5  # ms between keys: a scanner's keystrokes


def scan(tab, code: str) -> None:
    tab.keyboard.type(code, delay=FAST)
    tab.keyboard.press("Enter")


def row(tab, seq: int):
    return tab.locator(f"#scan-recent li[data-seq='{seq}']")


def home_of(db, code: str) -> str | None:
    with db.reading() as s:
        return s.scalar(select(Location.code).join(Box, Box.home_id == Location.id).where(Box.code == code))


def test_a_box_scanned_before_its_new_shelf_is_moved_there(db, handheld, live_server, user_in_browser):
    build(db)
    with db.transaction() as s:
        order = moves.order_move(s, "anna", ["P001-H0001"], N3, "Dồn ngăn", "Trưởng kho")
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/scan")
    expect(tab.locator("#scan-input")).to_be_focused()
    prompt = tab.inner_text("#scan-prompt")
    tab.click("#scan-order")
    expect(tab.locator("#scan")).to_have_attribute("data-order", "box-first")
    expect(tab.locator("#scan-prompt")).not_to_have_text(prompt)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360

    scan(tab, "P001-H0001")
    expect(row(tab, 1)).to_have_attribute("data-verdict", "held")
    expect(tab.locator("#scan-waiting")).to_have_attribute("data-count", "1")
    assert home_of(db, "P001-H0001") == N1  # nothing sent while the box waits for its shelf

    scan(tab, N3)
    expect(row(tab, 2)).to_have_attribute("data-verdict", "place")
    expect(row(tab, 1)).to_have_attribute("data-verdict", "placed")
    expect(tab.locator("#scan-waiting")).to_have_attribute("data-count", "0", timeout=20000)
    assert home_of(db, "P001-H0001") == N3
    with db.reading() as s:
        assert s.scalar(select(MoveOrder.state).where(MoveOrder.id == order["id"])) == "done"
        sent = s.execute(select(ScanEvent.seq, ScanEvent.code, ScanEvent.location).order_by(ScanEvent.seq)).all()
    assert [tuple(r) for r in sent] == [(1, "P001-H0001", N3), (2, N3, None)]

    # The other way round still works: shelf first, then a box (seen there without an order: not moved).
    tab.click("#scan-order")
    expect(tab.locator("#scan")).to_have_attribute("data-order", "shelf-first")
    scan(tab, N2)
    expect(row(tab, 3)).to_have_attribute("data-verdict", "place")
    scan(tab, "P001-H0002")
    expect(row(tab, 4)).to_have_attribute("data-verdict", "misplaced")
    expect(tab.locator("#scan-waiting")).to_have_attribute("data-count", "0", timeout=20000)
    assert home_of(db, "P001-H0002") == N1

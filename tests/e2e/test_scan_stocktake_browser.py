"""A counter with a keyboard-wedge handheld counts for a stock-take from the scan page: they pick it,
scan a shelf and its boxes, and the stock-take's counters' page shows them counted; reads keep the
stock-take chosen when they were queued, and after switching to "none" reads go without a context."""

import json

from playwright.sync_api import expect

from tests.e2e.test_scan_page import SLOW, row, scan, stored, waiting
from tests.integration.test_stocktake_service import N1, N2, seed
from warehouse.stocktake import progress, report, sessions


def chosen(tab, stocktake: int | str) -> None:
    expect(tab.locator("#scan-stocktake")).to_have_attribute("data-chosen", str(stocktake))


def progress_of(db, stocktake: int) -> dict:
    with db.transaction() as s:
        return progress.progress(s, sessions.find(s, stocktake))


def test_a_counter_picks_a_stock_take_scans_for_it_then_goes_back_to_day_to_day_reads(
        db, handheld, live_server, user_in_browser):
    seed(db)
    with db.transaction() as s:
        sid = sessions.open_stocktake(s, actor="tester", scope="K01-D01-G01")["id"]
        other = sessions.open_stocktake(s, actor="tester", scope=N2, blind=True)["id"]
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/scan")
    chosen(tab, "")
    expect(tab.locator("#scan-stocktake-choice option")).to_have_count(3)  # none and the two open ones

    tab.select_option("#scan-stocktake-choice", str(sid))
    chosen(tab, sid)
    expect(tab.locator("#scan-stocktake-id")).to_contain_text(f"#{sid}")
    expect(tab.locator("#scan-stocktake-scope")).to_contain_text("K01-D01-G01")
    expect(tab.locator("#scan-input")).to_be_focused()  # the next scan goes to the input, not the list
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    for seq, (code, verdict) in enumerate([(N1, "place"), ("P012-H0001", "in_place"), ("P012-H0002", "in_place"),
                                           ("P012-H0005", "misplaced")], start=1):
        scan(tab, code)
        expect(row(tab, seq)).to_have_attribute("data-verdict", verdict)
        expect(row(tab, seq)).to_have_attribute("data-stocktake", str(sid))
        waiting(tab, 0)
    expect(tab.locator("#scan-feedback-text")).to_contain_text(N2)  # still judged against its home
    expect(tab.locator("#scan-feedback")).to_have_attribute("data-stocktake", "open")
    scan(tab, "P012-H0003", delay=SLOW)  # typed by hand: both marks in its context
    expect(row(tab, 5)).to_have_attribute("data-verdict", "in_place")
    waiting(tab, 0)

    tab.click("#scan-stocktake-link")
    tab.wait_for_url(f"{live_server.url}/stocktakes/{sid}/count")
    expect(tab.locator("#boxes")).to_have_text("4")
    expect(tab.locator("#places tbody tr")).to_have_count(1)
    doc = progress_of(db, sid)
    assert (doc["seen"], doc["reads"]) == (4, 5)

    tab.click("#scan-for-stocktake")  # back from the counters' page: the same stock-take, chosen
    tab.wait_for_url(f"{live_server.url}/scan")
    chosen(tab, sid)
    tab.route("**/scan/events", lambda route: route.abort())  # the reads wait in the browser
    scan(tab, "P012-H0004")
    expect(row(tab, 6)).to_have_attribute("data-verdict", "in_place")
    tab.select_option("#scan-stocktake-choice", "")
    chosen(tab, "")
    expect(tab.locator("#scan-stocktake-link")).to_be_hidden()
    scan(tab, "P012-H0006")
    expect(row(tab, 7)).to_have_attribute("data-stocktake", "")
    waiting(tab, 2)
    tab.unroute("**/scan/events")
    waiting(tab, 0)
    tab.reload()
    chosen(tab, "")  # the choice is kept in the browser
    scan(tab, "P012-H0001")
    waiting(tab, 0)

    reads = {seq: (code, json.loads(context) if context else None) for _, seq, code, context, _ in stored(db)}
    assert reads == {1: (N1, {"stocktake": sid}), 2: ("P012-H0001", {"stocktake": sid}),
                     3: ("P012-H0002", {"stocktake": sid}), 4: ("P012-H0005", {"stocktake": sid}),
                     5: ("P012-H0003", {"manual": True, "stocktake": sid}),
                     6: ("P012-H0004", {"stocktake": sid}),  # queued before the switch: keeps its stock-take
                     7: ("P012-H0006", None), 8: ("P012-H0001", None)}
    doc = progress_of(db, sid)
    assert (doc["seen"], doc["reads"]) == (5, 6)
    assert progress_of(db, other)["reads"] == 0


def test_a_closed_stock_take_keeps_late_reads_is_no_longer_chosen_and_the_page_says_why(db, handheld, live_server, user_in_browser):
    seed(db)
    with db.transaction() as s:
        sid = sessions.open_stocktake(s, actor="tester", scope=N1)["id"]
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/scan?stocktake={sid}")
    chosen(tab, sid)
    scan(tab, N1)
    waiting(tab, 0)
    with db.transaction() as s:
        sessions.close(s, sid, "tester")
    scan(tab, "P012-H0001")  # the page was open when the stock-take closed: kept, not counted, and said so
    expect(tab.locator("#scan-feedback")).to_have_attribute("data-stocktake", "closed")
    expect(row(tab, 2)).to_have_attribute("data-counts", "closed")
    waiting(tab, 0)
    with db.transaction() as s:
        assert report.reads_after_close(s, sessions.find(s, sid)) == 1
    tab.goto(f"{live_server.url}/scan")  # the choice kept in the browser names a closed stock-take
    chosen(tab, "")
    expect(tab.locator("#scan-stocktake-notice")).to_contain_text(f"#{sid}")
    tab.goto(f"{live_server.url}/scan?stocktake={sid}")
    chosen(tab, "")
    expect(tab.locator("#scan-stocktake-notice")).to_contain_text(str(sid))
    expect(tab.locator(f"#scan-stocktake-choice option[value='{sid}']")).to_have_count(0)

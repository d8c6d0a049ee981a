"""Counting for a stock-take from the handheld scan page, on both databases: the page offers the open
stock-takes (never what they expect), ?stocktake=N chooses one, reads posted with it in their context
are counted by the stock-take's progress, reads naming no stock-take are refused one by one, and reads
arriving after the close are kept but not counted."""

import json
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_stocktake_service import N1, N2, closed, ev, opened, seed
from warehouse.models import Device, ScanEvent
from warehouse.stocktake import progress, report, sessions

DEVICE = "WEB-COUNTER0001"
OPTION = re.compile(r'<option value="(\d*)"[^>]*>([^<]*)</option>')


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def post(client, batch):
    return client.post("/scan/events", json={"events": batch}, headers={"X-CSRFToken": csrf_token(client, "/scan")})


def counted(stocktake: int, **extra) -> dict:
    return {"context": {"stocktake": stocktake, **extra}}


def options(page: str) -> list[tuple[str, str]]:
    chooser = page.split('id="scan-stocktake-choice"', 1)[1].split("</select>", 1)[0]
    return [(value, " ".join(text.split())) for value, text in OPTION.findall(chooser)]


def preselect(page: str) -> str:
    return page.split('data-preselect="', 1)[1].split('"', 1)[0]


def stocktake_of(db, stocktake_id: int):
    with db.transaction() as s:
        st = sessions.find(s, stocktake_id)
        return progress.progress(s, st), progress.scanned(s, st)


def test_the_scan_page_offers_the_open_stock_takes_by_scope_and_none(db, login):
    seed(db)
    shelf = opened(db, scope="K01-D01-G01")["id"]
    blind = opened(db, scope=N2, fonds="P012", blind=True)["id"]
    done = opened(db, fonds="P031")["id"]
    closed(db, done)
    client = login("patrol")  # counters: whoever may scan, without the stock-take pages
    page = client.get("/scan").get_data(as_text=True)
    assert options(page) == [("", "None — day-to-day reads"), (str(blind), f"#{blind} · {N2} Ngăn 2 · P012"),
                             (str(shelf), f"#{shelf} · K01-D01-G01 Giá 1")]
    assert preselect(page) == "" and 'id="scan-stocktake-notice"' not in page
    assert "P012-H000" not in page  # nothing of what is expected, blind or not
    assert f'data-count="/stocktakes/{blind}/count"' in page  # the counters' page of each


def test_scan_with_an_open_stock_take_in_the_address_chooses_it(db, login):
    seed(db)
    sid = opened(db, scope=N1)["id"]
    page = login("warehouse").get(f"/scan?stocktake={sid}").get_data(as_text=True)
    assert preselect(page) == str(sid) and 'id="scan-stocktake-notice"' not in page


@pytest.mark.parametrize("asked, reason", [
    ("closed", "is closed"), ("999", "no stock-take 999"), ("abc", "no stock-take abc"), ("0", "no stock-take 0"),
])
def test_scan_with_a_closed_or_unknown_stock_take_says_why_and_chooses_none(db, login, asked, reason):
    seed(db)
    sid = opened(db, scope=N1)["id"]
    closed(db, sid)
    asked = str(sid) if asked == "closed" else asked
    page = login("warehouse").get(f"/scan?stocktake={asked}").get_data(as_text=True)
    assert preselect(page) == "none"
    notice = page.split('id="scan-stocktake-notice">', 1)[1].split("</p>", 1)[0]
    assert reason in notice and "No stock-take is chosen" in notice


def test_reads_sent_with_the_stock_take_in_their_context_are_counted(db, login):
    seed(db)
    sid = opened(db, scope="K01-D01-G01")["id"]
    client = login("warehouse")
    batch = [{**ev(DEVICE, 1, N1, 0), **counted(sid)}, {**ev(DEVICE, 2, "P012-H0001", 1), **counted(sid)},
             {**ev(DEVICE, 3, "P012-H0002", 2), **counted(sid, manual=True)},  # typed by hand
             ev(DEVICE, 4, "P012-H0003", 3)]  # a day-to-day read: no context
    got = post(client, batch).get_json()
    assert (got["accepted"], got["acked"], got["refused"]) == (4, [1, 2, 3, 4], [])
    doc, scanned = stocktake_of(db, sid)
    assert (doc["seen"], doc["reads"], doc["devices"][0]["device"]) == (2, 3, DEVICE)
    assert {s["shelf"]: s["seen"] for s in doc["shelves"]} == {N1: 2, N2: 0}
    assert (scanned["boxes"], scanned["places"]) == (2, [{"place": N1, "boxes": 2}])
    with db.transaction() as s:
        contexts = dict(s.execute(select(ScanEvent.seq, ScanEvent.context)).all())
    assert json.loads(contexts[3]) == {"manual": True, "stocktake": sid} and contexts[4] is None


def test_a_read_naming_no_stock_take_is_refused_by_itself(db, login):
    seed(db)
    sid = opened(db, scope=N1)["id"]
    client = login("warehouse")
    batch = [{**ev(DEVICE, 1, N1, 0), **counted(sid)}, {**ev(DEVICE, 2, "P012-H0001", 1), **counted(sid + 41)},
             {**ev(DEVICE, 3, "P012-H0002", 2), **counted(sid)}, {**ev(DEVICE, 4, "P012-H0003", 3), **counted(-3)}]
    got = post(client, batch).get_json()
    assert (got["accepted"], got["acked"]) == (2, [1, 3])
    refused = {r["seq"]: (r["line"], r["error"]) for r in got["refused"]}
    assert refused[2] == (2, f"context.stocktake: no stock-take {sid + 41}")
    assert refused[4][0] == 4 and "context.stocktake" in refused[4][1]  # malformed: the events' own check
    with db.transaction() as s:
        assert sorted(s.scalars(select(ScanEvent.seq))) == [1, 3]
        assert s.scalar(select(func.count()).select_from(Device).where(Device.name == DEVICE)) == 1
    doc, _ = stocktake_of(db, sid)
    assert doc["seen"] == 1  # seq 3 placed on N1 by seq 1: the refused read between changed nothing


def test_reads_arriving_after_the_close_are_kept_but_not_counted(db, login):
    seed(db)
    sid = opened(db, scope=N1)["id"]
    client = login("warehouse")
    assert post(client, [{**ev(DEVICE, 1, N1, 0), **counted(sid)},
                         {**ev(DEVICE, 2, "P012-H0001", 1), **counted(sid)}]).get_json()["acked"] == [1, 2]
    result = closed(db, sid)
    late = post(client, [{**ev(DEVICE, 3, "P012-H0002", 2), **counted(sid)}]).get_json()  # queued offline
    assert (late["accepted"], late["acked"], late["refused"]) == (1, [3], [])
    with db.transaction() as s:
        st = sessions.find(s, sid)
        assert report.reads_after_close(s, st) == 1
        assert sessions.result(s, sid) == {**result, "apart": []}  # the close document, and nothing apart
    assert result["found"] == ["P012-H0001"] and "P012-H0002" in result["missing"]


def test_the_lookup_keeps_judging_against_the_home_and_says_whether_the_read_counts(db, login):
    seed(db)
    sid = opened(db, scope=N1)["id"]
    done = opened(db, scope=N2)["id"]
    closed(db, done)
    client = login("warehouse")

    def look(code, stocktake):
        return client.get("/scan/lookup", query_string={"code": code, "place": N1, "stocktake": stocktake}).json

    home, away = look("P012-H0001", sid), look("P012-H0005", sid)  # P012-H0005 belongs on N2
    assert (home["verdict"], away["verdict"], away["home"]) == ("in_place", "misplaced", N2)
    assert home["stocktake"] == {"id": sid, "state": "open", "note": f"counted for stock-take #{sid}"}
    assert look("P012-H0001", done)["stocktake"]["state"] == "closed"
    assert "kept, not counted" in look("P012-H0001", done)["stocktake"]["note"]
    assert look("P012-H0001", 999)["stocktake"]["state"] is None
    assert "stocktake" not in look("P012-H0001", "")


def test_the_counters_page_links_to_the_scan_page_while_the_stock_take_is_open(db, login):
    seed(db)
    sid = opened(db, scope=N1, blind=True)["id"]
    client = login("patrol")
    link = f'href="/scan?stocktake={sid}"'
    assert link in client.get(f"/stocktakes/{sid}/count").get_data(as_text=True)
    closed(db, sid)
    assert link not in client.get(f"/stocktakes/{sid}/count").get_data(as_text=True)
    page = login("warehouse", "chi").get(f"/stocktakes/{opened(db, scope=N2)['id']}").get_data(as_text=True)
    assert 'id="scan-for-stocktake"' in page  # the supervisor's page too

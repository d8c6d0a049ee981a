"""On a 360-px handheld page a scanner types reads: each gets its colour at once; reads made while the
server is away wait in the browser, survive a reload, and are stored exactly once when it is back."""

from playwright.sync_api import expect
from sqlalchemy import select

from tests.integration.test_scan_page import N1, N2, store
from warehouse.models import Device, Location, ScanEvent, User

FAST, SLOW = 5, 120  # ms between keys: a scanner's keystrokes, a person's


def scan(tab, code: str, delay: int = FAST) -> None:
    tab.keyboard.type(code, delay=delay)
    tab.keyboard.press("Enter")


def row(tab, seq: int):
    return tab.locator(f"#scan-recent li[data-seq='{seq}']")


def waiting(tab, n: int) -> None:
    expect(tab.locator("#scan-waiting")).to_have_attribute("data-count", str(n), timeout=20000)


def look(tab) -> tuple[str, str]:
    """The feedback panel's colour and tones, as the person sees and hears them."""
    return tab.evaluate("""() => { const p = document.getElementById('scan-feedback');
        return [getComputedStyle(p).backgroundColor, p.dataset.tone]; }""")


def stored(db) -> list[tuple]:
    """(device, seq, code, context, place) of every stored read, in seq order."""
    query = (select(Device.name, ScanEvent.seq, ScanEvent.code, ScanEvent.context, Location.code)
             .join(Device, Device.id == ScanEvent.device_id)
             .outerjoin(Location, Location.id == ScanEvent.place_id).order_by(Device.name, ScanEvent.seq))
    with db.transaction() as s:
        return [tuple(r) for r in s.execute(query)]


def test_reads_get_their_colours_and_survive_a_server_cut_and_a_reload(db, handheld, live_server,
                                                                       user_in_browser):
    store(db)
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/scan")
    expect(tab.locator("#scan-input")).to_be_focused()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    online = [(N1, "place"), ("P001-H0001", "in_place"), ("P001-H0004", "misplaced"), ("NOPE-77", "unknown"),
              ("K01-C1", "cleared"), ("P001-H0002", "no_place"), ("K01-D01", "coarse")]
    seen = {}
    for seq, (code, verdict) in enumerate(online, start=1):
        scan(tab, code)
        expect(row(tab, seq)).to_have_attribute("data-verdict", verdict)
        expect(tab.locator("#scan-feedback")).to_have_attribute("data-seq", str(seq))
        seen[verdict] = look(tab)
        if verdict == "place":
            expect(tab.locator("#scan-place")).to_have_attribute("data-code", N1)
        if verdict == "misplaced":
            expect(tab.locator("#scan-feedback-text")).to_contain_text(N2)
        waiting(tab, 0)  # the server shares this process: keys typed while it ingests come late
    shown = [seen[v] for v in ("in_place", "misplaced", "unknown", "no_place")]
    assert len({colour for colour, _ in shown}) == 4 and len({tone for _, tone in shown}) == 4
    expect(tab.locator("#scan-place")).to_have_attribute("data-state", "coarse")

    tab.click("#scan-place")  # a tap anywhere gives the focus back to the input
    expect(tab.locator("#scan-input")).to_be_focused()
    scan(tab, "P001-H0003", delay=SLOW)  # typed by a person: kept, marked as typed by hand
    expect(row(tab, 8)).to_have_attribute("data-verdict", "no_place")
    expect(row(tab, 8).locator(".manual")).not_to_be_empty()
    waiting(tab, 0)

    live_server.stop()
    tab.context.set_offline(True)  # a kept-alive connection could still reach the old handler threads
    offline = [N2, "P001-H0004", "P001-H0001", N1, "P001-H0002"]
    for seq, code in enumerate(offline, start=9):
        scan(tab, code)
        expect(row(tab, seq)).to_have_attribute("data-verdict", "queued")
    expect(tab.locator("#scan-place")).to_have_attribute("data-code", N1)  # a label seen before
    waiting(tab, len(offline))
    expect(tab.locator("#scan-net")).to_have_attribute("data-state", "offline")

    tab.route("**/scan/events", lambda route: route.abort())  # back, but the reads cannot get through yet
    live_server.start()
    tab.context.set_offline(False)
    tab.reload()
    waiting(tab, len(offline))
    expect(tab.locator("#scan-place")).to_have_attribute("data-code", N1)
    scan(tab, "P001-H0001")
    expect(row(tab, 14)).to_have_attribute("data-verdict", "in_place")
    waiting(tab, len(offline) + 1)
    tab.unroute("**/scan/events")
    waiting(tab, 0)
    expect(tab.locator("#scan-net")).to_have_attribute("data-state", "online")

    rows = stored(db)
    codes = [code for code, _ in online] + ["P001-H0003"] + offline + ["P001-H0001"]
    assert [r[2] for r in rows] == codes
    assert [r[1] for r in rows] == list(range(1, len(codes) + 1))
    assert len({r[0] for r in rows}) == 1 and rows[0][0].startswith("WEB-")
    assert [r[1] for r in rows if r[3] == '{"manual":true}'] == [8] and all(r[3] is None for r in rows if r[1] != 8)
    places = {r[1]: r[4] for r in rows}
    assert (places[2], places[3], places[6], places[10], places[11], places[13]) == (N1, N1, None, N2, N2, N1)
    with db.transaction() as s:
        owner = s.scalar(select(User.name).join(Device, Device.owner_id == User.id).where(Device.name == rows[0][0]))
    assert owner == "warehouse-user"


def test_a_device_id_taken_by_another_user_is_renewed_and_the_reads_still_stored(db, handheld, live_server,
                                                                                  user_in_browser):
    from warehouse import accounts

    store(db)
    with db.transaction() as s:
        accounts.create_user(s, "minh", "warehouse", "long-enough-1")
        accounts.create_device(s, "WEB-TAKENBYMINH1", "test", owner="minh")
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/scan")
    tab.evaluate("""() => localStorage.setItem('kho.scan.v1.warehouse-user',
                                              JSON.stringify({device: 'WEB-TAKENBYMINH1', seq: 0}))""")
    tab.reload()
    scan(tab, N1)
    tab.keyboard.insert_text("P001-H0001")  # DataWedge may hand over the whole code at once
    tab.keyboard.press("Enter")
    expect(row(tab, 2)).to_have_attribute("data-verdict", "in_place")
    expect(row(tab, 2).locator(".manual")).to_be_empty()
    waiting(tab, 0)
    rows = stored(db)
    assert [(r[1], r[2], r[3]) for r in rows] == [(1, N1, None), (2, "P001-H0001", None)]
    assert rows[0][0] != "WEB-TAKENBYMINH1" and rows[0][0].startswith("WEB-")
    expect(tab.locator("#scan-device")).to_have_text(rows[0][0])

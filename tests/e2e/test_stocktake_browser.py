"""On a 360-px handheld screen a supervisor opens a stock-take of one shelf and watches it: reads posted
by a counting device to /api/v1/scans move the progress bar, the numbers and the rack map; a recount
sets the shelf back; closing from the page shows the frozen result."""

import json
import urllib.request

from playwright.sync_api import expect

from tests.integration.test_stocktake_service import N1, N2, ev, seed
from warehouse import accounts


def post_reads(url: str, token: str, events: list[dict], stocktake: int) -> dict:
    body = json.dumps({"events": [{**e, "context": {"stocktake": stocktake}} for e in events]}).encode()
    request = urllib.request.Request(f"{url}/api/v1/scans", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def cell(tab, shelf: str):
    return tab.locator(f'#rack-map rect[data-shelf="{shelf}"]')


def test_a_shelf_is_counted_on_a_handheld_and_closed_from_the_page(db, handheld, live_server, user_in_browser):
    seed(db)
    with db.transaction() as s:
        token = accounts.issue_token(s, "HH-01", "test")[1]
    tab = user_in_browser(handheld, "warehouse")
    tab.goto(f"{live_server.url}/stocktakes/new")
    tab.select_option("select[name=scope]", "K01-D01-G01")
    tab.click("#open-stocktake button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/stocktakes/*")
    sid = int(tab.url.rstrip("/").rsplit("/", 1)[1])
    expect(tab.locator("#expected")).to_have_text("6")
    expect(tab.locator("#seen")).to_have_text("0")
    assert "c0" in cell(tab, N1).get_attribute("class")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the screen

    post_reads(live_server.url, token, [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P012-H0001", 1),
                                        ev("HH-01", 3, "P012-H0002", 2)], sid)
    expect(tab.locator("#seen")).to_have_text("2", timeout=15000)  # the page polls every 3 s
    expect(cell(tab, N1)).to_have_attribute("class", "cell c2")  # 2 of 4: half
    expect(tab.locator(f'#shelves tr[data-shelf="{N1}"] .seen')).to_have_text("2")
    width = tab.evaluate("document.getElementById('overall-bar').style.width")
    assert width == "33%"

    post_reads(live_server.url, token, [ev("HH-01", 4, "P012-H0003", 3), ev("HH-01", 5, "P012-H0004", 4),
                                        ev("HH-01", 6, N2, 5), ev("HH-01", 7, "P012-H0005", 6)], sid)
    expect(cell(tab, N1)).to_have_attribute("class", "cell c3", timeout=15000)
    expect(tab.locator("#seen")).to_have_text("5")
    expect(tab.locator("#devices tbody tr")).to_have_count(1)

    tab.once("dialog", lambda dialog: dialog.accept())
    tab.locator(f'#shelves tr[data-shelf="{N2}"] form.recount button').click()
    tab.wait_for_load_state()
    expect(tab.locator(".flash.ok")).to_be_visible()
    expect(tab.locator(f'#shelves tr[data-shelf="{N2}"] .seen')).to_have_text("0")

    tab.once("dialog", lambda dialog: dialog.accept())
    tab.click("#close-form button[type=submit]")
    expect(tab.locator("#result-chart")).to_be_visible()
    expect(tab.locator("#missing")).to_contain_text("P012-H0005")  # its read was set aside by the recount
    expect(tab.locator("#missing")).to_contain_text("P012-H0006")
    expect(tab.locator('#result-chart text[data-outcome="found"]')).to_have_text("4")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360

"""The alerts dashboard in a browser: a scan of an unknown code sent through the API appears live (no
reload) in the reader's words (Vietnamese: the catalogue compiled afresh), and is acknowledged from the page."""

import json
import urllib.request

from playwright.sync_api import expect

from tests.integration.register_seed import seed
from tests.integration.test_admin_language import app  # noqa: F401  (the app with the vi catalogue compiled)
from warehouse import accounts
from warehouse.alerts import listing


def _post_scan(url: str, token: str, code: str) -> dict:
    event = {"device": "HH-E2E", "seq": 1, "code": code, "kind": "barcode", "at": "2026-03-01T08:00:00+07:00"}
    request = urllib.request.Request(f"{url}/api/v1/scans", data=json.dumps({"events": [event]}).encode(),
                                     method="POST", headers={"Authorization": f"Bearer {token}",
                                                             "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_an_unknown_code_scanned_appears_live_and_is_acknowledged(app, db, page, live_server,  # noqa: F811
                                                                   user_in_browser):
    seed(db)
    app.config["ALERT_STREAM_POLL_SECONDS"] = 0.2
    with db.transaction() as s:
        _, token = accounts.issue_token(s, "HH-E2E")
    tab = user_in_browser(page, "warehouse")
    tab.goto(f"{live_server.url}/alerts/")
    expect(tab.locator("#live-status")).not_to_have_text("…")
    expect(tab.locator("#alerts tbody tr")).to_have_count(0)
    assert _post_scan(live_server.url, token, "LA-0001")["accepted"] == 1
    row = tab.locator("#alerts tbody tr[data-kind=unknown_code]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("LA-0001")
    expect(row.locator(".alert-kind")).to_have_text("Mã không xác định")  # the page's words, not the key
    expect(row.locator(".alert-state")).to_have_text("đang mở")
    expect(row.locator(".severity-low")).to_have_text("thấp")
    assert tab.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    row.locator("input[name=note]").fill("nhãn lạ, đã thu hồi")
    with tab.expect_navigation():
        row.locator("button.ack").click()
    expect(tab.locator("#alerts tbody tr")).to_have_count(0)
    with db.transaction() as s:
        [alert] = listing.alerts(s)
    assert (alert["code"], alert["state"], alert["acknowledged_by"], alert["acknowledged_note"]) == (
        "LA-0001", "acknowledged", "warehouse-user", "nhãn lạ, đã thu hồi")

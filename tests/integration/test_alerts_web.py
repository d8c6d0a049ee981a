"""The alerts dashboard: lists, filters, acknowledging and resolving through the form, roles, the
server-sent event stream."""

import queue
import threading

from tests.conftest import csrf_token
from tests.integration.register_seed import seed
from warehouse.alerts import listing
from warehouse.scans.ingest import ingest


def _read(seq, code, at="2026-03-01T08:00:00+07:00", device="HH-1", **extra):
    return {"device": device, "seq": seq, "code": code, "kind": "barcode", "at": at, **extra}


def _raise(db, *reads):
    with db.transaction() as s:
        ingest(s, list(reads), actor="t")


def _one(db):
    with db.transaction() as s:
        [alert] = listing.alerts(s)
    return alert


def test_the_dashboard_lists_open_alerts_with_box_link_counts_and_chart(db, login):
    seed(db)
    _raise(db, _read(1, "P012-H0002", location="K01-CONG"), _read(2, "XYZ-999"), _read(3, "XYZ-999"))
    client = login("patrol")
    client.get("/lang/en")  # the words asserted below are the English ones
    html = client.get("/alerts/").get_data(as_text=True)
    assert '<a href="/boxes/P012-H0002">P012-H0002</a>' in html
    assert 'data-kind="unauthorised_exit"' in html and "severity-critical" in html and "XYZ-999" in html
    assert '<div data-kind="unknown_code"><strong>Unknown code</strong><br><span class="count">1</span>' in html
    assert html.count("<rect ") == 31
    filtered = client.get("/alerts/?kind=unknown_code").get_data(as_text=True)
    assert "XYZ-999" in filtered and "P012-H0002</a>" not in filtered


def test_acknowledging_and_resolving_through_the_form_keep_who_and_the_note(db, login):
    seed(db)
    _raise(db, _read(1, "XYZ-999"))
    alert_id = _one(db)["id"]
    client = login("warehouse")
    token = csrf_token(client, "/alerts/")
    assert client.post(f"/alerts/{alert_id}/acknowledge", data={"note": "đang kiểm tra"}).status_code == 400
    answer = client.post(f"/alerts/{alert_id}/acknowledge", data={"note": "đang kiểm tra", "csrf_token": token})
    assert answer.status_code == 302
    alert = _one(db)
    assert (alert["state"], alert["acknowledged_by"], alert["acknowledged_note"]) == (
        "acknowledged", "warehouse-user", "đang kiểm tra")
    client.post(f"/alerts/{alert_id}/resolve", data={"note": "nhãn dán nhầm", "csrf_token": token})
    alert = _one(db)
    assert (alert["state"], alert["resolved_by"], alert["resolved_note"]) == ("resolved", "warehouse-user",
                                                                              "nhãn dán nhầm")
    assert "XYZ-999" not in client.get("/alerts/").get_data(as_text=True)
    assert "nhãn dán nhầm" in client.get("/alerts/?state=resolved").get_data(as_text=True)


def test_an_auditor_sees_alerts_but_may_not_acknowledge_them(db, login):
    seed(db)
    _raise(db, _read(1, "XYZ-999"))
    alert_id = _one(db)["id"]
    client = login("auditor")
    page = client.get("/alerts/").get_data(as_text=True)
    assert "XYZ-999" in page and 'class="alert-decision"' not in page
    token = csrf_token(client, "/alerts/")
    assert client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/alerts/{alert_id}/resolve", data={"csrf_token": token}).status_code == 403
    assert _one(db)["state"] == "open"


def test_acknowledging_a_resolved_alert_is_refused_with_the_reason(db, login):
    seed(db)
    _raise(db, _read(1, "XYZ-999"))
    alert_id = _one(db)["id"]
    client = login("admin")
    token = csrf_token(client, "/alerts/")
    client.post(f"/alerts/{alert_id}/resolve", data={"csrf_token": token})
    page = client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf_token": token}, follow_redirects=True)
    assert f"alert {alert_id} is resolved" in page.get_data(as_text=True)


def _events(response, into: queue.Queue, stop: threading.Event) -> None:
    """Read the stream in a thread: every complete event, as text, until told to stop (then hang up)."""
    buffer = ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            event, buffer = buffer.split("\n\n", 1)
            into.put(event)
        if stop.is_set():
            break
    response.close()


def listen(response) -> tuple[queue.Queue, threading.Event, threading.Thread]:
    """Read the stream in a thread (see _events): the queue of its events, what stops it, the thread."""
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    reader = threading.Thread(target=_events, args=(response, events, stop), daemon=True)
    reader.start()
    return events, stop, reader


def test_the_stream_delivers_an_alert_raised_after_connecting(app, db, login):
    seed(db)
    _raise(db, _read(1, "OLD-1"))
    app.config["ALERT_STREAM_POLL_SECONDS"] = 0.1
    client = login("patrol")
    last = _one(db)["id"]
    response = client.get(f"/alerts/stream?after={last}", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    events, stop, reader = listen(response)
    assert events.get(timeout=10).startswith("retry:")
    _raise(db, _read(2, "NEW-2"))
    while "event: alert" not in (event := events.get(timeout=10)):
        pass
    assert "NEW-2" in event and "OLD-1" not in event and '"unknown_code"' in event
    stop.set()
    reader.join(timeout=10)
    assert not reader.is_alive()


def test_the_stream_needs_a_login(client):
    assert client.get("/alerts/stream").status_code in (302, 401)


def test_an_alert_about_a_box_is_on_its_page_with_who_dealt_with_it(db, login):
    seed(db)
    _raise(db, _read(1, "P012-H0002", location="K01-CONG"))
    alert_id = _one(db)["id"]
    client = login("archivist")
    client.get("/lang/en")  # the words asserted below are the English ones
    client.post(f"/alerts/{alert_id}/acknowledge", data={"note": "xe chở đi số hóa",
                                                         "csrf_token": csrf_token(client, "/alerts/")})
    html = client.get("/boxes/P012-H0002").get_data(as_text=True)
    row = html.split('id="box-alerts"', 1)[1].split(f'<tr data-id="{alert_id}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-kind="unauthorised_exit" data-state="acknowledged"' in row
    assert "<td>Unauthorised exit</td>" in row and "<td>acknowledged</td>" in row and "<td>K01-CONG</td>" in row
    assert "archivist-user: xe chở đi số hóa" in row
    assert 'id="box-alerts"' not in client.get("/boxes/P012-H0001").get_data(as_text=True)

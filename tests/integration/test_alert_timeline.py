"""An alert raised by a scan is on its box's timeline, with its acknowledgement and resolution at their
own times (the service, the box page and `box history --json`), and on the pages in the reader's words:
Vietnamese by default, English on request (the vi catalogue compiled afresh, as test_admin_language does)."""

import json
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import select

from tests.integration.register_seed import seed
from tests.integration.test_admin_language import app  # noqa: F401  (the app with the vi catalogue compiled)
from tests.integration.test_alerts_web import listen
from warehouse.alerts import listing, raising
from warehouse.models import Box
from warehouse.scans.ingest import ingest
from warehouse.tracking import history

HOME, ELSEWHERE, GATE = "K01-D01-G01-N01", "K01-D01-G01-N02", "K01-CONG"


def _read(seq, code, at, location, device="HH-1"):
    return {"device": device, "seq": seq, "code": code, "kind": "barcode", "at": at, "location": location}


def _misplaced_twice_then_dealt_with(db) -> dict:
    """P012-H0001 (home N01) read twice on N02: one misplaced alert, count 2; anna acknowledges it, bao
    resolves it. Returns the alert as listed."""
    seed(db)
    for seq, at in ((1, "2026-03-01T08:00:00+07:00"), (2, "2026-03-01T09:00:00+07:00")):
        with db.transaction() as s:
            ingest(s, [_read(seq, "P012-H0001", at, ELSEWHERE)], actor="t")
    with db.transaction() as s:
        [alert] = listing.alerts(s)
        raising.acknowledge(s, alert["id"], "anna", "đang tìm")
    with db.transaction() as s:
        raising.resolve(s, alert["id"], "bao", "đã đưa về ngăn 1")
    with db.transaction() as s:
        [alert] = listing.alerts(s)
    return alert


def _z(iso: str) -> str:
    """listing's aware ISO time as the timeline writes it (naive UTC and a Z)."""
    return iso.replace("+00:00", "Z")


def test_the_timeline_holds_the_alert_a_scan_raised_and_who_dealt_with_it_when(db):
    alert = _misplaced_twice_then_dealt_with(db)
    with db.reading() as s:
        box = s.scalar(select(Box).where(Box.code == "P012-H0001"))
        timeline = history.box_timeline(s, box, [], True)
    assert [(e.kind, e.place, e.actor, e.ref) for e in timeline] == [
        ("alert.resolved", None, "bao", alert["id"]), ("alert.acknowledged", None, "anna", alert["id"]),
        ("sighting", ELSEWHERE, None, None), ("alert", ELSEWHERE, None, alert["id"]),
        ("sighting", ELSEWHERE, None, None)]
    raised, first_read = timeline[3], timeline[4]
    assert raised.at == first_read.at  # raised by the first read, listed before it (newest first)
    assert raised.detail == {
        "alert": alert["id"], "kind": "misplaced", "severity": "medium", "state": "resolved", "count": 2,
        "message": alert["message"], "last_at": _z(alert["at"]),
        "acknowledged_by": "anna", "acknowledged_at": _z(alert["acknowledged_at"]), "acknowledged_note": "đang tìm",
        "resolved_by": "bao", "resolved_at": _z(alert["resolved_at"]), "resolved_note": "đã đưa về ngăn 1"}
    assert timeline[0].detail == {"alert": alert["id"], "kind": "misplaced", "note": "đã đưa về ngăn 1"}
    assert timeline[1].detail == {"alert": alert["id"], "kind": "misplaced", "note": "đang tìm"}
    assert timeline[0].at.isoformat() + "Z" == _z(alert["resolved_at"])


def test_an_open_alert_has_no_decision_entries_and_another_box_has_no_alert(db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0002", "2026-03-01T08:00:00+07:00", GATE)], actor="t")
    with db.reading() as s:
        boxes = {b.code: b for b in s.scalars(select(Box))}
        gate = history.box_timeline(s, boxes["P012-H0002"], [], True)
        other = history.box_timeline(s, boxes["P012-H0001"], [], True)
    assert [(e.kind, e.place) for e in gate] == [("alert", GATE), ("sighting", None)]  # a gate places no box
    assert {k: gate[0].detail[k] for k in ("kind", "severity", "state", "count")} == {
        "kind": "unauthorised_exit", "severity": "critical", "state": "open", "count": 1}
    assert not {"acknowledged_by", "resolved_by", "last_at"} & set(gate[0].detail)
    assert other == []


def test_box_history_json_lists_the_alert_and_its_decisions(db, runner):
    alert = _misplaced_twice_then_dealt_with(db)
    result = runner.invoke(args=["box", "history", "P012-H0001", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["kind"] for r in rows] == ["alert.resolved", "alert.acknowledged", "sighting", "alert", "sighting"]
    assert (rows[3]["ref"], rows[3]["detail"]["state"], rows[3]["detail"]["resolved_by"]) == (
        alert["id"], "resolved", "bao")
    text = runner.invoke(args=["box", "history", "P012-H0001"]).stdout.splitlines()
    assert text[0].split("\t")[1:4] == [f"alert.resolved #{alert['id']} misplaced", "", "bao"]
    assert text[3].split("\t")[1:3] == [f"alert #{alert['id']} misplaced (resolved)", ELSEWHERE]


def _rows(html: str, kind: str) -> list[str]:
    """The timeline rows of that kind, as HTML."""
    table = html.split('id="timeline"', 1)[1].split("</table>", 1)[0]
    return [part.split("</tr>", 1)[0] for part in table.split(f'<tr data-kind="{kind}"')[1:]]


def test_the_box_page_shows_the_alert_with_its_words_and_a_link_to_it(db, login):
    alert = _misplaced_twice_then_dealt_with(db)
    client = login("archivist")
    html = client.get("/tracking/boxes/P012-H0001").get_data(as_text=True)
    [raised] = _rows(html, "alert")
    link = f'href="/alerts/?state=&amp;kind=misplaced#alert-{alert["id"]}"'
    assert f'data-alert="{alert["id"]}" data-alert-kind="misplaced" data-state="resolved"' in raised
    assert link in raised and "Phát sinh cảnh báo" in raised
    assert "Sai vị trí" in raised and "trung bình" in raised and "đã xử lý" in raised and "Số lần: 2" in raised
    [acknowledged] = _rows(html, "alert.acknowledged")
    assert "Cảnh báo được tiếp nhận" in acknowledged and "anna" in acknowledged and "đang tìm" in acknowledged
    [resolved] = _rows(html, "alert.resolved")
    assert link in resolved and "bao" in resolved and "đã đưa về ngăn 1" in resolved
    client.get("/lang/en")
    html = client.get("/tracking/boxes/P012-H0001").get_data(as_text=True)
    [raised] = _rows(html, "alert")
    assert "Alert raised" in raised and "Misplaced" in raised and "medium" in raised and "resolved" in raised
    assert "Sai vị trí" not in html


def test_the_register_s_box_page_sums_up_its_alerts_in_words_and_leads_to_the_timeline(db, login):
    alert = _misplaced_twice_then_dealt_with(db)
    html = login("archivist").get("/boxes/P012-H0001").get_data(as_text=True)
    section = html.split('id="box-alerts"', 1)[1].split("</section>", 1)[0]
    row = section.split(f'<tr data-id="{alert["id"]}" data-kind="misplaced" data-state="resolved">', 1)[1]
    assert "<td>Sai vị trí</td><td>trung bình</td><td>đã xử lý</td>" in row
    assert "<td>01/03/2026 09:00</td>" in row  # the latest repeat, in the store's time zone
    assert 'href="/tracking/boxes/P012-H0001#timeline"' in section


def _dashboard_alerts(db):
    """Three alerts raised an hour ago (within the chart's 30 days), the misplaced one acknowledged."""
    seed(db)
    at = [(datetime.now(UTC) - timedelta(hours=1, minutes=m)).isoformat() for m in range(3)]
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0001", at[2], ELSEWHERE), _read(2, "P012-H0002", at[1], GATE),
                   _read(3, "XYZ-999", at[0], HOME)], actor="t")
        alerts = {a["kind"]: a["id"] for a in listing.alerts(s)}
        raising.acknowledge(s, alerts["misplaced"], "anna", "")
    return alerts


def _row(html: str, alert_id: int) -> str:
    return html.split(f'<tr id="alert-{alert_id}"', 1)[1].split("</tr>", 1)[0]


def test_the_dashboard_names_kinds_states_and_severities_in_vietnamese_and_in_english(db, login):
    alerts = _dashboard_alerts(db)
    client = login("warehouse")
    html = client.get("/alerts/?state=").get_data(as_text=True)
    gate, unknown, misplaced = (_row(html, alerts[k]) for k in ("unauthorised_exit", "unknown_code", "misplaced"))
    assert 'data-state="open" data-kind="unauthorised_exit"' in gate  # the keys stay data for scripts
    assert '<td class="alert-kind">Ra cổng trái phép</td>' in gate and ">khẩn cấp</span>" in gate
    assert '<td class="alert-state">đang mở</td>' in gate
    assert "Mã không xác định" in unknown and ">thấp</span>" in unknown
    assert "Sai vị trí" in misplaced and "đã tiếp nhận" in misplaced and ">trung bình</span>" in misplaced
    assert '<div data-kind="unauthorised_exit"><strong>Ra cổng trái phép</strong>' in html
    assert '<option value="acknowledged" >đã tiếp nhận</option>' in html
    assert '<option value="scan_conflict" >Xung đột số thứ tự quét</option>' in html
    assert ": 3 cảnh báo</title>" in html  # the chart's bar of the day they were raised
    client.get("/lang/en")
    html = client.get("/alerts/?state=").get_data(as_text=True)
    gate = _row(html, alerts["unauthorised_exit"])
    assert '<td class="alert-kind">Unauthorised exit</td>' in gate and ">critical</span>" in gate
    assert '<td class="alert-state">open</td>' in gate and "acknowledged" in _row(html, alerts["misplaced"])
    assert '<div data-kind="unknown_code"><strong>Unknown code</strong>' in html and ": 3 alerts</title>" in html
    assert "Ra cổng trái phép" not in html


def test_live_rows_carry_the_same_words_as_the_page(app, db, login):  # noqa: F811
    seed(db)
    app.config["ALERT_STREAM_POLL_SECONDS"] = 0.1
    client = login("patrol")
    response = client.get("/alerts/stream?after=0", buffered=False)
    events, stop, reader = listen(response)
    assert events.get(timeout=10).startswith("retry:")
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0002", "2026-03-01T08:00:00+07:00", GATE)], actor="t")
    while "event: alert" not in (event := events.get(timeout=10)):
        pass
    stop.set()
    reader.join(timeout=10)
    row = json.loads(event.split("data: ", 1)[1])
    assert (row["kind"], row["state"], row["severity"]) == ("unauthorised_exit", "open", "critical")
    assert (row["kind_label"], row["state_label"], row["severity_label"]) == (
        "Ra cổng trái phép", "đang mở", "khẩn cấp")
    with app.test_request_context(), force_locale("vi"):
        assert row["message"] and row["message_label"] == gettext(row["message"])

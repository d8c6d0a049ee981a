"""Alerts raised by reads, stock-takes and the sweep; repeats merge; open → acknowledged → resolved."""

import json

import pytest
from sqlalchemy import select

from tests.integration.register_seed import seed
from warehouse import audit
from warehouse.alerts import listing, raising
from warehouse.errors import Refused
from warehouse.models import Alert
from warehouse.scans.ingest import ingest
from warehouse.stocktake.sessions import open_stocktake


def _read(seq, code, at="2026-03-01T08:00:00+07:00", device="HH-1", **extra):
    return {"device": device, "seq": seq, "code": code, "kind": "barcode", "at": at, **extra}


def _alerts(db, **kw):
    with db.transaction() as s:
        return listing.alerts(s, **kw)


def test_an_unknown_code_read_raises_one_alert_and_repeats_merge_into_it(db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "XYZ-999"), _read(2, "XYZ-999", at="2026-03-01T08:05:00+07:00")], actor="t")
    with db.transaction() as s:
        ingest(s, [_read(3, "XYZ-999", at="2026-03-01T09:00:00+07:00")], actor="t")
    [alert] = _alerts(db)
    assert (alert["kind"], alert["code"], alert["count"], alert["state"]) == ("unknown_code", "XYZ-999", 3, "open")
    assert alert["at"].startswith("2026-03-01T02:00")  # the latest repeat, in UTC


def test_a_box_read_on_another_shelf_is_misplaced_and_at_home_is_not(db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "K01-D01-G01-N01"), _read(2, "P012-H0001"),   # at home
                   _read(3, "K01-D01-G01-N03"), _read(4, "P012-H0003")], actor="t")  # home is N02
    [alert] = _alerts(db)
    assert (alert["kind"], alert["box"], alert["location"]) == ("misplaced", "P012-H0003", "K01-D01-G01-N03")


def test_a_box_read_at_a_gate_without_transfer_or_checkout_is_an_unauthorised_exit(db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0002", location="K01-CONG")], actor="gate-reader")
    [alert] = _alerts(db)
    assert (alert["kind"], alert["severity"], alert["box"], alert["location"]) == (
        "unauthorised_exit", "critical", "P012-H0002", "K01-CONG")


def test_reads_of_a_stocktake_wait_for_its_closing(db):
    seed(db)
    with db.transaction() as s:
        sid = open_stocktake(s, actor="t", scope="K01")["id"]
        ingest(s, [_read(1, "XYZ-999")], actor="t", stocktake=sid)
    assert _alerts(db) == []


def test_a_scan_conflict_is_alerted_once_by_the_sweep(db):
    from datetime import UTC, datetime

    from warehouse.alerts.sweep import sweep

    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0001")], actor="t")
        ingest(s, [_read(1, "P012-H0002")], actor="t")  # same (device, seq), other code
    for _ in range(2):
        with db.transaction() as s:
            sweep(s, datetime.now(UTC))
    [alert] = _alerts(db, kind="scan_conflict")
    assert (alert["code"], alert["count"]) == ("HH-1#1", 1)


def test_acknowledge_then_resolve_keeps_the_alert_and_a_new_repeat_opens_a_new_one(db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "XYZ-999")], actor="t")
    [first] = _alerts(db)
    with db.transaction() as s:
        raising.acknowledge(s, first["id"], "lan", "checking the shelf")
    with db.transaction() as s, pytest.raises(Refused):
        raising.acknowledge(s, first["id"], "lan")
    with db.transaction() as s:
        ingest(s, [_read(2, "XYZ-999")], actor="t")  # still live: merges
        raising.resolve(s, first["id"], "minh", "a test label, thrown away")
    with db.transaction() as s:
        ingest(s, [_read(3, "XYZ-999")], actor="t")
    alerts = _alerts(db)
    assert [(a["state"], a["count"]) for a in sorted(alerts, key=lambda a: a["id"])] == [("resolved", 2), ("open", 1)]
    old = next(a for a in alerts if a["state"] == "resolved")
    assert (old["acknowledged_by"], old["acknowledged_note"], old["resolved_by"]) == (
        "lan", "checking the shelf", "minh")
    with db.transaction() as s:
        actions = s.scalars(select(audit.AuditEntry.action).where(audit.AuditEntry.target == f"alert:{old['id']}"))
        assert list(actions) == ["alert.acknowledge", "alert.resolve"]
        assert audit.verify(s).ok


def test_cli_lists_alerts_as_the_contract_says(db, runner):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "XYZ-999")], actor="t")
        alert_id = s.scalar(select(Alert.id))
    result = runner.invoke(args=["alerts", "list", "--state", "open", "--json"])
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.stdout)
    assert {k: doc[k] for k in ("id", "kind", "severity", "state", "box", "code", "location")} == {
        "id": alert_id, "kind": "unknown_code", "severity": "low", "state": "open", "box": None,
        "code": "XYZ-999", "location": None}
    assert runner.invoke(args=["alerts", "ack", str(alert_id), "--note", "seen"]).exit_code == 0
    assert json.loads(runner.invoke(args=["alerts", "list", "--state", "open", "--json"]).stdout) == []
    bad = runner.invoke(args=["alerts", "sweep", "--now", "yesterday"])
    assert bad.exit_code == 1 and "not an ISO 8601 time" in bad.stderr

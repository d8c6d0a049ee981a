"""Device states: the readers service on both databases, and the scanners page that shows them."""

from datetime import UTC, datetime, timedelta

from warehouse import readers
from warehouse.scans.ingest import ingest


def state(name, **kw):
    return {"name": name, "url": f"serial:///dev/{name}?suffix=CR", "state": "connected",
            "last_read_at": datetime(2026, 3, 1, 8, 15, 2, tzinfo=UTC), "reads_per_minute": 12,
            "errors": 0, "last_error": None, **kw}


def test_a_report_is_kept_once_per_device_and_replaced_by_the_next(db):
    with db.transaction() as s:
        readers.record(s, [state("HH-01"), state("HH-02", state="error", errors=3,
                                                  last_error="cannot open /dev/ttyACM1")], "pc-kho")
    with db.transaction() as s:
        readers.record(s, [state("HH-01", reads_per_minute=40, last_read_at=None)], "pc-kho")
    with db.reading() as s:
        rows = readers.listing(s)
    assert [r["name"] for r in rows] == ["HH-01", "HH-02"]
    first, second = rows
    assert first["reads_per_minute"] == 40 and first["host"] == "pc-kho"
    assert first["last_read_at"] == datetime(2026, 3, 1, 8, 15, 2, tzinfo=UTC)  # kept, not erased
    assert second["state"] == "error" and second["errors"] == 3
    assert second["last_error"] == "cannot open /dev/ttyACM1"
    assert not first["stale"]


def test_a_device_whose_daemon_stopped_reporting_is_stale(db):
    with db.transaction() as s:
        readers.record(s, [state("HH-01")])
    with db.reading() as s:
        assert readers.listing(s, now=datetime.now(UTC) + timedelta(minutes=5))[0]["stale"]


def test_a_password_in_a_url_is_not_shown(db):
    with db.transaction() as s:
        readers.record(s, [state("R1", url="serial:rfc2217://kho:secret@10.0.0.7:4001")])
    with db.reading() as s:
        assert readers.listing(s)[0]["url"] == "serial:rfc2217://***@10.0.0.7:4001"


def test_the_last_seq_of_a_device_comes_from_its_stored_reads(db):
    with db.transaction() as s:
        assert readers.last_seq(s, "HH-01") is None
        ingest(s, [{"device": "HH-01", "seq": n, "code": "P012-H0001", "kind": "barcode",
                    "at": "2026-03-01T08:15:02+07:00"} for n in (3, 17, 9)], actor="test")
    with db.reading() as s:
        assert readers.last_seq(s, "HH-01") == 17
        assert readers.last_seq(s, "HH-02") is None


def test_the_page_shows_each_scanner_with_its_state(db, login):
    with db.transaction() as s:
        readers.record(s, [state("HH-01"), state("HH-02", state="error", errors=2,
                                                  last_error="lost /dev/ttyACM1")])
    client = login("warehouse")
    html = client.get("/scanners").get_data(as_text=True)
    assert 'data-scanner="HH-01" data-state="connected"' in html
    assert 'data-scanner="HH-02" data-state="error"' in html
    assert "lost /dev/ttyACM1" in html
    assert "js/scanners.js" in html
    rows = client.get("/scanners/rows").get_data(as_text=True)
    assert "<html" not in rows and 'data-scanner="HH-02"' in rows


def test_the_page_says_when_nothing_has_reported(login):
    html = login("admin").get("/scanners").get_data(as_text=True)
    assert 'data-scanner="' not in html and "[[SCANNERS]]" in html


def test_roles_without_the_devices_permission_are_refused(login, client):
    assert login("patrol").get("/scanners").status_code == 403
    assert login("auditor").get("/scanners/rows").status_code == 403

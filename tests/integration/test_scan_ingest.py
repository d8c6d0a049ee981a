"""The ingest service on both databases: every accepted read stored once, interpreted, audited."""

import json
from datetime import datetime, timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from warehouse import audit
from warehouse.models import AuditEntry, Box, Device, Fonds, Location, ScanConflict, ScanEvent
from warehouse.scans import giai96
from warehouse.scans.events import check
from warehouse.scans.ingest import ScanRules, canonical, digest, ingest
from warehouse.stocktake.sessions import open_stocktake

RULES = ScanRules(timedelta(seconds=30), "8930000")
T0 = datetime(2026, 3, 1, 8, 0, 0)
SHELVES = ("K01-D01-G01-N1", "K01-D01-G01-N2")


def build_world(db, boxes: int = 10) -> dict:
    """A store K01 with a row, a rack, two shelves, a gate and a checkpoint; fonds P001 with boxes."""
    with db.transaction() as s:
        fonds = Fonds(code="P001", name="UBND", name_key="ubnd")
        s.add(fonds)
        parent, ids = None, {}
        for code, kind in (("K01", "kho"), ("K01-D01", "day"), ("K01-D01-G01", "gia")):
            parent = Location(code=code, name=code, kind=kind, parent=parent, path=f"/{code}/")
            s.add(parent)
            ids[code] = parent
        for code, kind, above in ((SHELVES[0], "ngan", "K01-D01-G01"), (SHELVES[1], "ngan", "K01-D01-G01"),
                                  ("K01-C1", "cong", "K01"), ("K01-DIEM1", "diem", "K01")):
            ids[code] = Location(code=code, name=code, kind=kind, parent=ids[above], path=f"/{code}/")
            s.add(ids[code])
        s.flush()
        s.add_all(Box(code=f"P001-H{n:04d}", fonds=fonds, number=n, home_id=ids[SHELVES[0]].id,
                      epc="E2801160600002084A5DE1C5" if n == 3 else None) for n in range(1, boxes + 1))
        s.flush()
        return {code: loc.id for code, loc in ids.items()} | {
            code: id_ for code, id_ in s.execute(select(Box.code, Box.id))}


def read(seq, code, *, device="HH-01", kind="barcode", second=None, **extra):
    at = T0 + timedelta(seconds=seq if second is None else second)
    return {"device": device, "seq": seq, "code": code, "kind": kind, "at": at.isoformat() + "+07:00", **extra}


def run(db, events, **kw):
    with db.transaction() as s:
        return ingest(s, events, actor="test", rules=RULES, **kw)


def stored(db, device="HH-01"):
    """seq → (reading, box code, place code, sighting) of a device's stored events."""
    place, box = Location.__table__.alias(), Box.__table__.alias()
    query = (select(ScanEvent.seq, ScanEvent.reading, box.c.code, place.c.code, ScanEvent.sighting)
             .join(Device, Device.id == ScanEvent.device_id).outerjoin(box, box.c.id == ScanEvent.box_id)
             .outerjoin(place, place.c.id == ScanEvent.place_id).where(Device.name == device)
             .order_by(ScanEvent.seq))
    with db.transaction() as s:
        return {seq: (reading, b, p, bool(sighting)) for seq, reading, b, p, sighting in s.execute(query)}


def test_a_batch_sent_twice_is_stored_once_and_counted_as_duplicates_the_second_time(db):
    build_world(db)
    batch = [read(1, SHELVES[0]), read(2, "P001-H0001"), read(3, "P001-H0002"), read(2, "P001-H0001")]
    first = run(db, batch)
    assert (first.accepted, first.duplicates, first.refused) == (3, 1, [])
    second = run(db, batch)
    assert (second.accepted, second.duplicates, second.refused) == (0, 4, [])
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 3


def test_a_reused_seq_with_other_content_is_refused_as_a_conflict_and_recorded(db):
    build_world(db)
    run(db, [read(1, "P001-H0001")])
    result = run(db, [read(1, "P001-H0002"), read(2, "P001-H0003"), read(2, "P001-H0004")])
    assert result.accepted == 1 and result.duplicates == 0
    assert [(r["device"], r["seq"], r["line"]) for r in result.refused] == [("HH-01", 1, 1), ("HH-01", 2, 3)]
    assert all(r["error"].startswith("conflict: ") and "code" in r["error"] for r in result.refused)
    with db.transaction() as s:
        conflicts = s.execute(select(ScanConflict.seq, ScanConflict.stored, ScanConflict.sent)
                              .order_by(ScanConflict.seq)).all()
    assert [(seq, json.loads(a)["code"], json.loads(b)["code"]) for seq, a, b in conflicts] == [
        (1, "P001-H0001", "P001-H0002"), (2, "P001-H0003", "P001-H0004")]
    assert stored(db)[1][1] == "P001-H0001"


def test_malformed_events_are_refused_with_their_place_in_the_batch_and_the_rest_kept(db):
    build_world(db)
    result = run(db, [read(1, "P001-H0001"), {"device": "HH-01", "seq": 2, "code": "X", "kind": "qr",
                                                "at": "2026-03-01T08:00:00+07:00"},
                      {"seq": 3}, read(4, "nothex", kind="rfid"), read(5, "P001-H0002", at="08:00")])
    assert result.accepted == 1
    assert [(r["line"], r["device"], r["seq"]) for r in result.refused] == [
        (2, "HH-01", 2), (3, None, 3), (4, "HH-01", 4), (5, "HH-01", 5)]


def test_box_reads_become_sightings_at_the_shelf_the_device_read_last(db):
    build_world(db)
    run(db, [read(1, SHELVES[0]), read(2, "P001-H0001"), read(3, SHELVES[1]), read(4, "P001-H0002"),
             read(5, "K01-D01"), read(6, "P001-H0003"), read(7, "K01-D01-G01"), read(8, "P001-H0004")])
    got = stored(db)
    assert got[2] == ("box", "P001-H0001", SHELVES[0], True)
    assert got[4] == ("box", "P001-H0002", SHELVES[1], True)
    assert got[6] == ("box", "P001-H0003", None, True)  # a rack row is too coarse
    assert got[8] == ("box", "P001-H0004", "K01-D01-G01", True)  # a rack is fine enough
    assert got[1] == ("place", None, None, False)


def test_the_devices_place_carries_over_to_its_next_batch_and_a_gate_clears_it(db):
    build_world(db)
    run(db, [read(1, SHELVES[1])])
    run(db, [read(2, "P001-H0001"), read(3, "K01-C1")])
    run(db, [read(4, "P001-H0002"), read(5, SHELVES[0]), read(6, "K01-DIEM1"), read(7, "P001-H0003")])
    got = stored(db)
    assert got[2][2] == SHELVES[1] and got[4][2] is None and got[7][2] is None
    assert got[3][0] == "gate" and got[6][0] == "checkpoint"


def test_an_explicit_location_places_the_read_but_a_gate_there_is_an_unknown_place(db):
    build_world(db)
    run(db, [read(1, SHELVES[0]), read(2, "P001-H0001", location=SHELVES[1]),
             read(3, "P001-H0002", location="K01-C1"), read(4, "P001-H0003", location="K99-NOWHERE"),
             read(5, "P001-H0004")])
    got = stored(db)
    assert [got[n][2] for n in (2, 3, 4, 5)] == [SHELVES[1], None, None, SHELVES[0]]


def test_rfid_rereads_collapse_into_one_sighting_even_across_batches_yet_every_event_is_kept(db):
    build_world(db)
    tag = giai96.box_to_epc("P001", 5, RULES.company_prefix)
    first = run(db, [read(1, tag, kind="rfid", location=SHELVES[0]), read(2, tag, kind="rfid", location=SHELVES[0])])
    second = run(db, [read(3, tag.lower(), kind="rfid", location=SHELVES[0], second=20),
                      read(4, tag, kind="rfid", location=SHELVES[0], second=45)])
    assert (first.accepted, first.sightings, second.accepted, second.sightings) == (2, 1, 2, 1)
    got = stored(db)
    assert [got[n][3] for n in (1, 2, 3, 4)] == [True, False, False, True]
    assert {got[n][1] for n in got} == {"P001-H0005"}


def test_an_epc_stored_on_a_box_is_matched_whatever_its_case(db):
    build_world(db)
    result = run(db, [read(1, "e2801160600002084a5de1c5", kind="rfid")])
    assert result.unknown == [] and stored(db)[1][1] == "P001-H0003"


def test_unknown_codes_are_kept_as_read_and_reported_once(db):
    build_world(db)
    result = run(db, [read(1, "p999-h0001"), read(2, "E2801160600002084A5DE1C9", kind="rfid"),
                      read(3, "p999-h0001")])
    assert result.accepted == 3 and result.unknown == ["p999-h0001", "E2801160600002084A5DE1C9"]
    with db.transaction() as s:
        assert s.scalars(select(ScanEvent.code).where(ScanEvent.reading == "unknown")
                         .order_by(ScanEvent.seq)).all() == ["p999-h0001", "E2801160600002084A5DE1C9", "p999-h0001"]


def test_devices_seen_for_the_first_time_are_registered_and_audited(db):
    build_world(db)
    run(db, [read(1, "P001-H0001", device="RF-09"), read(1, "P001-H0001", device="HH-02")])
    with db.transaction() as s:
        assert set(s.scalars(select(Device.name))) == {"RF-09", "HH-02"}
        assert set(s.scalars(select(AuditEntry.target).where(AuditEntry.action == "device.register"))) == {
            "device:RF-09", "device:HH-02"}


def test_each_batch_leaves_one_audit_entry_whose_digest_matches_the_stored_events(db):
    build_world(db)
    batch = [read(n, f"P001-H{n:04d}") for n in range(1, 6)]
    result = run(db, batch)
    run(db, batch)  # all duplicates: nothing changed, nothing to audit
    with db.transaction() as s:
        entries = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "scans.ingest")).scalars().all()
        assert audit.verify(s).ok
    assert len(entries) == 1
    detail = json.loads(entries[0])
    assert detail["accepted"] == 5 and detail["digest"] == result.digests[0]
    assert detail["digest"] == digest([canonical(check(e, 1)) for e in reversed(batch)])


def open_stocktakes(db, n: int) -> list[int]:
    with db.transaction() as s:
        return [open_stocktake(s, actor="t", scope="K01")["id"] for _ in range(n)]


def test_a_stocktake_id_is_kept_in_the_context_of_events_without_one(db):
    build_world(db)
    one, two = open_stocktakes(db, 2)
    run(db, [read(1, "P001-H0001"), read(2, "P001-H0002", context={"stocktake": two})], stocktake=one)
    with db.transaction() as s:
        rows = s.execute(select(ScanEvent.seq, ScanEvent.stocktake, ScanEvent.context).order_by(ScanEvent.seq)).all()
    assert [(seq, st, json.loads(c)) for seq, st, c in rows] == [
        (1, one, {"stocktake": one}), (2, two, {"stocktake": two})]


def test_a_read_naming_a_stocktake_that_does_not_exist_is_refused_by_itself(db):
    build_world(db)
    [real] = open_stocktakes(db, 1)
    result = run(db, [read(1, SHELVES[0]), read(2, "P001-H0001", context={"stocktake": real + 5}),
                      read(3, "P001-H0002", context={"stocktake": real}), read(4, "P001-H0003")])
    assert result.accepted == 3
    assert result.refused == [{"device": "HH-01", "seq": 2, "line": 2,
                               "error": f"context.stocktake: no stock-take {real + 5}"}]
    assert sorted(stored(db)) == [1, 3, 4]
    assert run(db, [read(2, "P001-H0001", context={"stocktake": real})]).accepted == 1  # sent again, rightly


def _mixed(first: int, count: int) -> list[dict]:
    """Shelf labels, box codes, Kho RFID tags and an unknown code, seq from `first`."""
    batch = []
    for n in range(first, first + count):
        if n % 25 == 0:
            batch.append(read(n, SHELVES[n // 25 % 2]))
        elif n % 7 == 0:
            batch.append(read(n, giai96.box_to_epc("P001", n % 200 + 1, RULES.company_prefix), kind="rfid"))
        else:
            batch.append(read(n, f"P001-H{n % 200 + 1:04d}" if n % 50 != 1 else "UNKNOWN-1"))
    return batch


def _statements(db, batch) -> tuple[list[str], object]:
    statements = []

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = run(db, batch)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return statements, result


def test_a_batch_of_5000_reads_is_a_handful_of_statements(db):
    build_world(db, boxes=200)
    run(db, [read(-1, "P001-H0001")])  # the device is known, the audit trail started
    small, _ = _statements(db, _mixed(0, 300))
    big, result = _statements(db, _mixed(10_000, 5000))
    assert result.accepted == 5000 and result.sightings > 4000 and result.unknown == ["UNKNOWN-1"]
    assert len(big) == len(small) <= 32, big  # hooks (tracking, alerts) included


def _stream(n: int) -> list[tuple]:
    """A realistic device stream: shelf labels, box reads, RFID re-reads, a gate, unknown codes."""
    tag = giai96.box_to_epc("P001", 4, RULES.company_prefix)
    pattern = [(SHELVES[0], "barcode"), ("P001-H0001", "barcode"), (tag, "rfid"), (tag, "rfid"),
               ("P001-H0002", "barcode"), ("K01-C1", "barcode"), ("P001-H0003", "barcode"),
               (SHELVES[1], "barcode"), (tag, "rfid"), ("NOPE", "barcode"), ("P001-H0005", "barcode")]
    return [pattern[i % len(pattern)] for i in range(n)]


def test_reads_arriving_late_are_interpreted_as_if_they_had_come_in_order(db):
    import random

    build_world(db)
    stream = _stream(66)
    for device in ("IN-ORDER", "SHUFFLED"):
        batches = [[read(seq, code, kind=kind, device=device, second=seq * 7)
                    for seq, (code, kind) in enumerate(stream[i:i + 6], start=i + 1)]
                   for i in range(0, len(stream), 6)]
        if device == "SHUFFLED":
            random.Random(3).shuffle(batches)
        for batch in batches:
            assert run(db, batch).accepted == len(batch)
    assert stored(db, "SHUFFLED") == stored(db, "IN-ORDER")
    assert {v[2] for v in stored(db, "IN-ORDER").values()} == {None, *SHELVES}


def test_two_writers_at_once_neither_lose_nor_double_an_event(db):
    import threading

    from warehouse.scans.ingest import StoredMeanwhile

    build_world(db)
    stream = _stream(400)
    events = [read(seq, code, kind=kind, device=f"HH-0{seq % 3}") for seq, (code, kind) in enumerate(stream)]
    totals, errors = [], []

    def writer(part):
        try:
            for start in range(0, len(part), 50):
                while True:
                    try:
                        totals.append(run(db, part[start:start + 50]))
                        break
                    except StoredMeanwhile:
                        continue
        except Exception as e:  # noqa: BLE001 — reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(events[:300],)),
               threading.Thread(target=writer, args=(events[100:],))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(t.accepted for t in totals) == 400 and sum(t.duplicates for t in totals) == 200
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 400
        assert audit.verify(s).ok


def test_a_batch_listing_a_devices_reads_out_of_order_is_interpreted_in_seq_order(db):
    build_world(db)
    run(db, [read(4, "P001-H0002"), read(3, SHELVES[1]), read(2, "P001-H0001"), read(1, SHELVES[0])])
    got = stored(db)
    assert (got[2][2], got[4][2]) == (SHELVES[0], SHELVES[1])

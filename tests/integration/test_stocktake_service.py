"""Stock-take sessions on both databases: the expected set frozen at opening, reads by context from
several devices and batches, the frozen result per box, recounts, audit, progress and comparison."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from warehouse import audit, boxes, fonds, locations
from warehouse.errors import NotFound, Refused
from warehouse.models import AuditEntry, Box, Location, Stocktake, StocktakeBox, StocktakeResult
from warehouse.scans.ingest import ingest
from warehouse.stocktake import compare, progress, sessions

T0 = datetime(2025, 6, 2, 8, 0, 0, tzinfo=UTC)
PLACES = [  # code, name, kind, parent
    ("K01", "Kho lưu trữ lịch sử tỉnh - Kho 1", "kho", None), ("K01-D01", "Dãy 1", "day", "K01"),
    ("K01-D01-G01", "Giá 1", "gia", "K01-D01"), ("K01-D01-G01-N1", "Ngăn 1", "ngan", "K01-D01-G01"),
    ("K01-D01-G01-N2", "Ngăn 2", "ngan", "K01-D01-G01"), ("K01-D01-G02", "Giá 2", "gia", "K01-D01"),
    ("K01-D01-G02-N1", "Ngăn 1", "ngan", "K01-D01-G02"), ("K01-C01", "Cổng chính", "cong", "K01"),
    ("K01-DK1", "Điểm kiểm tra 1", "diem", "K01"), ("K02", "Kho 2", "kho", None),
    ("K02-D01", "Dãy 1", "day", "K02"), ("K02-D01-G01", "Giá 1", "gia", "K02-D01"),
    ("K02-D01-G01-N1", "Ngăn 1", "ngan", "K02-D01-G01"),
]
N1, N2, G2N1, K2N1 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G02-N1", "K02-D01-G01-N1"
EPC4 = "3034257BF7194E4000000004"
BOXES = [  # fonds, number, home, epc
    ("P012", 1, N1, ""), ("P012", 2, N1, ""), ("P012", 3, N1, ""), ("P012", 4, N1, EPC4),
    ("P012", 5, N2, ""), ("P012", 6, N2, ""), ("P031", 1, G2N1, ""), ("P031", 2, K2N1, ""),
    ("P012", 7, N1, ""),  # retired below: emptied by a merge, out of stock
]


def seed(db) -> None:
    """Two stores, three shelves in scope K01, a gate and a checkpoint, two fonds, nine boxes."""
    with db.transaction() as s:
        for code, name, kind, parent in PLACES:
            locations.create_location(s, "test", code, name, kind, parent)
        fonds.create_fonds(s, "test", "P012", "UBND huyện Văn Yên")
        fonds.create_fonds(s, "test", "P031", "Sở Nội vụ tỉnh")
        for code, number, home, epc in BOXES:
            boxes.create_box(s, "test", code, number, epc=epc, home=home)
        s.execute(update(Box).where(Box.code == "P012-H0007").values(retired_at=T0))


def ev(device: str, seq: int, code: str, second: int, **extra) -> dict:
    event = {"device": device, "seq": seq, "code": code, "kind": extra.pop("kind", "barcode"),
             "at": (T0 + timedelta(seconds=second)).astimezone(UTC).isoformat()}
    event.update(extra)
    return event


def send(db, events: list[dict], stocktake: int | None = None) -> dict:
    with db.transaction() as s:
        return ingest(s, events, actor="test", stocktake=stocktake).to_json()


def opened(db, **kw) -> dict:
    with db.transaction() as s:
        return sessions.open_stocktake(s, actor="tester", **kw)


def closed(db, stocktake_id: int) -> dict:
    with db.transaction() as s:
        return sessions.close(s, stocktake_id, "tester")


def count_of(db, model) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_the_expected_set_is_the_boxes_in_stock_homed_inside_the_scope(db):
    seed(db)
    assert opened(db, scope="K01")["expected"] == 7  # not the retired box, not the box in K02
    assert opened(db, scope="K01-D01-G01")["expected"] == 6
    assert opened(db, scope=N2)["expected"] == 2
    assert opened(db, fonds="P031")["expected"] == 2  # a fonds alone: wherever its boxes are
    assert opened(db, scope="K01", fonds="P031")["expected"] == 1


def test_moves_after_opening_change_nothing_in_the_expected_set(db):
    seed(db)
    doc = opened(db, scope=N1)
    with db.transaction() as s:
        boxes.update_box(s, "test", "P012-H0001", new_code="P012-H0001", number=1, epc="", home=K2N1,
                         condition="good", condition_note="")
        boxes.update_box(s, "test", "P012-H0005", new_code="P012-H0005", number=5, epc="", home=N1,
                         condition="good", condition_note="")
    send(db, [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P012-H0001", 1), ev("HH-01", 3, "P012-H0005", 2)], doc["id"])
    result = closed(db, doc["id"])
    assert "P012-H0001" in result["found"]  # still expected, at its home as frozen
    assert "P012-H0005" in result["unexpected"]  # moved in after opening: not expected


@pytest.mark.parametrize("kw, error", [
    ({}, Refused), ({"scope": "K09"}, NotFound), ({"fonds": "P999"}, NotFound),
    ({"scope": "K01-C01"}, Refused), ({"scope": "K01-DK1", "fonds": "P012"}, Refused),
])
def test_a_stock_take_without_a_good_scope_or_fonds_is_refused_and_nothing_saved(db, kw, error):
    seed(db)
    with pytest.raises(error):
        opened(db, **kw)
    assert count_of(db, Stocktake) == 0 and count_of(db, StocktakeBox) == 0


def counting(db) -> int:
    """A stock-take of K01 counted by two handhelds and an RFID reader, in several batches."""
    seed(db)
    sid = opened(db, scope="K01")["id"]
    send(db, [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P012-H0001", 1), ev("HH-01", 3, "P012-H0002", 2),
              ev("HH-01", 4, "K01-D01-G02", 3), ev("HH-01", 5, "P012-H0005", 4),  # at another rack
              ev("HH-01", 6, "K01-C01", 5), ev("HH-01", 7, "P012-H0006", 6),  # after the gate: nowhere
              ev("HH-01", 8, "P999-H0001", 7), ev("HH-01", 9, "P031-H0002", 8)], sid)  # unknown, outside
    send(db, [{**ev("RF-01", 1, EPC4, 10, kind="rfid", location="K01-D01-G01"), "context": {"stocktake": sid}},
              {**ev("HH-02", 1, "K01-D01-G02", 11), "context": {"stocktake": sid}}])
    send(db, [ev("HH-02", 3, "K01-DK1", 13), ev("HH-02", 2, "P031-H0001", 12)], sid)  # out of order
    return sid


def test_closing_decides_every_expected_box_from_its_last_located_read(db):
    sid = counting(db)
    result = closed(db, sid)
    assert result["found"] == ["P012-H0001", "P012-H0002", "P012-H0004", "P031-H0001"]
    assert result["misplaced"] == [{"box": "P012-H0005", "expected": N2, "found": "K01-D01-G02"}]
    assert result["unlocated"] == ["P012-H0006"]
    assert result["missing"] == ["P012-H0003"]
    assert result["unexpected"] == ["P031-H0002", "P999-H0001"]  # labels, gate, checkpoint are not


def test_the_result_is_frozen_per_box_and_later_reads_change_nothing(db):
    sid = counting(db)
    result = closed(db, sid)
    with db.transaction() as s:
        kept = s.scalars(select(StocktakeResult).where(StocktakeResult.stocktake_id == sid)).all()
        rows = {r.code: r.outcome for r in kept}
        seen = next(r for r in kept if r.code == "P012-H0005")
        at = seen.seen_at if seen.seen_at.tzinfo else seen.seen_at.replace(tzinfo=UTC)
        assert (at, seen.seq, seen.expected_id is not None, seen.found_id is not None) == (
            T0 + timedelta(seconds=4), 5, True, True)  # the deciding read, for box histories
        st = s.get(Stocktake, sid)
        assert (st.state, st.found, st.missing, st.misplaced, st.unlocated, st.unexpected) == (
            "closed", 4, 1, 1, 1, 2)
    assert rows["P012-H0003"] == "missing" and rows["P999-H0001"] == "unexpected" and len(rows) == 9
    late = send(db, [ev("HH-03", 1, N1, 99), ev("HH-03", 2, "P012-H0003", 100)], sid)
    assert late["accepted"] == 2  # the pipeline never loses reads
    with db.transaction() as s:
        assert sessions.result(s, sid) == {**result, "apart": []}  # nothing was held away at opening
    with pytest.raises(Refused):
        closed(db, sid)


def test_reads_belong_by_context_whatever_their_time(db):
    seed(db)
    sid = opened(db, scope=N2)["id"]
    years_ago = {"device": "HH-01", "seq": 1, "code": N2, "kind": "barcode", "at": "2019-01-01T00:00:00+07:00"}
    send(db, [years_ago, {**years_ago, "seq": 2, "code": "P012-H0005"}], sid)
    send(db, [ev("HH-01", 3, "P012-H0006", 1)])  # no context: not this stock-take's
    result = closed(db, sid)
    assert (result["found"], result["missing"]) == (["P012-H0005"], ["P012-H0006"])


def test_a_recount_sets_aside_the_earlier_reads_of_its_shelf(db):
    sid = counting(db)
    with db.transaction() as s:
        order = sessions.order_recount(s, sid, N1, "supervisor")
    assert order["set_aside"] == 2  # P012-H0001 and -H0002; the RFID read was placed at the rack
    send(db, [ev("HH-02", 10, N1, 60), ev("HH-02", 11, "P012-H0002", 61)], sid)
    result = closed(db, sid)
    assert "P012-H0001" in result["missing"] and "P012-H0002" in result["found"]
    assert "P012-H0004" in result["found"]  # read at the rack, not on the recounted shelf: kept


def test_a_recount_is_of_a_shelf_in_the_scope_of_an_open_stock_take(db):
    sid = counting(db)
    with db.transaction() as s:
        for shelf in ("K01-D01-G01", K2N1, "K99"):
            with pytest.raises((Refused, NotFound)):
                sessions.order_recount(s, sid, shelf, "supervisor")
    closed(db, sid)
    with db.transaction() as s, pytest.raises(Refused):
        sessions.order_recount(s, sid, N1, "supervisor")


def test_open_recount_and_close_are_audited_and_the_chain_holds(db):
    sid = counting(db)
    with db.transaction() as s:
        sessions.order_recount(s, sid, N2, "supervisor")
    closed(db, sid)
    with db.transaction() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.actor).where(
            AuditEntry.target == f"stocktake:{sid}").order_by(AuditEntry.id)).all()
        assert audit.verify(s).ok
    assert entries == [("stocktake.open", "tester"), ("stocktake.recount", "supervisor"),
                       ("stocktake.close", "tester")]


def test_progress_counts_seen_of_expected_per_shelf(db):
    sid = counting(db)
    with db.transaction() as s:
        doc = progress.progress(s, s.get(Stocktake, sid))
    by_shelf = {row["shelf"]: (row["seen"], row["expected"], row["rack"]) for row in doc["shelves"]}
    assert by_shelf == {N1: (3, 4, "K01-D01-G01"), N2: (2, 2, "K01-D01-G01"), G2N1: (1, 1, "K01-D01-G02")}
    assert (doc["seen"], doc["expected"], doc["percent"], doc["unexpected"]) == (6, 7, 85, 2)
    assert doc["reads"] == 13 and [d["device"] for d in doc["devices"]] == ["HH-01", "HH-02", "RF-01"]


def test_the_counters_view_shows_what_was_scanned_not_what_is_expected(db):
    sid = counting(db)
    with db.transaction() as s:
        doc = progress.scanned(s, s.get(Stocktake, sid), device="HH-01")
    assert "expected" not in doc and doc["boxes"] == 5
    assert {p["place"]: p["boxes"] for p in doc["places"]} == {N1: 2, "K01-D01-G02": 1, None: 2}


def test_two_stock_takes_of_the_same_scope_compare_box_by_box(db):
    first = counting(db)
    closed(db, first)
    second = opened(db, scope="K01")["id"]
    send(db, [ev("HH-09", 1, N1, 0), ev("HH-09", 2, "P012-H0003", 1), ev("HH-09", 3, "P012-H0005", 2)], second)
    closed(db, second)
    with db.transaction() as s:
        doc = compare.compare(s, second, first)
    assert (doc["before"], doc["after"]) == (first, second)
    assert doc["found_again"] == ["P012-H0003"]
    assert doc["newly_missing"] == ["P012-H0001", "P012-H0002", "P012-H0004", "P012-H0006", "P031-H0001"]
    assert doc["moved"] == [{"box": "P012-H0005", "before": "K01-D01-G02", "after": N1}]
    assert doc["still_missing"] == []
    other = opened(db, scope=N1)["id"]
    closed(db, other)
    with db.transaction() as s, pytest.raises(Refused):
        compare.compare(s, first, other)


def test_a_session_is_state_in_the_database_and_resumes_from_anywhere(db):
    sid = counting(db)
    db.dispose()  # as after a restart: new connections, nothing kept in memory
    with db.transaction() as s:
        assert s.get(Stocktake, sid).is_open
        assert s.scalar(select(func.count()).select_from(Location)) == len(PLACES)
    send(db, [ev("HH-05", 1, N1, 30), ev("HH-05", 2, "P012-H0003", 31)], sid)
    assert "P012-H0003" in closed(db, sid)["found"]


def test_a_large_result_is_saved_whole_and_reads_back_the_same(db):
    """Past a few hundred rows PostgreSQL saves by COPY: codes as read, NULLs and times survive."""
    seed(db)
    with db.transaction() as s:
        shelf = s.scalar(select(Location.id).where(Location.code == N2))
        fonds_id = s.scalar(select(Box.fonds_id).where(Box.code == "P012-H0001"))
        s.execute(insert(Box), [{"code": f"P012-H{n:04d}", "fonds_id": fonds_id, "number": n, "home_id": shelf}
                                for n in range(100, 700)])
    sid = opened(db, scope=N2)["id"]
    odd = "x\ty\\z"
    send(db, [ev("HH-01", 1, N2, 0), ev("HH-01", 2, "P012-H0100", 1), ev("HH-01", 3, odd, 2),
              ev("HH-01", 4, "P012-H0699", 3)], sid)
    result = closed(db, sid)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(StocktakeResult)
                        .where(StocktakeResult.stocktake_id == sid)) == 603
        assert sessions.result(s, sid) == {**result, "apart": []}
        kept = s.scalar(select(StocktakeResult.seen_at).where(StocktakeResult.code == "P012-H0699"))
    assert result["found"] == ["P012-H0100", "P012-H0699"] and result["unexpected"] == [odd]
    assert len(result["missing"]) == 600
    assert (kept if kept.tzinfo else kept.replace(tzinfo=UTC)) == T0 + timedelta(seconds=3)

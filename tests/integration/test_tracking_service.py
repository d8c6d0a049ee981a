"""Tracking services on both databases: move orders completed by scans, transfers, check-outs, disposal,
a stock-take's places applied, and the box look-up's state and place."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from warehouse.errors import NotFound, Refused
from warehouse.models import AuditEntry, Box, BoxEvent, File, Fonds, Location
from warehouse.scans.ingest import ScanRules, ingest
from warehouse.stocktake import sessions as stocktakes
from warehouse.tracking import checkouts, disposal, moves, places, transfers
from warehouse.tracking.places import box_doc

RULES = ScanRules(timedelta(seconds=30), "8930000")
K1 = "K01-D01-G01"
N1, N2, N3 = f"{K1}-N1", f"{K1}-N2", f"{K1}-N3"
K2 = "K02-D01-G01"
M1, M2 = f"{K2}-N1", f"{K2}-N2"
GATE = "K01-C1"


def build(db, boxes: int = 8) -> None:
    """Two stores (K01: three shelves of 10 and a gate; K02: two shelves of 10), fonds P001 with boxes
    H0001–H0006 at home on K01 shelves 1 and 2 and the rest without a home; each box holds two files,
    one past its retention (2000 + 10 years) and one kept permanently (boxes 7 and 8: both past)."""
    with db.transaction() as s:
        fonds = Fonds(code="P001", name="UBND huyện", name_key="ubnd huyen")
        s.add(fonds)
        ids: dict[str, Location] = {}
        for code, kind, up, capacity in (("K01", "kho", None, None), ("K01-D01", "day", "K01", None),
                                         (K1, "gia", "K01-D01", None), (N1, "ngan", K1, 10), (N2, "ngan", K1, 10),
                                         (N3, "ngan", K1, 10), (GATE, "cong", "K01", None),
                                         ("K02", "kho", None, None), ("K02-D01", "day", "K02", None),
                                         (K2, "gia", "K02-D01", None), (M1, "ngan", K2, 10), (M2, "ngan", K2, 10)):
            parent = ids.get(up) if up else None
            ids[code] = Location(code=code, name=f"Chỗ {code}", name_key=code.lower(), kind=kind, parent=parent,
                                 path=(parent.path if parent else "/") + code + "/", capacity=capacity)
            s.add(ids[code])
        s.flush()
        for n in range(1, boxes + 1):
            home = ids[N1].id if n <= 3 else ids[N2].id if n <= 6 else None
            box = Box(code=f"P001-H{n:04d}", fonds=fonds, number=n, home_id=home)
            s.add(box)
            s.flush()
            second = (date(2001, 12, 31), "10 năm", 10) if n >= 7 else (date(2001, 12, 31), "Vĩnh viễn", None)
            for k, (end, words, years) in enumerate(((date(2000, 6, 30), "10 năm", 10), second), start=1):
                s.add(File(fonds_id=fonds.id, box_id=box.id, position=k, number=f"{n}.{k}",
                           title=f"Hồ sơ số {n}.{k} về đất đai", title_key=f"ho so so {n}.{k} ve dat dai",
                           end_date=end, retention=words, retention_years=years))


def read(device, seq, code, at, **extra):
    return {"device": device, "seq": seq, "code": code, "kind": "barcode", "at": at.isoformat(), **extra}


class Clock:
    """Reads stamped now, each after the one before (tracking actions are stamped now too)."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        self.now = max(datetime.now(UTC), self.now + timedelta(microseconds=1))
        return self.now


def scan(db, device, codes, clock, first_seq=1, **extra):
    events = [read(device, first_seq + i, code, clock(), **extra) for i, code in enumerate(codes)]
    with db.transaction() as s:
        return ingest(s, events, actor=f"device:{device}", rules=RULES)


def doc(db, code):
    with db.reading() as s:
        return box_doc(s, Box.code == code)


def home(db, code):
    with db.reading() as s:
        return s.scalar(select(Location.code).join(Box, Box.home_id == Location.id).where(Box.code == code))


def kinds(db, code):
    with db.reading() as s:
        return [k for k, in s.execute(select(BoxEvent.kind).join(Box, Box.id == BoxEvent.box_id)
                                      .where(Box.code == code).order_by(BoxEvent.id))]


# --- moves ------------------------------------------------------------------------------------------

def test_a_box_of_a_move_order_scanned_at_its_new_shelf_is_moved_and_elsewhere_stays_misplaced(db):
    build(db)
    clock = Clock()
    with db.transaction() as s:
        order = moves.order_move(s, "anna", ["P001-H0001", "p001-h0002"], N3, "Giải phóng ngăn 1", "Trưởng kho")
    assert [b["from"] for b in order["boxes"]] == [N1, N1] and order["state"] == "open"
    scan(db, "HH-01", [N2, "P001-H0001", N3, "P001-H0002"], clock)
    assert (home(db, "P001-H0001"), home(db, "P001-H0002")) == (N1, N3)
    misplaced = doc(db, "P001-H0001")
    assert (misplaced["state"], misplaced["place"], misplaced["home"]) == ("on_shelf", N2, N1)
    scan(db, "HH-01", ["P001-H0001"], clock, first_seq=5, location=K1)  # the rack that holds N3
    assert home(db, "P001-H0001") == N3
    with db.reading() as s:
        done = moves.order_doc(s, order["id"])
    assert done["state"] == "done" and all(b["device"] == "HH-01" for b in done["boxes"])
    assert kinds(db, "P001-H0002") == ["move.ordered", "move.done"]


def test_reads_made_for_a_stock_take_neither_move_boxes_nor_change_their_place(db):
    build(db)
    clock = Clock()
    with db.transaction() as s:
        moves.order_move(s, "anna", ["P001-H0001"], N3, "Sắp xếp lại", "Trưởng kho")
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
    scan(db, "HH-01", [N3, "P001-H0001"], clock, context={"stocktake": sid})
    assert home(db, "P001-H0001") == N1
    assert doc(db, "P001-H0001")["state"] == "unknown"


def test_a_move_order_is_refused_with_the_reason(db):
    build(db)
    with db.transaction() as s:
        moves.order_move(s, "anna", ["P001-H0001"], N3, "Sắp xếp", "Trưởng kho")
    cases = [(["P001-H0002"], K1, "a shelf"), (["P001-H0002"], N3, None), (["NOPE-1"], N3, "NOPE-1"),
             (["P001-H0001"], N2, "open move order"), (["P001-H0004"], N2, "already has")]
    for codes, to, words in cases:
        with pytest.raises((Refused, NotFound)) as caught, db.transaction() as s:
            moves.order_move(s, "anna", codes, to, "Sắp xếp" if words else "", "Trưởng kho")
        assert (words or "reason") in str(caught.value)


def test_free_shelves_are_suggested_for_a_set_of_boxes_counting_orders_on_their_way(db):
    build(db)
    with db.transaction() as s:
        moves.order_move(s, "anna", ["P001-H0007", "P001-H0008"], M1, "Xếp giá", "Trưởng kho")
        assert [r["shelf"] for r in moves.suggest_shelves(s, 8)] == [N3, M1, M2]
        assert [(r["shelf"], r["free"]) for r in moves.suggest_shelves(s, 8, within="K02")] == [(M1, 8), (M2, 10)]
        assert [r["shelf"] for r in moves.suggest_shelves(s, 9)] == [N3, M2]


# --- transfers --------------------------------------------------------------------------------------

def _transfer(db, codes=("P001-H0004", "P001-H0005", "P001-H0006"), **kw):
    with db.transaction() as s:
        return transfers.create_transfer(s, "anna", codes, "K01", destination="K02", vehicle="29C-123.45",
                                         seals="S-1, S-2", people="Lê Văn Tám", **kw)["id"]


def test_a_transfer_goes_box_by_box_from_listed_to_received_or_missing_and_closes_when_all_are_known(db):
    build(db)
    clock = Clock()
    tid = _transfer(db, expected_at=datetime.now(UTC) + timedelta(hours=3))
    scan(db, "HH-01", ["P001-H0004", "P001-H0005"], clock, context={"transfer": tid})
    with db.transaction() as s:
        sent = transfers.dispatch(s, "anna", tid)
    assert sent["counts"] == {"listed": 1, "in_transit": 2, "received": 0, "missing": 0, "unlisted": 0}
    assert doc(db, "P001-H0004")["state"] == "in_transit" and doc(db, "P001-H0006")["state"] == "unknown"
    scan(db, "HH-02", [M1, "P001-H0004", "P001-H0001"], clock, context={"transfer": tid})
    with db.reading() as s:
        partly = transfers.transfer_doc(s, tid)
    assert partly["state"] == "dispatched" and partly["partly_received"]
    assert {b["box"]: b["state"] for b in partly["boxes"]} == {
        "P001-H0001": "unlisted", "P001-H0004": "received", "P001-H0005": "in_transit", "P001-H0006": "listed"}
    with db.transaction() as s:
        closed = transfers.declare_missing(s, "bao", tid, ["P001-H0005"])
    assert closed["state"] == "received"
    assert [(doc(db, c)["state"], doc(db, c)["place"], home(db, c)) for c in ("P001-H0001", "P001-H0004")] == [
        ("on_shelf", M1, None), ("on_shelf", M1, None)]
    assert (doc(db, "P001-H0005")["state"], home(db, "P001-H0005")) == ("lost", N2)
    assert (doc(db, "P001-H0006")["state"], home(db, "P001-H0006")) == ("unknown", N2)
    scan(db, "HH-01", [N3, "P001-H0005"], clock, first_seq=3)  # the lost box turns up
    assert doc(db, "P001-H0005")["state"] == "on_shelf"
    assert kinds(db, "P001-H0005") == ["transfer.listed", "transfer.loaded", "transfer.missing", "found"]


def test_a_box_in_transit_seen_inside_the_destination_store_is_received(db):
    build(db)
    clock = Clock()
    tid = _transfer(db, codes=["P001-H0004"])
    with db.transaction() as s:
        transfers.dispatch(s, "anna", tid, load_all=True)
    scan(db, "HH-02", [M2, "P001-H0004"], clock)
    with db.reading() as s:
        assert transfers.transfer_doc(s, tid)["state"] == "received"
    assert doc(db, "P001-H0004")["place"] == M2


def test_a_transfer_to_an_outside_body_hands_its_boxes_over(db):
    build(db)
    with db.transaction() as s:
        tid = transfers.create_transfer(s, "anna", ["P001-H0001"], "K01", recipient="Sở Nội vụ")["id"]
        transfers.dispatch(s, "anna", tid, load_all=True)
        transfers.receive_by_hand(s, "anna", tid, ["P001-H0001"])
    assert doc(db, "P001-H0001")["state"] == "handed_over"
    with db.transaction() as s, pytest.raises(Refused, match="not in stock"):
        checkouts.check_out(s, "anna", ["P001-H0001"], kind="office", borrower="Bình", due_on=date.today())


def test_transfers_refuse_what_breaks_their_rules(db):
    build(db)
    tid = _transfer(db, codes=["P001-H0004"])
    bad = [lambda s: transfers.create_transfer(s, "a", ["P001-H0004"], "K02", destination="K01"),
           lambda s: transfers.create_transfer(s, "a", ["P001-H0005"], "K01", destination="K01"),
           lambda s: transfers.create_transfer(s, "a", ["P001-H0005"], N1, destination="K02"),
           lambda s: transfers.create_transfer(s, "a", ["P001-H0005"], "K01"),
           lambda s: transfers.create_transfer(s, "a", ["P001-H0004"], "K01", destination="K02"),
           lambda s: transfers.dispatch(s, "a", tid),
           lambda s: transfers.receive_by_hand(s, "a", tid, ["P001-H0004"]),
           lambda s: transfers.load_by_hand(s, "a", tid, ["P001-H0005"])]
    words = ["home in store K02", "another store", "a store", "exactly one", "already on an open transfer",
             "no box", "once it is dispatched", "not waiting"]
    for action, expected in zip(bad, words):
        with pytest.raises(Refused) as caught, db.transaction() as s:
            action(s)
        assert expected in str(caught.value)


# --- check-outs ---------------------------------------------------------------------------------------

def test_a_check_out_takes_boxes_out_of_the_count_until_they_are_checked_in(db):
    build(db)
    with db.transaction() as s:
        out = checkouts.check_out(s, "anna", ["P001-H0001", "P001-H0002"], kind="reading_room",
                                  place="Phòng đọc 1", borrower="Nguyễn Thị Hoa", due_on=date.today() + timedelta(days=2))
    assert doc(db, "P001-H0001")["state"] == "checked_out"
    with db.transaction() as s:
        opened = stocktakes.open_stocktake(s, actor="anna", scope="K01")
    assert opened["expected"] == 4 and opened["excluded"] == [
        {"box": "P001-H0001", "reason": "checked_out"}, {"box": "P001-H0002", "reason": "checked_out"}]
    with db.transaction() as s:
        back = checkouts.check_in(s, "bao", out["id"], ["P001-H0001"])
        assert back["closed_at"] is None
        back = checkouts.check_in(s, "bao", out["id"])
    assert back["closed_at"] is not None and doc(db, "P001-H0002")["state"] == "unknown"
    with db.transaction() as s, pytest.raises(Refused, match="due date"):
        checkouts.check_out(s, "anna", ["P001-H0003"], kind="office", borrower="Bình",
                            due_on=date.today() - timedelta(days=1))


# --- disposal -----------------------------------------------------------------------------------------

def test_disposal_lists_what_is_past_retention_and_destroys_boxes_left_empty_for_good(db):
    build(db)
    with db.reading() as s:
        found = disposal.candidates(s, date(2011, 1, 1), [], True)
        before = disposal.candidates(s, date(2010, 12, 31), [], True)
    assert len(found["files"]) == 8 and [b["box"] for b in found["boxes"]] == []
    assert before["files"] == []
    with db.reading() as s:
        later = disposal.candidates(s, date(2012, 1, 1), [], True)
    assert [b["box"] for b in later["boxes"]] == ["P001-H0007", "P001-H0008"]
    with db.transaction() as s:
        one = s.scalar(select(File.id).where(File.number == "1.1"))
        decision = disposal.record_disposal(s, "anna", number="12/QĐ-UBND", decided_on=date(2012, 3, 1),
                                            body="UBND huyện", file_ids=[one], box_codes=["P001-H0007"])
    assert decision["boxes_destroyed"] == ["P001-H0007"] and len(decision["files"]) == 3
    assert doc(db, "P001-H0007")["state"] == "destroyed" and doc(db, "P001-H0001")["state"] == "unknown"
    with db.transaction() as s:
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
        closed = stocktakes.close(s, sid, "anna")
    assert "P001-H0007" not in closed["missing"]
    for kw, words in (({"file_ids": [one]}, "destroyed already"),
                      ({"box_codes": ["P001-H0002"]}, "not past its retention")):
        with pytest.raises(Refused, match=words), db.transaction() as s:
            disposal.record_disposal(s, "anna", number=f"X-{words}", decided_on=date(2012, 3, 1), body="UBND", **kw)


# --- a stock-take's places ------------------------------------------------------------------------------

def test_a_closed_stock_take_updates_last_known_places_only_when_applied(db):
    build(db)
    clock = Clock()
    with db.transaction() as s:
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
    scan(db, "HH-01", [N3, "P001-H0001", N1, "P001-H0002"], clock, context={"stocktake": sid})
    with db.transaction() as s:
        stocktakes.close(s, sid, "anna")
        still_open = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
    with pytest.raises(Refused, match="still open"), db.transaction() as s:
        places.apply_stocktake(s, still_open, "anna")
    assert doc(db, "P001-H0001")["state"] == "unknown"
    with db.transaction() as s:
        assert places.apply_stocktake(s, sid, "anna") == {"id": sid, "applied": 2, "unchanged": 0}
        assert places.apply_stocktake(s, sid, "anna")["applied"] == 0
    got = doc(db, "P001-H0001")
    assert (got["state"], got["place"]) == ("on_shelf", N3) and got["last_seen"] is not None
    scan(db, "HH-01", [N2, "P001-H0001"], clock, first_seq=10)
    assert doc(db, "P001-H0001")["place"] == N2  # a later day-to-day read wins


def test_every_change_is_audited_in_the_same_transaction(db):
    build(db)
    tid = _transfer(db, codes=["P001-H0004"])
    with db.transaction() as s:
        order = moves.order_move(s, "anna", ["P001-H0001"], N3, "Sắp xếp", "Trưởng kho")
        moves.complete_by_hand(s, "anna", order["id"], ["P001-H0001"])
        transfers.dispatch(s, "anna", tid, load_all=True)
        transfers.receive_by_hand(s, "bao", tid, ["P001-H0004"])
        out = checkouts.check_out(s, "anna", ["P001-H0002"], kind="office", borrower="Bình", due_on=date.today())
        checkouts.check_in(s, "anna", out["id"])
        disposal.record_disposal(s, "anna", number="1/QĐ", decided_on=date(2020, 1, 1), body="UBND",
                                 box_codes=["P001-H0008"])
    with db.reading() as s:
        actions = [a for a, in s.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
    assert actions == ["transfer.create", "move.order", "move.done", "transfer.load", "transfer.dispatch",
                       "transfer.receive", "transfer.close", "checkout.out", "checkout.in", "disposal.record"]


def test_the_timeline_holds_re_boxing_and_stock_take_results_with_who_and_which_device(db):
    from warehouse import sorting
    from warehouse.tracking import history

    build(db)
    clock = Clock()
    with db.transaction() as s:
        moved = s.scalar(select(File.id).where(File.number == "2.1"))
        sorting.move_files(s, [moved], "P001-H0001", "chi", reason="Chỉnh lý")
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
    scan(db, "HH-07", [N2, "P001-H0001"], clock, context={"stocktake": sid})
    with db.transaction() as s:
        stocktakes.close(s, sid, "bao")
    with db.reading() as s:
        box = s.scalar(select(Box).where(Box.code == "P001-H0001"))
        timeline = history.box_timeline(s, box, [], True)
    assert [(e.kind, e.place, e.actor, e.device) for e in timeline] == [
        ("alert", N2, None, None), ("stocktake.result", N2, "bao", "HH-07"), ("sighting", N2, None, "HH-07"),
        ("rebox", None, "chi", None)]
    alert = timeline[0].detail  # the stock-take's verdict raised an alert at the same time: listed first
    assert {k: alert[k] for k in ("kind", "severity", "state")} == {"kind": "misplaced", "severity": "medium",
                                                                     "state": "open"}
    assert timeline[0].at == timeline[1].at and timeline[0].ref == alert["alert"]
    assert timeline[1].detail["outcome"] == "misplaced" and timeline[3].detail == {
        "file": "2.1", "title": "Hồ sơ số 2.1 về đất đai", "from": "P001-H0002", "to": "P001-H0001",
        "reason": "Chỉnh lý", "direction": "in"}

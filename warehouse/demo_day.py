"""The demo's last days, played through Kho's own services so that every page has something real to show.

On the three days before the load, handhelds read shelf labels and then the boxes on them: a box left
on the wrong shelf (and put back the next day), a box of the closed fonds seen on another rack, a label
of an old register that Kho does not know (read twice), a handheld that reused a sequence number after
a restart; a fixed RFID reader reads the tags of its shelf every morning, each tag several times.

In the two hours before the load: a move order done when its boxes are read on the new shelf; a transfer
to K02 loaded by reads at the gate, dispatched and received with one box that did not arrive (its boxes
then wait on an open move order to be shelved); a second transfer still on the road past its expected
arrival; a box read at the gate with no transfer; a check-out to the reading room; a stock-take of a
rack counted and closed (two boxes swapped, two missing, an old label, a box from another rack); one
box code read in both stores ten minutes apart; a second stock-take opened and one shelf counted, for
a counter to carry on from the scan page. Then the sweep runs as of the load; one alert is acknowledged
and one resolved.

Every read goes through warehouse.scans.ingest and every change through its service, audited there, in
the caller's transaction. The days are dated back from the load (the sweep, "last seen" and the alert
chart use the real clock); what is read, where and in which order is fixed, so every load gives the
same counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse import accounts, readers
from warehouse.alerts import raising, sweep
from warehouse.models import Alert, Box, Location
from warehouse.scans.ingest import ingest
from warehouse.stocktake import sessions as stocktakes
from warehouse.tracking import checkouts, moves, transfers

LOCAL = timezone(timedelta(hours=7))  # the stores' time (Asia/Ho_Chi_Minh keeps no summer time)
DEVICES = [  # name, description; the demo creates no accounts, so no device has an owner
    ("HH-01", "Máy quét mã vạch cầm tay — tổ kho phòng 1"),
    ("HH-02", "Máy quét mã vạch cầm tay — tổ kho phòng 1, trực cổng"),
    ("HH-03", "Máy kiểm kê cầm tay — tổ kiểm kê"),
    ("HH-04", "Máy quét mã vạch cầm tay — kho cơ sở 2"),
    ("RFID-01", "Đầu đọc RFID cố định tại ngăn K01-P01-D01-G03-N02"),
]
RFID_SHELF = "K01-P01-D01-G03-N02"  # the shelf with the most tagged boxes
RFID_URL = f"serial:socket://10.0.0.21:4001?kind=rfid&location={RFID_SHELF}&suffix=CRLF"
GATE = "K01-CONG01"
OLD_LABEL, TORN_LABEL = "LT-1998-0457", "LT-2009-0131"  # labels of an older register, unknown to Kho
COUNTED_RACK, OPEN_RACK = "K01-P01-D02-G02", "K01-P02-D01-G01"
RECEIVING_SHELF = "K02-P01-D01-G01-N01"


def shelf(rack: str, n: int) -> str:
    return f"{rack}-N{n:02d}"


@dataclass
class Day:
    """What the story needs as it goes: the session, the clock, the shelves' boxes and the totals."""

    session: Session
    actor: str
    now: datetime
    boxes: dict[str, list[str]] = field(default_factory=dict)  # shelf → its boxes' codes, by number
    tags: dict[str, list[str]] = field(default_factory=dict)  # shelf → its boxes' EPCs, by number
    reads: int = 0
    sightings: int = 0

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL).date()

    def on(self, days_before: int, hour: int, minute: int = 0) -> datetime:
        """A time of a past working day, in the stores' time."""
        return datetime.combine(self.today - timedelta(days=days_before), time(hour, minute), LOCAL)

    def before_load(self, minutes: int) -> datetime:
        """A time of the last two hours (`minutes` after two hours before the load), in the stores' time."""
        since = self.now - timedelta(hours=2)
        return (since + timedelta(minutes=minutes)).astimezone(LOCAL).replace(microsecond=0)

    def instant(self, minutes: int) -> datetime:
        """The same in UTC, for a service: SQLite keeps an aware time's wall clock, not its instant."""
        return self.before_load(minutes).astimezone(UTC)


class Reader:
    """One device's reads, numbered seq after seq as the device does, sent through the ingest service."""

    def __init__(self, day: Day, name: str) -> None:
        self.day, self.name, self.seq = day, name, 0

    def read(self, start: datetime, *codes: str, step: int = 6, kind: str = "barcode", **extra) -> list[dict]:
        """Codes read one after another from `start`, `step` seconds apart, sent as one batch."""
        events = []
        for i, code in enumerate(codes):
            self.seq += 1
            events.append({"device": self.name, "seq": self.seq, "code": code, "kind": kind,
                           "at": (start + timedelta(seconds=i * step)).isoformat(), **extra})
        return self.send(events)

    def shelves(self, start: datetime, rows: list[tuple[str, list[str]]], **options) -> list[dict]:
        """A round: each shelf's label, then the boxes on it."""
        return self.read(start, *(code for label, boxes in rows for code in (label, *boxes)), **options)

    def send(self, events: list[dict]) -> list[dict]:
        result = ingest(self.day.session, events, actor=self.day.actor)
        self.day.reads += result.accepted
        self.day.sightings += result.sightings
        return events


def play(session: Session, actor: str, now: datetime) -> dict:
    """Play the demo's days (see the module docstring); the counts of what they left."""
    day = Day(session, actor, now)
    for place, code, epc in session.execute(
            select(Location.code, Box.code, Box.epc).join(Location, Location.id == Box.home_id)
            .order_by(Box.fonds_id, Box.number)):
        day.boxes.setdefault(place, []).append(code)
        if epc:
            day.tags.setdefault(place, []).append(epc)
    for name, description in DEVICES:
        accounts.create_device(session, name, actor, description=description)
    hh1, hh2, hh3, hh4, rfid = (Reader(day, name) for name, _ in DEVICES)
    last_tag = _past_days(day, hh1, hh2, rfid)
    _moves_and_transfers(day, hh2, hh3, hh4)
    _stocktakes(day, hh1, hh3, hh4)
    sweep.sweep(session, now, actor)
    _decide_alerts(day)
    # What the scanner daemon reported last (the scanners page shows it, and that no daemon runs now).
    readers.record(session, [{"name": "RFID-01", "url": RFID_URL, "state": "connected", "reads_per_minute": 0,
                              "last_read_at": last_tag.astimezone(UTC)}], "may-chu-kho")
    alerts = session.scalar(select(func.count()).select_from(Alert))
    return {"devices": len(DEVICES), "reads": day.reads, "sightings": day.sightings, "alerts": alerts}


def _round(day: Day, rack: str, shelves=range(1, 6), *, left: dict[str, str] | None = None,
           extra: dict[str, list[str]] | None = None, gone: tuple[str, ...] = ()) -> list[tuple]:
    """The (label, boxes) of a rack's shelves as found: a box in `left` (code → shelf) is on that shelf
    instead of its own; `extra` adds codes read on a shelf; boxes in `gone` are not there."""
    left, extra = left or {}, extra or {}
    rows = []
    for n in shelves:
        label = shelf(rack, n)
        here = [c for c in day.boxes.get(label, []) if c not in left and c not in gone]
        rows.append((label, here + [c for c, s in left.items() if s == label] + extra.get(label, [])))
    return rows


def _past_days(day: Day, hh1: Reader, hh2: Reader, rfid: Reader) -> datetime:
    """Rounds of the three days before (reads only, no stock-take); when the RFID reader read last."""
    for before in (3, 2, 1):  # each morning the fixed reader reads its shelf's tags three times over
        tags = rfid.read(day.on(before, 7, 30), *day.tags[RFID_SHELF] * 3, step=1, kind="rfid",
                         location=RFID_SHELF, antenna=1)
    g01, g03, p02 = "K01-P01-D01-G01", "K01-P01-D02-G03", "K01-P02-D01-G02"
    hh1.shelves(day.on(3, 8, 30), _round(day, g01, left={"P012-H0012": shelf(g01, 4)}))  # on N04, not N02
    hh1.shelves(day.on(2, 8, 15), _round(day, g01, [2]))  # put back where it belongs
    sent = hh2.shelves(day.on(2, 9, 0), _round(day, g03, extra={shelf(g03, 2): [OLD_LABEL]}))
    # HH-02 restarts and numbers a read with the seq of the old label's: refused, kept as a conflict.
    old = next(e for e in sent if e["code"] == OLD_LABEL)
    hh2.send([old | {"code": "P027-H0094", "at": day.on(2, 9, 40).isoformat()}])
    hh1.shelves(day.on(1, 8, 0), _round(day, p02, [1], extra={shelf(p02, 1): ["P031-H0007"]}))  # closed fonds
    hh2.read(day.on(1, 14, 0), shelf(g03, 2), OLD_LABEL)
    return datetime.fromisoformat(tags[-1]["at"])


def _moves_and_transfers(day: Day, hh2: Reader, hh3: Reader, hh4: Reader) -> None:
    """A move order done by a read, two transfers to K02, a box through the gate, a check-out."""
    s, actor = day.session, day.actor
    moves.order_move(s, actor, ["P012-H0091", "P012-H0092"], "K01-P02-D02-G01-N01",
                     "Giải phóng ngăn để sửa giá bị võng", "Phó Giám đốc Trung tâm Lưu trữ lịch sử")
    hh3.read(day.before_load(5), "K01-P02-D02-G01-N01", "P012-H0091", "P012-H0092")

    going = ["P027-H0001", "P027-H0002", "P027-H0003", "P027-H0004"]
    first = transfers.create_transfer(
        s, actor, going, "K01", destination="K02", vehicle="75C-021.47", seals="KD-0415",
        people="Nguyễn Văn Hùng, Trần Thị Mai", expected_at=day.instant(60),
        note="Chuyển tài liệu phông Sở Lao động - Thương binh và Xã hội sang kho cơ sở 2")["id"]
    hh2.read(day.before_load(12), *going, location=GATE, context={"transfer": first})  # loaded at the gate
    transfers.dispatch(s, actor, first)
    second = transfers.create_transfer(
        s, actor, ["P012-H0101", "P012-H0102"], "K01", destination="K02", vehicle="75C-021.47",
        people="Lê Văn Dũng", expected_at=day.instant(75), note="Tài liệu phục vụ triển lãm")["id"]
    transfers.dispatch(s, actor, second, load_all=True)  # still on the road when the sweep runs

    hh4.read(day.before_load(40), RECEIVING_SHELF, *going[:3], context={"transfer": first})
    transfers.declare_missing(s, actor, first, going[3:])
    moves.order_move(s, actor, going[:3], RECEIVING_SHELF, "Xếp lên giá hộp nhận từ kho K01",
                     "Trưởng kho cơ sở 2")  # left open: the boxes wait on the receiving shelf

    hh2.read(day.before_load(50), "P012-H0077", location=GATE)  # through the gate with no transfer
    checkouts.check_out(s, actor, ["P012-H0150", "P012-H0151"], kind="reading_room",
                        borrower="Lê Minh Tuấn (Viện Sử học)", due_on=day.today + timedelta(days=14),
                        place="Phòng đọc tầng 1", purpose="Nghiên cứu lịch sử tổ chức bộ máy hành chính tỉnh",
                        today=day.today)


def _stocktakes(day: Day, hh1: Reader, hh3: Reader, hh4: Reader) -> None:
    """One stock-take counted and closed, one box code read in two stores, one stock-take left open."""
    s, actor, rack = day.session, day.actor, COUNTED_RACK
    counted = stocktakes.open_stocktake(s, actor=actor, scope=rack,
                                        note="Kiểm kê định kỳ giá 2, dãy 2, phòng kho 1")["id"]
    found = _round(day, rack, left={"P027-H0035": shelf(rack, 4), "P027-H0055": shelf(rack, 2)},  # swapped
                   extra={shelf(rack, 3): [TORN_LABEL], shelf(rack, 5): ["P012-H0180"]},
                   gone=("P027-H0066", "P027-H0067"))
    hh3.shelves(day.before_load(60), found, context={"stocktake": counted})
    stocktakes.close(s, counted, actor)

    hh1.read(day.before_load(90), "K01-P01-D01-G01-N04", "P012-H0033")  # the same code in both stores:
    hh4.read(day.before_load(98), "K02-P01-D01-G02-N01", "P012-H0033")  # a copied label

    left_open = stocktakes.open_stocktake(s, actor=actor, scope=OPEN_RACK,
                                          note="Kiểm kê giá 1, dãy 1, phòng kho 2 (phông đã đóng)")["id"]
    hh3.shelves(day.before_load(105), _round(day, OPEN_RACK, [1]), context={"stocktake": left_open})


def _decide_alerts(day: Day) -> None:
    """The gate alert is being looked into; the box left on the wrong shelf was put back."""
    s, actor = day.session, day.actor
    gate = s.execute(select(Alert.id).where(Alert.kind == "unauthorised_exit")).scalar_one()
    raising.acknowledge(s, gate, actor, "Đã báo bảo vệ; đang đối chiếu với sổ ra vào và camera cổng")
    put_back = s.execute(select(Alert.id).join(Box, Box.id == Alert.box_id)
                         .where(Alert.kind == "misplaced", Box.code == "P012-H0012")).scalar_one()
    raising.resolve(s, put_back, actor, "Hộp đã được xếp lại đúng ngăn N02 (đọc lại hôm sau)")

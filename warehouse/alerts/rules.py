"""Alert rules as pure functions: plain facts in, Drafts out. Adding a rule is adding a function here
(and calling it where its facts arise: a stock-take closing, a batch of reads, or the sweep)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from warehouse.errors import N_

KINDS = ("misplaced", "missing", "overdue_transit", "unauthorised_exit", "unknown_code", "duplicate_code",
         "closed_fonds", "patrol_missed", "patrol_late", "patrol_check_failed", "environment", "scan_conflict")
SEVERITY = {
    "unauthorised_exit": "critical",
    "missing": "high", "overdue_transit": "high", "closed_fonds": "high", "patrol_missed": "high",
    "misplaced": "medium", "duplicate_code": "medium", "scan_conflict": "medium", "patrol_late": "medium",
    "patrol_check_failed": "medium", "environment": "medium",
    "unknown_code": "low",
}


@dataclass(frozen=True)
class Draft:
    """An alert to raise: what, about which box (id) or code, where, when, and why."""

    kind: str
    at: datetime
    box_id: int | None = None
    code: str | None = None
    location_id: int | None = None
    message: str = ""
    source: str = ""
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def subject(self) -> str:
        """What repeats merge on: the box when there is one, else the code as read."""
        return f"box:{self.box_id}" if self.box_id is not None else f"code:{self.code}"

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


def stocktake_closed(stocktake_id: int, at: datetime, missing: Iterable[tuple[int, str, int | None]],
                     misplaced: Iterable[tuple[int, str, int | None, int | None]],
                     unknown: Iterable[str]) -> list[Draft]:
    """One `missing` per missing box (box id, code, home id), one `misplaced` per misplaced box
    (box id, code, home id, found id), one `unknown_code` per unknown code read."""
    source = f"stocktake:{stocktake_id}"
    drafts = [Draft("missing", at, box, code, home, N_("not found in the stock-take"), source)
              for box, code, home in missing]
    drafts += [Draft("misplaced", at, box, code, found, N_("found away from its home shelf"), source,
                     {"home": home}) for box, code, home, found in misplaced]
    drafts += [Draft("unknown_code", at, None, code, None, N_("a code Kho does not know was read"), source)
               for code in unknown]
    return drafts


def off_home(place: int | None, home: int | None, rack: int | None) -> bool:
    """A located read away from the box's home shelf and from the rack holding it (a box with no home
    is nowhere wrong)."""
    return place is not None and home is not None and place not in (home, rack)


def misplaced_sightings(sightings: Iterable[tuple[int, str, int, int | None, int | None, datetime]],
                        moving: set[int]) -> list[Draft]:
    """A box seen (box id, code, place id, home id, home's rack id, at) at a place that is neither its
    home nor the rack holding it, with no open move order for it (`moving`)."""
    return [Draft("misplaced", at, box, code, place, N_("seen away from its home shelf"), "scan",
                  {"home": home})
            for box, code, place, home, rack, at in sightings
            if off_home(place, home, rack) and box not in moving]


def day_of(at: datetime, zone: tzinfo = UTC) -> date:
    """The calendar day of a moment where the archive is (a naive time is UTC): a fonds closes on a day
    of the local calendar, and a box carried off at 01:00 on that day is carried off on that day."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone).date()


def closed_fonds_sightings(sightings: Iterable[tuple[int, str, int, int | None, int | None, date | None,
                                                     datetime]],
                           covered: set[int], zone: tzinfo = UTC) -> list[Draft]:
    """A box of a closed fonds seen (box id, code, place id, home id, home's rack id, fonds closed on, at)
    away from its home shelf and rack, on or after the closing day, while no open transfer or check-out
    (`covered`) accounts for it: a closed fonds' boxes move only on a transfer. An open move order does
    not cover it: completing one raises this alert too (`closed_fonds_moved`)."""
    return [Draft("closed_fonds", at, box, code, place, N_("a box of a closed fonds was seen away from its "
                     "shelf without a transfer"), "scan", {"home": home, "closed_on": closed.isoformat()})
            for box, code, place, home, rack, closed, at in sightings
            if closed is not None and closed <= day_of(at, zone) and off_home(place, home, rack)
            and box not in covered]


def closed_fonds_moved(moves: Iterable[tuple[int, str, date | None, datetime, int, int]],
                       zone: tzinfo = UTC) -> list[Draft]:
    """Boxes of a closed fonds re-shelved by a move order (box id, code, fonds closed on, at, new shelf id,
    order id), on or after the closing day."""
    return [Draft("closed_fonds", at, box, code, shelf, N_("a box of a closed fonds was moved to another shelf "
                     "without a transfer"), f"move:{order}", {"order": order, "closed_on": closed.isoformat()})
            for box, code, closed, at, shelf, order in moves if closed is not None and closed <= day_of(at, zone)]


def missing_on_receipt(transfer_id: int, at: datetime, boxes: Iterable[tuple[int, str]],
                       destination: int | None) -> list[Draft]:
    """Each box (id, code) of a transfer that left and did not arrive, declared missing on its receipt."""
    return [Draft("missing", at, box, code, destination, N_("did not arrive with its transfer"),
                  f"transfer:{transfer_id}", {"transfer": transfer_id}) for box, code in boxes]


def unknown_reads(reads: Iterable[tuple[str, datetime, str]]) -> list[Draft]:
    """Each read (code, at, device) of a code that names nothing."""
    return [Draft("unknown_code", at, None, code, None, N_("a code Kho does not know was read"), "scan",
                  {"device": device}) for code, at, device in reads]


def gate_exits(reads: Iterable[dict]) -> list[Draft]:
    """Box reads at a gate with no open transfer or check-out: the most urgent alert."""
    return [Draft("unauthorised_exit", r["at"], r.get("box_id"), r["box"], r.get("gate_id"),
                  N_("a box passed a gate without a transfer or check-out"), "scan",
                  {"gate": r["gate"], "device": r.get("device"), "seq": r.get("seq")}) for r in reads]


def overdue_transfers(transfers: Iterable[dict], now: datetime) -> list[Draft]:
    """Each box (id, code) still in transit on a transfer past its expected arrival."""
    return [Draft("overdue_transit", now, box, code, None, N_("in transit past the expected arrival"),
                  f"transfer:{t['transfer']}", {"transfer": t["transfer"], "expected_at": t["expected_at"]})
            for t in transfers for box, code in t["boxes"]]


def store_of(path: str) -> str:
    """The store (kho) a location is in, by code: the first segment of its path ("/K01/K01-D01/" → K01)."""
    return path.split("/", 2)[1]


# A box sighting for the duplicate rule: box id, box code, at, store code, place id, and whether it is
# one of the reads judged now (True) or one stored before them, for comparison (False).
Sighting = tuple[int, str, datetime, str, int | None, bool]


def duplicate_codes(sightings: Iterable[Sighting], travel: timedelta) -> list[Draft]:
    """One box code read in two stores closer in time than it takes to travel between them: two labels
    carry the same code, or a copy of one was made. Each such pair raises once, at the read judged now
    (the later one when both are): a read that arrives late is compared with those stored after it too."""
    by_box: dict[int, list[Sighting]] = {}
    for s in sightings:
        by_box.setdefault(s[0], []).append(s)
    drafts = []
    for seen in by_box.values():
        if len({s[3] for s in seen}) < 2 or not any(s[5] for s in seen):
            continue
        seen.sort(key=lambda s: s[2])
        for i, (box, code, at, store, place, judged) in enumerate(seen):
            if not judged:
                continue
            other = min((o for j, o in enumerate(seen) if o[3] != store and abs(o[2] - at) < travel
                         and (j < i or not o[5])), key=lambda o: abs(o[2] - at), default=None)
            if other is not None:
                drafts.append(Draft("duplicate_code", at, box, code, place,
                                    N_("one code read in two stores too close in time"), "scan",
                                    {"store": store, "other_store": other[3], "other_at": other[2].isoformat(),
                                     "seconds": abs(at - other[2]).total_seconds()}))
    return drafts


def scan_conflicts(conflicts: Iterable[tuple[int, str, int, datetime]]) -> list[Draft]:
    """A device reused a sequence number with other content: (conflict id, device, seq, at)."""
    return [Draft("scan_conflict", at, None, f"{device}#{seq}", None,
                  N_("a device sent another read under a sequence number already used"), "scan",
                  {"conflict": cid, "device": device, "seq": seq}) for cid, device, seq, at in conflicts]


def not_seen(boxes: Iterable[tuple[int, str, datetime | None]], now: datetime, days: int) -> list[Draft]:
    """Boxes not seen for `days` days (off unless ALERT_NOT_SEEN_DAYS is set)."""
    limit = now - timedelta(days=days)
    return [Draft("missing", now, box, code, None, N_("not seen for longer than the set number of days"),
                  "sweep", {"days": days})
            for box, code, last in boxes if last is None or last < limit]


def late_files(files: Iterable[tuple], at: datetime) -> list[Draft]:
    """Files added (box id, box code, file number, fonds closed on, start, end) whose date (its end, else
    its start) falls after the day their fonds was closed."""
    drafts = []
    for box, code, number, closed, start, end in files:
        dated = end or start
        if closed is not None and dated is not None and dated > closed:
            drafts.append(Draft("closed_fonds", at, box, code, None, N_("a file dated after its fonds was closed was added"),
                                "register", {"file": number, "closed_on": closed.isoformat(),
                                             "dated": dated.isoformat()}))
    return drafts

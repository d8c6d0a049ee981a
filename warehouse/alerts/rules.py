"""Alert rules as pure functions: plain facts in, Drafts out. Adding a rule is adding a function here
(and calling it where its facts arise: a stock-take closing, a batch of reads, or the sweep)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
    drafts = [Draft("missing", at, box, code, home, "not found in the stock-take", source)
              for box, code, home in missing]
    drafts += [Draft("misplaced", at, box, code, found, "found away from its home shelf", source,
                     {"home": home}) for box, code, home, found in misplaced]
    drafts += [Draft("unknown_code", at, None, code, None, "a code Kho does not know was read", source)
               for code in unknown]
    return drafts


def misplaced_sightings(sightings: Iterable[tuple[int, str, int, int | None, int | None, datetime]],
                        moving: set[int]) -> list[Draft]:
    """A box seen (box id, code, place id, home id, home's rack id, at) at a place that is neither its
    home nor the rack holding it, with no open move order for it (`moving`)."""
    return [Draft("misplaced", at, box, code, place, "seen away from its home shelf", "scan",
                  {"home": home})
            for box, code, place, home, rack, at in sightings
            if home is not None and place not in (home, rack) and box not in moving]


def unknown_reads(reads: Iterable[tuple[str, datetime, str]]) -> list[Draft]:
    """Each read (code, at, device) of a code that names nothing."""
    return [Draft("unknown_code", at, None, code, None, "a code Kho does not know was read", "scan",
                  {"device": device}) for code, at, device in reads]


def gate_exits(reads: Iterable[dict]) -> list[Draft]:
    """Box reads at a gate with no open transfer or check-out: the most urgent alert."""
    return [Draft("unauthorised_exit", r["at"], r.get("box_id"), r["box"], r.get("gate_id"),
                  "a box passed a gate without a transfer or check-out", "scan",
                  {"gate": r["gate"], "device": r.get("device"), "seq": r.get("seq")}) for r in reads]


def overdue_transfers(transfers: Iterable[dict], now: datetime) -> list[Draft]:
    """Each box still in transit on a transfer past its expected arrival."""
    return [Draft("overdue_transit", now, None, box, None, "in transit past the expected arrival",
                  f"transfer:{t['transfer']}", {"expected_at": t["expected_at"]})
            for t in transfers for box in t["boxes"]]


def duplicate_codes(sightings: list[tuple[int, str, datetime, int | None]], travel: timedelta) -> list[Draft]:
    """One box code read in two stores (box id, code, at, store id) closer in time than it takes to
    travel between them: two labels carry the same code, or a copy of one was made."""
    drafts, last = [], {}
    for box, code, at, store in sorted(sightings, key=lambda s: s[2]):
        before = last.get(box)
        if before and store is not None and before[1] is not None and before[1] != store \
                and at - before[0] < travel:
            drafts.append(Draft("duplicate_code", at, box, code, None,
                                "one code read in two stores too close in time", "scan",
                                {"seconds": (at - before[0]).total_seconds()}))
        last[box] = (at, store)
    return drafts


def scan_conflicts(conflicts: Iterable[tuple[int, str, int, datetime]]) -> list[Draft]:
    """A device reused a sequence number with other content: (conflict id, device, seq, at)."""
    return [Draft("scan_conflict", at, None, f"{device}#{seq}", None,
                  "a device sent another read under a sequence number already used", "scan",
                  {"conflict": cid, "device": device, "seq": seq}) for cid, device, seq, at in conflicts]


def not_seen(boxes: Iterable[tuple[int, str, datetime | None]], now: datetime, days: int) -> list[Draft]:
    """Boxes not seen for `days` days (off unless ALERT_NOT_SEEN_DAYS is set)."""
    limit = now - timedelta(days=days)
    return [Draft("missing", now, box, code, None, f"not seen for {days} days", "sweep")
            for box, code, last in boxes if last is None or last < limit]


def late_files(files: Iterable[tuple], at: datetime) -> list[Draft]:
    """Files added (box id, box code, file number, fonds closed on, start, end) whose date (its end, else
    its start) falls after the day their fonds was closed."""
    drafts = []
    for box, code, number, closed, start, end in files:
        dated = end or start
        if closed is not None and dated is not None and dated > closed:
            drafts.append(Draft("closed_fonds", at, box, code, None, "a file dated after its fonds was closed was added",
                                "register", {"file": number, "closed_on": closed.isoformat(),
                                             "dated": dated.isoformat()}))
    return drafts

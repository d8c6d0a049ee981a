"""Two closed stock-takes of the same scope side by side: what went missing, what came back, what moved."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.errors import N_, refused
from warehouse.models import Location, StocktakeResult
from warehouse.stocktake.sessions import find

Line = tuple[str, str, str | None, str | None]  # (outcome, box code, expected code, found code)
SEEN = ("found", "misplaced", "unlocated")


def where(line: Line) -> str | None:
    """Where a stock-take located a box: its home when found, the place read when misplaced."""
    outcome, _, expected, found = line
    return expected if outcome == "found" else found if outcome == "misplaced" else None


def changes(before: Mapping[int, Line], after: Mapping[int, Line]) -> dict:
    """What changed from one result to the next, per box (keys: box ids; unexpected lines left out)."""
    out: dict = {"newly_missing": [], "found_again": [], "still_missing": [], "moved": [],
                 "newly_expected": [], "no_longer_expected": []}
    for box, line in after.items():
        old = before.get(box)
        code = line[1]
        if old is None:
            out["newly_expected"].append(code)
        if line[0] == "missing":
            out["still_missing" if old is not None and old[0] == "missing" else "newly_missing"].append(code)
        elif old is not None and old[0] == "missing" and line[0] in SEEN:
            out["found_again"].append(code)
        if old is not None and where(old) and where(line) and where(old) != where(line):
            out["moved"].append({"box": code, "before": where(old), "after": where(line)})
    out["no_longer_expected"] = [line[1] for box, line in before.items() if box not in after]
    for items in out.values():
        items.sort(key=lambda item: item["box"] if isinstance(item, dict) else item)
    return out


def _lines(session: Session, stocktake_id: int) -> dict[int, Line]:
    r, home, seen = StocktakeResult, Location.__table__.alias("home"), Location.__table__.alias("seen")
    query = (select(r.box_id, r.outcome, r.code, home.c.code, seen.c.code)
             .outerjoin(home, home.c.id == r.expected_id).outerjoin(seen, seen.c.id == r.found_id)
             .where(r.stocktake_id == stocktake_id, r.outcome != "unexpected"))
    return {box: (outcome, code, exp, found) for box, outcome, code, exp, found in session.execute(query)}


def compare(session: Session, first: int, second: int) -> dict:
    """Compare two closed stock-takes of the same scope and fonds, the earlier one first."""
    a, b = sorted((find(session, first), find(session, second)), key=lambda s: s.id)
    if a.id == b.id:
        raise refused(N_("compare two different stock-takes"))
    for one in (a, b):
        if one.is_open:
            raise refused(N_("stock-take %(id)s is still open: only closed results are compared"), id=one.id)
    if (a.scope_id, a.fonds_id) != (b.scope_id, b.fonds_id):
        raise refused(N_("stock-takes %(a)s and %(b)s do not have the same scope and fonds"), a=a.id, b=b.id)
    doc = {"before": a.id, "after": b.id, "scope": a.scope.code if a.scope else None,
           "fonds": a.fonds.code if a.fonds else None}
    doc.update(changes(_lines(session, a.id), _lines(session, b.id)))
    return doc

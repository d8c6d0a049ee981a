"""Importing a locations file: check every row against the file and the database, then insert the
new places level by level (set-based) and update the names and capacities of the known ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from warehouse import audit
from warehouse.errors import ImportRefused
from warehouse.importing.locations import LocationRecord, LocationSheet, place_locations, read_locations
from warehouse.importing.lookups import no_progress, rows_in, source_rows, taken_codes
from warehouse.models import Location
from warehouse.text import fold

PREVIEW_ROWS = 20


@dataclass
class LocationPlan:
    sheet: LocationSheet
    new: list[LocationRecord] = field(default_factory=list)
    changed: list[tuple[int, LocationRecord]] = field(default_factory=list)
    unchanged: list[LocationRecord] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[dict]:
        return sorted(self.sheet.errors, key=lambda e: (e["row"] or 0))


def _known(session: Session, codes: set[str]) -> dict[str, tuple]:
    """code → (id, kind, path, parent code, name, capacity) of the places already in Kho."""
    parent = aliased(Location)
    query = lambda part: (select(Location.code, Location.id, Location.kind, Location.path, parent.code,
                                 Location.name, Location.capacity)
                          .outerjoin(parent, parent.id == Location.parent_id).where(Location.code.in_(part)))
    return {row[0]: tuple(row[1:]) for row in rows_in(session, query, codes)}


def plan_locations(session: Session, rows) -> LocationPlan:
    """Every check of a locations file, with what saving it would do."""
    sheet = read_locations(rows)
    plan = LocationPlan(sheet)
    codes = {r.code for r in sheet.records} | {r.parent for r in sheet.records if r.parent}
    known = _known(session, codes)
    plan.ids = {code: facts[0] for code, facts in known.items()}
    taken = taken_codes(session, {r.code for r in sheet.records} - set(known))
    for record in sheet.records:
        facts = known.get(record.code)
        if record.code in taken:
            sheet.errors.append({"row": record.row, "column": sheet.header("code"),
                                 "error": f"{record.code} is already the code of a {taken[record.code]}: "
                                          "one code names one thing"})
        elif facts and (facts[1] != record.kind or facts[3] != record.parent):
            where = f"in {facts[3]}" if facts[3] else "at the top"
            sheet.errors.append({"row": record.row, "column": sheet.header("code"),
                                 "error": f"{record.code} is already a {facts[1]} {where} in Kho"})
    for record in place_locations(sheet, {c: (f[1], f[2]) for c, f in known.items()}):
        facts = known.get(record.code)
        if facts is None:
            plan.new.append(record)
        elif (facts[4], facts[5]) != (record.name, record.capacity):
            plan.changed.append((facts[0], record))
        else:
            plan.unchanged.append(record)
    return plan


def _save(session: Session, plan: LocationPlan, progress: Callable[[int, int], None]) -> None:
    """Insert the new places parents first, one executemany per level of the tree."""
    total, done = len(plan.new) + len(plan.changed), 0
    levels: dict[int, list[LocationRecord]] = {}
    for record in plan.new:
        levels.setdefault(record.path.count("/"), []).append(record)
    ids = dict(plan.ids)
    for depth in sorted(levels):
        batch = [{"code": r.code, "name": r.name, "name_key": fold(r.name), "kind": r.kind,
                  "parent_id": ids[r.parent] if r.parent else None, "path": r.path, "capacity": r.capacity}
                 for r in levels[depth]]
        for id_, code in session.execute(insert(Location).returning(Location.id, Location.code), batch):
            ids[code] = id_
        done += len(batch)
        progress(done, total)
    if plan.changed:
        session.execute(update(Location), [{"id": id_, "name": r.name, "name_key": fold(r.name),
                                            "capacity": r.capacity} for id_, r in plan.changed])
        progress(total, total)


def _counts(records: list[LocationRecord]) -> dict[str, int]:
    return dict(Counter(r.kind for r in records))


def preview_locations(session: Session, source, filename: str | None = None) -> dict:
    """What importing the file would do, without saving anything."""
    rows, name, _ = source_rows(source, filename)
    plan = plan_locations(session, rows)
    return {"kind": "locations", "filename": name, "errors": plan.errors, "warnings": [],
            "total": len(plan.new) + len(plan.changed) + len(plan.unchanged),
            "new": _counts(plan.new), "existing": _counts([r for _, r in plan.changed] + plan.unchanged),
            "rows": [asdict(r) for r in (plan.new + [r for _, r in plan.changed] + plan.unchanged)
                     [:PREVIEW_ROWS]]}


def import_locations(session: Session, source, actor: str, progress: Callable[[int, int], None] | None = None,
                     filename: str | None = None) -> dict:
    """Import a locations file whole, or refuse it whole with every error by row and column."""
    rows, name, digest = source_rows(source, filename)
    plan = plan_locations(session, rows)
    if plan.errors:
        raise ImportRefused(plan.errors)
    try:
        _save(session, plan, progress or no_progress)
    except IntegrityError as e:
        raise ImportRefused([{"row": None, "column": None,
                              "error": f"the database refused the import (changed meanwhile?): {e.orig}"}])
    result = {"locations": len(plan.new), "updated": len(plan.changed), "unchanged": len(plan.unchanged),
              "kinds": _counts(plan.new), "warnings": []}
    audit.record(session, actor, "import.locations", f"file:{name}", file=name, sha256=digest,
                 locations=len(plan.new), updated=len(plan.changed), unchanged=len(plan.unchanged))
    return result

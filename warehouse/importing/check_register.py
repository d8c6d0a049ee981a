"""Checking a register (mục lục hồ sơ) against itself and the database before anything is saved:
every error by row and column, and what saving would do (the plan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.importing.lookups import rows_in, taken_codes
from warehouse.importing.register import BoxRecord, RegisterSheet, fonds_names, group_boxes, read_register
from warehouse.models import Box, File, Fonds, Location


@dataclass
class KnownBox:
    id: int
    code: str
    epc: str | None
    home_id: int | None
    retired: bool = False


@dataclass
class RegisterPlan:
    sheet: RegisterSheet
    boxes: dict[tuple[str, int], BoxRecord] = field(default_factory=dict)
    fonds_ids: dict[str, int] = field(default_factory=dict)
    new_fonds: dict[str, str] = field(default_factory=dict)
    known_boxes: dict[tuple[str, int], KnownBox] = field(default_factory=dict)
    homes: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": self.sheet.header(column), "error": message})


def _check_fonds(session: Session, plan: RegisterPlan) -> None:
    """Known fonds by code; a new one needs its name (Tên phông)."""
    names = fonds_names(plan.sheet.records)
    found = rows_in(session, lambda part: select(Fonds.code, Fonds.id).where(Fonds.code.in_(part)), names)
    plan.fonds_ids = {code: id_ for code, id_ in found}
    for code, (name, row) in names.items():
        if code in plan.fonds_ids:
            continue
        if not name:
            plan.fail(row, "fonds_name", f"fonds {code} is new to Kho: its name (Tên phông) is needed")
        plan.new_fonds[code] = name


def _check_files(session: Session, plan: RegisterPlan) -> None:
    """A file already in Kho (same fonds, mục lục số and số ký hiệu) cannot be imported again."""
    for code, fonds_id in plan.fonds_ids.items():
        records = [r for r in plan.sheet.records if r.fonds == code]
        numbers = {r.number for r in records}
        query = lambda part, fid=fonds_id: select(File.catalogue, File.number).where(
            File.fonds_id == fid, File.number.in_(part))
        stored = set(map(tuple, rows_in(session, query, numbers)))
        for record in records:
            if (record.catalogue, record.number) in stored:
                plan.fail(record.row, "number", f"file {record.number} of fonds {code} (mục lục "
                                                f"{record.catalogue}) is already in Kho")


def _check_homes(session: Session, plan: RegisterPlan) -> None:
    """A box's home is a shelf (ngăn) that exists."""
    wanted = {b.location for b in plan.boxes.values() if b.location}
    query = lambda part: select(Location.code, Location.id, Location.kind).where(Location.code.in_(part))
    found = {code: (id_, kind) for code, id_, kind in rows_in(session, query, wanted)}
    for box in plan.boxes.values():
        if not box.location:
            continue
        row = box.given_at["location"]
        if box.location not in found:
            plan.fail(row, "location", f"no location {box.location} in Kho: import the locations first")
        elif found[box.location][1] != "ngan":
            plan.fail(row, "location", f"{box.location} is a {found[box.location][1]}, not a shelf (ngan): "
                                       "a box's home is a shelf")
        else:
            plan.homes[box.location] = found[box.location][0]


def _check_boxes(session: Session, plan: RegisterPlan) -> None:
    """Known boxes receive the new files; new boxes' codes and EPCs must be free."""
    ids = {id_: code for code, id_ in plan.fonds_ids.items()}
    query = lambda part: (select(Box.fonds_id, Box.number, Box.id, Box.code, Box.epc, Box.home_id,
                                 Box.retired_at.is_not(None)).where(Box.fonds_id.in_(part)))
    for fonds_id, number, *facts in rows_in(session, query, ids):
        if (ids[fonds_id], number) in plan.boxes:
            plan.known_boxes[(ids[fonds_id], number)] = KnownBox(*facts)
    home_ids = {id_: code for code, id_ in plan.homes.items()}
    for key, box in plan.boxes.items():
        known = plan.known_boxes.get(key)
        if known is None:
            continue
        where = f"box {box.number} of fonds {box.fonds} is already in Kho"
        if known.retired:
            plan.fail(box.row, "box", f"box {box.number} of fonds {box.fonds} ({known.code}) is retired: "
                                      "its number takes no more files")
        if box.code and box.code != known.code:
            plan.fail(box.given_at["code"], "box_code", f"{where} with the code {known.code}")
        if box.epc and known.epc and box.epc != known.epc:
            plan.fail(box.given_at["epc"], "epc", f"{where} with the EPC {known.epc}")
        home = plan.homes.get(box.location or "")
        if home and known.home_id and home != known.home_id:
            plan.fail(box.given_at["location"], "location",
                      f"{where} with its home at {home_ids.get(known.home_id, known.home_id)}")
    new = [b for k, b in plan.boxes.items() if k not in plan.known_boxes]
    taken = taken_codes(session, {b.final_code for b in new})
    for box in new:
        if box.final_code in taken:
            plan.fail(box.given_at.get("code", box.row), "box_code",
                      f"{box.final_code} is already the code of a {taken[box.final_code]}: "
                      "one code names one thing")
    epcs = {b.epc: b for k, b in plan.boxes.items() if b.epc and not (
        k in plan.known_boxes and plan.known_boxes[k].epc == b.epc)}
    for (value,) in rows_in(session, lambda part: select(Box.epc).where(Box.epc.in_(part)), epcs):
        plan.fail(epcs[value].given_at["epc"], "epc", f"EPC {value} is already on another box")


def _check_capacity(session: Session, plan: RegisterPlan) -> None:
    """Shelves that would hold more boxes than their capacity: a warning, never a refusal."""
    arriving: dict[str, list[BoxRecord]] = {}
    for key, box in plan.boxes.items():
        known = plan.known_boxes.get(key)
        if box.location in plan.homes and not (known and known.home_id):
            arriving.setdefault(box.location, []).append(box)
    if not arriving:
        return
    query = lambda part: (select(Location.code, Location.capacity, func.count(Box.id))
                          .outerjoin(Box, Box.home_id == Location.id).where(Location.code.in_(part))
                          .group_by(Location.code, Location.capacity))
    for code, capacity, stored in rows_in(session, query, arriving):
        boxes = stored + len(arriving[code])
        if capacity is not None and boxes > capacity:
            plan.warnings.append({"row": arriving[code][0].given_at["location"],
                                  "column": plan.sheet.header("location"),
                                  "warning": f"shelf {code} will hold {boxes} boxes, over its capacity "
                                             f"of {capacity}"})


def plan_register(session: Session, rows) -> RegisterPlan:
    """Every check of a register file, with what saving it would do."""
    sheet = read_register(rows)
    boxes, errors = group_boxes(sheet)
    plan = RegisterPlan(sheet, boxes, errors=sheet.errors + errors)
    for check in (_check_fonds, _check_files, _check_homes, _check_boxes, _check_capacity):
        check(session, plan)
    plan.errors = sheet.sort(plan.errors)
    return plan

"""Importing a register (mục lục hồ sơ) whole or not at all: agencies, fonds, catalogues, boxes and
files saved with set-based inserts, in batches, with progress; one audit entry for the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import ImportRefused
from warehouse.importing.bulk import insert_rows
from warehouse.importing.check_register import RegisterPlan, plan_register
from warehouse.importing.lookups import no_progress, rows_in, source_rows
from warehouse.models import Agency, Box, Catalogue, File, Fonds
from warehouse.text import fold

PREVIEW_ROWS = 20
BATCH = 5000


def _agencies(session: Session, names: set[str]) -> dict[str, int]:
    """Agency ids by name key, found or created (one insert for the missing ones)."""
    keys = {fold(n): n for n in names}
    query = lambda part: select(Agency.name_key, Agency.id).where(Agency.name_key.in_(part))
    ids = dict(rows_in(session, query, keys))
    missing = [{"name": name, "name_key": key} for key, name in keys.items() if key not in ids]
    if missing:
        ids.update(session.execute(insert(Agency).returning(Agency.name_key, Agency.id), missing).all())
    return ids


def _fonds(session: Session, plan: RegisterPlan) -> dict[str, int]:
    """Ids of every fonds the file names, the new ones inserted with their agency."""
    ids = dict(plan.fonds_ids)
    if plan.new_fonds:
        agencies = _agencies(session, set(plan.new_fonds.values()))
        rows = [{"code": code, "name": name, "name_key": fold(name), "agency_id": agencies[fold(name)]}
                for code, name in plan.new_fonds.items()]
        ids.update(session.execute(insert(Fonds).returning(Fonds.code, Fonds.id), rows).all())
    return ids


def _catalogues(session: Session, plan: RegisterPlan, fonds: dict[str, int]) -> int:
    """A Catalogue row for each (fonds, mục lục số) the file uses; returns how many were new."""
    wanted = {(fonds[r.fonds], r.catalogue) for r in plan.sheet.records}
    query = lambda part: select(Catalogue.fonds_id, Catalogue.number).where(Catalogue.fonds_id.in_(part))
    have = set(map(tuple, rows_in(session, query, {f for f, _ in wanted})))
    rows = [{"fonds_id": f, "number": n, "title": ""} for f, n in sorted(wanted - have)]
    if rows:
        session.execute(insert(Catalogue), rows)
    return len(rows)


def _boxes(session: Session, plan: RegisterPlan, fonds: dict[str, int]) -> dict[tuple[str, int], int]:
    """Box ids by (fonds, number): known boxes (given an EPC or home they lacked) and new ones."""
    ids = {key: known.id for key, known in plan.known_boxes.items()}
    codes = {id_: code for code, id_ in fonds.items()}
    updates = []
    for key, known in plan.known_boxes.items():
        box = plan.boxes[key]
        epc = known.epc or box.epc
        home = known.home_id or plan.homes.get(box.location or "")
        if (epc, home) != (known.epc, known.home_id):
            updates.append({"id": known.id, "epc": epc, "home_id": home})
    if updates:
        session.execute(update(Box), updates)
    new = [{"code": b.final_code, "epc": b.epc, "fonds_id": fonds[b.fonds], "number": b.number,
            "home_id": plan.homes.get(b.location or "")}
           for key, b in plan.boxes.items() if key not in ids]
    insert_rows(session, Box.__table__, new)
    query = lambda part: select(Box.fonds_id, Box.number, Box.id).where(Box.fonds_id.in_(part))
    for fonds_id, number, id_ in rows_in(session, query, {fonds[f] for f, _ in plan.boxes}):
        if (codes[fonds_id], number) in plan.boxes:
            ids[(codes[fonds_id], number)] = id_
    return ids


def _files(session: Session, plan: RegisterPlan, fonds: dict[str, int], boxes: dict[tuple[str, int], int],
           progress: Callable[[int, int], None]) -> None:
    """The files, BATCH rows to an executemany."""
    records, table = plan.sheet.records, File.__table__
    progress(0, len(records))
    for start in range(0, len(records), BATCH):
        rows = [{"fonds_id": fonds[r.fonds], "catalogue": r.catalogue, "box_id": boxes[(r.fonds, r.box)],
                 "position": r.position, "number": r.number, "file_code": r.file_code, "title": r.title,
                 "title_key": fold(r.title), "start_date": r.start_date, "end_date": r.end_date,
                 "retention": r.retention, "retention_years": r.retention_years, "pages": r.pages,
                 "access": r.access, "completed": r.completed, "note": r.note}
                for r in records[start:start + BATCH]]
        insert_rows(session, table, rows)
        progress(start + len(rows), len(records))


def preview_register(session: Session, source, filename: str | None = None) -> dict:
    """What importing the register would do, without saving anything."""
    rows, name, _ = source_rows(source, filename)
    plan = plan_register(session, rows)
    known_fonds = {r.fonds for r in plan.sheet.records} - set(plan.new_fonds)
    return {"kind": "register", "filename": name, "errors": plan.errors, "warnings": plan.warnings,
            "total": len(plan.sheet.records),
            "new": {"fonds": len(plan.new_fonds), "boxes": len(plan.boxes) - len(plan.known_boxes),
                    "files": len(plan.sheet.records)},
            "existing": {"fonds": len(known_fonds), "boxes": len(plan.known_boxes)},
            "rows": [asdict(r) for r in plan.sheet.records[:PREVIEW_ROWS]]}


def import_register(session: Session, source, actor: str, progress: Callable[[int, int], None] | None = None,
                    filename: str | None = None) -> dict:
    """Import a register whole, or refuse it whole with every error by row and column."""
    rows, name, digest = source_rows(source, filename)
    plan = plan_register(session, rows)
    if plan.errors:
        raise ImportRefused(plan.errors)
    try:
        fonds = _fonds(session, plan)
        catalogues = _catalogues(session, plan, fonds)
        boxes = _boxes(session, plan, fonds)
        _files(session, plan, fonds, boxes, progress or no_progress)
    except IntegrityError as e:
        raise ImportRefused([{"row": None, "column": None,
                              "error": f"the database refused the import (changed meanwhile?): {e.orig}"}])
    result = {"boxes": len(plan.boxes), "files": len(plan.sheet.records), "fonds": len(plan.new_fonds),
              "new_boxes": len(plan.boxes) - len(plan.known_boxes), "catalogues": catalogues,
              "warnings": plan.warnings}
    audit.record(session, actor, "import.register", f"file:{name}", file=name, sha256=digest,
                 **{k: v for k, v in result.items() if k != "warnings"})
    from warehouse.alerts.registers import after_register_import

    after_register_import(session, plan.sheet.records, boxes, actor)  # files dated after a fonds closed
    return result

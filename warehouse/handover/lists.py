"""Importing a handover list (mục lục hồ sơ, tài liệu nộp lưu; danh mục bàn giao) whole or not at all.

The file has the register's columns and is read by the register's parser (title rows, merged box
cells, NFD headers, footers…); the Mã phông column may be left out, the list's fonds fills it. A list
is kept in its own tables and never creates or changes register boxes or files: it may name boxes
the register does not know (a warning here; missing when reconciled)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.agencies import agency_named
from warehouse.errors import N_, ImportRefused, refused
from warehouse.fonds import get_fonds
from warehouse.importing.bulk import insert_rows
from warehouse.importing.lookups import no_progress, rows_in, source_rows
from warehouse.importing.register import BoxRecord, RegisterSheet, group_boxes, read_register
from warehouse.models import Agency, Box, Fonds, Handover, HandoverBox, HandoverRow, Location
from warehouse.text import fold, nfc

PREVIEW_ROWS = 20
BATCH = 5000
WARNINGS = 100  # warnings listed one by one; past this, one more says how many were left out


@dataclass(frozen=True)
class Handing:
    """The handover a list belongs to: giving agency and fonds, receiving body, date, people."""

    fonds: str
    giver: str
    receiver: str
    handed_on: date | None = None
    giver_person: str = ""
    receiver_person: str = ""
    note: str = ""

    @classmethod
    def of(cls, fonds: str, giver: str, receiver: str, handed_on: date | str | None = None,
           giver_person: str = "", receiver_person: str = "", note: str = "") -> Handing:
        """From plain values (a date may come as ISO text, as a job's options keep it)."""
        if isinstance(handed_on, str):
            handed_on = date.fromisoformat(handed_on) if handed_on.strip() else None
        return cls((fonds or "").strip().upper(), nfc(giver), nfc(receiver), handed_on, nfc(giver_person),
                   nfc(receiver_person), (note or "").strip())

    def options(self) -> dict:
        """As JSON-safe keyword arguments of `import_list`."""
        return {**asdict(self), "handed_on": self.handed_on.isoformat() if self.handed_on else None}


def check_handing(session: Session, handing: Handing) -> Fonds:
    """The list's fonds; the giving and receiving bodies named and not the same."""
    if not handing.fonds:
        raise refused(N_("a handover list needs its fonds"))
    fonds = get_fonds(session, handing.fonds)
    if not handing.giver:
        raise refused(N_("a handover list needs the giving agency"))
    if not handing.receiver:
        raise refused(N_("a handover list needs the receiving body"))
    if fold(handing.giver) == fold(handing.receiver):
        raise refused(N_("the giving and the receiving bodies are the same: %(name)s"), name=handing.giver)
    return fonds


@dataclass
class ListPlan:
    sheet: RegisterSheet
    boxes: dict[tuple[str, int], BoxRecord]
    errors: list[dict]
    warnings: list[dict] = field(default_factory=list)
    known: int = 0  # listed boxes the register knows


def plan_list(session: Session, rows, fonds: Fonds) -> ListPlan:
    """Every check of a list file against itself and its fonds, and what the register knows of it."""
    sheet = read_register(rows, fonds=fonds.code)
    boxes, errors = group_boxes(sheet)
    errors = sheet.errors + errors
    for record in sheet.records:
        if record.fonds != fonds.code:
            errors.append({"row": record.row, "column": sheet.header("fonds"),
                           "error": f"this list is of fonds {fonds.code}, but this row names fonds {record.fonds}"})
    plan = ListPlan(sheet, boxes, sheet.sort(errors))
    if not plan.errors:
        _known_boxes(session, plan, fonds)
        _known_places(session, plan)
    return plan


def _warn(plan: ListPlan, row: int, column: str, message: str) -> None:
    if len(plan.warnings) < WARNINGS:
        plan.warnings.append({"row": row, "column": plan.sheet.header(column), "warning": message})
    elif len(plan.warnings) == WARNINGS:
        plan.warnings.append({"row": None, "column": None, "warning": "… and more warnings like these"})


def _known_boxes(session: Session, plan: ListPlan, fonds: Fonds) -> None:
    """Listed boxes the register does not know are a warning: they will count as missing."""
    codes = {b.code for b in plan.boxes.values() if b.code}
    known = {c for (c,) in rows_in(session, lambda part: select(Box.code).where(Box.code.in_(part)), codes)}
    numbers = set(session.scalars(select(Box.number).where(Box.fonds_id == fonds.id)))
    for box in plan.boxes.values():
        if (box.code in known) if box.code else (box.number in numbers):
            plan.known += 1
            continue
        named = box.code or f"{fonds.code} {box.number}"
        _warn(plan, box.given_at.get("code", box.row), "box_code" if box.code else "box",
              f"box {named} is not in the register: it will count as missing")


def _known_places(session: Session, plan: ListPlan) -> None:
    """A Vị trí that names no location in Kho is a warning: the box cannot be found in place there."""
    wanted = {b.location for b in plan.boxes.values() if b.location}
    found = {c for (c,) in rows_in(session, lambda part: select(Location.code).where(Location.code.in_(part)),
                                   wanted)}
    for box in plan.boxes.values():
        if box.location and box.location not in found:
            _warn(plan, box.given_at["location"], "location", f"no location {box.location} in Kho")


def _agencies(session: Session, handing: Handing) -> dict[str, bool]:
    """Which of the two bodies Kho knows already (by folded name)."""
    keys = {fold(handing.giver), fold(handing.receiver)}
    known = set(session.scalars(select(Agency.name_key).where(Agency.name_key.in_(keys))))
    return {name: fold(name) in known for name in (handing.giver, handing.receiver)}


def preview_list(session: Session, source, handing: Handing, filename: str | None = None) -> dict:
    """What importing the list would do (counts, first rows, warnings, every error); saves nothing."""
    fonds = check_handing(session, handing)
    rows, name, _ = source_rows(source, filename)
    plan = plan_list(session, rows, fonds)
    agencies = _agencies(session, handing)
    return {"kind": "handover", "filename": name, "errors": plan.errors, "warnings": plan.warnings,
            "total": len(plan.sheet.records),
            "new": {"rows": len(plan.sheet.records), "boxes": len(plan.boxes),
                    "agencies": sum(not known for known in agencies.values())},
            "existing": {"boxes": plan.known, "agencies": sum(agencies.values())},
            "rows": [asdict(r) for r in plan.sheet.records[:PREVIEW_ROWS]],
            "options": handing.options(), "fonds_name": fonds.name}


def import_list(session: Session, source, actor: str, progress: Callable[[int, int], None] | None = None,
                filename: str | None = None, **handover) -> dict:
    """Import a list whole, or refuse it whole with every error by row and column → {"id", "rows", "boxes"}.

    `handover`: the fields of Handing (fonds, giver, receiver, handed_on, giver_person, …)."""
    handing = Handing.of(**handover)
    fonds = check_handing(session, handing)
    rows, name, digest = source_rows(source, filename)
    plan = plan_list(session, rows, fonds)
    if plan.errors:
        raise ImportRefused(plan.errors)
    giver, receiver = agency_named(session, handing.giver, actor), agency_named(session, handing.receiver, actor)
    saved = Handover(fonds_id=fonds.id, giver_id=giver.id, receiver_id=receiver.id, handed_on=handing.handed_on,
                     giver_person=handing.giver_person, receiver_person=handing.receiver_person,
                     note=handing.note, state="draft", filename=name[:255], sha256=digest,
                     rows=len(plan.sheet.records), boxes=len(plan.boxes), created_by=actor)
    session.add(saved)
    session.flush()
    _save_rows(session, saved.id, plan, progress or no_progress)
    result = {"id": saved.id, "rows": saved.rows, "boxes": saved.boxes, "known": plan.known,
              "warnings": plan.warnings}
    audit.record(session, actor, "handover.import", f"handover:{saved.id}", file=name, sha256=digest,
                 fonds=fonds.code, giver=giver.name, receiver=receiver.name, handed_on=handing.handed_on,
                 giver_person=handing.giver_person, receiver_person=handing.receiver_person,
                 rows=saved.rows, boxes=saved.boxes, known=plan.known)
    return result


def _save_rows(session: Session, handover_id: int, plan: ListPlan, progress: Callable[[int, int], None]) -> None:
    """The listed boxes in one insert, then the rows BATCH at a time (COPY on PostgreSQL)."""
    insert_rows(session, HandoverBox.__table__, [
        {"handover_id": handover_id, "number": b.number, "code": b.code, "epc": b.epc, "location": b.location,
         "files": b.files, "row": b.row} for b in plan.boxes.values()])
    ids = dict(session.execute(select(HandoverBox.number, HandoverBox.id)
                               .where(HandoverBox.handover_id == handover_id)).all())
    records = plan.sheet.records
    progress(0, len(records))
    for start in range(0, len(records), BATCH):
        batch = [{"handover_id": handover_id, "box_id": ids[r.box], "row": r.row, "catalogue": r.catalogue,
                  "position": r.position, "number": r.number, "file_code": r.file_code, "title": r.title,
                  "start_date": r.start_date, "end_date": r.end_date, "retention": r.retention,
                  "pages": r.pages, "access": r.access, "completed": r.completed, "note": r.note}
                 for r in records[start:start + BATCH]]
        insert_rows(session, HandoverRow.__table__, batch)
        progress(start + len(batch), len(records))

"""Print runs: asked for (queued), started (RFID runs give boxes without an EPC their GIAI-96 one),
rendered by the face's renderer with progress, then finished — every label recorded for the box
timeline and the run audited (what, how many, who) — or failed with the reason.

The renderer is the face's: the core hands it plain LabelText values and a progress callback, so
it never touches a PDF or a printer itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.db import Database
from warehouse.errors import N_, not_found, refused
from warehouse.labelling import selection as sel_
from warehouse.labelling.selection import Selection
from warehouse.labelling.texts import LabelText
from warehouse.models import Box, Fonds, PrintRun, PrintRunLabel
from warehouse.models.base import utcnow
from warehouse.models.labels import OUTPUTS
from warehouse.scans.giai96 import GiaiError, box_to_epc

Progress = Callable[[int, int], None]
Renderer = Callable[[list[LabelText], Progress], object]
AUDITED_CODES = 200  # a run's audit entry names this many codes; PrintRunLabel keeps them all
_progress: dict[int, tuple[int, int]] = {}
_lock = threading.Lock()


def create_run(session: Session, actor: str, sel: Selection, output: str, template: str, rfid: bool = False,
               destination: str = "", stored_path: str = "") -> PrintRun:
    """A queued run, once the selection is known to name something (unknown codes are refused)."""
    if output not in OUTPUTS:
        raise refused(N_("unknown output %(output)r: one of %(outputs)s"), output=output, outputs=", ".join(OUTPUTS))
    if rfid and (output != "zpl" or not sel.of_boxes):
        raise refused(N_("RFID tags are written to box labels by a ZPL printer only"))
    total = sel_.count(session, sel)
    run = PrintRun(selection=sel.kind, value=",".join((sel.value, *sel.kinds)) if sel.kinds else sel.value,
                   output=output, template=template, rfid=rfid, destination=destination[:300],
                   stored_path=stored_path, status="queued", total=total, created_by=actor)
    session.add(run)
    session.flush()
    return run


def selection_of(run: PrintRun) -> Selection:
    value, *kinds = run.value.split(",") if run.selection == "locations" else [run.value]
    return Selection(run.selection, value, tuple(kinds))


def get_run(session: Session, run_id: int) -> PrintRun:
    run = session.get(PrintRun, run_id)
    if run is None:
        raise not_found(N_("no print run %(id)s"), id=run_id)
    return run


def assign_epcs(session: Session, actor: str, run: PrintRun, company_prefix: str) -> dict[str, str]:
    """Give the run's boxes that have no EPC Kho's GIAI-96 one, in one update, audited; code → EPC."""
    ids = sel_.box_ids(session, selection_of(run))
    plan: dict[int, tuple[str, str]] = {}
    for part in sel_.chunks(ids):
        for id_, code, number, fonds in session.execute(
                select(Box.id, Box.code, Box.number, Fonds.code).join(Fonds, Fonds.id == Box.fonds_id)
                .where(Box.id.in_(part), Box.epc.is_(None))):
            try:
                plan[id_] = (code, box_to_epc(fonds, number, company_prefix))
            except GiaiError as e:
                raise refused(N_("box %(code)s cannot get a GIAI-96 EPC: %(reason)s"), code=code, reason=str(e))
    epcs = [epc for _, epc in plan.values()]
    for part in sel_.chunks(epcs):
        taken = session.execute(select(Box.code, Box.epc).where(func.upper(Box.epc).in_(part))).first()
        if taken:
            raise refused(N_("EPC %(epc)s is already on box %(code)s"), epc=taken[1], code=taken[0])
    if plan:
        session.execute(update(Box), [{"id": id_, "epc": epc} for id_, (_, epc) in plan.items()])
        assigned = {code: epc for code, epc in plan.values()}
        audit.record(session, actor, "box.epc_assign", f"print_run:{run.id}", count=len(plan), boxes=assigned)
        return assigned
    return {}


def start(session: Session, run_id: int, actor: str, company_prefix: str = "") -> PrintRun:
    """Mark a queued run running; an RFID run first gets its boxes' EPCs."""
    run = get_run(session, run_id)
    if run.status != "queued":
        raise refused(N_("print run %(id)s is %(status)s, not waiting"), id=run_id, status=run.status)
    if run.rfid:
        assign_epcs(session, actor, run, company_prefix)
    run.status, run.started_at = "running", utcnow()
    return run


def finish(session: Session, run_id: int, actor: str, items: list[tuple[int, LabelText]]) -> PrintRun:
    """Record every label printed and audit the run: what, how many, who."""
    run = get_run(session, run_id)
    key = "box_id" if run.selection != "locations" else "location_id"
    if items:
        session.execute(insert(PrintRunLabel), [
            {"run_id": run.id, key: id_, "code": text.code, "epc": text.epc if run.rfid else None}
            for id_, text in items])
    codes = [text.code for _, text in items]
    audit.record(session, actor, "labels.print", f"print_run:{run.id}", run=run.id, selection=run.selection, value=run.value[:500],
                 output=run.output, template=run.template, rfid=run.rfid, destination=run.destination,
                 count=len(codes), codes=codes[:AUDITED_CODES], more=max(0, len(codes) - AUDITED_CODES))
    run.status, run.finished_at, run.done, run.total = "done", utcnow(), len(codes), len(codes)
    return run


def progress_of(run: PrintRun) -> tuple[int, int]:
    """(done, total): what this process knows in memory, else what the row says."""
    with _lock:
        return _progress.get(run.id, (run.done, run.total))


def _set(database: Database, run_id: int, **values) -> None:
    with database.transaction() as s:
        s.execute(update(PrintRun).where(PrintRun.id == run_id).values(**values))


def _reporter(database: Database, run_id: int) -> Progress:
    """Progress kept in memory, and on the run's row at most twice a second (for other workers)."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        with _lock:
            _progress[run_id] = (done, total)
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            _set(database, run_id, done=done)

    return report


def execute(database: Database, run_id: int, actor: str, render: Renderer, fields: Iterable[str] = (),
            company_prefix: str = "", progress: Progress | None = None) -> PrintRun:
    """Run a queued print run to its end; a failure is recorded on the run, then raised again."""
    try:
        with database.transaction() as s:
            sel = selection_of(start(s, run_id, actor, company_prefix))
        with database.reading() as s:
            items = sel_.load(s, sel, fields)
        report = _reporter(database, run_id)

        def both(done: int, total: int) -> None:
            report(done, total)
            if progress:
                progress(done, total)

        render([text for _, text in items], both)
        with database.transaction() as s:
            return finish(s, run_id, actor, items)
    except Exception as e:
        with database.transaction() as s:
            s.execute(update(PrintRun).where(PrintRun.id == run_id, PrintRun.status.in_(("queued", "running")))
                      .values(status="failed", finished_at=utcnow(), error=str(e)[:2000]))
        raise
    finally:
        with _lock:
            _progress.pop(run_id, None)


@dataclass(frozen=True)
class BoxPrint:
    """A print run that printed a box's label, as the box timeline shows it."""

    run: int
    at: datetime | None
    actor: str
    output: str
    template: str
    destination: str
    epc: str | None


def box_print_runs(session: Session, box_id: int, limit: int | None = None) -> list[BoxPrint]:
    """The finished print runs that printed this box's label, oldest first (the latest `limit` of them)."""
    rows = session.execute(
        select(PrintRun.id, PrintRun.finished_at, PrintRun.created_by, PrintRun.output, PrintRun.template,
               PrintRun.destination, PrintRunLabel.epc)
        .join(PrintRunLabel, PrintRunLabel.run_id == PrintRun.id)
        .where(PrintRunLabel.box_id == box_id, PrintRun.status == "done")
        .order_by(PrintRun.finished_at.desc(), PrintRun.id.desc()).limit(limit))
    return [BoxPrint(*row) for row in reversed(rows.all())]


def recent_runs(session: Session, limit: int = 20) -> list[PrintRun]:
    return list(session.scalars(select(PrintRun).order_by(PrintRun.id.desc()).limit(limit)))

"""Disposal (tiêu hủy) of files past their retention, under a decision (number, date, approving body).

A file's retention is counted in years from the year its work ended (File.end_date): a file that
ended in 2010 with 10 years is kept through 2020 and past its retention from 1 January 2021. Files
kept permanently or until a document stops being in force have no number of years and never expire
here. Kho lists the files past retention, and the boxes all of whose remaining files are; the
archivist picks what a decision covers. A box whose every file is destroyed is destroyed: it leaves
the stock for good (a stock-take lists it apart, never missing)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.boxes import visible_title
from warehouse.errors import N_, not_found, refused
from warehouse.fonds import get_fonds
from warehouse.models import Box, BoxStatus, Disposal, DisposalFile, File, Fonds
from warehouse.text import nfc
from warehouse.tracking.state import find_boxes, log, refuse_apart, set_state, stored_states


def kept_through(end: date | None, years: int | None) -> int | None:
    """The last year a file is kept (end year + years); None when it has no term in years."""
    return end.year + years if end is not None and years is not None else None


def expired(end: date | None, years: int | None, on: date) -> bool:
    """Whether a file is past its retention on a day."""
    last = kept_through(end, years)
    return last is not None and on.year > last


def box_expired(files: Iterable[tuple[date | None, int | None, bool]], on: date) -> bool:
    """A box is past retention when it holds files and each one not yet destroyed is past retention."""
    files = list(files)
    left = [(end, years) for end, years, gone in files if not gone]
    return bool(files) and bool(left) and all(expired(end, years, on) for end, years in left)


_FILE = (select(File.id, File.box_id, Box.code, Fonds.code, File.catalogue, File.number, File.title, File.access,
                File.end_date, File.retention, File.retention_years, DisposalFile.file_id.label("gone"))
         .join(Box, Box.id == File.box_id).join(Fonds, Fonds.id == File.fonds_id)
         .outerjoin(DisposalFile, DisposalFile.file_id == File.id))


def candidates(session: Session, on: date, regimes: Iterable[str], cleared: bool, fonds: str = "") -> dict:
    """{"files": [...], "boxes": [...]} past retention on `on` and not destroyed yet: two queries."""
    where: list = [File.retention_years.is_not(None), File.end_date.is_not(None), DisposalFile.file_id.is_(None),
             Box.retired_at.is_(None)]
    if fonds:
        where.append(File.fonds_id == get_fonds(session, fonds).id)
    regimes = list(regimes)
    rows = [r for r in session.execute(_FILE.where(*where)) if expired(r.end_date, r.retention_years, on)]
    files = [{"id": r.id, "box": r.code, "fonds": r[3], "catalogue": r.catalogue, "number": r.number,
              "title": visible_title(r.title, r.access, regimes, cleared), "end_date": r.end_date,
              "retention": r.retention, "kept_through": kept_through(r.end_date, r.retention_years)}
             for r in sorted(rows, key=lambda r: (r[3], r.code, r.catalogue, r.number))]
    states = stored_states(session, {r.box_id for r in rows})
    held: dict[int, list] = {}
    for r in session.execute(_FILE.where(File.box_id.in_({r.box_id for r in rows}))):
        held.setdefault(r.box_id, []).append(r)
    boxes = [{"box": fs[0].code, "fonds": fs[0][3], "files": sum(1 for f in fs if f.gone is None),
              "kept_through": max(kept_through(f.end_date, f.retention_years) or 0 for f in fs if f.gone is None),
              "state": states.get(box)}
             for box, fs in held.items()
             if box_expired(((f.end_date, f.retention_years, f.gone is not None) for f in fs), on)]
    return {"on": on, "files": files, "boxes": sorted(boxes, key=lambda b: (b["fonds"], b["box"]))}


def record_disposal(session: Session, actor: str, *, number: str, decided_on: date | None, body: str,
                    file_ids: Iterable[int] = (), box_codes: Iterable[str] = (), note: str = "") -> dict:
    """A decision destroying the files it covers (named, or every file of the named boxes); each must be
    past retention on the decision's date. Boxes left with no file are destroyed."""
    number, body = nfc(number), nfc(body)
    if not number or decided_on is None or not body:
        raise refused(N_("a disposal decision needs its number, its date and the body that approved it"))
    if session.scalar(select(Disposal.id).where(Disposal.number == number)):
        raise refused(N_("disposal decision %(number)s is recorded already"), number=number)
    wanted = set(file_ids)
    named = [c for c in box_codes if c and c.strip()]
    chosen_boxes = find_boxes(session, named) if named else []
    rows = _chosen(session, wanted, [b.id for b in chosen_boxes])
    _refuse(session, rows, wanted, chosen_boxes, decided_on)
    decision = Disposal(number=number, decided_on=decided_on, body=body, note=nfc(note), created_by=actor)
    session.add(decision)
    session.flush()
    session.add_all(DisposalFile(file_id=r.id, disposal_id=decision.id, box_id=r.box_id) for r in rows)
    session.flush()
    touched = {r.box_id for r in rows}
    left = {r.box_id for r in session.execute(_FILE.where(File.box_id.in_(touched))) if r.gone is None}
    destroyed = sorted(touched - left)
    set_state(session, destroyed, "destroyed", disposal_id=decision.id)
    decision.files, decision.boxes = len(rows), len(destroyed)
    log(session, [{"box_id": box, "kind": "disposal", "actor": actor, "ref": decision.id,
                   "detail": {"number": number, "decided_on": decided_on, "body": body,
                              "files": sorted(r.number for r in rows if r.box_id == box),
                              "box_destroyed": box in destroyed}} for box in sorted(touched)])
    codes = {r.box_id: r.code for r in rows}
    audit.record(session, actor, "disposal.record", f"disposal:{decision.id}", number=number, decided_on=decided_on,
                 body=body, files=[r.id for r in rows], boxes_destroyed=[codes[b] for b in destroyed])
    return disposal_doc(session, decision.id)


def _chosen(session: Session, file_ids: set[int], box_ids: list[int]) -> list:
    """The files named and every file of the boxes named, each once."""
    if not file_ids and not box_ids:
        raise refused(N_("a disposal decision covers at least one file or box"))
    rows = {r.id: r for r in session.execute(_FILE.where(File.id.in_(file_ids)))} if file_ids else {}
    unknown = sorted(file_ids - rows.keys())
    if unknown:
        raise not_found(N_("no file number %(id)s"), id=", ".join(map(str, unknown)))
    if box_ids:
        rows.update((r.id, r) for r in session.execute(_FILE.where(File.box_id.in_(box_ids))))
    return sorted(rows.values(), key=lambda r: (r.code, r.catalogue, r.number))


def _refuse(session: Session, rows: list, file_ids: set[int], boxes: list[Box], on: date) -> None:
    empty = sorted({b.code for b in boxes} - {r.code for r in rows})
    if empty:
        raise refused(N_("box %(codes)s holds no files: nothing to dispose of"), codes=", ".join(empty))
    gone = [f"{r.code} {r.number}" for r in rows if r.gone is not None]
    if gone:
        raise refused(N_("file %(files)s is destroyed already"), files=", ".join(gone))
    kept = [f"{r.code} {r.number} ({r.retention or '—'})" for r in rows if not expired(r.end_date, r.retention_years, on)]
    if kept:
        raise refused(N_("file %(files)s is not past its retention on %(on)s"), files=", ".join(kept),
                      on=on.strftime("%d/%m/%Y"))
    holders = list(session.scalars(select(Box).where(Box.id.in_({r.box_id for r in rows}))))
    refuse_apart(session, holders, N_("box %(codes)s is not in stock: its files cannot be destroyed"))


def disposal_doc(session: Session, disposal_id: int, regimes: Iterable[str] = (), cleared: bool = True) -> dict:
    """A decision with the files it covers (restricted titles hidden from the uncleared) and the boxes it
    destroyed."""
    decision = session.get(Disposal, disposal_id)
    if decision is None:
        raise not_found(N_("no disposal decision %(id)s"), id=disposal_id)
    regimes = list(regimes)
    rows = session.execute(_FILE.where(DisposalFile.disposal_id == disposal_id)
                           .order_by(Fonds.code, Box.code, File.catalogue, File.number)).all()
    destroyed = sorted(session.scalars(select(Box.code).join(DisposalFile, DisposalFile.box_id == Box.id)
                                       .where(DisposalFile.disposal_id == disposal_id).distinct()
                                       .where(Box.id.in_(_destroyed_by(session, disposal_id)))))
    return {"id": decision.id, "number": decision.number, "decided_on": decision.decided_on, "body": decision.body,
            "note": decision.note, "created_at": decision.created_at, "created_by": decision.created_by,
            "files": [{"id": r.id, "box": r.code, "fonds": r[3], "catalogue": r.catalogue, "number": r.number,
                       "title": visible_title(r.title, r.access, regimes, cleared), "end_date": r.end_date,
                       "retention": r.retention}
                      for r in rows],
            "boxes_destroyed": destroyed}


def _destroyed_by(session: Session, disposal_id: int):
    return select(BoxStatus.box_id).where(BoxStatus.state == "destroyed", BoxStatus.disposal_id == disposal_id)


def listing(session: Session) -> list[dict]:
    """Decisions, newest first."""
    return [{"id": d.id, "number": d.number, "decided_on": d.decided_on, "body": d.body, "files": d.files,
             "boxes": d.boxes, "created_at": d.created_at, "created_by": d.created_by}
            for d in session.scalars(select(Disposal).order_by(Disposal.decided_on.desc(), Disposal.id.desc()))]

"""Chỉnh lý (sorting): move files between boxes, split, merge and renumber boxes, keeping history.

The rules are pure functions over plain values; the services load rows, apply them, save the
change with a FileMove row per file moved and audit it, all in the caller's transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.models import AuditEntry, Box, File, FileMove, Fonds, Location
from warehouse.models.base import utcnow

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


# --- pure rules ----------------------------------------------------------------------------------
# A refusal is a Reason: a msgid with %(name)s fields and its values, so a face can translate it.

Reason = tuple[str, dict]


@dataclass(frozen=True)
class BoxFacts:
    """What the rules need to know of a box."""

    code: str
    fonds: str
    retired: bool = False


def explain(reason: Reason) -> str:
    """A Reason as English text."""
    return reason[0] % reason[1]


def box_code(fonds_code: str, number: int) -> str:
    """The code Kho gives a box: `{fonds}-H{box:04d}`."""
    return f"{fonds_code}-H{number:04d}"


def code_refusal(code: str) -> Reason | None:
    """Why `code` (already trimmed and upper-cased) cannot be printed as a box's barcode."""
    if not code:
        return N_("a box code may not be blank"), {}
    if len(code) > 80 or not _CODE.match(code):
        return N_("box code %(code)s is not valid: use A–Z, 0–9, '-', '.', '/' (at most 80)"), {"code": code}
    return None


def move_refusal(files: str, file_fonds: str, source: BoxFacts, target: BoxFacts) -> Reason | None:
    """Why `files` (a label) of `file_fonds` in `source` may not go into `target`, or None."""
    if target.retired:
        return N_("file(s) %(files)s: box %(box)s is retired and takes no files"), {"files": files, "box": target.code}
    if file_fonds != target.fonds:
        return (N_("file(s) %(files)s of fonds %(fonds)s cannot go into box %(box)s of fonds %(box_fonds)s"),
                {"files": files, "fonds": file_fonds, "box": target.code, "box_fonds": target.fonds})
    if source.code == target.code:
        return N_("file(s) %(files)s are already in box %(box)s"), {"files": files, "box": target.code}
    return None


def merge_refusal(into: BoxFacts, source: BoxFacts) -> Reason | None:
    """Why the files of `source` may not all go into `into`, or None if they may."""
    if into.code == source.code:
        return N_("box %(box)s cannot be merged into itself"), {"box": into.code}
    for box in (into, source):
        if box.retired:
            return N_("box %(box)s is retired"), {"box": box.code}
    if into.fonds != source.fonds:
        return (N_("box %(source)s belongs to fonds %(source_fonds)s and box %(into)s to fonds "
                   "%(into_fonds)s: boxes of different fonds are never merged"),
                {"source": source.code, "source_fonds": source.fonds, "into": into.code,
                 "into_fonds": into.fonds})
    return None


def next_free_number(used: Iterable[int]) -> int:
    """The number a new box of the fonds gets: after the highest used one (retired ones count)."""
    return max(used, default=0) + 1


def number_clash(number: int, fonds: str, taken: dict[int, str]) -> Reason | None:
    """Why a box may not take `number` in its fonds (`taken`: number → code of the other boxes)."""
    if number < 1:
        return N_("box number %(number)s is not valid: box numbers start at 1"), {"number": number}
    if number in taken:
        return (N_("box number %(number)s of fonds %(fonds)s is taken by box %(box)s"),
                {"number": number, "fonds": fonds, "box": taken[number]})
    return None


def position_plan(rows: Iterable[tuple[int, int, int | None]]) -> list[tuple[int, int]]:
    """Số TT renumbered 1, 2, … in box order, then old order: the (file id, position) that change.

    `rows` are (file id, box number, current position); files without a position go last in their
    box, ties keep the order the files were registered in (their id)."""
    ordered = sorted(rows, key=lambda r: (r[1], r[2] is None, r[2] or 0, r[0]))
    return [(fid, n) for n, (fid, _box, pos) in enumerate(ordered, start=1) if pos != n]


def _refuse(reason: Reason | None) -> None:
    if reason is not None:
        raise refused(reason[0], **reason[1])


# --- loading -------------------------------------------------------------------------------------

def find_box(session: Session, code: str, fonds_id: int | None = None) -> Box:
    """The box with that code (any case), or with that number in the fonds, else NotFound."""
    raw = (code or "").strip()
    if fonds_id is not None and raw.isdigit():
        box = session.scalar(select(Box).where(Box.fonds_id == fonds_id, Box.number == int(raw)))
        if box is None:
            raise not_found(N_("the fonds has no box number %(number)s"), number=int(raw))
        return box
    box = session.scalar(select(Box).where(Box.code.in_({raw, raw.upper()})).order_by(Box.id))
    if box is None:
        raise not_found(N_("no box %(code)s"), code=raw or "''")
    return box


def find_fonds(session: Session, code: str) -> Fonds:
    fonds = session.scalar(select(Fonds).where(Fonds.code == (code or "").strip()))
    if fonds is None:
        raise not_found(N_("no fonds %(code)s"), code=(code or "").strip() or "''")
    return fonds


def normal_code(raw: str) -> str:
    """A box code as stored (trimmed, upper case), refused unless it is barcode-safe ASCII."""
    code = (raw or "").strip().upper()
    _refuse(code_refusal(code))
    return code


def _facts(box: Box) -> BoxFacts:
    return BoxFacts(box.code, box.fonds.code, box.retired_at is not None)


def _load_files(session: Session, file_ids: Iterable[int]) -> list[File]:
    ids = list(dict.fromkeys(int(i) for i in file_ids))
    if not ids:
        raise refused(N_("choose at least one file"))
    files = session.scalars(select(File).where(File.id.in_(ids)).order_by(File.id)).all()
    missing = sorted(set(ids) - {f.id for f in files})
    if missing:
        raise not_found(N_("no file with id %(ids)s"), ids=", ".join(map(str, missing)))
    return list(files)


def _labels(files: Iterable[File]) -> str:
    return ", ".join(f"{f.number} (id {f.id})" for f in files)


def code_taken(session: Session, code: str, box_id: int | None = None,
               own_codes: Iterable[str] = ()) -> Reason | None:
    """Why `code` cannot name a box (`box_id`'s own codes excepted): what holds or held it."""
    other = session.execute(select(Box.id, Box.retired_at).where(Box.code == code)).first()
    if other is not None and other.id != box_id:
        if other.retired_at:
            return N_("code %(code)s is the code of retired box %(code)s (its code stays reserved)"), {"code": code}
        return N_("code %(code)s is the code of box %(code)s"), {"code": code}
    kind = session.scalar(select(Location.kind).where(Location.code == code))
    if kind is not None:
        return N_("code %(code)s is the code of location %(code)s (%(place_kind)s)"), {"code": code, "place_kind": kind}
    if code in own_codes:
        return None
    held = session.scalar(select(AuditEntry.target).where(
        AuditEntry.action == "box.renumber", AuditEntry.detail.like(f'%"old_code": "{code}"%')))
    if held is not None:
        return (N_("code %(code)s was the code of box %(box)s: codes are never reused"),
                {"code": code, "box": held.removeprefix("box:")})
    return None


# --- services ------------------------------------------------------------------------------------

def _move(session: Session, files: list[File], target: Box, actor: str, reason: str,
          operation: str) -> None:
    """Put the files in `target`: FileMove rows, one UPDATE, one audit entry per file."""
    now, codes = utcnow(), {b.id: b.code for b in session.scalars(
        select(Box).where(Box.id.in_({f.box_id for f in files})))}
    session.execute(insert(FileMove), [
        {"file_id": f.id, "from_box_id": f.box_id, "to_box_id": target.id, "reason": reason[:200],
         "actor": actor, "at": now} for f in files])
    closed = target.fonds.closed_on
    for f in files:
        extra = {"closed_fonds": closed.isoformat()} if closed else {}
        audit.record(session, actor, "file.move", f"file:{f.id}", number=f.number,
                     fonds=target.fonds.code, catalogue=f.catalogue, **{"from": codes[f.box_id]},
                     to=target.code, reason=reason, operation=operation, **extra)
    session.execute(update(File).where(File.id.in_([f.id for f in files])).values(box_id=target.id))


def move_files(session: Session, file_ids: Iterable[int], to_code: str, actor: str,
               reason: str = "") -> dict:
    """Move files into another box of their fonds; any refused file refuses the whole move."""
    target = find_box(session, to_code)
    files = _load_files(session, file_ids)
    boxes = {b.id: b for b in session.scalars(select(Box).where(Box.id.in_({f.box_id for f in files})))}
    facts = _facts(target)
    refusals: dict[tuple, list[File]] = {}
    for f in files:  # files refused for the same reason are named together
        why = move_refusal("", boxes[f.box_id].fonds.code, _facts(boxes[f.box_id]), facts)
        if why:
            refusals.setdefault((why[0], tuple(sorted(why[1].items()))), []).append(f)
    if refusals:
        (msgid, values), group = next(iter(refusals.items()))
        raise refused(msgid, **dict(values) | {"files": _labels(group)})
    _move(session, files, target, actor, reason, "move")
    return {"to": target.code, "files": [f.id for f in files], "moved": len(files)}


def split_box(session: Session, code: str, file_ids: Iterable[int], actor: str,
              new_code: str | None = None, reason: str = "") -> dict:
    """Put chosen files of a box into a new box of the fonds, on the same home shelf."""
    source = find_box(session, code)
    if source.retired_at is not None:
        raise refused(N_("box %(box)s is retired"), box=source.code)
    files = _load_files(session, file_ids)
    strays = [f for f in files if f.box_id != source.id]
    if strays:
        raise refused(N_("file(s) %(files)s are not in box %(box)s"), files=_labels(strays), box=source.code)
    held = session.scalar(select(File.id).where(File.box_id == source.id, File.id.not_in([f.id for f in files])))
    if held is None:
        raise refused(N_("a split leaves at least one file in box %(box)s: to move them all, merge the "
                         "box into another"), box=source.code)
    fonds = source.fonds
    number = next_free_number(session.scalars(select(Box.number).where(Box.fonds_id == fonds.id)))
    code_new = normal_code(new_code) if new_code else box_code(fonds.code, number)
    _refuse(code_taken(session, code_new))
    box = Box(code=code_new, fonds_id=fonds.id, number=number, home_id=source.home_id)
    session.add(box)
    session.flush()
    _move(session, files, box, actor, reason, "split")
    audit.record(session, actor, "box.split", f"box:{source.code}", box=box.code, number=number,
                 files=[f.id for f in files], home=source.home.code if source.home else None,
                 reason=reason)
    return {"from": source.code, "box": box.code, "number": number, "files": [f.id for f in files]}


def merge_boxes(session: Session, into_code: str, from_code: str, actor: str, reason: str = "") -> dict:
    """Move every file of one box into another of its fonds; the emptied box is retired."""
    into, source = find_box(session, into_code), find_box(session, from_code)
    _refuse(merge_refusal(_facts(into), _facts(source)))
    files = list(session.scalars(select(File).where(File.box_id == source.id).order_by(File.id)))
    if files:
        _move(session, files, into, actor, reason, "merge")
    home = source.home.code if source.home else None
    source.retired_at, source.home_id = utcnow(), None
    audit.record(session, actor, "box.merge", f"box:{into.code}", **{"from": source.code},
                 files=[f.id for f in files], reason=reason)
    audit.record(session, actor, "box.retire", f"box:{source.code}", merged_into=into.code, home=home)
    return {"into": into.code, "from": source.code, "files": len(files), "retired": source.code}


def renumber_box(session: Session, code: str, number: int, actor: str, new_code: str | None = None) -> dict:
    """Give a box another number in its fonds (and, if asked, another code); clashes are refused."""
    box = find_box(session, code)
    if box.retired_at is not None:
        raise refused(N_("box %(box)s is retired: its number and code stay as they were"), box=box.code)
    taken = dict(session.execute(select(Box.number, Box.code).where(
        Box.fonds_id == box.fonds_id, Box.id != box.id)).all())
    _refuse(number_clash(number, box.fonds.code, taken))
    code_new = normal_code(new_code) if new_code else box.code
    if code_new != box.code:
        _refuse(code_taken(session, code_new, box.id, former_codes(session, box.code)))
    elif number == box.number:
        raise refused(N_("box %(box)s already has number %(number)s"), box=box.code, number=number)
    old_number, old_code = box.number, box.code
    box.number, box.code = number, code_new
    session.flush()
    audit.record(session, actor, "box.renumber", f"box:{code_new}", old_number=old_number, number=number,
                 old_code=old_code, code=code_new)
    return {"box": code_new, "number": number, "old_number": old_number, "old_code": old_code}


def renumber_positions(session: Session, fonds_code: str, catalogue: int, actor: str) -> dict:
    """Số TT of a fonds' catalogue renumbered 1, 2, … in box order (one UPDATE per changed file)."""
    fonds = find_fonds(session, fonds_code)
    rows = session.execute(select(File.id, Box.number, File.position).join(Box, File.box_id == Box.id)
                           .where(File.fonds_id == fonds.id, File.catalogue == catalogue)).all()
    if not rows:
        raise refused(N_("fonds %(fonds)s has no files in catalogue %(catalogue)s"),
                      fonds=fonds.code, catalogue=catalogue)
    plan = position_plan(rows)
    if plan:
        session.execute(update(File), [{"id": fid, "position": pos} for fid, pos in plan])
        audit.record(session, actor, "file.renumber", f"fonds:{fonds.code}", catalogue=catalogue,
                     files=len(rows), changed=len(plan))
    return {"fonds": fonds.code, "catalogue": catalogue, "files": len(rows), "changed": len(plan)}


# --- reading -------------------------------------------------------------------------------------

def fonds_boxes(session: Session, fonds_id: int) -> list[dict]:
    """The boxes of a fonds in number order, with how many files each holds."""
    counts = (select(File.box_id, func.count(File.id).label("n")).group_by(File.box_id).subquery())
    rows = session.execute(
        select(Box.code, Box.number, Box.retired_at, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.box_id == Box.id).where(Box.fonds_id == fonds_id)
        .order_by(Box.number)).all()
    return [{"code": c, "number": n, "retired": r is not None, "files": k} for c, n, r, k in rows]


def box_files(session: Session, box: Box) -> list[File]:
    """The files of a box in Số TT order."""
    return list(session.scalars(select(File).where(File.box_id == box.id)
                                .order_by(File.position.is_(None), File.position, File.id)))


def former_codes(session: Session, code: str) -> list[str]:
    """The codes a box had before renumbering, newest first (followed back through the trail)."""
    codes: list[str] = []
    seen = {code}
    while True:
        detail = session.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "box.renumber", AuditEntry.target == f"box:{code}")
            .order_by(AuditEntry.id.desc()))
        old = json.loads(detail).get("old_code") if detail else None
        if not old or old in seen:
            return codes
        codes.append(old)
        seen.add(old)
        code = old


def box_history(session: Session, box: Box) -> dict:
    """Files moved into and out of a box, and the box's own audited events, newest first."""
    src, dst = aliased(Box), aliased(Box)
    moves = session.execute(
        select(FileMove.at, FileMove.actor, FileMove.reason, File.id, File.number, File.title,
               File.access, src.code, dst.code)
        .join(File, File.id == FileMove.file_id).outerjoin(src, src.id == FileMove.from_box_id)
        .join(dst, dst.id == FileMove.to_box_id)
        .where(or_(FileMove.from_box_id == box.id, FileMove.to_box_id == box.id))
        .order_by(FileMove.at.desc(), FileMove.id.desc())).all()
    targets = [f"box:{c}" for c in [box.code, *former_codes(session, box.code)]]
    events = session.execute(
        select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
        .where(AuditEntry.target.in_(targets)).order_by(AuditEntry.id.desc())).all()
    keys = ("at", "actor", "reason", "file_id", "number", "title", "access", "from", "to")
    return {"moves": [dict(zip(keys, m)) for m in moves],
            "events": [{"at": e.at, "actor": e.actor, "action": e.action, "detail": json.loads(e.detail)}
                       for e in events]}

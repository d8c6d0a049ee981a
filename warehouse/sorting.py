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
from warehouse.errors import NotFound, Refused
from warehouse.models import AuditEntry, Box, File, FileMove, Fonds, Location
from warehouse.models.base import utcnow

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


# --- pure rules ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoxFacts:
    """What the rules need to know of a box."""

    code: str
    fonds: str
    retired: bool = False


def box_code(fonds_code: str, number: int) -> str:
    """The code Kho gives a box: `{fonds}-H{box:04d}`."""
    return f"{fonds_code}-H{number:04d}"


def normal_code(raw: str) -> str:
    """A box code as stored (upper case, trimmed), refused unless it is barcode-safe ASCII."""
    code = (raw or "").strip().upper()
    if not code:
        raise Refused("a box code may not be blank")
    if len(code) > 80 or not _CODE.match(code):
        raise Refused(f"box code {raw!r} is not valid: use A–Z, 0–9, '-', '.', '/' (at most 80)")
    return code


def move_refusal(file_fonds: str, source: BoxFacts, target: BoxFacts) -> str | None:
    """Why a file of `file_fonds` in `source` may not go into `target`, or None if it may."""
    if target.retired:
        return f"box {target.code} is retired and takes no files"
    if file_fonds != target.fonds:
        return f"it belongs to fonds {file_fonds}, box {target.code} to fonds {target.fonds}"
    if source.code == target.code:
        return f"it is already in box {target.code}"
    return None


def merge_refusal(into: BoxFacts, source: BoxFacts) -> str | None:
    """Why the files of `source` may not all go into `into`, or None if they may."""
    if into.code == source.code:
        return f"box {into.code} cannot be merged into itself"
    for box in (into, source):
        if box.retired:
            return f"box {box.code} is retired"
    if into.fonds != source.fonds:
        return (f"box {source.code} belongs to fonds {source.fonds} and box {into.code} to fonds "
                f"{into.fonds}: boxes of different fonds are never merged")
    return None


def next_free_number(used: Iterable[int]) -> int:
    """The number a new box of the fonds gets: after the highest used one (retired ones count)."""
    return max(used, default=0) + 1


def number_clash(number: int, fonds: str, taken: dict[int, str]) -> str | None:
    """Why a box may not take `number` in its fonds (`taken`: number → code of the other boxes)."""
    if number < 1:
        return f"box number {number} is not valid: box numbers start at 1"
    if number in taken:
        return f"box number {number} of fonds {fonds} is taken by box {taken[number]}"
    return None


def position_plan(rows: Iterable[tuple[int, int, int | None]]) -> list[tuple[int, int]]:
    """Số TT renumbered 1, 2, … in box order, then old order: the (file id, position) that change.

    `rows` are (file id, box number, current position); files without a position go last in their
    box, ties keep the order the files were registered in (their id)."""
    ordered = sorted(rows, key=lambda r: (r[1], r[2] is None, r[2] or 0, r[0]))
    return [(fid, n) for n, (fid, _box, pos) in enumerate(ordered, start=1) if pos != n]


# --- loading -------------------------------------------------------------------------------------

def find_box(session: Session, code: str) -> Box:
    """The box with that code (any case), else NotFound."""
    raw = (code or "").strip()
    box = session.scalar(select(Box).where(Box.code.in_({raw, raw.upper()})).order_by(Box.id))
    if box is None:
        raise NotFound(f"no box {code!r}")
    return box


def find_fonds(session: Session, code: str) -> Fonds:
    fonds = session.scalar(select(Fonds).where(Fonds.code == (code or "").strip()))
    if fonds is None:
        raise NotFound(f"no fonds {code!r}")
    return fonds


def _facts(box: Box) -> BoxFacts:
    return BoxFacts(box.code, box.fonds.code, box.retired_at is not None)


def _load_files(session: Session, file_ids: Iterable[int]) -> list[File]:
    ids = list(dict.fromkeys(int(i) for i in file_ids))
    if not ids:
        raise Refused("choose at least one file")
    files = session.scalars(select(File).where(File.id.in_(ids)).order_by(File.id)).all()
    missing = sorted(set(ids) - {f.id for f in files})
    if missing:
        raise NotFound(f"no file with id {', '.join(map(str, missing))}")
    return list(files)


def _label(file: File) -> str:
    return f"file {file.number} (id {file.id})"


def code_taken(session: Session, code: str, box_id: int | None = None,
               own_codes: Iterable[str] = ()) -> str | None:
    """Why `code` cannot name a box (`box_id`'s own codes excepted): what holds or held it."""
    other = session.execute(select(Box.id, Box.retired_at).where(Box.code == code)).first()
    if other is not None and other.id != box_id:
        state = "retired box (its code stays reserved)" if other.retired_at else "box"
        return f"code {code} is the code of {state} {code}"
    kind = session.scalar(select(Location.kind).where(Location.code == code))
    if kind is not None:
        return f"code {code} is the code of location {code} ({kind})"
    if code in own_codes:
        return None
    held = session.scalar(select(AuditEntry.target).where(
        AuditEntry.action == "box.renumber", AuditEntry.detail.like(f'%"old_code": "{code}"%')))
    if held is not None:
        return f"code {code} was the code of {held.removeprefix('box:')}: codes are never reused"
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
    errors = []
    for f in files:
        why = move_refusal(boxes[f.box_id].fonds.code, _facts(boxes[f.box_id]), facts)
        if why:
            errors.append(f"{_label(f)}: {why}")
    if errors:
        raise Refused("; ".join(errors))
    _move(session, files, target, actor, reason, "move")
    return {"to": target.code, "files": [f.id for f in files], "moved": len(files)}


def split_box(session: Session, code: str, file_ids: Iterable[int], actor: str,
              new_code: str | None = None, reason: str = "") -> dict:
    """Put chosen files of a box into a new box of the fonds, on the same home shelf."""
    source = find_box(session, code)
    if source.retired_at is not None:
        raise Refused(f"box {source.code} is retired")
    files = _load_files(session, file_ids)
    strays = [f"{_label(f)} is not in box {source.code}" for f in files if f.box_id != source.id]
    if strays:
        raise Refused("; ".join(strays))
    held = session.scalar(select(File.id).where(File.box_id == source.id, File.id.not_in([f.id for f in files])))
    if held is None:
        raise Refused(f"a split leaves at least one file in box {source.code}: to move them all, "
                      "merge the box into another")
    fonds = source.fonds
    number = next_free_number(session.scalars(select(Box.number).where(Box.fonds_id == fonds.id)))
    code_new = normal_code(new_code) if new_code else box_code(fonds.code, number)
    why = code_taken(session, code_new)
    if why:
        raise Refused(why)
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
    why = merge_refusal(_facts(into), _facts(source))
    if why:
        raise Refused(why)
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
        raise Refused(f"box {box.code} is retired: its number and code stay as they were")
    taken = dict(session.execute(select(Box.number, Box.code).where(
        Box.fonds_id == box.fonds_id, Box.id != box.id)).all())
    why = number_clash(number, box.fonds.code, taken)
    code_new = normal_code(new_code) if new_code else box.code
    if not why and code_new != box.code:
        why = code_taken(session, code_new, box.id, former_codes(session, box.code))
    if not why and (number, code_new) == (box.number, box.code):
        why = f"box {box.code} already has number {number}"
    if why:
        raise Refused(why)
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
        raise Refused(f"fonds {fonds.code} has no files in catalogue {catalogue}")
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
    codes, seen = [], {code}
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

"""The stores' tree: which kind sits in which, label codes, and the free space on shelves and racks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.models import Box, Location
from warehouse.models.locations import KINDS, NEVER_PLACES
from warehouse.text import fold, nfc

CODE = re.compile(r"[A-Z0-9][A-Z0-9./-]*")


# --- pure rules -------------------------------------------------------------------------------------

def clean_code(value: str | None, field: str = N_("code"), longest: int = 80) -> str:
    """A barcode-safe code (ASCII A–Z 0–9 - . /), upper-cased; refused naming the value otherwise."""
    code = (value or "").strip().upper()
    if not code:
        raise refused(N_("the %(field)s is empty"), field=field)
    if not CODE.fullmatch(code):
        raise refused(N_("%(field)s %(value)r may only hold the letters A–Z, digits and - . / "
                         "(no spaces or accents)"), field=field, value=value)
    if len(code) > longest:
        raise refused(N_("%(field)s %(value)r is longer than %(longest)s characters"),
                      field=field, value=value, longest=longest)
    return code


def check_nesting(kind: str, parent_kind: str | None) -> None:
    """Refuse a kind placed where it cannot sit (a shelf in a store, a store in a rack…)."""
    if kind not in KINDS:
        raise refused(N_("unknown kind %(kind)r: one of %(kinds)s"), kind=kind, kinds=", ".join(KINDS))
    if parent_kind not in KINDS[kind]:
        if parent_kind is None:
            raise refused(N_("a %(kind)s must sit inside a %(parents)s"), kind=kind,
                          parents=" / ".join(k for k in KINDS[kind] if k))
        if None in KINDS[kind]:
            raise refused(N_("a %(kind)s is a top-level place: it cannot sit inside a %(parent)s"),
                          kind=kind, parent=parent_kind)
        raise refused(N_("a %(kind)s cannot sit inside a %(parent)s, only inside a %(parents)s"),
                      kind=kind, parent=parent_kind, parents=" / ".join(k for k in KINDS[kind] if k))


def child_path(parent_path: str | None, code: str) -> str:
    """The path of a place: its parent's path and its own code; a store's is "/CODE/"."""
    return (parent_path or "/") + code + "/"


def depth(path: str) -> int:
    """0 for a store, 1 for what sits in it, and so on."""
    return path.count("/") - 2


def clean_capacity(value: int | None, kind: str) -> int | None:
    """A capacity in boxes: none, or a whole number ≥ 0; gates and checkpoints hold no boxes."""
    if value is None:
        return None
    if kind in NEVER_PLACES:
        raise refused(N_("a %(kind)s never holds boxes: leave its capacity empty"), kind=kind)
    if value < 0:
        raise refused(N_("capacity %(value)s is negative"), value=value)
    return value


@dataclass(frozen=True)
class Space:
    """Boxes and room in a place and everything inside it."""

    capacity: int | None  # its own, else the sum of what sits in it (None: unknown)
    boxes: int  # boxes whose home is this place or a place inside it
    free: int | None  # room left, counted shelf by shelf (a full shelf lends no room)
    over: int  # places here holding more boxes than their capacity

    @property
    def percent(self) -> int | None:
        if not self.capacity:
            return None
        return round(100 * self.boxes / self.capacity)


def roll_up(places: Iterable[tuple[object, object | None, int | None, int]]) -> dict[object, Space]:
    """(key, parent key, own capacity, own boxes) for each place → the Space of each, inside out."""
    rows = {key: (parent, capacity, boxes) for key, parent, capacity, boxes in places}
    children: dict[object, list] = {}
    for key, (parent, _cap, _boxes) in rows.items():
        children.setdefault(parent if parent in rows else None, []).append(key)
    spaces: dict[object, Space] = {}
    order: list = []
    stack = list(children.get(None, []))
    while stack:  # parents first, then reversed: every child is computed before its parent
        key = stack.pop()
        order.append(key)
        stack.extend(children.get(key, []))
    for key in reversed(order):
        _parent, capacity, own = rows[key]
        kids = [spaces[k] for k in children.get(key, [])]
        spaces[key] = _space(capacity, own, kids)
    return spaces


def _space(capacity: int | None, own: int, kids: list[Space]) -> Space:
    boxes = own + sum(k.boxes for k in kids)
    over = sum(k.over for k in kids)
    if capacity is not None:
        free = capacity - boxes
        return Space(capacity, boxes, free, over + (free < 0))
    caps = [k.capacity for k in kids if k.capacity is not None]
    frees = [max(k.free, 0) for k in kids if k.free is not None]
    return Space(sum(caps) if caps else None, boxes, sum(frees) - own if frees else None, over)


def natural(code: str) -> tuple:
    """Sort key that puts G2 before G10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code))


def walk(places: Iterable[tuple[object, object | None, str]]) -> list[tuple[object, int]]:
    """(key, parent key, code) → (key, depth) in tree order, siblings by code (G2 before G10)."""
    rows = {key: (parent, code) for key, parent, code in places}
    children: dict[object, list] = {}
    for key, (parent, code) in rows.items():
        children.setdefault(parent if parent in rows else None, []).append(key)
    for keys in children.values():
        keys.sort(key=lambda k: natural(rows[k][1]))
    out: list[tuple[object, int]] = []
    stack = [(k, 0) for k in reversed(children.get(None, []))]
    while stack:
        key, level = stack.pop()
        out.append((key, level))
        stack.extend((k, level + 1) for k in reversed(children.get(key, [])))
    return out


# --- services ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A place of the tree as pages show it: what it is, its depth, its own boxes and its Space."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    capacity: int | None
    own: int
    level: int
    space: Space


def tree(session: Session, under: Location | None = None) -> list[Place]:
    """Every place (or `under` and what sits in it) in tree order with its Space: two queries."""
    cols = select(Location.id, Location.code, Location.name, Location.kind, Location.parent_id,
                  Location.capacity)
    counts = (select(Box.home_id, func.count()).where(Box.retired_at.is_(None), Box.home_id.is_not(None))
              .group_by(Box.home_id))
    if under is not None:
        inside = Location.path.startswith(under.path, autoescape=True)
        cols = cols.where(inside)
        counts = counts.join(Location, Location.id == Box.home_id).where(inside)
    rows = {r.id: r for r in session.execute(cols)}
    own: dict = dict(session.execute(counts).all())
    spaces = roll_up((r.id, r.parent_id, r.capacity, own.get(r.id, 0)) for r in rows.values())
    places = []
    for key, level in walk((r.id, r.parent_id, r.code) for r in rows.values()):
        r = rows[key]
        places.append(Place(r.id, r.code, r.name, r.kind, r.parent_id, r.capacity, own.get(key, 0),
                            level, spaces[key]))
    return places


def ancestors(session: Session, place: Location) -> list[Location]:
    """The places a place sits in, from the store down (one query, by the codes in its path)."""
    codes = [c for c in place.path.strip("/").split("/")[:-1] if c]
    found = {p.code: p for p in session.scalars(select(Location).where(Location.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def over_capacity(session: Session, location_id: int | None) -> tuple[str, int, int] | None:
    """(code, boxes, capacity) when a place now holds more boxes than its capacity: a warning only."""
    if location_id is None:
        return None
    place = session.get(Location, location_id)
    if place is None or place.capacity is None:
        return None
    boxes = session.scalar(select(func.count()).where(Box.home_id == place.id,
                                                      Box.retired_at.is_(None))) or 0
    return (place.code, boxes, place.capacity) if boxes > place.capacity else None


def code_in_use(session: Session, code: str) -> str | None:
    """What already carries this code ("place" or "box"): one code names one thing."""
    if session.scalar(select(Location.id).where(Location.code == code)):
        return N_("place")
    if session.scalar(select(Box.id).where(Box.code == code)):
        return N_("box")
    return None


def refuse_taken(session: Session, code: str) -> None:
    taken = code_in_use(session, code)
    if taken:
        raise refused(N_("code %(code)s is already used by a %(thing)s: one code names one thing"),
                      code=code, thing=taken)


def get_location(session: Session, code: str) -> Location:
    place = session.scalar(select(Location).where(Location.code == (code or "").strip().upper()))
    if place is None:
        raise not_found(N_("no place with code %(code)r"), code=code)
    return place


def create_location(session: Session, actor: str, code: str, name: str, kind: str,
                    parent_code: str | None = None, capacity: int | None = None) -> Location:
    """A new place in the tree, audited."""
    code = clean_code(code)
    name = _name(name)
    parent = get_location(session, parent_code) if parent_code else None
    check_nesting(kind, parent.kind if parent else None)
    capacity = clean_capacity(capacity, kind)
    refuse_taken(session, code)
    place = Location(code=code, name=name, name_key=fold(name), kind=kind, capacity=capacity,
                     parent_id=parent.id if parent else None,
                     path=child_path(parent.path if parent else None, code))
    session.add(place)
    session.flush()
    audit.record(session, actor, "location.create", f"location:{code}", kind=kind, name=name,
                 parent=parent.code if parent else None, capacity=capacity)
    return place


def update_location(session: Session, actor: str, code: str, *, name: str, capacity: int | None,
                    new_code: str | None = None) -> Location:
    """Rename a place or change its capacity; its code only while nothing sits in it."""
    place = get_location(session, code)
    changes: dict[str, list] = {}
    name = _name(name)
    capacity = clean_capacity(capacity, place.kind)
    if new_code is not None and clean_code(new_code) != place.code:
        new_code = clean_code(new_code)
        children, boxes = contents(session, place)
        if children or boxes:
            raise refused(N_("the code of %(code)s cannot change while it holds %(children)s places "
                             "and %(boxes)s boxes (its labels are printed)"),
                          code=place.code, children=children, boxes=boxes)
        refuse_taken(session, new_code)
        parent_path = place.path[: -len(place.code) - 1]
        changes["code"] = [place.code, new_code]
        place.code, place.path = new_code, child_path(parent_path, new_code)
    if name != place.name:
        changes["name"] = [place.name, name]
        place.name, place.name_key = name, fold(name)
    if capacity != place.capacity:
        changes["capacity"] = [place.capacity, capacity]
        place.capacity = capacity
    if changes:
        audit.record(session, actor, "location.update", f"location:{code}", **changes)
    return place


def contents(session: Session, place: Location) -> tuple[int, int]:
    """How many places sit directly in it, and how many boxes (retired or not) have it as home."""
    children = session.scalar(select(func.count()).where(Location.parent_id == place.id)) or 0
    boxes = session.scalar(select(func.count()).where(Box.home_id == place.id)) or 0
    return children, boxes


def delete_location(session: Session, actor: str, code: str) -> str:
    """Remove an empty place (its code is returned); one holding places or boxes is refused, with why."""
    place = get_location(session, code)
    children, boxes = contents(session, place)
    if children:
        raise refused(N_("%(code)s cannot be deleted: %(count)s places sit in it; delete or move "
                         "them first"), code=place.code, count=children)
    if boxes:
        raise refused(N_("%(code)s cannot be deleted: it is the home of %(count)s boxes; move them "
                         "first"), code=place.code, count=boxes)
    audit.record(session, actor, "location.delete", f"location:{place.code}", kind=place.kind,
                 name=place.name, capacity=place.capacity)
    try:
        with session.begin_nested():
            session.delete(place)
    except IntegrityError:
        raise refused(N_("%(code)s cannot be deleted: other records (reads, stock-takes…) name it"),
                      code=place.code) from None
    return place.code


def _name(name: str | None) -> str:
    name = nfc(name)
    if not name:
        raise refused(N_("a place needs a name"))
    return name

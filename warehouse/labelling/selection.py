"""Which labels a print run makes, and their text, loaded with a few set-based queries.

A selection is a fonds' boxes, listed box codes, the boxes homed under a location prefix (a shelf
range: "K01-D02-G05" prints every box whose home shelf code starts so), or the locations under a
prefix (their own labels: shelves, racks, rows, gates, checkpoints — never the boxes on them, so that
every code on the sheet is one that was asked for)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.errors import N_, not_found, refused
from warehouse.fonds import get_fonds
from warehouse.labelling import texts
from warehouse.labelling.texts import BoxFacts, LabelText, box_label, file_order, place_label
from warehouse.locations import natural
from warehouse.models import Agency, Box, File, Fonds, Location
from warehouse.models.labels import SELECTIONS
from warehouse.models.locations import KINDS

CHUNK = 5000  # ids per IN (…) list
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Selection:
    kind: str  # one of SELECTIONS
    value: str  # a fonds code, box codes joined by ",", or a location prefix
    kinds: tuple[str, ...] = ()  # locations: only these kinds (empty: every kind)

    @property
    def codes(self) -> list[str]:
        return self.value.split(",") if self.kind == "boxes" else []

    @property
    def of_boxes(self) -> bool:
        return self.kind != "locations"


def selection(kind: str, value: str, kinds: Iterable[str] = ()) -> Selection:
    """A checked selection: codes upper-cased, listed boxes without repeats (in the order given)."""
    if kind not in SELECTIONS:
        raise refused(N_("unknown selection %(kind)r: one of %(kinds)s"), kind=kind, kinds=", ".join(SELECTIONS))
    if kind == "boxes":
        codes = list(dict.fromkeys(c for c in _SPLIT.split((value or "").upper()) if c))
        value = ",".join(codes)
    else:
        value = (value or "").strip().upper()
    if not value:
        raise refused(N_("say which labels to print: a fonds code, box codes or a location prefix"))
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise refused(N_("unknown kind %(kind)r: one of %(kinds)s"), kind=unknown[0], kinds=", ".join(KINDS))
    return Selection(kind, value, kinds if kind == "locations" else ())


def find_box(session: Session, fonds: str, number: int | None) -> Box:
    """A box by its fonds and box number (how a store without labels finds it)."""
    found = get_fonds(session, fonds)
    box = session.scalar(select(Box).where(Box.fonds_id == found.id, Box.number == number))
    if box is None:
        raise not_found(N_("fonds %(fonds)s has no box number %(number)s"), fonds=found.code, number=number)
    return box


def _box_rows(session: Session, sel: Selection) -> list:
    stmt = (select(Box.id, Box.code, Box.number, Box.epc, Fonds.code, Fonds.name, Agency.name, Location.code)
            .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(Agency, Agency.id == Fonds.agency_id)
            .outerjoin(Location, Location.id == Box.home_id))
    if sel.kind == "boxes":
        rows = [r for part in chunks(sel.codes) for r in session.execute(stmt.where(Box.code.in_(part)))]
        known = {r[1]: r for r in rows}
        missing = [c for c in sel.codes if c not in known]
        if missing:
            raise not_found(N_("no box with code %(codes)s"), codes=", ".join(missing))
        return [known[c] for c in sel.codes]
    if sel.kind == "fonds":
        fonds = get_fonds(session, sel.value)
        rows = list(session.execute(stmt.where(Box.fonds_id == fonds.id, Box.retired_at.is_(None))
                                    .order_by(Box.number)))
        if not rows:
            raise refused(N_("fonds %(fonds)s has no boxes to label"), fonds=fonds.code)
        return rows
    rows = list(session.execute(stmt.where(Location.code.startswith(sel.value, autoescape=True),
                                           Box.retired_at.is_(None))))
    if not rows:
        raise refused(N_("no box has a home whose code starts with %(prefix)s"), prefix=sel.value)
    return sorted(rows, key=lambda r: (natural(r[7]), r[4], r[2]))


def chunks(values: list) -> Iterator[list]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def box_facts(session: Session, sel: Selection) -> list[BoxFacts]:
    """The selected boxes with their first and last file, years and longest retention."""
    boxes = [BoxFacts(id_, code, number, epc, fonds, fonds_name, agency, home)
             for id_, code, number, epc, fonds, fonds_name, agency, home in _box_rows(session, sel)]
    by_id = {b.id: b for b in boxes}
    first: dict[int, tuple] = {}
    last: dict[int, tuple] = {}
    retentions: dict[int, set[str]] = {}
    cols = (File.box_id, File.catalogue, File.position, File.number, File.start_date, File.end_date,
            File.retention)
    for part in chunks(list(by_id)):
        query = select(*cols).where(File.box_id.in_(part)).execution_options(yield_per=CHUNK)
        for box_id, catalogue, position, number, start, end, retention in session.execute(query):
            key = (file_order(catalogue, position, number), number)
            if box_id not in first or key < first[box_id]:
                first[box_id] = key
            if box_id not in last or key > last[box_id]:
                last[box_id] = key
            facts = by_id[box_id]
            for d in (start, end):
                if d is not None:
                    facts.first_year = min(facts.first_year or d.year, d.year)
                    facts.last_year = max(facts.last_year or d.year, d.year)
            if retention:
                retentions.setdefault(box_id, set()).add(retention)
    for box in boxes:
        if box.id in first:
            box.first_file, box.last_file = first[box.id][1], last[box.id][1]
        box.retention = texts.longest_retention(sorted(retentions.get(box.id, ())))
    return boxes


def place_rows(session: Session, sel: Selection) -> list:
    """(id, code, name, kind, path) of the locations under the prefix, in the order of the tree."""
    stmt = select(Location.id, Location.code, Location.name, Location.kind, Location.path).where(
        Location.code.startswith(sel.value, autoescape=True))
    if sel.kinds:
        stmt = stmt.where(Location.kind.in_(sel.kinds))
    rows = list(session.execute(stmt))
    if not rows:
        raise refused(N_("no location code starts with %(prefix)s"), prefix=sel.value)
    return sorted(rows, key=lambda r: [natural(part) for part in r[4].split("/") if part])


def load(session: Session, sel: Selection, fields: Iterable[str]) -> list[tuple[int, LabelText]]:
    """(box or location id, label text) of every label the selection prints, in print order."""
    if sel.of_boxes:
        fields = tuple(fields)
        return [(b.id, box_label(b, fields)) for b in box_facts(session, sel)]
    stores = dict(session.execute(select(Location.code, Location.name).where(Location.kind == "kho")).all())
    return [(id_, place_label(code, name, kind, stores.get(path.strip("/").split("/")[0])))
            for id_, code, name, kind, path in place_rows(session, sel)]


def box_ids(session: Session, sel: Selection) -> list[int]:
    """The ids of the selected boxes, in print order."""
    return [row[0] for row in _box_rows(session, sel)]


def count(session: Session, sel: Selection) -> int:
    """How many labels the selection prints (and a clear refusal if it names nothing)."""
    return len(_box_rows(session, sel)) if sel.of_boxes else len(place_rows(session, sel))

"""Finding boxes and files by code, EPC, fonds, box number, title words (accent-insensitive), state and
place, with where each is now; results as an XLSX workbook.

The words of a query match as in the register's search (warehouse.search): a box code or its start,
an EPC, "Hộp 7" / "P012 7" for a box number; each folded word in a file's title, or a file's number or
code. SQL narrows the candidates (query, fonds, stored state, the place's subtree among homes, reads
and applied places); where each candidate is (state.py) decides the rest. A place filter keeps boxes
whose home or last-known place is at that location or inside it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from warehouse import search as register_search
from warehouse import workbooks
from warehouse.boxes import hidden_regimes, visible_title
from warehouse.errors import N_, refused
from warehouse.fonds import get_fonds
from warehouse.locations import get_location
from warehouse.models import Box, BoxStatus, DisposalFile, File, Fonds, Location, ScanEvent
from warehouse.models.tracking import BOX_STATES
from warehouse.search import all_words, box_match, words
from warehouse.stocktake.export import when
from warehouse.text import nfc
from warehouse.tracking.places import whereabouts_of
from warehouse.tracking.state import IN_STOCK, STATES, Whereabouts

FILTER_STATES = (*STATES, "misplaced", "unshelved")
CANDIDATES = 5000  # boxes weighed at most per search; results are capped at `limit`


@dataclass(frozen=True)
class Filters:
    query: str = ""
    fonds: str = ""
    state: str = ""
    place: str = ""

    def checked(self) -> Filters:
        if self.state and self.state not in FILTER_STATES:
            raise refused(N_("unknown state %(value)r: one of %(states)s"), value=self.state,
                          states=", ".join(FILTER_STATES))
        return Filters(nfc(self.query), self.fonds.strip().upper(), self.state, self.place.strip().upper())


@dataclass(frozen=True)
class BoxHit:
    id: int
    code: str
    fonds: str
    number: int
    epc: str | None
    home: str | None
    files: int
    where: Whereabouts

    @property
    def state(self) -> str:
        return self.where.state


@dataclass(frozen=True)
class FileHit(register_search.FileHit):
    """The register's file hit, with what tracking adds: retention, the box's state and place."""

    retention: str
    state: str  # the box's state, or destroyed
    place: str | None


def keeps(where: Whereabouts, state: str, inside: Callable[[str | None], bool] | None) -> bool:
    """Whether a box's whereabouts pass the state and place filters (pure)."""
    if state == "misplaced" and not (where.state == "on_shelf" and where.misplaced):
        return False
    if state == "unshelved" and not where.unshelved:
        return False
    if state in STATES and where.state != state:
        return False
    return inside is None or inside(where.home) or inside(where.place)


def _narrow(session: Session, f: Filters, place: Location | None) -> list:
    """SQL conditions on Box (joined to Fonds and BoxStatus) for the fonds, stored state and place."""
    where = []
    if f.fonds:
        where.append(Box.fonds_id == get_fonds(session, f.fonds).id)
    if f.state in BOX_STATES:
        where.append(BoxStatus.state == f.state)
    elif f.state in (*IN_STOCK, "misplaced", "unshelved"):
        where.append(BoxStatus.state.is_(None))
    if place is not None:
        under = select(Location.id).where(Location.path.startswith(place.path, autoescape=True))
        seen = exists().where(ScanEvent.box_id == Box.id, ScanEvent.place_id.in_(under), ScanEvent.stocktake.is_(None))
        where.append(or_(Box.home_id.in_(under), BoxStatus.fix_place_id.in_(under), seen))
    return where


def _inside(session: Session, place: Location | None) -> Callable[[str | None], bool] | None:
    if place is None:
        return None
    codes = set(session.scalars(select(Location.code).where(Location.path.startswith(place.path, autoescape=True))))
    return lambda code: code in codes


def search_boxes(session: Session, filters: Filters, limit: int = 500) -> list[BoxHit]:
    """Boxes matching the filters, by fonds and number, with where each is now."""
    f = filters.checked()
    place = get_location(session, f.place) if f.place else None
    where = _narrow(session, f, place)
    if words(f.query):
        by_title = select(File.box_id).where(all_words(File.title_key, f.query))
        where.append(or_(box_match(f.query), Box.id.in_(by_title)))
    counts = select(File.box_id, func.count().label("n")).group_by(File.box_id).subquery()
    home = aliased(Location)
    rows = session.execute(
        select(Box.id, Box.code, Fonds.code, Box.number, Box.epc, home.code, func.coalesce(counts.c.n, 0))
        .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(BoxStatus, BoxStatus.box_id == Box.id)
        .outerjoin(home, home.id == Box.home_id).outerjoin(counts, counts.c.box_id == Box.id)
        .where(*where).order_by(Fonds.code, Box.number).limit(CANDIDATES)).all()
    found = whereabouts_of(session, [r[0] for r in rows])
    inside = _inside(session, place)
    hits = [BoxHit(id_, code, fonds, number, epc, home_code, files, found[id_])
            for id_, code, fonds, number, epc, home_code, files in rows if keeps(found[id_], f.state, inside)]
    return hits[:limit]


def search_files(session: Session, filters: Filters, regimes: Iterable[str], cleared: bool,
                 limit: int = 500) -> list[FileHit]:
    """Files whose title holds every word of the query (restricted ones only for the cleared) or whose
    number or code is the query, in boxes passing the fonds, state and place filters."""
    f, regimes = filters.checked(), list(regimes)
    place = get_location(session, f.place) if f.place else None
    destroyed = f.state == "destroyed"
    where = _narrow(session, Filters("", f.fonds, "" if destroyed else f.state, f.place), place)
    if destroyed:
        where.append(DisposalFile.file_id.is_not(None))
    if words(f.query):
        by_title = all_words(File.title_key, f.query)
        hidden = [] if cleared else hidden_regimes(session, regimes)
        if hidden:
            by_title = and_(by_title, File.access.not_in(hidden))
        where.append(or_(by_title, File.number == f.query, File.file_code == f.query))
    rows = session.execute(
        select(File.id, Box.id, Box.code, Fonds.code, File.catalogue, File.number, File.title, File.access,
               File.start_date, File.end_date, File.retention, DisposalFile.file_id)
        .join(Box, Box.id == File.box_id).join(Fonds, Fonds.id == File.fonds_id)
        .outerjoin(BoxStatus, BoxStatus.box_id == Box.id).outerjoin(DisposalFile, DisposalFile.file_id == File.id)
        .where(*where).order_by(Fonds.code, File.catalogue, Box.number, File.position, File.number)
        .limit(CANDIDATES)).all()
    found = whereabouts_of(session, {r[1] for r in rows})
    inside = _inside(session, place)
    hits = []
    for (fid, box_id, box, fonds, cat, number, title, access, start, end, retention, gone) in rows:
        at = found[box_id]
        if gone is not None and f.state not in ("", "destroyed"):
            continue  # a destroyed file is in no other state
        if not keeps(at, "" if destroyed else f.state, inside):
            continue
        hits.append(FileHit(fid, box, fonds, cat, number, visible_title(title, access, regimes, cleared), start, end,
                            retention, "destroyed" if gone is not None else at.state, at.place))
    return hits[:limit]


def as_json(boxes: list[BoxHit], files: list[FileHit]) -> dict:
    """Search results as plain values (places as codes, times as ISO 8601)."""
    from warehouse.tracking.places import iso

    return {"boxes": [{"code": b.code, "fonds": b.fonds, "box": b.number, "epc": b.epc, "home": b.home,
                       "state": b.state, "place": b.where.place, "misplaced": b.where.misplaced,
                       "last_seen": iso(b.where.seen), "files": b.files} for b in boxes],
            "files": [{"id": f.id, "box": f.box, "fonds": f.fonds, "catalogue": f.catalogue, "number": f.number,
                       "title": f.title, "start_date": f.start_date.isoformat() if f.start_date else None,
                       "end_date": f.end_date.isoformat() if f.end_date else None, "retention": f.retention,
                       "state": f.state, "place": f.place} for f in files]}


# --- XLSX -------------------------------------------------------------------------------------------

def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def workbook(boxes: list[BoxHit], files: list[FileHit], tr: Callable[[str], str], state_word: Callable[[str], str],
             zone: tzinfo | None = None) -> bytes:
    """Boxes and files found, one sheet each (write-only: flat memory)."""
    book = workbooks.new()

    def sheet(title: str, head: list[str], widths: tuple, rows: Iterable[list]) -> None:
        table = workbooks.table(book, title, head, widths)
        for row in rows:
            table.append(row)

    sheet(tr(N_("Boxes")), [tr(N_("Box code")), tr(N_("Fonds")), tr(N_("Box no.")), tr(N_("EPC")),
                            tr(N_("Home")), tr(N_("State")), tr(N_("Place")), tr(N_("Last seen")),
                            tr(N_("Misplaced")), tr(N_("Files"))],
          (18, 10, 8, 28, 20, 16, 20, 18, 10, 8),
          ([b.code, b.fonds, b.number, b.epc or "", b.home or "", state_word(b.state), b.where.place or "",
            when(b.where.seen.at if b.where.seen else None, zone), tr(N_("yes")) if b.where.misplaced else "",
            b.files] for b in boxes))
    sheet(tr(N_("Files")), [tr(N_("Box code")), tr(N_("Fonds")), tr(N_("Catalogue")),
                            tr(N_("File number and symbol")), tr(N_("Title")), tr(N_("Start")), tr(N_("End")),
                            tr(N_("Retention")), tr(N_("State")), tr(N_("Place"))],
          (18, 10, 8, 18, 60, 12, 12, 14, 16, 20),
          ([f.box, f.fonds, f.catalogue, f.number, f.title if f.title is not None else tr(N_("(restricted)")),
            _day(f.start_date), _day(f.end_date), f.retention, state_word(f.state), f.place or ""] for f in files))
    return workbooks.saved(book)

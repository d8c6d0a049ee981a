"""Agencies (cơ quan): active, merged into a successor, or dissolved — and the date they ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.models import Agency, Fonds
from warehouse.models.fonds import AGENCY_STATUSES
from warehouse.text import fold, nfc

# --- pure rules -------------------------------------------------------------------------------------

def check_status(status: str, successor: str | None, ended_on: date | None) -> None:
    """An active agency has no end; a merged one names its successor; an ended one, its date."""
    if status not in AGENCY_STATUSES:
        raise refused(N_("unknown status %(status)r: one of %(statuses)s"), status=status,
                      statuses=", ".join(AGENCY_STATUSES))
    if status == "active":
        if successor:
            raise refused(N_("an active agency has no successor (it was given %(successor)s)"),
                          successor=successor)
        if ended_on:
            raise refused(N_("an active agency has no end date (it was given %(date)s)"),
                          date=ended_on.isoformat())
        return
    if ended_on is None:
        raise refused(N_("a %(status)s agency needs the date it ended"), status=status)
    if status == "merged" and not successor:
        raise refused(N_("a merged agency needs the successor it merged into"))


def successor_loop(agency_id: int | None, successor_id: int | None,
                   successor_of: dict[int, int | None]) -> bool:
    """Whether making `successor_id` the successor of `agency_id` would bring the chain back to it."""
    seen: set[int] = set()
    current = successor_id
    while current is not None and current not in seen:
        if current == agency_id:
            return True
        seen.add(current)
        current = successor_of.get(current)
    return False


# --- services ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    fonds: int


def list_agencies(session: Session, query: str = "") -> list[AgencyRow]:
    """Agencies by name (all words of the query in the folded name), each with its number of fonds."""
    counts = (select(Fonds.agency_id, func.count().label("n")).group_by(Fonds.agency_id).subquery())
    stmt = (select(Agency, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.agency_id == Agency.id).order_by(Agency.name_key))
    for word in fold(query).split():
        stmt = stmt.where(Agency.name_key.contains(word, autoescape=True))
    return [AgencyRow(a, n) for a, n in session.execute(stmt)]


def get_agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise not_found(N_("no agency number %(id)s"), id=agency_id)
    return agency


def agency_named(session: Session, name: str, actor: str) -> Agency:
    """The agency of that name (accent- and case-insensitive), created active when unknown."""
    found = session.scalar(select(Agency).where(Agency.name_key == fold(name)))
    return found if found is not None else create_agency(session, actor, name)


def create_agency(session: Session, actor: str, name: str, status: str = "active",
                  successor_id: int | None = None, ended_on: date | None = None,
                  decision: str = "") -> Agency:
    """A new agency, audited."""
    name = _name(session, name)
    successor = get_agency(session, successor_id) if successor_id else None
    check_status(status, successor.name if successor else None, ended_on)
    agency = Agency(name=name, name_key=fold(name), status=status, successor_id=successor_id or None,
                    ended_on=ended_on, decision=nfc(decision))
    session.add(agency)
    session.flush()
    audit.record(session, actor, "agency.create", f"agency:{agency.id}", name=name, status=status,
                 successor=successor.name if successor else None, ended_on=ended_on,
                 decision=agency.decision)
    return agency


def update_agency(session: Session, actor: str, agency_id: int, *, name: str, status: str,
                  successor_id: int | None, ended_on: date | None, decision: str) -> Agency:
    """Change an agency (e.g. record its merger); what changed goes to the audit trail."""
    agency = get_agency(session, agency_id)
    name = _name(session, name, agency.id)
    successor = get_agency(session, successor_id) if successor_id else None
    check_status(status, successor.name if successor else None, ended_on)
    if successor is not None:
        chain = dict(session.execute(select(Agency.id, Agency.successor_id)).all())
        if successor_loop(agency.id, successor.id, chain):
            raise refused(N_("%(successor)s cannot succeed %(name)s: its own successors lead back "
                             "to %(name)s"), successor=successor.name, name=agency.name)
    new = {"name": name, "status": status, "successor_id": successor_id or None,
           "ended_on": ended_on, "decision": nfc(decision)}
    changes = {k: [getattr(agency, k), v] for k, v in new.items() if getattr(agency, k) != v}
    for key, (_old, value) in changes.items():
        setattr(agency, key, value)
    agency.name_key = fold(agency.name)
    if changes:
        audit.record(session, actor, "agency.update", f"agency:{agency.id}", **changes)
    return agency


def _name(session: Session, name: str | None, own_id: int | None = None) -> str:
    name = nfc(name)
    if not name:
        raise refused(N_("an agency needs a name"))
    other = session.scalar(select(Agency).where(Agency.name_key == fold(name)))
    if other is not None and other.id != own_id:
        raise refused(N_("agency %(name)r exists already (as %(other)r)"), name=name, other=other.name)
    return name

"""What the scan pipeline calls once a batch is stored (warehouse.scans.ingest.AFTER_INGEST).

From the batch's new sightings, in the batch's transaction:
- reads whose context names a transfer ({"transfer": ID}) are its dispatch scans while it is
  planned and its receipt scans once it is dispatched;
- a box of an open move order seen at the order's shelf (or the rack that holds it) is moved: its home
  becomes that shelf. Seen anywhere else it is not moved (misplaced, as before);
- a box in transit seen inside its transfer's destination store is received;
- a lost box seen anywhere is found again (back in stock).
Reads made for a stock-take count for that stock-take only and are left out here. The common case, a
batch of boxes none of which is watched, costs two small queries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.models import Box, BoxStatus, Location, Transfer
from warehouse.tracking import moves, transfers
from warehouse.tracking.state import log, set_state

# (box id, place id or None, at as naive UTC, device id, seq, stocktake id or None, context JSON text or None)
Sighting = tuple[int, int | None, datetime, int, int, int | None, str | None]


def after_ingest(session: Session, sightings: Sequence[Sighting], actor: str) -> None:
    """Evaluate a stored batch's day-to-day sightings (see the module docstring)."""
    day = [s for s in sightings if s[5] is None]
    if not day:
        return
    _transfer_scans(session, _by_time([s for s in day if s[6] and '"transfer"' in s[6]]), actor)
    waiting = moves.open_lines(session)
    watched = dict(session.execute(select(BoxStatus.box_id, BoxStatus.state).where(
        BoxStatus.state.in_(("in_transit", "lost")))).all())
    if not waiting and not watched:
        return
    seen = _by_time([s for s in day if s[0] in waiting or s[0] in watched])
    _moves(session, [s for s in seen if s[0] in waiting], waiting, actor)
    _arrivals(session, [s for s in seen if watched.get(s[0]) == "in_transit" and s[1] is not None], actor)
    _found_again(session, [s for s in seen if watched.get(s[0]) == "lost"], actor)


def _by_time(sightings: list[Sighting]) -> list[Sighting]:
    return sorted(sightings, key=lambda s: (s[2], s[3], s[4]))


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _transfer_of(context: str) -> int | None:
    try:
        value = json.loads(context).get("transfer")
    except (ValueError, AttributeError):
        return None
    return value if type(value) is int else None


def _transfer_scans(session: Session, reads: list[Sighting], actor: str) -> None:
    by_transfer: dict[int, list[tuple[int, datetime, int | None]]] = {}
    for box, _place, at, device, _seq, _st, context in reads:
        transfer = _transfer_of(context or "")
        if transfer is not None:
            by_transfer.setdefault(transfer, []).append((box, _utc(at), device))
    if not by_transfer:
        return
    states = dict(session.execute(select(Transfer.id, Transfer.state).where(Transfer.id.in_(by_transfer))).all())
    for transfer_id, scans in sorted(by_transfer.items()):
        if states.get(transfer_id) == "planned":
            transfers.load(session, actor, transfer_id, scans, strict=False)
        elif states.get(transfer_id) == "dispatched":
            transfers.receive(session, actor, transfer_id, scans, strict=False)


def _moves(session: Session, seen: list[Sighting], waiting: dict, actor: str) -> None:
    """Boxes of open move orders seen at the order's shelf, or at the rack that holds it, are moved."""
    if not seen:
        return
    racks = dict(session.execute(select(Location.id, Location.parent_id).where(
        Location.id.in_({shelf for _order, shelf, _path in waiting.values()}))).all())
    done: dict[int, moves.Done] = {}
    for box, place, at, device, seq, _st, _context in seen:
        order, shelf, _path = waiting[box]
        if box not in done and place is not None and place in (shelf, racks.get(shelf)):
            done[box] = moves.Done(order, box, _utc(at), actor, device, seq)
    moves.complete(session, list(done.values()))


def _arrivals(session: Session, seen: list[Sighting], actor: str) -> None:
    """Boxes in transit seen inside their transfer's destination store are received there."""
    if not seen:
        return
    heading = dict(session.execute(
        select(BoxStatus.box_id, BoxStatus.transfer_id).where(BoxStatus.box_id.in_({s[0] for s in seen}))).all())
    ends = dict(session.execute(select(Transfer.id, Location.path).join(Location, Location.id == Transfer.destination_id)
                                .where(Transfer.id.in_(set(heading.values())), Transfer.state == "dispatched")).all())
    paths = dict(session.execute(select(Location.id, Location.path).where(
        Location.id.in_({s[1] for s in seen}))).all())
    by_transfer: dict[int, list[tuple[int, datetime, int | None]]] = {}
    for box, place, at, device, _seq, _st, _context in seen:
        transfer = heading.get(box)
        if transfer in ends and paths.get(place or 0, "").startswith(ends[transfer]):
            by_transfer.setdefault(transfer, []).append((box, _utc(at), device))
    for transfer_id, scans in sorted(by_transfer.items()):
        transfers.receive(session, actor, transfer_id, scans, strict=False)


def _found_again(session: Session, seen: list[Sighting], actor: str) -> None:
    """A lost box seen anywhere is back in stock."""
    first: dict[int, Sighting] = {}
    for s in seen:
        first.setdefault(s[0], s)
    if not first:
        return
    set_state(session, first, None)
    log(session, [{"box_id": box, "kind": "found", "actor": actor, "at": _utc(at), "device_id": device,
                   "seq": seq, "place_id": place} for box, place, at, device, seq, _st, _c in first.values()])
    codes = sorted(session.scalars(select(Box.code).where(Box.id.in_(first))))
    audit.record(session, actor, "box.found", f"boxes:{len(codes)}", boxes=codes)

"""What a device's reads mean, taken in seq order: places, sightings, collapsed re-reads (pure).

The rules (CONTRACT.md "Scan events"):
- a location label (kho, phong, day, gia, ngan) sets the device's place; a gate (cong) or checkpoint
  (diem) clears it, and never places a box;
- a box read is a sighting at its explicit `location` if the event has one (a gate, a checkpoint or
  an unknown code there counts as an unknown place), else at the device's place, else at an unknown
  place; a place coarser than a rack (kho, phong, day) is too coarse: an unknown place;
- an RFID re-read of a box by the same reader at the same place within the window of the sighting
  it re-reads collapses into that sighting: the event is kept, it is no new sighting;
- an unknown code changes nothing.
A device's clock is assumed not to run backwards by more than the window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from warehouse.scans.codes import Resolved

LOCATES = frozenset({"gia", "ngan"})  # places fine enough to locate a box: a rack or a shelf


@dataclass(slots=True)
class Read:
    """One event as interpretation sees it."""

    seq: int
    kind: str  # barcode | rfid
    at: datetime  # naive UTC
    what: Resolved  # what the code names
    where: Resolved | None = None  # the event's explicit location, resolved


@dataclass(frozen=True, slots=True)
class Reading:
    """What one read means: stored beside the event."""

    seq: int
    reading: str  # box | place | gate | checkpoint | unknown
    box_id: int | None = None
    label_id: int | None = None  # the label read (place, gate or checkpoint)
    place_id: int | None = None  # where a box read puts the box (None: unknown)
    sighting: bool = False


@dataclass
class DeviceState:
    """A device's place (its last place label) and the RFID sightings re-reads may collapse into."""

    place: Resolved | None = None
    recent: dict[tuple[int | None, int | None], datetime] = field(default_factory=dict)  # (box, place) →


def place_of(read: Read, state: DeviceState) -> int | None:
    """The place a box read puts the box at, or None for an unknown place."""
    where = read.where if read.where is not None else state.place
    if where is None or where.reading != "place" or where.kind not in LOCATES:
        return None
    return where.id


def step(read: Read, state: DeviceState, window: timedelta) -> Reading:
    """The meaning of one read; updates the device's state."""
    what = read.what
    if what.reading == "box":
        place = place_of(read, state)
        sighting = True
        if read.kind == "rfid":
            key = (what.id, place)
            seen = state.recent.get(key)
            if seen is not None and abs(read.at - seen) <= window:
                sighting = False
            else:
                state.recent[key] = read.at
        return Reading(read.seq, "box", what.id, None, place, sighting)
    if what.reading == "place":
        state.place = what
        return Reading(read.seq, "place", None, what.id)
    if what.reading in ("gate", "checkpoint"):
        state.place = None
        return Reading(read.seq, what.reading, None, what.id)
    return Reading(read.seq, "unknown")


def interpret(reads: Iterable[Read], state: DeviceState, window: timedelta) -> list[Reading]:
    """The meaning of each of a device's reads, given in seq order, from the state before them."""
    return [step(read, state, window) for read in reads]

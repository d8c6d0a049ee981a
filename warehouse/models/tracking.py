"""Tracking: where a box is beyond its sightings, how it moves between shelves and stores, and its history.

- `box_status`: one row per box that has left the count (in transit, checked out, handed over,
  destroyed, lost on a transfer) — `state` NULL means back in stock — and the place a closed
  stock-take fixed for it when someone applied that stock-take's result.
- `move_orders` / `move_lines`: re-shelving orders (to a shelf, reason, approved by), one line per box
  with the home it had; a line is done when the box is scanned at the new shelf.
- `transfers` / `transfer_boxes`: boxes carried from one store to another store (or to an outside
  body), with vehicle, seals, people and expected arrival; each box listed, in transit, received,
  missing on receipt, or received without being listed.
- `checkouts` / `checkout_boxes`: boxes lent to the reading room or an office, due back on a date.
- `disposals` / `disposal_files`: decisions to destroy (tiêu hủy) files past their retention.
- `box_events`: each box's tracking history (moves, transfers, check-outs, disposal, stock-take
  places applied), with who and which device."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base, UtcDateTime, utcnow
from warehouse.models.boxes import Box
from warehouse.models.locations import Location

# A box's stored state when it is out of the count; no row (or NULL) means in stock.
BOX_STATES = ("in_transit", "checked_out", "handed_over", "destroyed", "lost")
MOVE_STATES = ("open", "done", "cancelled")
TRANSFER_STATES = ("planned", "dispatched", "received", "cancelled")
# listed: not yet dispatched · in_transit · received · missing (on receipt) · unlisted (received, not listed)
TRANSFER_BOX_STATES = ("listed", "in_transit", "received", "missing", "unlisted")
CHECKOUT_KINDS = ("reading_room", "office")


class BoxStatus(Base):
    __tablename__ = "box_status"
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(12), index=True)  # one of BOX_STATES, or in stock
    since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id"))
    disposal_id: Mapped[int | None] = mapped_column(ForeignKey("disposals.id"))
    # The place a closed stock-take found the box at, applied by hand, and its deciding read's time.
    fix_place_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    fix_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    fix_offset: Mapped[int | None] = mapped_column(SmallInteger)
    fix_stocktake_id: Mapped[int | None] = mapped_column(ForeignKey("stocktakes.id"))


class MoveOrder(Base):
    __tablename__ = "move_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)  # one of MOVE_STATES
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    to: Mapped[Location] = relationship()


class MoveLine(Base):
    """A box of a move order: the home it had, and the scan that completed its move."""

    __tablename__ = "move_lines"
    order_id: Mapped[int] = mapped_column(ForeignKey("move_orders.id"), primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), primary_key=True, index=True)
    from_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_by: Mapped[str | None] = mapped_column(String(80))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int | None] = mapped_column(BigInteger)


class Transfer(Base):
    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    origin_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(300), default="")  # an outside body (no destination)
    vehicle: Mapped[str] = mapped_column(String(120), default="")
    seals: Mapped[str] = mapped_column(String(300), default="")  # seal numbers, comma-separated
    people: Mapped[str] = mapped_column(Text, default="")  # who carries and escorts, comma-separated
    expected_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="planned", index=True)  # TRANSFER_STATES
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    dispatched_by: Mapped[str | None] = mapped_column(String(80))
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    origin: Mapped[Location] = relationship(foreign_keys=[origin_id])
    destination: Mapped[Location | None] = relationship(foreign_keys=[destination_id])


class TransferBox(Base):
    __tablename__ = "transfer_boxes"
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), primary_key=True, index=True)
    state: Mapped[str] = mapped_column(String(12), default="listed")  # one of TRANSFER_BOX_STATES
    listed: Mapped[bool] = mapped_column(default=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    dispatched_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    received_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    box: Mapped[Box] = relationship()


class Checkout(Base):
    __tablename__ = "checkouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # one of CHECKOUT_KINDS
    place: Mapped[str] = mapped_column(String(200), default="")  # which reading room or office
    borrower: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    out_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    out_by: Mapped[str] = mapped_column(String(80), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)


class CheckoutBox(Base):
    __tablename__ = "checkout_boxes"
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), primary_key=True, index=True)
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    returned_by: Mapped[str | None] = mapped_column(String(80))


class Disposal(Base):
    """A disposal decision (quyết định tiêu hủy): its number, date and approving body."""

    __tablename__ = "disposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    decided_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[int] = mapped_column(Integer, default=0)
    boxes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")


class DisposalFile(Base):
    """A file a disposal decision covers (destroyed once: the file is the key)."""

    __tablename__ = "disposal_files"
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    disposal_id: Mapped[int] = mapped_column(ForeignKey("disposals.id"), index=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), index=True)


class BoxEvent(Base):
    """A step of a box's tracking history; `ref` is the order, transfer, check-out, decision or
    stock-take it belongs to (by `kind`), `detail` JSON text."""

    __tablename__ = "box_events"
    __table_args__ = (Index("ix_box_events_box", "box_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(80), default="")
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    ref: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="{}")

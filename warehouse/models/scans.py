"""Scan events (a device read a code at a time) with what Kho made of each, and refused conflicts.

A ScanEvent row is the fact as it came (device, seq, code, kind, at and its UTC offset, location,
antenna, context) followed by its interpretation: what the code names (`reading`), the box or label
it names, the place a box read puts the box at, and whether the read is a sighting (a box read that
is not an RFID re-read collapsed into an earlier one). A sighting is a row with `sighting` true:
(box_id, place_id or unknown, at, device, seq, stocktake). Unknown codes are rows whose `reading` is
"unknown", with the code as read. On SQLite the table has no rowid: its key (device_id, seq) is the
table itself, which keeps the bulk append about as cheap as an insert into a bare table."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.models.base import Base, UtcDateTime, utcnow

READINGS = ("box", "place", "gate", "checkpoint", "unknown")


class ScanEvent(Base):
    __tablename__ = "scan_events"
    __table_args__ = (
        # A box's reads by time: the latest sighting of a box, a box's history.
        Index("ix_scan_events_box", "box_id", "at", sqlite_where=text("box_id IS NOT NULL"),
              postgresql_where=text("box_id IS NOT NULL")),
        # A device's label reads by seq: the place a device is at before a given seq.
        Index("ix_scan_events_label", "device_id", "seq", sqlite_where=text("label_id IS NOT NULL"),
              postgresql_where=text("label_id IS NOT NULL")),
        Index("ix_scan_events_stocktake", "stocktake", sqlite_where=text("stocktake IS NOT NULL"),
              postgresql_where=text("stocktake IS NOT NULL")),
        {"sqlite_with_rowid": False},
    )
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))  # barcode | rfid
    at: Mapped[datetime] = mapped_column(UtcDateTime())  # the instant, stored in UTC
    at_offset: Mapped[int] = mapped_column(SmallInteger)  # minutes east of UTC, as the device sent it
    location: Mapped[str | None] = mapped_column(String(80))
    antenna: Mapped[int | None] = mapped_column(Integer)
    context: Mapped[str | None] = mapped_column(Text)  # canonical JSON text of the context object
    stocktake: Mapped[int | None] = mapped_column(Integer)  # context["stocktake"]; no FK yet
    reading: Mapped[str] = mapped_column(String(10))  # one of READINGS
    box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"))
    label_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    sighting: Mapped[bool] = mapped_column(Boolean, default=False)


class ScanConflict(Base):
    """An event refused because its (device, seq) was already stored with other content."""

    __tablename__ = "scan_conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    device: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    stored: Mapped[str] = mapped_column(Text)  # the event as stored (JSON)
    sent: Mapped[str] = mapped_column(Text)  # the refused event (JSON)
    actor: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    alerted: Mapped[bool] = mapped_column(Boolean, default=False)  # for the alerts to come

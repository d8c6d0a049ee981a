"""Handover lists (mục lục hồ sơ, tài liệu nộp lưu; danh mục bàn giao) and the handover each belongs to.

A list is kept as the giving side wrote it, apart from the register: `handover_boxes` holds each
distinct box it names (number, the box code and shelf it gives, how many files it lists) and
`handover_rows` each file row. Nothing here points at register boxes: a list is matched against the
register when it is reconciled, so it may name boxes the register does not know.
A list is a draft when imported, checked once reconciled against the shelves, signed with the
minutes (a later issue)."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base, UtcDateTime, utcnow
from warehouse.models.fonds import Agency, Fonds

STATES = ("draft", "checked", "signed")


class Handover(Base):
    """A handover list with its handover: giving agency and fonds, receiving body, date, people."""

    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(primary_key=True)
    fonds_id: Mapped[int] = mapped_column(ForeignKey("fonds.id"), index=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    handed_on: Mapped[date | None] = mapped_column(Date)
    giver_person: Mapped[str] = mapped_column(String(200), default="")
    receiver_person: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="draft")  # one of STATES
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    boxes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_by: Mapped[str | None] = mapped_column(String(80))
    checked_stocktake_id: Mapped[int | None] = mapped_column(ForeignKey("stocktakes.id"))
    fonds: Mapped[Fonds] = relationship()
    giver: Mapped[Agency] = relationship(foreign_keys=[giver_id])
    receiver: Mapped[Agency] = relationship(foreign_keys=[receiver_id])


class HandoverBox(Base):
    """A box as the list names it: its number, the code and shelf the list gives, its files listed."""

    __tablename__ = "handover_boxes"
    __table_args__ = (UniqueConstraint("handover_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"))  # indexed by the unique key
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(80))  # Mã vạch hộp, if the list gives one
    epc: Mapped[str | None] = mapped_column(String(24))
    location: Mapped[str | None] = mapped_column(String(80))  # Vị trí, if the list gives one
    files: Mapped[int] = mapped_column(Integer, default=0)
    row: Mapped[int] = mapped_column(Integer)  # the first row of the box in the file


class HandoverRow(Base):
    """A file row of a list, with the register's columns."""

    __tablename__ = "handover_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("handover_boxes.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)  # the row of the file, as a spreadsheet numbers it
    catalogue: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int | None] = mapped_column(Integer)  # Số TT
    number: Mapped[str] = mapped_column(String(120))  # Số, ký hiệu hồ sơ
    file_code: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    retention: Mapped[str] = mapped_column(String(120), default="")
    pages: Mapped[int | None] = mapped_column(Integer)
    access: Mapped[str] = mapped_column(String(120), default="")
    completed: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")

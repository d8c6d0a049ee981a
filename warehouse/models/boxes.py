"""Boxes (hộp) and the files (hồ sơ) in them, with the history of files moved between boxes."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base, UtcDateTime, utcnow
from warehouse.models.fonds import Fonds
from warehouse.models.locations import Location

CONDITIONS = ("good", "damaged", "mould", "wet")


class Box(Base):
    __tablename__ = "boxes"
    __table_args__ = (UniqueConstraint("fonds_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    epc: Mapped[str | None] = mapped_column(String(24), unique=True)
    fonds_id: Mapped[int] = mapped_column(ForeignKey("fonds.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    condition: Mapped[str] = mapped_column(String(10), default="good")
    condition_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Set when a box is emptied by a merge: it leaves stock, its code and number stay reserved.
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    fonds: Mapped[Fonds] = relationship()
    home: Mapped[Location | None] = relationship()
    files: Mapped[list["File"]] = relationship(back_populates="box", order_by="File.position")


class File(Base):
    """A hồ sơ (đơn vị bảo quản) with the columns of a mục lục hồ sơ."""

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("fonds_id", "catalogue", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fonds_id: Mapped[int] = mapped_column(ForeignKey("fonds.id"), index=True)
    catalogue: Mapped[int] = mapped_column(Integer, default=1)
    box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)  # Số TT
    number: Mapped[str] = mapped_column(String(120))  # Số, ký hiệu hồ sơ
    file_code: Mapped[str] = mapped_column(String(120), default="")  # Mã hồ sơ
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    retention: Mapped[str] = mapped_column(String(120), default="")
    retention_years: Mapped[int | None] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    access: Mapped[str] = mapped_column(String(120), default="")
    completed: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    box: Mapped[Box] = relationship(back_populates="files")


class FileMove(Base):
    """A file moved from one box to another during sorting (chỉnh lý): the history is kept."""

    __tablename__ = "file_moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    from_box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"))
    to_box_id: Mapped[int] = mapped_column(ForeignKey("boxes.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

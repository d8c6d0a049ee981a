"""Agencies, their fonds (phông lưu trữ) and each fonds' catalogues (mục lục)."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base, UtcDateTime, utcnow

AGENCY_STATUSES = ("active", "merged", "dissolved")


class Agency(Base):
    """A cơ quan: active, merged into or dissolved with a successor that receives its records."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    ended_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    successor: Mapped["Agency | None"] = relationship(remote_side="Agency.id")


class Fonds(Base):
    """A phông lưu trữ; closed (đóng phông) from the day its agency stopped operating."""

    __tablename__ = "fonds"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_decision: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    agency: Mapped[Agency | None] = relationship()
    catalogues: Mapped[list["Catalogue"]] = relationship(
        back_populates="fonds", order_by="Catalogue.number")

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Catalogue(Base):
    """A mục lục hồ sơ of a fonds, by its number (most fonds have one: mục lục số 1)."""

    __tablename__ = "catalogues"
    __table_args__ = (UniqueConstraint("fonds_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fonds_id: Mapped[int] = mapped_column(ForeignKey("fonds.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    fonds: Mapped[Fonds] = relationship(back_populates="catalogues")

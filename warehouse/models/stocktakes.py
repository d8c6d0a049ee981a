"""Stock-takes (kiểm kê): the session, its expected boxes frozen at opening, recounts, the frozen result.

A stock-take's reads are the scan events whose `stocktake` column names it (their context); nothing
here copies them. `stocktake_boxes` is the expected set as it was at opening (each box with the home
it had then), so moves during the count change nothing. `stocktake_results` is the closed result, one
row per expected box (found, misplaced, missing, unlocated) and one per unexpected code, kept for box
histories. `stocktake_apart` holds the boxes of the scope tracking kept away from the shelves at opening
(in transit, checked out, ...): left out of the count, listed apart with that reason, so expected and
apart together are every box in scope. A recount of a shelf keeps, per device, the highest seq the stock-take held when it was
ordered (`stocktake_recount_marks`): reads placed on that shelf up to those seqs are set aside."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base, UtcDateTime, utcnow
from warehouse.models.fonds import Fonds
from warehouse.models.locations import Location

STATES = ("open", "closed")
OUTCOMES = ("found", "misplaced", "missing", "unlocated", "unexpected")


class Stocktake(Base):
    __tablename__ = "stocktakes"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    fonds_id: Mapped[int | None] = mapped_column(ForeignKey("fonds.id"), index=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)  # counters do not see what is expected
    state: Mapped[str] = mapped_column(String(10), default="open")  # one of STATES
    note: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(80), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(80))
    reads: Mapped[int | None] = mapped_column(Integer)  # reads the result was decided from
    found: Mapped[int | None] = mapped_column(Integer)
    misplaced: Mapped[int | None] = mapped_column(Integer)
    missing: Mapped[int | None] = mapped_column(Integer)
    unlocated: Mapped[int | None] = mapped_column(Integer)
    unexpected: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[Location | None] = relationship()
    fonds: Mapped[Fonds | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.state == "open"


class StocktakeBox(Base):
    """A box expected by a stock-take, with its home as it was when the stock-take opened.

    Box and place ids carry no foreign key (nor in StocktakeResult): both tables are written in bulk,
    a whole store at once, where each key check costs as much as the row; they are history (boxes are
    retired, never deleted; a shelf removed later must not be held back by old stock-takes)."""

    __tablename__ = "stocktake_boxes"
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"), primary_key=True)
    box_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    home_id: Mapped[int | None] = mapped_column(Integer)


class StocktakeApart(Base):
    """A box of the scope left out of the expected set at opening and listed apart: its reason (the
    state tracking held it in then) and its home then. No foreign keys, as in StocktakeBox."""

    __tablename__ = "stocktake_apart"
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"), primary_key=True)
    box_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(String(12))  # a state of warehouse.tracking.state.APART
    home_id: Mapped[int | None] = mapped_column(Integer)


class StocktakeRecount(Base):
    """A supervisor's order to count one shelf again."""

    __tablename__ = "stocktake_recounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"), index=True)
    shelf_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    ordered_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    ordered_by: Mapped[str] = mapped_column(String(80), default="")
    shelf: Mapped[Location] = relationship()


class StocktakeRecountMark(Base):
    """The last seq of a device the stock-take held when a recount was ordered."""

    __tablename__ = "stocktake_recount_marks"
    recount_id: Mapped[int] = mapped_column(ForeignKey("stocktake_recounts.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class StocktakeResult(Base):
    """One line of a closed stock-take: an expected box and its outcome, or an unexpected code."""

    __tablename__ = "stocktake_results"
    __table_args__ = (Index("ix_stocktake_results_box", "box_id", "stocktake_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # one of OUTCOMES
    box_id: Mapped[int | None] = mapped_column(Integer)  # None: an unknown code
    code: Mapped[str] = mapped_column(String(200))  # the box code at closing, or the code as read
    expected_id: Mapped[int | None] = mapped_column(Integer)  # the frozen home (a location id)
    found_id: Mapped[int | None] = mapped_column(Integer)  # the deciding place (a location id)
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # the deciding read
    device_id: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(BigInteger)

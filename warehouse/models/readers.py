"""What the scanner daemon last reported about each of its devices (for the scanners page)."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.models.base import Base, UtcDateTime, utcnow

READER_STATES = ("connected", "disconnected", "error")


class ReaderState(Base):
    """One configured scanner: its connection, last read, reads per minute and errors."""

    __tablename__ = "reader_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # the device name of its reads
    url: Mapped[str] = mapped_column(String(500), default="")
    host: Mapped[str] = mapped_column(String(120), default="")  # where the daemon runs
    state: Mapped[str] = mapped_column(String(12), default="disconnected")  # READER_STATES
    last_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reads_per_minute: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

"""Print runs of labels (a sheet, a ZPL stream to a printer): what was asked, by whom, how far it
got, and each label printed — the box's timeline lists the runs that printed its label."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.models.base import Base, UtcDateTime, utcnow

# What a run prints, chosen by: a fonds' boxes, listed boxes, boxes homed under a location prefix,
# or the labels of the locations under a prefix.
SELECTIONS = ("fonds", "boxes", "homed", "locations")
OUTPUTS = ("pdf", "zpl")
# queued → running → done | failed
RUN_STATUSES = ("queued", "running", "done", "failed")


class PrintRun(Base):
    __tablename__ = "print_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    selection: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(Text)
    output: Mapped[str] = mapped_column(String(4))
    template: Mapped[str] = mapped_column(String(40))
    rfid: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where it went, as people read it: a file name or a printer HOST:PORT.
    destination: Mapped[str] = mapped_column(String(300), default="")
    # A file kept on the server for download (runs started from the web).
    stored_path: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PrintRunLabel(Base):
    """One label of a finished run: a box's or a location's, with the EPC written to its tag."""

    __tablename__ = "print_run_labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("print_runs.id"), index=True)
    box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    epc: Mapped[str | None] = mapped_column(String(24))

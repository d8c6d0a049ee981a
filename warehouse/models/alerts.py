"""Alerts: something is off. Repeats of one cause merge into one open alert with a count."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.models.base import Base, UtcDateTime, utcnow

ALERT_STATES = ("open", "acknowledged", "resolved")


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One live alert per cause: a second one for the same kind and subject merges into it.
        Index("uq_alerts_live_cause", "kind", "subject", unique=True,
              sqlite_where=text("state != 'resolved'"), postgresql_where=text("state != 'resolved'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(14), default="open", index=True)
    subject: Mapped[str] = mapped_column(String(200))  # "box:<id>" or "code:<as read>": what merges
    box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    source: Mapped[str] = mapped_column(String(80), default="")
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)  # the latest repeat
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    acknowledged_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_note: Mapped[str] = mapped_column(Text, default="")


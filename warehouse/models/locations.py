"""The location tree: kho › phòng › dãy › giá › ngăn, plus gates (cổng) and checkpoints (điểm)."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warehouse.models.base import Base

# Kind → the kinds it may sit in (None: top level). Gates and checkpoints sit in any place.
KINDS = {
    "kho": (None,),
    "phong": ("kho",),
    "day": ("kho", "phong"),
    "gia": ("day",),
    "ngan": ("gia",),
    "cong": ("kho", "phong", "day", "gia", "ngan"),
    "diem": ("kho", "phong", "day", "gia", "ngan"),
}
HOLDS_BOXES = ("ngan",)
NEVER_PLACES = ("cong", "diem")


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    # "/K01/K01-D01/…/": ancestors' codes and its own, so a subtree is one LIKE on an index.
    path: Mapped[str] = mapped_column(String(1000), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    parent: Mapped["Location | None"] = relationship(remote_side="Location.id")

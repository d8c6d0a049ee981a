"""The declarative base and the naming convention that keeps Alembic's constraint names stable."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC (stored as such on both databases)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC on both databases. SQLite keeps no offset: without this, an aware time
    given at +07:00 would be stored as its local clock reading, seven hours off the same moment given in
    UTC, and comparisons with stored times would go wrong. Naive times are taken as UTC already."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

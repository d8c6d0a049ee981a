"""Engines and sessions: SQLite with foreign keys and WAL, PostgreSQL through psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kw) -> Engine:
    """An engine for `url`; a SQLite file gets its folder, foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kw)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) so that a write transaction takes
    # the write lock at its start and the audit chain cannot fork between two writers.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    # A 64 MiB page cache per connection (the default is 2 MiB): a batch of reads updates the
    # box-by-time index of scan events at random places, and re-reading evicted pages costs more
    # than the insert itself. Temporary tables (a batch's keys) stay in memory.
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write", True) else "BEGIN")


def is_postgres(bind) -> bool:
    return bind.dialect.name == "postgresql"


class Database:
    """An engine and its session factory; `transaction()` is one unit of work.

    `settings` (the app's configuration) rides on every session as session.info["kho_settings"], so
    that core rules read the settings the running app was given, not only config.toml's."""

    def __init__(self, url: str, settings: Mapping | None = None):
        self.url = url
        self.engine = make_engine(url)
        self.info = {"kho_settings": settings} if settings is not None else {}
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info=self.info)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (on SQLite it takes no write lock)."""
        with self.engine.connect().execution_options() as conn:
            conn.info["write"] = False
            try:
                with Session(bind=conn, info=self.info) as session:
                    yield session
            finally:
                conn.info["write"] = True

    def dispose(self) -> None:
        self.engine.dispose()

"""Real peers for the daemon tests: a fake scanner on a pty, a database cut off and restored."""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from warehouse.db import Database


def wait_for(condition, what: str, timeout: float = 60.0, every: float = 0.02):
    """Poll until `condition()` is true (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)
    return value


class FakeScanner:
    """The master side of a pty: sends codes as a serial scanner does, in pieces, CR after each."""

    def __init__(self):
        self.master, self.slave = os.openpty()  # the slave stays open: the pty outlives readers
        self.port = os.ttyname(self.slave)
        self.noisy = 0  # frames sent with a noise byte before the code

    def send(self, codes: list[str]) -> None:
        for n, code in enumerate(codes):
            noise = b"\x00" if n % 7 == 3 else b""
            self.noisy += bool(noise)
            frame = noise + code.encode() + b"\r"
            os.write(self.master, frame[:4])
            time.sleep(0.001)
            os.write(self.master, frame[4:])

    def close(self) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def stored(database: Database, device: str) -> list[tuple[int, str]]:
    """(seq, code) of a device's stored reads, by seq."""
    with database.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(
            "SELECT e.seq, e.code FROM scan_events e JOIN devices d ON d.id = e.device_id "
            "WHERE d.name = :n ORDER BY e.seq"), {"n": device})]


@contextmanager
def cut_off(database: Database, pg_admin_url: str = ""):
    """The database is unreachable inside the block, for new connections and pooled ones alike.

    PostgreSQL: the database refuses connections and its sessions are ended. SQLite: the file
    is moved away and a directory takes its place, so opening it fails."""
    if database.engine.dialect.name == "postgresql":
        name = database.engine.url.database
        admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            yield
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
        return
    path = Path(database.engine.url.database)
    away = path.parent / "away"
    away.mkdir()
    database.engine.dispose()
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if part.exists():
            shutil.move(part, away / part.name)
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        for part in away.iterdir():
            shutil.move(part, path.parent / part.name)
        away.rmdir()

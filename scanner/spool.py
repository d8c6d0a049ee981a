"""The on-disk spool: reads wait here, in order, until the database has acknowledged them.

The spool directory holds:
    spool.jsonl     one event per line, appended and fsynced as soon as the reads are taken
    spool.ack       the byte offset up to which the database has acknowledged them
    sequences.json  per device, the highest seq reserved: a restarted daemon starts above it
    damaged.jsonl   lines that could not be read back (kept for a person, never dropped)
    lock            held (flock) by the one daemon that owns the directory
A read leaves the spool only when `acknowledge` is called for it, so a crash at any point loses
no read the spool took; at worst a batch is sent again, and ingest counts it as duplicates."""

from __future__ import annotations

import fcntl
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

SEQ_BLOCK = 100  # seqs reserved per write of sequences.json


class SpoolBusy(RuntimeError):
    """Another daemon owns the spool directory (two would hand out the same seqs)."""


@dataclass
class Parcel:
    """Events taken from the spool, in order, and where they end in it."""

    events: list[dict]
    end: int
    damaged: int = 0

    @property
    def lines(self) -> int:
        return len(self.events) + self.damaged


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(path: Path, text: str) -> None:
    """Write a small file so that after a crash it holds either the old or the new text."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_ack(path: Path) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def waiting(directory: str | os.PathLike) -> int:
    """How many reads a spool directory holds that the database has not acknowledged."""
    path = Path(directory) / "spool.jsonl"
    if not path.exists():
        return 0
    ack = _read_ack(Path(directory) / "spool.ack")
    with open(path, "rb") as f:
        if ack > os.fstat(f.fileno()).st_size:
            return 0
        f.seek(ack)
        return sum(1 for line in f if line.endswith(b"\n"))


def _cut_torn_tail(path: Path) -> int:
    """Cut a last line that a crash left without its newline; the size after."""
    with open(path, "rb+") as f:
        size = end = f.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - 65536)
            f.seek(start)
            at = f.read(end - start).rfind(b"\n")
            if at >= 0:
                end = start + at + 1
                break
            end = start
        if end != size:
            f.truncate(end)
            os.fsync(f.fileno())
        return end


def _reopened(file, path: Path):
    """A fresh append handle (a failed write may leave bytes in the old one's buffer)."""
    try:
        file.close()
    except OSError:
        pass
    return open(path, "ab")


class Sequences:
    """Per-device read numbers that never repeat, across restarts and crashes."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        try:
            self._reserved: dict[str, int] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self._reserved = {}
        self._next = {device: last + 1 for device, last in self._reserved.items()}

    def take(self, device: str, count: int = 1) -> int:
        """The first of `count` fresh seqs for the device (reserved on disk before they are used)."""
        with self._lock:
            first = self._next.get(device, 1)
            self._reserve(device, first + count - 1)
            self._next[device] = first + count
            return first

    def at_least(self, device: str, seq: int) -> None:
        """Never hand out `seq` or below for this device (e.g. the highest the database holds)."""
        with self._lock:
            if self._next.get(device, 1) <= seq:
                self._reserve(device, seq)
                self._next[device] = seq + 1

    def _reserve(self, device: str, last: int) -> None:
        if last > self._reserved.get(device, 0):
            self._reserved[device] = last + SEQ_BLOCK
            _replace(self.path, json.dumps(self._reserved, ensure_ascii=False, sort_keys=True))


class Spool:
    """An append-only JSONL file of events and the offset the database has acknowledged."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(self.directory / "lock", "a+")  # noqa: SIM115 (held while open)
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise SpoolBusy(f"another scanner daemon uses the spool {self.directory}") from None
        self._path = self.directory / "spool.jsonl"
        self._ack_path = self.directory / "spool.ack"
        self._mutex = threading.Lock()
        self._file = open(self._path, "ab")  # noqa: SIM115 (appended to while open)
        self.sequences = Sequences(self.directory / "sequences.json")
        self._recover()

    def _recover(self) -> None:
        """Cut a line torn by a crash, and an offset past the end (the file was being emptied)."""
        size = _cut_torn_tail(self._path)
        self._ack = _read_ack(self._ack_path)
        if self._ack > size:
            self._ack = 0
            _replace(self._ack_path, "0")
        self._pending = waiting(self.directory)

    @property
    def pending(self) -> int:
        """Reads taken but not yet acknowledged."""
        return self._pending

    def append(self, events: list[dict]) -> None:
        """Keep events on disk (fsynced) behind those already waiting."""
        if not events:
            return
        data = b"".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
                        for e in events)
        with self._mutex:
            fd = self._file.fileno()
            end = os.fstat(fd).st_size
            try:
                self._file.write(data)
                self._file.flush()
                os.fsync(fd)
            except OSError:  # e.g. the disk is full: leave no torn line behind
                self._file = _reopened(self._file, self._path)
                os.truncate(self._path, end)
                raise
            self._pending += len(events)

    def take(self, limit: int) -> Parcel:
        """Up to `limit` of the oldest waiting events (they stay until acknowledged)."""
        events: list[dict] = []
        damaged: list[bytes] = []
        with self._mutex, open(self._path, "rb") as f:
            f.seek(self._ack)
            end = self._ack
            for line in f:
                if len(events) >= limit:
                    break
                end += len(line)
                try:
                    events.append(json.loads(line))
                except ValueError:
                    damaged.append(line)
        if damaged:
            self.set_aside("damaged.jsonl", [{"line": line.decode("utf-8", "replace")} for line in damaged])
        return Parcel(events, end, len(damaged))

    def acknowledge(self, parcel: Parcel) -> None:
        """The database holds these events: they leave the spool (emptied once all have left)."""
        with self._mutex:
            self._ack = parcel.end
            if self._ack >= self._path.stat().st_size:
                os.truncate(self._path, 0)
                os.fsync(self._file.fileno())
                self._ack = 0
            _replace(self._ack_path, str(self._ack))
            self._pending -= parcel.lines  # last: who sees none pending sees the spool emptied

    def set_aside(self, name: str, records: list[dict]) -> None:
        """Keep records a person must look at (e.g. refused reads) in a file beside the spool."""
        with open(self.directory / name, "ab") as out:
            out.write(b"".join(json.dumps(r, ensure_ascii=False, default=str).encode() + b"\n"
                               for r in records))
            out.flush()
            os.fsync(out.fileno())

    def close(self) -> None:
        self._file.close()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

"""What every driver yields (a Scan), how it reports its health (a Status), and its URL errors."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

CONNECTED, DISCONNECTED, ERROR = "connected", "disconnected", "error"


class UrlError(ValueError):
    """A driver URL that cannot be used; the message names the offending part."""


@dataclass(frozen=True)
class Scan:
    """One read as the device gave it: a code of a kind (`barcode` | `rfid`) at an aware time."""

    code: str
    kind: str
    at: datetime
    antenna: int | None = None
    location: str | None = None

    def __post_init__(self):
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"scan {self.code!r}: time {self.at.isoformat()} has no UTC offset")


@dataclass
class Status:
    """A driver's health, written by its thread and read by whoever watches it.

    `on_change(state, reason)` (if set) hears each change of state as it happens."""

    state: str = DISCONNECTED
    errors: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    on_change: Callable[[str, str | None], None] | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def connected(self) -> None:
        self._become(CONNECTED, None)

    def disconnected(self) -> None:
        self._become(DISCONNECTED, None)

    def failed(self, message: str, *, lost: bool = False) -> None:
        """Count an error; `lost` when the device itself is gone (state becomes error)."""
        with self._lock:
            self.errors += 1
            self.last_error = message
            self.last_error_at = datetime.now().astimezone()
        if lost:
            self._become(ERROR, message)

    def _become(self, state: str, reason: str | None) -> None:
        changed, self.state = self.state != state, state
        if changed and self.on_change is not None:
            self.on_change(state, reason)

    def snapshot(self) -> dict:
        with self._lock:
            return {"state": self.state, "errors": self.errors, "last_error": self.last_error,
                    "last_error_at": self.last_error_at}

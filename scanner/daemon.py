"""The scanner daemon: drivers in threads → numbered reads in the spool → ingest, in order.

Every read is numbered (device, seq) and fsynced into the spool as soon as it is taken; a courier
sends the oldest waiting reads in batches (up to `batch`, or what came within `linger` seconds)
and drops them from the spool only once delivered. When delivery fails (the database is
unreachable) the reads wait on disk and the courier retries with back-off. Kho-free: the CLI hands
in `deliver(events) -> result` (ingest in its own transaction) and `report(states)`."""

from __future__ import annotations

import math
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from scanner.scan import DISCONNECTED, Scan
from scanner.spool import Spool


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _first_line(error: Exception) -> str:
    """An exception in one line (database errors carry the SQL and a link below)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)


def _at(events: list[dict], line) -> dict | None:
    """The event a refusal names by its line in the batch (counted from 1)."""
    return events[line - 1] if isinstance(line, int) and 0 < line <= len(events) else None


class Reader:
    """One configured device: its driver, and what the scanners page shows about it."""

    def __init__(self, name: str, driver):
        self.name, self.driver = name, driver
        self.last_read_at: datetime | None = None
        self.refused = 0
        self.last_refusal: str | None = None
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()
        self.done = threading.Event()

    def note(self, scan: Scan) -> None:
        with self._lock:
            self.last_read_at = scan.at
            self._recent.append(time.monotonic())

    def state(self) -> dict:
        """Connection, last read, reads in the last minute, errors (the driver's and refusals)."""
        status = self.driver.status.snapshot()
        with self._lock:
            while self._recent and self._recent[0] < time.monotonic() - 60:
                self._recent.popleft()
            return {"name": self.name, "url": self.driver.url, "state": status["state"],
                    "last_read_at": self.last_read_at, "reads_per_minute": len(self._recent),
                    "errors": status["errors"] + self.refused,
                    "last_error": self.last_refusal or status["last_error"]}


class Daemon:
    """Runs readers until told to stop, `seconds` pass, or (`once`) the finite ones have ended."""

    def __init__(self, drivers: dict, spool: Spool, deliver: Callable[[list[dict]], object],
                 report: Callable[[list[dict]], None] | None = None,
                 floor: Callable[[str], int | None] | None = None, *, batch: int = 200,
                 linger: float = 0.5, retry: float = 0.5, retry_max: float = 30.0,
                 report_every: float = 5.0, log: Callable[[str], None] = _stderr):
        self.readers = {name: Reader(name, driver) for name, driver in drivers.items()}
        for name, driver in drivers.items():
            driver.status.on_change = self._said(name)
        self.spool, self.deliver, self.report, self.floor, self.log = spool, deliver, report, floor, log
        self.batch, self.linger, self.retry, self.retry_max = batch, linger, retry, retry_max
        self.report_every = report_every
        self.totals = {"read": 0, "accepted": 0, "duplicates": 0, "refused": 0, "failures": 0}
        self._queue: queue.Queue[tuple[str, Scan]] = queue.Queue()
        self._halt = threading.Event()  # drivers stop reading
        self._quit = threading.Event()  # the courier stops waiting for the database
        self._arrived = threading.Event()
        self._collected = threading.Event()  # every listener ended and its reads are spooled
        self._report_failing = False

    def _said(self, name: str) -> Callable[[str, str | None], None]:
        """Log a device's changes of state (an error repeating while it retries is said once)."""
        def say(state: str, reason: str | None) -> None:
            self.log(f"scanner {name}: {state}" + (f": {reason}" if reason else ""))
        return say

    def stop(self) -> None:
        """Stop reading, deliver what can be delivered, keep the rest in the spool."""
        self._halt.set()
        self._quit.set()
        self._arrived.set()

    def run(self, *, once: bool = False, seconds: float | None = None) -> dict:
        """Read, spool and deliver until stopped; the totals, and how many reads still wait."""
        self._raise_floors()
        listeners = [threading.Thread(target=self._listen, args=(r, once), name=f"scanner {r.name}",
                                      daemon=True) for r in self.readers.values()]
        collector = threading.Thread(target=self._collect, args=(listeners,), name="spooler",
                                     daemon=True)
        for thread in [*listeners, collector]:
            thread.start()
        if seconds is not None:
            timer = threading.Timer(seconds, self.stop)
            timer.daemon = True
            timer.start()
        try:
            self._courier(once)
        finally:
            self._halt.set()
            for thread in listeners:
                thread.join(timeout=5)
            collector.join(timeout=5)
            self._flush()
            self._report(final=True)
        return {**self.totals, "waiting": self.spool.pending}

    def _raise_floors(self) -> None:
        """Seqs above what the database holds already (it may outlive a lost spool directory)."""
        for name in self.readers if self.floor else ():
            try:
                highest = self.floor(name)
            except Exception as e:  # noqa: BLE001 - unreachable now; the spool's numbers still hold
                self.log(f"scanner {name}: cannot read its last seq from the database: {_first_line(e)}")
                continue
            if highest:
                self.spool.sequences.at_least(name, highest)

    def _listen(self, reader: Reader, once: bool) -> None:
        """Take one driver's reads into the queue; restart it after an unexpected failure."""
        driver = reader.driver
        try:
            while not self._halt.is_set() and not (once and not driver.finite):
                try:
                    for scan in driver.scans(self._halt):
                        reader.note(scan)
                        self._queue.put((reader.name, scan))
                    if driver.finite:
                        return
                except Exception as e:  # noqa: BLE001 - a driver bug must not stop the others
                    driver.status.failed(f"driver failed: {e!r}", lost=True)
                    self.log(f"scanner {reader.name}: driver failed: {e!r}")
                    if driver.finite:  # started again it would read its reads again
                        return
                    self._halt.wait(self.retry_max)
        finally:
            reader.done.set()
            self._arrived.set()

    def _collect(self, listeners: list[threading.Thread]) -> None:
        """Number the queued reads per device and fsync them into the spool, in arrival order."""
        while True:
            try:
                taken = [self._queue.get(timeout=0.1)]
            except queue.Empty:
                if not any(t.is_alive() for t in listeners):
                    self._collected.set()
                    self._arrived.set()  # the courier may be waiting for the end
                    return
                continue
            while len(taken) < 1000:
                try:
                    taken.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._keep(taken)
            self.totals["read"] += len(taken)
            self._arrived.set()

    def _keep(self, taken: list[tuple[str, Scan]]) -> None:
        """Spool reads, retrying while the disk refuses (full); given up only once stopped."""
        delay, said, events = self.retry, False, None
        while True:
            try:  # numbered once: a refused append leaves nothing behind, so its seqs stay free
                events = events or [self._event(name, scan) for name, scan in taken]
                self.spool.append(events)
                return
            except OSError as e:
                if not said:
                    self.log(f"spool: cannot keep {len(taken)} read(s), retrying: {e}")
                    said = True
                if self._halt.wait(delay) and delay >= self.retry_max:
                    for name, scan in taken:  # the last place left to find them
                        self.log(f"spool: LOST {name} {scan.code} {scan.kind} {scan.at.isoformat()}")
                    return
                delay = min(delay * 2, self.retry_max)

    def _event(self, device: str, scan: Scan) -> dict:
        event = {"device": device, "seq": self.spool.sequences.take(device), "code": scan.code,
                 "kind": scan.kind, "at": scan.at.isoformat()}
        if scan.location is not None:
            event["location"] = scan.location
        if scan.antenna is not None:
            event["antenna"] = scan.antenna
        return event

    def _courier(self, once: bool) -> None:
        """Deliver waiting reads in batches, backing off while delivery fails."""
        delay, next_try, next_report = self.retry, 0.0, 0.0
        first_seen: float | None = None
        while not self._quit.is_set():
            self._arrived.clear()
            now = time.monotonic()
            if now >= next_report:
                self._report()
                next_report = now + self.report_every
            ended = once and self._collected.is_set()
            waiting = self.spool.pending
            if ended and not waiting:
                return
            first_seen = (first_seen or now) if waiting else None
            due = ended or waiting >= self.batch or (first_seen is not None
                                                     and now - first_seen >= self.linger)
            if waiting and due and now >= next_try:
                if self._send():
                    delay, next_try, first_seen = self.retry, 0.0, None
                else:
                    next_try, delay = now + delay, min(delay * 2, self.retry_max)
                continue
            wake = min(next_report, now + 1.0, next_try if waiting and due else math.inf,
                       first_seen + self.linger if first_seen is not None else math.inf)
            self._arrived.wait(max(0.01, wake - time.monotonic()))

    def _flush(self) -> None:
        """On the way out: deliver what the database will take now; the rest stays spooled."""
        while self.spool.pending and self._send():
            pass

    def _send(self) -> bool:
        """Deliver one batch; True when the database took it (the batch leaves the spool)."""
        parcel = self.spool.take(self.batch)
        if parcel.damaged:
            self.log(f"spool: {parcel.damaged} damaged line(s) set aside in damaged.jsonl")
        try:
            result = self.deliver(parcel.events) if parcel.events else None
        except Exception as e:  # noqa: BLE001 - whatever failed, the reads stay in the spool
            self.totals["failures"] += 1
            self.log(f"delivery failed, {self.spool.pending} read(s) wait in the spool: {_first_line(e)}")
            return False
        if result is not None:
            self._count(result, parcel.events)
        self.spool.acknowledge(parcel)
        return True

    def _count(self, result, events: list[dict]) -> None:
        self.totals["accepted"] += getattr(result, "accepted", 0)
        self.totals["duplicates"] += getattr(result, "duplicates", 0)
        refused = list(getattr(result, "refused", []) or [])
        self.totals["refused"] += len(refused)
        if refused:  # kept beside the spool for a person: a refused read is never just dropped
            self.spool.set_aside("refused.jsonl", [{**r, "event": _at(events, r.get("line"))}
                                                   for r in refused])
        for refusal in refused:
            reader = self.readers.get(refusal.get("device"))
            self.log(f"refused {refusal.get('device')} #{refusal.get('seq')}: {refusal.get('error')}")
            if reader is not None:
                reader.refused += 1
                reader.last_refusal = str(refusal.get("error"))

    def _report(self, final: bool = False) -> None:
        """Tell the database how each device is doing (skipped while it is unreachable)."""
        if self.report is None:
            return
        states = [r.state() for r in self.readers.values()]
        if final:
            states = [{**s, "state": DISCONNECTED, "reads_per_minute": 0} for s in states]
        try:
            self.report(states)
        except Exception as e:  # noqa: BLE001 - the state is shown again at the next report
            if not self._report_failing:
                self.log(f"cannot record scanner states (said once until it works): {_first_line(e)}")
            self._report_failing = True
        else:
            self._report_failing = False

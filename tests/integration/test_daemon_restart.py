"""The daemon as a process: killed (SIGKILL) while the database is cut off and while it drains,
restarted, and every read a scanner sent is stored once, with no seq used twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.spool import waiting
from tests.conftest import PG_URL
from tests.integration.daemon_peers import FakeScanner, cut_off, stored, wait_for

FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "app"]
ROOT = Path(__file__).resolve().parents[2]


class DaemonProcess:
    """`flask --app app scanner run` for one pty scanner, its output kept in files."""

    def __init__(self, db, port: str, spool: Path, log: Path):
        env = {**os.environ, "KHO_DATABASE_URL": db.url, "KHO_SECRET_KEY": "test"}
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [*FLASK, "scanner", "run", "--spool", str(spool),
                 "--scanner", f"HH-01=serial://{port}?suffix=CR&gap=0.01&retry=0.05"],
                cwd=ROOT, env=env, stdout=out, stderr=out)

    def said(self, text: str) -> bool:
        """Whether the daemon has logged `text` (it must still be running)."""
        log = self.log.read_text()
        if self.proc.poll() is not None:
            raise AssertionError(f"the daemon exited ({self.proc.returncode}):\n{log[-3000:]}")
        return text in log

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@pytest.fixture
def scanner():
    fake = FakeScanner()
    yield fake
    fake.close()


@pytest.fixture
def daemons(db, scanner, tmp_path):
    started: list[DaemonProcess] = []

    def start() -> DaemonProcess:
        log = tmp_path / f"daemon-{len(started) + 1}.log"
        started.append(DaemonProcess(db, scanner.port, tmp_path / "spool", log))
        return started[-1]

    yield start
    for d in started:
        if d.proc.poll() is None:
            d.kill()


def codes(first: int, last: int) -> list[str]:
    return [f"P027-H{n:04d}" for n in range(first, last + 1)]


@pytest.mark.slow
def test_a_killed_daemon_loses_no_spooled_read_and_never_reuses_a_seq(db, daemons, scanner, tmp_path):
    spool = tmp_path / "spool"
    with cut_off(db, PG_URL):
        first = daemons()
        # pyserial drops what a port held before it opened it: send once the daemon says it is open
        wait_for(lambda: first.said("scanner HH-01: connected"), "the port to open")
        scanner.send(codes(1, 300))
        wait_for(lambda: waiting(spool) == 300, "the reads to be spooled while the database is away")
        wait_for(lambda: first.said("wait in the spool"), "the failed delivery to be said")
        first.kill()
    for _ in range(2):  # killed at a random moment of its drain
        drainer = daemons()
        time.sleep(random.uniform(0.5, 2.5))
        drainer.kill()
    last = daemons()
    wait_for(lambda: waiting(spool) == 0, "the spool to drain")
    wait_for(lambda: last.said("scanner HH-01: connected"), "the port to open")
    scanner.send(codes(301, 320))
    wait_for(lambda: len(stored(db, "HH-01")) == 320, "the reads made after the restarts")
    assert last.stop() == 0, last.log.read_text()[-2000:]
    rows = stored(db, "HH-01")
    assert [code for _seq, code in rows] == codes(1, 320)
    seqs = [seq for seq, _code in rows]
    assert seqs[:300] == list(range(1, 301)) and len(set(seqs)) == 320
    assert min(seqs[300:]) > 300  # the restarted daemon numbered above every seq handed out before
    assert waiting(spool) == 0

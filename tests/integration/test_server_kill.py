"""A real server (gunicorn, two workers) killed with SIGKILL at random moments and restarted while a
device posts batches of reads; the device resends whatever was not acknowledged. Every unique read
ends up stored exactly once, interpreted in seq order, with one audited batch per stored batch."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.test_scan_page import N1, N2, store
from warehouse import accounts, audit
from warehouse.models import AuditEntry, Device, Location, ScanEvent

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DEVICE, BATCHES, SIZE, RESENT = "HH-KILL", 40, 250, 10
START_WITHIN = 90  # seconds a (re)start may take on a loaded machine


def code_of(seq: int) -> str:
    """A shelf label every 50 reads (N1, N2 in turn), a gate halfway, an unknown code now and then, boxes."""
    if seq % 50 == 1:
        return N1 if seq // 50 % 2 == 0 else N2
    if seq % 50 == 26:
        return "K01-C1"
    return "NOPE-7" if seq % 17 == 0 else f"P001-H{seq % 4 + 1:04d}"


def event(seq: int) -> dict:
    second = seq % 86400
    return {"device": DEVICE, "seq": seq, "code": code_of(seq), "kind": "barcode",
            "at": f"2026-03-01T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+07:00"}


def batches() -> list[list[dict]]:
    """Batch i: its own SIZE reads, after the last RESENT reads of batch i-1 sent again."""
    out = []
    for i in range(BATCHES):
        own = [event(seq) for seq in range(i * SIZE + 1, (i + 1) * SIZE + 1)]
        out.append([event(seq) for seq in range(i * SIZE - RESENT + 1, i * SIZE + 1)] * (i > 0) + own)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving Kho in its own process group, so SIGKILL takes the master and its workers."""

    def __init__(self, url: str, log: Path):
        self.port, self.log, self.proc = free_port(), log, None
        self.env = {**os.environ, "KHO_DATABASE_URL": url, "KHO_SECRET_KEY": "kill-test"}

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--timeout", "60",
                 "--bind", f"127.0.0.1:{self.port}", "app:create_app()"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + START_WITHIN
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the server exited: {self.log.read_text()[-2000:]}"
            try:
                if request(self.port, "GET", "/api/v1/health", timeout=2)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
        raise AssertionError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class DeviceClient:
    """The client: posts each batch until a response acknowledges it; counts what it had to resend."""

    def __init__(self, server: Server, token: str):
        self.server, self.token = server, token
        self.answers: list[dict] = []
        self.resends = 0
        self.acked = threading.Event()  # set after each acknowledged batch, for the killer

    def run(self, work: list[list[dict]]) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        for batch in work:
            body = json.dumps({"events": batch}).encode()
            while True:
                try:
                    status, answer = request(self.server.port, "POST", "/api/v1/scans", body, headers)
                except (OSError, http.client.HTTPException):  # killed before it answered: send again
                    status, answer = 0, b""
                if status == 200:
                    self.answers.append(json.loads(answer))
                    self.acked.set()
                    break
                assert status in (0, 503), (status, answer[:300])
                self.resends += 1
                time.sleep(0.1)


def killer(server: Server, device: DeviceClient, done: threading.Event, rng: random.Random, kills: list) -> None:
    """Let a few batches through, then SIGKILL the server a random moment later and restart it."""
    while not done.is_set():
        for _ in range(rng.randint(3, 7)):
            while not device.acked.wait(0.05):
                if done.is_set():
                    return
            device.acked.clear()
        time.sleep(rng.uniform(0, 0.3))  # the next batch is on its way or being stored
        if done.is_set():
            return
        server.kill()
        kills.append(time.monotonic())
        server.start()


def expected_places() -> dict[int, str | None]:
    """Where the pipeline puts each box read: the last shelf label before it, none after the gate."""
    place, places = None, {}
    for seq in range(1, BATCHES * SIZE + 1):
        code = code_of(seq)
        if code in (N1, N2):
            place = code
        elif code == "K01-C1":
            place = None
        elif code.startswith("P001-"):
            places[seq] = place
    return places


def test_a_server_killed_at_random_moments_stores_every_resent_read_exactly_once(db, tmp_path):
    store(db)
    with db.transaction() as s:
        _, token = accounts.issue_token(s, DEVICE)
    server = Server(db.url, tmp_path / "server.log")
    server.start()
    device, done, kills, seed = DeviceClient(server, token), threading.Event(), [], random.randrange(10**6)
    work = batches()
    thread = threading.Thread(target=killer, args=(server, device, done, random.Random(seed), kills))
    thread.start()
    try:
        device.run(work)
    finally:
        done.set()
        thread.join()
        server.kill()
    unique = BATCHES * SIZE
    assert kills and device.resends, f"seed {seed}: the server was never killed under load"
    assert len(device.answers) == BATCHES
    for batch, answer in zip(work, device.answers):
        assert answer["refused"] == [] and answer["accepted"] + answer["duplicates"] == len(batch)
    accepted = sum(a["accepted"] for a in device.answers)
    assert accepted <= unique  # no read was ever acknowledged as new twice
    with db.transaction() as s:
        ids = select(Device.id).where(Device.name == DEVICE).scalar_subquery()
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == unique
        rows = s.execute(select(ScanEvent.seq, ScanEvent.code, Location.code)
                         .outerjoin(Location, Location.id == ScanEvent.place_id)
                         .where(ScanEvent.device_id == ids).order_by(ScanEvent.seq)).all()
        stored_by_batches = sum(json.loads(detail)["accepted"] for detail in s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "scans.ingest")))
        verdict = audit.verify(s)
    assert [seq for seq, _, _ in rows] == list(range(1, unique + 1))
    assert all(code == code_of(seq) for seq, code, _ in rows)
    assert {seq: place for seq, code, place in rows if code.startswith("P001-")} == expected_places()
    assert stored_by_batches == unique  # every stored batch audited once; killed ones left no trace
    assert verdict.ok, verdict.problem

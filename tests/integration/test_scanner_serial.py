"""The serial driver against real ports: pyserial's loop:// and a pty pair with a fake scanner."""

from __future__ import annotations

import os
import threading
import time

import pytest

from scanner import open_driver


class Reading:
    """A driver read in a thread; `wait_for` polls what it has read (no timing is asserted)."""

    def __init__(self, driver):
        self.driver, self.codes, self.stop = driver, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        for scan in self.driver.scans(self.stop):
            self.codes.append(scan.code)

    def wait_for(self, condition, what: str, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}; read {self.codes}, "
                                     f"status {self.driver.status.snapshot()}")
            time.sleep(0.005)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)


@pytest.fixture
def reading():
    made = []

    def start(url):
        made.append(Reading(open_driver(url)))
        return made[-1]

    yield start
    for r in made:
        r.close()


def test_frames_written_in_pieces_into_a_loop_port_come_out_whole(reading):
    r = reading("serial:loop://?suffix=CR&gap=0.01")
    r.wait_for(lambda: r.driver.port is not None, "the port to open")
    for piece in [b"K01-P01-D01-", b"G01-N01\rP012-H", b"0001\r", b"P012-H0002\rP012", b"-H0003\r"]:
        r.driver.port.write(piece)
    r.wait_for(lambda: len(r.codes) == 4, "four codes")
    assert r.codes == ["K01-P01-D01-G01-N01", "P012-H0001", "P012-H0002", "P012-H0003"]
    assert r.driver.status.state == "connected" and r.driver.status.errors == 0


def test_line_noise_on_a_loop_port_is_dropped_and_counted(reading):
    r = reading("serial:loop://?suffix=CRLF&gap=0.01")
    r.wait_for(lambda: r.driver.port is not None, "the port to open")
    r.driver.port.write(b"\r\n\x00\xffP012-H0001\r\n\r\n\x13\x88\r\nP012-H0002\r\n")
    r.wait_for(lambda: len(r.codes) == 2, "two codes")
    assert r.codes == ["P012-H0001", "P012-H0002"]
    assert r.driver.status.errors == 2 and "line noise" in r.driver.status.last_error


def test_without_a_suffix_the_pause_after_a_code_ends_it(reading):
    r = reading("serial:loop://?suffix=NONE&gap=0.05")
    r.wait_for(lambda: r.driver.port is not None, "the port to open")
    r.driver.port.write(b"P012-H0001")
    r.wait_for(lambda: r.codes == ["P012-H0001"], "the code after the pause")


class FakeScanner:
    """The master side of a pty: writes what a scanner would, in pieces, with noise."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        self.name = os.ttyname(self.slave)

    def send(self, data: bytes, pieces: int = 1) -> None:
        step = max(1, len(data) // pieces)
        for at in range(0, len(data), step):
            os.write(self.master, data[at:at + step])
            time.sleep(0.002)  # let the reader see the pieces apart

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def scanners():
    made = []

    def plug():
        made.append(FakeScanner())
        return made[-1]

    yield plug
    for s in made:
        for fd in (s.master, s.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def test_a_scanner_on_a_pty_sends_split_frames_and_noise_and_every_code_arrives(reading, scanners):
    scanner = scanners()
    r = reading(f"serial://{scanner.name}?baudrate=9600&suffix=CR&gap=0.01")
    r.wait_for(lambda: r.driver.status.state == "connected", "the pty to open")
    expected = [f"P012-H{n:04d}" for n in range(1, 41)]
    writer = threading.Thread(target=lambda: [
        scanner.send((b"\x00\xfe" if n % 10 == 0 else b"") + code.encode() + b"\r", pieces=3)
        for n, code in enumerate(expected)])
    writer.start()
    writer.join()
    r.wait_for(lambda: len(r.codes) == len(expected), "forty codes")
    assert r.codes == expected
    assert r.driver.status.errors == 4  # one noisy frame in ten


def test_a_port_that_disappears_is_reopened_with_back_off_and_reading_goes_on(reading, scanners, tmp_path):
    link = tmp_path / "ttyScanner"  # as udev names a scanner in /dev/serial/by-id
    first = scanners()
    link.symlink_to(first.name)
    r = reading(f"serial://{link}?suffix=CR&gap=0.01&retry=0.01&retry_max=0.05")
    r.wait_for(lambda: r.driver.status.state == "connected", "the first port")
    first.send(b"P012-H0001\rP012-H00")  # unplugged in the middle of a code
    r.wait_for(lambda: r.codes == ["P012-H0001"], "the first code")
    link.unlink()
    first.unplug()
    r.wait_for(lambda: r.driver.status.state == "error", "the loss to be seen")
    errors = r.driver.status.errors
    r.wait_for(lambda: r.driver.status.errors > errors + 2, "failed attempts to reopen")
    second = scanners()
    link.symlink_to(second.name)
    r.wait_for(lambda: r.driver.status.state == "connected", "the port to come back")
    second.send(b"P012-H0002\r")
    r.wait_for(lambda: r.codes == ["P012-H0001", "P012-H0002"], "the code after reconnecting")
    assert "cannot open" in r.driver.status.last_error or "lost" in r.driver.status.last_error

"""The file:// replay driver and the sim:// demo stream."""

import json
import threading
from datetime import datetime, timedelta, timezone

from scanner import Scan, open_driver
from scanner.sim import demo_shelves

ICT = timezone(timedelta(hours=7))


class Clock(threading.Event):
    """A stop event that records how long drivers asked to wait, without waiting."""

    def __init__(self):
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        return self.is_set()


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def event(code, second, **extra):
    return json.dumps({"device": "HH-07", "seq": second, "code": code, "kind": "barcode",
                       "at": f"2026-03-01T08:15:{second:02d}+07:00", **extra})


def test_a_file_is_replayed_in_order_with_its_times_locations_and_antennas(tmp_path):
    path = write(tmp_path / "reads.jsonl", [
        event("K01-P01-D01-G01-N01", 1),
        event("P012-H0007", 2),
        json.dumps({"code": "3474257BF40000000000162E", "kind": "rfid", "antenna": 2,
                    "location": "K01-CONG01", "at": "2026-03-01T08:15:03+07:00"}),
    ])
    driver = open_driver(f"file://{path}")
    scans = list(driver.scans(threading.Event()))
    assert scans == [
        Scan("K01-P01-D01-G01-N01", "barcode", datetime(2026, 3, 1, 8, 15, 1, tzinfo=ICT)),
        Scan("P012-H0007", "barcode", datetime(2026, 3, 1, 8, 15, 2, tzinfo=ICT)),
        Scan("3474257BF40000000000162E", "rfid", datetime(2026, 3, 1, 8, 15, 3, tzinfo=ICT), 2,
             "K01-CONG01"),
    ]
    assert driver.status.errors == 0
    assert driver.status.state == "disconnected"  # it ended


def test_bad_lines_are_reported_by_number_and_skipped(tmp_path):
    path = write(tmp_path / "reads.jsonl", [
        event("P012-H0001", 1),
        '{"code": "P012-H0002", "at": "2026-03-01T08:15:02"}',  # no offset
        '{"code": "P012-H0003", "kind": "qr", "at": "2026-03-01T08:15:03+07:00"}',
        '{"code": "P012-H0004", "at": "2026-03-01T08:15:04+07:00"',  # torn
        "",
        event("P012-H0005", 5),
    ])
    driver = open_driver(f"file://{path}")
    assert [s.code for s in driver.scans(threading.Event())] == ["P012-H0001", "P012-H0005"]
    assert driver.status.errors == 3
    assert "line 4" in driver.status.last_error


def test_a_line_that_is_only_a_code_is_a_barcode_read_now(tmp_path):
    path = write(tmp_path / "codes.txt", ["P012-H0001", "P012-H0002"])
    before = datetime.now().astimezone()
    scans = list(open_driver(f"file://{path}").scans(threading.Event()))
    assert [(s.code, s.kind) for s in scans] == [("P012-H0001", "barcode"), ("P012-H0002", "barcode")]
    assert all(s.at >= before for s in scans)


def test_pace_waits_as_long_as_the_reads_were_apart(tmp_path):
    path = write(tmp_path / "reads.jsonl", [event("A1", 0), event("A2", 4), event("A3", 10)])
    clock = Clock()
    list(open_driver(f"file://{path}?pace=2").scans(clock))
    assert clock.waits == [2.0, 3.0]
    clock = Clock()
    list(open_driver(f"file://{path}").scans(clock))
    assert clock.waits == []


def test_at_now_stamps_replayed_reads_when_they_are_replayed(tmp_path):
    path = write(tmp_path / "reads.jsonl", [event("A1", 0)])
    before = datetime.now().astimezone()
    (scan,) = open_driver(f"file://{path}?at=now").scans(threading.Event())
    assert scan.at >= before


def test_a_missing_file_is_an_error_and_the_driver_ends(tmp_path):
    driver = open_driver(f"file://{tmp_path}/none.jsonl")
    assert list(driver.scans(threading.Event())) == []
    assert driver.status.state == "error" and "none.jsonl" in driver.status.last_error


def test_a_stopped_replay_ends_early(tmp_path):
    path = write(tmp_path / "reads.jsonl", [event("A1", 0), event("A2", 1)])
    stop = threading.Event()
    reads = open_driver(f"file://{path}").scans(stop)
    assert next(reads).code == "A1"
    stop.set()
    assert list(reads) == []


def test_the_sim_walks_shelves_reading_the_label_first_then_boxes():
    scans = list(open_driver("sim://?seed=1&count=200&unknown=0&misplaced=0").scans(Clock()))
    codes = [s.code for s in scans]
    assert len(codes) == 200
    assert codes[0] == "K01-P01-D01-G01-N01"
    shelf = {label: set(boxes) for label, boxes in demo_shelves("P012", 180)}
    place = None
    for code in codes:
        if code in shelf:
            place = code
        else:
            assert code in shelf[place], (code, place)


def test_the_same_seed_gives_the_same_stream_and_unknown_codes_turn_up():
    first = [s.code for s in open_driver("sim://?seed=7&count=300&unknown=0.2").scans(Clock())]
    again = [s.code for s in open_driver("sim://?seed=7&count=300&unknown=0.2").scans(Clock())]
    assert first == again
    known = {c for label, boxes in demo_shelves("P012", 180) for c in [label, *boxes]}
    assert any(code not in known for code in first)


def test_the_sim_waits_about_one_over_rate_between_reads():
    clock = Clock()
    list(open_driver("sim://?seed=3&rate=4&count=400").scans(clock))
    assert len(clock.waits) == 400
    assert 0.2 < sum(clock.waits) / len(clock.waits) < 0.3


def test_the_sim_reads_shelves_and_boxes_from_a_codes_file(tmp_path):
    path = write(tmp_path / "shelves.txt", ["# shelf, then its boxes", "K09-N01 B-1 B-2", "K09-N02, B-3"])
    codes = [s.code for s in open_driver(f"sim://?codes={path}&count=5&unknown=0&misplaced=0&seed=2")
             .scans(Clock())]
    assert codes[0] == "K09-N01"
    assert set(codes) <= {"K09-N01", "B-1", "B-2", "K09-N02", "B-3"}

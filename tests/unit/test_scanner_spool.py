"""The on-disk spool: order, acknowledgement, crash recovery, and seqs that never repeat."""

import json

import pytest

from scanner import spool as spool_module
from scanner.spool import SEQ_BLOCK, Spool, SpoolBusy, waiting


def events(first, last, device="HH-01"):
    return [{"device": device, "seq": n, "code": f"P012-H{n:04d}"} for n in range(first, last + 1)]


@pytest.fixture
def spool(tmp_path):
    s = Spool(tmp_path / "spool")
    yield s
    s.close()


def test_events_come_out_in_order_and_stay_until_acknowledged(spool):
    spool.append(events(1, 3))
    spool.append(events(4, 5))
    first = spool.take(4)
    assert [e["seq"] for e in first.events] == [1, 2, 3, 4]
    assert [e["seq"] for e in spool.take(4).events] == [1, 2, 3, 4]  # not acknowledged yet
    spool.acknowledge(first)
    assert spool.pending == 1
    rest = spool.take(10)
    assert [e["seq"] for e in rest.events] == [5]
    spool.acknowledge(rest)
    assert spool.pending == 0 and spool.take(10).events == []


def test_a_drained_spool_is_emptied_on_disk(spool):
    spool.append(events(1, 3))
    spool.acknowledge(spool.take(10))
    assert (spool.directory / "spool.jsonl").stat().st_size == 0
    spool.append(events(4, 4))
    assert [e["seq"] for e in spool.take(10).events] == [4]


def test_what_waits_survives_a_restart(tmp_path):
    spool = Spool(tmp_path)
    spool.append(events(1, 5))
    spool.acknowledge(spool.take(2))
    spool.close()
    again = Spool(tmp_path)
    assert again.pending == 3 and waiting(tmp_path) == 3
    assert [e["seq"] for e in again.take(10).events] == [3, 4, 5]
    again.close()


def test_a_line_torn_by_a_crash_is_cut_and_appends_continue_after_it(tmp_path):
    spool = Spool(tmp_path)
    spool.append(events(1, 2))
    spool.close()
    with open(tmp_path / "spool.jsonl", "ab") as f:
        f.write(b'{"device": "HH-01", "seq": 3, "co')
    again = Spool(tmp_path)
    assert again.pending == 2
    again.append(events(4, 4))
    assert [e["seq"] for e in again.take(10).events] == [1, 2, 4]
    again.close()


def test_an_acknowledgement_past_the_end_means_the_spool_was_being_emptied(tmp_path):
    spool = Spool(tmp_path)
    spool.append(events(1, 2))
    spool.close()
    (tmp_path / "spool.ack").write_text("999")
    (tmp_path / "spool.jsonl").write_bytes(b"")
    again = Spool(tmp_path)
    assert again.pending == 0
    again.append(events(3, 3))
    assert [e["seq"] for e in again.take(10).events] == [3]
    again.close()


def test_a_damaged_line_is_set_aside_not_lost(tmp_path):
    spool = Spool(tmp_path)
    spool.append(events(1, 1))
    spool.close()
    with open(tmp_path / "spool.jsonl", "ab") as f:
        f.write(b"\x00\x00garbage\n")
    again = Spool(tmp_path)
    again.append(events(2, 2))
    parcel = again.take(10)
    assert [e["seq"] for e in parcel.events] == [1, 2] and parcel.damaged == 1
    again.acknowledge(parcel)
    assert again.pending == 0
    assert "garbage" in json.loads((tmp_path / "damaged.jsonl").read_text())["line"]
    again.close()


def test_two_daemons_cannot_share_a_spool(spool):
    with pytest.raises(SpoolBusy, match="another scanner daemon"):
        Spool(spool.directory)


def test_seqs_go_up_per_device(spool):
    seqs = spool.sequences
    assert [seqs.take("HH-01") for _ in range(3)] == [1, 2, 3]
    assert seqs.take("HH-02", 10) == 1
    assert seqs.take("HH-02") == 11
    assert seqs.take("HH-01") == 4


def test_a_restarted_daemon_never_reuses_a_seq(tmp_path):
    used = set()
    for _restart in range(3):
        spool = Spool(tmp_path)
        for _ in range(SEQ_BLOCK + 7):
            seq = spool.sequences.take("HH-01")
            assert seq not in used
            used.add(seq)
        spool.close()  # or a crash: the reservation was on disk before any seq was handed out
    assert json.loads((tmp_path / "sequences.json").read_text())["HH-01"] >= max(used)


def test_a_floor_from_the_database_raises_the_next_seq(spool):
    spool.sequences.take("HH-01")
    spool.sequences.at_least("HH-01", 5000)
    assert spool.sequences.take("HH-01") == 5001
    spool.sequences.at_least("HH-01", 10)
    assert spool.sequences.take("HH-01") == 5002


def test_a_write_the_disk_refuses_leaves_no_torn_line(spool, monkeypatch):
    spool.append(events(1, 2))
    real_fsync = spool_module.os.fsync

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spool_module.os, "fsync", full)
    with pytest.raises(OSError):
        spool.append(events(3, 4))
    monkeypatch.setattr(spool_module.os, "fsync", real_fsync)
    assert spool.pending == 2
    spool.append(events(5, 5))
    assert [e["seq"] for e in spool.take(10).events] == [1, 2, 5]

"""The daemon with an injected ingest: every read delivered once, in order, through failures."""

import json
from types import SimpleNamespace

import pytest

from scanner import open_driver
from scanner.daemon import Daemon
from scanner.scan import Status
from scanner.spool import Spool


class Store:
    """Ingest's promise in miniature: idempotent on (device, seq); fails while `down`."""

    def __init__(self, down=0):
        self.rows: dict[tuple[str, int], dict] = {}
        self.batches: list[list[dict]] = []
        self.down = down

    def __call__(self, events):
        if self.down:
            self.down -= 1
            raise ConnectionError("database unreachable")
        self.batches.append(events)
        fresh = [e for e in events if (e["device"], e["seq"]) not in self.rows]
        self.rows.update({(e["device"], e["seq"]): e for e in fresh})
        return SimpleNamespace(accepted=len(fresh), duplicates=len(events) - len(fresh), refused=[])


def daemon(spool, drivers, deliver, **kw):
    kw = {"retry": 0.001, "retry_max": 0.01, "linger": 0.01, "log": lambda m: None, **kw}
    return Daemon({name: open_driver(url) for name, url in drivers.items()}, spool, deliver, **kw)


@pytest.fixture
def spool(tmp_path):
    s = Spool(tmp_path / "spool")
    yield s
    s.close()


def reads_file(tmp_path, codes, name="reads.txt"):
    path = tmp_path / name
    path.write_text("".join(c + "\n" for c in codes))
    return f"file://{path}"


def test_every_read_is_delivered_once_numbered_in_order(tmp_path, spool):
    store = Store()
    codes = [f"P012-H{n:04d}" for n in range(1, 451)]
    totals = daemon(spool, {"HH-01": reads_file(tmp_path, codes)}, store, batch=200).run(once=True)
    assert totals["read"] == totals["accepted"] == 450 and totals["waiting"] == 0
    assert sorted(store.rows) == [("HH-01", n) for n in range(1, 451)]
    assert [store.rows["HH-01", n]["code"] for n in range(1, 451)] == codes
    assert all(len(b) <= 200 for b in store.batches)
    delivered = [e["seq"] for b in store.batches for e in b]
    assert delivered == sorted(delivered)


def test_reads_wait_in_the_spool_while_delivery_fails_and_all_arrive_once(tmp_path, spool):
    store = Store(down=5)
    totals = daemon(spool, {"HH-01": "sim://?count=300&rate=100000&seed=1",
                            "HH-02": reads_file(tmp_path, ["A1", "A2", "A3"])}, store).run(once=True)
    assert totals["failures"] == 5 and totals["waiting"] == 0
    assert totals["accepted"] == 303 and totals["duplicates"] == 0
    assert sorted(k for k in store.rows if k[0] == "HH-02") == [("HH-02", 1), ("HH-02", 2), ("HH-02", 3)]
    assert len([k for k in store.rows if k[0] == "HH-01"]) == 300
    assert (spool.directory / "spool.jsonl").stat().st_size == 0


def test_what_could_not_be_delivered_is_delivered_by_the_next_run_with_fresh_seqs(tmp_path):
    unreachable = Store(down=10**9)
    first = Spool(tmp_path / "spool")
    totals = daemon(first, {"HH-01": reads_file(tmp_path, ["A1", "A2"], "one.txt")},
                    unreachable, retry_max=0.001).run(once=True, seconds=0.3)
    first.close()
    assert totals["read"] == 2 and totals["waiting"] == 2 and unreachable.rows == {}
    store = Store()
    second = Spool(tmp_path / "spool")
    totals = daemon(second, {"HH-01": reads_file(tmp_path, ["B1"], "two.txt")}, store).run(once=True)
    second.close()
    assert totals["waiting"] == 0
    assert [store.rows[k]["code"] for k in sorted(store.rows)] == ["A1", "A2", "B1"]
    assert sorted(store.rows)[:2] == [("HH-01", 1), ("HH-01", 2)]  # B1's seq is above (gaps allowed)


def test_a_batch_sent_again_after_a_lost_acknowledgement_is_only_a_duplicate(tmp_path, spool):
    store = Store()
    lost = {"once": True}

    def deliver(events):
        result = store(events)
        if lost.pop("once", False):
            raise TimeoutError("connection lost after commit")
        return result

    totals = daemon(spool, {"HH-01": reads_file(tmp_path, ["A1", "A2", "A3"])}, deliver).run(once=True)
    assert len(store.rows) == 3 and totals["duplicates"] >= 1 and totals["waiting"] == 0


def test_refused_reads_are_kept_beside_the_spool_and_counted_on_their_device(tmp_path, spool):
    def deliver(events):
        refused = [{"device": e["device"], "seq": e["seq"], "line": i, "error": "conflict"}
                   for i, e in enumerate(events, 1) if e["code"] == "BAD"]
        return SimpleNamespace(accepted=len(events) - len(refused), duplicates=0, refused=refused)

    states = []
    d = daemon(spool, {"HH-01": reads_file(tmp_path, ["A1", "BAD", "A2"])}, deliver,
               report=states.append)
    totals = d.run(once=True)
    assert totals["refused"] == 1 and totals["accepted"] == 2
    kept = [json.loads(line) for line in (spool.directory / "refused.jsonl").read_text().splitlines()]
    assert kept[0]["event"]["code"] == "BAD" and kept[0]["error"] == "conflict"
    final = states[-1][0]
    assert final["errors"] == 1 and final["last_error"] == "conflict"


def test_device_states_are_reported_and_the_last_report_says_disconnected(tmp_path, spool):
    states = []
    d = daemon(spool, {"HH-01": reads_file(tmp_path, ["A1", "A2"])}, Store(), report=states.append)
    d.run(once=True)
    last = states[-1]
    assert [s["name"] for s in last] == ["HH-01"]
    assert last[0]["state"] == "disconnected"
    assert last[0]["last_read_at"] is not None and last[0]["url"].startswith("file://")


def test_a_report_that_fails_does_not_stop_the_daemon(tmp_path, spool):
    def report(states):
        raise ConnectionError("down")

    store = Store()
    daemon(spool, {"HH-01": reads_file(tmp_path, ["A1"])}, store, report=report).run(once=True)
    assert len(store.rows) == 1


def test_seqs_start_above_what_the_database_holds(tmp_path, spool):
    store = Store()
    daemon(spool, {"HH-01": reads_file(tmp_path, ["A1"])}, store,
           floor=lambda device: 41 if device == "HH-01" else None).run(once=True)
    assert list(store.rows) == [("HH-01", 42)]


def test_stop_ends_an_endless_run_and_delivers_what_was_read(spool):
    store = Store()
    d = daemon(spool, {"SIM": "sim://?rate=100000&seed=4"}, None)

    def deliver(events):
        d.stop()
        return store(events)

    d.deliver = deliver
    totals = d.run()
    assert totals["read"] == len(store.rows) + totals["waiting"]
    assert totals["waiting"] == 0 and len(store.rows) > 0


def test_once_skips_endless_drivers_and_only_drains_the_spool(spool):
    spool.append([{"device": "SIM", "seq": 1, "code": "A1"}])
    store = Store()
    totals = daemon(spool, {"SIM": "sim://?rate=100000"}, store).run(once=True)
    assert totals["read"] == 0 and list(store.rows) == [("SIM", 1)]


class Broken:
    url, finite = "broken://", True

    def __init__(self):
        self.status = Status()

    def scans(self, stop):
        yield from ()
        raise RuntimeError("bug in a driver")


def test_a_failing_driver_is_reported_and_the_others_keep_reading(tmp_path, spool):
    store = Store()
    d = Daemon({"X": Broken(), "HH-01": open_driver(reads_file(tmp_path, ["A1"]))}, spool, store,
               retry=0.001, retry_max=0.001, linger=0.01, log=lambda m: None)
    d.run(once=True)
    assert list(store.rows) == [("HH-01", 1)]
    assert d.readers["X"].driver.status.state == "error"


class FullDisk(Spool):
    """A spool whose disk refuses the first `refusals` writes."""

    refusals = 3

    def append(self, events):
        if self.refusals:
            self.refusals -= 1
            raise OSError(28, "No space left on device")
        super().append(events)


def test_reads_wait_in_memory_while_the_disk_is_full_and_are_spooled_after(tmp_path):
    spool = FullDisk(tmp_path / "spool")
    store, said = Store(), []
    totals = daemon(spool, {"HH-01": reads_file(tmp_path, ["A1", "A2"])}, store, log=said.append).run(once=True)
    spool.close()
    assert store.rows[("HH-01", 1)]["code"] == "A1" and store.rows[("HH-01", 2)]["code"] == "A2"
    assert totals["waiting"] == 0 and spool.refusals == 0
    assert any("cannot keep" in m for m in said)

"""A day in a store, driven through the API and the CLI on both databases: new boxes shelved, a box
re-shelved by a move order, a transfer to another store with one box lost on the way and one box received
that was not listed, a check-out, a disposal, then a stock-take. Places, states and histories are
checked exactly at the end."""

import json
from datetime import date, timedelta

from tests.integration.test_api_scans import post, token_for
from tests.integration.test_tracking_service import GATE, M1, N1, N2, N3, Clock, build

BOXES = [f"P001-H{n:04d}" for n in range(1, 9)]


def cli(runner, *args):
    result = runner.invoke(args=[*map(str, args), "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1  # one JSON document
    return json.loads(result.stdout)


class Device:
    """A handheld posting its reads through the API, seq after seq, stamped now."""

    def __init__(self, db, client, name, clock):
        self.client, self.name, self.clock, self.seq = client, name, clock, 0
        _, self.token = token_for(db, name)

    def reads(self, *codes, **extra):
        events = []
        for code in codes:
            self.seq += 1
            events.append({"device": self.name, "seq": self.seq, "code": code, "kind": "barcode",
                           "at": self.clock().isoformat(), **extra})
        response = post(self.client, self.token, events)
        assert response.status_code == 200 and response.json["accepted"] == len(codes), response.json
        return response.json


def where(client, token, code):
    got = client.get(f"/api/v1/boxes/{code}", headers={"Authorization": f"Bearer {token}"}).json
    return got["state"], got["place"], got["home"]


def history(runner, code):
    return [entry["kind"] for entry in cli(runner, "box", "history", code)]


def test_a_day_in_the_store(db, client, runner, tmp_path):
    build(db)
    clock = Clock()
    hh1, hh2 = Device(db, client, "HH-01", clock), Device(db, client, "HH-02", clock)

    # Morning: the two boxes received last week have no home; Kho suggests a shelf with room for them.
    shelves = cli(runner, "move", "suggest", "--boxes", 8, "--within", "K01")
    assert [s["shelf"] for s in shelves] == [N3]
    shelving = cli(runner, "move", "order", "P001-H0007", "P001-H0008", "--to", N3,
                   "--reason", "Xếp giá hộp mới nhận", "--approved-by", "Trần Văn Kho")
    assert [b["from"] for b in shelving["boxes"]] == [None, None]
    hh1.reads(N3, "P001-H0007", "P001-H0008")  # scan the shelf, then the boxes
    assert cli(runner, "move", "show", shelving["id"])["state"] == "done"

    # A move order: box 1 goes from shelf 1 to shelf 2; it is scanned box first, then the shelf.
    moving = cli(runner, "move", "order", "P001-H0001", "--to", N2, "--reason", "Dồn ngăn",
                 "--approved-by", "Trần Văn Kho")
    hh1.reads("P001-H0001", location=N2)
    hh1.reads(N2, "P001-H0002")  # box 2 is seen on shelf 2 without an order: misplaced, not moved
    assert cli(runner, "move", "show", moving["id"])["state"] == "done"

    # A transfer to store K02: loaded by dispatch scans, one lost on the way, one unlisted box arrives.
    planned = cli(runner, "transfer", "create", "P001-H0004", "P001-H0005", "P001-H0006", "--from", "K01",
                  "--to", "K02", "--vehicle", "29C-123.45", "--seal", "S-01", "--seal", "S-02",
                  "--person", "Lê Văn Tám", "--expected", (clock() + timedelta(hours=2)).isoformat())
    tid = planned["id"]
    hh1.reads(GATE)
    hh1.reads("P001-H0004", "P001-H0005", "P001-H0006", context={"transfer": tid})
    sent = cli(runner, "transfer", "dispatch", tid)
    assert sent["state"] == "dispatched" and sent["counts"]["in_transit"] == 3
    hh2.reads(M1)
    hh2.reads("P001-H0004", "P001-H0006", "P001-H0003", context={"transfer": tid})
    partly = cli(runner, "transfer", "show", tid)
    assert partly["state"] == "dispatched" and partly["partly_received"]
    closed = cli(runner, "transfer", "missing", tid, "P001-H0005")
    assert closed["state"] == "received"
    assert {b["box"]: (b["state"], b["listed"]) for b in closed["boxes"]} == {
        "P001-H0003": ("unlisted", False), "P001-H0004": ("received", True),
        "P001-H0005": ("missing", True), "P001-H0006": ("received", True)}

    # A check-out to the reading room, and a disposal of a box past its retention.
    due = (date.today() + timedelta(days=2)).isoformat()
    lent = cli(runner, "checkout", "out", "P001-H0002", "--to", "reading_room", "--place", "Phòng đọc",
               "--borrower", "Nguyễn Thị Hoa", "--due", due)
    assert lent["due_on"] == due and not lent["overdue"]
    expired = cli(runner, "dispose", "candidates")
    assert [b["box"] for b in expired["boxes"]] == ["P001-H0007", "P001-H0008"]
    decision = cli(runner, "dispose", "record", "--number", "05/QĐ-UBND", "--date", date.today().isoformat(),
                   "--body", "UBND huyện", "--box", "P001-H0008")
    assert decision["boxes_destroyed"] == ["P001-H0008"]

    # Evening: where each box is, as a handheld asks.
    assert {code: where(client, hh1.token, code) for code in BOXES} == {
        "P001-H0001": ("on_shelf", N2, N2), "P001-H0002": ("checked_out", None, N1),
        "P001-H0003": ("on_shelf", M1, None), "P001-H0004": ("on_shelf", M1, None),
        "P001-H0005": ("lost", None, N2), "P001-H0006": ("on_shelf", M1, None),
        "P001-H0007": ("on_shelf", N3, N3), "P001-H0008": ("destroyed", None, N3)}

    # A stock-take of K01 leaves out what is checked out, lost or destroyed, and lists them apart.
    opened = cli(runner, "stocktake", "open", "--scope", "K01")
    assert opened["expected"] == 2
    assert opened["excluded"] == [{"box": "P001-H0002", "reason": "checked_out"},
                                  {"box": "P001-H0005", "reason": "lost"},
                                  {"box": "P001-H0008", "reason": "destroyed"}]
    reads = tmp_path / "count.jsonl"
    reads.write_text("".join(json.dumps({"device": "HH-03", "seq": i, "code": code, "kind": "barcode",
                                         "at": clock().isoformat()}) + "\n"
                             for i, code in enumerate([N2, "P001-H0001", N3, "P001-H0007"], start=1)))
    cli(runner, "scans", "ingest", reads, "--stocktake", opened["id"])
    result = cli(runner, "stocktake", "close", opened["id"])
    assert (result["found"], result["missing"], result["misplaced"]) == (["P001-H0001", "P001-H0007"], [], [])
    assert cli(runner, "box", "apply-stocktake", opened["id"])["applied"] == 2

    # Each box's history, newest first.
    assert history(runner, "P001-H0001") == ["stocktake.applied", "stocktake.result", "sighting", "move.done",
                                             "sighting", "move.ordered"]
    assert history(runner, "P001-H0002") == ["checkout", "alert", "sighting"]  # seen on shelf 2: misplaced
    raised = cli(runner, "box", "history", "P001-H0002")[1]
    assert (raised["place"], raised["detail"]["kind"], raised["detail"]["state"]) == (N2, "misplaced", "open")
    assert history(runner, "P001-H0003") == ["transfer.unlisted", "sighting"]
    assert history(runner, "P001-H0005") == ["alert", "transfer.missing", "transfer.loaded", "sighting",
                                             "transfer.listed"]  # missing on receipt: alerted
    lost = cli(runner, "box", "history", "P001-H0005")[0]
    assert (lost["place"], lost["detail"]["kind"], lost["detail"]["state"]) == ("K02", "missing", "open")
    assert history(runner, "P001-H0006") == ["transfer.received", "sighting", "transfer.loaded", "sighting",
                                             "transfer.listed"]
    assert history(runner, "P001-H0008") == ["disposal", "move.done", "sighting", "move.ordered"]
    moved = cli(runner, "box", "history", "P001-H0001")[3]
    assert (moved["place"], moved["device"], moved["actor"], moved["ref"]) == (N2, "HH-01", "device:HH-01",
                                                                                moving["id"])

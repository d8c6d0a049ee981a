"""A day in a store, driven through the CLI and the services on both databases, then the evening sweep:
every kind of alert that exists is raised exactly once (repeats of a cause are counted in it), and
nothing else is raised.

Two stores (K01, K02). Fonds P001 is open; fonds P002 was closed in 2020. In the morning a stock-take
of rack G01 finds P001-H0004 on the wrong shelf and reads a code Kho does not know. Transfer 1 carries
H0005 and H0006 to K02 (loaded through the gate, which is allowed); H0006 does not arrive. Transfer 2
carries H0007 and is still on the road in the evening. H0008 goes out through the gate with no transfer.
The unknown code is read twice more. H0004's code is read in K01 and ten minutes later in K02. A move
order re-shelves P002-H0001 (closed fonds); a register import adds a file dated 2022 to that box. A
handheld resends a sequence number with another read in it."""

import json
from datetime import date

from warehouse.alerts import rules
from warehouse.fonds import close_fonds

DAY = "2026-03-02"
LOCATIONS = """Mã vị trí,Tên,Loại,Mã vị trí cha,Sức chứa (hộp)
K01,Kho 1,kho,,
K01-D01,Dãy 1,day,K01,
K01-D01-G01,Giá 1,gia,K01-D01,
K01-D01-G01-N1,Ngăn 1,ngan,K01-D01-G01,10
K01-D01-G01-N2,Ngăn 2,ngan,K01-D01-G01,10
K01-D01-G01-N3,Ngăn 3,ngan,K01-D01-G01,10
K01-D01-G02,Giá 2,gia,K01-D01,
K01-D01-G02-N1,Ngăn 1,ngan,K01-D01-G02,10
K01-CONG,Cổng chính,cong,K01,
K02,Kho 2,kho,,
K02-D01,Dãy 1,day,K02,
K02-D01-G01,Giá 1,gia,K02-D01,
K02-D01-G01-N1,Ngăn 1,ngan,K02-D01-G01,10
K02-D01-G01-N2,Ngăn 2,ngan,K02-D01-G01,10
"""
N1, N2, N3, G2N1 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G01-N3", "K01-D01-G02-N1"
M1, M2, GATE = "K02-D01-G01-N1", "K02-D01-G01-N2", "K01-CONG"
HOMES = {1: N1, 2: N1, 3: N2, 4: N2, 5: G2N1, 6: G2N1, 7: G2N1, 8: N3}
HEADER = 'Mã phông,Tên phông,Hộp số,"Số, ký hiệu hồ sơ",Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc,Vị trí'
REGISTER = "\n".join([HEADER] + [f"P001,UBND huyện Yên,{n},{n}.1,Hồ sơ đất đai số {n},2001,2001,{home}"
                                 for n, home in HOMES.items()]
                     + [f"P002,Sở Thương nghiệp,1,1.1,Hồ sơ thương nghiệp năm 1990,1990,1990,{N3}"]) + "\n"
LATE_FILE = HEADER + "\nP002,,1,1.2,Công văn gửi sau khi đóng phông,2022,2022,\n"
UNKNOWN = "XYZ-404"


def box(n: int, fonds: str = "P001") -> str:
    return f"{fonds}-H{n:04d}"


def cli(runner, *args):
    result = runner.invoke(args=[*map(str, args), "--json"])
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


class Handheld:
    """A device's reads of the day, numbered seq after seq, sent as a file through `scans ingest`."""

    def __init__(self, runner, folder, name):
        self.runner, self.folder, self.name, self.seq, self.sent = runner, folder, name, 0, {}

    def event(self, code, time, **extra):
        self.seq += 1
        self.sent[self.seq] = {"device": self.name, "seq": self.seq, "code": code, "kind": "barcode",
                               "at": f"{DAY}T{time}:00+07:00", **extra}
        return self.sent[self.seq]

    def send(self, *events, stocktake=None):
        path = self.folder / f"{self.name}-{events[0]['seq']}.jsonl"
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
        return cli(self.runner, "scans", "ingest", path, *(["--stocktake", stocktake] if stocktake else []))

    def reads(self, time, *codes, **extra):
        """Codes read one after another from `time` on."""
        return self.send(*(self.event(code, time, **extra) for code in codes))


def test_a_day_in_a_store_raises_each_kind_of_alert_once(db, runner, tmp_path):
    (tmp_path / "locations.csv").write_text(LOCATIONS, encoding="utf-8")
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    assert cli(runner, "import", "locations", tmp_path / "locations.csv")["locations"] == 14
    assert cli(runner, "import", "register", tmp_path / "register.csv")["boxes"] == 9
    with db.transaction() as s:
        close_fonds(s, "lan", "P002", date(2020, 12, 31), "QĐ 12/QĐ-UBND")
    hh1, hh2, counter = (Handheld(runner, tmp_path, name) for name in ("HH-01", "HH-02", "HH-09"))

    # 08:00 a stock-take of rack G01: H0004 is on shelf 1, not 2; an unknown code is read.
    count = cli(runner, "stocktake", "open", "--scope", "K01-D01-G01")
    assert count["expected"] == 6
    counter.send(*(counter.event(code, "08:05") for code in (
        N1, box(1), box(2), box(4), N2, box(3), N3, box(8), box(1, "P002"), UNKNOWN)), stocktake=count["id"])
    closed = cli(runner, "stocktake", "close", count["id"])
    assert (closed["missing"], closed["misplaced"], closed["unexpected"]) == (
        [], [{"box": box(4), "expected": N2, "found": N1}], [UNKNOWN])

    # 09:00 two transfers to K02; transfer 1 is loaded by reads at the gate (allowed: it names them).
    first = cli(runner, "transfer", "create", box(5), box(6), "--from", "K01", "--to", "K02",
                "--expected", f"{DAY}T12:00:00+07:00")["id"]
    second = cli(runner, "transfer", "create", box(7), "--from", "K01", "--to", "K02",
                 "--expected", f"{DAY}T14:00:00+07:00")["id"]
    hh1.reads("09:00", box(5), box(6), location=GATE, context={"transfer": first})
    assert cli(runner, "transfer", "dispatch", first)["counts"]["in_transit"] == 2
    assert cli(runner, "transfer", "dispatch", second, "--all")["counts"]["in_transit"] == 1

    # 10:00 H0005 arrives in K02; H0006 does not: missing on receipt, and the transfer is closed.
    hh2.reads("10:00", box(5), location=M1, context={"transfer": first})
    assert cli(runner, "transfer", "missing", first, box(6))["state"] == "received"

    # 11:00 H0008 goes out through the gate without a transfer; the unknown code is read twice more.
    exit_read = hh1.event(box(8), "11:00", location=GATE)
    hh1.send(exit_read)
    hh1.reads("11:30", UNKNOWN, UNKNOWN)

    # 12:00 H0004's code is read at its home in K01, and ten minutes later on a shelf in K02.
    hh1.reads("12:00", box(4), location=N2)
    hh2.reads("12:10", box(4), location=M2)
    assert cli(runner, "alerts", "sweep", "--now", f"{DAY}T12:30:00+07:00")["raised"] == 0  # nothing due

    # 13:00 a move order re-shelves the closed fonds' box; the move is done when it is read there.
    order = cli(runner, "move", "order", box(1, "P002"), "--to", N2, "--reason", "Dồn ngăn",
                "--approved-by", "Trưởng kho")
    hh1.reads("13:05", box(1, "P002"), location=N2)
    assert cli(runner, "move", "show", order["id"])["state"] == "done"

    # 13:30 HH-01 sends its 11:00 sequence number again with another read in it: refused, kept.
    resent = hh1.send({**exit_read, "code": box(1), "at": f"{DAY}T13:30:00+07:00"})
    assert resent["accepted"] == 0 and "conflict" in resent["refused"][0]["error"]

    # 14:00 the register gets a file of 2022 for the closed fonds' box.
    (tmp_path / "late.csv").write_text(LATE_FILE, encoding="utf-8")
    assert cli(runner, "import", "register", tmp_path / "late.csv")["files"] == 1

    # 18:00 the evening sweep: transfer 2 is late, and the scan conflict is alerted.
    assert cli(runner, "alerts", "sweep", "--now", f"{DAY}T18:00:00+07:00")["raised"] == 2

    raised = cli(runner, "alerts", "list")
    assert sorted((a["kind"], a["box"] or a["code"], a["count"]) for a in raised) == [
        ("closed_fonds", box(1, "P002"), 2),     # moved by a move order, then a late file
        ("duplicate_code", box(4), 1),
        ("misplaced", box(4), 2),                # in the stock-take, then read in K02
        ("missing", box(6), 1),                  # on transfer 1's receipt
        ("overdue_transit", box(7), 1),
        ("scan_conflict", f"HH-01#{exit_read['seq']}", 1),
        ("unauthorised_exit", box(8), 1),
        ("unknown_code", UNKNOWN, 3),            # once in the stock-take, twice day-to-day
    ]
    existing = set(rules.KINDS) - {"patrol_missed", "patrol_late", "patrol_check_failed", "environment"}
    assert {a["kind"] for a in raised} == existing
    assert all(a["state"] == "open" for a in raised)
    where = {a["kind"]: a["location"] for a in raised}
    assert (where["misplaced"], where["duplicate_code"], where["unauthorised_exit"], where["missing"]) == (
        M2, M2, GATE, "K02")

    # The evening sweep run again raises nothing new and counts nothing twice.
    assert cli(runner, "alerts", "sweep", "--now", f"{DAY}T19:00:00+07:00")["raised"] == 0
    assert sorted(a["count"] for a in cli(runner, "alerts", "list")) == sorted(a["count"] for a in raised)

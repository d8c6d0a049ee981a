"""`labels pdf|zpl|runs|templates` on both databases: the JSON documents, refusals that name the
value and change nothing, ZPL to a file and to a printer listening on TCP, RFID runs that give
boxes their GIAI-96 EPC (stored, audited), and every run recorded for the box timeline."""

from __future__ import annotations

import json
import socket
import threading

import pytest
from sqlalchemy import func, select

from tests.integration.test_labels_roundtrip import seed_store
from warehouse.labelling import runs
from warehouse.models import AuditEntry, Box, PrintRun, PrintRunLabel
from warehouse.scans.giai96 import box_to_epc
from warehouse.tracking.history import box_timeline

PREFIX = "8930000"


class Printer:
    """A network printer stand-in: listens on 127.0.0.1, keeps every byte of each connection."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while data := conn.recv(65536):
                    chunks.append(data)
                self.received.append(b"".join(chunks))

    def close(self) -> None:
        """Stop listening (after the connection being read, if any) and wait for the thread."""
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def printer():
    found = Printer()
    yield found
    found.close()


def invoke(runner, *args):
    result = runner.invoke(args=["labels", *args])
    return result, (json.loads(result.stdout) if result.exit_code == 0 and "--json" in args else None)


def test_labels_pdf_prints_a_json_document_and_records_the_run(db, runner, tmp_path):
    seed_store(db)
    out = tmp_path / "a.pdf"
    result, doc = invoke(runner, "pdf", "--fonds", "P012", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert doc["labels"] == 5 and doc["codes"] == [f"P012-H{n:04d}" for n in range(1, 6)]
    assert doc["template"] == "a4-3x8" and doc["out"] == str(out)
    assert out.read_bytes().startswith(b"%PDF")
    assert "5/5 labels" in result.stderr
    with db.reading() as s:
        run = s.get(PrintRun, doc["run"])
        assert (run.status, run.done, run.created_by, run.selection, run.value) == ("done", 5, "cli", "fonds", "P012")
        assert s.scalar(select(func.count()).select_from(PrintRunLabel).where(PrintRunLabel.run_id == run.id)) == 5
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "labels.print")).one()
        detail = json.loads(entry.detail)
        assert (entry.actor, entry.target, detail["count"], detail["output"]) == ("cli", f"print_run:{run.id}", 5, "pdf")
        assert detail["codes"] == doc["codes"]


def test_a_box_printed_alone_and_on_a_shelf_shows_both_runs_on_its_timeline(db, runner, tmp_path):
    seed_store(db)
    first, _ = invoke(runner, "pdf", "--boxes", "p012-h0003", "--out", str(tmp_path / "1.pdf"))
    second, _ = invoke(runner, "pdf", "--homed", "K01-P01-D01-G01-N03", "--out", str(tmp_path / "2.pdf"))
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    with db.reading() as s:
        box = s.scalars(select(Box).where(Box.code == "P012-H0003")).one()
        timeline = runs.box_print_runs(s, box.id)
        history = [e for e in box_timeline(s, box, [], True) if e.kind == "labels.print"]
    assert [(p.output, p.template, p.actor) for p in timeline] == [("pdf", "a4-3x8", "cli")] * 2
    assert [e.ref for e in history] == [p.run for p in reversed(timeline)]  # the box timeline, newest first
    _result, doc = invoke(runner, "runs", "--box", "P012-H0003", "--json")
    assert [r["run"] for r in doc] == [p.run for p in timeline]


def test_homed_prints_the_boxes_on_a_shelf_range_in_shelf_order(db, runner, tmp_path):
    seed_store(db)
    result, doc = invoke(runner, "pdf", "--homed", "K01-P01-D01-G01-N0", "--out", str(tmp_path / "h.pdf"), "--json")
    assert result.exit_code == 0, result.output
    assert doc["codes"] == ["P012-H0001", "P012-H0004", "P9-H0001", "P012-H0002", "P012-H0005", "P012-H0003"]


def test_locations_print_location_labels_only_and_kinds_narrow_them(db, runner, tmp_path):
    seed_store(db)
    result, doc = invoke(runner, "pdf", "--locations", "K01", "--kinds", "ngan,cong", "--out",
                         str(tmp_path / "l.pdf"), "--json")
    assert result.exit_code == 0, result.output
    assert doc["codes"] == ["K01-CONG", "K01-P01-D01-G01-N01", "K01-P01-D01-G01-N02", "K01-P01-D01-G01-N03"]
    with db.reading() as s:
        labels = s.execute(select(PrintRunLabel.box_id, PrintRunLabel.location_id)).all()
    assert all(box is None and place is not None for box, place in labels)


@pytest.mark.parametrize(("args", "reason"), [
    (("--boxes", "P012-H0001,NOPE-1,P012-H0099"), "no box with code NOPE-1, P012-H0099"),
    (("--fonds", "P404"), "P404"),
    (("--locations", "K09"), "no location code starts with K09"),
    (("--homed", "K01-CONG"), "no box has a home whose code starts with K01-CONG"),
    (("--fonds", "P012", "--template", "a4-9x9"), "no label template 'a4-9x9'"),
    (("--locations", "K01", "--template", "a4-3x7"), "K01-P01-D01-G01-N01 needs"),
])
def test_a_refused_print_says_why_and_records_nothing(db, runner, tmp_path, args, reason):
    seed_store(db)
    out = tmp_path / "x.pdf"
    result, _ = invoke(runner, "pdf", *args, "--out", str(out))
    assert result.exit_code == 1 and reason in result.stderr
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "labels.print")) == 0
        assert s.scalar(select(func.count()).select_from(PrintRunLabel)) == 0
        assert set(s.scalars(select(PrintRun.status))) <= {"failed"}


def test_one_selection_exactly(db, runner, tmp_path):
    result, _ = invoke(runner, "pdf", "--fonds", "P012", "--boxes", "P012-H0001", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "exactly one of" in result.stderr


def test_zpl_to_a_file_and_to_a_printer_are_the_same_bytes(db, runner, tmp_path, printer):
    seed_store(db)
    out = tmp_path / "a.zpl"
    assert invoke(runner, "zpl", "--boxes", "P012-H0001,P012-H0002", "--out", str(out))[0].exit_code == 0
    result, doc = invoke(runner, "zpl", "--boxes", "P012-H0001,P012-H0002", "--printer",
                         f"127.0.0.1:{printer.port}", "--json")
    assert result.exit_code == 0, result.output
    printer.close()
    assert printer.received == [out.read_bytes()]
    data = out.read_text("ascii")
    assert data.count("^XA") == 2 and "^FDP012-H0001^FS" in data and "^FDMA,P012-H0002^FS" in data
    assert "^RFW" not in data and doc["printer"] == f"127.0.0.1:{printer.port}"


def test_a_printer_that_does_not_answer_fails_the_run_with_the_reason(db, runner):
    seed_store(db)
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result, _ = invoke(runner, "zpl", "--boxes", "P012-H0001", "--printer", f"127.0.0.1:{port}")
    assert result.exit_code == 1 and f"printer 127.0.0.1:{port} did not take the labels" in result.stderr
    with db.reading() as s:
        run = s.scalars(select(PrintRun)).one()
        assert run.status == "failed" and "did not take" in run.error


def test_an_rfid_run_gives_boxes_their_giai96_epc_and_writes_it(db, runner, tmp_path):
    seed_store(db)
    with db.transaction() as s:
        s.scalars(select(Box).where(Box.code == "P012-H0002")).one().epc = "E28011606000020400001A2B"
    out = tmp_path / "rfid.zpl"
    result, _doc = invoke(runner, "zpl", "--boxes", "P012-H0001,P012-H0002", "--out", str(out), "--rfid", "--json")
    assert result.exit_code == 0, result.output
    epc1 = box_to_epc("P012", 1, PREFIX)
    data = out.read_text("ascii")
    assert f"^RFW,H,,,A^FD{epc1}^FS" in data and "^RFW,H,,,A^FDE28011606000020400001A2B^FS" in data
    with db.reading() as s:
        assert s.scalar(select(Box.epc).where(Box.code == "P012-H0001")) == epc1
        assert s.scalar(select(Box.epc).where(Box.code == "P012-H0002")) == "E28011606000020400001A2B"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "box.epc_assign")).one()
        assert json.loads(entry.detail)["boxes"] == {"P012-H0001": epc1}
        assert set(s.scalars(select(PrintRunLabel.epc))) == {epc1, "E28011606000020400001A2B"}


def test_an_epc_already_on_another_box_refuses_the_rfid_run(db, runner, tmp_path):
    seed_store(db)
    with db.transaction() as s:
        s.scalars(select(Box).where(Box.code == "P9-H0001")).one().epc = box_to_epc("P012", 1, PREFIX)
    result, _ = invoke(runner, "zpl", "--boxes", "P012-H0001", "--out", str(tmp_path / "x.zpl"), "--rfid")
    assert result.exit_code == 1 and "is already on box P9-H0001" in result.stderr
    with db.reading() as s:
        assert s.scalar(select(Box.epc).where(Box.code == "P012-H0001")) is None


def test_locations_get_no_rfid(db, runner, tmp_path):
    seed_store(db)
    result, doc = invoke(runner, "zpl", "--locations", "K01-CONG", "--out", str(tmp_path / "g.zpl"), "--rfid", "--json")
    assert result.exit_code == 0 and doc["rfid"] is False and "^RFW" not in (tmp_path / "g.zpl").read_text()


def test_templates_list_the_built_in_ones_and_the_defaults(runner):
    _result, doc = invoke(runner, "templates", "--json")
    names = {t["name"]: t for t in doc}
    assert {"a4-3x8", "a4-2x7", "a4-2x4", "thermal-100x50"} <= set(names)
    assert names["a4-3x8"]["per_page"] == 24 and names["a4-3x8"]["default"]


def test_an_output_that_cannot_be_written_is_said_plainly(db, runner, tmp_path):
    seed_store(db)
    out = tmp_path / "missing" / "x.pdf"
    result, _ = invoke(runner, "pdf", "--fonds", "P012", "--out", str(out))
    assert result.exit_code == 1 and f"{out}: No such file or directory" in result.stderr
    with db.reading() as s:
        assert s.scalars(select(PrintRun.status)).all() == ["failed"]

"""Print runs as a service on both databases: progress on the run's row while labels are drawn, a
failing renderer recorded on the run (nothing audited as printed), runs that cannot start, label
texts gathered set-wise, and EPCs only for boxes Kho's GIAI-96 rule can name."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.integration.test_labels_roundtrip import AGENCY, seed_store
from warehouse.errors import NotFound, Refused
from warehouse.labelling import runs
from warehouse.labelling.selection import find_box, load, selection
from warehouse.models import AuditEntry, Box, Fonds, PrintRun, PrintRunLabel

FIELDS = ("name", "box", "files", "years", "retention", "home")


def queued(db, sel, output="pdf", rfid=False) -> int:
    with db.transaction() as s:
        return runs.create_run(s, "lan", sel, output, "a4-3x8", rfid).id


def test_progress_is_on_the_row_while_the_labels_are_drawn(db):
    seed_store(db)
    number = queued(db, selection("fonds", "P012"))
    seen = []

    def render(texts, progress):
        progress(2, len(texts))
        with db.reading() as s:
            run = s.get(PrintRun, number)
            seen.append((run.status, run.done, run.total, runs.progress_of(run)))

    done = runs.execute(db, number, "lan", render, FIELDS)
    assert seen == [("running", 2, 5, (2, 5))]
    assert (done.status, done.done, done.total) == ("done", 5, 5)


def test_a_renderer_that_fails_fails_the_run_and_nothing_is_printed(db):
    seed_store(db)
    number = queued(db, selection("boxes", "P012-H0001"))

    def render(texts, progress):
        raise OSError("paper jam")

    with pytest.raises(OSError):
        runs.execute(db, number, "lan", render, FIELDS)
    with db.reading() as s:
        run = s.get(PrintRun, number)
        assert (run.status, run.error) == ("failed", "paper jam")
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "labels.print")) == 0
        assert runs.box_print_runs(s, s.scalar(select(Box.id).where(Box.code == "P012-H0001"))) == []
    with pytest.raises(Refused, match="is failed, not waiting"):
        runs.execute(db, number, "lan", lambda texts, progress: None, FIELDS)


def test_texts_are_gathered_for_the_whole_selection(db):
    seed_store(db, boxes=4)
    with db.reading() as s:
        texts = dict(load(s, selection("fonds", "p012"), FIELDS))
        ids = {code: id_ for code, id_ in s.execute(select(Box.code, Box.id))}
        found = find_box(s, "P012", 4)
    first = texts[ids["P012-H0001"]]
    assert first.lines == (AGENCY, "HỘP SỐ 1", "Từ hồ sơ số 01 Đến hồ sơ số 03", "Thời gian: 1991 – 1998",
                           "Thời hạn bảo quản: Vĩnh viễn", "Vị trí: K01-P01-D01-G01-N01")
    assert texts[ids["P012-H0002"]].lines == (AGENCY, "HỘP SỐ 2", "Vị trí: K01-P01-D01-G01-N02")
    assert texts[ids["P012-H0003"]].lines[2:5] == ("Từ hồ sơ số 04 Đến hồ sơ số 06", "Thời gian: 1993 – 2000",
                                                   "Thời hạn bảo quản: 30 năm")
    assert found.code == "P012-H0004" and ids["P9-H0001"] not in texts


def test_a_retired_box_is_left_out_of_its_fonds_but_printed_when_named(db):
    seed_store(db, boxes=3)
    with db.transaction() as s:
        from warehouse.models.base import utcnow

        s.scalars(select(Box).where(Box.code == "P012-H0002")).one().retired_at = utcnow()
    with db.reading() as s:
        assert [t.code for _, t in load(s, selection("fonds", "P012"), FIELDS)] == ["P012-H0001", "P012-H0003"]
        assert [t.code for _, t in load(s, selection("boxes", "P012-H0002"), FIELDS)] == ["P012-H0002"]


def test_finding_a_box_that_is_not_there(db):
    seed_store(db)
    with db.reading() as s, pytest.raises(NotFound, match="P012 has no box number 40"):
        find_box(s, "P012", 40)


def test_a_box_whose_fonds_code_giai96_cannot_hold_is_refused_an_epc(db):
    seed_store(db)
    with db.transaction() as s:
        s.scalars(select(Fonds).where(Fonds.code == "P9")).one().code = "PHONG-TOO-LONG"
        s.scalars(select(Box).where(Box.code == "P9-H0001")).one().code = "PHONG-TOO-LONG-H0001"
    with db.transaction() as s, pytest.raises(Refused, match="PHONG-TOO-LONG-H0001 cannot get a GIAI-96 EPC"):
        runs.create_run(s, "lan", selection("boxes", "PHONG-TOO-LONG-H0001"), "zpl", "thermal-100x50", True)
        runs.start(s, s.scalar(select(func.max(PrintRun.id))), "lan", "8930000")
    with db.reading() as s:
        assert s.scalar(select(Box.epc).where(Box.code == "PHONG-TOO-LONG-H0001")) is None
        assert s.scalar(select(func.count()).select_from(PrintRunLabel)) == 0


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("shelf", "K01", "unknown selection 'shelf'"),
    ("fonds", "  ", "say which labels to print"),
    ("boxes", ", ,", "say which labels to print"),
])
def test_a_selection_must_say_what_it_is(kind, value, message):
    with pytest.raises(Refused, match=message):
        selection(kind, value)


def test_rfid_only_for_boxes_on_a_zpl_printer(db):
    seed_store(db)
    with db.transaction() as s, pytest.raises(Refused, match="ZPL printer only"):
        runs.create_run(s, "lan", selection("boxes", "P012-H0001"), "pdf", "a4-3x8", rfid=True)
    with db.transaction() as s, pytest.raises(Refused, match="ZPL printer only"):
        runs.create_run(s, "lan", selection("locations", "K01"), "zpl", "thermal-100x50", rfid=True)

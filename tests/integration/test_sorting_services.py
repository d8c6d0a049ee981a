"""Chỉnh lý services on both databases: each change is whole, audited and kept in the history;
each refusal names why and leaves everything as it was."""

from datetime import date

import pytest
from sqlalchemy import func, select

from warehouse import audit, sorting
from warehouse.errors import NotFound, Refused
from warehouse.models import AuditEntry, Box, File, FileMove, Fonds, Location


def seed_register(db) -> dict:
    """Two fonds: P012 (open) with boxes 1–3 holding 3, 2 and 1 files; P031 (closed) with box 1.
    Returns file ids by number, e.g. ids["P012/3"]."""
    with db.transaction() as s:
        store = Location(code="K01", name="Kho", kind="kho", path="/K01/")
        shelf = Location(code="K01-D01-G01-N01", name="Ngăn 1", kind="ngan",
                         path="/K01/K01-D01/K01-D01-G01/K01-D01-G01-N01/", parent=store)
        p012 = Fonds(code="P012", name="Phông Sở Nội vụ", name_key="phong so noi vu")
        p031 = Fonds(code="P031", name="Phông Ban Thi đua", name_key="phong ban thi dua",
                     closed_on=date(2025, 3, 1), closing_decision="QĐ 57")
        s.add_all([store, shelf, p012, p031])
        s.flush()
        layout = [(p012, 1, [1, 2, 3]), (p012, 2, [4, 5]), (p012, 3, [6]), (p031, 1, [1, 2])]
        for fonds, number, files in layout:
            box = Box(code=f"{fonds.code}-H{number:04d}", fonds_id=fonds.id, number=number, home_id=shelf.id)
            s.add(box)
            s.flush()
            s.add_all(File(fonds_id=fonds.id, box_id=box.id, position=n, number=str(n),
                           title=f"Hồ sơ số {n} năm 2016", title_key=f"ho so so {n} nam 2016",
                           access="Hạn chế" if n == 5 else "Thường") for n in files)
        s.flush()
        return {f"{code}/{num}": fid for code, num, fid in
                s.execute(select(Fonds.code, File.number, File.id).join(Fonds, File.fonds_id == Fonds.id))}


def snapshot(db) -> tuple:
    """Everything a refused operation must leave untouched."""
    with db.transaction() as s:
        return (s.execute(select(File.id, File.box_id, File.position).order_by(File.id)).all(),
                s.execute(select(Box.id, Box.code, Box.number, Box.home_id, Box.retired_at)
                          .order_by(Box.id)).all(),
                s.scalar(select(func.count(FileMove.id))), s.scalar(select(func.count(AuditEntry.id))))


def box_of(db, file_id: int) -> str:
    with db.transaction() as s:
        return s.scalar(select(Box.code).join(File, File.box_id == Box.id).where(File.id == file_id))


def actions(db) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_moving_files_puts_them_in_the_box_and_keeps_history(db):
    ids = seed_register(db)
    with db.transaction() as s:
        result = sorting.move_files(s, [ids["P012/1"], ids["P012/2"]], "p012-h0003", "lan", "cùng năm")
    assert result == {"to": "P012-H0003", "files": [ids["P012/1"], ids["P012/2"]], "moved": 2}
    assert box_of(db, ids["P012/1"]) == box_of(db, ids["P012/2"]) == "P012-H0003"
    with db.transaction() as s:
        moves = s.execute(select(FileMove.file_id, FileMove.from_box_id, FileMove.to_box_id,
                                 FileMove.reason, FileMove.actor).order_by(FileMove.id)).all()
        box1, box3 = (sorting.find_box(s, c).id for c in ("P012-H0001", "P012-H0003"))
        assert audit.verify(s).ok
    assert moves == [(ids["P012/1"], box1, box3, "cùng năm", "lan"), (ids["P012/2"], box1, box3, "cùng năm", "lan")]
    assert actions(db) == ["file.move", "file.move"]


@pytest.mark.parametrize("target, chosen, reason", [
    ("P031-H0001", ["P012/1"], "of fonds P012 cannot go into box P031-H0001 of fonds P031"),
    ("P012-H0002", ["P012/1", "P012/6", "P031/1"], "file(s) 1 (id"),
    ("P012-H0001", ["P012/1"], "already in box P012-H0001"),
    ("P012-H0999", ["P012/1"], "no box P012-H0999"),
])
def test_a_bad_move_is_refused_whole_naming_why(db, target, chosen, reason):
    ids = seed_register(db)
    before = snapshot(db)
    with db.transaction() as s, pytest.raises((Refused, NotFound)) as caught:
        sorting.move_files(s, [ids[c] for c in chosen], target, "lan")
    assert reason in str(caught.value)
    assert snapshot(db) == before


def test_a_move_of_an_unknown_file_names_its_id(db):
    seed_register(db)
    with db.transaction() as s, pytest.raises(NotFound, match="no file with id 9999"):
        sorting.move_files(s, [9999], "P012-H0001", "lan")


def test_re_boxing_a_closed_fonds_is_allowed_and_noted_in_the_audit(db):
    ids = seed_register(db)
    with db.transaction() as s:
        sorting.split_box(s, "P031-H0001", [ids["P031/2"]], "lan")
        entry = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "file.move"))
    assert box_of(db, ids["P031/2"]) == "P031-H0002"
    assert '"closed_fonds": "2025-03-01"' in entry


def test_a_split_makes_the_next_box_of_the_fonds_on_the_same_shelf(db):
    ids = seed_register(db)
    with db.transaction() as s:
        result = sorting.split_box(s, "P012-H0001", [ids["P012/2"], ids["P012/3"]], "lan", reason="tách")
    assert result == {"from": "P012-H0001", "box": "P012-H0004", "number": 4,
                      "files": [ids["P012/2"], ids["P012/3"]]}
    with db.transaction() as s:
        new, old = sorting.find_box(s, "P012-H0004"), sorting.find_box(s, "P012-H0001")
        assert (new.number, new.home_id, new.fonds_id) == (4, old.home_id, old.fonds_id)
        assert [f.id for f in sorting.box_files(s, new)] == [ids["P012/2"], ids["P012/3"]]
        assert [f.id for f in sorting.box_files(s, old)] == [ids["P012/1"]]
    assert actions(db) == ["file.move", "file.move", "box.split"]


def test_a_split_may_name_the_new_box_code(db):
    ids = seed_register(db)
    with db.transaction() as s:
        result = sorting.split_box(s, "P012-H0001", [ids["P012/1"]], "lan", new_code="p012-t01")
    assert (result["box"], result["number"]) == ("P012-T01", 4)
    assert box_of(db, ids["P012/1"]) == "P012-T01"


@pytest.mark.parametrize("chosen, code, reason", [
    (["P012/1", "P012/2", "P012/3"], None, "a split leaves at least one file in box P012-H0001"),
    (["P012/1", "P012/4"], None, "file(s) 4 (id"),
    ([], None, "choose at least one file"),
    (["P012/1"], "P012-H0002", "code P012-H0002 is the code of box P012-H0002"),
    (["P012/1"], "K01-D01-G01-N01", "is the code of location K01-D01-G01-N01 (ngan)"),
    (["P012/1"], "HỘP 1", "is not valid"),
])
def test_a_bad_split_is_refused_and_nothing_changes(db, chosen, code, reason):
    ids = seed_register(db)
    before = snapshot(db)
    with db.transaction() as s, pytest.raises(Refused) as caught:
        sorting.split_box(s, "P012-H0001", [ids[c] for c in chosen], "lan", new_code=code)
    assert reason in str(caught.value)
    assert snapshot(db) == before


def test_a_merge_moves_every_file_and_retires_the_emptied_box(db):
    ids = seed_register(db)
    with db.transaction() as s:
        result = sorting.merge_boxes(s, "P012-H0001", "P012-H0002", "lan", "gộp hộp")
    assert result == {"into": "P012-H0001", "from": "P012-H0002", "files": 2, "retired": "P012-H0002"}
    assert box_of(db, ids["P012/4"]) == box_of(db, ids["P012/5"]) == "P012-H0001"
    with db.transaction() as s:
        retired = sorting.find_box(s, "P012-H0002")
        assert retired.retired_at is not None and retired.home_id is None
        assert sorting.box_files(s, retired) == []
        assert {b["code"]: b["retired"] for b in sorting.fonds_boxes(s, retired.fonds_id)}["P012-H0002"]
    assert actions(db) == ["file.move", "file.move", "box.merge", "box.retire"]


def test_a_retired_box_keeps_its_code_and_number_reserved(db):
    ids = seed_register(db)
    with db.transaction() as s:
        sorting.merge_boxes(s, "P012-H0001", "P012-H0003", "lan")
    before = snapshot(db)
    attempts = [
        (lambda s: sorting.split_box(s, "P012-H0001", [ids["P012/1"]], "lan", new_code="P012-H0003"),
         "retired box P012-H0003 (its code stays reserved)"),
        (lambda s: sorting.renumber_box(s, "P012-H0002", 3, "lan"), "taken by box P012-H0003"),
        (lambda s: sorting.move_files(s, [ids["P012/1"]], "P012-H0003", "lan"), "is retired"),
        (lambda s: sorting.merge_boxes(s, "P012-H0003", "P012-H0002", "lan"), "is retired"),
        (lambda s: sorting.renumber_box(s, "P012-H0003", 9, "lan"), "is retired"),
    ]
    for attempt, reason in attempts:
        with db.transaction() as s, pytest.raises(Refused, match=reason.replace("(", r"\(").replace(")", r"\)")):
            attempt(s)
    assert snapshot(db) == before
    with db.transaction() as s:  # and a split after it takes number 4, never 3
        assert sorting.split_box(s, "P012-H0001", [ids["P012/1"]], "lan")["number"] == 4


def test_boxes_of_different_fonds_are_never_merged(db):
    seed_register(db)
    before = snapshot(db)
    with db.transaction() as s, pytest.raises(Refused, match="boxes of different fonds are never merged"):
        sorting.merge_boxes(s, "P012-H0001", "P031-H0001", "lan")
    assert snapshot(db) == before


def test_renumbering_changes_number_and_code_and_the_old_code_is_never_reused(db):
    ids = seed_register(db)
    with db.transaction() as s:
        result = sorting.renumber_box(s, "P012-H0003", 7, "lan", new_code="P012-H0007")
    assert result == {"box": "P012-H0007", "number": 7, "old_number": 3, "old_code": "P012-H0003"}
    with db.transaction() as s:
        assert sorting.find_box(s, "P012-H0007").number == 7
        with pytest.raises(NotFound):
            sorting.find_box(s, "P012-H0003")
    with db.transaction() as s, pytest.raises(Refused, match="was the code of box P012-H0007"):
        sorting.split_box(s, "P012-H0001", [ids["P012/1"]], "lan", new_code="P012-H0003")
    with db.transaction() as s:  # the box itself may take its old code back
        sorting.renumber_box(s, "P012-H0007", 3, "lan", new_code="P012-H0003")
        history = sorting.box_history(s, sorting.find_box(s, "P012-H0003"))
    assert [e["action"] for e in history["events"]] == ["box.renumber", "box.renumber"]


@pytest.mark.parametrize("box, number, code, reason", [
    ("P012-H0001", 2, None, "box number 2 of fonds P012 is taken by box P012-H0002"),
    ("P012-H0001", 0, None, "box numbers start at 1"),
    ("P012-H0001", 1, None, "already has number 1"),
    ("P012-H0001", 8, "P031-H0001", "code P031-H0001 is the code of box P031-H0001"),
    ("P012-H0001", 8, "K01", "code K01 is the code of location K01 (kho)"),
])
def test_a_renumbering_clash_is_refused_naming_the_clash(db, box, number, code, reason):
    seed_register(db)
    before = snapshot(db)
    with db.transaction() as s, pytest.raises(Refused) as caught:
        sorting.renumber_box(s, box, number, "lan", new_code=code)
    assert reason in str(caught.value)
    assert snapshot(db) == before


def test_file_positions_are_renumbered_in_box_order_on_request(db):
    ids = seed_register(db)
    with db.transaction() as s:
        sorting.move_files(s, [ids["P012/1"]], "P012-H0003", "lan")  # box 3: files 1 (Số TT 1), 6
        result = sorting.renumber_positions(s, "P012", 1, "lan")
    assert result == {"fonds": "P012", "catalogue": 1, "files": 6, "changed": 5}  # file 6 stays 6th
    with db.transaction() as s:
        order = s.execute(select(File.number, File.position).where(File.fonds_id == sorting.find_fonds(
            s, "P012").id).order_by(File.position)).all()
    assert order == [("2", 1), ("3", 2), ("4", 3), ("5", 4), ("1", 5), ("6", 6)]
    assert actions(db)[-1] == "file.renumber"
    with db.transaction() as s:  # already in order: nothing changes, nothing is audited
        assert sorting.renumber_positions(s, "P012", 1, "lan")["changed"] == 0
    assert actions(db)[-1] == "file.renumber" and len(actions(db)) == 2


def test_the_box_history_shows_files_moved_in_and_out(db):
    ids = seed_register(db)
    with db.transaction() as s:
        sorting.move_files(s, [ids["P012/4"]], "P012-H0001", "lan", "vào")
        sorting.move_files(s, [ids["P012/1"]], "P012-H0003", "minh", "ra")
        history = sorting.box_history(s, sorting.find_box(s, "P012-H0001"))
    assert [(m["number"], m["from"], m["to"], m["actor"], m["reason"]) for m in history["moves"]] == [
        ("1", "P012-H0001", "P012-H0003", "minh", "ra"), ("4", "P012-H0002", "P012-H0001", "lan", "vào")]
    with db.transaction() as s:
        assert audit.verify(s).ok

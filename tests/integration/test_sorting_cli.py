"""`rebox` on the command line: each command prints one JSON document with --json, refusals exit 1
with the reason on stderr and change nothing."""

import json

from sqlalchemy import select

from tests.integration.test_sorting_services import box_of, seed_register, snapshot
from warehouse.models import AuditEntry, Box


def run(runner, *args):
    result = runner.invoke(args=["rebox", *map(str, args)])
    return result, (json.loads(result.stdout) if "--json" in args else None)


def test_move_files_prints_what_moved(db, runner):
    ids = seed_register(db)
    result, doc = run(runner, "move-files", "--to", "P012-H0002", ids["P012/1"], ids["P012/2"],
                      "--reason", "cùng năm", "--json")
    assert result.exit_code == 0, result.stderr
    assert doc == {"to": "P012-H0002", "files": [ids["P012/1"], ids["P012/2"]], "moved": 2}
    assert box_of(db, ids["P012/1"]) == "P012-H0002"


def test_split_makes_a_new_box_with_the_given_code(db, runner):
    ids = seed_register(db)
    result, doc = run(runner, "split", "P012-H0001", ids["P012/3"], "--code", "P012-H0100", "--json")
    assert result.exit_code == 0, result.stderr
    assert doc == {"from": "P012-H0001", "box": "P012-H0100", "number": 4, "files": [ids["P012/3"]]}


def test_merge_retires_the_emptied_box(db, runner):
    ids = seed_register(db)
    result, doc = run(runner, "merge", "P012-H0001", "P012-H0003", "--json")
    assert result.exit_code == 0, result.stderr
    assert doc == {"into": "P012-H0001", "from": "P012-H0003", "files": 1, "retired": "P012-H0003"}
    assert box_of(db, ids["P012/6"]) == "P012-H0001"


def test_renumber_changes_number_and_code(db, runner):
    seed_register(db)
    result, doc = run(runner, "renumber", "P012-H0003", "12", "--code", "P012-H0012", "--json")
    assert result.exit_code == 0, result.stderr
    assert doc == {"box": "P012-H0012", "number": 12, "old_number": 3, "old_code": "P012-H0003"}
    with db.transaction() as s:
        assert s.scalar(select(Box.number).where(Box.code == "P012-H0012")) == 12


def test_positions_and_history(db, runner):
    ids = seed_register(db)
    run(runner, "move-files", "--to", "P012-H0003", ids["P012/1"], "--reason", "sai hộp")
    result, doc = run(runner, "positions", "P012", "--json")
    assert result.exit_code == 0 and doc["changed"] == 5
    result, doc = run(runner, "history", "P012-H0003", "--json")
    assert result.exit_code == 0
    assert [(m["file_id"], m["from"], m["to"], m["reason"]) for m in doc["moves"]] == [
        (ids["P012/1"], "P012-H0001", "P012-H0003", "sai hộp")]
    assert "title" not in doc["moves"][0]  # titles may be restricted: the CLI history leaves them out


def test_refusals_exit_1_with_the_reason_and_change_nothing(db, runner):
    ids = seed_register(db)
    before = snapshot(db)
    cases = [
        (("move-files", "--to", "P031-H0001", ids["P012/1"]), "cannot go into box P031-H0001 of fonds P031"),
        (("split", "P012-H0003", ids["P012/6"]), "a split leaves at least one file in box P012-H0003"),
        (("merge", "P012-H0001", "P031-H0001"), "boxes of different fonds are never merged"),
        (("renumber", "P012-H0001", "2"), "box number 2 of fonds P012 is taken by box P012-H0002"),
        (("renumber", "P012-H0001", "7", "--code", "K01"), "code K01 is the code of location K01"),
        (("move-files", "--to", "NOPE", ids["P012/1"]), "no box NOPE"),
    ]
    for args, reason in cases:
        result, doc = run(runner, *args, "--json")
        assert result.exit_code == 1, args
        assert reason in result.stderr and reason in doc["error"], (args, result.stderr)
    assert snapshot(db) == before


def test_every_rebox_change_is_audited_and_the_chain_stays_intact(db, runner):
    ids = seed_register(db)
    said = [run(runner, "split", "P012-H0001", ids["P012/3"])[0].stdout,
            run(runner, "merge", "P012-H0002", "P012-H0004")[0].stdout,
            run(runner, "renumber", "P012-H0002", "20")[0].stdout]
    assert "new box P012-H0004" in said[0] and "box P012-H0004 retired" in said[1]
    assert "number 20" in said[2]
    with db.transaction() as s:
        acted = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        actors = set(s.scalars(select(AuditEntry.actor)))
    assert acted == ["file.move", "box.split", "file.move", "box.merge", "box.retire", "box.renumber"]
    assert actors == {"cli"}
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

"""`demo load`: a whole provincial archive in one audited transaction, loaded once."""

import json

from sqlalchemy import func, select

from warehouse import demo
from warehouse.models import Agency, AuditEntry, Box, Catalogue, File, Fonds, Location
from warehouse.models.locations import KINDS
from warehouse.text import fold


def load(runner, *flags):
    result = runner.invoke(args=["demo", "load", *flags, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def count(s, column) -> int:
    return s.scalar(select(func.count(column)))


def test_the_demo_loads_a_store_agencies_fonds_boxes_and_files(db, runner):
    doc = load(runner)
    assert doc["loaded"] is True
    with db.transaction() as s:
        assert (doc["locations"], doc["boxes"], doc["files"]) == (
            count(s, Location.id), count(s, Box.id), count(s, File.id))
        assert doc["boxes"] == 360
        per_box = set(s.scalars(select(func.count(File.id)).group_by(File.box_id)))
        assert per_box == {3, 4, 5}
        kinds = dict(s.execute(select(Location.kind, func.count(Location.id)).group_by(Location.kind)).all())
        assert kinds["kho"] == 1 and kinds["phong"] == 2 and kinds["cong"] == 1 and kinds["diem"] == 2
        assert s.scalar(select(func.min(Location.capacity)).where(Location.kind == "ngan")) == 12
        statuses = dict(s.execute(select(Agency.status, Agency.successor_id)).all())
        assert set(statuses) == {"active", "merged", "dissolved"} and statuses["dissolved"] is not None
        closed = s.execute(select(Fonds.code, Fonds.closing_decision).where(Fonds.closed_on.is_not(None))).all()
        assert len(closed) == 1 and closed[0][1]
        assert count(s, Catalogue.id) == 3


def test_the_tree_paths_keys_and_home_shelves_are_consistent(db, runner):
    load(runner)
    with db.transaction() as s:
        locations = {loc.id: loc for loc in s.scalars(select(Location))}
        for loc in locations.values():
            parent = locations.get(loc.parent_id)
            assert loc.path == (parent.path if parent else "/") + loc.code + "/"
            assert (parent.kind if parent else None) in KINDS[loc.kind]
            assert loc.name_key == fold(loc.name)
        homes = s.execute(select(Location.kind, func.count(Box.id)).join(Location, Box.home_id == Location.id)
                          .group_by(Location.kind)).all()
        assert homes == [("ngan", 360)]
        assert s.scalar(select(func.count(File.id)).where(File.title_key != func.lower(File.title_key))) == 0
        sample = s.scalars(select(File).limit(50)).all()
        assert all(f.title_key == fold(f.title) for f in sample)
        codes = s.execute(select(Box.code, Fonds.code, Box.number).join(Fonds, Box.fonds_id == Fonds.id)).all()
        assert all(code == f"{fonds}-H{number:04d}" for code, fonds, number in codes)


def test_the_demo_has_a_realistic_mix_of_files_and_boxes(db, runner):
    load(runner)
    with db.transaction() as s:
        retention = set(s.scalars(select(File.retention).distinct()))
        assert {"Vĩnh viễn", "70 năm", "20 năm", "10 năm", "Đến khi văn bản hết hiệu lực thi hành"} <= retention
        access = dict(s.execute(select(File.access, func.count(File.id)).group_by(File.access)).all())
        assert access["Thường"] > 10 * access["Hạn chế"] > 0
        assert 0 < count(s, File.id) - s.scalar(select(func.count(File.id)).where(File.completed)) < 200
        conditions = set(s.scalars(select(Box.condition).distinct()))
        assert {"good", "damaged", "mould"} <= conditions
        epcs = s.scalars(select(Box.epc).where(Box.epc.is_not(None))).all()
        assert 0 < len(epcs) < 360 and all(len(e) == 24 and int(e, 16) >= 0 for e in epcs)
        assert s.scalar(select(File.title).where(File.title_key.like("%thi dua, khen thuong%")).limit(1))


def test_if_empty_loads_nothing_the_second_time_and_the_audit_chain_holds(db, runner):
    load(runner, "--if-empty")
    with db.transaction() as s:
        before = (count(s, Box.id), count(s, File.id), count(s, Location.id))
    assert load(runner, "--if-empty") == {"loaded": False}
    with db.transaction() as s:
        assert (count(s, Box.id), count(s, File.id), count(s, Location.id)) == before
        assert list(s.scalars(select(AuditEntry.action))) == ["demo.load"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_loading_twice_without_if_empty_is_refused_naming_why(db, runner):
    load(runner)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1 and "already holds 360 boxes" in result.stderr


def test_the_plan_is_the_same_every_time():
    first, second = demo.plan(), demo.plan()
    assert first == second
    assert len({b["code"] for b in first["boxes"]}) == len(first["boxes"])
    assert len({(f["fonds"], f["number"]) for f in first["files"]}) == len(first["files"])

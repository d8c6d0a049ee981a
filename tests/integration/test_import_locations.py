"""Importing locations on both databases: parents after children, paths, re-imports, refusals."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from tests.integration.test_import_register import LOCATIONS, counts, csv_register, write_locations
from warehouse.errors import ImportRefused
from warehouse.importing import import_locations, import_register
from warehouse.models import Location


def tree(db) -> dict:
    parent = aliased(Location)
    with db.reading() as s:
        rows = s.execute(select(Location.code, Location.kind, parent.code, Location.path, Location.name_key,
                                Location.capacity).outerjoin(parent, parent.id == Location.parent_id))
        return {code: rest for code, *rest in rows}


def test_a_locations_file_listing_children_first_builds_the_tree(db, tmp_path):
    with db.transaction() as s:
        result = import_locations(s, write_locations(tmp_path), "tester")
    assert result["locations"] == 6
    assert result["kinds"] == {"ngan": 2, "gia": 1, "day": 1, "kho": 1, "cong": 1}
    places = tree(db)
    assert places["K1"] == ["kho", None, "/K1/", "kho 1", None]
    assert places["K1-D1-G1-N2"] == ["ngan", "K1-D1-G1", "/K1/K1-D1/K1-D1-G1/K1-D1-G1-N2/", "ngan 2", 1]
    assert places["K1-C1"][:3] == ["cong", "K1", "/K1/K1-C1/"]


def test_importing_the_same_file_again_changes_nothing_and_new_capacities_update(db, tmp_path):
    with db.transaction() as s:
        import_locations(s, write_locations(tmp_path), "tester")
    with db.transaction() as s:
        assert import_locations(s, write_locations(tmp_path), "tester")["unchanged"] == 6
    changed = tmp_path / "changed.csv"
    changed.write_text(LOCATIONS.replace("Ngăn 2,Ngăn,K1-D1-G1,1", "Ngăn hai,Ngăn,K1-D1-G1,8"), encoding="utf-8")
    with db.transaction() as s:
        result = import_locations(s, changed, "tester")
    assert (result["locations"], result["updated"], result["unchanged"]) == (0, 1, 5)
    assert tree(db)["K1-D1-G1-N2"][3:] == ["ngan hai", 8]


def test_a_bad_locations_file_is_refused_whole(db, tmp_path):
    with db.transaction() as s:
        import_locations(s, write_locations(tmp_path), "tester")
        import_register(s, csv_register(tmp_path, ["Mã phông,Tên phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ",
                                                   "P1,UBND,1,01,A"]), "tester")
    before = counts(db)
    lines = [
        "Mã vị trí;Tên;Loại;Mã vị trí cha;Sức chứa (hộp)",
        "K2;Kho 2;kho;;",                       # 2: fine
        "K2-N1;Ngăn;ngan;K2;",                  # 3: a shelf in a store
        "P1-H0001;Dãy;day;K2;",                 # 4: the code of a box
        "K1-D1;Dãy 1;phong;K1;",                # 5: already a rack row in Kho
        "K2-D1;Dãy;day;K9;",                    # 6: no such parent
        "K2-G1;Giá;gia;K2-D1;nhiều",            # 7: capacity not a number
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused, db.transaction() as s:
        import_locations(s, bad, "tester")
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [
        (3, "Loại"), (4, "Mã vị trí"), (5, "Mã vị trí"), (6, "Mã vị trí cha"), (7, "Sức chứa (hộp)")]
    assert counts(db) == before

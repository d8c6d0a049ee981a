"""The locations sheet: kinds, nesting, parents listed after their children, paths."""

from warehouse.importing.locations import parse_locations
from warehouse.importing.sheets import read_rows

HEADER = ["Mã vị trí", "Tên", "Loại", "Mã vị trí cha", "Sức chứa (hộp)"]


def test_children_may_come_before_their_parents_and_get_paths():
    records, errors = parse_locations(read_rows([
        HEADER,
        ["K1-D1-G1-N1", "Ngăn 1", "Ngăn", "K1-D1-G1", 12],
        ["K1-D1-G1", "Giá 1", "giá", "K1-D1", None],
        ["K1-D1", "Dãy 1", "DÃY", "K1", None],
        ["K1", "Kho 1", "kho", None, None],
    ]))
    assert errors == []
    assert [(r.code, r.path) for r in records] == [
        ("K1", "/K1/"), ("K1-D1", "/K1/K1-D1/"), ("K1-D1-G1", "/K1/K1-D1/K1-D1-G1/"),
        ("K1-D1-G1-N1", "/K1/K1-D1/K1-D1-G1/K1-D1-G1-N1/")]
    assert records[-1].capacity == 12 and records[-1].kind == "ngan"


def test_a_parent_already_in_kho_is_used():
    records, errors = parse_locations(read_rows([HEADER, ["K1-D2", "Dãy 2", "day", "K1"]]),
                                      known={"K1": ("kho", "/K1/")})
    assert errors == [] and records[0].path == "/K1/K1-D2/"


def test_a_kind_that_cannot_sit_in_its_parent_is_an_error_per_row():
    _, errors = parse_locations(read_rows([
        HEADER,
        ["K1", "Kho", "kho", None],
        ["K1-N1", "Ngăn", "ngan", "K1"],
        ["K1-C1", "Cổng", "cổng", "K1"],
        ["K2", "Kho 2", "kho", "K1"],
        ["K1-X", "?", "tủ", "K1"],
        ["G9", "Giá", "gia", None],
        ["K1-G", "Giá", "gia", "K9"],
    ]))
    assert [(e["row"], e["column"]) for e in errors] == [
        (3, "Loại"), (5, "Mã vị trí cha"), (6, "Loại"), (7, "Mã vị trí cha"), (8, "Mã vị trí cha")]


def test_a_loop_of_parents_is_an_error():
    _, errors = parse_locations(read_rows([HEADER, ["A", "a", "day", "B"], ["B", "b", "phong", "A"]]))
    assert {e["row"] for e in errors} == {2, 3}


def test_a_code_listed_twice_is_an_error():
    _, errors = parse_locations(read_rows([HEADER, ["K1", "Kho", "kho"], ["K1", "Kho", "kho"]]))
    assert errors == [{"row": 3, "column": "Mã vị trí", "error": "K1 is listed twice: also on row 2"}]


def test_english_headers_are_aliases():
    records, errors = parse_locations(read_rows([["code", "name", "kind", "parent", "capacity"],
                                                 ["S1", "Store", "store", None, None]]))
    assert errors == [] and records[0].kind == "kho"


def test_a_gate_or_checkpoint_holds_no_boxes_so_has_no_capacity():
    _, errors = parse_locations(read_rows([HEADER, ["K1", "Kho", "kho"], ["K1-C1", "Cổng", "cong", "K1", 5]]))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Sức chứa (hộp)")]

"""`import locations`, `import register` and `boxes list` from the command line."""

import json

from tests.integration.test_import_register import BAD, EPC, csv_register, field_register, write_locations


def test_imports_print_their_counts_as_json_and_progress_on_stderr(runner, tmp_path):
    done = runner.invoke(args=["import", "locations", str(write_locations(tmp_path)), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["locations"] == 6
    done = runner.invoke(args=["import", "register", str(field_register(tmp_path)), "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert (result["boxes"], result["files"]) == (4, 8)
    assert "8/8 files saved" in done.stderr


def test_boxes_list_gives_every_box_with_its_home_and_file_count(runner, tmp_path):
    runner.invoke(args=["import", "locations", str(write_locations(tmp_path))])
    runner.invoke(args=["import", "register", str(field_register(tmp_path))])
    listed = runner.invoke(args=["boxes", "list", "--json"])
    assert listed.exit_code == 0
    boxes = json.loads(listed.stdout)
    assert [b["code"] for b in boxes] == ["P1-H0001", "P1-H0002", "P2-H0001", "P2-H0003"]
    assert boxes[0] == {"code": "P1-H0001", "fonds": "P1", "box": 1, "epc": EPC, "home": "K1-D1-G1-N1",
                        "files": 3}
    only = json.loads(runner.invoke(args=["boxes", "list", "--fonds", "p2", "--json"]).stdout)
    assert [b["code"] for b in only] == ["P2-H0001", "P2-H0003"]
    unknown = runner.invoke(args=["boxes", "list", "--fonds", "P9", "--json"])
    assert unknown.exit_code == 1 and "P9" in unknown.stderr


def test_a_refused_file_exits_1_listing_each_error_by_row_and_column(runner, tmp_path):
    runner.invoke(args=["import", "locations", str(write_locations(tmp_path))])
    refused = runner.invoke(args=["import", "register", str(csv_register(tmp_path, BAD)), "--json"])
    assert refused.exit_code == 1
    assert "row 3, column Số hồ sơ:" in refused.stderr
    assert "row 14, column Mã vạch hộp:" in refused.stderr
    assert len(json.loads(refused.stdout)["errors"]) == 12
    assert json.loads(runner.invoke(args=["boxes", "list", "--json"]).stdout) == []


def test_a_file_that_is_not_utf8_is_refused(runner, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Mã vị trí,Tên,Loại\nK1,Kho,kho\n".encode("utf-16"))
    refused = runner.invoke(args=["import", "locations", str(path)])
    assert refused.exit_code == 1 and "UTF-8" in refused.stderr

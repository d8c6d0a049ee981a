"""A register import that adds files dated after their fonds was closed raises closed_fonds alerts."""

from datetime import date

from tests.integration.register_seed import seed
from warehouse.alerts import listing
from warehouse.fonds import close_fonds
from warehouse.importing.load_register import import_register

CSV = """Mã phông,Tên phông,Hộp số,"Số, ký hiệu hồ sơ",Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc
P012,,4,41,Hồ sơ đất đai năm 2019,01/01/2019,31/12/2019
P012,,4,42,Hồ sơ đất đai 2021–2022,2021,2022
P012,,5,51,Báo cáo tổng kết,2023,
P099,Phông 99,1,1,Phông mới chưa đóng,2024,2024
"""


def test_files_dated_after_the_fonds_closed_raise_one_alert_per_box(db, tmp_path):
    seed(db)
    with db.transaction() as s:
        close_fonds(s, "t", "P012", date(2020, 12, 31), "QĐ 12/2020")
    source = tmp_path / "muc-luc.csv"
    source.write_text(CSV, encoding="utf-8")
    with db.transaction() as s:
        assert import_register(s, str(source), "archivist")["files"] == 4
    with db.transaction() as s:
        found = listing.alerts(s, kind="closed_fonds")
    assert sorted((a["box"], a["count"], a["severity"], a["state"]) for a in found) == [
        ("P012-H0004", 1, "high", "open"), ("P012-H0005", 1, "high", "open")]


def test_an_import_into_open_fonds_raises_nothing(db, tmp_path):
    seed(db)
    source = tmp_path / "muc-luc.csv"
    source.write_text(CSV, encoding="utf-8")
    with db.transaction() as s:
        import_register(s, str(source), "archivist")
    with db.transaction() as s:
        assert listing.alerts(s) == []

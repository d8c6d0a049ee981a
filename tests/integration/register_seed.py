"""A small register and store for the register, location and search tests, inserted with the models."""

from __future__ import annotations

from datetime import date

from warehouse.models import Agency, Box, Catalogue, File, Fonds, Location
from warehouse.text import fold

EPC = "E28011606000020400001A2B"
OPEN_TITLE = "Hồ sơ giao đất cho hộ gia đình năm 2005"
SECRET_TITLE = "Hồ sơ thanh tra đất đai tại xã Phú Mỹ"
NFD_SECRET_TITLE = "Báo cáo tổng kết công tác bảo vệ nội bộ"


def place(s, code, name, kind, parent=None, capacity=None) -> Location:
    path = (parent.path if parent else "/") + code + "/"
    loc = Location(code=code, name=name, name_key=fold(name), kind=kind, path=path,
                   parent_id=parent.id if parent else None, capacity=capacity)
    s.add(loc)
    s.flush()
    return loc


def seed(db) -> None:
    """K01 › K01-D01 › K01-D01-G01 › N01 (2 boxes of 2) and N02 (1 of 10); fonds P012 with 3 files."""
    with db.transaction() as s:
        agency = Agency(name="Sở Tài nguyên và Môi trường", name_key=fold("Sở Tài nguyên và Môi trường"))
        s.add(agency)
        s.flush()
        fonds = Fonds(code="P012", name="Phông Sở Tài nguyên và Môi trường",
                      name_key=fold("Phông Sở Tài nguyên và Môi trường"), agency_id=agency.id)
        fonds.catalogues.append(Catalogue(number=1, title=""))
        s.add(fonds)
        store = place(s, "K01", "Kho lưu trữ tỉnh", "kho")
        row = place(s, "K01-D01", "Dãy 1", "day", store)
        rack = place(s, "K01-D01-G01", "Giá 1", "gia", row, None)
        n1 = place(s, "K01-D01-G01-N01", "Ngăn 1", "ngan", rack, 2)
        n2 = place(s, "K01-D01-G01-N02", "Ngăn 2", "ngan", rack, 10)
        place(s, "K01-D01-G01-N03", "Ngăn 3", "ngan", rack, 10)
        place(s, "K01-CONG", "Cổng chính", "cong", store)
        boxes = [Box(code=f"P012-H000{n}", fonds_id=fonds.id, number=n, home_id=home.id, epc=epc)
                 for n, home, epc in ((1, n1, EPC), (2, n1, None), (3, n2, None))]
        s.add_all(boxes)
        s.flush()
        files = [(boxes[0], "01", OPEN_TITLE, "Thường"), (boxes[0], "02", SECRET_TITLE, "Hạn chế"),
                 (boxes[1], "03", NFD_SECRET_TITLE, "MA\u0302\u0323T")]  # "MẬT", upper case and NFD
        for position, (box, number, title, access) in enumerate(files, 1):
            s.add(File(fonds_id=fonds.id, catalogue=1, box_id=box.id, position=position, number=number,
                       title=title, title_key=fold(title), access=access, retention="Vĩnh viễn",
                       start_date=date(2005, 1, 1), end_date=date(2005, 12, 31), pages=20))

"""Demo data: a provincial historical archive with two stores, rooms, racks, three agencies, their
fonds and a few hundred boxes of files (inserted set-based, audited as one entry), then its last days
of work played through Kho's own services (warehouse/demo_day.py). Deterministic (seeded)."""

from __future__ import annotations

import random
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from warehouse import audit, demo_day
from warehouse.errors import Refused
from warehouse.models import Agency, Box, Catalogue, File, Fonds, Location
from warehouse.models.base import utcnow
from warehouse.text import fold

SEED = 20250301
STORES = [  # code, name, rooms, rack rows per room, racks per row; the boxes are in the first
    ("K01", "Kho lưu trữ lịch sử tỉnh", 2, 2, 3),
    ("K02", "Kho lưu trữ cơ sở 2", 1, 1, 2),  # small: where a transfer goes
]
STORE = STORES[0][:2]
SHELVES_PER_RACK, SHELF_CAPACITY = 5, 12
BOXES_PER_SHELF = 10  # the demo leaves room on every shelf
ENDED = date(2025, 3, 1)

AGENCIES = [  # name, status, successor (index), ended_on, decision
    ("Sở Nội vụ tỉnh", "active", None, None, ""),
    ("Sở Lao động - Thương binh và Xã hội tỉnh", "merged", 0, ENDED,
     "Quyết định số 412/QĐ-UBND ngày 26/02/2025 của Ủy ban nhân dân tỉnh"),
    ("Ban Thi đua - Khen thưởng tỉnh", "dissolved", 0, ENDED,
     "Quyết định số 398/QĐ-UBND ngày 25/02/2025 của Ủy ban nhân dân tỉnh"),
]
FONDS = [  # code, name, agency (index), boxes, first year, closed
    ("P012", "Phông Sở Nội vụ tỉnh", 0, 180, 2005, False),
    ("P027", "Phông Sở Lao động - Thương binh và Xã hội tỉnh", 1, 120, 2008, False),
    ("P031", "Phông Ban Thi đua - Khen thưởng tỉnh", 2, 60, 2010, True),
]
CLOSING = "Quyết định số 57/QĐ-SNV ngày 05/3/2025 về việc đóng phông lưu trữ Ban Thi đua - Khen thưởng tỉnh"

# Titles by fonds: (title with {y} for the year, retention). Retention as a mục lục writes it.
COMMON = [
    ("Hồ sơ về thi đua, khen thưởng năm {y}", "Vĩnh viễn"),
    ("Tập lưu quyết định của Giám đốc Sở về công tác tổ chức, cán bộ năm {y}", "Vĩnh viễn"),
    ("Hồ sơ hội nghị tổng kết công tác năm {y} và triển khai nhiệm vụ năm {n}", "Vĩnh viễn"),
    ("Kế hoạch, báo cáo công tác cải cách hành chính năm {y}", "20 năm"),
    ("Hồ sơ nâng bậc lương thường xuyên cho công chức, viên chức năm {y}", "70 năm"),
    ("Tập công văn trao đổi về công tác văn thư, lưu trữ năm {y}", "10 năm"),
    ("Báo cáo thống kê số lượng, chất lượng cán bộ, công chức năm {y}", "20 năm"),
    ("Hồ sơ dự toán, quyết toán ngân sách năm {y}", "Vĩnh viễn"),
    ("Tập văn bản hướng dẫn nghiệp vụ của Bộ gửi Sở năm {y}", "Đến khi văn bản hết hiệu lực thi hành"),
]
OWN = {
    "P012": [("Hồ sơ tuyển dụng công chức năm {y}", "70 năm"),
             ("Hồ sơ thẩm định đề án vị trí việc làm của các cơ quan, đơn vị năm {y}", "Vĩnh viễn"),
             ("Hồ sơ thanh tra công vụ tại các sở, ngành năm {y}", "20 năm"),
             ("Hồ sơ về việc thành lập, sáp nhập các đơn vị sự nghiệp công lập năm {y}", "Vĩnh viễn")],
    "P027": [("Hồ sơ giải quyết chế độ chính sách đối với người có công năm {y}", "70 năm"),
             ("Báo cáo tình hình lao động, việc làm và giảm nghèo năm {y}", "20 năm"),
             ("Hồ sơ cấp giấy phép lao động cho người nước ngoài năm {y}", "10 năm"),
             ("Hồ sơ kiểm tra an toàn, vệ sinh lao động tại doanh nghiệp năm {y}", "20 năm")],
    "P031": [("Hồ sơ xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm {y}", "Vĩnh viễn"),
             ("Hồ sơ đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm {y}", "Vĩnh viễn"),
             ("Hồ sơ tổ chức phong trào thi đua yêu nước năm {y}", "Vĩnh viễn"),
             ("Sổ theo dõi khen thưởng của tỉnh năm {y}", "Vĩnh viễn")],
}
NOTES = ["", "", "", "", "Bản photo", "Thiếu văn bản gốc", "Tài liệu bị mờ chữ"]


def _years(retention: str) -> int | None:
    head = retention.split()[0]
    return int(head) if head.isdigit() else None


def locations() -> list[dict]:
    """The stores' trees, parents before children: store › rooms › rows › racks › shelves, a gate
    per store and a checkpoint per room."""
    rows: list[dict] = []
    for code, name, rooms, rack_rows, racks in STORES:
        rows.append({"code": code, "name": name, "kind": "kho", "parent": None, "capacity": None})
        rows.append({"code": f"{code}-CONG01", "name": "Cổng ra vào chính", "kind": "cong", "parent": code,
                     "capacity": None})
        for r in range(1, rooms + 1):
            rows.extend(_room(code, r, rack_rows, racks))
    paths: dict[str | None, str] = {None: "/"}
    for row in rows:
        row["path"] = paths[row["code"]] = paths[row["parent"]] + row["code"] + "/"
        row["name_key"] = fold(row["name"])
    return rows


def _room(store: str, number: int, rack_rows: int, racks: int) -> list[dict]:
    room = f"{store}-P{number:02d}"
    rows: list[dict] = [
        {"code": room, "name": f"Phòng kho {number}", "kind": "phong", "parent": store, "capacity": None},
        {"code": f"{room}-DIEM01", "name": f"Điểm kiểm tra phòng kho {number}", "kind": "diem",
         "parent": room, "capacity": None}]
    for d in range(1, rack_rows + 1):
        rack_row = f"{room}-D{d:02d}"
        rows.append({"code": rack_row, "name": f"Dãy giá {d}", "kind": "day", "parent": room,
                     "capacity": None})
        for g in range(1, racks + 1):
            rack = f"{rack_row}-G{g:02d}"
            rows.append({"code": rack, "name": f"Giá {g}", "kind": "gia", "parent": rack_row,
                         "capacity": None})
            rows.extend({"code": f"{rack}-N{n:02d}", "name": f"Ngăn {n}", "kind": "ngan", "parent": rack,
                         "capacity": SHELF_CAPACITY} for n in range(1, SHELVES_PER_RACK + 1))
    return rows


def _file(rng: random.Random, fonds: str, box_no: int, year: int, position: int, agency: int) -> dict:
    title, retention = rng.choice(COMMON + OWN[fonds] * 2)
    title = title.format(y=year, n=year + 1)
    start = date(year, rng.randint(1, 6), rng.randint(1, 28))
    end = date(year, rng.randint(start.month + 1, 12), rng.randint(1, 28))
    symbol = f"{position:03d}"
    return {"fonds": fonds, "box": box_no, "catalogue": 1, "position": position, "number": symbol,
            "file_code": f"000.00.{31 + agency:02d}.H{agency + 40:02d}.{year}.{symbol}",
            "title": title, "title_key": fold(title), "start_date": start, "end_date": end,
            "retention": retention, "retention_years": _years(retention),
            "pages": rng.randint(8, 260), "access": "Hạn chế" if rng.random() < 0.03 else "Thường",
            "completed": rng.random() > 0.04, "note": rng.choice(NOTES)}


def plan(seed: int = SEED) -> dict:
    """Every row of the demo as plain values (the same for the same seed)."""
    rng = random.Random(seed)
    shelves = [loc["code"] for loc in locations()
               if loc["kind"] == "ngan" and loc["path"].startswith(f"/{STORE[0]}/")]
    boxes, files, slot = [], [], 0
    for code, _name, agency, count, first_year, _closed in FONDS:
        position = 0
        for number in range(1, count + 1):
            year = first_year + (number - 1) * 15 // count
            condition = rng.choices(["good", "damaged", "mould"], [94, 4, 2])[0]
            boxes.append({"fonds": code, "number": number, "code": f"{code}-H{number:04d}",
                          "home": shelves[slot // BOXES_PER_SHELF], "condition": condition,
                          "condition_note": {"good": "", "damaged": "Hộp bị rách, móp góc",
                                             "mould": "Hộp bị ẩm mốc mặt dưới"}[condition],
                          "epc": f"E280{rng.getrandbits(80):020X}" if rng.random() < 0.25 else None})
            slot += 1
            for _ in range(rng.randint(3, 5)):
                position += 1
                files.append(_file(rng, code, number, year, position, agency))
        slot += BOXES_PER_SHELF - slot % BOXES_PER_SHELF if slot % BOXES_PER_SHELF else 0
    return {"locations": locations(), "boxes": boxes, "files": files}


def _ids(session: Session, model, key: str, values) -> dict:
    column = getattr(model, key)
    return dict(session.execute(select(column, model.id).where(column.in_(list(values)))).all())


def _refusal(session: Session) -> str | None:
    boxes = session.scalar(select(func.count(Box.id)))
    if boxes:
        return f"the database already holds {boxes} boxes: demo data loads only into an empty register"
    taken = session.scalar(select(Location.code).where(Location.code.in_([store[0] for store in STORES])))
    if taken:
        return f"location {taken} exists already"
    taken = session.scalar(select(Fonds.code).where(Fonds.code.in_([f[0] for f in FONDS])))
    return f"fonds {taken} exists already" if taken else None


def has_boxes(session: Session) -> bool:
    return session.scalar(select(Box.id).limit(1)) is not None


def load(session: Session, actor: str = "system", now: datetime | None = None) -> dict:
    """Insert the demo register (audited as one `demo.load` entry), then play its last days before
    `now` through the services (warehouse/demo_day.py), all in the caller's transaction."""
    why = _refusal(session)
    if why:
        raise Refused(why)
    data = plan()
    for depth in range(1, 7):  # parents first: the tree is at most six levels deep
        level = [r for r in data["locations"] if r["path"].count("/") - 1 == depth]
        parents = _ids(session, Location, "code", {r["parent"] for r in level if r["parent"]})
        if level:
            session.execute(insert(Location), [
                {k: v for k, v in r.items() if k != "parent"} | {"parent_id": parents.get(r["parent"])}
                for r in level])
    agencies = _insert_agencies(session)
    fonds = _insert_fonds(session, agencies)
    shelves = _ids(session, Location, "code", {b["home"] for b in data["boxes"]})
    session.execute(insert(Box), [
        {"code": b["code"], "fonds_id": fonds[b["fonds"]], "number": b["number"], "epc": b["epc"],
         "home_id": shelves[b["home"]], "condition": b["condition"], "condition_note": b["condition_note"]}
        for b in data["boxes"]])
    boxes = _ids(session, Box, "code", [b["code"] for b in data["boxes"]])
    session.execute(insert(File), [
        {k: v for k, v in f.items() if k not in ("fonds", "box")}
        | {"fonds_id": fonds[f["fonds"]], "box_id": boxes[f"{f['fonds']}-H{f['box']:04d}"]}
        for f in data["files"]])
    counts = {"locations": len(data["locations"]), "agencies": len(AGENCIES), "fonds": len(FONDS),
              "boxes": len(data["boxes"]), "files": len(data["files"])}
    audit.record(session, actor, "demo.load", f"location:{STORE[0]}", seed=SEED, **counts)
    return counts | demo_day.play(session, actor, now or utcnow())


def _insert_agencies(session: Session) -> dict[int, int]:
    """The three agencies, successors linked once all have ids: index → id."""
    session.execute(insert(Agency), [
        {"name": name, "name_key": fold(name), "status": status, "ended_on": ended, "decision": decision}
        for name, status, _succ, ended, decision in AGENCIES])
    ids = _ids(session, Agency, "name_key", [fold(a[0]) for a in AGENCIES])
    by_index = {i: ids[fold(a[0])] for i, a in enumerate(AGENCIES)}
    for i, (_name, _status, successor, _ended, _decision) in enumerate(AGENCIES):
        if successor is not None:
            session.execute(update(Agency).where(Agency.id == by_index[i])
                            .values(successor_id=by_index[successor]))
    return by_index


def _insert_fonds(session: Session, agencies: dict[int, int]) -> dict[str, int]:
    """The fonds (the dissolved agency's closed) and their mục lục số 1: code → id."""
    session.execute(insert(Fonds), [
        {"code": code, "name": name, "name_key": fold(name), "agency_id": agencies[agency],
         "closed_on": ENDED if closed else None, "closing_decision": CLOSING if closed else ""}
        for code, name, agency, _count, _year, closed in FONDS])
    ids = _ids(session, Fonds, "code", [f[0] for f in FONDS])
    session.execute(insert(Catalogue), [{"fonds_id": i, "number": 1, "title": "Mục lục số 1"}
                                        for i in ids.values()])
    return ids

"""The round trip that proves labels scan and read: a sheet rendered to PDF, rasterised at 300 dpi
(pdftoppm), every Code128 and QR decoded (zxing-cpp on the page, pyzbar on each label) — exactly the
codes asked for — and the text read back (pdftotext) with its Vietnamese marks intact."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections import Counter
from datetime import date

import pytest

from warehouse.models import Agency, Box, Catalogue, File, Fonds, Location
from warehouse.text import fold

AGENCY = "Trường Đại học Sư phạm Đà Nẵng"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                                   reason="poppler-utils (pdftoppm, pdftotext) not installed")


def place(s, code, name, kind, parent=None) -> Location:
    loc = Location(code=code, name=name, name_key=fold(name), kind=kind, parent_id=parent.id if parent else None,
                   path=(parent.path if parent else "/") + code + "/")
    s.add(loc)
    s.flush()
    return loc


def seed_store(db, boxes: int = 5) -> dict:
    """A store K01 › room › row › rack › 3 shelves, a gate and a checkpoint; fonds P012 of an agency whose
    name has đ, ơ and ư, with `boxes` boxes of 3 files each (box 2 has no files), homed on the shelves."""
    with db.transaction() as s:
        agency = Agency(name=AGENCY, name_key=fold(AGENCY))
        s.add(agency)
        s.flush()
        fonds = Fonds(code="P012", name="Phông Trường Sư phạm", name_key=fold("Phông Trường Sư phạm"),
                      agency_id=agency.id)
        fonds.catalogues.append(Catalogue(number=1, title=""))
        other = Fonds(code="P9", name="Phông Ủy ban nhân dân xã", name_key=fold("Phông Ủy ban nhân dân xã"))
        s.add_all([fonds, other])
        store = place(s, "K01", "Kho lưu trữ tỉnh", "kho")
        room = place(s, "K01-P01", "Phòng 1", "phong", store)
        row = place(s, "K01-P01-D01", "Dãy 1", "day", room)
        rack = place(s, "K01-P01-D01-G01", "Giá 1", "gia", row)
        shelves = [place(s, f"K01-P01-D01-G01-N0{n}", f"Ngăn {n}", "ngan", rack) for n in (1, 2, 3)]
        place(s, "K01-CONG", "Cổng chính", "cong", store)
        place(s, "K01-P01-DIEM1", "Điểm tuần tra 1", "diem", room)
        s.flush()
        made = [Box(code=f"P012-H{n:04d}", fonds_id=fonds.id, number=n, home_id=shelves[(n - 1) % 3].id)
                for n in range(1, boxes + 1)]
        made.append(Box(code="P9-H0001", fonds_id=other.id, number=1, home_id=shelves[0].id))
        s.add_all(made)
        s.flush()
        number = 0
        for box in made[:boxes]:
            if box.number == 2:
                continue
            for k in range(3):
                number += 1
                s.add(File(fonds_id=fonds.id, catalogue=1, box_id=box.id, position=number, number=f"{number:02d}",
                           title=f"Hồ sơ số {number}", title_key=fold(f"Hồ sơ số {number}"),
                           start_date=date(1990 + box.number, 1, 1), end_date=date(1995 + box.number + k, 6, 30),
                           retention=("Vĩnh viễn" if box.number == 1 and k == 1 else f"{10 * (k + 1)} năm")))
    return {"boxes": [f"P012-H{n:04d}" for n in range(1, boxes + 1)]}


def rasterise(pdf, tmp_path, dpi: int = 300) -> list:
    """Every page as a greyscale PIL image (pdftoppm)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]


def decode_pages(pages) -> Counter:
    """(symbology, text) of every barcode zxing-cpp finds on the pages."""
    import zxingcpp

    kinds = {"Code128": "code128", "QRCode": "qr"}
    found: Counter = Counter()
    for page in pages:
        for hit in zxingcpp.read_barcodes(page, formats=(zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode)):
            found[(kinds[hit.format.name], hit.text)] += 1
    return found


def decode_slots(pages, template) -> list[set]:
    """What pyzbar reads in each label's own rectangle, slot by slot (a second decoder, and placement)."""
    from pyzbar import pyzbar

    px = 300 / 25.4
    out = []
    for page in pages:
        for index in range(template.per_page):
            left, top = template.slot(index)
            box = (round(left * px), round(top * px), round((left + template.label[0]) * px),
                   round((top + template.label[1]) * px))
            out.append({(h.type, h.data.decode()) for h in pyzbar.decode(page.crop(box))})
    return out


def expected(codes) -> Counter:
    return Counter({(kind, code): 1 for code in codes for kind in ("code128", "qr")})


def pdf_text(pdf) -> str:
    """The text in drawing order (label after label)."""
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@needs_poppler
def test_a_sheet_of_box_labels_decodes_to_exactly_the_boxes_asked_for(db, runner, tmp_path):
    seed_store(db, boxes=30)
    asked = [f"P012-H{n:04d}" for n in (3, 1, 7, 12, 25, 26, 27, 28, 29, 30)] + ["P9-H0001"]
    out = tmp_path / "labels.pdf"
    result = runner.invoke(args=["labels", "pdf", "--boxes", ",".join(asked), "--out", str(out),
                                 "--template", "a4-2x7", "--json"])
    assert result.exit_code == 0, result.output
    pages = rasterise(out, tmp_path)
    assert len(pages) == 1
    assert decode_pages(pages) == expected(asked)
    from labels import BUILT_IN

    slots = decode_slots(pages, BUILT_IN["a4-2x7"])
    assert slots[:len(asked)] == [{("CODE128", c), ("QRCODE", c)} for c in asked]
    assert all(not s for s in slots[len(asked):])


@needs_poppler
def test_a_fonds_over_two_pages_decodes_to_all_its_boxes(db, runner, tmp_path):
    seed_store(db, boxes=30)
    out = tmp_path / "fonds.pdf"
    result = runner.invoke(args=["labels", "pdf", "--fonds", "P012", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = rasterise(out, tmp_path)
    assert len(pages) == 2  # 30 labels on 24-label sheets
    assert decode_pages(pages) == expected(f"P012-H{n:04d}" for n in range(1, 31))


@needs_poppler
def test_location_labels_decode_to_the_locations_under_the_prefix_and_no_box(db, runner, tmp_path):
    seed_store(db)
    out = tmp_path / "shelves.pdf"
    result = runner.invoke(args=["labels", "pdf", "--locations", "K01-P01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    codes = ["K01-P01", "K01-P01-D01", "K01-P01-D01-G01", "K01-P01-D01-G01-N01", "K01-P01-D01-G01-N02",
             "K01-P01-D01-G01-N03", "K01-P01-DIEM1"]
    assert decode_pages(rasterise(out, tmp_path)) == expected(codes)


@needs_poppler
def test_the_text_reads_back_with_its_diacritics(db, runner, tmp_path):
    seed_store(db)
    out = tmp_path / "text.pdf"
    assert runner.invoke(args=["labels", "pdf", "--boxes", "P012-H0001,P012-H0002", "--out", str(out),
                               "--template", "a4-2x4"]).exit_code == 0
    text = unicodedata.normalize("NFC", pdf_text(out))
    for words in (AGENCY, "HỘP SỐ 1", "HỘP SỐ 2", "Từ hồ sơ số 01 Đến hồ sơ số 03", "Thời gian: 1991 – 1998",
                  "Thời hạn bảo quản: Vĩnh viễn", "P012-H0001", "P012-H0002"):
        assert words in text, words
    assert "Từ hồ sơ số" not in text.split("HỘP SỐ 2", 1)[1], "box 2 has no files: no range"


@needs_poppler
def test_location_text_reads_back(db, runner, tmp_path):
    seed_store(db)
    out = tmp_path / "gate.pdf"
    assert runner.invoke(args=["labels", "pdf", "--locations", "K01-CONG", "--out", str(out)]).exit_code == 0
    text = unicodedata.normalize("NFC", pdf_text(out))
    assert all(w in text for w in ("Kho lưu trữ tỉnh", "Cổng chính", "Cổng", "K01-CONG"))

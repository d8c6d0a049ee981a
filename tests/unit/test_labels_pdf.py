"""PDF sheets and PNG previews: pages as the grid fills, progress page by page, the fonts embedded,
lines wrapped evenly."""

import io
import re

from labels import BUILT_IN, Label, layout, pdf, png

LINES = ("Trường Đại học Sư phạm Đà Nẵng", "HỘP SỐ 1", "Từ hồ sơ số 01 Đến hồ sơ số 03")


def labels(n: int) -> list[Label]:
    return [Label(f"P1-H{i:04d}", LINES, (1,)) for i in range(1, n + 1)]


def test_a_sheet_fills_page_after_page_and_reports_progress_per_page():
    seen, out = [], io.BytesIO()
    count = pdf.render(labels(50), BUILT_IN["a4-3x8"], out, total=50, progress=lambda d, t: seen.append((d, t)))
    data = out.getvalue()
    assert count == 50 and seen == [(24, 50), (48, 50), (50, 50)]
    assert len(re.findall(rb"/Type /Page(?!s)", data)) == 3


def test_the_dejavu_faces_are_embedded_as_subsets():
    out = io.BytesIO()
    pdf.render(labels(1), BUILT_IN["a4-2x4"], out)
    data = out.getvalue()
    assert b"/FontFile2" in data and b"/ToUnicode" in data
    assert re.search(rb"/FontName /[A-Z]{6}\+DejaVuSans ", data) and re.search(rb"/[A-Z]{6}\+DejaVuSans-Bold", data)


def test_an_empty_selection_still_makes_a_valid_page():
    out = io.BytesIO()
    assert pdf.render([], BUILT_IN["a4-3x8"], out) == 0
    assert out.getvalue().startswith(b"%PDF") and b"/Type /Page" in out.getvalue()


def test_a_png_preview_is_the_labels_size_at_its_resolution():
    from PIL import Image

    image = Image.open(io.BytesIO(png.render(labels(1)[0], BUILT_IN["thermal-100x50"], dpi=203)))
    assert image.size == (799, 400)


def test_a_long_line_wraps_into_even_lines():
    lines = layout.balanced("Sở Tài nguyên và Môi trường tỉnh Đồng Nai", False, 8, 45)
    greedy = layout.wrap("Sở Tài nguyên và Môi trường tỉnh Đồng Nai", False, 8, 45)
    assert len(lines) == len(greedy) == 2 and " ".join(lines) == " ".join(greedy)
    widths = [layout.fonts.width(line, False, 8) for line in lines]
    assert max(widths) - min(widths) < 15

"""What a label encodes: the Code128 modules (read back with the standard's tables) and the QR matrix
(read back by a decoder), and how the layout sizes them so that they scan."""

import pytest
from barcode.charsets.code128 import CODES, STOP

from labels import BUILT_IN, Label, LabelError, layout, symbols

CODES_TO_TRY = ["P012-H0007", "K01-P01-D01-G01-N01", "K01-CONG", "P1/2.A-H0001", "12345678"]


def read_code128(modules: str) -> str:
    """Decode Code128 modules with the standard's symbol table: start, data, checksum, stop."""
    assert modules.endswith(STOP + "11"), "ends with the stop pattern and its termination bar"
    body = modules[:-13]
    assert len(body) % 11 == 0
    values = [CODES.index(body[i:i + 11]) for i in range(0, len(body), 11)]
    start, *data, check = values
    assert check == (start + sum(i * v for i, v in enumerate(data, 1))) % 103, "checksum"
    subset, out = {103: "A", 104: "B", 105: "C"}[start], []
    for v in data:
        if subset == "C" and v < 100:
            out.append(f"{v:02d}")
        elif subset != "C" and v == 99 or subset != "A" and v == 101 or subset != "B" and v == 100:
            subset = {99: "C", 100: "B", 101: "A"}[v]
        else:
            out.append(chr(v + 32) if subset == "B" or v < 64 else chr(v - 64))
    return "".join(out)


@pytest.mark.parametrize("code", CODES_TO_TRY)
def test_the_code128_modules_read_back_as_the_code(code):
    assert read_code128(symbols.code128(code)) == code


def test_a_run_of_digits_is_packed_in_subset_c():
    digits, letters = symbols.code128("12345678"), symbols.code128("ABCDEFGH")
    assert len(digits) < len(letters)


@pytest.mark.parametrize("code", CODES_TO_TRY)
def test_the_qr_matrix_decodes_to_the_code(code):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    rows = symbols.qr(code)
    scale, border = 8, 4
    size = (len(rows) + 2 * border) * scale
    image = Image.new("L", (size, size), 255)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                image.paste(0, ((c + border) * scale, (r + border) * scale,
                                (c + border + 1) * scale, (r + border + 1) * scale))
    found = zxingcpp.read_barcodes(image)
    assert [(str(f.format), f.text) for f in found] == [("QR Code", code)]


@pytest.mark.parametrize(("row", "expected"), [
    ("", []), ("0000", []), ("1", [(0, 1)]), ("0110011", [(1, 2), (5, 2)]), (b"\x01\x00\x01\x01", [(0, 1), (2, 2)]),
])
def test_runs_of_dark_modules(row, expected):
    assert symbols.runs(row) == expected


def _bars(drawing):
    return next(i for i in drawing.items if isinstance(i, layout.Bars))


def _qr(drawing):
    return next(i for i in drawing.items if isinstance(i, layout.Squares))


SHELF = "K01-P01-D01-G01-N01"  # a shelf in a room: the longest code of the contract's scheme
NARROW = {"a4-3x7"}  # 63.5 mm: box codes only
PAIRS = [(t, c) for t in sorted(BUILT_IN) for c in ("P012-H0007", SHELF) if not (t in NARROW and c == SHELF)]


@pytest.mark.parametrize(("template", "code"), PAIRS)
def test_the_narrow_bar_is_at_least_three_pixels_at_300_dpi_and_a_whole_number_of_them(template, code):
    width, height = BUILT_IN[template].label
    drawing = layout.compose(Label(code, ("Kho",)), width, height)
    bars = _bars(drawing)
    pixels = bars.module / (25.4 / 300)
    assert pixels >= 3 - 1e-9 and abs(pixels - round(pixels)) < 1e-9
    assert read_code128(bars.modules) == code


@pytest.mark.parametrize("template", sorted(set(BUILT_IN) - NARROW))
def test_symbols_keep_their_quiet_zones_inside_the_label(template):
    width, height = BUILT_IN[template].label
    drawing = layout.compose(Label("K01-P01-D01-G01-N01", ("Kho lưu trữ", "Ngăn 1", "Ngăn (đợt)"), (1,)),
                             width, height)
    bars, qr = _bars(drawing), _qr(drawing)
    quiet = symbols.CODE128_QUIET * bars.module
    assert bars.x - quiet >= 0 and bars.x + len(bars.modules) * bars.module + quiet <= width
    assert bars.y + bars.height <= height
    qr_side = len(qr.rows) * qr.module
    assert qr.x + qr_side <= width and qr.y >= 0
    assert qr.y + qr_side + symbols.QR_QUIET * qr.module <= bars.y + 1e-9, "clear of the bars"
    for text in (i for i in drawing.items if isinstance(i, layout.Text) and i.baseline < bars.y):
        assert text.x + text.width <= qr.x - symbols.QR_QUIET * qr.module, "clear of the QR"


def test_the_code_is_written_under_the_bars():
    drawing = layout.compose(Label("P012-H0007", ("A",)), 70, 37)
    under = [i for i in drawing.items if isinstance(i, layout.Text) and i.baseline > _bars(drawing).y]
    assert [t.text for t in under] == ["P012-H0007"]


@pytest.mark.parametrize(("code", "template"), [("K01-P01-D01-G01-N01-X0001", "a4-3x8"), (SHELF, "a4-3x7")])
def test_a_code_too_long_for_the_label_is_refused_with_the_width_it_needs(code, template):
    with pytest.raises(LabelError, match=rf"{code} needs \d+\.\d mm.*wider template"):
        layout.compose(Label(code, ()), *BUILT_IN[template].label)


def test_a_printer_at_203_dpi_gets_whole_dots_no_narrower_than_a_quarter_millimetre():
    bars = _bars(layout.compose(Label("P012-H0007", ()), 100, 50, grid=25.4 / 203))
    dots = bars.module / (25.4 / 203)
    assert abs(dots - round(dots)) < 1e-9 and bars.module >= 0.25 - 1e-3


def test_long_lines_wrap_and_every_line_fits_its_box():
    name = "Trường Đại học Sư phạm Đà Nẵng thuộc Đại học Đà Nẵng"
    label = Label("P012-H0007", (name, "HỘP SỐ 7", "Từ hồ sơ số 1 Đến hồ sơ số 12"), (1,))
    drawing = layout.compose(label, 70, 37)
    texts = [i for i in drawing.items if isinstance(i, layout.Text)][:-1]
    assert len(texts) > 3, "the name takes more than one line"
    assert " ".join(t.text for t in texts[:len(texts) - 2]) == name
    for t in texts:
        assert layout.fonts.width(t.text, t.bold, t.size) <= t.width + 1e-6
    assert texts[-2].bold and texts[-2].size > texts[0].size


def test_text_that_cannot_fit_ends_with_an_ellipsis():
    label = Label("P1-H0001", tuple(f"dòng số {n} khá dài để không vừa" for n in range(30)))
    rows = layout.fit(label, 30, 10, 8)
    assert rows and rows[-1][0].endswith("…") and len(rows) < 30

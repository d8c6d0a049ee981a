"""ZPL as the printer gets it: one ^XA … ^XZ per label, the code in ^BC and ^BQ, the text in UTF-8
behind ^FH escapes (the stream stays ASCII) and, for RFID printers, the EPC in ^RFW."""

import re

import pytest

from labels import BUILT_IN, Label, LabelError, zpl

THERMAL = BUILT_IN["thermal-100x50"]
LINES = ("Trường Đại học Sư phạm Đà Nẵng", "HỘP SỐ 7", "Từ hồ sơ số 01 Đến hồ sơ số 12")
EPC = "3414257BF400000000BC6038"


def unescape(field: str) -> str:
    """Undo ^FH's _XX escapes into the UTF-8 text they carry."""
    return re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]), field.encode("ascii")).decode("utf-8")


def fields(text: str, command: str) -> list[str]:
    return re.findall(rf"{re.escape(command)}[^\n]*?\^FD(.*?)\^FS", text)


def test_a_label_is_one_format_with_utf8_and_the_labels_size_in_dots():
    text = zpl.label(Label("P012-H0007", LINES, (1,)), THERMAL, dpi=203)
    assert text.startswith("^XA\n^CI28\n") and text.endswith("^XZ\n")
    assert "^PW799\n" in text and "^LL400\n" in text  # 100 × 50 mm at 203 dpi


def test_the_code_goes_into_the_code128_and_the_qr():
    text = zpl.label(Label("P012-H0007", LINES, (1,)), THERMAL)
    assert fields(text, "^BCN") == ["P012-H0007"]
    assert fields(text, "^BQN,2") == ["MA,P012-H0007"]
    assert re.search(r"\^BY(\d+),3,\d+\^BCN", text)[1] in ("2", "3", "4")


def test_vietnamese_text_is_escaped_utf8_and_reads_back_intact():
    text = zpl.label(Label("P012-H0007", LINES, (1,)), THERMAL)
    text.encode("ascii")
    written = [unescape(f) for f in fields(text, "^FH")]
    assert written[:3] == list(LINES) and written[-1] == "P012-H0007"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("abc 123", "abc 123"), ("a_b", "a_5Fb"), ("x^y~z", "x_5Ey_7Ez"), ("Đ", "_C4_90"), ("ộ", "_E1_BB_99"),
])
def test_field_escapes(raw, escaped):
    assert zpl.escape(raw) == escaped


def test_an_rfid_label_writes_the_epc_to_the_tag_before_the_end():
    text = zpl.label(Label("P012-H0007", LINES, (1,), epc=EPC), THERMAL, rfid=True)
    assert f"^RS8^RFW,H,,,A^FD{EPC}^FS\n^XZ\n" in text
    assert "^RFW" not in zpl.label(Label("P012-H0007", LINES, (1,), epc=EPC), THERMAL)


def test_an_rfid_label_without_an_epc_is_refused():
    with pytest.raises(LabelError, match="P012-H0007 has no EPC"):
        zpl.label(Label("P012-H0007", LINES), THERMAL, rfid=True)


def test_a_printer_font_is_named_in_each_text_field():
    text = zpl.label(Label("P1-H0001", ("Hộp",)), THERMAL, font="E:DEJAVU.TTF")
    assert re.search(r"\^A@N,\d+,\d+,E:DEJAVU\.TTF\^FB", text) and "^A0N" not in text


def test_many_labels_follow_one_another_with_progress():
    seen = []
    data = zpl.render([Label(f"P1-H{n:04d}", ("Hộp",)) for n in range(1, 251)], THERMAL, total=250,
                      progress=lambda done, total: seen.append((done, total)))
    assert data.count(b"^XA") == data.count(b"^XZ") == 250
    assert seen == [(100, 250), (200, 250), (250, 250)]


def test_an_unknown_resolution_is_refused():
    with pytest.raises(LabelError, match="250 dpi"):
        zpl.label(Label("P1-H0001", ()), THERMAL, dpi=250)


def test_a_font_download_stores_the_ttf_in_hex():
    data = zpl.font_download(b"\x00\x01\xff", "e:dejavu.ttf")
    assert data == b"~DYE:DEJAVU,A,T,3,,0001FF\n"
    with pytest.raises(LabelError):
        zpl.font_download(b"", "DEJAVU")


@pytest.mark.parametrize(("value", "address"), [
    ("10.0.0.7", ("10.0.0.7", 9100)), ("printer-1.local:6101", ("printer-1.local", 6101)),
    ("[::1]:9100", ("::1", 9100)), (" zebra ", ("zebra", 9100)),
])
def test_printer_addresses(value, address):
    assert zpl.printer_address(value) == address


@pytest.mark.parametrize("value", ["", "host:0", "host:99999", "a b", "http://x"])
def test_bad_printer_addresses_are_refused(value):
    with pytest.raises(LabelError, match="HOST:PORT"):
        zpl.printer_address(value)


def test_a_label_code_that_zpl_would_misread_is_refused():
    with pytest.raises(LabelError):
        Label("P1^XZ", ())
    with pytest.raises(LabelError):
        Label("HỘP-1", ())

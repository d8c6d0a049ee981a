"""Cutting serial bytes into codes: split frames, line noise, empty frames, suffixes."""

import pytest

from scanner.frames import MAX_FRAME, Framer, clean


@pytest.mark.parametrize("frame, code, noisy", [
    (b"P012-H0007", "P012-H0007", False),
    (b"  P012-H0007 \n", "P012-H0007", False),  # blanks around a frame are not noise
    (b"\x00\xff\xfeP012-H0007", "P012-H0007", True),  # garbage before a frame
    (b"P012-\x07H0007", "P012-H0007", True),
    (b"K01-P01-D01-G01-N01", "K01-P01-D01-G01-N01", False),
    (b"", None, False),
    (b"\x00\x13\x88", None, True),
    (b"m\xc3\xa3 h\xe1\xbb\x99p", "m hp", True),  # UTF-8 text is not a barcode code
])
def test_a_frame_keeps_printable_ascii_and_reports_what_it_dropped(frame, code, noisy):
    got, error = clean(frame)
    assert got == code
    assert (error is not None) == noisy


def test_a_prefix_is_stripped_when_present():
    assert clean(b"]C1P012-H0007", "]C1") == ("P012-H0007", None)
    assert clean(b"P012-H0007", "]C1") == ("P012-H0007", None)


def test_a_frame_split_across_reads_is_joined():
    framer = Framer("CR")
    assert framer.feed(b"P012-") == ([], [])
    assert framer.feed(b"H00") == ([], [])
    assert framer.feed(b"07\rP012-H0008\rP0") == (["P012-H0007", "P012-H0008"], [])
    assert framer.feed(b"12-H0009\r") == (["P012-H0009"], [])


def test_a_crlf_suffix_split_between_reads_still_ends_the_frame():
    framer = Framer("CRLF")
    assert framer.feed(b"P012-H0007\r") == ([], [])
    assert framer.feed(b"\nP012-H0008\r\n") == (["P012-H0007", "P012-H0008"], [])


def test_empty_frames_are_skipped_silently_and_noise_is_reported():
    framer = Framer("CR")
    codes, errors = framer.feed(b"\r\r\x00\xff\rP012-H0007\r\x1b\x1bP012-H0008\r")
    assert codes == ["P012-H0007", "P012-H0008"]
    assert len(errors) == 2
    assert all(e.startswith("line noise") for e in errors)


def test_a_scanner_sending_crlf_to_a_cr_port_loses_nothing():
    framer = Framer("CR")
    assert framer.feed(b"P012-H0007\r\nP012-H0008\r\n") == (["P012-H0007", "P012-H0008"], [])


@pytest.mark.parametrize("suffix, ending", [("LF", b"\n"), ("TAB", b"\t"), ("CRLF", b"\r\n")])
def test_each_suffix_ends_a_frame(suffix, ending):
    assert Framer(suffix).feed(b"A1" + ending + b"B2" + ending) == (["A1", "B2"], [])


def test_without_a_suffix_a_pause_ends_the_frame():
    framer = Framer("NONE")
    assert framer.feed(b"P012-H00") == ([], [])
    assert framer.feed(b"07") == ([], [])
    assert framer.flush() == (["P012-H0007"], [])
    assert framer.flush() == ([], [])


def test_with_a_suffix_a_pause_does_not_cut_a_frame():
    framer = Framer("CR")
    framer.feed(b"P012-H00")
    assert framer.flush() == ([], [])
    assert framer.feed(b"07\r") == (["P012-H0007"], [])


def test_a_run_without_suffix_longer_than_any_code_is_dropped_as_noise():
    framer = Framer("CR")
    codes, errors = framer.feed(b"\x55" * (MAX_FRAME + 1))
    assert codes == [] and len(errors) == 1
    assert framer.feed(b"P012-H0007\r") == (["P012-H0007"], [])


def test_an_unfinished_frame_is_reported_when_the_device_goes_away():
    framer = Framer("CR")
    framer.feed(b"P012-H00")
    assert "P012-H00" in framer.reset()
    assert framer.reset() is None
    assert framer.feed(b"P012-H0008\r") == (["P012-H0008"], [])

"""Checking scan events: what is refused as malformed (and why), what is kept as it came."""

from datetime import datetime

import pytest

from warehouse.scans.events import Malformed, as_json, check, decode_lines, refusal

GOOD = {"device": "HH-07", "seq": 1042, "code": "P012-H0007", "kind": "barcode",
        "at": "2026-03-01T08:15:02+07:00"}


def event(**changes):
    raw = dict(GOOD, **changes)
    return {k: v for k, v in raw.items() if v is not ...}


@pytest.mark.parametrize("raw, why", [
    ("not an object", "JSON object"),
    ([GOOD], "JSON object"),
    (event(device=...), "missing device"),
    (event(device=7), "device must be"),
    (event(device=""), "device must be"),
    (event(device="x" * 81), "longer than 80"),
    (event(seq=...), "missing seq"),
    (event(seq="1042"), "seq must be an integer"),
    (event(seq=1042.0), "seq must be an integer"),
    (event(seq=True), "seq must be an integer"),
    (event(seq=2**63), "64 bits"),
    (event(code=...), "missing code"),
    (event(code=42), "code must be"),
    (event(code=""), "code must be"),
    (event(code="x" * 201), "longer than 200"),
    (event(kind=...), "missing kind"),
    (event(kind="qr"), "kind must be"),
    (event(kind="rfid", code="P012-H0007"), "24 hexadecimal"),
    (event(kind="rfid", code="3474257BF40000000000162"), "24 hexadecimal"),
    (event(kind="rfid", code="3474257BF40000000000162EE"), "24 hexadecimal"),
    (event(kind="rfid", code="3474257BF40000000000162G"), "24 hexadecimal"),
    (event(at=...), "missing at"),
    (event(at=1772327702), "ISO 8601 string"),
    (event(at="yesterday"), "not an ISO 8601"),
    (event(at="2026-02-30T08:15:02+07:00"), "not an ISO 8601"),
    (event(at="2026-03-01T08:15:02"), "no UTC offset"),
    (event(at="2026-03-01"), "no UTC offset"),
    (event(location=5), "location must be"),
    (event(antenna="1"), "antenna must be an integer"),
    (event(antenna=True), "antenna must be an integer"),
    (event(context=[1]), "context must be a JSON object"),
    (event(context={"stocktake": "5"}), "context.stocktake"),
    (event(context={"stocktake": 0}), "context.stocktake"),
])
def test_a_malformed_event_is_refused_naming_the_field(raw, why):
    with pytest.raises(Malformed, match=why):
        check(raw, 1)


def test_a_good_event_keeps_what_came():
    got = check(event(location="K01-D02-G05-N03", antenna=2, context={"patrol": 3, "stocktake": 5}), 9)
    assert (got.device, got.seq, got.code, got.kind, got.line) == ("HH-07", 1042, "P012-H0007", "barcode", 9)
    assert got.utc == datetime(2026, 3, 1, 1, 15, 2) and got.offset == 420
    assert (got.location, got.antenna, got.stocktake) == ("K01-D02-G05-N03", 2, 5)
    assert got.as_json() == event(location="K01-D02-G05-N03", antenna=2, context={"patrol": 3, "stocktake": 5})


@pytest.mark.parametrize("at, utc, offset", [
    ("2026-03-01T01:15:02Z", datetime(2026, 3, 1, 1, 15, 2), 0),
    ("2026-03-01T01:15:02.250+00:00", datetime(2026, 3, 1, 1, 15, 2, 250000), 0),
    ("2026-02-28T20:45:02-04:30", datetime(2026, 3, 1, 1, 15, 2), -270),
])
def test_times_keep_their_instant_and_their_offset(at, utc, offset):
    got = check(event(at=at), 1)
    assert (got.utc, got.offset) == (utc, offset)
    assert datetime.fromisoformat(got.as_json()["at"]) == datetime.fromisoformat(at)


def test_an_rfid_code_of_either_case_is_an_epc():
    assert check(event(kind="rfid", code="3474257bf40000000000162e"), 1).code == "3474257bf40000000000162e"


def test_the_same_event_has_the_same_content_and_another_does_not():
    assert check(GOOD, 1).content == check(dict(GOOD), 2).content
    assert check(GOOD, 1).content != check(event(code="P012-H0008"), 1).content
    assert check(GOOD, 1).content != check(event(at="2026-03-01T01:15:02+00:00"), 1).content
    assert check(event(context={"a": 1, "b": 2}), 1).content == check(event(context={"b": 2, "a": 1}), 1).content


def test_unknown_fields_are_ignored():
    assert check(event(rssi=-61), 1).content == check(GOOD, 1).content


def test_a_stocktake_given_for_the_batch_fills_a_missing_context_only():
    assert check(GOOD, 1, stocktake=5).stocktake == 5
    assert check(GOOD, 1, stocktake=5).as_json()["context"] == {"stocktake": 5}
    assert check(event(context={"stocktake": 2}), 1, stocktake=5).stocktake == 2
    assert check(event(context={"patrol": 1}), 1, stocktake=5).stocktake is None


def test_a_refusal_names_device_and_seq_when_they_are_there():
    assert refusal(event(code=...), 3, "missing code") == {"device": "HH-07", "seq": 1042, "line": 3,
                                                          "error": "missing code"}
    assert refusal({"device": 5, "seq": "x"}, 4, "e") == {"device": None, "seq": None, "line": 4, "error": "e"}
    assert refusal("junk", 5, "e")["device"] is None


def test_lines_that_are_not_json_are_refused_with_their_number_and_blank_lines_skipped():
    raws, lines, refused = decode_lines([(1, '{"a": 1}\n'), (2, "\n"), (3, "{oops\n"), (4, "[1]\n")])
    assert raws == [{"a": 1}, [1]] and lines == [1, 4]
    assert [(r["line"], r["device"], r["seq"]) for r in refused] == [(3, None, None)]
    assert refused[0]["error"].startswith("bad JSON")


def test_a_stored_event_comes_back_as_json_with_its_offset():
    got = as_json("HH-07", 1, ("X", "barcode", datetime(2026, 3, 1, 1, 15, 2), 420, None, None, None))
    assert got == {"device": "HH-07", "seq": 1, "code": "X", "kind": "barcode", "at": "2026-03-01T08:15:02+07:00"}

"""The parser chain: each scanned string is claimed by the first parser it belongs to, or is unknown."""

import pytest

from warehouse.scans import codes, giai96

PREFIX = "8930000"
PARSERS = codes.chain(PREFIX)
KHO_TAG = giai96.box_to_epc("P012", 9, PREFIX)
CATALOG = codes.Catalog(
    box_codes={"P012-H0007": 7, "OLD/77": 77},
    epcs={"E2801160600002084A5DE1C5": 8},
    box_numbers={("P012", 9): 9, ("P012", 5): 5},
    locations={"K01": (1, "kho"), "K01-D02": (2, "day"), "K01-D02-G05": (3, "gia"),
               "K01-D02-G05-N03": (4, "ngan"), "K01-C1": (5, "cong"), "K01-DIEM-2": (6, "diem")},
)


@pytest.mark.parametrize("code, kind, reading, id_, parser", [
    ("P012-H0007", "barcode", "box", 7, "box code"),
    ("p012-h0007\r", "barcode", "box", 7, "box code"),
    ("OLD/77", "barcode", "box", 77, "box code"),
    ("K01-D02-G05-N03", "barcode", "place", 4, "location code"),
    ("K01-D02", "barcode", "place", 2, "location code"),
    ("K01", "barcode", "place", 1, "location code"),
    ("K01-C1", "barcode", "gate", 5, "gate or checkpoint"),
    ("K01-DIEM-2", "barcode", "checkpoint", 6, "gate or checkpoint"),
    ("E2801160600002084A5DE1C5", "rfid", "box", 8, "EPC"),
    ("e2801160600002084a5de1c5", "rfid", "box", 8, "EPC"),
    ("E2801160600002084A5DE1C5", "barcode", "box", 8, "EPC"),  # a QR that carries the EPC
    (KHO_TAG, "rfid", "box", 9, "GIAI-96"),
    (KHO_TAG.lower(), "rfid", "box", 9, "GIAI-96"),
    (giai96.decode(KHO_TAG).uri, "barcode", "box", 9, "GIAI-96"),
    ("P012-H5", "barcode", "box", 5, "legacy code"),
    ("P012/H0005", "barcode", "box", 5, "legacy code"),
    ("P012 HOP 5", "barcode", "box", 5, "legacy code"),
    ("P012-H0005", "barcode", "box", 5, "legacy code"),  # no box carries that code: found by number
])
def test_a_code_is_claimed_by_the_parser_it_belongs_to(code, kind, reading, id_, parser):
    found = codes.resolve(code, kind, CATALOG, PARSERS)
    assert (found.reading, found.id, found.parser) == (reading, id_, parser)


@pytest.mark.parametrize("code, kind", [
    ("P099-H0001", "barcode"),  # a box code no box carries, of a fonds with no such box
    ("K09-D01", "barcode"),  # a location Kho does not know
    ("E2801160600002084A5DE1C6", "rfid"),  # a foreign tag
    (giai96.box_to_epc("P012", 9, "0614141"), "rfid"),  # a Kho-style tag of another company
    (giai96.box_to_epc("P012", 4, PREFIX), "rfid"),  # a Kho tag of a box the register lacks
    ("P012-H0007", "rfid"),  # an rfid read is an EPC, never a box code
    ("hello", "barcode"),
])
def test_a_code_no_parser_claims_is_unknown(code, kind):
    assert codes.resolve(code, kind, CATALOG, PARSERS) == codes.UNKNOWN


def test_the_chain_asks_for_every_key_it_may_need_at_once():
    wanted = codes.wants([("p012-h0007", "barcode"), (KHO_TAG, "rfid"), ("P012-H5", "barcode")],
                         ["k01-d02-g05-n03"], PARSERS)
    assert {"P012-H0007", "P012-H5"} <= wanted.box_codes
    assert KHO_TAG in wanted.epcs and ("P012", 9) in wanted.box_numbers and ("P012", 5) in wanted.box_numbers
    assert "K01-D02-G05-N03" in wanted.locations and "P012-H0007" in wanted.locations


def test_an_rfid_read_asks_for_no_box_code_or_location():
    wanted = codes.wants([("E2801160600002084A5DE1C5", "rfid")], [], PARSERS)
    assert not wanted.box_codes and not wanted.locations and wanted.epcs == {"E2801160600002084A5DE1C5"}


def test_a_stored_epc_wins_over_the_giai_rule():
    catalog = codes.Catalog(epcs={KHO_TAG: 1}, box_numbers={("P012", 9): 9})
    assert codes.resolve(KHO_TAG, "rfid", catalog, PARSERS).id == 1


@pytest.mark.parametrize("location, reading, id_", [
    ("K01-D02-G05-N03", "place", 4), ("K01-C1", "gate", 5), ("K01-DIEM-2", "checkpoint", 6),
    ("K77", "unknown", None),
])
def test_an_explicit_location_resolves_to_a_place_a_gate_a_checkpoint_or_unknown(location, reading, id_):
    found = codes.resolve_location(location, CATALOG)
    assert (found.reading, found.id) == (reading, id_)


def fake_loader(asked: list):
    """A loader over CATALOG that records what it was asked for."""

    def load(wanted: codes.Wanted, catalog: codes.Catalog) -> None:
        asked.append(wanted)
        catalog.box_codes.update((k, v) for k, v in CATALOG.box_codes.items() if k in wanted.box_codes)
        catalog.epcs.update((k, v) for k, v in CATALOG.epcs.items() if k in wanted.epcs)
        catalog.box_numbers.update((k, v) for k, v in CATALOG.box_numbers.items() if k in wanted.box_numbers)
        catalog.locations.update((k, v) for k, v in CATALOG.locations.items() if k in wanted.locations)

    return load


def test_a_later_parser_is_asked_only_about_codes_no_earlier_parser_claimed():
    asked: list = []
    reads = {("P012-H0007", "barcode"), ("P012-H5", "barcode"), ("K01-C1", "barcode")}
    meaning, where = codes.resolve_all(reads, {"K01-D02-G05"}, PARSERS, fake_loader(asked))
    assert {read: found.reading for read, found in meaning.items()} == {
        ("P012-H0007", "barcode"): "box", ("P012-H5", "barcode"): "box", ("K01-C1", "barcode"): "gate"}
    assert where["K01-D02-G05"].reading == "place"
    numbers = set().union(*(w.box_numbers for w in asked))
    assert numbers == {("P012", 5)}  # P012-H0007 was claimed by its box code first
    assert len(asked) <= 3


def test_what_earlier_batches_resolved_is_not_looked_up_again():
    asked: list = []
    known: dict = {}
    codes.resolve_all({("P012-H0007", "barcode"), ("NOPE", "barcode")}, set(), PARSERS, fake_loader(asked), known)
    asked.clear()
    meaning, _ = codes.resolve_all({("P012-H0007", "barcode"), ("NOPE", "barcode")}, set(), PARSERS,
                                   fake_loader(asked), known)
    assert asked == [] and meaning[("P012-H0007", "barcode")].id == 7 and meaning[("NOPE", "barcode")] == codes.UNKNOWN

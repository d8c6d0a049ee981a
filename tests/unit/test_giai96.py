"""GIAI-96: the Tag Data Standard's examples both ways, and Kho's reversible box rule."""

import pytest

from warehouse.scans import giai96

TDS_EXAMPLES = [
    ("urn:epc:tag:giai-96:3.0614141.5678", "3474257BF40000000000162E"),
    ("urn:epc:tag:giai-96:1.1234567.1", "34344B5A1C00000000000001"),
    ("urn:epc:tag:giai-96:0.0614141.12345400", "3414257BF400000000BC6038"),
]


@pytest.mark.parametrize("uri, epc", TDS_EXAMPLES)
def test_a_tag_uri_encodes_to_the_standards_hex(uri, epc):
    assert giai96.encode(giai96.parse_uri(uri)) == epc


@pytest.mark.parametrize("uri, epc", TDS_EXAMPLES)
def test_the_standards_hex_decodes_to_its_tag_uri(uri, epc):
    assert giai96.decode(epc).uri == uri
    assert giai96.decode(epc.lower()).uri == uri


def test_the_fields_of_a_decoded_tag():
    tag = giai96.decode("3474257BF40000000000162E")
    assert (tag.filter, tag.company_prefix, tag.asset_reference) == (3, "0614141", 5678)


@pytest.mark.parametrize("prefix", ["061414", "0614141", "06141412", "061414123", "0614141234",
                                    "06141412345", "061414123456"])
def test_every_partition_round_trips(prefix):
    tag = giai96.Giai96(5, prefix, 987654)
    assert giai96.decode(giai96.encode(tag)) == tag


@pytest.mark.parametrize("epc, why", [
    ("3074257BF7194E4000001A85", "not GIAI-96"),  # an SGTIN-96
    ("3474257BF40000000000162", "24 hexadecimal"),
    ("3474257BF40000000000162G", "24 hexadecimal"),
    ("341C257BF40000000000162E", "partition 7"),
])
def test_what_is_not_a_giai96_tag_is_refused_with_the_reason(epc, why):
    with pytest.raises(giai96.GiaiError, match=why):
        giai96.decode(epc)


@pytest.mark.parametrize("tag, why", [
    (giai96.Giai96(8, "0614141", 1), "filter"),
    (giai96.Giai96(0, "06141", 1), "company prefix"),
    (giai96.Giai96(0, "061414A", 1), "company prefix"),
    (giai96.Giai96(0, "0614141", 2**58), "does not fit"),
])
def test_a_tag_that_cannot_be_encoded_is_refused(tag, why):
    with pytest.raises(giai96.GiaiError, match=why):
        giai96.encode(tag)


def test_the_documented_example_of_the_box_rule():
    assert giai96.asset_reference("P012", 7) == 166568300007


@pytest.mark.parametrize("fonds, number", [("P012", 7), ("P001", 1), ("0", 99999), ("ZZZZZZZ", 99999),
                                           ("UB-ND", 12), ("A.1/2", 3), ("9", 40)])
def test_a_box_becomes_an_epc_and_the_epc_names_the_box_again(fonds, number):
    epc = giai96.box_to_epc(fonds, number, "8930000")
    assert len(epc) == 24 and giai96.decode(epc).company_prefix == "8930000"
    assert giai96.epc_to_box(epc, "8930000") == (fonds, number)
    assert giai96.epc_to_box(epc.lower(), "8930000") == (fonds, number)


def test_different_boxes_get_different_epcs():
    epcs = {giai96.box_to_epc(f, n, "8930000") for f in ("P1", "P01", "P10", "1P", "P001") for n in (1, 10, 100)}
    assert len(epcs) == 15


def test_a_tag_of_another_company_names_no_box():
    epc = giai96.box_to_epc("P012", 7, "8930000")
    assert giai96.epc_to_box(epc, "0614141") is None


def test_a_foreign_tag_or_noise_names_no_box():
    assert giai96.epc_to_box("E2801160600002084A5DE1C5", "8930000") is None
    assert giai96.epc_to_box("not an epc", "8930000") is None
    assert giai96.box_of_reference(5) is None  # box 5 of no fonds
    assert giai96.box_of_reference(166568300000) is None  # box 0


@pytest.mark.parametrize("fonds, number, why", [
    ("P012", 0, "box number"), ("P012", 100000, "box number"), ("p012", 1, "fonds code"),
    ("", 1, "fonds code"), ("P_1", 1, "fonds code"),
])
def test_a_box_outside_the_rule_is_refused(fonds, number, why):
    with pytest.raises(giai96.GiaiError, match=why):
        giai96.box_to_epc(fonds, number, "8930000")


def test_a_fonds_code_too_long_for_the_prefix_is_refused():
    with pytest.raises(giai96.GiaiError, match="does not fit"):
        giai96.box_to_epc("ZZZZZZZZ", 1, "8930000")

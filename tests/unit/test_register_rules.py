"""Pure rules of the register: agencies' statuses, codes and EPCs, restricted titles, box queries."""

import unicodedata
from datetime import date

import pytest

from warehouse.agencies import check_status, successor_loop
from warehouse.boxes import (
    box_code,
    check_file_values,
    clean_epc,
    is_restricted,
    retention_years,
    visible_title,
)
from warehouse.errors import Refused
from warehouse.fonds import fonds_code
from warehouse.search import box_terms, words

REGIMES = ["Hạn chế", "Mật", "Tối mật", "Tuyệt mật"]


@pytest.mark.parametrize("access", ["Hạn chế", "hạn chế", "HẠN CHẾ", "han che", " Mật ",
                                    unicodedata.normalize("NFD", "Tối mật"), "TUYET MAT"])
def test_access_regimes_are_recognised_whatever_their_accents_case_or_unicode_form(access):
    assert is_restricted(access, REGIMES)


@pytest.mark.parametrize("access", ["", None, "Thường", "Công khai", "Mật khẩu", "Hạn chế một phần"])
def test_other_access_regimes_are_not_restricted(access):
    assert not is_restricted(access, REGIMES)


def test_a_restricted_title_is_hidden_without_clearance_and_shown_with_it():
    assert visible_title("Hồ sơ thanh tra", "Mật", REGIMES, cleared=False) is None
    assert visible_title("Hồ sơ thanh tra", "Mật", REGIMES, cleared=True) == "Hồ sơ thanh tra"
    assert visible_title("Hồ sơ tuyển dụng", "Thường", REGIMES, cleared=False) == "Hồ sơ tuyển dụng"


def test_without_any_restricted_regime_configured_every_title_shows():
    assert visible_title("Hồ sơ", "Mật", [], cleared=False) == "Hồ sơ"


@pytest.mark.parametrize("status, successor, ended", [("active", None, None), ("merged", "Sở B", date(2025, 7, 1)),
                                                       ("dissolved", None, date(2025, 7, 1))])
def test_agency_statuses_that_hold_together(status, successor, ended):
    check_status(status, successor, ended)


@pytest.mark.parametrize("status, successor, ended, why", [
    ("active", "Sở B", None, "no successor"), ("active", None, date(2025, 1, 1), "no end date"),
    ("merged", None, date(2025, 1, 1), "successor"), ("merged", "Sở B", None, "date it ended"),
    ("dissolved", None, None, "date it ended"), ("closed", None, None, "unknown status")])
def test_agency_statuses_that_contradict_themselves_are_refused(status, successor, ended, why):
    with pytest.raises(Refused, match=why):
        check_status(status, successor, ended)


def test_a_successor_chain_that_leads_back_is_a_loop():
    chain = {1: None, 2: 3, 3: 1}
    assert successor_loop(1, 2, chain)  # 1 → 2 → 3 → 1
    assert successor_loop(1, 1, chain)
    assert not successor_loop(4, 2, chain)
    assert not successor_loop(1, 5, {5: 6, 6: 5})  # an old loop elsewhere does not hang


def test_box_codes_follow_the_fonds_and_four_digits():
    assert box_code("P012", 7) == "P012-H0007"
    assert box_code("P012", 12345) == "P012-H12345"


def test_fonds_codes_are_upper_cased_and_refused_with_spaces():
    assert fonds_code(" p012 ") == "P012"
    with pytest.raises(Refused, match="'P 012'"):
        fonds_code("P 012")


def test_epcs_are_24_hex_digits_kept_upper_case():
    assert clean_epc("e28011606000020400001a2b") == "E28011606000020400001A2B"
    assert clean_epc("  ") is None
    for bad in ("E2801160600002040000", "G28011606000020400001A2B", "E28011606000020400001A2B00"):
        with pytest.raises(Refused, match=bad):
            clean_epc(bad)


@pytest.mark.parametrize("query, terms", [("7", (None, 7)), ("Hộp 7", (None, 7)), ("hộp số 07", (None, 7)),
                                          ("P012 7", ("P012", 7)), ("p012 hop 7", ("P012", 7)),
                                          ("P012-H0007", (None, None)), ("ho so", (None, None)),
                                          ("a b 7", (None, None)), ("", (None, None))])
def test_a_box_number_is_read_from_what_people_type(query, terms):
    assert box_terms(query) == terms


def test_query_words_are_folded():
    assert words("  Hồ  SƠ đất ") == ["ho", "so", "dat"]


@pytest.mark.parametrize("retention, years", [("20 năm", 20), ("70 NĂM", 70), ("Vĩnh viễn", None),
                                              ("Đến khi văn bản hết hiệu lực thi hành", None), ("", None)])
def test_retention_years_are_read_from_the_wording(retention, years):
    assert retention_years(retention) == years


def test_a_file_that_ends_before_it_starts_is_refused():
    with pytest.raises(Refused, match="after it ends"):
        check_file_values({"number": "01", "title": "Hồ sơ", "start_date": date(2006, 1, 1),
                      "end_date": date(2005, 1, 1)})


def test_a_file_needs_its_number_and_title():
    with pytest.raises(Refused, match="number"):
        check_file_values({"number": " ", "title": "Hồ sơ"})
    with pytest.raises(Refused, match="title"):
        check_file_values({"number": "01", "title": ""})

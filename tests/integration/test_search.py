"""Search: accent- and case-insensitive on both databases, by code, EPC, fonds, number and title words,
never revealing a restricted title to a reader without clearance."""

import pytest

from tests.integration.register_seed import EPC, NFD_SECRET_TITLE, OPEN_TITLE, SECRET_TITLE, seed
from warehouse.search import search

REGIMES = ["Hạn chế", "Mật", "Tối mật", "Tuyệt mật"]


@pytest.fixture
def register(db):
    seed(db)
    return db


def _titles(db, query, cleared):
    with db.reading() as s:
        return [f.title for f in search(s, query, REGIMES, cleared).files]


def test_ho_so_finds_ho_so_with_its_accents(login, register):
    page = login("warehouse").get("/search?q=ho+so+giao").get_data(as_text=True)
    assert OPEN_TITLE in page and 'href="/boxes/P012-H0001#file-' in page


@pytest.mark.parametrize("query", ["đất", "dat", "ĐẤT", "DAT", "giao  ĐẤT", "ho gia dinh", "hồ sơ"])
def test_accents_case_and_spacing_do_not_matter(register, query):
    assert OPEN_TITLE in _titles(register, query, cleared=True)


def test_a_query_typed_in_decomposed_unicode_finds_the_same_files(register):
    import unicodedata

    assert _titles(register, unicodedata.normalize("NFD", "giao đất"), True) == [OPEN_TITLE]


def test_every_word_must_match(register):
    assert _titles(register, "giao dat", True) == [OPEN_TITLE]
    assert _titles(register, "giao thanh tra", True) == []


def test_like_wildcards_in_the_query_are_taken_literally(register):
    assert _titles(register, "%", True) == [] and _titles(register, "h_ so", True) == []


def test_a_title_search_never_reveals_restricted_files_to_the_warehouse_role(login, register):
    page = login("warehouse").get("/search?q=thanh+tra+dat").get_data(as_text=True)
    assert SECRET_TITLE not in page and "P012-H0001" not in page
    assert _titles(register, "thanh tra", cleared=False) == []
    assert _titles(register, "bao cao noi bo", cleared=False) == []  # access "MẬT" in NFD, upper case
    assert OPEN_TITLE in _titles(register, "ho so", cleared=False)


def test_archivists_find_restricted_files_by_their_title(login, register):
    page = login("archivist").get("/search?q=thanh+tra+dat").get_data(as_text=True)
    assert SECRET_TITLE in page
    assert _titles(register, "noi bo", cleared=True) == [NFD_SECRET_TITLE]


def test_a_restricted_file_found_by_its_number_shows_no_title(register):
    with register.reading() as s:
        found = search(s, "02", REGIMES, cleared=False)
    assert [(f.number, f.title) for f in found.files] == [("02", None)]


def test_boxes_are_found_by_code_epc_fonds_code_and_number(login, register):
    client = login("warehouse")
    assert "P012-H0003" in client.get("/search?q=p012-h0003").get_data(as_text=True)
    by_epc = client.get(f"/search?q={EPC.lower()}").get_data(as_text=True)
    assert "P012-H0001" in by_epc and "P012-H0002" not in by_epc
    by_number = client.get("/search?q=P012+2").get_data(as_text=True)
    assert "P012-H0002" in by_number and "P012-H0003" not in by_number
    assert "P012-H0003" in client.get("/search?q=H%E1%BB%99p+3").get_data(as_text=True)  # "Hộp 3"
    by_fonds = client.get("/search?q=P012").get_data(as_text=True)
    assert 'href="/fonds/P012"' in by_fonds
    by_name = client.get("/search?q=tai+nguyen+moi+truong").get_data(as_text=True)
    assert 'href="/fonds/P012"' in by_name and "Sở Tài nguyên và Môi trường" in by_name


def test_an_empty_query_finds_nothing_and_says_nothing(login, register):
    page = login("warehouse").get("/search?q=++").get_data(as_text=True)
    assert "Nothing found" not in page and "P012-H0001" not in page


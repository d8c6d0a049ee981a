"""The Vietnamese catalogue is whole: every msgid of the source is translated, fields kept, terms official."""

import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}
FIELDS = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|%%|\{\w*\}")
TAGS = re.compile(r"</?[a-z][^>]*>")


def _catalogue(lang: str):
    """The catalogue of `lang` as the translators left it."""
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


@pytest.fixture(scope="module")
def vi():
    return _catalogue("vi")


def _entries(catalogue):
    """(msgid, msgid_plural or None, msgstrs) of every message but the header."""
    for message in catalogue:
        if not message.id:
            continue
        if message.pluralizable:
            yield message.id[0], message.id[1], list(message.string)
        else:
            yield message.id, None, [message.string]


def _fields(text: str) -> list[str]:
    return sorted(FIELDS.findall(text))


def _source_msgids() -> set[str]:
    """The msgids pybabel extracts with babel.cfg (the `messages` target), run in-process."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_vietnamese_msgstr_is_filled(vi):
    empty = [msgid for msgid, _plural, strings in _entries(vi) if not all(s and s.strip() for s in strings)]
    assert empty == []
    assert not [m.id for m in vi if m.id and m.fuzzy]


def test_vietnamese_has_one_plural_form(vi):
    assert vi.num_plurals == 1
    plurals = [strings for _msgid, plural, strings in _entries(vi) if plural]
    assert plurals and all(len(strings) == 1 for strings in plurals)


def test_translations_keep_the_fields_and_tags_of_their_msgid(vi):
    wrong = []
    for msgid, plural, strings in _entries(vi):
        expected = _fields(plural or msgid)
        wrong += [(msgid, s) for s in strings
                  if _fields(s) != expected or sorted(TAGS.findall(s)) != sorted(TAGS.findall(msgid))]
    assert wrong == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_catalogue_compiles(lang):
    compiled = BytesIO()
    write_mo(compiled, _catalogue(lang))
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    expected = {"vi": "Kiểm kê", "en": "Stock-takes"}[lang]
    assert translations.gettext("Stock-takes") == expected


@pytest.mark.parametrize(("msgid", "term"), [
    ("Stock-takes", "kiểm kê"), ("Misplaced", "sai vị trí"), ("Missing", "thiếu"),
    ("In transit", "đang vận chuyển"), ("Unexpected", "ngoài danh mục"), ("Close the fonds", "đóng phông"),
    ("Sorting and arrangement", "chỉnh lý"), ("Alerts", "cảnh báo"), ("Retention", "thời hạn bảo quản"),
    ("Access", "chế độ sử dụng"), ("rack row", "dãy giá"), ("checkpoint", "điểm kiểm tra"),
    ("Reconciliation", "đối chiếu"), ("Handover lists", "danh mục bàn giao"), ("Box", "hộp"),
    ("Files", "hồ sơ"), ("administrator", "quản trị viên"), ("warehouse staff", "thủ kho"),
])
def test_the_glossary_terms_are_used(vi, msgid, term):
    assert term in vi[msgid].string.lower()


def test_no_msgid_of_the_source_is_missing_from_the_catalogues(vi):
    source = _source_msgids()
    assert len(source) > 100
    assert sorted(source - {msgid for msgid, _plural, _strings in _entries(vi)}) == []
    assert sorted(source - {msgid for msgid, _plural, _strings in _entries(_catalogue("en"))}) == []

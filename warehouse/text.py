"""Folding Vietnamese text for search and header matching: "Hồ sơ" and "ho so" fold alike."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no accents (đ → d), white space collapsed; the same for NFC and NFD input."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return _SPACE.sub(" ", bare).strip().lower()


def nfc(text: str | None) -> str:
    """Text in NFC with its white space collapsed, as Kho stores it."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(text or ""))).strip()

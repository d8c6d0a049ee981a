"""Numbers in Vietnamese words, for the "Viết bằng chữ" line of an official list (381 → "Ba trăm tám mươi mốt")."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


def _below_thousand(n: int, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full`: a group after a higher one says its zero hundreds ("không trăm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(DIGITS[units])
    return words


def in_words(n: int) -> str:
    """A whole number from 0 in Vietnamese words, first letter capital."""
    if not 0 <= n < 1000 ** len(SCALES):
        raise ValueError(f"{n} is out of range")
    if n == 0:
        return "Không"
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words += _below_thousand(group, full=bool(words))
        if index:
            words.append(SCALES[index])
    text = " ".join(words)
    return text[0].upper() + text[1:]

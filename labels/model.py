"""What a renderer gets: a Label of plain values (a code, lines of text, an optional EPC)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Codes printed as barcodes are ASCII A–Z 0–9 - . / (CONTRACT.md); lower case and spaces are
# tolerated by the symbols, but never ^ or ~ (ZPL's command characters) nor anything non-ASCII.
PRINTABLE = re.compile(r"[\x20-\x7d]+")
EPC = re.compile(r"[0-9A-F]{24}")


class LabelError(ValueError):
    """A label or template that cannot be rendered; the message names the value and why."""


@dataclass(frozen=True)
class Label:
    """One label: `code` goes into the Code128 and the QR, `lines` above them (those whose index is
    in `strong` in bold and larger); `epc` (24 hex digits) is written to an RFID tag if given."""

    code: str
    lines: tuple[str, ...] = ()
    strong: tuple[int, ...] = ()
    epc: str | None = None

    def __post_init__(self) -> None:
        if not self.code or not PRINTABLE.fullmatch(self.code) or "^" in self.code:
            raise LabelError(f"code {self.code!r} cannot be printed as a barcode (ASCII letters, digits, - . /)")
        if self.epc is not None and not EPC.fullmatch(self.epc):
            raise LabelError(f"EPC {self.epc!r} of {self.code} is not 24 upper-case hexadecimal digits")

"""GS1 GIAI-96 (Tag Data Standard): EPC hex ↔ tag URI, and Kho's own box ↔ asset-reference rule.

A GIAI-96 EPC is 96 bits: header 0x34 (8 bits), filter (3), partition (3), company prefix (M bits,
L digits) and individual asset reference (N bits), M + N = 82, as the partition table says.

Kho's rule for its own tags (reversible, so a tag names its box without a database lookup):

    asset reference = F × 100000 + box number        (box number 1 … 99999)

where F reads the fonds code as a base-40 numeral, most significant character first, with
0–9 → 1–10, A–Z → 11–36, '-' → 37, '.' → 38, '/' → 39 (no character maps to 0, so no leading
character is lost). Example: fonds "P012", box 7 → F = 26·40³ + 1·40² + 2·40 + 3 = 1665683 →
asset reference 166568300007. The company prefix is the store's GS1 company prefix
(GIAI_COMPANY_PREFIX in config.toml); the filter is 0 ("all others"). With a 7-digit company prefix
(58 bits of asset reference) fonds codes of up to 7 characters fit; box_to_epc refuses what does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = 0x34
# partition → (company prefix bits, digits, asset reference bits, most digits)
PARTITIONS = {
    0: (40, 12, 42, 13),
    1: (37, 11, 45, 14),
    2: (34, 10, 48, 15),
    3: (30, 9, 52, 16),
    4: (27, 8, 55, 17),
    5: (24, 7, 58, 18),
    6: (20, 6, 62, 19),
}
_BY_DIGITS = {digits: p for p, (_, digits, _, _) in PARTITIONS.items()}
_URI = re.compile(r"^urn:epc:tag:giai-96:([0-7])\.(\d{6,12})\.(0|[1-9]\d*)$")
_HEX = re.compile(r"^[0-9A-Fa-f]{24}$")
SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-./"
BASE = len(SYMBOLS) + 1
BOX_SPAN = 100_000


class GiaiError(ValueError):
    """A value that is not (or cannot become) a GIAI-96 EPC; the message says why."""


@dataclass(frozen=True)
class Giai96:
    filter: int
    company_prefix: str  # its digits, leading zeros kept
    asset_reference: int

    @property
    def uri(self) -> str:
        return f"urn:epc:tag:giai-96:{self.filter}.{self.company_prefix}.{self.asset_reference}"


def encode(tag: Giai96) -> str:
    """The 24 upper-case hex digits of a GIAI-96 tag."""
    if not 0 <= tag.filter <= 7:
        raise GiaiError(f"filter {tag.filter} is not 0–7")
    partition = _BY_DIGITS.get(len(tag.company_prefix))
    if partition is None or not tag.company_prefix.isdigit():
        raise GiaiError(f"company prefix {tag.company_prefix!r} must be 6 to 12 digits")
    m, _, n, digits = PARTITIONS[partition]
    ref = tag.asset_reference
    if ref < 0 or ref >= 1 << n or len(str(ref)) > digits:
        raise GiaiError(f"asset reference {ref} does not fit in {n} bits with a "
                        f"{len(tag.company_prefix)}-digit company prefix")
    value = HEADER
    for bits, field in ((3, tag.filter), (3, partition), (m, int(tag.company_prefix)), (n, ref)):
        value = (value << bits) | field
    return f"{value:024X}"


def decode(epc: str) -> Giai96:
    """The GIAI-96 tag that 24 hex digits hold; GiaiError if they hold something else."""
    if not _HEX.match(epc):
        raise GiaiError(f"{epc!r} is not 24 hexadecimal digits")
    value = int(epc, 16)
    if value >> 88 != HEADER:
        raise GiaiError(f"{epc} is not GIAI-96 (header {value >> 88:#04x}, not {HEADER:#04x})")
    filter_, partition = (value >> 85) & 0b111, (value >> 82) & 0b111
    if partition not in PARTITIONS:
        raise GiaiError(f"{epc}: partition {partition} is not defined for GIAI-96")
    m, digits, n, most = PARTITIONS[partition]
    company = (value >> n) & ((1 << m) - 1)
    ref = value & ((1 << n) - 1)
    if company >= 10 ** digits or len(str(ref)) > most:
        raise GiaiError(f"{epc}: company prefix or asset reference out of range")
    return Giai96(filter_, f"{company:0{digits}d}", ref)


def parse_uri(uri: str) -> Giai96:
    """A tag from `urn:epc:tag:giai-96:F.C.A` (numeric asset references only)."""
    found = _URI.match(uri.strip())
    if not found:
        raise GiaiError(f"{uri!r} is not a GIAI-96 tag URI")
    return Giai96(int(found[1]), found[2], int(found[3]))


def asset_reference(fonds: str, number: int) -> int:
    """Kho's asset reference for box `number` of fonds `fonds` (see the module's rule)."""
    if not 1 <= number < BOX_SPAN:
        raise GiaiError(f"box number {number} is outside 1–{BOX_SPAN - 1}")
    if not fonds or any(ch not in SYMBOLS for ch in fonds):
        raise GiaiError(f"fonds code {fonds!r} must use only A–Z, 0–9, '-', '.', '/'")
    value = 0
    for ch in fonds:
        value = value * BASE + SYMBOLS.index(ch) + 1
    return value * BOX_SPAN + number


def box_of_reference(ref: int) -> tuple[str, int] | None:
    """(fonds code, box number) that an asset reference names under Kho's rule, else None."""
    value, number = divmod(ref, BOX_SPAN)
    chars = []
    while value:
        value, digit = divmod(value, BASE)
        if digit == 0:
            return None
        chars.append(SYMBOLS[digit - 1])
    if not chars or number == 0:
        return None
    return "".join(reversed(chars)), number


def box_to_epc(fonds: str, number: int, company_prefix: str, filter_: int = 0) -> str:
    """The EPC (hex) of Kho's tag for a box."""
    return encode(Giai96(filter_, company_prefix, asset_reference(fonds, number)))


def epc_to_box(epc: str, company_prefix: str) -> tuple[str, int] | None:
    """(fonds code, box number) of one of Kho's tags with this company prefix, else None."""
    try:
        tag = decode(epc)
    except GiaiError:
        return None
    if tag.company_prefix != company_prefix:
        return None
    return box_of_reference(tag.asset_reference)

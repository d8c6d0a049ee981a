"""The two symbols on a label, as modules to draw: Code128 (python-barcode's encoding) and QR (segno).

Encoding is kept apart from drawing, so tests can assert on what was encoded and renderers draw
the same modules as rectangles."""

from __future__ import annotations

CODE128_QUIET = 10  # modules of white each side of a Code128 (the standard's minimum)
QR_QUIET = 4  # modules of white around a QR code


def code128(code: str) -> str:
    """The Code128 modules of `code` ('1' bar, '0' space), start, check and stop symbols included."""
    from barcode import Code128

    return Code128(code, writer=None).build()[0]


def qr(code: str, best_mask: bool = True) -> tuple[bytes, ...]:
    """The QR matrix of `code` (rows of 0/1 bytes, no quiet zone); error level M or better.

    The mask is chosen by the standard's evaluation (most of the time a label takes); without
    `best_mask` a fixed one is used — the same size, for a layout whose printer draws the QR itself."""
    import segno

    symbol = segno.make(code, error="m", micro=False, mask=None if best_mask else 0)
    return tuple(bytes(row) for row in symbol.matrix)


def runs(modules) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row ('1' characters or 1 bytes)."""
    found, start = [], None
    for i, m in enumerate(modules):
        dark = m in ("1", 1)
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            found.append((start, i - start))
            start = None
    if start is not None:
        found.append((start, len(modules) - start))
    return found

"""Where things go on one label (millimetres from its top-left corner): text lines at the top left,
the QR code at the top right, the Code128 across the bottom with its code in words under it.

Symbols are sized on a grid of device dots (a pixel at 300 dpi by default, a printer's dot for ZPL):
each module is a whole number of dots and never narrower than MIN_MODULE_MM, so the narrow bar is at
least 3 px when the sheet is scanned or rasterised at 300 dpi. A code too long for the label is
refused (LabelError naming the code and the width it needs), never squeezed below that."""

from __future__ import annotations

import math
from dataclasses import dataclass

from labels import fonts, symbols
from labels.model import Label, LabelError

GRID_MM = 25.4 / 300
MIN_MODULE_MM = 0.25  # ≈ 10 mil: 3 px at 300 dpi, 2 dots of a 203-dpi printer
EDGE_MM = 0.5  # kept clear inside a label's edge (die-cut tolerance); quiet zones lie within the rest
MAX_MODULE_MM = 0.5
MAX_QR_MODULE_MM = 1.0
LEADING = 1.25  # room for Vietnamese capitals with two marks (Ộ, Ấ)
STRONG = 1.45
SMALLEST = 4.0  # points
EPS = 1e-6


@dataclass(frozen=True)
class Text:
    x: float  # left of the line's box; the text is centred in it
    width: float
    baseline: float
    size: float  # points
    bold: bool
    text: str


@dataclass(frozen=True)
class Bars:
    x: float
    y: float
    height: float
    module: float
    modules: str  # '1' bar, '0' space


@dataclass(frozen=True)
class Squares:
    x: float
    y: float
    module: float
    rows: tuple[bytes, ...]


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    items: tuple[Text | Bars | Squares, ...]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def bar_module(code: str, modules: int, room: float, grid: float, least: float = MIN_MODULE_MM) -> float:
    """The widest whole-dot module (up to MAX_MODULE_MM) that fits `modules` plus quiet zones in `room` mm."""
    lowest = math.ceil(least / grid - EPS)
    dots = min(math.floor(room / (grid * (modules + 2 * symbols.CODE128_QUIET)) + EPS),
               max(lowest, math.floor(MAX_MODULE_MM / grid + EPS)))
    if dots < lowest:
        need = lowest * grid * (modules + 2 * symbols.CODE128_QUIET)
        raise LabelError(f"code {code} needs {need:.1f} mm for a readable barcode; this label leaves "
                         f"{room:.1f} mm: choose a wider template")
    return dots * grid


def compose(label: Label, width: float, height: float, grid: float = GRID_MM, qr_drawn: bool = True) -> Drawing:
    """The drawing of one label of `width` × `height` mm (`qr_drawn` False: only the QR's size matters)."""
    pad = _clamp(min(width, height) * 0.06, 1.5, 3.0)
    modules = symbols.code128(label.code)
    module = bar_module(label.code, len(modules), width - 2 * EDGE_MM, grid)
    code_size = _clamp(height * 0.19, 6.0, 10.0)
    bar_h = _clamp(height * 0.27, 5.0, 14.0)
    bars_y = height - pad - 1.05 * code_size * fonts.PT - bar_h
    bar_w = len(modules) * module
    bars = Bars(round((width - bar_w) / 2 / grid) * grid, bars_y, bar_h, module, modules)
    code = Text(pad, width - 2 * pad, bars_y + bar_h + 0.92 * code_size * fonts.PT, code_size, False, label.code)
    qr = _qr(label.code, width, bars_y, pad, grid, qr_drawn)
    text_right = qr.x - symbols.QR_QUIET * qr.module - 0.5
    lines = _lines(label, pad, text_right - pad, pad, bars_y - 1.0, _clamp(height * 0.2, 6.0, 11.0))
    return Drawing(width, height, (*lines, qr, bars, code))


def _qr(code: str, width: float, bottom: float, pad: float, grid: float, drawn: bool) -> Squares:
    """The largest whole-dot QR that fits, with its quiet zone, above `bottom` at the right."""
    rows = symbols.qr(code, best_mask=drawn)
    n = len(rows)
    for dots in range(math.floor(MAX_QR_MODULE_MM / grid + EPS), math.ceil(MIN_MODULE_MM / grid - EPS) - 1, -1):
        q = dots * grid
        edge = max(pad, symbols.QR_QUIET * q)
        if edge + (n + symbols.QR_QUIET) * q <= bottom and n * q <= width * 0.42:
            return Squares(width - edge - n * q, edge, q, rows)
    raise LabelError(f"code {code}: the label is too small for its QR code")


def wrap(text: str, bold: bool, size: float, width: float) -> list[str]:
    """Greedy word wrap at `size` points into `width` mm; a word too long alone is cut by characters."""
    out: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fonts.width(trial, bold, size) <= width:
            line = trial
            continue
        if line:
            out.append(line)
        line = ""
        for ch in word:
            if line and fonts.width(line + ch, bold, size) > width:
                out.append(line)
                line = ""
            line += ch
    if line:
        out.append(line)
    return out


def balanced(text: str, bold: bool, size: float, width: float) -> list[str]:
    """Word wrap into as few lines as `wrap` needs, but with the lines as even as they can be."""
    lines = wrap(text, bold, size, width)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(10):
        middle = (low + high) / 2
        if len(wrap(text, bold, size, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, bold, size, high)


def fit(label: Label, width: float, height: float, largest: float) -> list[tuple[str, float, bool]]:
    """(text, size, bold) rows: the largest size at which every wrapped line fits `height` mm."""
    size = largest
    while True:
        rows = [(part, size * (STRONG if i in label.strong else 1.0), i in label.strong)
                for i, line in enumerate(label.lines)
                for part in balanced(line, i in label.strong, size * (STRONG if i in label.strong else 1.0),
                                     width)]
        if sum(s * fonts.PT * LEADING for _, s, _ in rows) <= height or size <= SMALLEST:
            break
        size -= 0.5
    kept, used = [], 0.0
    for text, s, bold in rows:
        used += s * fonts.PT * LEADING
        if used > height + EPS:
            if kept:
                last, s0, b0 = kept[-1]
                kept[-1] = (last.rstrip(" …")[:-1] + "…" if len(last) > 1 else "…", s0, b0)
            break
        kept.append((text, s, bold))
    return kept


def _lines(label: Label, x: float, width: float, top: float, bottom: float, largest: float) -> list[Text]:
    rows = fit(label, width, bottom - top, largest)
    used = sum(s * fonts.PT * LEADING for _, s, _ in rows)
    y = top + max(0.0, (bottom - top - used) / 2)
    out = []
    for text, size, bold in rows:
        step = size * fonts.PT * LEADING
        out.append(Text(x, width, y + step * 0.8, size, bold, text))
        y += step
    return out

"""The fonts labels are set in: DejaVu Sans (it has every Vietnamese glyph), embedded in PDFs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# The app ships the fonts beside its other static files; a caller may register another folder.
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR, BOLD = "KhoLabelSans", "KhoLabelSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
PT = 25.4 / 72  # millimetres per point
_folder: list[Path] = [FONT_DIR]


def register(folder: Path | None = None) -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once; their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if folder is not None:
        _folder[0] = Path(folder)
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        for name, filename in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(_folder[0] / filename)))
    return REGULAR, BOLD


def face(bold: bool) -> str:
    return BOLD if bold else REGULAR


def path(bold: bool) -> Path:
    """The TrueType file of a face (for Pillow)."""
    return _folder[0] / FILES[face(bold)]


@lru_cache(maxsize=4096)
def width(text: str, bold: bool, size: float) -> float:
    """How wide `text` is set at `size` points, in millimetres."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    return stringWidth(text, face(bold), size) * PT

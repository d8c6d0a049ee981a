"""Sheets of labels as PDF: a template's grid filled row by row, page after page, with the DejaVu
fonts embedded (subset) so Vietnamese text prints and copies back out intact."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import BinaryIO

from labels import fonts, layout, symbols
from labels.model import Label
from labels.templates import Template

Progress = Callable[[int, int], None]


def render(labels: Iterable[Label], template: Template, out: BinaryIO | str, total: int = 0,
           progress: Progress | None = None, title: str = "Kho labels") -> int:
    """Write the sheets to `out` (a path or a binary file); how many labels were drawn.

    `progress(done, total)` is called after each page and at the end."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    fonts.register()
    canvas = Canvas(out, pagesize=(template.page[0] * mm, template.page[1] * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Kho")
    count = 0
    for label in labels:
        if count and count % template.per_page == 0:
            canvas.showPage()
            if progress:
                progress(count, total)
        left, top = template.slot(count % template.per_page)
        draw(canvas, layout.compose(label, *template.label), left, top, template)
        count += 1
    if count == 0 or count % template.per_page:
        canvas.showPage()
    canvas.save()
    if progress:
        progress(count, total or count)
    return count


def draw(canvas, drawing: layout.Drawing, left: float, top: float, template: Template) -> None:
    """Draw one label whose top-left corner is at (`left`, `top`) mm on the page."""
    from reportlab.lib.units import mm

    page_h = template.page[1]

    def snap(value: float) -> float:  # symbols sit on the 300-dpi grid of the page itself
        return round(value / layout.GRID_MM) * layout.GRID_MM

    rects: list[str] = []  # "x y w h re" in points, filled at once (much faster than reportlab's path)
    for item in drawing.items:
        if isinstance(item, layout.Text):
            canvas.setFont(fonts.face(item.bold), item.size)
            canvas.drawCentredString((left + item.x + item.width / 2) * mm, (page_h - top - item.baseline) * mm,
                                     item.text)
            continue
        x0, y0 = snap(left + item.x) * mm, snap(top + item.y) * mm
        step = item.module * mm
        rows = [item.modules] if isinstance(item, layout.Bars) else item.rows
        tall = item.height * mm if isinstance(item, layout.Bars) else step
        for r, row in enumerate(rows):
            y = page_h * mm - y0 - (r + 1) * tall
            rects.extend(f"{x0 + start * step:.3f} {y:.3f} {length * step:.3f} {tall:.3f} re"
                         for start, length in symbols.runs(row))
    if rects:
        canvas.addLiteral("0 g\n" + "\n".join(rects) + "\nf")
    if template.outline:
        canvas.setLineWidth(0.2)
        canvas.setStrokeGray(0.6)
        canvas.rect(left * mm, (page_h - top - drawing.height) * mm, drawing.width * mm, drawing.height * mm)
        canvas.setStrokeGray(0)

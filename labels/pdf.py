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

    path = canvas.beginPath()
    for item in drawing.items:
        if isinstance(item, layout.Text):
            canvas.setFont(fonts.face(item.bold), item.size)
            canvas.drawCentredString((left + item.x + item.width / 2) * mm, (page_h - top - item.baseline) * mm,
                                     item.text)
        elif isinstance(item, layout.Bars):
            x0, y0 = snap(left + item.x), snap(top + item.y)
            for start, length in symbols.runs(item.modules):
                path.rect((x0 + start * item.module) * mm, (page_h - y0 - item.height) * mm,
                          length * item.module * mm, item.height * mm)
        else:
            x0, y0 = snap(left + item.x), snap(top + item.y)
            for r, row in enumerate(item.rows):
                y = (page_h - y0 - (r + 1) * item.module) * mm
                for start, length in symbols.runs(row):
                    path.rect((x0 + start * item.module) * mm, y, length * item.module * mm, item.module * mm)
    canvas.drawPath(path, stroke=0, fill=1)
    if template.outline:
        canvas.setLineWidth(0.2)
        canvas.setStrokeGray(0.6)
        canvas.rect(left * mm, (page_h - top - drawing.height) * mm, drawing.width * mm, drawing.height * mm)
        canvas.setStrokeGray(0)

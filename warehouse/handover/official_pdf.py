"""The official mục lục hồ sơ as an A4 PDF: per part, the form's heading, the table (header and column
numbers repeated on every page, the box number on the first file of each box) and the footer, with
the DejaVu fonts embedded so that Vietnamese renders; pages numbered."""

from __future__ import annotations

import io

from warehouse.handover.official import COLUMNS, SIGNATURE, TITLE, OfficialList, Part, heading
from warehouse.stocktake.export import FONTS, _fonts, _x

WIDTHS_MM = (13, 10, 24, 62, 24, 20, 14, 19)


def render(doc: OfficialList) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    regular, bold = _fonts(FONTS)
    story: list = []
    for index, part in enumerate(doc.parts):
        if index:
            story.append(PageBreak())
        story += _part(doc, part, regular, bold)
    out = io.BytesIO()

    def number_page(canvas, page) -> None:
        canvas.setFont(regular, 8)
        canvas.drawRightString(A4[0] - 12 * mm, 8 * mm, f"Trang {page.page}")

    SimpleDocTemplate(out, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=14 * mm, title=f"{TITLE} – {doc.fonds}", author="Kho").build(
        story, onFirstPage=number_page, onLaterPages=number_page)
    return out.getvalue()


def _part(doc: OfficialList, part: Part, regular: str, bold: str) -> list:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    text = ParagraphStyle("text", fontName=regular, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName=bold, fontSize=8, leading=10, alignment=1)
    centre = ParagraphStyle("centre", parent=text, alignment=1)
    story: list = [Paragraph(f"<b>{_x(line)}</b>", text) for line in heading(doc)]
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{_x(TITLE)}</b>", ParagraphStyle(
        "title", fontName=bold, fontSize=13, leading=17, alignment=1)),
        Paragraph(f"<i>{_x(part.subtitle)}</i>", centre), Paragraph(f"Năm {doc.year}", centre),
        Spacer(1, 4 * mm)]
    rows = [[Paragraph(_x(title), head) for title in COLUMNS], [f"({n})" for n in range(1, len(COLUMNS) + 1)]]
    previous = None
    for number, line in enumerate(part.lines, start=1):
        rows.append([str(line.box) if line.box != previous else "", str(number), Paragraph(_x(line.number), cell),
                     Paragraph(_x(line.title), cell), Paragraph(_x(line.span), cell),
                     Paragraph(_x(line.retention), cell), "" if line.pages is None else str(line.pages),
                     Paragraph(_x(line.note), cell)])
        previous = line.box
    style = TableStyle([("FONT", (0, 0), (-1, -1), regular, 8), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
    story.append(Table(rows, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=2, style=style))
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(_x(line), text) for line in part.footer()]
    story.append(Spacer(1, 6 * mm))
    signature = [[None, Paragraph(_x(line) if i != 1 else f"<b>{_x(line)}</b>", centre)]
                 for i, line in enumerate(SIGNATURE)]
    story.append(Table(signature, colWidths=[100 * mm, 86 * mm]))
    return story

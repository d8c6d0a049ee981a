"""A closed stock-take as an XLSX workbook and a PDF report (DejaVu fonts: Vietnamese renders), with
the boxes of its scope listed apart at opening (a sheet, a section), so the totals add up to the scope.

Both take the `summary` and `lines` of warehouse.stocktake.report, a translator `tr` (msgids in
English, the face passes its gettext) and the time zone to show times in."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from warehouse import workbooks
from warehouse.errors import N_
from warehouse.settings import ROOT
from warehouse.stocktake import apart

FONTS = ROOT / "static" / "fonts"
PDF_FOUND_LIMIT = 2000  # past this many found boxes the PDF gives their count only (the XLSX lists them)
OUTCOME_WORDS = {"found": N_("Found"), "misplaced": N_("Misplaced"), "missing": N_("Missing"),
                 "unlocated": N_("Unlocated"), "unexpected": N_("Unexpected")}
TOTALS = ("found", "misplaced", "missing", "unlocated", "unexpected")
Tr = Callable[[str], str]


def when(value: datetime | None, zone: tzinfo | None) -> str:
    """dd/mm/yyyy HH:MM in the store's time zone ('' for none); stored times are UTC."""
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(zone).strftime("%d/%m/%Y %H:%M") if zone else value.strftime("%d/%m/%Y %H:%M")


def heading(summary: dict, tr: Tr, zone: tzinfo | None) -> list[tuple[str, str]]:
    """(label, value) rows naming the store, scope, fonds, people, times and totals."""
    scope, fonds = summary["scope"], summary["fonds"]
    rows = [(tr(N_("Stock-take")), f"#{summary['id']}"),
            (tr(N_("Store")), "; ".join(summary["stores"])),
            (tr(N_("Scope")), f"{scope['code']} – {scope['name']}" if scope else tr(N_("whole fonds"))),
            (tr(N_("Fonds")), f"{fonds['code']} – {fonds['name']}" if fonds else tr(N_("all fonds"))),
            (tr(N_("Opened")), f"{when(summary['opened_at'], zone)} ({summary['opened_by']})"),
            (tr(N_("Closed")), f"{when(summary['closed_at'], zone)} ({summary['closed_by'] or ''})"),
            (tr(N_("People")), ", ".join(summary["people"])),
            (tr(N_("Devices")), ", ".join(f"{d['device']} ({d['reads']})" for d in summary["devices"])),
            (tr(N_("Boxes expected")), str(summary["expected"])),
            (tr(N_("Reads")), str(summary["reads"] or 0))]
    rows += [(tr(OUTCOME_WORDS[name]), str(summary["totals"][name] or 0)) for name in TOTALS]
    rows += [(tr(N_("Listed apart")), apart_total(summary, tr)), (tr(N_("Boxes in scope")), str(summary["in_scope"]))]
    if summary["note"]:
        rows.append((tr(N_("Note")), summary["note"]))
    return rows


def apart_total(summary: dict, tr: Tr) -> str:
    """How many boxes were listed apart, and how many under each reason: "2 (checked out 1, …)"."""
    total = str(len(summary["apart"]))
    if not summary["apart"]:
        return total
    return f"{total} ({', '.join(f'{tr(apart.word(r))} {n}' for r, n in summary['apart_counts'].items())})"


def apart_columns(tr: Tr) -> list[str]:
    return [tr(N_("No.")), tr(N_("Box")), tr(N_("Reason")), tr(N_("Home at opening"))]


def apart_rows(summary: dict, tr: Tr) -> list[list]:
    """One row per box listed apart: number, box, its reason in words, its home at opening."""
    return [[number, a["box"], tr(apart.word(a["reason"])), a["home"] or ""]
            for number, a in enumerate(summary["apart"], start=1)]


def columns(tr: Tr) -> list[str]:
    return [tr(N_("No.")), tr(N_("Box or code")), tr(N_("Outcome")), tr(N_("Expected place")),
            tr(N_("Found at")), tr(N_("Read at")), tr(N_("Device"))]


def _row(number: int, line: dict, tr: Tr, zone: tzinfo | None) -> list:
    return [number, line["code"], tr(OUTCOME_WORDS[line["outcome"]]), line["expected"] or "",
            line["found"] or "", when(line["at"], zone), line["device"] or ""]


def xlsx(summary: dict, lines: list[dict], tr: Tr, zone: tzinfo | None = None) -> bytes:
    """A workbook: a summary sheet, one row per box or code, then the boxes listed apart (write-only:
    flat memory)."""
    book = workbooks.new()
    workbooks.facts(book, tr(N_("Summary")), heading(summary, tr, zone), 24)
    sheet = workbooks.table(book, tr(N_("Result")), columns(tr), (7, 22, 16, 22, 22, 18, 12))
    for number, line in enumerate(lines, start=1):
        sheet.append(_row(number, line, tr, zone))
    held = workbooks.table(book, tr(N_("Listed apart")), apart_columns(tr), (7, 22, 22, 22))
    for row in apart_rows(summary, tr):
        held.append(row)
    return workbooks.saved(book)


def _fonts(folder: Path) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def pdf(summary: dict, lines: list[dict], tr: Tr, zone: tzinfo | None = None, fonts: Path = FONTS) -> bytes:
    """An A4 report: heading, totals, the boxes that need action, found boxes, the boxes listed apart,
    signatures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts(fonts)
    text = ParagraphStyle("text", fontName=regular, fontSize=9, leading=12)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=1, spaceAfter=8)
    section = ParagraphStyle("section", fontName=bold, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), regular, 8), ("FONT", (0, 0), (-1, 0), bold, 8),
                       ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
    story: list = [Paragraph(tr(N_("STOCK-TAKE REPORT")), title)]
    facts = [[Paragraph(f"<b>{_x(label)}</b>", text), Paragraph(_x(value), text)]
             for label, value in heading(summary, tr, zone)]
    story.append(Table(facts, colWidths=[45 * mm, 130 * mm], style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])))
    head = columns(tr)
    for outcome in ("missing", "misplaced", "unlocated", "unexpected", "found"):
        chosen = [line for line in lines if line["outcome"] == outcome]
        story.append(Paragraph(f"{_x(tr(OUTCOME_WORDS[outcome]))}: {len(chosen)}", section))
        if not chosen:
            continue
        if outcome == "found" and len(chosen) > PDF_FOUND_LIMIT:
            story.append(Paragraph(_x(tr(N_("Found boxes are listed in the XLSX export."))), text))
            continue
        body = [[str(i), *(str(v) for v in _row(i, line, tr, zone)[1:])] for i, line in enumerate(chosen, 1)]
        widths = [10 * mm, 32 * mm, 22 * mm, 34 * mm, 34 * mm, 26 * mm, 18 * mm]
        story.append(Table([head, *body], colWidths=widths, repeatRows=1, style=grid))
    story.append(Paragraph(f"{_x(tr(N_('Listed apart')))}: {len(summary['apart'])}", section))
    if summary["apart"]:
        body = [[str(v) for v in row] for row in apart_rows(summary, tr)]
        story.append(Table([apart_columns(tr), *body], colWidths=[10 * mm, 50 * mm, 50 * mm, 50 * mm],
                           repeatRows=1, style=grid))
    story += [Spacer(1, 12 * mm), Table(
        [[Paragraph(f"<b>{_x(tr(N_('Counted by')))}</b>", text),
          Paragraph(f"<b>{_x(tr(N_('Supervisor')))}</b>", text)]], colWidths=[87 * mm, 87 * mm])]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"{tr(N_('Stock-take'))} #{summary['id']}",
                            author="Kho")
    doc.build(story)
    return out.getvalue()


def _x(value: str) -> str:
    """Text made safe for reportlab's Paragraph markup."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

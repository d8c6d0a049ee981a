"""A transfer's document as an A4 PDF (DejaVu fonts embedded: Vietnamese renders): the transfer's facts
(stores, vehicle, seals, people, times), the boxes with their state on it, totals, and room for the
signatures of the giving and receiving sides. `tr` translates msgids (the face passes its gettext)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import tzinfo

from warehouse.errors import N_
from warehouse.stocktake.export import FONTS, _fonts, _x, when

STATE_WORDS = {"listed": N_("not yet dispatched"), "in_transit": N_("in transit"), "received": N_("received"),
               "missing": N_("missing on receipt"), "unlisted": N_("received but not listed")}
TRANSFER_WORDS = {"planned": N_("planned"), "dispatched": N_("dispatched"), "received": N_("received"),
                  "cancelled": N_("cancelled")}
Tr = Callable[[str], str]


def facts(doc: dict, tr: Tr, zone: tzinfo | None) -> list[tuple[str, str]]:
    """(label, value) rows of a transfer's heading."""
    to = (f"{doc['destination']} – {doc['destination_name']}" if doc["destination"]
          else f"{doc['recipient']} ({tr(N_('outside body'))})")
    return [(tr(N_("Transfer")), f"#{doc['id']} · {tr(TRANSFER_WORDS[doc['state']])}"),
            (tr(N_("From")), f"{doc['origin']} – {doc['origin_name']}"), (tr(N_("To")), to),
            (tr(N_("Vehicle")), doc["vehicle"]), (tr(N_("Seal numbers")), doc["seals"]),
            (tr(N_("People")), doc["people"]), (tr(N_("Expected arrival")), when(doc["expected_at"], zone)),
            (tr(N_("Dispatched")), when(doc["dispatched_at"], zone)),
            (tr(N_("Received")), when(doc["received_at"], zone)), (tr(N_("Note")), doc["note"])]


def pdf(doc: dict, tr: Tr, zone: tzinfo | None = None) -> bytes:
    """The transfer document (phiếu chuyển hộp) of a transfer_doc."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts(FONTS)
    text = ParagraphStyle("text", fontName=regular, fontSize=9, leading=12)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=1, spaceAfter=8)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), regular, 8), ("FONT", (0, 0), (-1, 0), bold, 8),
                       ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
    story: list = [Paragraph(_x(tr(N_("BOX TRANSFER DOCUMENT"))), title)]
    story.append(Table([[Paragraph(f"<b>{_x(label)}</b>", text), Paragraph(_x(value or "—"), text)]
                        for label, value in facts(doc, tr, zone)], colWidths=[45 * mm, 130 * mm]))
    story.append(Spacer(1, 5 * mm))
    head = [tr(N_("No.")), tr(N_("Box code")), tr(N_("Fonds")), tr(N_("Box no.")), tr(N_("State")),
            tr(N_("Dispatched")), tr(N_("Received"))]
    body = [[str(i), b["box"], b["fonds"], str(b["number"]), tr(STATE_WORDS[b["state"]]),
             when(b["dispatched_at"], zone), when(b["received_at"], zone)] for i, b in enumerate(doc["boxes"], 1)]
    story.append(Table([head, *body], colWidths=[10 * mm, 34 * mm, 18 * mm, 14 * mm, 40 * mm, 29 * mm, 29 * mm],
                       repeatRows=1, style=grid))
    totals = ", ".join(f"{tr(STATE_WORDS[s])}: {n}" for s, n in doc["counts"].items() if n)
    story += [Spacer(1, 3 * mm), Paragraph(_x(f"{tr(N_('Boxes'))}: {len(doc['boxes'])} ({totals})"), text),
              Spacer(1, 12 * mm),
              Table([[Paragraph(f"<b>{_x(tr(N_('Giving side')))}</b>", text),
                      Paragraph(f"<b>{_x(tr(N_('Carrier')))}</b>", text),
                      Paragraph(f"<b>{_x(tr(N_('Receiving side')))}</b>", text)]],
                    colWidths=[58 * mm, 58 * mm, 58 * mm])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=f"{tr(N_('Transfer'))} #{doc['id']}", author="Kho").build(story)
    return out.getvalue()

"""A reconciliation as an XLSX workbook: the list's facts and totals, every box with its outcome, and
the boxes whose number of files differs. Takes the document of reconcile_list, the list's facts and a
translator `tr` (msgids in English; the face passes its gettext)."""

from __future__ import annotations

from collections.abc import Callable

from warehouse import workbooks
from warehouse.errors import N_

Tr = Callable[[str], str]
OUTCOMES = {"missing": N_("Missing"), "misplaced": N_("Misplaced"), "extra": N_("Extra (not on the list)"),
            "matched": N_("Matched")}
TOTALS = {"listed": N_("Boxes listed"), "matched": N_("Matched"), "missing": N_("Missing"),
          "misplaced": N_("Misplaced"), "extra": N_("Extra (not on the list)"),
          "count_mismatch": N_("File count differs"), "unknown": N_("Unknown to the register"),
          "not_counted": N_("Outside the stock-take"), "away": N_("Away from the shelves")}


def heading(facts: dict, doc: dict, tr: Tr) -> list[tuple[str, str]]:
    """(label, value) rows: the list, its handover, what it was checked against, the totals."""
    basis = doc["basis"]
    against = (tr(N_("stock-take %(id)s")) % {"id": basis["stocktake"]} if basis["stocktake"]
               else tr(N_("the boxes' last-known places")))
    rows = [(tr(N_("Handover list")), f"#{facts['id']} · {facts['file']}"),
            (tr(N_("Fonds")), f"{facts['fonds']} – {facts['fonds_name']}"),
            (tr(N_("Giving agency")), facts["from"]), (tr(N_("Receiving body")), facts["to"]),
            (tr(N_("Date")), facts["date"] or ""),
            (tr(N_("People")), " / ".join(p for p in (facts["giver_person"], facts["receiver_person"]) if p)),
            (tr(N_("Checked against")), against)]
    rows += [(tr(label), str(doc["summary"].get(key, 0))) for key, label in TOTALS.items()]
    return rows


def lines(doc: dict) -> list[tuple[str, str, str | None, str | None]]:
    """(outcome, box, listed place, found place): missing, misplaced, extra, then matched."""
    out: list[tuple[str, str, str | None, str | None]] = [("missing", b, None, None) for b in doc["missing"]]
    out += [("misplaced", m["box"], m["listed"], m["found"]) for m in doc["misplaced"]]
    out += [("extra", b, None, None) for b in doc["extra"]]
    out += [("matched", b, None, None) for b in doc["matched"]]
    return out


def xlsx(facts: dict, doc: dict, tr: Tr) -> bytes:
    """Three sheets: summary, boxes, file counts (write-only: flat memory for 100,000 boxes)."""
    book = workbooks.new()
    workbooks.facts(book, tr(N_("Summary")), heading(facts, doc, tr), 26)
    boxes = workbooks.table(book, tr(N_("Boxes")), [tr(N_("No.")), tr(N_("Box")), tr(N_("Outcome")),
                                                    tr(N_("Listed place")), tr(N_("Found at"))], (7, 22, 24, 22, 22))
    for number, (outcome, box, listed, found) in enumerate(lines(doc), start=1):
        boxes.append([number, box, tr(OUTCOMES[outcome]), listed or "", found or ""])
    counts = workbooks.table(book, tr(N_("File counts")), [tr(N_("No.")), tr(N_("Box")), tr(N_("Files on the list")),
                                                           tr(N_("Files in the register"))], (7, 22, 18, 20))
    for number, m in enumerate(doc["count_mismatch"], start=1):
        counts.append([number, m["box"], m["listed_files"], m["found_files"]])
    return workbooks.saved(book)

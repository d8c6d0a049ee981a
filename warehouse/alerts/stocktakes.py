"""Alerts from a closed stock-take: one per missing box, per misplaced box, per unknown code read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.alerts import rules
from warehouse.alerts.raising import raise_alerts
from warehouse.models import Box, Location


def stocktake_closed(session: Session, stocktake_id: int, closed_at, result: dict, unknown: list[str],
                     actor: str) -> None:
    """Raise the closing alerts from the contract's result document (codes resolved in two queries)."""
    misplaced = result.get("misplaced", [])
    codes = set(result.get("missing", [])) | {m["box"] for m in misplaced}
    places = {m["expected"] for m in misplaced} | {m["found"] for m in misplaced}
    boxes = {code: (id_, home) for id_, code, home in session.execute(
        select(Box.id, Box.code, Box.home_id).where(Box.code.in_(codes)))} if codes else {}
    where = dict(session.execute(select(Location.code, Location.id).where(Location.code.in_(places)))
                 .all()) if places else {}
    drafts = rules.stocktake_closed(
        stocktake_id, closed_at,
        [(boxes[c][0], c, boxes[c][1]) for c in result.get("missing", []) if c in boxes],
        [(boxes[m["box"]][0], m["box"], where.get(m["expected"]), where.get(m["found"]))
         for m in misplaced if m["box"] in boxes],
        unknown)
    raise_alerts(session, drafts, actor)

"""The boxes a stock-take lists apart: of its scope, but held away from the shelves by tracking when it
opened (in transit, checked out, handed over, destroyed, lost).

They are stored at opening beside the expected set (`stocktake_apart`), so a count accounts for every
box of the register in scope: expected (found, misplaced, missing, unlocated) + listed apart. They are
never counted, and change nothing when the box comes back during the count."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.locations import natural
from warehouse.models import Box, Location, StocktakeApart
from warehouse.tracking.state import APART, STATE_WORDS, apart_reason

REASONS = tuple(apart_reason(state) for state in APART)
# What each reason is called (msgids: the faces translate them), tracking's words for its states.
WORDS = {apart_reason(state): STATE_WORDS[state] for state in APART}


def listed(session: Session, stocktake_id: int) -> list[dict]:
    """Each box listed apart, `{"box": code, "reason": state, "home": home code at opening}`, by code
    (one query)."""
    a, home = StocktakeApart, Location.__table__.alias("home")
    query = (select(Box.code, a.reason, home.c.code).join(Box, Box.id == a.box_id)
             .outerjoin(home, home.c.id == a.home_id).where(a.stocktake_id == stocktake_id))
    out = [{"box": code, "reason": reason, "home": place} for code, reason, place in session.execute(query)]
    out.sort(key=lambda line: natural(line["box"]))
    return out


def by_reason(lines: list[dict]) -> dict[str, list[str]]:
    """Reason → the codes listed apart under it, every reason present (in tracking's order)."""
    out: dict[str, list[str]] = {reason: [] for reason in REASONS}
    for line in lines:
        out.setdefault(line["reason"], []).append(line["box"])
    return out


def counts(lines: list[dict]) -> dict[str, int]:
    """Reason → how many boxes, only the reasons that have some (in tracking's order)."""
    return {reason: len(codes) for reason, codes in by_reason(lines).items() if codes}


def word(reason: str) -> str:
    """The msgid naming a reason (the reason itself when tracking has no word for it)."""
    return WORDS.get(reason, reason)

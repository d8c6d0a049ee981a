"""What people read for an alert's kind, state and severity (msgids; the faces translate them with `_()`).

The raw keys stay the data (filters, data-kind attributes, the contract's JSON); these are only words.
A new kind gets its words here beside its rule; `label` falls back to the key for one that has none."""

from __future__ import annotations

from warehouse.errors import N_

KIND_WORDS = {
    "misplaced": N_("Misplaced"),
    "missing": N_("Not found"),
    "overdue_transit": N_("Overdue in transit"),
    "unauthorised_exit": N_("Unauthorised exit"),
    "unknown_code": N_("Unknown code"),
    "duplicate_code": N_("Duplicate code"),
    "closed_fonds": N_("Closed fonds"),
    "scan_conflict": N_("Scan sequence conflict"),
    "patrol_missed": N_("Patrol round missed"),
    "patrol_late": N_("Patrol round late"),
    "patrol_check_failed": N_("Patrol spot check failed"),
    "environment": N_("Storage conditions out of range"),
}
STATE_WORDS = {"open": N_("open"), "acknowledged": N_("acknowledged"), "resolved": N_("resolved")}
SEVERITY_WORDS = {"critical": N_("critical"), "high": N_("high"), "medium": N_("medium"), "low": N_("low")}
WORDS = {"kind": KIND_WORDS, "state": STATE_WORDS, "severity": SEVERITY_WORDS}


def label(field: str, key: str | None) -> str:
    """The msgid for an alert's `field` ("kind", "state" or "severity") valued `key` (the key if none)."""
    return WORDS[field].get(key or "", key or "")


def labelled(row: dict, translate) -> dict:
    """An alert row (warehouse.alerts.listing) with kind_label, state_label, severity_label and
    message_label added, each translated by `translate` (a gettext bound to the reader's language)."""
    words = {f"{field}_label": label(field, row.get(field)) for field in WORDS} | {"message_label": row.get("message")}
    # gettext("") is the catalogue's header, never the translation of an empty word
    return row | {key: translate(msgid) if msgid else "" for key, msgid in words.items()}

"""What the UI calls the core's codes (kinds, conditions, statuses), and core errors in the reader's language."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from warehouse.errors import KhoError

KIND_LABELS = {
    "kho": _l("store"),
    "phong": _l("room"),
    "day": _l("rack row"),
    "gia": _l("rack"),
    "ngan": _l("shelf"),
    "cong": _l("gate"),
    "diem": _l("checkpoint"),
}
CONDITION_LABELS = {"good": _l("good"), "damaged": _l("damaged"), "mould": _l("mould"), "wet": _l("wet")}
STATUS_LABELS = {"active": _l("active"), "merged": _l("merged"), "dissolved": _l("dissolved")}
# Values of core errors that are themselves words to translate (marked N_ in the core).
_WORDS = ("field", "thing")
_KINDS = ("kind", "parent", "parents")


def kind_label(kind: str | None) -> str:
    return str(KIND_LABELS.get(kind or "", kind or ""))


def condition_label(condition: str) -> str:
    return str(CONDITION_LABELS.get(condition, condition))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def explain(error: KhoError) -> str:
    """The error's text in the reader's language when the core gave its msgid, else as raised."""
    msgid = getattr(error, "msgid", None)
    if msgid is None:
        return str(error)
    values = dict(getattr(error, "values", {}))
    for key in _WORDS:
        if isinstance(values.get(key), str):
            values[key] = gettext(values[key])
    for key in _KINDS:
        if isinstance(values.get(key), str):
            values[key] = " / ".join(kind_label(k) for k in values[key].split(" / "))
    return gettext(msgid, **values)


def labels() -> dict:
    """For templates of the register, the stores and the overview."""
    return {"kind_label": kind_label, "condition_label": condition_label, "status_label": status_label,
            "KIND_LABELS": KIND_LABELS, "CONDITION_LABELS": CONDITION_LABELS,
            "STATUS_LABELS": STATUS_LABELS}

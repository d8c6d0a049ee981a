"""The menu: each entry names its endpoint and the permission needed to see it."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from web.access import can

# (endpoint, label, permission). Entries whose blueprint is not registered are left out.
MENU = [
    ("pages.index", _l("Overview"), "view_places"),
    ("register.agencies", _l("Agencies"), "view"),
    ("register.fonds_list", _l("Fonds"), "view"),
    ("register.boxes", _l("Boxes"), "view"),
    ("register.search", _l("Search"), "view"),
    ("locations.tree", _l("Stores"), "view_places"),
    ("imports.start", _l("Import"), "import"),
    ("sorting.index", _l("Sorting"), "rebox"),
    ("scan.page", _l("Scan"), "scan"),
    ("labels.index", _l("Labels"), "labels"),
    ("stocktakes.index", _l("Stock-takes"), "view"),
    ("tracking.index", _l("Movements"), "view"),
    ("handovers.index", _l("Handovers"), "view"),
    ("alerts.index", _l("Alerts"), "view_places"),
    ("devices.index", _l("Devices"), "manage_devices"),
    ("scanners.index", _l("Scanners"), "manage_devices"),
    ("admin.users", _l("Users"), "manage_users"),
    ("admin.audit", _l("Audit trail"), "audit"),
]

ROLE_LABELS = {
    "admin": _l("administrator"),
    "archivist": _l("archivist"),
    "warehouse": _l("warehouse staff"),
    "patrol": _l("patrol"),
    "auditor": _l("auditor"),
}


def nav_items() -> list[dict]:
    views = current_app.view_functions
    return [{"url": url_for(ep), "label": label} for ep, label, perm in MENU
            if ep in views and (can(perm) or can("view") and perm == "view_places")]


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))

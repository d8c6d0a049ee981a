"""Server-side checks of roles: every route names the permission it needs.

The marker: every view function carries `permission`, the permission it checks (one of those in
warehouse.accounts.PERMISSIONS). `requires` sets it. A view that authenticates a device by its bearer
token (the API) sets `permission` to what it checks for a logged-in user and `token_auth = True`.
Only a short allowlist goes without (static, login, logout, language, API health):
tests/integration/test_security_routes.py walks the URL map and fails for any other view."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, request
from flask_login import current_user, login_required

from warehouse.accounts import allowed


def requires(permission: str):
    """Route decorator: a logged-in, active user whose role grants `permission`, else 403."""

    def wrap(view):
        @wraps(view)
        @login_required
        def inner(*args, **kwargs):
            if not allowed(current_user.role, permission):
                abort(403, description=f"role {current_user.role!r} may not {permission}")
            return view(*args, **kwargs)

        inner.permission = permission
        return inner

    return wrap


def can(permission: str) -> bool:
    """For templates: whether the current user may do this."""
    return bool(getattr(current_user, "is_authenticated", False)) and allowed(current_user.role, permission)


def actor() -> str:
    """Who is acting, for the audit trail: the user, or the device of an API token."""
    if getattr(current_user, "is_authenticated", False):
        return current_user.name
    device = g.get("api_device")
    return f"device:{device}" if device else f"anonymous@{request.remote_addr}"

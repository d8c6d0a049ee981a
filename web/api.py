"""The JSON API at /api/v1: scan batches from devices (bearer tokens), box look-ups, health.

Devices authenticate with `Authorization: Bearer <token>` (CSRF does not apply: no cookie is
trusted for a write). Views that take a token carry the access marker `permission` (what a
logged-in user needs instead, where a session is accepted) and `token_auth = True`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request
from flask_login import current_user

import warehouse
from warehouse import accounts
from warehouse.models import Device
from warehouse.scans.ingest import ScanRules, StoredMeanwhile, ingest
from warehouse.scans.lookup import box_info
from web.db import db_session

bp = Blueprint("api", __name__)


def _fail(status: int, reason: str, **headers):
    response = jsonify({"error": reason})
    response.status_code = status
    response.headers.update(headers)
    return response


def _token_device(header: str):
    """The device of the request's bearer token, or a 401 response saying why not."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _fail(401, "use Authorization: Bearer <device token>", **{"WWW-Authenticate": "Bearer"})
    device = accounts.device_for_token(db_session(), token.strip())
    if device is None:
        return _fail(401, "unknown or revoked token, or its owner's account is disabled",
                     **{"WWW-Authenticate": 'Bearer error="invalid_token"'})
    g.api_device = device.name
    return device


def token_or_login(permissions: tuple[str, ...] | None) -> Callable:
    """A device token; or, when `permissions` are given, a logged-in user with one of them."""

    def wrap(view):
        @wraps(view)
        def inner(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if header or not permissions:
                device = _token_device(header)
                if not isinstance(device, Device):
                    return device
                return view(device, *args, **kwargs)
            if not getattr(current_user, "is_authenticated", False):
                return _fail(401, "log in, or use Authorization: Bearer <device token>",
                             **{"WWW-Authenticate": "Bearer"})
            if not any(accounts.allowed(current_user.role, p) for p in permissions):
                return _fail(403, f"role {current_user.role!r} may not look up boxes")
            return view(None, *args, **kwargs)

        inner.permission = (permissions or ("scan",))[0]
        inner.token_auth = True
        return inner

    return wrap


def _rules() -> ScanRules:
    return ScanRules.from_settings(current_app.config)


@bp.get("/health")
def health():
    """For load balancers: no login, no database."""
    return {"ok": True, "version": warehouse.__version__}


@bp.post("/scans")
@token_or_login(None)
def scans(device):
    """A batch of scan events from the token's device: {"events": [...]}."""
    body = request.get_json(silent=True)
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list):
        return _fail(400, 'send a JSON object {"events": [...]}')
    for index, event in enumerate(events, start=1):
        named = event.get("device") if isinstance(event, dict) else None
        if isinstance(named, str) and named != device.name:
            return _fail(403, f"event {index} is from device {named!r}; this token is for {device.name!r}")
    session = db_session()
    try:
        result = ingest(session, events, actor=f"device:{device.name}", rules=_rules())
        session.commit()
    except StoredMeanwhile as e:
        session.rollback()
        return _fail(503, str(e), **{"Retry-After": "1"})
    return result.to_json()


@bp.get("/boxes/<path:code>")
@token_or_login(("scan", "view"))
def box(_device, code: str):
    """A box by its code or EPC: its home, and where and when it was last seen."""
    found = box_info(db_session(), code, _rules().company_prefix)
    if found is None:
        return _fail(404, f"no box has the code or EPC {code!r}")
    return found

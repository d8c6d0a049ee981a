"""Kho's HTTP faces: blueprints that parse a request, call a warehouse service and render."""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def _locale() -> str:
    from flask import current_app

    langs = current_app.config.get("LANGUAGES", ["vi", "en"])
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "vi")


def register_web(app: Flask) -> None:
    from web import (
        admin,
        alerts,
        api,
        auth,
        devices,
        handovers,
        imports,
        labels,
        locations,
        pages,
        register,
        scan,
        scanners,
        sorting,
        stocktakes,
        tracking,
    )
    from web.db import close_session

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.teardown_appcontext(close_session)
    for module in (auth, pages, register, locations, imports, sorting, admin, devices, scan, scanners,
                   stocktakes, tracking, alerts, handovers, labels):
        app.register_blueprint(module.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    csrf.exempt(api.bp)  # the API authenticates each request by a bearer token, not a cookie

    @app.get("/lang/<code>")
    def set_language(code: str):
        if code in app.config.get("LANGUAGES", ["vi", "en"]):
            session["lang"] = code
        return redirect(request.referrer or url_for("pages.index"))

    @app.context_processor
    def _globals():
        from flask_babel import get_locale

        from web.access import can
        from web.nav import nav_items, role_label

        return {"lang": str(get_locale() or "vi"), "nav_items": nav_items, "role_label": role_label,
                "can": can}

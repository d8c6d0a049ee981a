"""Every route is guarded on the server: anonymous visitors are turned away, each view names the
permission it checks (web.access's marker), and each role gets exactly its menu pages."""

import pytest

from warehouse.accounts import PERMISSIONS, ROLES, allowed
from web.nav import MENU

# The only views anyone may open without logging in.
PUBLIC = {"static", "auth.login", "auth.logout", "set_language", "api.health"}
KNOWN_PERMISSIONS = set().union(*PERMISSIONS.values())


def _path(rule) -> str:
    """A concrete path for a rule, with a made-up value for each variable."""
    values = {arg: 1 if type(rule._converters[arg]).__name__ in ("IntegerConverter", "FloatConverter")
              else "X1" for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def unguarded(app) -> list[str]:
    """Views that lack the permission marker, or that let an anonymous request through."""
    app.config["WTF_CSRF_ENABLED"] = False  # reach the login check, not the CSRF one
    client, problems = app.test_client(), []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        view = app.view_functions[rule.endpoint]
        permission = getattr(view, "permission", None)
        if permission not in KNOWN_PERMISSIONS:
            problems.append(f"{rule.endpoint}: no known permission marker ({permission!r})")
        api = rule.rule.startswith("/api/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_path(rule), method=method)
            refused = (response.status_code in (401, 403) if api else
                       response.status_code == 302 and "/login" in response.headers.get("Location", ""))
            if not refused:
                problems.append(f"{method} {rule.rule} ({rule.endpoint}): anonymous got {response.status_code}")
    return problems


def test_every_route_but_the_public_ones_turns_anonymous_visitors_away(app):
    assert unguarded(app) == []


def test_a_route_added_without_a_check_is_caught(app):
    @app.get("/leak")
    def leak():
        return "the register, to anyone"

    problems = unguarded(app)
    assert any(p.startswith("leak:") for p in problems)
    assert any(p.startswith("GET /leak") for p in problems)


def test_the_public_views_open_without_login(client):
    assert client.get("/login").status_code == 200
    assert client.get("/lang/en").status_code == 302


# Which role opens which page (200) and which gets 403: stated by hand, not derived.
MATRIX = {
    "pages.index": {"admin", "archivist", "warehouse", "patrol", "auditor"},
    "admin.users": {"admin"},
    "admin.audit": {"admin", "auditor"},
    "devices.index": {"admin", "warehouse"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_its_pages_and_is_refused_the_others(role, login, app):
    client = login(role)
    for endpoint, roles in MATRIX.items():
        path = next(app.url_map.iter_rules(endpoint)).rule
        expected = 200 if role in roles else 403
        assert client.get(path).status_code == expected, f"{role} on {endpoint}"


@pytest.mark.parametrize("role", ROLES)
def test_each_menu_entry_opens_exactly_for_the_roles_it_is_shown_to(role, login, app):
    client = login(role)
    for endpoint, _label, permission in MENU:
        if endpoint not in app.view_functions:
            continue
        path = next(app.url_map.iter_rules(endpoint)).rule
        expected = 200 if allowed(role, permission) else 403
        assert client.get(path).status_code == expected, f"{role} on {endpoint} ({permission})"


def test_the_menu_lists_only_what_the_role_may_open(login):
    html = login("patrol").get("/").get_data(as_text=True)
    assert "/admin/users" not in html and "/devices" not in html and "/admin/audit" not in html
    html = login("admin", "root").get("/").get_data(as_text=True)
    assert "/admin/users" in html and "/devices" in html and "/admin/audit" in html

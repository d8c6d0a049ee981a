"""Who may see and change the register and the stores: checked on the server for every route."""

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.register_seed import seed
from warehouse.models import AuditEntry

MINE = ("register.", "locations.")


def _posts(app) -> list[str]:
    """A concrete path for every POST route of the register and the stores."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(MINE) and "POST" in rule.methods:
            values = {"code": "K01-D01-G01-N01" if rule.endpoint.startswith("locations.") else "P012",
                      "agency_id": 1, "file_id": 1, "number": 1}
            paths.append(rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1])
    return paths


@pytest.mark.parametrize("role", ["auditor", "warehouse", "patrol"])
def test_roles_that_only_look_get_403_on_every_post_and_change_nothing(role, login, db, app):
    seed(db)
    client = login(role)
    token = csrf_token(client)
    with db.reading() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    paths = _posts(app)
    assert len(paths) >= 14
    for path in paths:
        response = client.post(path, data={"csrf_token": token, "code": "X1", "name": "X", "number": "5",
                                           "kind": "kho", "fonds": "P012", "status": "active"})
        assert response.status_code == 403, path
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_the_auditor_sees_the_register_but_no_form_to_change_it(login, db):
    seed(db)
    client = login("auditor")
    for path in ("/agencies", "/fonds", "/fonds/P012", "/boxes", "/boxes/P012-H0001", "/search?q=ho+so",
                 "/locations", "/locations/K01-D01-G01"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'method="post"' not in response.get_data(as_text=True).replace(
            'method="post" action="/logout"', ""), path
    assert client.get("/files/1/edit").status_code == 403


def test_a_patrol_sees_the_stores_but_not_the_register(login, db):
    seed(db)
    client = login("patrol")
    assert client.get("/").status_code == 200
    tree = client.get("/locations")
    assert tree.status_code == 200 and "K01-D01-G01-N01" in tree.get_data(as_text=True)
    shelf = client.get("/locations/K01-D01-G01-N01").get_data(as_text=True)
    assert "P012-H0001" not in shelf  # which boxes sit there is the register's business
    for path in ("/agencies", "/fonds", "/fonds/P012", "/boxes", "/boxes/P012-H0001", "/search?q=ho"):
        assert client.get(path).status_code == 403, path
    overview = client.get("/").get_data(as_text=True)
    assert 'id="figure-files"' not in overview and 'id="figure-shelves"' in overview


def test_a_form_without_its_csrf_token_is_refused(login, db):
    client = login("archivist")
    assert client.post("/agencies", data={"name": "Sở Y tế"}).status_code == 400
    assert client.post("/locations", data={"code": "K02", "name": "Kho 2", "kind": "kho"}).status_code == 400

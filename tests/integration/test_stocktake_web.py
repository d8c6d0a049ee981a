"""Stock-takes in the browser's requests: open, follow and close through forms with their CSRF token;
reads posted to /api/v1/scans with a device token; roles, blind mode, exports and comparison."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.integration.test_stocktake_service import N1, N2, ev, seed
from warehouse import accounts
from warehouse.models import Stocktake


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def token(db, device: str) -> str:
    with db.transaction() as s:
        return accounts.issue_token(s, device, "test")[1]


def post_reads(client, plain: str, events: list[dict], stocktake: int):
    body = {"events": [{**e, "context": {"stocktake": stocktake}} for e in events]}
    response = client.post("/api/v1/scans", json=body, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def open_form(client, **fields) -> int:
    data = {"csrf_token": csrf_token(client, "/stocktakes/new"), "scope": "", "fonds": "", **fields}
    response = client.post("/stocktakes/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_warehouse_user_opens_follows_and_closes_a_stock_take(db, login):
    seed(db)
    client = login("warehouse")
    sid = open_form(client, scope="K01-D01-G01", note="Kiểm kê định kỳ")
    page = client.get(f"/stocktakes/{sid}").get_data(as_text=True)
    assert 'id="rack-map"' in page and f'data-shelf="{N1}"' in page and "Kiểm kê định kỳ" in page
    plain = token(db, "HH-01")
    post_reads(client, plain, [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P012-H0001", 1),
                               ev("HH-01", 3, "P012-H0005", 2)], sid)
    doc = client.get(f"/stocktakes/{sid}/progress.json").get_json()
    assert (doc["seen"], doc["expected"]) == (2, 6)
    assert {s["shelf"]: s["seen"] for s in doc["shelves"]} == {N1: 1, N2: 1}
    response = client.post(f"/stocktakes/{sid}/close", data={"csrf_token": csrf_token(client, f"/stocktakes/{sid}")})
    assert response.status_code == 302
    page = client.get(f"/stocktakes/{sid}").get_data(as_text=True)
    assert 'id="result-chart"' in page and "P012-H0002" in page and 'class="flash ok"' in page
    result = client.get(f"/stocktakes/{sid}/result.json").get_json()
    assert result["misplaced"] == [{"box": "P012-H0005", "expected": N2, "found": N1}]
    assert result["found"] == ["P012-H0001"] and len(result["missing"]) == 4


def test_a_recount_through_the_form_sets_the_shelf_back_to_zero(db, login):
    seed(db)
    client = login("archivist")
    sid = open_form(client, scope="K01")
    post_reads(client, token(db, "HH-02"), [ev("HH-02", 1, N1, 0), ev("HH-02", 2, "P012-H0002", 1)], sid)
    response = client.post(f"/stocktakes/{sid}/recount", data={
        "csrf_token": csrf_token(client, f"/stocktakes/{sid}"), "shelf": N1}, follow_redirects=True)
    assert "set aside" in response.get_data(as_text=True)
    doc = client.get(f"/stocktakes/{sid}/progress.json").get_json()
    assert {s["shelf"]: s["seen"] for s in doc["shelves"]}[N1] == 0 and doc["recounts"][0]["shelf"] == N1


def test_a_refused_open_is_flashed_and_saves_nothing(db, login):
    seed(db)
    client = login("warehouse")
    response = client.post("/stocktakes/", data={"csrf_token": csrf_token(client, "/stocktakes/new"),
                                                  "scope": "K01-C01"}, follow_redirects=True)
    assert 'class="flash error"' in response.get_data(as_text=True)
    with db.transaction() as s:
        assert s.scalars(select(Stocktake)).all() == []


def test_forms_without_their_csrf_token_are_refused(db, login):
    seed(db)
    client = login("warehouse")
    assert client.post("/stocktakes/", data={"scope": "K01"}).status_code == 400
    with db.transaction() as s:
        assert s.scalars(select(Stocktake)).all() == []


@pytest.mark.parametrize("role", ["auditor", "patrol"])
def test_roles_without_the_stocktake_permission_cannot_open_recount_or_close(db, login, client, role):
    seed(db)
    sid = open_form(login("warehouse"), scope="K01")
    client = login(role)
    token_ = csrf_token(client, "/")
    for url, data in (("/stocktakes/", {"scope": "K01"}), (f"/stocktakes/{sid}/recount", {"shelf": N1}),
                      (f"/stocktakes/{sid}/close", {})):
        assert client.post(url, data={"csrf_token": token_, **data}).status_code == 403
    with db.transaction() as s:
        assert s.get(Stocktake, sid).is_open


def test_a_blind_stock_take_shows_viewers_only_what_was_scanned(db, login):
    seed(db)
    sid = open_form(login("warehouse"), scope="K01", blind="1")
    client = login("auditor")
    response = client.get(f"/stocktakes/{sid}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/stocktakes/{sid}/count")
    assert client.get(f"/stocktakes/{sid}/progress.json").status_code == 403
    counter = login("patrol")
    post_reads(counter, token(db, "HH-03"), [ev("HH-03", 1, N1, 0), ev("HH-03", 2, "P012-H0003", 1)], sid)
    doc = counter.get(f"/stocktakes/{sid}/scanned.json").get_json()
    assert doc["boxes"] == 1 and "expected" not in doc and doc["recent"][0]["code"] == "P012-H0003"
    assert "P012-H0003" in counter.get(f"/stocktakes/{sid}/count").get_data(as_text=True)
    assert counter.get("/stocktakes/").status_code == 403  # the list needs "view"


def test_exports_and_comparison_from_the_pages(db, login):
    seed(db)
    client = login("warehouse")
    first = open_form(client, scope="K01")
    assert client.get(f"/stocktakes/{first}/export.pdf").status_code == 409  # still open
    client.post(f"/stocktakes/{first}/close", data={"csrf_token": csrf_token(client, "/stocktakes/")})
    second = open_form(client, scope="K01")
    post_reads(client, token(db, "HH-04"), [ev("HH-04", 1, N2, 0), ev("HH-04", 2, "P012-H0006", 1)], second)
    client.post(f"/stocktakes/{second}/close", data={"csrf_token": csrf_token(client, "/stocktakes/")})
    xlsx = client.get(f"/stocktakes/{second}/export.xlsx")
    pdf = client.get(f"/stocktakes/{second}/export.pdf")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK" and "kiem-ke-" in xlsx.headers["Content-Disposition"]
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    page = client.get(f"/stocktakes/compare?a={first}&b={second}").get_data(as_text=True)
    assert 'id="found_again"' in page and "P012-H0006" in page
    listing = client.get("/stocktakes/").get_data(as_text=True)
    assert f'data-id="{first}"' in listing and f'data-id="{second}"' in listing

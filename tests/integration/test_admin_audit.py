"""The audit trail page: newest entries first, paged, filtered, with the chain's verdict and head."""

from sqlalchemy import text

from tests.conftest import PASSWORD
from warehouse import accounts, audit


def _entries(db, count):
    with db.transaction() as s:
        for i in range(count):
            audit.record(s, "lan", "box.move", f"box:P012-H{i:04d}", to="K01-D01-G01-N01")
        return audit.head(s)


def test_the_page_shows_the_newest_entries_and_the_head_hash(login, db, app):
    app.config["PAGE_SIZE"] = 5
    client = login("auditor", "kiem")
    head = _entries(db, 12)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert head in html
    assert "box:P012-H0011" in html and "box:P012-H0007" in html and "box:P012-H0006" not in html
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "box:P012-H0006" in second and "box:P012-H0002" in second and "box:P012-H0011" not in second
    assert "K01-D01-G01-N01" in second


def test_a_filter_keeps_matching_entries_only(login, db):
    client = login("admin", "root")
    _entries(db, 3)
    with db.transaction() as s:
        accounts.create_user(s, "hoa", "patrol", PASSWORD)
    html = client.get("/admin/audit?q=USER:HOA").get_data(as_text=True)
    assert "user:hoa" in html and "box:P012" not in html


def test_verifying_reports_an_intact_chain(login, db):
    client = login("auditor", "kiem")
    _entries(db, 3)
    html = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert 'class="flash ok verdict"' in html


def test_verifying_names_the_altered_entry(login, db):
    client = login("auditor", "kiem")
    _entries(db, 3)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE target = 'box:P012-H0001'"))
    html = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert 'class="flash error verdict"' in html and "altered" in html

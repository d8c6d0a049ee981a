"""The accounts pages speak Vietnamese first: role names and refusals come from the catalogue."""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import csrf_token
from web import babel

ROOT = Path(__file__).resolve().parents[2]
ROLE_NAMES = ("quản trị viên", "lưu trữ viên", "thủ kho", "bảo vệ", "kiểm tra")


@pytest.fixture
def app(db, tmp_path):
    """The app with the Vietnamese catalogue compiled afresh from translations/ (as `make` does)."""
    from app import create_app

    po = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    mo = tmp_path / "translations" / "vi" / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    with po.open("rb") as source, mo.open("wb") as target:
        write_mo(target, read_po(source, locale="vi"))
    application = create_app({"DATABASE_URL": db.url, "TESTING": True, "SECRET_KEY": "test",
                              "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations")})
    application.extensions["kho_db"].dispose()
    application.extensions["kho_db"] = db
    with application.app_context():
        babel.domain_instance.cache.clear()  # catalogues are cached per process, not per app
    yield application
    with application.app_context():
        babel.domain_instance.cache.clear()


def _options(html: str) -> list[str]:
    """The labels of the role picker of the new-user form."""
    form = html.split('name="role">', 1)[1].split("</select>", 1)[0]
    return [part.split("</option>", 1)[0] for part in form.split('">')[1:]]


def test_role_names_are_vietnamese_by_default_and_english_on_request(login):
    client = login("admin", "root")
    assert _options(client.get("/admin/users").get_data(as_text=True)) == list(ROLE_NAMES)
    client.get("/lang/en")
    assert _options(client.get("/admin/users").get_data(as_text=True)) == [
        "administrator", "archivist", "warehouse staff", "patrol", "auditor"]


def test_a_refusal_is_told_in_vietnamese(login):
    client = login("admin", "root")
    client.post("/admin/users/role", data={"user": "root", "role": "patrol",
                                           "csrf_token": csrf_token(client, "/admin/users")})
    html = client.get("/admin/users").get_data(as_text=True)
    assert "không thể đổi vai trò của &#34;root&#34;" in html and "quản trị viên cuối cùng" in html

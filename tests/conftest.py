"""Fixtures: every database test runs on SQLite and, when KHO_TEST_PG_URL is set, on PostgreSQL.

KHO_TEST_PG_URL names a PostgreSQL server database a role may connect to with CREATEDB rights
(`.ci/run` sets postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test process makes its
own database there, builds the schema once and empties the tables between tests."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from warehouse.db import Database
from warehouse.models import Base

PG_URL = os.environ.get("KHO_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("pg", marks=pytest.mark.skipif(not PG_URL, reason="KHO_TEST_PG_URL unset"))]


@pytest.fixture(scope="session")
def pg_database():
    """A private PostgreSQL database for this test process, dropped at the end."""
    name = f"kho_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    database = Database(url)
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty(database: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A Database with Kho's schema and no rows, on SQLite or PostgreSQL."""
    if request.param == "pg":
        database = request.getfixturevalue("pg_database")
        _empty(database)
        yield database
        return
    database = Database(f"sqlite:///{tmp_path}/kho.db")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def app(db):
    from app import create_app

    application = create_app({"DATABASE_URL": db.url, "TESTING": True, "SECRET_KEY": "test"})
    application.extensions["kho_db"].dispose()
    application.extensions["kho_db"] = db
    db.info["kho_settings"] = application.config  # as create_app gives its Database
    yield application
    db.info.pop("kho_settings", None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner(mix_stderr=False) if _mix_stderr_supported() else app.test_cli_runner()


def _mix_stderr_supported() -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


PASSWORD = "correct-horse-1"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2id still, but with the library's cheapest test profile: logins are most tests' set-up."""
    from argon2 import PasswordHasher, profiles

    from warehouse import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def login(app, client, db):
    """login(role) makes a user of that role (named after it) and logs the test client in."""
    from warehouse import accounts

    def _login(role: str, name: str | None = None):
        name = name or f"{role}-user"
        with db.transaction() as s:
            if s.scalar(text("SELECT 1 FROM users WHERE name = :n").bindparams(n=name)) is None:
                accounts.create_user(s, name, role, PASSWORD)
        with client.session_transaction() as sess:
            sess.clear()
        page = client.get("/login")
        token = page.get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    return _login


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of a page the logged-in client can open, for posting forms in tests."""
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]

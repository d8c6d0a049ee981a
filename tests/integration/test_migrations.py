"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL,
and `init-db` may be run again on an up-to-date database without harm."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from tests.conftest import BACKENDS, PASSWORD, PG_URL
from warehouse import accounts, schema
from warehouse.db import Database
from warehouse.models import Base

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    name = f"kho_migrate_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _differences(engine) -> list[str]:
    """What autogenerate would change to make the database match the models, one line each."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [str(diff) for diff in compare_metadata(context, Base.metadata)]


def _heads() -> set[str]:
    return set(ScriptDirectory.from_config(schema.alembic_config("sqlite://")).get_heads())


def test_the_migrations_give_the_schema_of_the_models(empty_url):
    database = Database(empty_url)
    try:
        schema.upgrade(database.engine)
        assert _differences(database.engine) == []
        with database.engine.connect() as conn:
            assert set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) == _heads()
    finally:
        database.dispose()


def test_init_db_twice_keeps_the_schema_and_the_rows(empty_url):
    from app import create_app

    app = create_app({"DATABASE_URL": empty_url, "TESTING": True, "SECRET_KEY": "test"})
    runner = app.test_cli_runner()
    database = app.extensions["kho_db"]
    try:
        assert runner.invoke(args=["init-db"]).exit_code == 0
        with database.transaction() as s:
            accounts.create_user(s, "lan", "archivist", PASSWORD)
        tables = set(inspect(database.engine).get_table_names())
        again = runner.invoke(args=["init-db"])
        assert again.exit_code == 0, again.output
        database.engine.dispose()
        assert set(inspect(database.engine).get_table_names()) == tables
        assert _differences(database.engine) == []
        with database.transaction() as s:
            assert accounts.get_user(s, "lan").role == "archivist"
    finally:
        database.dispose()


def test_init_db_from_the_shell_creates_the_sqlite_file_it_is_given(tmp_path):
    target = tmp_path / "var" / "kho.db"
    env = {**os.environ, "KHO_DATABASE_URL": f"sqlite:///{target}"}
    flask = [sys.executable, "-m", "flask", "--app", "app", "init-db"]
    for _ in range(2):
        done = subprocess.run(flask, check=False, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
    assert target.exists()
    engine = create_engine(f"sqlite:///{target}")
    try:
        assert _differences(engine) == []
    finally:
        engine.dispose()

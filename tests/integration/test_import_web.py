"""Importing from the web: upload → preview (nothing saved) → confirm → background job → done."""

import io
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_import_register import BAD, counts, csv_register, field_register, write_locations
from warehouse.models import Box, File, ImportJob


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path


def upload(client, kind, path, token=True):
    data = {"kind": kind, "file": (io.BytesIO(path.read_bytes()), path.name)}
    if token:
        data["csrf_token"] = csrf_token(client, "/imports/")
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def wait_for(client, job_id: int) -> dict:
    """Poll the job's status as the page does, until it is no longer waiting or running."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/imports/{job_id}/status").get_json()
        if status["status"] not in ("queued", "running"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"import {job_id} still {status['status']}")


def run(client, kind, path) -> dict:
    sent = upload(client, kind, path)
    assert sent.status_code == 303
    job_id = int(sent.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    confirmed = client.post(f"/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/imports/")})
    assert confirmed.status_code == 303
    return wait_for(client, job_id)


def test_an_archivist_previews_confirms_and_the_import_completes(login, db, uploads):
    client = login("archivist")
    assert "/imports/" in client.get("/").get_data(as_text=True)  # the menu leads here
    assert run(client, "locations", write_locations(uploads))["status"] == "done"
    sent = upload(client, "register", field_register(uploads))
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Hồ sơ về đất đai năm 1997" in page and "/confirm" in page
    assert counts(db)["boxes"] == 0  # a preview saves nothing
    job_id = int(sent.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(f"/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/imports/")})
    status = wait_for(client, job_id)
    assert status["status"] == "done", status
    assert (status["result"]["boxes"], status["result"]["files"]) == (4, 8)
    assert (status["done"], status["total"]) == (8, 8)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Box)) == 4
        assert s.scalar(select(func.count()).select_from(File)) == 8
        assert s.scalar(select(ImportJob.created_by).where(ImportJob.id == job_id)) == "archivist-user"
    again = client.post(f"/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/imports/")})
    assert again.status_code == 303 and counts(db)["files"] == 8  # a job runs once


def test_a_file_with_errors_lists_them_all_and_cannot_be_confirmed(login, db, uploads):
    client = login("admin")
    run(client, "locations", write_locations(uploads))
    before = counts(db)
    sent = upload(client, "register", csv_register(uploads, BAD))
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    job_id = int(sent.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert f"/imports/{job_id}/confirm" not in page
    assert page.count("<tr><td>") >= 12 and "Mã vạch hộp" in page and "not a shelf" in page
    forced = client.post(f"/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/imports/")})
    assert forced.status_code == 303
    assert client.get(f"/imports/{job_id}/status").get_json()["status"] == "refused"
    assert counts(db) == before


def test_the_warehouse_role_may_not_import(login, uploads):
    client = login("warehouse")
    assert client.get("/imports/").status_code == 403
    assert upload(client, "locations", write_locations(uploads), token=False).status_code in (400, 403)
    client.get("/")  # a page it may see, for its CSRF token
    data = {"kind": "locations", "file": (io.BytesIO(write_locations(uploads).read_bytes()), "l.csv"),
            "csrf_token": csrf_token(client, "/")}
    assert client.post("/imports/", data=data, content_type="multipart/form-data").status_code == 403


def test_an_upload_without_its_csrf_token_is_refused(login, db, uploads):
    client = login("archivist")
    assert upload(client, "locations", write_locations(uploads), token=False).status_code == 400
    assert counts(db)["locations"] == 0


def test_only_csv_and_xlsx_files_are_taken(login, uploads):
    client = login("archivist")
    path = uploads / "register.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    sent = upload(client, "register", path)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/imports/")

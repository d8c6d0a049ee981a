"""The Labels page on both databases: who may use it, finding a box by fonds and number, its label
previewed, printed to PDF or to the thermal printer (a TCP listener here), sheets drawn in the
background with progress, downloads, and the way on to the Scan page."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.integration.test_labels_cli import Printer
from tests.integration.test_labels_roundtrip import AGENCY, seed_store
from warehouse.models import AuditEntry, Box, PrintRun


@pytest.fixture
def app(app):
    """These tests read the English msgids on the pages: English is the default language here."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


@pytest.fixture
def labelled(app, db, tmp_path):
    app.config["LABELS_DIR"] = str(tmp_path / "labels")
    seed_store(db)
    return app


def run_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def wait_for(client, number: int) -> dict:
    """Poll the run's status as the page does, until it is no longer waiting or printing."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/labels/runs/{number}/status").get_json()
        if status["status"] not in ("queued", "running"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"print run {number} still {status['status']}")


@pytest.mark.parametrize("role", ["patrol", "auditor"])
def test_roles_without_the_labels_permission_are_refused(labelled, login, role):
    client = login(role)
    assert client.get("/labels/").status_code == 403
    assert client.get("/labels/box?fonds=P012&number=1").status_code == 403
    assert "/labels/" not in client.get("/").get_data(as_text=True)


def test_warehouse_staff_find_a_box_by_fonds_and_number_and_see_its_label(labelled, login):
    client = login("warehouse")
    assert "/labels/" in client.get("/").get_data(as_text=True)  # the menu leads here
    assert "P012" in client.get("/labels/").get_data(as_text=True)
    page = client.get("/labels/box?fonds=p012&number=1").get_data(as_text=True)
    for words in (AGENCY, "HỘP SỐ 1", "Từ hồ sơ số 01 Đến hồ sơ số 03", "/scan", "K01-P01-D01-G01-N01"):
        assert words in page, words
    image = client.get("/labels/preview.png?code=P012-H0001")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert client.get("/labels/preview.png?code=K01-CONG").status_code == 200
    assert client.get("/labels/preview.png?code=NOPE").status_code == 404


def test_a_box_that_is_not_there_is_said_so(labelled, login):
    client = login("warehouse")
    response = client.get("/labels/box?fonds=P012&number=99", follow_redirects=True)
    assert "P012 has no box number 99" in response.get_data(as_text=True)


def test_one_label_as_pdf_is_recorded_audited_and_downloaded(labelled, login, db):
    client = login("archivist")
    token = csrf_token(client, "/labels/")
    number = run_id(client.post("/labels/print", data={"csrf_token": token, "code": "P012-H0002", "to": "pdf",
                                                        "template": "a4-2x4"}))
    page = client.get(f"/labels/runs/{number}").get_data(as_text=True)
    assert f"/labels/runs/{number}/file" in page
    download = client.get(f"/labels/runs/{number}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    with db.reading() as s:
        run = s.get(PrintRun, number)
        assert (run.status, run.done, run.template, run.created_by) == ("done", 1, "a4-2x4", "archivist-user")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "labels.print")).one()
        assert (entry.target, entry.actor) == (f"print_run:{number}", "archivist-user") and "P012-H0002" in entry.detail
    assert f"#{number}" in client.get("/labels/box?code=P012-H0002").get_data(as_text=True)


def test_one_label_goes_to_the_thermal_printer_with_its_rfid_epc(labelled, login, db):
    printer = Printer()
    try:
        labelled.config.update(LABEL_PRINTER=f"127.0.0.1:{printer.port}", LABEL_PRINTER_RFID=True)
        client = login("warehouse")
        token = csrf_token(client, "/labels/")
        response = client.post("/labels/print", data={"csrf_token": token, "code": "P012-H0001", "to": "printer"},
                               follow_redirects=True)
        assert "scan the shelf label and the box label" in response.get_data(as_text=True)
    finally:
        printer.close()
    with db.reading() as s:
        epc = s.scalar(select(Box.epc).where(Box.code == "P012-H0001"))
        run = s.scalars(select(PrintRun)).one()
    assert epc and run.rfid and run.output == "zpl" and run.template == "thermal-100x50"
    assert len(printer.received) == 1
    data = printer.received[0].decode("ascii")
    assert "^FDP012-H0001^FS" in data and f"^RFW,H,,,A^FD{epc}^FS" in data


def test_printing_to_a_printer_that_is_not_set_is_refused(labelled, login, db):
    client = login("warehouse")
    token = csrf_token(client, "/labels/")
    response = client.post("/labels/print", data={"csrf_token": token, "code": "P012-H0001", "to": "printer"},
                           follow_redirects=True)
    assert "No thermal printer is set" in response.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalars(select(PrintRun)).all() == []


def test_a_sheet_is_drawn_in_the_background_with_its_progress(labelled, login, db):
    client = login("warehouse")
    token = csrf_token(client, "/labels/")
    number = run_id(client.post("/labels/runs", data={"csrf_token": token, "selection": "fonds", "value": "P012",
                                                      "template": "a4-3x8", "output": "pdf"}))
    assert client.get(f"/labels/runs/{number}").status_code == 200
    status = wait_for(client, number)
    assert (status["status"], status["done"], status["total"]) == ("done", 5, 5)
    assert client.get(f"/labels/runs/{number}/file").data.startswith(b"%PDF")


def test_location_labels_and_a_shelf_range_from_the_page(labelled, login, db):
    client = login("warehouse")
    token = csrf_token(client, "/labels/")
    places = run_id(client.post("/labels/runs", data={"csrf_token": token, "selection": "locations",
                                                      "value": "K01", "kinds": ["cong", "diem"], "output": "zpl"}))
    shelf = run_id(client.post("/labels/runs", data={"csrf_token": token, "selection": "homed",
                                                     "value": "K01-P01-D01-G01-N01", "output": "pdf"}))
    assert wait_for(client, places)["done"] == 2 and wait_for(client, shelf)["done"] == 3
    data = client.get(f"/labels/runs/{places}/file").get_data(as_text=True)
    assert "^FDK01-CONG^FS" in data and "^FDK01-P01-DIEM1^FS" in data and "^FDP012" not in data


def test_a_bad_request_is_refused_and_says_why(labelled, login, db):
    client = login("warehouse")
    token = csrf_token(client, "/labels/")
    response = client.post("/labels/runs", data={"csrf_token": token, "selection": "boxes",
                                                 "value": "P012-H0001, NOPE"}, follow_redirects=True)
    assert "no box with code NOPE" in response.get_data(as_text=True)
    assert client.post("/labels/runs", data={"selection": "fonds", "value": "P012"}).status_code == 400  # CSRF
    with db.reading() as s:
        assert s.scalars(select(PrintRun)).all() == []


def test_a_run_that_does_not_exist_is_404(labelled, login):
    client = login("warehouse")
    assert client.get("/labels/runs/999").status_code == 404
    assert client.get("/labels/runs/999/file").status_code == 404

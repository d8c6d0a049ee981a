"""Handovers from the web on both databases: upload → preview (nothing saved) → confirm → the import
job completes; reconciliation page, JSON and XLSX; marking checked; the official list; roles and CSRF."""

import io
import json
import time

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_handover_service import GIVER, LIST_ROWS, RECEIVER, counted, field_list, seed
from warehouse.models import AuditEntry, Handover, HandoverRow, ImportJob

FORM = {"fonds": "P002", "giver": GIVER, "receiver": RECEIVER, "date": "2025-07-15",
        "giver_person": "Nguyễn Văn A", "receiver_person": "Trần Thị B"}


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path


def upload(client, path, token=True, **form):
    data = {**FORM, **form, "file": (io.BytesIO(path.read_bytes()), path.name)}
    if token:
        data["csrf_token"] = csrf_token(client, "/handovers/new")
    return client.post("/handovers/new", data=data, content_type="multipart/form-data")


def job_of(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def wait_for(client, job_id: int) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/handovers/imports/{job_id}/status").get_json()
        if status["status"] not in ("queued", "running"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"import {job_id} still {status['status']}")


def imported(client, path) -> int:
    job_id = job_of(upload(client, path))
    sent = client.post(f"/handovers/imports/{job_id}/confirm",
                       data={"csrf_token": csrf_token(client, "/handovers/")})
    assert sent.status_code == 303
    status = wait_for(client, job_id)
    assert status["status"] == "done", status
    return status["result"]["id"]


def count(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_an_archivist_previews_a_list_confirms_it_and_the_import_completes(login, db, uploads):
    seed(db)
    client = login("archivist")
    assert "/handovers/" in client.get("/").get_data(as_text=True)  # the menu leads here
    job_id = job_of(upload(client, field_list(uploads)))
    page = client.get(f"/handovers/imports/{job_id}").get_data(as_text=True)
    assert 'id="confirm"' in page and GIVER in page and "Hồ sơ về thi đua, khen thưởng năm 2016" in page
    assert count(db, Handover) == count(db, HandoverRow) == 0  # nothing saved before confirming
    sent = client.post(f"/handovers/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/handovers/")})
    status = wait_for(client, job_of(sent))
    assert status["status"] == "done" and (status["result"]["rows"], status["result"]["boxes"]) == (LIST_ROWS, 5)
    assert status["done"] == status["total"] == LIST_ROWS
    hid = status["result"]["id"]
    done = client.get(f"/handovers/imports/{job_id}").get_data(as_text=True)
    assert f"/handovers/{hid}" in done
    shown = client.get(f"/handovers/{hid}").get_data(as_text=True)
    assert "Nguyễn Văn A" in shown and "03.KH" in shown and RECEIVER in shown
    with db.reading() as s:
        assert s.get(Handover, hid).handed_on.isoformat() == "2025-07-15"


def test_a_bad_list_is_refused_at_preview_and_cannot_be_confirmed(login, db, uploads):
    seed(db)
    client = login("archivist")
    bad = field_list(uploads, [("Hộp một", [("01", "A", None, None, None)])])
    job_id = job_of(upload(client, bad))
    page = client.get(f"/handovers/imports/{job_id}").get_data(as_text=True)
    assert 'class="errors"' in page and 'id="confirm"' not in page
    client.post(f"/handovers/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/handovers/")})
    with db.reading() as s:
        assert s.get(ImportJob, job_id).status == "refused"
    assert count(db, Handover) == 0


def test_a_list_of_an_unknown_fonds_goes_back_to_the_form_with_its_values(login, db, uploads):
    seed(db)
    client = login("archivist")
    sent = upload(client, field_list(uploads), fonds="P999")
    assert sent.status_code == 303 and "/handovers/new?" in sent.headers["Location"]
    again = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "P999" in again and GIVER in again
    assert count(db, ImportJob) == 0


def test_reconciliation_page_json_and_xlsx_agree(login, db, uploads):
    seed(db)
    sid = counted(db)
    client = login("archivist")
    hid = imported(client, field_list(uploads))
    doc = client.get(f"/handovers/{hid}/reconcile.json?stocktake={sid}").get_json()
    assert doc["summary"]["matched"] == 2 and doc["extra"] == ["P002-H0005"]
    page = client.get(f"/handovers/{hid}/reconcile?stocktake={sid}").get_data(as_text=True)
    assert 'id="reconcile-chart"' in page and 'data-outcome="missing">2<' in page and "P002-H0009" in page
    body = client.get(f"/handovers/{hid}/reconcile.xlsx?stocktake={sid}&lang=en")
    book = load_workbook(io.BytesIO(body.data))
    summary, boxes, counts = book.worksheets
    assert dict(summary.iter_rows(values_only=True))["Missing"] == "2"
    lines = [row[1:4] for row in boxes.iter_rows(min_row=2, values_only=True)]
    assert ("P002-H0003", "Misplaced", "K01-D01-G02-N1") in lines and len(lines) == 5 + 1  # listed + extra
    assert list(counts.iter_rows(min_row=2, values_only=True)) == [(1, "P002-H0002", 1, 2)]
    assert client.get(f"/handovers/{hid}/reconcile.json").get_json()["basis"]["last_known"] is True
    assert client.get(f"/handovers/{hid}/reconcile.json?stocktake={sid + 7}").status_code == 404


def test_the_page_names_a_box_held_away_with_its_state(login, db, uploads):
    from datetime import date, timedelta

    from warehouse.tracking import checkouts

    seed(db)
    counted(db)
    with db.transaction() as s:
        checkouts.check_out(s, "test", ["P002-H0002"], kind="reading_room", borrower="Phòng đọc",
                            due_on=date.today() + timedelta(days=3))
    client = login("archivist")
    hid = imported(client, field_list(uploads))
    page = client.get(f"/handovers/{hid}/reconcile?lang=vi").get_data(as_text=True)
    assert 'data-state="checked_out">đang cho mượn</span>' in page
    assert client.get(f"/handovers/{hid}/reconcile.json").get_json()["away"] == [
        {"box": "P002-H0002", "state": "checked_out"}]


def test_marking_checked_needs_the_csrf_token_and_is_audited(login, db, uploads):
    seed(db)
    sid = counted(db)
    client = login("archivist")
    hid = imported(client, field_list(uploads))
    assert client.post(f"/handovers/{hid}/check", data={"stocktake": sid}).status_code == 400
    sent = client.post(f"/handovers/{hid}/check",
                       data={"stocktake": sid, "csrf_token": csrf_token(client, "/handovers/")})
    assert sent.status_code == 303
    with db.reading() as s:
        assert s.get(Handover, hid).state == "checked"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "handover.check")).one()
        assert entry.actor == "archivist-user" and json.loads(entry.detail)["stocktake"] == sid


def test_an_upload_without_the_csrf_token_is_refused(login, db, uploads):
    seed(db)
    client = login("archivist")
    assert upload(client, field_list(uploads), token=False).status_code == 400
    assert count(db, ImportJob) == 0


@pytest.mark.parametrize("role, see, act, official", [
    ("admin", 200, 200, 200), ("archivist", 200, 200, 200), ("warehouse", 200, 403, 403),
    ("auditor", 200, 403, 200), ("patrol", 403, 403, 403),
])
def test_each_role_sees_acts_and_exports_only_as_it_may(login, db, uploads, role, see, act, official):
    seed(db)
    hid = imported(login("archivist"), field_list(uploads))
    client = login(role)
    assert client.get("/handovers/").status_code == see
    assert client.get(f"/handovers/{hid}").status_code == see
    assert client.get("/handovers/new").status_code == act
    assert client.get(f"/handovers/{hid}/reconcile").status_code == act
    assert client.get(f"/handovers/{hid}/reconcile.xlsx").status_code == act
    assert client.get("/handovers/official").status_code == official
    assert client.get("/handovers/official.xlsx?fonds=P002").status_code == official


def test_restricted_titles_of_a_list_are_hidden_from_warehouse_staff(login, db, uploads):
    seed(db)
    path = uploads / "list.csv"
    path.write_text("Hộp số,Số hồ sơ,Tiêu đề,Chế độ sử dụng\n1,01,Hồ sơ mật về đất,Mật\n1,02,Hồ sơ thường,\n",
                    encoding="utf-8")
    hid = imported(login("archivist"), path)
    assert "Hồ sơ mật về đất" in login("archivist").get(f"/handovers/{hid}").get_data(as_text=True)
    page = login("warehouse").get(f"/handovers/{hid}").get_data(as_text=True)
    assert "Hồ sơ mật về đất" not in page and "Hồ sơ thường" in page


def test_the_official_list_downloads_as_xlsx_and_pdf_and_is_audited(login, db, uploads):
    seed(db)
    client = login("archivist")
    body = client.get("/handovers/official.xlsx?fonds=P002&part=both")
    assert body.status_code == 200 and "muc-luc-P002" in body.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(body.data))
    assert book.sheetnames == ["Đã hoàn thành", "Chưa hoàn thành"]
    values = [v for row in book.worksheets[1].iter_rows(values_only=True) for v in row if v is not None]
    assert "03.KH" in values and "07.TH" in values and "01.VP" not in values
    assert "Mục lục này gồm: 2 hồ sơ (đơn vị bảo quản)." in values
    pdf = client.get("/handovers/official.pdf?fonds=P002&part=completed")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/handovers/official.xlsx?fonds=P999").status_code == 404
    assert client.get("/handovers/official.xlsx?fonds=P002&part=some").status_code == 400
    with db.reading() as s:
        actions = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "handover.official")).all()
    assert [json.loads(d)["format"] for d in actions] == ["xlsx", "pdf"]

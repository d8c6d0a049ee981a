"""A 50,000-row handover list through the web: previewed, confirmed, imported by the background job in
batches whose progress the page polls; the whole list saved, the register untouched."""

import time

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_handover_service import seed
from tests.integration.test_handover_web import job_of, upload
from warehouse.handover.lists import BATCH
from warehouse.models import Box, File, HandoverBox, HandoverRow

pytestmark = pytest.mark.slow
ROWS = 50_000


def big_list(folder):
    path = folder / "danh-muc-50000.csv"
    lines = ["Hộp/cặp số,Số TT,\"Số, ký hiệu hồ sơ\",Tiêu đề hồ sơ,Thời gian tài liệu,Thời hạn bảo quản,Số tờ"]
    lines += [f"{(i - 1) // 5 + 1 if i % 5 == 1 else ''},{i},{i:05d}.VP,Hồ sơ số {i} về đất đai,2001-2002,"
              f"Vĩnh viễn,10" for i in range(1, ROWS + 1)]
    lines.append("Mục lục này gồm 50.000 hồ sơ (đơn vị bảo quản).")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_50000_row_list_imports_with_its_progress_polled(login, db, app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    seed(db)
    client = login("archivist")
    job_id = job_of(upload(client, big_list(tmp_path)))
    assert 'id="confirm"' in client.get(f"/handovers/imports/{job_id}").get_data(as_text=True)
    with db.reading() as s:
        before = (s.scalar(select(func.count()).select_from(Box)), s.scalar(select(func.count()).select_from(File)))
    client.post(f"/handovers/imports/{job_id}/confirm", data={"csrf_token": csrf_token(client, "/handovers/")})
    seen = []
    while True:
        status = client.get(f"/handovers/imports/{job_id}/status").get_json()
        seen.append(status["done"])
        if status["status"] not in ("queued", "running"):
            break
        time.sleep(0.05)
    assert status["status"] == "done", status
    assert (status["done"], status["total"]) == (ROWS, ROWS)
    assert set(seen) <= set(range(0, ROWS + 1, BATCH))  # progress moves a batch at a time
    assert (status["result"]["rows"], status["result"]["boxes"]) == (ROWS, ROWS // 5)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HandoverRow)) == ROWS
        assert s.scalar(select(func.count()).select_from(HandoverBox)) == ROWS // 5
        assert (s.scalar(select(func.count()).select_from(Box)),
                s.scalar(select(func.count()).select_from(File))) == before

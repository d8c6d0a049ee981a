"""An archivist imports a field-style handover list through the preview, reconciles it against a closed
stock-take, and downloads the reconciliation (XLSX) and the fonds' official list (XLSX and PDF)."""

import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.integration.test_handover_service import GIVER, LIST_ROWS, RECEIVER, counted, field_list, seed
from warehouse.models import Handover


def downloaded(tab, click: str, folder, name: str):
    """Click something that downloads a file; the file, saved under `name`."""
    with tab.expect_download() as download:
        tab.click(click)
    path = folder / name
    download.value.save_as(path)
    return path


def handovers(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Handover))


def test_an_archivist_imports_reconciles_and_downloads_the_report_and_the_official_list(
        db, page, live_server, user_in_browser, tmp_path):
    seed(db)
    sid = counted(db)
    tab = user_in_browser(page, "archivist")
    tab.click("header .menu a[href='/handovers/']")
    tab.click("a[href='/handovers/new']")
    tab.select_option("select[name=fonds]", "P002")
    tab.fill("input[name=giver]", GIVER)
    tab.fill("input[name=receiver]", RECEIVER)
    tab.fill("input[name=date]", "2025-07-15")
    tab.fill("input[name=giver_person]", "Nguyễn Văn A")
    tab.set_input_files("input[name=file]", str(field_list(tmp_path)))
    tab.click("#import-upload button[type=submit]")

    expect(tab.locator("#preview .rows")).to_have_text(str(LIST_ROWS))  # the preview, nothing saved yet
    expect(tab.locator("#preview .boxes")).to_have_text("5")
    expect(tab.locator("table.preview")).to_contain_text("Hồ sơ về thi đua, khen thưởng năm 2016")
    assert handovers(db) == 0
    tab.click("#confirm")
    expect(tab.locator("#job-done")).to_be_visible(timeout=30000)  # the progress page reloads when done
    assert handovers(db) == 1
    tab.click("#job-done a.button")
    expect(tab.locator("#rows tbody tr")).to_have_count(LIST_ROWS)

    tab.select_option("#reconcile-form select[name=stocktake]", str(sid))
    tab.click("#reconcile-form button[type=submit]")
    expect(tab.locator("#reconcile-chart [data-outcome=matched]")).to_have_text("2")
    expect(tab.locator("#reconcile-chart [data-outcome=missing]")).to_have_text("2")
    expect(tab.locator("#misplaced")).to_contain_text("P002-H0003")
    expect(tab.locator("#extra")).to_contain_text("P002-H0005")
    report = load_workbook(downloaded(tab, "#report-xlsx", tmp_path, "doi-chieu.xlsx"))
    lines = {row[1]: row[3:5] for row in report.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert lines["P002-H0003"] == ("K01-D01-G02-N1", "K01-D01-G01-N2") and "P002-H0009" in lines
    assert list(report.worksheets[2].iter_rows(min_row=2, values_only=True)) == [(1, "P002-H0002", 1, 2)]

    tab.goto(f"{live_server.url}/handovers/")
    tab.click("a[href='/handovers/official']")
    tab.select_option("#official-form select[name=fonds]", "P002")
    tab.select_option("#official-form select[name=part]", "both")
    book = load_workbook(downloaded(tab, "#official-xlsx", tmp_path, "muc-luc.xlsx"))
    completed, unfinished = book.worksheets
    cells = [v for row in completed.iter_rows(values_only=True) for v in row if v is not None]
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in cells and "Tiêu đề hồ sơ" in cells
    assert "Mục lục này gồm: 8 hồ sơ (đơn vị bảo quản)." in cells
    assert "Hồ sơ thanh tra đất đai" in cells  # a restricted title: the list is for archivists
    assert any("Kế hoạch phát triển kinh tế" in str(v) for row in unfinished.iter_rows(values_only=True) for v in row)
    pdf = downloaded(tab, "#official-pdf", tmp_path, "muc-luc.pdf")
    if not shutil.which("pdftotext"):
        pytest.skip("no pdftotext to read the PDF back")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text and "Hồ sơ chưa hoàn thành" in text
    assert "Hồ sơ về thi đua, khen thưởng năm 2016" in text and "Viết bằng chữ: Tám hồ sơ" in text

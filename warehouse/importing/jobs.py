"""Imports started from the web: a job row is made at preview, confirmed, then run in a background
thread that writes its progress where the page can poll it.

While an import runs its transaction holds SQLite's write lock, so progress is also kept in memory
(read by the same process); on PostgreSQL it is written to the job row as well, for every worker."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from warehouse.db import Database, is_postgres
from warehouse.errors import ImportRefused, NotFound, Refused
from warehouse.importing.load_locations import import_locations, preview_locations
from warehouse.importing.load_register import import_register, preview_register
from warehouse.importing.sheets import file_digest
from warehouse.models import ImportJob
from warehouse.models.base import utcnow
from warehouse.models.imports import IMPORT_KINDS


def _handover_list(*args, **kwargs) -> dict:
    """A handover list (warehouse.handover reuses this flow; imported late: it builds on this package)."""
    from warehouse.handover.lists import import_list

    return import_list(*args, **kwargs)


PREVIEWS = {"locations": preview_locations, "register": preview_register}
# Kinds a job may run: a job's preview may carry "options" (keyword arguments of its import).
IMPORTS = {"locations": import_locations, "register": import_register, "handover": _handover_list}
_progress: dict[int, tuple[int, int]] = {}
_lock = threading.Lock()


def preview(session: Session, kind: str, path: Path, filename: str) -> dict:
    """What importing the file would do (counts, first rows, warnings, every error); saves nothing."""
    if kind not in IMPORT_KINDS:
        raise Refused(f"unknown import {kind!r}: one of {', '.join(IMPORT_KINDS)}")
    try:
        return PREVIEWS[kind](session, path, filename=filename)
    except ImportRefused as e:  # the file could not be read at all
        return {"kind": kind, "filename": filename, "errors": e.errors, "warnings": [], "total": 0,
                "new": {}, "existing": {}, "rows": []}


def create_job(session: Session, kind: str, path: Path, filename: str, actor: str, summary: dict) -> ImportJob:
    """A job for a previewed file: ready to confirm, or refused if the preview found errors."""
    job = ImportJob(kind=kind, filename=filename[:255], stored_path=str(path), digest=file_digest(path),
                    status="refused" if summary["errors"] else "previewed", total=summary["total"],
                    preview=json.dumps(summary, ensure_ascii=False, default=str),
                    errors=json.dumps(summary["errors"], ensure_ascii=False), created_by=actor)
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"no import {job_id}")
    return job


def confirm(session: Session, job_id: int) -> ImportJob:
    """Queue a previewed job; a refused, running or finished one cannot be confirmed."""
    job = get_job(session, job_id)
    if job.status != "previewed":
        raise Refused(f"import {job_id} is {job.status}: only a previewed file without errors can be imported")
    if not Path(job.stored_path).exists() or file_digest(job.stored_path) != job.digest:
        raise Refused(f"the file of import {job_id} is gone or changed since its preview: upload it again")
    job.status = "queued"
    return job


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(done, total) of a job: what this process knows in memory, else what the row says."""
    with _lock:
        return _progress.get(job.id, (job.done, job.total))


def _set(database: Database, job_id: int, **values) -> None:
    with database.transaction() as s:
        s.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


def _reporter(database: Database, job_id: int):
    """A progress callback: memory always, the job row too on PostgreSQL (at most twice a second)."""
    last = [0.0]
    to_row = is_postgres(database.engine)

    def report(done: int, total: int) -> None:
        with _lock:
            _progress[job_id] = (done, total)
        now = time.monotonic()
        if to_row and (now - last[0] >= 0.5 or done >= total):
            last[0] = now
            _set(database, job_id, done=done, total=total)

    return report


def run_job(database: Database, job_id: int, actor: str) -> None:
    """Run a queued job to its end: done with its result, refused with its errors, or failed."""
    with database.transaction() as s:
        job = get_job(s, job_id)
        kind, path, filename = job.kind, job.stored_path, job.filename
        options = json.loads(job.preview or "{}").get("options") or {}
        job.status, job.started_at = "running", utcnow()
    try:
        with database.transaction() as s:
            result = IMPORTS[kind](s, path, actor, progress=_reporter(database, job_id), filename=filename,
                                   **options)
    except ImportRefused as e:
        _set(database, job_id, status="refused", finished_at=utcnow(),
             errors=json.dumps(e.errors, ensure_ascii=False, default=str))
    except Exception as e:  # noqa: BLE001 — a background thread must record every failure
        _set(database, job_id, status="failed", finished_at=utcnow(),
             errors=json.dumps([{"row": None, "column": None, "error": f"{type(e).__name__}: {e}"}]))
    else:
        with _lock:
            saved = _progress.get(job_id, (0, 0))[1]
        _set(database, job_id, status="done", finished_at=utcnow(), done=saved, total=saved,
             result=json.dumps(result, ensure_ascii=False, default=str))
    finally:
        with _lock:
            _progress.pop(job_id, None)

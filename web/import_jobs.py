"""Import jobs in the browser, the same for a handover list (web/handovers.py) as for a file of locations or
a register (web/imports.py): where uploads are kept, what the job's page shows, its progress as JSON for
the page's script, and confirming it to run in a background thread."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

from flask import Response, current_app, flash, jsonify, redirect, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from warehouse.errors import KhoError
from warehouse.importing import jobs
from warehouse.models import ImportJob
from web.access import actor
from web.db import database, db_session

SUFFIXES = (".csv", ".xlsx", ".xlsm")
STATUSES = {
    "previewed": _l("previewed: ready to import"), "refused": _l("refused"), "queued": _l("waiting"),
    "running": _l("importing"), "done": _l("imported"), "failed": _l("failed"),
}


def saved_upload(sent: FileStorage, name: str) -> Path:
    """The uploaded file, kept under a name of its own (UPLOAD_DIR, else instance/uploads) until it is run."""
    folder = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    sent.save(path)
    return path


def page(found: ImportJob) -> dict:
    """What a job's page shows: the job, its preview, errors, result and rows done of total."""
    done, total = jobs.progress_of(found)
    return {"job": found, "preview": json.loads(found.preview or "{}"), "errors": json.loads(found.errors or "[]"),
            "result": json.loads(found.result or "{}"), "done": done, "total": total, "statuses": STATUSES}


def status(found: ImportJob) -> Response:
    """The job's progress, which its page polls while it is queued or running."""
    done, total = jobs.progress_of(found)
    return jsonify({"id": found.id, "status": found.status, "done": done, "total": total,
                    "errors": len(json.loads(found.errors or "[]")), "result": json.loads(found.result or "{}")})


def confirm(job_id: int, page_endpoint: str, thread: str):
    """Queue a previewed job and run it in a background thread named `thread`; back to its page either way."""
    session = db_session()
    back = redirect(url_for(page_endpoint, job_id=job_id), 303)
    try:
        jobs.confirm(session, job_id)
    except KhoError as e:
        session.rollback()
        flash(str(e), "error")
        return back
    session.commit()
    threading.Thread(target=jobs.run_job, args=(database(), job_id, actor()), name=thread, daemon=True).start()
    return back

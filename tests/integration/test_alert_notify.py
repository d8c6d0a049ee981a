"""Notifications of alerts reach a local SMTP server and a local HTTP receiver, after commit only."""

import email
import json
import queue
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.integration.register_seed import seed
from warehouse.scans.ingest import ingest


class _SMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP to take messages: each one is put on the server's queue with its envelope."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink")
        rcpt: list[str] = []
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.got.put((rcpt, email.message_from_bytes(data)))
                rcpt = []
                self.reply("250 taken")
            elif verb == "RCPT":
                rcpt.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.got.put((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _serve(server):
    server.got = queue.Queue()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def receivers():
    smtp = _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTP))
    hook = _serve(HTTPServer(("127.0.0.1", 0), _Hook))
    yield smtp, hook
    for server in (smtp, hook):
        server.shutdown()
        server.server_close()


def _configure(app, smtp, hook, **rule):
    app.config.update(ALERT_SMTP_HOST="127.0.0.1", ALERT_SMTP_PORT=smtp.server_address[1],
                      ALERT_MAIL_FROM="kho@kho.test",
                      ALERT_NOTIFY=[{"KIND": "unauthorised_exit", "EMAIL": ["baove@kho.test"],
                                     "WEBHOOK": [f"http://127.0.0.1:{hook.server_address[1]}/canh-bao"]},
                                    {"KIND": "*", "MIN_SEVERITY": "high", "EMAIL": ["truongkho@kho.test"],
                                     **rule}])


def _gate_read(seq=1):
    return {"device": "GATE-1", "seq": seq, "code": "P012-H0002", "kind": "barcode",
            "at": "2026-03-01T08:00:00+07:00", "location": "K01-CONG"}


def test_an_unauthorised_exit_is_mailed_and_posted_with_the_alert(app, db, receivers):
    smtp, hook = receivers
    seed(db)
    _configure(app, smtp, hook)
    with app.app_context(), db.transaction() as s:
        ingest(s, [_gate_read(), {**_gate_read(2), "code": "XYZ-999"}], actor="t")  # unknown_code: low, not sent
    path, content_type, body = hook.got.get(timeout=10)
    assert (path, content_type) == ("/canh-bao", "application/json; charset=utf-8")
    assert body == {"kind": "unauthorised_exit", "severity": "critical", "box": "P012-H0002", "code": "P012-H0002",
                    "location": "K01-CONG", "count": 1, "first_at": "2026-03-01T01:00:00+00:00",
                    "at": "2026-03-01T01:00:00+00:00", "message": body["message"]}
    mails = [smtp.got.get(timeout=10), smtp.got.get(timeout=10)]
    assert sorted(to for rcpt, _m in mails for to in rcpt) == ["baove@kho.test", "truongkho@kho.test"]
    for _rcpt, mail in mails:
        assert mail["From"] == "kho@kho.test"
        assert mail["Subject"] == "[Kho] critical unauthorised_exit: P012-H0002"
        assert "location: K01-CONG" in mail.get_payload()
    assert body["message"] == "a box passed a gate without a transfer or check-out"
    assert smtp.got.empty() and hook.got.empty()


def test_nothing_is_sent_when_the_transaction_rolls_back(app, db, receivers):
    smtp, hook = receivers
    seed(db)
    _configure(app, smtp, hook)
    with pytest.raises(RuntimeError), app.app_context(), db.transaction() as s:
        ingest(s, [_gate_read()], actor="t")
        raise RuntimeError("something later in the use case failed")
    with app.app_context(), db.transaction() as s:  # a later commit of another session sends nothing old
        ingest(s, [{**_gate_read(5), "code": "XYZ-999"}], actor="t")
    with pytest.raises(queue.Empty):
        hook.got.get(timeout=1)
    assert smtp.got.empty()


def test_a_receiver_that_is_down_does_not_fail_the_reads_and_the_others_still_get_it(app, db, receivers):
    smtp, hook = receivers
    seed(db)
    _configure(app, smtp, hook, WEBHOOK=["http://127.0.0.1:9/nobody-listens"])
    with app.app_context(), db.transaction() as s:
        result = ingest(s, [_gate_read()], actor="t")
    assert result.accepted == 1
    assert hook.got.get(timeout=10)[0] == "/canh-bao"
    assert {smtp.got.get(timeout=10)[0][0], smtp.got.get(timeout=10)[0][0]} == {"baove@kho.test",
                                                                              "truongkho@kho.test"}

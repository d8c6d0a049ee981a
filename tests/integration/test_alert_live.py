"""Alerts across processes and on a schedule: Redis wakes every stream at once; the server's sweep
thread raises what is due."""

import shutil
import socket
import subprocess
import threading
import time

import pytest

from tests.integration.register_seed import seed
from tests.integration.test_alerts_web import _one, _read, listen
from warehouse.alerts import listing
from warehouse.scans.ingest import ingest
from web import alert_live


@pytest.fixture
def redis_url():
    """A private redis-server on a free port (skipped where none is installed)."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("no redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_with_redis_a_stream_wakes_when_another_process_raises_an_alert(app, db, login, redis_url):
    seed(db)
    app.config.update(REDIS_URL=redis_url, ALERT_STREAM_POLL_SECONDS=600)  # only Redis can wake it in time
    client = login("patrol")
    response = client.get("/alerts/stream?after=0", buffered=False)
    events, stop, reader = listen(response)
    assert events.get(timeout=10).startswith("retry:")
    assert events.get(timeout=10) == ": ping"  # woken by its subscription's confirmation: listening now
    with app.app_context(), db.transaction() as s:
        ingest(s, [_read(1, "XYZ-777")], actor="t")
    while "event: alert" not in (event := events.get(timeout=20)):  # pings: wakes with nothing new
        pass
    assert "XYZ-777" in event
    stop.set()
    alert_live.publish(redis_url)  # wake it once more so the reader sees the stop and hangs up
    reader.join(timeout=10)


def test_the_sweep_thread_raises_what_is_due_until_stopped(app, db):
    seed(db)
    with db.transaction() as s:
        ingest(s, [_read(1, "P012-H0001")], actor="t")
        ingest(s, [_read(1, "P012-H0002")], actor="t")  # same (device, seq), other code: a conflict
    stop = threading.Event()
    sweeper = threading.Thread(target=alert_live.sweep_forever, args=(app, 0.05, stop), daemon=True)
    sweeper.start()
    for _ in range(200):
        with db.transaction() as s:
            if listing.alerts(s, kind="scan_conflict"):
                break
        time.sleep(0.05)
    stop.set()
    sweeper.join(timeout=10)
    assert not sweeper.is_alive()
    assert (_one(db)["kind"], _one(db)["count"]) == ("scan_conflict", 1)


def test_the_server_starts_no_sweep_thread_under_testing_or_when_turned_off(db):
    from app import create_app

    for config in ({"TESTING": True, "ALERT_SWEEP_SECONDS": 1}, {"TESTING": False, "ALERT_SWEEP_SECONDS": 0}):
        application = create_app({"DATABASE_URL": db.url, "SECRET_KEY": "t", **config})
        application.test_client().get("/api/v1/health")
        assert "kho_alert_sweep" not in application.extensions


def test_the_server_starts_one_sweep_thread_with_its_first_request(db):
    from app import create_app

    application = create_app({"DATABASE_URL": db.url, "SECRET_KEY": "t", "TESTING": False,
                              "ALERT_SWEEP_SECONDS": 3600})
    client = application.test_client()
    assert "kho_alert_sweep" not in application.extensions
    client.get("/api/v1/health")
    stop, thread = application.extensions["kho_alert_sweep"]
    client.get("/api/v1/health")
    assert application.extensions["kho_alert_sweep"] == (stop, thread) and thread.is_alive()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()

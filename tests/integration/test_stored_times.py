"""A moment given with an offset is stored as the same moment on both databases (SQLite keeps no
offset: Kho stores UTC), so that what a sweep compares and what a page shows agree."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from tests.integration.test_tracking_service import build
from warehouse.alerts.sweep import sweep
from warehouse.models import Alert, Transfer
from warehouse.scans.catalog import naive_utc
from warehouse.tracking import transfers

HANOI = timezone(timedelta(hours=7))


def test_an_expected_arrival_given_at_plus_seven_is_stored_and_swept_as_that_moment(db):
    build(db)
    expected = datetime(2026, 3, 2, 15, 0, tzinfo=HANOI)  # 08:00 UTC
    with db.transaction() as s:
        tid = transfers.create_transfer(s, "anna", ["P001-H0001"], "K01", destination="K02",
                                        expected_at=expected)["id"]
        transfers.dispatch(s, "anna", tid, load_all=True)
    with db.reading() as s:
        stored = s.scalar(select(Transfer.expected_at).where(Transfer.id == tid))
    assert naive_utc(stored) == datetime(2026, 3, 2, 8, 0)
    with db.transaction() as s:
        assert sweep(s, datetime(2026, 3, 2, 7, 59, tzinfo=UTC))["raised"] == 0  # 14:59 in Hà Nội: not yet
    with db.transaction() as s:
        assert sweep(s, datetime(2026, 3, 2, 8, 1, tzinfo=UTC))["raised"] == 1
        assert s.scalar(select(Alert.kind)) == "overdue_transit"

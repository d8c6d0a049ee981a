"""Which notices the ALERT_NOTIFY rules ask for."""

import pytest

from warehouse.alerts.notify import Notice, plan

RULES = [{"KIND": "unauthorised_exit", "EMAIL": ["gate@x"], "WEBHOOK": ["http://h/1"]},
         {"KIND": ["missing", "misplaced"], "MIN_SEVERITY": "high", "EMAIL": ["boss@x"]},
         {"KIND": "*", "MIN_SEVERITY": "critical", "WEBHOOK": ["http://h/all"]}]


def _row(kind, severity):
    return {"kind": kind, "severity": severity, "box": "B1", "code": None, "location": None, "count": 1,
            "first_at": None, "at": None, "message": ""}


@pytest.mark.parametrize(("kind", "severity", "sent"), [
    ("unauthorised_exit", "critical", [("email", "gate@x"), ("webhook", "http://h/1"), ("webhook", "http://h/all")]),
    ("missing", "high", [("email", "boss@x")]),
    ("misplaced", "medium", []),  # below the rule's least severity
    ("unknown_code", "low", []),  # no rule names it
])
def test_each_rule_sends_the_kinds_it_names_at_or_above_its_severity(kind, severity, sent):
    notices = plan([_row(kind, severity)], RULES)
    assert [(n.channel, n.to) for n in notices] == sent
    assert all(isinstance(n, Notice) and n.payload["box"] == "B1" for n in notices)


def test_no_rules_send_nothing():
    assert plan([_row("unauthorised_exit", "critical")], []) == []

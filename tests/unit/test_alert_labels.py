"""Every alert kind, state and severity has words for people; the keys stay the data."""

import pytest

from warehouse.alerts import labels
from warehouse.alerts.rules import KINDS, SEVERITY
from warehouse.models.alerts import ALERT_STATES


def test_every_kind_state_and_severity_has_its_own_words():
    assert set(labels.KIND_WORDS) == set(KINDS)
    assert set(labels.STATE_WORDS) == set(ALERT_STATES)
    assert set(labels.SEVERITY_WORDS) == set(SEVERITY.values())
    for words in labels.WORDS.values():
        assert len(set(words.values())) == len(words)  # no two keys read the same


@pytest.mark.parametrize(("field", "key", "msgid"), [
    ("kind", "unauthorised_exit", "Unauthorised exit"), ("kind", "missing", "Not found"),
    ("state", "acknowledged", "acknowledged"), ("severity", "critical", "critical"),
    ("kind", "some_future_kind", "some_future_kind"),  # no words yet: the key itself
    ("kind", None, ""),
])
def test_label_is_the_msgid_of_a_key(field, key, msgid):
    assert labels.label(field, key) == msgid


def test_labelled_adds_translated_words_and_keeps_the_keys():
    row = {"id": 7, "kind": "misplaced", "state": "open", "severity": "medium", "message": "seen away"}
    got = labels.labelled(row, lambda msgid: f"«{msgid}»")
    assert got == row | {"kind_label": "«Misplaced»", "state_label": "«open»", "severity_label": "«medium»",
                         "message_label": "«seen away»"}


def test_an_empty_message_is_not_looked_up():
    """gettext("") answers the catalogue's header: an empty message stays empty."""
    got = labels.labelled({"kind": "missing", "state": "open", "severity": "high", "message": ""},
                          lambda msgid: "HEADER" if msgid == "" else msgid)
    assert got["message_label"] == ""

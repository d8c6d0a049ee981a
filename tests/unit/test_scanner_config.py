"""Which scanners the daemon runs: config.toml's [[SCANNERS]], KHO_SCANNERS as JSON, --scanner."""

import pytest

from cli.scanner import configured
from scanner.file import FileDriver
from scanner.serial import SerialDriver
from scanner.sim import SimDriver
from warehouse.errors import Refused


def test_scanners_come_from_the_config_tables_and_the_command_line():
    drivers = configured([{"NAME": "HH-01", "URL": "serial:///dev/ttyACM0?suffix=CR"},
                          {"name": "DEMO", "url": "sim://?rate=2"}], ("REPLAY=file://reads.jsonl",))
    assert list(drivers) == ["HH-01", "DEMO", "REPLAY"]
    assert [type(d) for d in drivers.values()] == [SerialDriver, SimDriver, FileDriver]


def test_scanners_given_as_json_in_the_environment_are_read():
    drivers = configured('[{"NAME": "HH-01", "URL": "sim://?seed=1"}]', ())
    assert list(drivers) == ["HH-01"]
    assert configured("", ()) == {}


@pytest.mark.parametrize("entries, extra, says", [
    ([{"NAME": "HH-01"}], (), "entry 1 needs a NAME and a URL"),
    (["sim://"], (), "entry 1 needs a NAME and a URL"),
    ([], ("sim://",), "write NAME=URL"),
    ([{"NAME": "A", "URL": "sim://"}], ("A=sim://?seed=2",), "'A' is configured twice"),
    ([{"NAME": "A", "URL": "sim://?sped=2"}], (), "scanner A: sim://?sped=2: unknown option 'sped'"),
    ([{"NAME": "X" * 81, "URL": "sim://"}], (), "longer than 80"),
])
def test_a_bad_scanner_entry_is_refused_saying_which(entries, extra, says):
    with pytest.raises(Refused) as refused:
        configured(entries, extra)
    assert says in str(refused.value)

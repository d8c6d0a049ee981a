"""Driver URLs: each scheme's grammar, and options refused by name."""

import pytest

from scanner import SCHEMES, UrlError, open_driver
from scanner.file import FileDriver
from scanner.serial import SerialDriver
from scanner.sim import SimDriver


def test_each_scheme_names_its_driver():
    assert SCHEMES == {"serial": SerialDriver, "file": FileDriver, "sim": SimDriver}
    assert isinstance(open_driver("serial:///dev/ttyACM0"), SerialDriver)
    assert isinstance(open_driver("file://reads.jsonl"), FileDriver)
    assert isinstance(open_driver("sim://?rate=2&seed=1"), SimDriver)


@pytest.mark.parametrize("url, port", [
    ("serial:///dev/ttyACM0?baudrate=9600&suffix=CR", "/dev/ttyACM0"),
    ("serial:///dev/serial/by-id/usb-Honeywell_1900-if00", "/dev/serial/by-id/usb-Honeywell_1900-if00"),
    ("serial:loop://?suffix=CRLF", "loop://"),
    ("serial://loop://", "loop://"),
    ("serial:socket://10.0.0.7:4001", "socket://10.0.0.7:4001"),
])
def test_a_serial_url_names_a_device_path_or_a_pyserial_url(url, port):
    assert open_driver(url).port_name == port


def test_serial_options_become_port_settings():
    driver = open_driver("serial:loop://?baudrate=115200&bytesize=7&parity=e&stopbits=2&suffix=tab"
                         "&prefix=%5DC1&kind=rfid&location=K01-CONG01")
    assert driver.settings["baudrate"] == 115200
    assert driver.settings["bytesize"] == 7
    assert driver.settings["parity"] == "E"
    assert driver.settings["stopbits"] == 2
    assert (driver.suffix, driver.prefix, driver.kind, driver.location) == ("TAB", "]C1", "rfid",
                                                                           "K01-CONG01")


@pytest.mark.parametrize("url, named", [
    ("serial:///dev/ttyACM0?baud=9600", "'baud'"),
    ("file://reads.jsonl?speed=2", "'speed'"),
    ("sim://?rat=2", "'rat'"),
    ("serial:///dev/ttyACM0?suffix=ETX", "suffix='ETX'"),
    ("serial:///dev/ttyACM0?baudrate=fast", "baudrate='fast'"),
    ("serial:///dev/ttyACM0?bytesize=9", "bytesize='9'"),
    ("sim://?rate=-1", "rate='-1'"),
    ("serial:///dev/ttyACM0?suffix", "'suffix'"),
    ("serial:///dev/ttyACM0?suffix=CR&suffix=LF", "'suffix' is given twice"),
    ("serial:nosuch://x", "nosuch://"),
    ("usb:///dev/x", "'usb'"),
])
def test_a_bad_url_is_refused_naming_what_is_wrong(url, named):
    with pytest.raises(UrlError) as refused:
        open_driver(url)
    assert named in str(refused.value)


def test_an_unknown_option_is_refused_with_the_known_ones():
    with pytest.raises(UrlError, match=r"unknown option 'baud' \(known: baudrate, bytesize"):
        open_driver("serial:///dev/ttyACM0?baud=9600")


@pytest.mark.parametrize("url", ["serial:", "serial:dev/ttyACM0", "file:reads.jsonl", "file://",
                                 "sim://somewhere"])
def test_a_url_without_its_target_is_refused(url):
    with pytest.raises(UrlError):
        open_driver(url)


def test_a_file_url_keeps_a_relative_or_absolute_path():
    assert str(open_driver("file://reads.jsonl").path) == "reads.jsonl"
    assert str(open_driver("file:///var/lib/kho/reads.jsonl?pace=1").path) == "/var/lib/kho/reads.jsonl"


def test_only_finite_drivers_end_by_themselves():
    assert open_driver("file://reads.jsonl").finite
    assert open_driver("sim://?count=10").finite
    assert not open_driver("sim://").finite
    assert not open_driver("serial:loop://").finite

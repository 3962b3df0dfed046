"""An operator's mistake in delivery.yaml or BRIEF_SMTP_* is a clear, located error.

Never a traceback: a time zone that names a folder of the time-zone database or is too
long for a file name, a grace period or time limit too large for a date, a mail host the
resolver cannot encode, a port no socket has, and cron instants at the calendar's ends.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.config.cron import (
    SCHEDULABLE_FROM,
    SCHEDULABLE_UNTIL,
    fires_between,
    load_zone,
    next_fires,
    parse_cron,
)
from generator.config.loader import load_delivery
from generator.config.smtp import smtp_from_env
from generator.errors import ConfigError

UTC = dt.UTC

HEADER = """\
sender: desk@example.org
schedules:
  - name: weekly
    cron: "0 7 * * 1"
    select: {}
"""


def schedule_errors(tmp_path, line: str) -> list[str]:
    """The formatted problems of a delivery.yaml whose one schedule adds ``line`` (line 6)."""
    path = tmp_path / "delivery.yaml"
    path.write_text(HEADER + f"    {line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_delivery(path, "delivery.yaml")
    return [d.format() for d in caught.value.diagnostics]


@pytest.mark.parametrize("name", ["Europe", "America", "__pycache__", "zone.tab", "Europe/"])
def test_a_folder_or_file_of_the_zone_database_is_an_unknown_time_zone(tmp_path, name):
    [found] = schedule_errors(tmp_path, f"timezone: '{name}'")
    where = "delivery.yaml:6:15: schedules[0].timezone"
    assert found.startswith(f"{where}: unknown time zone '{name}'")


def test_a_region_gets_a_zone_in_it_as_suggestion(tmp_path):
    [found] = schedule_errors(tmp_path, "timezone: Europe")
    assert found.startswith("delivery.yaml:6:15: schedules[0].timezone: unknown time zone 'Europe'")
    assert found.endswith("?)") and "(did you mean 'Europe/" in found


@pytest.mark.parametrize("length", [65, 256, 300, 5000])
def test_a_time_zone_name_too_long_is_refused_and_shortened(tmp_path, length):
    [found] = schedule_errors(tmp_path, f"timezone: {'A' * length}")
    assert found == (
        "delivery.yaml:6:15: schedules[0].timezone: unknown time zone "
        f"'{'A' * 57}...' ({length} characters; a time zone name has at most 64)"
    )


def test_load_zone_raises_config_error_only():
    for name in ["Europe", "A" * 300, "a\x00b", "../etc/passwd", "Etc/../UTC", "\ud800"]:
        with pytest.raises(ConfigError, match="unknown time zone"):
            load_zone(name)
    assert load_zone("America/Argentina/ComodRivadavia") == ZoneInfo(
        "America/Argentina/ComodRivadavia"
    )
    assert load_zone("Etc/GMT+5").key == "Etc/GMT+5"


@pytest.mark.parametrize("value", [10**12, 10**30, 527041])
def test_a_huge_grace_period_is_a_located_error(tmp_path, value):
    [found] = schedule_errors(tmp_path, f"grace_minutes: {value}")
    assert found.startswith("delivery.yaml:6:20: schedules[0].grace_minutes: ")
    assert "527040" in found


@pytest.mark.parametrize("value", [10**12, 10081])
def test_a_huge_time_limit_is_a_located_error(tmp_path, value):
    [found] = schedule_errors(tmp_path, f"time_limit_minutes: {value}")
    assert found.startswith("delivery.yaml:6:25: schedules[0].time_limit_minutes: ")
    assert "10080" in found


def test_the_largest_grace_and_time_limit_load(tmp_path):
    path = tmp_path / "delivery.yaml"
    path.write_text(
        HEADER + "    grace_minutes: 527040\n    time_limit_minutes: 10080\n", encoding="utf-8"
    )
    [item] = load_delivery(path, "delivery.yaml").config.schedules
    assert (item.grace_minutes, item.time_limit_minutes) == (527040, 10080)


def smtp_problems(**env: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        smtp_from_env(env)
    return [d.message for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("smtp..example.org", "an empty label"),
        (".example.org", "an empty label"),
        ("a" * 64 + ".example.org", "longer than 63"),
        ("x" * 254, "longer than 253"),
        ("smtp example.org", "character ' '"),
        ("smtp.example.org:587", "put the port in BRIEF_SMTP_PORT"),
        ("-smtp.example.org", "starts or ends with '-'"),
        ("smtp-.example.org", "starts or ends with '-'"),
        ("smtp\x00.example.org", "character '\\x00'"),
        ("https://smtp.example.org", "character ':'"),
    ],
)
def test_a_host_the_resolver_cannot_take_names_brief_smtp_host(host, why):
    [problem] = smtp_problems(BRIEF_SMTP_HOST=host)
    assert problem.startswith("BRIEF_SMTP_HOST is '")
    assert "not a host name or IP address" in problem
    assert why in problem


@pytest.mark.parametrize(
    "host",
    [
        "smtp.example.org",
        "smtp.example.org.",
        "localhost",
        "127.0.0.1",
        "::1",
        "mail.bücher.de",
        "xn--bcher-kva.de",
        "mail_relay.corp",
        "a" * 63 + ".example.org",
    ],
)
def test_ordinary_hosts_are_accepted(host):
    assert smtp_from_env({"BRIEF_SMTP_HOST": host}).host == host


@pytest.mark.parametrize("port", ["0", "-1", "65536", "70000", "10" * 30, "abc", "1e3", "٣٣"])
def test_a_port_outside_1_to_65535_names_brief_smtp_port(port):
    [problem] = smtp_problems(BRIEF_SMTP_HOST="smtp.example.org", BRIEF_SMTP_PORT=port)
    assert problem.startswith(f"BRIEF_SMTP_PORT is '{port}': it must be a whole number")
    assert "from 1 to 65535" in problem


def test_ports_at_the_ends_of_the_range_are_accepted():
    for port in (1, 65535):
        env = {"BRIEF_SMTP_HOST": "h.example.org", "BRIEF_SMTP_PORT": f" {port} "}
        assert smtp_from_env(env).port == port


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("BRIEF_SMTP_TIMEOUT", "1e12", "from 1 to 3600"),
        ("BRIEF_SMTP_TIMEOUT", "nan", "from 1 to 3600"),
        ("BRIEF_SMTP_TRIES", "5000", "from 1 to 100"),
        ("BRIEF_SMTP_BACKOFF", "1e300", "from 0 to 3600"),
        ("BRIEF_SMTP_BACKOFF", "-inf", "from 0 to 3600"),
    ],
)
def test_timeouts_tries_and_backoff_are_bounded(name, value, words):
    [problem] = smtp_problems(BRIEF_SMTP_HOST="smtp.example.org", **{name: value})
    assert problem.startswith(f"{name} is '{value}': ") and words in problem


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"])
def test_fire_times_at_the_ends_of_the_calendar_end_instead_of_overflowing(zone):
    spec, where = parse_cron("0 7 * * 1"), ZoneInfo(zone)
    late = dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert next_fires(spec, where, late, 3) == []
    assert next_fires(spec, where, SCHEDULABLE_UNTIL - dt.timedelta(hours=1), 3) == []
    early = dt.datetime(1, 1, 1, tzinfo=UTC)
    first = next_fires(spec, where, early, 1)
    assert first and SCHEDULABLE_FROM <= first[0] < SCHEDULABLE_FROM + dt.timedelta(days=8)
    assert fires_between(spec, where, early, early + dt.timedelta(days=30)) == []

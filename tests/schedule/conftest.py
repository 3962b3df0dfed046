"""Fixtures the schedule tests share with the delivery tests: the real SMTP server on
127.0.0.1 (``smtp_server``), defined once in tests/delivery/conftest.py."""

from tests.delivery.conftest import smtp_server  # noqa: F401  (a fixture, used by name)

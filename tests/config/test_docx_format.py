"""``formats`` in delivery.yaml and its schedules accept docx beside pdf and html."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from generator.config import DeliveryConfig


def _config(**extra):
    return {
        "sender": "desk@example.org",
        "lists": {"team": {"recipients": ["a@example.org"]}},
    } | extra


def test_docx_is_a_format_of_a_delivery_and_of_a_schedule():
    config = DeliveryConfig.model_validate(
        _config(
            formats=["pdf", "docx"],
            schedules=[
                {
                    "name": "weekly",
                    "cron": "0 8 * * 1",
                    "select": {"tags": ["ev"]},
                    "formats": ["docx"],
                }
            ],
        )
    )
    assert config.formats == ["pdf", "docx"]
    assert config.schedules[0].formats == ["docx"]


def test_an_unknown_format_is_still_refused():
    with pytest.raises(ValidationError):
        DeliveryConfig.model_validate(_config(formats=["epub"]))

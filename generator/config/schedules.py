"""Checks of the schedules in ``delivery.yaml`` that the model alone cannot make.

Part of reading the configuration, so a misspelt time zone or cron line is an error when
the file is read, located at its field, never a surprise at the first run.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.config.cron import load_zone, parse_cron, unknown_zone
from generator.config.model import DeliveryConfig
from generator.errors import ConfigError


class Problem(NamedTuple):
    """A problem in the schedules of ``delivery.yaml``, at a field path."""

    path: tuple[str | int, ...]
    message: str
    suggestion: str | None = None


def check_schedules(config: DeliveryConfig) -> list[Problem]:
    """Problems the model alone cannot see, each located by its field path.

    Covers cron expressions and time zones (so a misspelt zone is an error at start-up,
    never a silent fall-back to UTC), duplicate names and archiving without PDFs. (Lists
    named in ``send_to`` are checked by the delivery loader with the other list names.)
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, schedule in enumerate(config.schedules):
        where: tuple[str | int, ...] = ("schedules", index)
        try:
            parse_cron(schedule.cron)
        except ConfigError as exc:
            problems.append(Problem((*where, "cron"), str(exc)))
        try:
            load_zone(schedule.timezone)
        except ConfigError:
            message, suggestion = unknown_zone(schedule.timezone)
            problems.append(Problem((*where, "timezone"), message, suggestion))
        if schedule.name in seen:
            problems.append(
                Problem((*where, "name"), f"another schedule is named '{schedule.name}'")
            )
        seen.add(schedule.name)
        if schedule.archive and "pdf" not in schedule.formats:
            problems.append(Problem((*where, "archive"), "archiving needs 'pdf' in formats"))
    return problems

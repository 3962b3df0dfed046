"""Reading the schedules of ``delivery.yaml`` for the schedule commands.

The delivery configuration is validated by the delivery model (structure, types, unknown
keys) and then by :func:`generator.schedule.check_schedules` (cron expressions, time
zones, names); every problem is reported at once as a :class:`ConfigError`.
"""

from __future__ import annotations

import yaml
from pydantic import ValidationError

from generator.config import Settings
from generator.delivery_model import DeliveryConfig
from generator.errors import ConfigError, Diagnostic
from generator.schedule import check_schedules


def load_schedules(settings: Settings) -> DeliveryConfig:
    """The project's delivery configuration with valid schedules; raises :class:`ConfigError`."""
    display = settings.display(settings.delivery_file)
    try:
        data = yaml.safe_load(settings.delivery_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{display} not found: schedules are configured there") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {display}: {exc}") from None
    try:
        config = DeliveryConfig.model_validate(data)
    except ValidationError as exc:
        found = [_diagnostic(display, tuple(e["loc"]), e["msg"]) for e in exc.errors()]
        raise ConfigError(f"{display} has errors", found) from None
    problems = [_diagnostic(display, path, message) for path, message in check_schedules(config)]
    if problems:
        raise ConfigError(f"{display} has errors", problems)
    return config


def _diagnostic(display: str, path: tuple[str | int, ...], message: str) -> Diagnostic:
    dotted = ""
    for part in path:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    return Diagnostic(display, None, None, dotted, message)

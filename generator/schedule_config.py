"""Reading the schedules of ``delivery.yaml`` for the schedule commands.

The file is read by the fact sheets' YAML reader (:mod:`generator.yamlsrc`: YAML 1.2
rules, duplicate keys refused, positions kept), validated by the delivery model, then by
:func:`generator.schedule.check_schedules` (cron expressions, time zones, names); every
problem is reported at once as a :class:`ConfigError`, located as ``file:line:col``.
"""

from __future__ import annotations

from pydantic import ValidationError

from generator import yamlsrc
from generator.config import Settings
from generator.delivery_model import DeliveryConfig
from generator.errors import ConfigError, Diagnostic, FactSheetError
from generator.schedule import check_schedules

#: delivery.yaml is small; anything near this is a mistake.
MAX_BYTES = 1024 * 1024


def load_schedules(settings: Settings) -> DeliveryConfig:
    """The project's delivery configuration with valid schedules; raises :class:`ConfigError`."""
    display = settings.display(settings.delivery_file)
    try:
        data = settings.delivery_file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{display} not found: schedules are configured there") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {display}: {exc.strerror or exc}") from None
    try:
        value, source_map = yamlsrc.parse(data, display, max_bytes=MAX_BYTES)
    except FactSheetError as exc:
        raise ConfigError(f"{display} has errors", exc.diagnostics) from None
    try:
        config = DeliveryConfig.model_validate(value)
    except ValidationError as exc:
        found = [_located(display, source_map, tuple(e["loc"]), e["msg"]) for e in exc.errors()]
        raise ConfigError(f"{display} has errors", found) from None
    problems = [
        _located(display, source_map, path, message) for path, message in check_schedules(config)
    ]
    if problems:
        raise ConfigError(f"{display} has errors", problems)
    return config


def _located(
    display: str, source_map: yamlsrc.SourceMap, path: tuple[str | int, ...], message: str
) -> Diagnostic:
    line, col = source_map.position(path)
    return Diagnostic(display, line, col, yamlsrc.format_path(path), message)

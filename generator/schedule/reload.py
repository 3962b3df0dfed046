"""Re-reading ``delivery.yaml`` under ``brief schedule serve``, without crying wolf.

A file that an edit broke is reported once (one error line, again only if it breaks in
another way) while the previous configuration stays in force; once it is valid again,
one line says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from generator.config import Delivery, DeliveryConfig
from generator.errors import GeneratorError

log = logging.getLogger(__name__)

Loader = Callable[[], Delivery | DeliveryConfig]


class Reloader:
    """Calls ``load`` each time; the loaded configuration, or None to keep the previous."""

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.broken = ""

    def __call__(self) -> Delivery | DeliveryConfig | None:
        try:
            loaded = self.load()
        except GeneratorError as exc:
            problems = "; ".join(d.format() for d in exc.diagnostics) or str(exc)
            if problems != self.broken:
                log.error("keeping the previous configuration: %s: %s", exc, problems)
                self.broken = problems
            return None
        if self.broken:
            log.info("configuration reloaded")
            self.broken = ""
        return loaded

"""Loading ``delivery.yaml``: the same located diagnostics as fact sheets, then lists resolved.

The file goes through the fact-sheet machinery — :func:`generator.factsheet.yamlsrc.parse` (YAML 1.2
rules, duplicate keys, positions) and the loader's conversion of schema errors — and then
through checks the schema cannot express: address syntax, display names on one line,
``include`` naming existing lists without cycles, and the subject template's fields.
Every problem is reported at once, as ``delivery.yaml:12:7: lists.trade-desk.recipients[2]:
'bob@' is not a valid email address (...)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config.addresses import AddressError, Mailbox, make_mailbox, parse_mailbox
from generator.config.model import DeliveryConfig, Recipient, RecipientList
from generator.config.schedules import check_schedules
from generator.config.subject import SUBJECT_FIELDS, SubjectTemplateError, parse_subject
from generator.errors import ConfigError, Diagnostic, FactSheetError
from generator.factsheet import format_path

if TYPE_CHECKING:
    from generator.factsheet import Markings

#: delivery.yaml is small; anything near this is a mistake.
MAX_BYTES = 1024 * 1024

PathT = tuple[str | int, ...]


@dataclass(frozen=True)
class Delivery:
    """A valid ``delivery.yaml``: the model, the sender and every list's recipients."""

    config: DeliveryConfig
    sender: Mailbox
    recipients: dict[str, tuple[Mailbox, ...]]

    def external(self, list_name: str) -> bool:
        """Whether ``list_name`` goes outside the office: only final briefings, and only
        their external edition."""
        return self.config.lists[list_name].external


def load_delivery(path: Path, display: str) -> Delivery:
    """Read and check ``delivery.yaml``; raise :class:`ConfigError` listing every problem."""
    from generator.factsheet import validate_model, yamlsrc

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"{display} not found: copy the example from docs/delivery.md and edit it"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {display}: {exc.strerror or exc}") from None
    try:
        value, source_map = yamlsrc.parse(data, display, max_bytes=MAX_BYTES)
        config = validate_model(DeliveryConfig, value, source_map, display)
    except FactSheetError as exc:
        raise ConfigError(f"{display} has errors", exc.diagnostics) from None
    checker = _Checker(display, source_map, _markings(path.parent))
    delivery = checker.check(config)
    if checker.diagnostics:
        raise ConfigError(f"{display} has errors", checker.diagnostics)
    assert delivery is not None
    return delivery


def _markings(root: Path) -> Markings | None:
    """The markings of the project beside ``delivery.yaml``; None when its
    ``markings.yaml`` is broken (``brief check`` and the send report that file)."""
    from generator.factsheet import load_markings

    try:
        return load_markings(root)
    except FactSheetError:
        return None


def resolve_delivery(config: DeliveryConfig, display: str = "delivery.yaml") -> Delivery:
    """The set-up of a configuration read earlier (sender parsed, lists resolved), without
    reading the file again: what a scheduled run sends with, whatever the file says now.

    Raises :class:`ConfigError` (unlocated) for a configuration that fails the checks.
    """
    checker = _Checker(display, None)
    delivery = checker.check(config)
    if checker.diagnostics or delivery is None:
        raise ConfigError(f"{display} has errors", checker.diagnostics)
    return delivery


def closest(name: str, choices: Sequence[str]) -> str | None:
    """The choice nearest to a mistyped ``name``, if any is near enough."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class _Checker:
    """Collects the diagnostics of the checks the schema cannot express."""

    def __init__(self, display: str, source_map: object, markings: Markings | None = None) -> None:
        self.display = display
        self.source_map = source_map
        self.markings = markings
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: PathT, message: str, suggestion: str | None = None) -> None:
        """Record a problem at the value of ``path``."""
        line, col = self._position(path)
        dotted = format_path(path)
        self.diagnostics.append(
            Diagnostic(self.display, line, col, dotted, message, "error", suggestion)
        )

    def _position(self, path: PathT) -> tuple[int | None, int | None]:
        try:
            return self.source_map.position(path)  # type: ignore[attr-defined]
        except (KeyError, LookupError, AttributeError):
            return (None, None)

    def check(self, config: DeliveryConfig) -> Delivery | None:
        """Run every check; the resolved delivery set-up, or None when a problem was found."""
        sender = self._sender(config.sender)
        self._subject(config.subject)
        members: dict[str, list[Mailbox]] = {
            name: self._members(name, lst) for name, lst in config.lists.items()
        }
        self._max_markings(config)
        self._includes(config)
        for index, schedule in enumerate(config.schedules):
            for j, name in enumerate(schedule.send_to):
                self._known_list(("schedules", index, "send_to", j), name, config)
        if config.alerts is not None:
            for j, name in enumerate(config.alerts.send_to):
                self._known_list(("alerts", "send_to", j), name, config)
        for problem in check_schedules(config):
            self.error(problem.path, problem.message, problem.suggestion)
        if self.diagnostics or sender is None:
            return None
        resolved = {name: resolve(name, config, members) for name in config.lists}
        return Delivery(config, sender, resolved)

    def _sender(self, text: str) -> Mailbox | None:
        try:
            return parse_mailbox(text)
        except AddressError as exc:
            self.error(("sender",), str(exc))
            return None

    def _subject(self, template: str) -> None:
        try:
            parse_subject(template)
        except SubjectTemplateError as exc:
            hint = closest(exc.field, SUBJECT_FIELDS) if exc.field else None
            self.error(("subject",), str(exc), hint)

    def _members(self, name: str, lst: RecipientList) -> list[Mailbox]:
        found = []
        for index, entry in enumerate(lst.recipients):
            path: PathT = ("lists", name, "recipients", index)
            try:
                if isinstance(entry, Recipient):
                    found.append(make_mailbox(entry.address, entry.name))
                else:
                    found.append(parse_mailbox(entry))
            except AddressError as exc:
                where = (*path, "address") if isinstance(entry, Recipient) else path
                if isinstance(entry, Recipient) and "display name" in str(exc):
                    where = (*path, "name")
                self.error(where, str(exc))
        return found

    def _max_markings(self, config: DeliveryConfig) -> None:
        """Each list's ``max_marking`` is one of the project's markings."""
        if self.markings is None:
            return
        for name, lst in config.lists.items():
            found = self.markings.problem(lst.max_marking) if lst.max_marking else None
            if found is not None:
                self.error(("lists", name, "max_marking"), *found)

    def _known_list(self, path: PathT, name: str, config: DeliveryConfig) -> bool:
        if name in config.lists:
            return True
        self.error(path, f"no list named '{name}'", closest(name, list(config.lists)))
        return False

    def _includes(self, config: DeliveryConfig) -> None:
        for name, lst in config.lists.items():
            for index, included in enumerate(lst.include):
                path: PathT = ("lists", name, "include", index)
                if not self._known_list(path, included, config):
                    continue
                cycle = _cycle_through(included, name, config)
                if cycle is not None:
                    chain = " → ".join([name, *cycle])
                    self.error(path, f"including '{included}' makes a cycle: {chain}")


def _cycle_through(start: str, target: str, config: DeliveryConfig) -> list[str] | None:
    """A chain of includes from ``start`` back to ``target``, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, chain = stack.pop()
        if name == target:
            return chain
        if name in seen or name not in config.lists:
            continue
        seen.add(name)
        for included in reversed(config.lists[name].include):
            stack.append((included, [*chain, included]))
    return None


def resolve(
    name: str, config: DeliveryConfig, members: dict[str, list[Mailbox]]
) -> tuple[Mailbox, ...]:
    """Everyone on list ``name``: its own recipients, then its includes', each address once."""
    result: dict[str, Mailbox] = {}
    visiting: list[str] = [name]
    done: set[str] = set()
    while visiting:
        current = visiting.pop(0)
        if current in done:
            continue
        done.add(current)
        for mailbox in members.get(current, []):
            result.setdefault(mailbox.key, mailbox)
        visiting.extend(config.lists[current].include)
    return tuple(result.values())

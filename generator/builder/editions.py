"""The files of a briefing's editions, and the target keys the build state records them by.

A sheet without internal content is built as it always was, ``<id>.pdf`` and ``<id>.html``
(the ``only`` edition). A sheet with internal content is built as two editions,
``<id>.internal.pdf|html`` (everything) and ``<id>.external.pdf|html`` (without the internal
content), and no ``<id>.pdf``. A target key is the part of the file name after ``<id>.``
(``pdf``, ``internal.pdf``, ``external.print.html``), so every part of the build that names
an output from a key (the plan, the state, ``brief clean``, ``brief merge``) names the
editions' files too. Nothing here depends on the format: a new format gets its editions
the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: ``factsheet.EDITIONS`` and ``factsheet.ONLY``, spelled here: planning a build imports
#: this module, and must not load the fact-sheet models to do it.
EDITIONS: tuple[str, ...] = ("internal", "external")
ONLY = "only"


def target_key(edition: str, fmt: str) -> str:
    """The key of ``fmt`` in ``edition``: ``pdf`` for the only edition, else ``internal.pdf``."""
    return fmt if edition == ONLY else f"{edition}.{fmt}"


def split_key(key: str) -> tuple[str, str]:
    """``(edition, format)`` of a target key: ``internal.print.html`` ->
    ``("internal", "print.html")``, ``pdf`` -> ``("only", "pdf")``."""
    edition, _, rest = key.partition(".")
    return (edition, rest) if edition in EDITIONS and rest else (ONLY, key)


def keys_of(targets: Iterable[str], fmt: str) -> list[str]:
    """The recorded target keys of ``fmt``, whichever edition (none when nothing is)."""
    return [key for key in targets if split_key(key)[1] == fmt]


def edition_files(brief_id: str, has_internal: bool, fmt: str) -> dict[str, str]:
    """The output files of ``brief_id`` in ``fmt``, by edition: ``{"only": "x.pdf"}``, or
    ``{"internal": "x.internal.pdf", "external": "x.external.pdf"}`` for a sheet with
    internal content (``factsheet.has_internal``); names relative to the output folder."""
    editions = EDITIONS if has_internal else (ONLY,)
    return {edition: f"{brief_id}.{target_key(edition, fmt)}" for edition in editions}


def recorded_files(brief_id: str, targets: Mapping[str, object], fmt: str) -> dict[str, str]:
    """The files of ``fmt`` the build state records for ``brief_id``, by edition."""
    return {split_key(key)[0]: f"{brief_id}.{key}" for key in keys_of(targets, fmt)}


def wanted_keys(targets: Iterable[str], formats: Iterable[str]) -> list[str] | None:
    """The recorded keys of every format of ``formats``, each edition's; None when one of
    the formats has none recorded (the briefing was not built in it)."""
    recorded = list(targets)
    found: list[str] = []
    for fmt in formats:
        keys = keys_of(recorded, fmt)
        if not keys:
            return None
        found += keys
    return found

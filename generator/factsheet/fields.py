"""The one walk over a fact sheet's fields, for the rules, the text hazards and the sourcing report.

Each field comes with its path (``("challenges", 2, "summary")``), so whatever a walker
finds can be located in the file through the source map.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from generator.factsheet.locations import FieldPath
from generator.factsheet.model import is_markdown


def iter_fields(
    node: object, path: FieldPath = ()
) -> Iterator[tuple[FieldPath, str, object, bool]]:
    """``(path, name, value, is_markdown)`` for every field of every model in ``node``."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            yield (*path, name), name, value, is_markdown(info)
            yield from iter_fields(value, (*path, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_fields(item, (*path, index))


def iter_texts(node: object, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str, bool]]:
    """``(path, text, is_markdown)`` for every text value in ``node``, string lists included."""
    for field_path, _name, value, markdown in iter_fields(node, path):
        if isinstance(value, str):
            yield field_path, value, markdown
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield (*field_path, index), item, False

"""What a field of the fact-sheet models admits: its possible types, unions and
``Annotated`` unwrapped. The loader words its type errors with it, and the source-reference
checks walk a sheet's raw data by it.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from generator.factsheet.locations import FieldPath


def types_at(path: FieldPath, root: type[BaseModel]) -> list[Any]:
    """The model's possible types at a data path (unions and Annotated unwrapped)."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for tp in current:
            if isinstance(part, str) and is_model(tp) and part in tp.model_fields:
                following.append(tp.model_fields[part].annotation)
            elif isinstance(part, int) and get_origin(tp) is list:
                following.append(get_args(tp)[0])
            elif isinstance(part, str) and get_origin(tp) is dict:
                following.append(get_args(tp)[1])
        current = [member for tp in following for member in members(tp)]
    return current


def models_at(path: FieldPath, root: type[BaseModel]) -> list[type[BaseModel]]:
    return [tp for tp in types_at(path, root) if is_model(tp)]


def members(tp: Any) -> Iterator[Any]:
    """``tp`` without ``Annotated``, unions split into their members."""
    origin = get_origin(tp)
    if origin is Annotated:
        yield from members(get_args(tp)[0])
    elif origin is Union or origin is types.UnionType:
        for member in get_args(tp):
            yield from members(member)
    else:
        yield tp


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)

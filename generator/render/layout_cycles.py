"""Free a document's computed styles as soon as WeasyPrint has laid out its pages.

WeasyPrint's layout context is caught in reference cycles (its image loader, for one, is
a ``functools.partial`` bound to it), so once a render returns, the context and all it
holds (the computed style of every element: some 170,000 objects and 26 MiB for a
40-page briefing) are garbage that only a collection frees. No collection runs during a
render (:func:`collector_paused`; build workers pause theirs for a whole job,
``generator.builder.inworker``), so that garbage was still held while the PDF was
written, the moment of peak memory.

:func:`layout_released` records the context WeasyPrint builds and, when the render is
over, takes its style computer (``style_for``) from it: reference counting then frees the
styles that no page box uses, and a build's peak memory falls to WeasyPrint's own without
a full collection. Only layout reads the style computer; drawing does not (an SVG image
keeps the context to draw itself later, and still finds everything else in it), so the
PDF's bytes do not change. With a WeasyPrint that builds its context differently, nothing
is recorded and the render runs as before.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

#: Layout contexts built by the renders in progress in this process.
_CONTEXTS: list[Any] = []


@contextlib.contextmanager
def layout_released() -> Iterator[None]:
    """Around a render: every layout context it builds loses its style computer when it
    ends."""
    recording = _record_contexts()
    start = len(_CONTEXTS)
    try:
        yield
    finally:
        if recording:
            while len(_CONTEXTS) > start:
                vars(_CONTEXTS.pop()).pop("style_for", None)


def _record_contexts() -> bool:
    """Make WeasyPrint's ``Document`` record its layout contexts; False if it cannot."""
    from weasyprint.document import Document

    if getattr(Document, "_brief_records_contexts", False):
        return True
    build = getattr(Document, "_build_layout_context", None)
    original = getattr(build, "__func__", None)
    if original is None:
        return False

    def recorded(cls: Any, *args: Any, **kwargs: Any) -> Any:
        context = original(cls, *args, **kwargs)
        _CONTEXTS.append(context)
        return context

    Document._build_layout_context = classmethod(recorded)
    Document._brief_records_contexts = True
    return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Around a render: no cyclic garbage collection until it is over.

    A render allocates millions of objects that live until it ends, and makes little
    cyclic garbage while it runs. Each collection it triggered scanned them again: for
    the large synthetic briefing, 16 young and one middle collection, 0.34 s of a 7 s
    render (``gc.callbacks``), for nothing freed. Paused, the render's cyclic garbage
    (some 140,000 objects, a few MiB) waits for the first young collection after it,
    which takes some 30 ms. Only the caller that paused the collector turns it back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

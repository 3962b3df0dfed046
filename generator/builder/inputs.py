"""The inputs of a build as its state names them, where their files are, and hashing them.

An input key is a path relative to the project root (``briefs/<id>.yaml``,
``templates/<name>``), or ``tool:<name>`` for a file of a tool the build used
(WeasyPrint, python-docx, matplotlib for a briefing with charts): that one lies outside
the project, so the state records its path, which changes when the tool is upgraded or
moved. A build and a merge find and hash inputs
through the same functions, so a merged folder's state is one the next build trusts.

``brand:<part>`` keys stand for a part of ``brand.yaml`` (its organisation, palette,
colophon...): an output records the fingerprints of the parts it shows, so a change to
the colophon rebuilds the briefings and not the index page. A fingerprint is cached
beside the SHA-256 of the ``brand.yaml`` bytes it was worked out from, so a build with
nothing to do reads no YAML; the file is parsed only when its bytes changed. The logo's
bytes are an input of their own, under the logo's path (``brand/logo.svg``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.builder.manifest import CacheEntry, Probe, State, sha256_bytes
from generator.builder.plan import (
    BRAND_KEY,
    BRAND_PREFIX,
    template_key,
)
from generator.settings import Settings

#: The input key of the WeasyPrint file a PDF was printed with.
WEASYPRINT = "tool:weasyprint"
#: The input key of the python-docx file a DOCX was made with.
PYTHON_DOCX = "tool:python-docx"
#: The input key of the matplotlib file a briefing's charts were drawn with.
MATPLOTLIB = "tool:matplotlib"


class InputProbe(Probe):
    """The project's inputs: files, and the parts of ``brand.yaml`` (``brand:<part>``)."""

    def __init__(
        self, locate: Callable[[str], str | None], cache: dict[str, CacheEntry], settings: Settings
    ) -> None:
        super().__init__(locate, cache)
        self._settings = settings
        self._brand: Any = None
        self._prints: dict[str, str] = {}

    def sha(self, key: str) -> str | None:
        """The current SHA-256 of ``key``; for a brand part, its fingerprint."""
        if not key.startswith(BRAND_PREFIX):
            return super().sha(key)
        if self._brand is None:
            # "<fingerprint>@<SHA-256 of brand.yaml>", one string as the state's table holds.
            entry = self.cache.get(key) or [""]
            fingerprint, _, file_sha = str(entry[0]).partition("@")
            if fingerprint and file_sha == (super().sha(BRAND_KEY) or ""):
                return fingerprint
        self.brand()
        return self._prints.get(key.removeprefix(BRAND_PREFIX))

    def brand(self) -> Any:
        """The project's brand (``config.Brand``), read once; raises ``ConfigError`` for a
        ``brand.yaml`` with errors. Its fingerprints replace the cached ones."""
        if self._brand is None:
            from generator.config import Brand, parse_brand, read_brand

            root, templates = self._settings.root, self._settings.templates_dir
            data = read_brand(root)
            self._brand = Brand() if data is None else parse_brand(data, root, templates)
            self._prints = self._brand.fingerprints()
            file_sha = "" if data is None else sha256_bytes(data)
            for part, value in self._prints.items():
                entry: CacheEntry = [f"{value}@{file_sha}"]
                if self.cache.get(BRAND_PREFIX + part) != entry:
                    self.cache[BRAND_PREFIX + part] = entry
                    self.dirty = True
        return self._brand

    def brand_deps(self, parts: tuple[str, ...]) -> dict[str, str]:
        """The input keys and hashes of the brand ``parts`` an output shows (the logo's
        bytes included), as the brand this build renders with has them."""
        brand = self.brand()
        deps = {BRAND_PREFIX + part: self._prints[part] for part in parts}
        if "logo" in parts and brand.logo is not None:
            deps[brand.logo.path] = brand.logo.sha256
        return deps


def input_probe(settings: Settings, state: State) -> InputProbe:
    """An :class:`InputProbe` of the project's inputs, through the stat cache of ``state``."""
    root = f"{settings.root}{os.sep}"

    def locate(key: str) -> str | None:
        if key.startswith("tool:"):
            # Looked up at each call: a build records a tool's path when it first uses it.
            return state.tools.get(key.removeprefix("tool:"))
        return root + key

    return InputProbe(locate, state.inputs, settings)


def snapshot_templates(settings: Settings, inputs: Probe) -> None:
    """Hash every file under ``templates/`` before any render reads one (see
    :mod:`generator.builder.manifest`: a hash taken before use can only over-rebuild)."""
    root = settings.templates_dir
    for folder, _dirs, names in os.walk(root):
        for name in names:
            inputs.sha(template_key(Path(folder, name).relative_to(root).as_posix()))

"""Reading ``brand.yaml``: the house style, checked with located diagnostics.

The file goes through the fact-sheet machinery, as ``delivery.yaml`` does (YAML 1.2
rules, duplicate keys, positions, unknown keys with a did-you-mean), then through the
checks the schema cannot make: the fonts are families shipped in
``templates/static/fonts/``, the patterns use known fields only, and the logo is an SVG
or PNG file of the project (no ``..``, no link out, no larger than :data:`MAX_LOGO_BYTES`)
whose content is what its name says. Every problem is reported at once, as
``brand.yaml:9:12: fonts.heading: unknown font family 'Noto Snas'; ...``.

No file is the default brand: today's look (:class:`~generator.config.brand_model.Brand`).
"""

from __future__ import annotations

import os
import string
from pathlib import Path, PurePosixPath

from generator.config.brand_model import BrandConfig, from_config
from generator.config.brand_values import (
    CITATION_FIELDS,
    NUMBER_FIELDS,
    SHIPPED_FONTS,
    Brand,
    Logo,
)
from generator.config.logo import LogoProblem, check_logo
from generator.errors import ConfigError, Diagnostic, FactSheetError
from generator.factsheet import format_path

#: The file's name, at the project root.
BRAND_FILE = "brand.yaml"
#: brand.yaml is a few lines; anything near this is a mistake.
MAX_BYTES = 64 * 1024

PathT = tuple[str | int, ...]


def load_brand(root: Path, templates_dir: Path, display: str = BRAND_FILE) -> Brand:
    """The brand of the project at ``root``: ``brand.yaml`` read and checked, or the
    default brand when there is none. Raises :class:`ConfigError` listing every problem."""
    data = read_brand(root, display)
    return Brand() if data is None else parse_brand(data, root, templates_dir, display)


def read_brand(root: Path, display: str = BRAND_FILE) -> bytes | None:
    """The bytes of ``brand.yaml`` (None: there is none); one that is a link leading out
    of the project is refused."""
    return read_project_file(root, BRAND_FILE, display)


def read_project_file(root: Path, name: str, display: str) -> bytes | None:
    """The first ``MAX_BYTES + 1`` bytes of the project file ``name`` (None: there is
    none), for a settings file at the project root (brand.yaml, portfolio.yaml); one that
    is a link leading out of the project is refused."""
    path = root / name
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise ConfigError(
            f"{display}: the file is a link to a file outside the project; "
            "copy the file into the project instead"
        )
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {display}: {exc.strerror or exc}") from None


def parse_brand(data: bytes, root: Path, templates_dir: Path, display: str = BRAND_FILE) -> Brand:
    """The brand ``data`` (the bytes of ``brand.yaml``) describes, checked."""
    from generator.factsheet import validate_model, yamlsrc

    try:
        value, source_map = yamlsrc.parse(data, display, max_bytes=MAX_BYTES)
        config = validate_model(BrandConfig, {} if value is None else value, source_map, display)
    except FactSheetError as exc:
        raise ConfigError(f"{display} has errors", exc.diagnostics) from None
    checker = _Checker(display, source_map)
    logo = checker.check(config, root, templates_dir)
    if checker.diagnostics:
        raise ConfigError(f"{display} has errors", checker.diagnostics)
    return from_config(config, logo)


def pattern_fields(pattern: str, allowed: tuple[str, ...]) -> list[str]:
    """The fields a pattern uses; raise :class:`PatternError` on anything but bare known
    names (no ``{0}``, no ``{id.attr}``, no format spec or conversion)."""
    try:
        pieces = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise PatternError(f"the pattern does not parse: {exc}") from None
    names = []
    for _literal, name, spec, conversion in pieces:
        if name is None:
            continue
        if spec or conversion:
            raise PatternError(f"'{{{name}}}' may not have a format spec or conversion", name)
        if name == "seq":
            raise PatternError(
                "there is no '{seq}': a running number would change as sheets come and go; "
                "use {id} (and {year}), see docs/brand.md",
            )
        if name not in allowed:
            known = ", ".join(f"{{{f}}}" for f in allowed)
            raise PatternError(f"unknown field '{{{name}}}'; the fields are {known}", name)
        names.append(name)
    return names


class PatternError(ValueError):
    """A pattern that cannot be filled; ``field`` is the offending field, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class _Checker:
    """The checks the schema cannot express, each problem located."""

    def __init__(self, display: str, source_map: object) -> None:
        self.display = display
        self.source_map = source_map
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: PathT, message: str, suggestion: str | None = None) -> None:
        """Record a problem at the value of ``path``."""
        try:
            line, col = self.source_map.position(path)  # type: ignore[attr-defined]
        except (KeyError, LookupError, AttributeError):
            line, col = None, None
        self.diagnostics.append(
            Diagnostic(self.display, line, col, format_path(path), message, "error", suggestion)
        )

    def check(self, config: BrandConfig, root: Path, templates_dir: Path) -> Logo | None:
        """Run every check; the logo read, when there is one and it is fine."""
        for role in ("heading", "body"):
            self._font(("fonts", role), getattr(config.fonts, role), templates_dir)
        if config.document_number is not None:
            self._pattern(("document_number",), config.document_number, NUMBER_FIELDS, config)
        if config.citation is not None:
            self._pattern(("citation",), config.citation, CITATION_FIELDS, config)
        if config.logo is None:
            return None
        try:
            return check_logo(config.logo, root)
        except LogoProblem as exc:
            self.error(("logo",), str(exc))
            return None

    def _font(self, path: PathT, family: str, templates_dir: Path) -> None:
        from generator.config.loader import closest

        shipped = ", ".join(sorted(SHIPPED_FONTS))
        if family not in SHIPPED_FONTS:
            message = f"unknown font family '{family}'; the shipped families are {shipped}"
            self.error(path, message, closest(family, sorted(SHIPPED_FONTS)))
            return
        missing = [
            f for f in SHIPPED_FONTS[family] if not (templates_dir / "static/fonts" / f).is_file()
        ]
        if missing:
            where = PurePosixPath("templates/static/fonts", missing[0])
            self.error(path, f"'{family}' is not shipped in this project: {where} is missing")

    def _pattern(
        self, path: PathT, pattern: str, allowed: tuple[str, ...], config: BrandConfig
    ) -> None:
        from generator.config.loader import closest

        try:
            names = pattern_fields(pattern, allowed)
        except PatternError as exc:
            unknown = exc.field and exc.field not in allowed
            hint = closest(exc.field, allowed) if unknown else None  # type: ignore[arg-type]
            self.error(path, str(exc), hint)
            return
        for name, key in (("organisation", "organisation"), ("document_number", "document_number")):
            if name in names and getattr(config, key) is None:
                self.error(path, f"uses {{{name}}}, but brand.yaml sets no {key}")

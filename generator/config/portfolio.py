"""Reading ``portfolio.yaml``: the tracker's exchange rates, checked with located diagnostics.

The tracker sums announced investments per currency and never converts them on its own:
a rate is a judgement (which day, which source) the desk has to make and show. When the
project root has a ``portfolio.yaml`` with a ``currency`` and ``fx:`` rates into it, the
tracker also shows the converted total and names every rate it used, with its date and
source. The file goes through the fact-sheet machinery, as ``brand.yaml`` does (YAML 1.2,
duplicate keys, positions, unknown keys with a did-you-mean), then through the checks the
schema cannot make: each rate converts into the portfolio's currency, from another one,
and no pair is given twice. Every problem is reported at once, as
``portfolio.yaml:4:11: fx[0].to: converts to EUR, but the portfolio's currency is USD``.

No file is no conversion. The result is plain values (dicts of strings), what the build
hands to the worker that renders the tracker and records as its input.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.errors import ConfigError, Diagnostic, FactSheetError
from generator.factsheet import format_path

#: The file's name, at the project root.
PORTFOLIO_FILE = "portfolio.yaml"
#: portfolio.yaml is a few lines; anything near this is a mistake.
MAX_BYTES = 64 * 1024


def _currency(value: str) -> str:
    if len(value) != 3 or not value.isascii() or not value.isupper() or not value.isalpha():
        raise ValueError(f"{value!r} is not an ISO 4217 currency code such as USD")
    return value


def _date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2026-06-30") from None
    if len(value) != 10:
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2026-06-30")
    return value


def _url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not an http or https URL")
    return value


def _text(value: str) -> str:
    if not value.strip() or "\n" in value:
        raise ValueError("must be one line of text")
    return value.strip()


CurrencyCode = Annotated[str, AfterValidator(_currency)]
IsoDate = Annotated[str, AfterValidator(_date)]
Link = Annotated[str, AfterValidator(_url)]
Line = Annotated[str, AfterValidator(_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class RateSource(_Model):
    """Where a rate was read: a title and an address."""

    title: Line = Field(description="The publication, e.g. ECB euro reference rates.")
    url: Link = Field(description="http or https address of the rate.")


class Rate(_Model):
    """One exchange rate: 1 ``from`` is ``rate`` ``to``, on ``as_of``, per ``source``."""

    from_: CurrencyCode = Field(alias="from", description="The currency converted.")
    to: CurrencyCode = Field(description="The portfolio's currency.")
    rate: float | int = Field(gt=0, allow_inf_nan=False, description="Units of to per from.")
    as_of: IsoDate = Field(description="The day of the rate, YYYY-MM-DD.")
    source: RateSource = Field(description="Where the rate comes from.")


class PortfolioConfig(_Model):
    """``portfolio.yaml``: the currency totals are converted into, and the rates."""

    currency: CurrencyCode | None = Field(None, description="The currency of the total.")
    fx: list[Rate] = Field(default_factory=list, description="The rates into it.")


def load_portfolio(root: Path, display: str = PORTFOLIO_FILE) -> dict[str, Any] | None:
    """The tracker's rates at ``root`` as plain values (``{currency, fx: [...]}``), or None
    without a ``portfolio.yaml``. Raises :class:`ConfigError` listing every problem."""
    data = read_portfolio(root, display)
    return None if data is None else parse_portfolio(data, display)


def read_portfolio(root: Path, display: str = PORTFOLIO_FILE) -> bytes | None:
    """The bytes of ``portfolio.yaml`` (None: there is none); a link out is refused."""
    from generator.config.brand import read_project_file

    return read_project_file(root, PORTFOLIO_FILE, display)


def parse_portfolio(data: bytes, display: str = PORTFOLIO_FILE) -> dict[str, Any]:
    """The plain values of ``data`` (the bytes of ``portfolio.yaml``), checked."""
    from generator.factsheet import validate_model, yamlsrc

    try:
        value, source_map = yamlsrc.parse(data, display, max_bytes=MAX_BYTES)
        config = validate_model(
            PortfolioConfig, {} if value is None else value, source_map, display
        )
    except FactSheetError as exc:
        raise ConfigError(f"{display} has errors", exc.diagnostics) from None
    found = list(_problems(config, display, source_map))
    if found:
        raise ConfigError(f"{display} has errors", found)
    return {
        "currency": config.currency,
        "fx": [
            {
                "from": r.from_,
                "to": r.to,
                "rate": repr(r.rate),
                "as_of": r.as_of,
                "source": {"title": r.source.title, "url": r.source.url},
            }
            for r in config.fx
        ],
    }


def _problems(config: PortfolioConfig, display: str, source_map: Any) -> list[Diagnostic]:
    """The checks across fields: a target currency, rates into it, each pair once."""
    found: list[Diagnostic] = []

    def error(path: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        try:
            line, col = source_map.position(path)
        except (KeyError, LookupError, AttributeError):
            line, col = None, None
        found.append(Diagnostic(display, line, col, format_path(path), message, "error", hint))

    if config.fx and config.currency is None:
        error(("fx",), "rates need a 'currency' to convert into: add one, e.g. currency: USD")
    seen: dict[str, int] = {}
    for index, rate in enumerate(config.fx):
        if config.currency is not None and rate.to != config.currency:
            message = f"converts to {rate.to}, but the portfolio's currency is {config.currency}"
            error(("fx", index, "to"), message, config.currency)
        if rate.from_ == rate.to:
            error(("fx", index, "from"), f"converts {rate.from_} into itself")
        if rate.from_ in seen:
            first = seen[rate.from_]
            message = f"a second rate from {rate.from_} (fx[{first}] is one): keep the one to use"
            error(("fx", index, "from"), message)
        seen.setdefault(rate.from_, index)
    return found

"""The locator map: the initiative's sites on country outlines the project ships.

The outlines are Natural Earth's 1:110m countries (public domain), compacted into
``data/countries-110m.json`` by ``scripts/make_country_outlines.py``; nothing is fetched.
Decisions, documented in docs/output.md ("Locator map"):

- Projection: equirectangular, longitudes scaled by the cosine of the map's middle
  latitude, so shapes look right at the scale of a region.
- Extent: the sites' bounding box with 60 % room around it, at least 8 degrees of latitude
  high (a single site shows its region), widened to the drawing's 8:5 shape.
- Only countries whose bounding box meets the extent are drawn; the SVG clips the rest.
  Sites near the 180th meridian are not wrapped.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

#: Maps tenths of a degree (lon, lat) to viewBox units (x, y).
Projection = Callable[[float, float], tuple[float, float]]
WIDTH = 640
HEIGHT = 400
#: Smallest height of the map, in degrees of latitude, and the room around the sites.
MIN_SPAN = 8.0
ROOM = 1.6
#: The outlines' unit: tenths of a degree.
SCALE = 10


@dataclass(frozen=True)
class MapSite:
    """A site: its name, the country it lies in (if any), its place and label anchor."""

    name: str
    country: str | None
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class CountryLabel:
    """A country's name, at the middle of its largest outline's box."""

    name: str
    x: float
    y: float


@dataclass(frozen=True)
class LocatorMap:
    """The drawing: country outline paths and the sites, in viewBox units."""

    width: int
    height: int
    countries: tuple[str, ...]
    sites: tuple[MapSite, ...]
    labels: tuple[CountryLabel, ...] = ()


@functools.cache
def _outlines() -> tuple[dict, ...]:
    """The shipped outlines, read once per process."""
    text = resources.files("generator.render").joinpath("data/countries-110m.json").read_text()
    return tuple(json.loads(text)["countries"])


def locator_map(sites: Sequence[object]) -> LocatorMap | None:
    """The map of ``sites`` (``initiative.sites``: name, lat, lon); None when there are none."""
    if not sites:
        return None
    points = [(float(s.lon), float(s.lat)) for s in sites]  # type: ignore[attr-defined]
    project, bbox = _extent(points)
    shown = [country for country in _outlines() if _meets(country["bbox"], bbox)]
    paths = tuple(_path(country["rings"], project) for country in shown)
    placed = [project(lon * SCALE, lat * SCALE) for lon, lat in points]
    return LocatorMap(
        WIDTH,
        HEIGHT,
        paths,
        tuple(
            _site(site.name, _country_of(lon, lat), x, y)  # type: ignore[attr-defined]
            for site, (lon, lat), (x, y) in zip(sites, points, placed, strict=True)
        ),
        _labels(shown, project, placed),
    )


def _extent(points: Sequence[tuple[float, float]]) -> tuple[Projection, tuple[float, ...]]:
    """The projection of the map around ``points`` and its box in tenths of a degree."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    middle_lat = (min(lats) + max(lats)) / 2
    middle_lon = (min(lons) + max(lons)) / 2
    shrink = max(math.cos(math.radians(middle_lat)), 0.2)
    high = max((max(lats) - min(lats)) * ROOM, MIN_SPAN)
    wide = max((max(lons) - min(lons)) * shrink * ROOM, high * WIDTH / HEIGHT)
    high = wide * HEIGHT / WIDTH
    per_unit = WIDTH / wide
    west = middle_lon - wide / shrink / 2
    east = middle_lon + wide / shrink / 2
    north = middle_lat + high / 2

    def project(lon10: float, lat10: float) -> tuple[float, float]:
        x = (lon10 / SCALE - west) * shrink * per_unit
        y = (north - lat10 / SCALE) * per_unit
        return round(x, 1), round(y, 1)

    box = (west * SCALE, (north - high) * SCALE, east * SCALE, north * SCALE)
    return project, box


def _meets(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _path(rings: Sequence[Sequence[Sequence[int]]], project: Projection) -> str:
    """SVG path data of a country's rings, projected."""
    parts = []
    for ring in rings:
        coords = " ".join("{:g},{:g}".format(*project(lon, lat)) for lon, lat in ring)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def _site(name: str, country: str | None, x: float, y: float) -> MapSite:
    """A site with its label to the right of the marker, or to the left near the edge."""
    left = x > WIDTH * 0.7
    return MapSite(name, country, x, y, x - 9 if left else x + 9, y + 4, "end" if left else "start")


def _country_of(lon: float, lat: float) -> str | None:
    """The name of the country whose outline holds the point (even-odd rule), if any."""
    px, py = lon * SCALE, lat * SCALE
    for country in _outlines():
        west, south, east, north = country["bbox"]
        if not (west <= px <= east and south <= py <= north):
            continue
        inside = False
        for ring in country["rings"]:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        if inside:
            return country["name"]
    return None


#: A country is named when its largest outline spans this much of the drawing's width.
LABEL_WIDTH = 70


def _labels(
    countries: Sequence[dict], project: Projection, sites: Sequence[tuple[float, float]]
) -> tuple[CountryLabel, ...]:
    """Names of the countries large enough in view, placed clear of the sites' markers."""
    labels = []
    for country in countries:
        ring = max(country["rings"], key=len)
        xs, ys = zip(*(project(lon, lat) for lon, lat in ring), strict=True)
        x, y = round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)
        inside = 30 < x < WIDTH - 30 and 20 < y < HEIGHT - 10
        clear = all(abs(x - sx) > 60 or abs(y - sy) > 18 for sx, sy in sites)
        if max(xs) - min(xs) >= LABEL_WIDTH and inside and clear:
            labels.append(CountryLabel(country["name"], x, y))
    return tuple(labels)

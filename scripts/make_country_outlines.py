"""Regenerate generator/render/data/countries-110m.json, the locator map's outlines.

The outlines are Natural Earth's 1:110m admin-0 countries (public domain, see
generator/render/data/README.md), as geopandas 0.14.4 ships them in
``geopandas/datasets/naturalearth_lowres``. Nothing is fetched: get the shapefile once
with the ordinary package client and point this script at it::

    pip download geopandas==0.14.4 --no-deps -d wheel/
    unzip wheel/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d wheel/
    pip install -e '.[maps]'
    python scripts/make_country_outlines.py \
        wheel/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Simplification: coordinates are rounded to a tenth of a degree (about 11 km; the
1:110m outlines are no finer than that) and stored as integers, repeated points are
dropped, and rings that collapse below a triangle go. The output is sorted by ISO code
and written with sorted keys, so the same input gives the same bytes.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import shapefile  # pyshp: reads the ESRI shapefile

OUT = Path(__file__).resolve().parents[1] / "generator" / "render" / "data" / "countries-110m.json"
#: Tenths of a degree: the unit of the stored coordinates.
SCALE = 10


def simplified_ring(points: list[tuple[float, float]]) -> list[list[int]]:
    """The ring in tenths of a degree, without repeated points; empty if degenerate."""
    ring: list[list[int]] = []
    for lon, lat in points:
        point = [round(lon * SCALE), round(lat * SCALE)]
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring if len(ring) >= 3 else []


def country(record: shapefile.ShapeRecord) -> dict[str, object]:
    """One country: its name, ISO code, bounding box and rings (tenths of a degree)."""
    shape = record.shape
    bounds = [*shape.parts, len(shape.points)]
    rings = [simplified_ring(shape.points[a:b]) for a, b in itertools.pairwise(bounds)]
    rings = [ring for ring in rings if ring]
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return {
        "name": record.record["name"],
        "iso": record.record["iso_a3"],
        "bbox": [min(lons), min(lats), max(lons), max(lats)],
        "rings": rings,
    }


def main(shp: str) -> None:
    """Read ``shp`` and write the compact outlines."""
    reader = shapefile.Reader(shp)
    countries = sorted(
        (country(r) for r in reader.iterShapeRecords()), key=lambda c: (c["iso"], c["name"])
    )
    document = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain)",
        "units": "tenths of a degree, [longitude, latitude], WGS 84",
        "countries": countries,
    }
    OUT.write_text(json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{OUT.name}: {len(countries)} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])

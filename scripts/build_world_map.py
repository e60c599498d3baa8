"""Build src/dpghub/data/world/countries.json from world-atlas's countries-110m.json (Natural Earth).

Run once when the shapes are updated (see src/dpghub/data/world/README.md):

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/countries-110m.json src/dpghub/data/world/countries.json

It decodes the TopoJSON, projects every ring with the Equal Earth projection into a 1000-unit-wide frame,
rounds to whole units, drops repeated points and rings smaller than a unit, draws a ring that crosses
the antimeridian east of it (clipped at the frame's edge), and writes one SVG path
(relative moves, integers) per ISO 3166-1 alpha-2 code. Antarctica is left out (no deployments there, and
it would be a fifth of the drawing). Needs pycountry for the numeric -> alpha-2 codes.
"""

from __future__ import annotations

import itertools
import json
import math
import sys

import pycountry

WIDTH = 1000
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX, _ = equal_earth(180, 0)
_, Y_MAX = equal_earth(0, 90)
SCALE = WIDTH / (2 * X_MAX)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def ring_path(points: list[tuple[float, float]]) -> str:
    if any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(points)):
        # A ring across the antimeridian (Russia's Chukotka, Fiji): drawn whole east of 180°, the part past
        # the frame's edge is clipped, instead of a line across the world.
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    projected = []
    for lon, lat in points:
        x, y = equal_earth(lon, lat)
        p = (round((x + X_MAX) * SCALE), round((Y_MAX - y) * SCALE))
        if not projected or projected[-1] != p:
            projected.append(p)
    if len(projected) > 1 and projected[0] == projected[-1]:
        projected.pop()
    if len(set(projected)) < 3:
        return ""
    out = [f"M{projected[0][0]} {projected[0][1]}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(projected):
        out.append(f"l{x1 - x0} {y1 - y0}".replace(" -", "-"))
    return "".join(out) + "z"


def main(source: str, target: str) -> None:
    topology = json.load(open(source, encoding="utf-8"))
    arcs = decode_arcs(topology)
    shapes: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3)) if geometry.get("id") else None
        if country is None or country.alpha_2 == "AQ":
            continue  # Antarctica, and the few shapes with no ISO code (Kosovo, N. Cyprus, Somaliland)
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        if path:
            shapes[country.alpha_2] = shapes.get(country.alpha_2, "") + path
    height = round((Y_MAX - equal_earth(0, -60)[1]) * SCALE)  # down to 60°S: Antarctica's band is cut off
    data = {"source": "world-atlas 2.0.2 countries-110m.json (Natural Earth 1:110m, public domain)",
            "projection": "Equal Earth", "width": WIDTH, "height": height,
            "countries": dict(sorted(shapes.items()))}
    with open(target, "w", encoding="utf-8") as out:
        json.dump(data, out, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])

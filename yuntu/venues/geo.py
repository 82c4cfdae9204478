"""Coordinates: phones report WGS-84, domestic map tiles are drawn in GCJ-02; distances on foot.

Yuntu stores WGS-84. A point from a map drawn on GCJ-02 tiles is converted back before it is used,
and points shown on such tiles are converted forward. The forward formula is the published GCJ-02
offset (Krasovsky ellipsoid); the inverse is found by iterating the forward formula, which lands
within a millimetre instead of the few metres of the one-step inverse.
"""

import math

KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
EARTH_RADIUS_M = 6371008.8
WGS84 = "wgs84"
GCJ02 = "gcj02"


def outside_china(latitude: float, longitude: float) -> bool:
    """GCJ-02 offsets apply within mainland China only; outside it the two systems coincide."""
    return not (72.004 <= longitude <= 137.8347 and 0.8293 <= latitude <= 55.8271)


def _transform_latitude(x: float, y: float) -> float:
    result = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    result += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    result += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    result += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return result


def _transform_longitude(x: float, y: float) -> float:
    result = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    result += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    result += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    result += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return result


def wgs84_to_gcj02(latitude: float, longitude: float) -> tuple[float, float]:
    if outside_china(latitude, longitude):
        return latitude, longitude
    d_lat = _transform_latitude(longitude - 105.0, latitude - 35.0)
    d_lng = _transform_longitude(longitude - 105.0, latitude - 35.0)
    radians = latitude / 180.0 * math.pi
    magic = 1 - KRASOVSKY_EE * math.sin(radians) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (KRASOVSKY_A / sqrt_magic * math.cos(radians) * math.pi)
    return latitude + d_lat, longitude + d_lng


def gcj02_to_wgs84(latitude: float, longitude: float, *, tolerance: float = 1e-9) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is the given point (fixed-point iteration)."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    wgs_lat, wgs_lng = latitude, longitude
    for _ in range(30):
        gcj_lat, gcj_lng = wgs84_to_gcj02(wgs_lat, wgs_lng)
        d_lat, d_lng = gcj_lat - latitude, gcj_lng - longitude
        wgs_lat, wgs_lng = wgs_lat - d_lat, wgs_lng - d_lng
        if abs(d_lat) < tolerance and abs(d_lng) < tolerance:
            break
    return wgs_lat, wgs_lng


def to_wgs84(latitude: float, longitude: float, crs: str) -> tuple[float, float]:
    return gcj02_to_wgs84(latitude, longitude) if crs == GCJ02 else (latitude, longitude)


def for_display(latitude: float, longitude: float, crs: str) -> tuple[float, float]:
    """A stored (WGS-84) point in the coordinates of the map's tiles."""
    return wgs84_to_gcj02(latitude, longitude) if crs == GCJ02 else (latitude, longitude)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d_p, d_l = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(d_p / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d_l / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def metres_per_degree_latitude() -> float:
    return math.pi * EARTH_RADIUS_M / 180.0

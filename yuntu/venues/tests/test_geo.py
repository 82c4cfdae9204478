"""WGS-84 ↔ GCJ-02 against published values, and distances on foot."""

import pytest

from yuntu.venues import geo


@pytest.mark.parametrize(("wgs", "gcj", "tolerance"), [
    # The value published with the coordtransform implementations (Beijing, 116.404 E 39.915 N): exact.
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938), 1e-12),
    # Values published by other implementations, which round differently: within a centimetre.
    ((40.0, 116.0), (40.001213650174, 116.006141221789), 1e-7),
    ((30.6107779, 121.0917077), (30.608604331756705, 121.09626935575027), 1e-7),
])
def test_wgs84_to_gcj02_matches_published_values(wgs, gcj, tolerance):
    latitude, longitude = geo.wgs84_to_gcj02(*wgs)
    assert latitude == pytest.approx(gcj[0], abs=tolerance)
    assert longitude == pytest.approx(gcj[1], abs=tolerance)


def test_gcj02_offset_in_haicang_is_a_few_hundred_metres():
    latitude, longitude = geo.wgs84_to_gcj02(24.48, 118.03)
    shift = geo.haversine_m(24.48, 118.03, latitude, longitude)
    assert 200 < shift < 800, shift  # the offset is real: drawing WGS-84 on GCJ-02 tiles would misplace venues


@pytest.mark.parametrize("point", [(24.4801, 118.0302), (39.915, 116.404), (31.2304, 121.4737)])
def test_gcj02_to_wgs84_inverts_within_a_millimetre(point):
    gcj = geo.wgs84_to_gcj02(*point)
    back = geo.gcj02_to_wgs84(*gcj)
    assert geo.haversine_m(point[0], point[1], back[0], back[1]) < 0.001


def test_the_one_step_inverse_would_be_metres_off():
    """Why the inverse iterates: subtracting the offset once lands about a metre or more away."""
    point = (24.4801, 118.0302)
    gcj = geo.wgs84_to_gcj02(*point)
    offset = (gcj[0] - point[0], gcj[1] - point[1])
    shifted = geo.wgs84_to_gcj02(*gcj)
    naive = (gcj[0] - (shifted[0] - gcj[0]), gcj[1] - (shifted[1] - gcj[1]))
    assert geo.haversine_m(*point, *naive) > geo.haversine_m(*point, *geo.gcj02_to_wgs84(*gcj))
    assert offset != (0, 0)


def test_outside_china_nothing_changes():
    assert geo.wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)
    assert geo.gcj02_to_wgs84(51.5, -0.12) == (51.5, -0.12)


def test_haversine_one_degree_of_latitude():
    assert geo.haversine_m(24.0, 118.0, 25.0, 118.0) == pytest.approx(111_195, rel=1e-3)

"""What the venue pages share: map data for the page, Chinese refusals."""

from yuntu.core.pages import error_text, refusal_status

from .. import conf, geo, selectors

__all__ = ["error_text", "map_data", "refusal_status"]  # the Chinese refusals are every page's (yuntu.core.pages)


def map_data(*, venues, centre=None, radius_m: float | None = None, link=None) -> dict:
    """Everything the map draws, already in the tiles' coordinates (GCJ-02 for domestic tiles)."""
    tiles = conf.tiles()
    crs = tiles["crs"] if tiles["url"] else geo.WGS84

    def shown(latitude, longitude):
        lat, lng = geo.for_display(float(latitude), float(longitude), crs)
        return [round(lat, 6), round(lng, 6)]

    box = conf.area()
    data = {
        "tiles": tiles, "crs": crs,
        "area": [shown(box["south"], box["west"]), shown(box["north"], box["east"])],
        "outlines": [{"name": outline["name"], "points": [shown(*point) for point in outline["points"]]}
                     for outline in selectors.outlines()],
        "venues": [{"name": venue.name, "point": shown(venue.latitude, venue.longitude),
                    "minutes": minutes, "url": link(venue) if link else ""} for venue, minutes in venues],
    }
    if centre is not None:
        data["centre"] = shown(*centre)
        data["radius_m"] = round(radius_m or 0)
    return data

"""The venues' settings, read from Django settings (env-driven in config/settings.py) with defaults."""

from dataclasses import dataclass

from django.conf import settings

DEFAULT_AREA = {"south": 24.35, "north": 24.65, "west": 117.85, "east": 118.20}


@dataclass(frozen=True)
class CircleSettings:
    minutes: int
    walking_m_per_minute: float
    detour_factor: float

    @property
    def straight_line_radius_m(self) -> float:
        """How far as the crow flies one walks in `minutes`: walked distance ÷ detour factor."""
        return self.minutes * self.walking_m_per_minute / self.detour_factor


def circle() -> CircleSettings:
    return CircleSettings(minutes=int(getattr(settings, "VENUES_CIRCLE_MINUTES", 15)),
                          walking_m_per_minute=float(getattr(settings, "VENUES_WALKING_METRES_PER_MINUTE", 75.0)),
                          detour_factor=float(getattr(settings, "VENUES_DETOUR_FACTOR", 1.3)))


def area() -> dict:
    """The deployment's area (WGS-84 box); a point outside it is refused."""
    return getattr(settings, "VENUES_AREA", None) or getattr(settings, "VOICES_AREA", None) or DEFAULT_AREA


def tiles() -> dict:
    """The map's tile source; an empty URL means offline: no tiles fetched, outlines on a plain map."""
    return {"url": getattr(settings, "VENUES_TILE_URL", ""),
            "crs": getattr(settings, "VENUES_TILE_CRS", "gcj02"),
            "attribution": getattr(settings, "VENUES_TILE_ATTRIBUTION", "")}

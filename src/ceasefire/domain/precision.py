"""How precisely an event's time and place are known, and the source codes behind them.

We keep the source's own code next to our scale so nothing is lost: ACLED
``time_precision`` 1-3 and ``geo_precision`` 1-3, UCDP GED ``date_prec`` 1-5 and
``where_prec`` 1-7.
"""

from __future__ import annotations

from enum import StrEnum


class TimePrecision(StrEnum):
    """The finest unit the event's time is known to."""

    EXACT = "exact"  # a time of day (to the minute or better)
    DAY = "day"
    WEEK = "week"  # a span of days up to a week
    MONTH = "month"
    YEAR = "year"


class LocationPrecision(StrEnum):
    """How closely the event's coordinates locate it, finest first."""

    EXACT = "exact"  # the coordinates are the place of the event
    SETTLEMENT = "settlement"  # a named town or its outskirts
    NEAR = "near"  # within about 25 km of a named place
    ADM2 = "adm2"  # only the second-level admin area (district) is known
    ADM1 = "adm1"  # only the first-level admin area (governorate, oblast) is known
    REGION = "region"  # larger than an adm1, smaller than the country
    COUNTRY = "country"
    WATER = "water"  # over water or in international airspace


# a place of the scenario, by its level, and how precisely naming it places an event
PLACE_LEVEL_PRECISION = {
    "settlement": LocationPrecision.SETTLEMENT,
    "adm2": LocationPrecision.ADM2,
    "adm1": LocationPrecision.ADM1,
}

TIME_ORDER = list(TimePrecision)
LOCATION_ORDER = list(LocationPrecision)

# ACLED codebook: time_precision 1 = the actual day, 2 = a week, 3 = a month.
ACLED_TIME_PRECISION: dict[int, TimePrecision] = {
    1: TimePrecision.DAY,
    2: TimePrecision.WEEK,
    3: TimePrecision.MONTH,
}
# ACLED codebook: geo_precision 1 = a town with coordinates, 2 = near a known place or a
# small part of a region, 3 = a region only (coded to its capital).
ACLED_GEO_PRECISION: dict[int, LocationPrecision] = {
    1: LocationPrecision.SETTLEMENT,
    2: LocationPrecision.NEAR,
    3: LocationPrecision.ADM1,
}
# UCDP GED codebook: date_prec 1 = exact day, 2 = 2-6 days, 3 = a week, 4 = a month,
# 5 = a year (or longer).
UCDP_DATE_PRECISION: dict[int, TimePrecision] = {
    1: TimePrecision.DAY,
    2: TimePrecision.WEEK,
    3: TimePrecision.WEEK,
    4: TimePrecision.MONTH,
    5: TimePrecision.YEAR,
}
# UCDP GED codebook: where_prec 1 = exact, 2 = within 25 km of a named place, 3 = adm2,
# 4 = adm1, 5 = larger than adm1 or between places, 6 = country, 7 = water or airspace.
UCDP_WHERE_PRECISION: dict[int, LocationPrecision] = {
    1: LocationPrecision.EXACT,
    2: LocationPrecision.NEAR,
    3: LocationPrecision.ADM2,
    4: LocationPrecision.ADM1,
    5: LocationPrecision.REGION,
    6: LocationPrecision.COUNTRY,
    7: LocationPrecision.WATER,
}

# When only a point is known, the area the event may lie in, as a radius in metres around
# it. ADM1 and ADM2 use the admin area's own boundary when the scenario knows it; these radii
# are the fallback. COUNTRY and WATER are never placed: classification calls them undetermined
# unless a regime covers every point within the radius.
UNCERTAINTY_RADIUS_M: dict[LocationPrecision, float] = {
    LocationPrecision.EXACT: 0.0,
    LocationPrecision.SETTLEMENT: 5_000.0,
    LocationPrecision.NEAR: 25_000.0,
    LocationPrecision.ADM2: 50_000.0,
    LocationPrecision.ADM1: 150_000.0,
    LocationPrecision.REGION: 300_000.0,
    LocationPrecision.COUNTRY: 1_000_000.0,
    LocationPrecision.WATER: 1_000_000.0,
}

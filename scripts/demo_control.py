"""The demo's areas of control: ILLUSTRATIVE, because no open dataset of who held which
ground in Syria in 2016 exists that the demo may bundle.

Two areas, each an approximation of a well-known fact, marked illustrative in its source:
- Ar-Raqqa governorate held by ISIL from its capture of Raqqa city (13 January 2014) to the
  city's fall to the Syrian Democratic Forces (17 October 2017): the whole governorate stands
  for the ground ISIL held there, which it did not hold whole throughout;
- a box around Idlib city held by Jabhat al-Nusra from the Jaysh al-Fatah coalition's
  capture of the city (28 March 2015): Nusra led the coalition but did not hold the city
  alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from demo_files import DATA

OUT_FILE = DATA / "syria_control_illustrative.geojson"
SOURCE = "ILLUSTRATIVE, not a survey of the front lines"


def build_control() -> Path:
    governorates = json.loads((DATA / "syria_adm1.geojson").read_text(encoding="utf-8"))
    raqqa = next(f for f in governorates["features"] if f["properties"]["ADM1_EN"] == "Ar-Raqqa")
    idlib = shapely.box(36.58, 35.88, 36.70, 35.97)
    features = [
        {
            "type": "Feature",
            "geometry": raqqa["geometry"],
            "properties": {
                "actor": "isil",
                "valid_from": "2014-01-13",
                "valid_to": "2017-10-17",
                "source": SOURCE,
                "note": "Ar-Raqqa governorate stands for the ground ISIL held there.",
            },
        },
        {
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(shapely.set_precision(idlib, 1e-5))),
            "properties": {
                "actor": "nusra",
                "valid_from": "2015-03-28",
                "valid_to": None,
                "source": SOURCE,
                "note": "Idlib city, taken by the Nusra-led Jaysh al-Fatah coalition.",
            },
        },
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    OUT_FILE.write_text(text + "\n", encoding="utf-8")
    return OUT_FILE

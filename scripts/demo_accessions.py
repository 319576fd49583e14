"""The demo's accession register: Syrian settlements that made a local truce after the
cessation of hostilities began, from PA-X Local (../shared/data/agreements).

APPROXIMATE: the Russian reconciliation centre's own register ("more than 90 settlements
have declared that they joined the truce regime") is not published. PA-X Local records the
local agreements that were written down and found (85 for Syria, 2012-2019); each local
ceasefire, implementation or partial agreement made in a named locale from 2016-02-27 on is
taken as that locale joining the cessation of hostilities on the agreement's date, once (a
locale's later agreements are left out). Only facts are taken (date, locale, coordinates,
the agreement's PA-X id and link), with this citation: Bell, C. & Badanjak, S., PA-X Local,
PeaceRep, University of Edinburgh, version 8.1 (peacerep/pax_local, data/local_v8_1.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

from demo_files import DATA, SHARED

PAX = SHARED / "agreements" / "pax_local_agreements_v8_1.csv"
OUT_FILE = DATA / "syria_local_accessions.csv"
REGIME = "syria-coh"
STARTED = "2016-02-27"
STAGES = {"Cea": "ceasefire", "Imp": "implementation", "SubPar": "partial agreement"}
COLUMNS = ["regime", "date", "change", "settlement", "lon", "lat", "channel", "evidence"]


def build_accessions() -> Path:
    with PAX.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Con"] == "Syria"]
    rows.sort(key=lambda r: (r["Dat"], int(r["AgtId"])))
    seen: set[str] = set()
    out = []
    for r in rows:
        locale = " ".join(r["LocaleName"].split())
        if r["Dat"] < STARTED or r["Stage"] not in STAGES or not locale or not r["LatDec"]:
            continue
        if locale.casefold() in seen:
            continue
        seen.add(locale.casefold())
        out.append(
            [
                REGIME,
                r["Dat"],
                "joined",
                locale,
                f"{float(r['LongDec']):.5f}",
                f"{float(r['LatDec']):.5f}",
                f"local {STAGES[r['Stage']]} (PA-X Local {r['AgtId']})",
                r["PAX_Local_Hyperlink"].strip() or r["PAX_Hyperlink"].strip(),
            ]
        )
    with OUT_FILE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(out)
    return OUT_FILE

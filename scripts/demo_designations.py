"""The demo's designation list: the ISSG members' lists of terrorist groups, as the two
co-chairs stated them in the talks (../shared/seeds), one CSV a member.

From the seeds, and only what they say: "everyone regards ISIS and Jabhat al-Nusra as
terrorist groups" (Lavrov, Moscow, 15 December 2015: both listed by both); Russia holds
Ahrar al-Sham and Jaysh al-Islam to be terrorist organisations and provided evidence, and
there is no agreement with Washington on them (Lavrov, Zurich, 20 January 2016: listed by
Russia; not listed by the United States, whose designations did not name them). The list's
other ISSG members' submissions are not public and are left out.
"""

from __future__ import annotations

import csv
from pathlib import Path

from demo_files import DATA

MOSCOW = "Lavrov, joint press conference with Kerry, Moscow, 15 December 2015"
ZURICH = "Lavrov, after talks with Kerry, Zurich, 20 January 2016"
EVERYONE = f"'everyone regards ISIS and Jabhat al-Nusra as terrorist groups' ({MOSCOW})"
NO_AGREEMENT = f"no agreement between Moscow and Washington on it ({ZURICH})"
# (party, actor, position, note)
SUBMISSIONS = (
    ("ru", "isil", "listed", EVERYONE),
    ("ru", "nusra", "listed", EVERYONE),
    (
        "ru",
        "ahrar-al-sham",
        "listed",
        f"'a direct offspring of al-Qaeda'; Russia provided evidence ({ZURICH})",
    ),
    (
        "ru",
        "jaysh-al-islam",
        "listed",
        "'repeatedly shelled residential areas of Damascus and the Russian Embassy'; Russia "
        f"provided evidence ({ZURICH})",
    ),
    # the United States' own words on its list are not in the seeds: its notes say whose
    # account each rests on
    ("us", "isil", "listed", f"as Lavrov reported it: {EVERYONE}"),
    ("us", "nusra", "listed", f"as Lavrov reported it: {EVERYONE}"),
    ("us", "ahrar-al-sham", "not_listed", f"as Lavrov reported it: {NO_AGREEMENT}"),
    ("us", "jaysh-al-islam", "not_listed", f"as Lavrov reported it: {NO_AGREEMENT}"),
)


def designation_file(party: str) -> Path:
    return DATA / f"issg_designations_{party}.csv"


def build_designations() -> list[Path]:
    written = []
    for party in ("ru", "us"):
        path = designation_file(party)
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(["actor", "position", "note"])
            out.writerows((a, p, n) for who, a, p, n in SUBMISSIONS if who == party)
        written.append(path)
    return written

"""`ceasefire actors import-un|resolve|show`: the UN list into the register, and names
resolved as scripts depend on them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from typer.testing import Result

from builders import report, scenario
from ceasefire.services import queries
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario
from ceasefire.services.scopes import EVERYTHING
from ceasefire.store.database import Database

Run = Callable[..., Result]

UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2018-10-29T19:09:49.856-04:00">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ABU MOHAMMED</FIRST_NAME><SECOND_NAME>AL-JAWLANI
</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.317</REFERENCE_NUMBER>
<LISTED_ON>2013-07-24</LISTED_ON><NAME_ORIGINAL_SCRIPT>أبو محمد الجولاني</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Mohamed al-Jawlani</ALIAS_NAME>
</INDIVIDUAL_ALIAS><INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Ashraf</ALIAS_NAME>
</INDIVIDUAL_ALIAS></INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
<ENTITY><DATAID>2</DATAID><FIRST_NAME>AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT</FIRST_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.137</REFERENCE_NUMBER>
<LISTED_ON>2014-05-14</LISTED_ON><NAME_ORIGINAL_SCRIPT>جبهة النصرة لأهل الشام</NAME_ORIGINAL_SCRIPT>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>جبهة فتح الشام (Jabhat Fath al Sham; Jabhat
 Fateh Al-Sham; Fatah al-Sham Front)</ALIAS_NAME></ENTITY_ALIAS></ENTITY>
<ENTITY><DATAID>3</DATAID><FIRST_NAME>ANSAR AL-ISLAM</FIRST_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.098</REFERENCE_NUMBER>
<LISTED_ON>2003-02-24</LISTED_ON><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>
<ALIAS_NAME>Jund al-Islam</ALIAS_NAME></ENTITY_ALIAS></ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>
"""


def _un_list(tmp_path: Path) -> Path:
    path = tmp_path / "consolidated.xml"
    path.write_text(UN_XML, encoding="utf-8")
    return path


def _nusra_listed(ledger: Ledger) -> None:
    base = scenario()
    nusra = replace(base.actors[0], un_reference="QDe.137")
    load_scenario(ledger, replace(base, actors=(nusra, *base.actors[1:])))


def test_the_un_list_joins_the_register_and_old_reports_resolve_anew(
    run: Run, ledger: Ledger, db: Database, tmp_path: Path
) -> None:
    _nusra_listed(ledger)
    # named as the group was renamed in July 2016: unknown to the register until the list
    submitted = submit_report(ledger, report("1", actors=("Jabhat Fateh al-Sham",)))
    before, _ = queries.get_incident(db, submitted.incident_id, EVERYTHING)
    assert before.classification.value == "potential_violation"

    imported = run("actors", "import-un", str(_un_list(tmp_path)))
    assert imported.exit_code == 0, imported.output
    assert "2 created, 1 updated, 0 unchanged" in imported.output
    assert "joined to actors already in the register: QDe.137 = nusra" in imported.output
    after, reports = queries.get_incident(db, submitted.incident_id, EVERYTHING)
    assert after.classification.value == "excluded_actor"
    assert reports[0].report.actors[0].actor_id == "nusra"

    again = run("actors", "import-un", str(_un_list(tmp_path)))
    assert "0 created, 0 updated, 3 unchanged" in again.output

    shown = run("actors", "show", "nusra")
    assert "UN list: QDe.137, listed 2014-05-14" in shown.output
    assert "a.k.a. Jabhat Fateh Al-Sham" in shown.output
    jawlani = run("actors", "show", "un-qdi-317")
    assert "ABU MOHAMMED AL-JAWLANI (listed_individual)" in jawlani.output
    assert "Abu Ashraf" not in jawlani.output  # a weak alias is left out
    verified = run("ledger", "verify")
    assert verified.exit_code == 0, verified.output


def test_resolve_prints_one_json_object_a_line_in_input_order(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    _nusra_listed(ledger)
    assert run("actors", "import-un", str(_un_list(tmp_path))).exit_code == 0
    names = ["Jaish al-Islam", "Джебхат ан-Нусра", "Abu Mohammed al-Julani", "Jund al-Islam"]
    printed = run("actors", "resolve", *names, "--json")
    assert printed.exit_code == 0, printed.output
    lines = [json.loads(line) for line in printed.output.splitlines()]
    assert [line["name"] for line in lines] == names
    assert lines[0]["match"] is None  # Jaish al-Islam is not Jund al-Islam
    assert lines[0]["candidates"][0]["id"] == "un-qde-098"
    assert lines[1]["match"]["id"] == "nusra"
    assert lines[1]["match"]["un_reference"] == "QDe.137"
    assert lines[2]["match"]["id"] == "un-qdi-317"
    assert lines[3]["match"] == {
        "id": "un-qde-098",
        "name": "ANSAR AL-ISLAM",
        "un_reference": "QDe.098",
        "score": 1.0,
    }
    for line in lines:
        assert set(line) == {"name", "match", "candidates"}
        assert all(0 <= c["score"] <= 1 for c in line["candidates"])

    table = run("actors", "resolve", "Jaish al-Islam", "al-Nusrah")
    rows = [row.split("\t") for row in table.output.strip().splitlines()]
    assert rows[0] == ["name", "actor", "score", "nearest (no match)"]
    assert rows[1][1] == "no match" and "un-qde-098" in rows[1][3]
    assert rows[2][1] == "nusra (Jabhat al-Nusra)"


def test_errors_are_one_line(run: Run, ledger: Ledger, tmp_path: Path) -> None:
    _nusra_listed(ledger)
    missing = run("actors", "show", "nobody")
    assert (missing.exit_code, missing.output.strip()) == (2, "error: no actor 'nobody'")
    html = tmp_path / "list.xml"
    html.write_text("<html/>", encoding="utf-8")
    refused = run("actors", "import-un", str(html))
    assert refused.exit_code == 2
    assert "not <CONSOLIDATED_LIST>" in refused.output


def test_unresolved_names_are_listed_and_mapped_once(run: Run, ledger: Ledger) -> None:
    _nusra_listed(ledger)
    submit_report(ledger, report("1", actors=("Civilians (Syria)", "Jaysh al-Fatah")))
    submit_report(ledger, report("2", actors=("Jaysh al-Fatah",), lon=37.1, lat=36.2))
    listed = run("actors", "unresolved")
    rows = [line.split("\t") for line in listed.output.strip().splitlines()]
    assert rows[0] == ["name", "mentions", "nearest"]
    assert [r[:2] for r in rows[1:]] == [["Jaysh al-Fatah", "2"], ["Civilians (Syria)", "1"]]

    # the Army of Conquest was led by Nusra: an analyst says so once, for every report
    mapped = run("actors", "map", "Jaysh al-Fatah", "--actor", "nusra", "--party", "us")
    assert mapped.exit_code == 0, mapped.output
    assert "'Jaysh al-Fatah' is nusra; 2 incidents changed" in mapped.output
    assert run("actors", "map", "Civilians (Syria)", "--none", "--party", "us").exit_code == 0
    assert run("actors", "unresolved").output.strip() == "name\tmentions\tnearest"
    resolved = json.loads(run("actors", "resolve", "JAYSH AL FATAH", "--json").output)
    assert resolved["match"]["id"] == "nusra" and resolved["match"]["score"] == 1.0

    found = queries.list_reports(ledger.db, EVERYTHING, limit=10)
    mentions = {(a.name, a.actor_id, a.score) for r in found for a in r.report.actors}
    assert ("Jaysh al-Fatah", "nusra", 1.0) in mentions
    assert ("Civilians (Syria)", None, None) in mentions
    refused = run("actors", "map", "X", "--actor", "nobody", "--party", "us")
    assert refused.exit_code == 2 and "'nobody': no such actor" in refused.output
    assert run("ledger", "verify").exit_code == 0

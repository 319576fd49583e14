"""`ceasefire designations ...`: a member's list from a file, and the consolidated list."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from typer.testing import Result

from builders import scenario
from ceasefire.domain.designations import DesignationList
from ceasefire.services import designations
from ceasefire.services.ledger import Ledger
from ceasefire.services.scenarios import load_scenario

Run = Callable[..., Result]


def _loaded(ledger: Ledger) -> None:
    lists = (DesignationList("issg", "ISSG list", ("ru", "us")),)
    load_scenario(ledger, replace(scenario(), designation_lists=lists))


def test_a_member_submits_a_csv_and_the_list_shows_who_listed_what(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    _loaded(ledger)
    ru = tmp_path / "ru.csv"
    # cp1251, as a Russian office may save it, with the names in Cyrillic and Arabic
    ru.write_bytes("actor,note\nДжебхат ан-Нусра,\n".encode("cp1251"))
    done = run("designations", "submit", "issg", str(ru), "--party", "ru", "--encoding", "cp1251")
    assert done.exit_code == 0, done.output
    assert "ru's list for issg: version 1, 1 group changed (1 listed, 0 not listed)" in done.output
    us = tmp_path / "us.json"
    us.write_text(
        json.dumps(
            {"designations": [{"actor": "nusra"}, {"actor": "saa", "position": "not_listed"}]}
        ),
        encoding="utf-8",
    )
    assert (
        run(
            "designations", "submit", "issg", str(us), "--party", "us", "--format", "json"
        ).exit_code
        == 0
    )

    shown = run("designations", "show", "issg")
    lines = [line.split("\t") for line in shown.output.strip().splitlines()]
    assert lines[0] == ["ISSG list, version 2"]
    assert lines[2] == ["nusra", "Jabhat al-Nusra", "unanimous", "ru, us", "", ""]
    assert lines[3][:5] == ["saa", "Syrian Arab Army", "none", "", "us"]
    versions = run("designations", "versions", "issg")
    assert [row.split("\t")[1] for row in versions.output.strip().splitlines()[1:]] == ["ru", "us"]
    diff = run("designations", "diff", "issg", "1", "2")
    assert [line.split("\t") for line in diff.output.strip().splitlines()[1:]] == [
        ["nusra", "Jabhat al-Nusra", "moved", "some", "unanimous", "us: silent -> listed"],
        ["saa", "Syrian Arab Army", "held", "none", "none", "us: silent -> not_listed"],
    ]
    counts = [row.split("\t")[3] for row in versions.output.strip().splitlines()[1:]]
    assert counts == ["1", "2"]  # as many as the diff from the version before lists
    exported = run(
        "designations", "export", "issg", "--format", "ftm", "-o", str(tmp_path / "l.json")
    )
    assert "wrote 3 entities" in exported.output  # one organisation, two sanctions


def test_a_row_naming_no_actor_stops_the_submission(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    _loaded(ledger)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "actor,position\nnusra,listed\nJaysh al-Fatah,listed\nsaa,perhaps\n", encoding="utf-8"
    )
    refused = run("designations", "submit", "issg", str(bad), "--party", "ru")
    assert refused.exit_code == 2
    assert "row 3: position: 'perhaps' is not 'listed' or 'not_listed'" in refused.output
    bad.write_text("actor\nnusra\nJaysh al-Fatah\n", encoding="utf-8")
    refused = run("designations", "submit", "issg", str(bad), "--party", "ru")
    assert refused.exit_code == 2
    assert "row 2: 'Jaysh al-Fatah' names no actor" in refused.output
    assert "Nothing was written" in refused.output
    assert (
        run("designations", "versions", "issg").output.strip()
        == "version\tparty\tsubmitted\tchanges"
    )


def test_a_file_without_notes_keeps_the_members_notes_and_json_can_remove_one(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    _loaded(ledger)
    noted = tmp_path / "noted.csv"
    noted.write_text("actor,note\nnusra,everyone agrees\nsaa,shelled Damascus\n", encoding="utf-8")
    assert run("designations", "submit", "issg", str(noted), "--party", "ru").exit_code == 0
    bare = tmp_path / "bare.csv"
    bare.write_text("actor,note\nnusra,\nsaa,  \n", encoding="utf-8")  # empty cells: no note
    again = run("designations", "submit", "issg", str(bare), "--party", "ru")
    assert "ru's list for issg: no change" in again.output
    assert designations.consolidated(ledger.db, "issg").notes == {
        ("nusra", "ru"): "everyone agrees",
        ("saa", "ru"): "shelled Damascus",
    }
    removed = tmp_path / "removed.json"
    removed.write_text(
        json.dumps(
            {"designations": [{"actor": "nusra", "note": ""}, {"actor": "saa", "note": None}]}
        ),
        encoding="utf-8",
    )
    done = run("designations", "submit", "issg", str(removed), "--party", "ru", "--format", "json")
    assert "ru's list for issg: no position moved; 1 note changed" in done.output
    assert designations.consolidated(ledger.db, "issg").notes == {("saa", "ru"): "shelled Damascus"}
    versions = run("designations", "versions", "issg").output.strip().splitlines()
    assert len(versions) == 2  # the header and version 1: notes make none


def test_a_submission_from_a_stale_version_of_the_members_list_is_refused(
    run: Run, ledger: Ledger, tmp_path: Path
) -> None:
    """`designations held` gives a member's list and its version; `submit --if-version`
    with it is refused once the list changed since, and signs nothing."""
    _loaded(ledger)
    read = run("designations", "held", "issg", "us")
    assert read.exit_code == 0, read.output
    first_line = read.output.splitlines()[0]
    assert first_line.startswith("us's list for issg, version ")
    version = first_line.rsplit(" ", 1)[1]
    nusra = tmp_path / "nusra.csv"
    nusra.write_text("actor,note\nnusra,UNSC 2170\n", encoding="utf-8")
    done = run("designations", "submit", "issg", str(nusra), "--party", "us",
               "--if-version", version)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "us's list is now at version " in done.output
    now = run("designations", "held", "issg", "us").output.splitlines()
    assert now[0] != first_line and now[2].split("\t") == [
        "nusra", "Jabhat al-Nusra", "listed", "UNSC 2170"
    ]  # fmt: skip
    saa = tmp_path / "saa.csv"
    saa.write_text("actor\nsaa\n", encoding="utf-8")
    stale = run("designations", "submit", "issg", str(saa), "--party", "us",
                "--if-version", version)  # fmt: skip
    assert stale.exit_code != 0 and "changed since the version you read" in stale.output
    assert run("designations", "held", "issg", "us").output.splitlines() == now
    assert run("designations", "held", "issg", "un").exit_code != 0  # not a member

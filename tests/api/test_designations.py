"""/api/v1/designations: a list created, each member submitting as its party, and the
consolidated list with its versions, diff and exports."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.conftest import SignAs
from ceasefire.domain.workflow import Role


def test_members_submit_and_the_list_consolidates(client: TestClient, sign_as: SignAs) -> None:
    admin = sign_as("us", Role.ADMIN)
    created = client.post(
        "/api/v1/designations",
        json={"id": "issg", "name": "ISSG list", "members": ["us", "ru"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 0

    us = client.post(
        "/api/v1/designations/issg/submissions",
        json={
            "designations": [
                {"actor": "Jabhat al-Nusra"},
                {"actor": "saa", "position": "not_listed"},
            ]
        },
    )
    assert us.status_code == 201, us.text
    assert us.json()["party_id"] == "us" and us.json()["version"] == 1
    ru = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "جبهة النصرة"}]},
        headers=sign_as("ru", Role.OFFICER),
    )
    assert ru.json()["version"] == 2

    found = client.get("/api/v1/designations/issg").json()
    entries = {e["actor_id"]: e for e in found["entries"]}
    assert entries["nusra"]["level"] == "unanimous"
    assert entries["nusra"]["under"] == ["unanimous", "majority", "any"]
    assert entries["saa"]["not_listed_by"] == ["us"]
    only = client.get("/api/v1/designations/issg", params={"rule": "unanimous"}).json()
    assert [e["actor_id"] for e in only["entries"]] == ["nusra"]
    assert [v["party_id"] for v in client.get("/api/v1/designations/issg/versions").json()] == [
        "us",
        "ru",
    ]
    changes = client.get("/api/v1/designations/issg/diff", params={"from": 1, "to": 2}).json()
    assert changes == [
        {
            "actor_id": "nusra",
            "name": "Jabhat al-Nusra",
            "change": "moved",
            "before": "some",
            "after": "unanimous",
            "words": [{"party_id": "ru", "before": None, "after": "listed"}],
        }
    ]
    assert ru.json()["changes"] == changes  # the version's changes, as the diff says

    csv = client.get("/api/v1/designations/issg/export")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1].startswith("nusra,Jabhat al-Nusra,unanimous,ru;us,")
    ftm = client.get("/api/v1/designations/issg/export", params={"format": "ftm"})
    entities = [json.loads(line) for line in ftm.text.splitlines()]
    assert {e["schema"] for e in entities} == {"Organization", "Sanction"}
    assert sorted(
        e["properties"]["authority"][0] for e in entities if e["schema"] == "Sanction"
    ) == [
        "ru",
        "us",
    ]


def test_bad_submissions_are_4xx_naming_the_field(client: TestClient, sign_as: SignAs) -> None:
    admin = sign_as("us", Role.ADMIN)
    client.post(
        "/api/v1/designations",
        json={"id": "issg", "name": "ISSG", "members": ["us"]},
        headers=admin,
    )
    unknown = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "Jaysh al-Fatah"}]},
    )
    assert unknown.status_code == 422
    assert "row 1: 'Jaysh al-Fatah' names no actor" in unknown.json()["message"]
    outsider = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "nusra"}]},
        headers=sign_as("ru", Role.OFFICER),
    )
    assert outsider.status_code == 422 and "not a member" in outsider.json()["message"]
    bad = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "nusra", "position": "maybe"}]},
    )
    assert bad.status_code == 422 and "position" in bad.text
    missing = client.get("/api/v1/designations/nothing")
    assert missing.status_code == 404
    no_party = client.post(
        "/api/v1/designations", json={"id": "x", "name": "X", "members": ["zz"]}, headers=admin
    )
    assert no_party.status_code == 422 and "zz: no such party" in no_party.json()["message"]
    reader = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": []},
        headers=sign_as("us", Role.OBSERVER),
    )
    assert reader.status_code == 403


def test_a_versions_count_is_its_diff_and_a_note_alone_makes_no_version(
    client: TestClient, sign_as: SignAs
) -> None:
    client.post(
        "/api/v1/designations",
        json={"id": "issg", "name": "ISSG", "members": ["us", "ru"]},
        headers=sign_as("us", Role.ADMIN),
    )
    submissions = "/api/v1/designations/issg/submissions"
    ru = sign_as("ru", Role.OFFICER)
    first = client.post(
        submissions,
        json={"designations": [{"actor": "nusra", "note": "everyone agrees"}, {"actor": "saa"}]},
        headers=ru,
    ).json()
    assert first["version"] == 1 and [c["change"] for c in first["changes"]] == ["added", "added"]
    # the same list without notes: the notes are kept, nothing is signed
    same = client.post(
        submissions, json={"designations": [{"actor": "nusra"}, {"actor": "saa"}]}, headers=ru
    ).json()
    assert (same["version"], same["changes"], same["signed"]) == (None, [], [])
    # a note alone is signed, and makes no version
    noted = client.post(
        submissions,
        json={
            "designations": [{"actor": "nusra", "note": ""}, {"actor": "saa", "note": "shelling"}]
        },
        headers=ru,
    ).json()
    assert noted["version"] is None and noted["changes"] == []
    assert noted["signed"] == [
        {"actor_id": "nusra", "position": "listed", "note": ""},
        {"actor_id": "saa", "position": "listed", "note": "shelling"},
    ]
    # us lists the Nusra Front (unanimous now) and refuses the army (disputed now)
    us = client.post(
        submissions,
        json={"designations": [{"actor": "saa", "position": "not_listed"}, {"actor": "nusra"}]},
    ).json()
    assert us["version"] == 2
    versions = client.get("/api/v1/designations/issg/versions").json()
    for v in versions:
        diff = client.get(
            "/api/v1/designations/issg/diff", params={"from": v["version"] - 1, "to": v["version"]}
        ).json()
        assert v["changes"] == len(diff)
    assert [v["changes"] for v in versions] == [2, 2]
    backwards = client.get("/api/v1/designations/issg/diff", params={"from": 2, "to": 0}).json()
    assert {c["actor_id"]: c["change"] for c in backwards} == {"nusra": "removed", "saa": "removed"}
    out_of_range = client.get("/api/v1/designations/issg/diff", params={"from": 0, "to": 7})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["message"].startswith("to: 7: the list has versions 0 to 2")


def test_a_submission_from_a_stale_read_of_the_partys_list_is_refused_412(
    client: TestClient, sign_as: SignAs
) -> None:
    """GET …/submissions/{party} gives the member's list and its version (the ETag); a
    submission that sends it back as If-Match is refused once a colleague submitted since,
    and signs nothing."""
    admin = sign_as("us", Role.ADMIN)
    client.post(
        "/api/v1/designations",
        json={"id": "issg", "name": "ISSG list", "members": ["us", "ru"]},
        headers=admin,
    )
    officer = sign_as("us", Role.OFFICER)
    empty = client.get("/api/v1/designations/issg/submissions/us", headers=officer)
    assert empty.status_code == 200, empty.text
    read = empty.json()["version"]
    assert empty.headers["etag"] == f'"{read}"' and empty.json()["designations"] == []

    first = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "nusra", "note": "UNSC 2170"}]},
        headers={**officer, "If-Match": f'"{read}"'},
    )
    assert first.status_code == 201, first.text
    now = first.json()["held_version"]
    assert now != read and first.headers["etag"] == f'"{now}"'
    held = client.get("/api/v1/designations/issg/submissions/us", headers=officer).json()
    assert held["version"] == now
    assert held["designations"] == [
        {"actor_id": "nusra", "name": "Jabhat al-Nusra", "position": "listed", "note": "UNSC 2170"}
    ]

    stale = client.post(  # a colleague's form, read before the first was signed
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "saa"}]},
        headers={**officer, "If-Match": f'W/"{read}"'},
    )
    assert stale.status_code == 412, stale.text
    assert "changed since the version you read" in stale.text
    after = client.get("/api/v1/designations/issg/submissions/us", headers=officer).json()
    assert after == held  # nothing signed: nusra still listed, saa not added

    bad = client.post(
        "/api/v1/designations/issg/submissions",
        json={"designations": [{"actor": "saa"}]},
        headers={**officer, "If-Match": '"a", "b"'},
    )
    assert bad.status_code == 422 and "If-Match" in bad.text
    assert (
        client.get("/api/v1/designations/issg/submissions/un", headers=officer).status_code == 404
    )
    assert (
        client.get("/api/v1/designations/nope/submissions/us", headers=officer).status_code == 404
    )

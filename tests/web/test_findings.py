"""The incident file's forms (each co-chair's finding, the joint finding, response
measures and their steps), the measures register, and the ledger page."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from api.test_visibility import OUTSIDERS
from builders import report, scenario
from ceasefire.domain.actors import Actor
from ceasefire.domain.workflow import Role
from ceasefire.services.bundles import verify_bundle
from ceasefire.services.incidents import submit_report
from ceasefire.services.ledger import Ledger
from ceasefire.services.logs import cosign_as
from ceasefire.services.merges import merge_incidents
from ceasefire.services.scenarios import load_scenario
from web.conftest import Browser, SignIn
from web.test_reports import form, incident_of


def joint_badge(browser: Browser, incident: int) -> str:
    page = browser.client.get(f"/incidents/{incident}").text
    found = re.search(r'<span class="badge" id="joint">.*?</span>([^<]*)</span>', page, re.S)
    assert found is not None
    return found.group(1).strip()


def assess(browser: Browser, incident: int, finding: str, reasoning: str = "seen") -> Any:
    return browser.post(
        f"/incidents/{incident}/assess",
        {"finding": finding, "confidence": "high", "reasoning": reasoning},
    )


def test_two_co_chairs_findings_make_the_joint_finding(sign_in: SignIn) -> None:
    us, ru = sign_in("us"), sign_in("ru")
    incident = incident_of(us.post("/reports/new", form()))
    assert joint_badge(ru, incident) == "Joint finding: Not assessed"
    assert assess(us, incident, "violation").status_code == 303
    assert joint_badge(ru, incident) == "Joint finding: Awaiting a co-chair"
    assert assess(ru, incident, "no_violation").status_code == 303
    assert joint_badge(us, incident) == "Joint finding: Disputed"
    assess(ru, incident, "violation", "on reflection")
    assert joint_badge(us, incident) == "Joint finding: Agreed: violation"
    history = us.client.get(f"/incidents/{incident}").text
    assert "on reflection" in history and "seen" in history


def test_a_party_outside_the_agreement_is_told_its_findings_are_not_for_it_not_unassessed(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    us, ru = sign_in("us"), sign_in("ru")
    incident = incident_of(us.post("/reports/new", form(agreement="")))  # open to every party
    assess(us, incident, "violation")
    assess(ru, incident, "no_violation")
    load_scenario(web_ledger, OUTSIDERS)
    osce = sign_in("osce", Role.OBSERVER, language="ru")
    page = osce.client.get(f"/incidents/{incident}").text
    assert joint_badge(osce, incident) == "Совместное заключение: только для сторон соглашения"
    assert "по времени Дамаск" in page and "Damascus" not in page  # the reasons' zone too
    findings = page[page.index('id="findings"') : page.index('id="measures"')]
    assert "Ваша сторона не является стороной syria" in findings
    assert "is not a party of" not in page and "Разногласия" not in findings
    assert "только для его сторон" in page and "Ответных мер пока нет" not in page


def test_a_finding_needs_a_choice_and_a_reason(sign_in: SignIn) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    refused = assess(us, incident, "")
    assert refused.status_code == 422 and "Choose a finding." in refused.text
    unreasoned = assess(us, incident, "violation", "  ")
    assert unreasoned.status_code == 422 and "Say why." in unreasoned.text
    assert joint_badge(us, incident) == "Joint finding: Not assessed"


def test_only_a_co_chairs_officer_may_assess(sign_in: SignIn) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    reporter = sign_in("us", Role.REPORTER)
    assert (
        f'action="/incidents/{incident}/assess"'
        not in reporter.client.get(f"/incidents/{incident}").text
    )
    assert assess(reporter, incident, "violation").status_code in (403, 422)
    assert joint_badge(us, incident) == "Joint finding: Not assessed"


def test_a_measure_is_proposed_agreed_from_the_register_and_listed_as_overdue(
    sign_in: SignIn,
) -> None:
    us, ru = sign_in("us"), sign_in("ru")
    incident = incident_of(us.post("/reports/new", form()))
    proposed = us.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "2016-03-10", "description": "Ask <b>"},
    )
    assert proposed.status_code == 303
    register = ru.client.get("/measures").text
    row = re.search(r'<tr data-measure="(\d+)" class="overdue">(.*?)</tr>', register, re.S)
    assert row is not None, register
    assert "Ask &lt;b&gt;" in row.group(2) and "Mark it agreed" in row.group(2)
    measure = row.group(1)
    agreed = ru.post(
        f"/measures/{measure}/step", {"status": "agreed", "next": "/measures?overdue=yes"}
    )
    assert agreed.status_code == 303 and agreed.headers["location"] == "/measures?overdue=yes"
    overdue = ru.client.get("/measures?overdue=yes").text
    assert f'data-measure="{measure}"' in overdue and ">agreed" in overdue
    assert f'data-measure="{measure}"' not in ru.client.get("/measures?status=done").text
    # the owner marks it done, from the incident file; it is no longer overdue
    done = ru.post(f"/measures/{measure}/step", {"status": "done"})
    assert done.headers["location"] == f"/incidents/{incident}"
    assert f'data-measure="{measure}"' not in ru.client.get("/measures?overdue=yes").text
    elsewhere = ru.post(f"/measures/{measure}/step", {"status": "agreed", "next": "//evil.example"})
    assert elsewhere.status_code == 422


def test_the_proposer_is_not_offered_to_agree_its_own_measure_and_may_not(
    sign_in: SignIn,
) -> None:
    """The walkthrough: ru's officer proposes a measure; agreeing it is the other
    co-chair's step, so ru is offered only to withdraw it, on the incident file and in the
    register, and its request to agree it is refused."""
    us, ru = sign_in("us"), sign_in("ru")
    incident = incident_of(us.post("/reports/new", form()))
    proposed = ru.post(
        f"/incidents/{incident}/measures",
        {"kind": "communication", "owner_party": "ru", "due": "", "description": "Ask"},
    )
    assert proposed.status_code == 303

    def buttons(browser: Browser) -> list[str]:
        page = browser.client.get(f"/incidents/{incident}").text
        register = browser.client.get("/measures").text
        found = re.findall(r'name="status" value="(\w+)"', page)
        assert found == re.findall(r'name="status" value="(\w+)"', register)
        return found

    assert buttons(ru) == ["withdrawn"]
    assert buttons(us) == ["agreed"]
    found = re.search(r'<tr data-measure="(\d+)"', ru.client.get("/measures").text)
    assert found is not None
    step = f"/measures/{found.group(1)}/step"
    own = ru.post(step, {"status": "agreed"})
    assert own.status_code == 403
    said = (
        "Only a co-chair of the agreement other than the one that proposed it may mark a "
        "proposed measure agreed."
    )
    assert said in own.text
    assert us.post(step, {"status": "agreed"}).status_code == 303
    assert buttons(ru) == ["done"]  # ru owns it


def test_the_ledger_page_gives_the_partys_bundle_which_verifies_offline(
    sign_in: SignIn, tmp_path: Path
) -> None:
    us = sign_in("us")
    incident_of(us.post("/reports/new", form()))
    page = us.client.get("/ledger").text
    size = re.search(r'id="checkpoint-size">([\d,]+)<', page)
    assert size is not None
    assert "ceasefire ledger verify ceasefire-ledger-" in page
    bundle = us.client.get("/api/v1/ledger/bundle")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        archive.extractall(tmp_path / "unzipped")
    (folder,) = (tmp_path / "unzipped").iterdir()
    assert folder.name == f"ceasefire-ledger-{size.group(1).replace(',', '')}"
    assert verify_bundle(folder).ok


def test_the_ledger_page_offers_under_the_cosigned_checkpoint_that_one_not_the_latest(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    us = sign_in("us")
    incident_of(us.post("/reports/new", form()))
    cosigned = cosign_as(web_ledger, ["us", "ru"]).checkpoint.size
    incident_of(us.post("/reports/new", form(source_id="later")))  # signed by the host alone
    page = us.client.get("/ledger").text
    latest = re.search(r'id="latest-checkpoint" href="[^"]*size=(\d+)"', page)
    assert latest is not None and int(latest.group(1)) > cosigned
    below = page[page.index("The latest cosigned checkpoint") :]
    offered = re.findall(r'href="/api/v1/ledger/checkpoint\?size=(\d+)"', below)
    assert offered == [str(cosigned)]
    assert 'id="cosigned-checkpoint"' in below and "download it" not in page


def test_each_piece_links_its_proof_against_the_latest_cosigned_checkpoint(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    page = us.client.get(f"/incidents/{incident}").text
    assert "not yet cosigned" in page and "(cosigned checkpoint" not in page
    cosigned = cosign_as(web_ledger, ["us", "ru"]).checkpoint.size
    page = us.client.get(f"/incidents/{incident}").text
    assert f"inclusion proof (cosigned checkpoint {cosigned})" in page
    proof = re.search(r'href="(/api/v1/ledger/proof/inclusion\?index=\d+&amp;size=\d+)"', page)
    assert proof is not None
    assert us.client.get(proof.group(1).replace("&amp;", "&")).status_code == 200


def test_a_measure_form_names_its_wrong_field(sign_in: SignIn) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    empty = us.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "", "description": "  "},
    )
    assert empty.status_code == 422
    assert 'id="measure-description-error"' in empty.text
    late = us.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "someday", "description": "Ask"},
    )
    assert late.status_code == 422 and 'id="measure-due-error"' in late.text


def test_a_measure_and_a_comment_are_refused_in_the_officers_language(sign_in: SignIn) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    ru = sign_in("ru", language="ru")
    empty = ru.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "", "description": "  "},
    )
    assert empty.status_code == 422
    said = re.search(r'id="measure-description-error">([^<]*)<', empty.text)
    assert said is not None and said.group(1) == "Укажите, что нужно сделать."
    proposed = ru.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "", "description": "Ask"},
    )
    assert proposed.status_code == 303
    page = ru.client.get(f"/incidents/{incident}").text
    found = re.search(r'action="/measures/(\d+)/comment"', page)
    assert found is not None, "no comment form"
    blank = ru.post(f"/measures/{found.group(1)}/comment", {"text": " "})
    assert blank.status_code == 422 and "Сначала напишите комментарий." in blank.text


def test_a_step_the_rules_refuse_is_said_in_the_officers_language(sign_in: SignIn) -> None:
    us = sign_in("us", language="ru")
    incident = incident_of(us.post("/reports/new", form()))
    us.post(
        f"/incidents/{incident}/measures",
        {"kind": "demarche", "owner_party": "ru", "due": "", "description": "Ask"},
    )
    found = re.search(r'<tr data-measure="(\d+)"', us.client.get("/measures").text)
    assert found is not None
    step = f"/measures/{found.group(1)}/step"
    early = us.post(step, {"status": "done"})
    assert early.status_code == 422
    assert "Меру в состоянии «предложена» нельзя перевести в «выполнена»." in early.text
    assert sign_in("ru").post(step, {"status": "agreed"}).status_code == 303
    theirs = us.post(step, {"status": "done"})  # ru owns it
    assert theirs.status_code == 403
    said = "Перевести меру из «согласована» в «выполнена» может только ответственная сторона."
    assert said in theirs.text


def disputed(ledger: Ledger) -> int:
    """An incident the us and ru sources tell with different actors (merged into one)."""
    ours = submit_report(ledger, report("u", source="us", actors=("Syrian Arab Army",)))
    theirs = submit_report(ledger, report("r", source="ru", actors=("Al-Nusrah Front",)))
    return merge_incidents(ledger, [ours.incident_id, theirs.incident_id]).incident.id


def test_an_incident_whose_sources_disagree_on_the_actor_says_so(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    incident = disputed(web_ledger)
    page = sign_in("us", language="ru").client.get(f"/incidents/{incident}").text
    assert '<span class="badge disputed" id="attribution">' in page
    assert "Принадлежность оспаривается: источники называют разных участников" in page
    assert "ru: Jabhat al-Nusra; us: Syrian Arab Army" in page
    other = submit_report(web_ledger, report("o", source="ru", actors=("Al-Nusrah Front",)))
    alone = sign_in("us").client.get(f"/incidents/{other.incident_id}").text
    assert 'id="classification"' in alone and 'id="attribution"' not in alone


def test_in_arabic_the_latin_values_of_an_incident_are_isolated(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    incident = disputed(web_ledger)
    page = sign_in("us", language="ar").client.get(f"/incidents/{incident}").text
    # who claims what, put into an Arabic sentence, keeps its own order and punctuation
    assert "\u2068ru: Jabhat al-Nusra; us: Syrian Arab Army\u2069" in page
    reasons = page[page.index('<ul class="reasons">') :]
    reasons = reasons[: reasons.index("</ul>")]
    assert "\u2068&#39;Cessation of hostilities – Syria&#39;\u2069" in reasons  # its name
    # values a template puts in place are elements of their own ("data": isolated by CSS),
    # and the arrow from a name as written to its actor points the way Arabic reads
    assert '<span class="data">Al-Nusrah Front</span> ← <span class="data">nusra</span>' in page
    english = sign_in("us").client.get(f"/incidents/{incident}").text
    assert "\u2068" not in english and "Al-Nusrah Front</span> → " in english


def test_a_findings_history_names_the_actor_it_attributes_the_incident_to(
    sign_in: SignIn,
) -> None:
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    attributed = us.post(
        f"/incidents/{incident}/assess",
        {
            "finding": "violation",
            "confidence": "high",
            "reasoning": "seen",
            "attributed_actor_id": "nusra",
        },
    )
    assert attributed.status_code == 303
    page = us.client.get(f"/incidents/{incident}").text
    row = re.search(r'<tr data-assessment="\d+">(.*?)</tr>', page, re.S)
    assert row is not None
    assert '<td class="data">Jabhat al-Nusra</td>' in row.group(1)


def test_the_actors_to_attribute_an_incident_to_are_listed_by_name(
    sign_in: SignIn, web_ledger: Ledger
) -> None:
    base = scenario()  # an id first in order whose name is last
    load_scenario(web_ledger, replace(base, actors=(*base.actors, Actor("aaa", "Zintan Brigade"))))
    us = sign_in("us")
    incident = incident_of(us.post("/reports/new", form()))
    page = us.client.get(f"/incidents/{incident}").text
    select = page[
        page.index('id="attributed"') : page.index("</select>", page.index('id="attributed"'))
    ]
    names = re.findall(r'<option value="[^"]+" class="data"[^>]*>([^<]*)</option>', select)
    assert len(names) >= 2 and names == sorted(names, key=str.casefold)


def test_an_officer_cosigns_the_latest_checkpoint_as_the_party_from_the_ledger_page(
    sign_in: SignIn,
) -> None:
    us = sign_in("us", language="ru")
    incident_of(us.post("/reports/new", form()))
    assert 'action="/ledger/cosign"' in us.client.get("/ledger").text
    done = us.post("/ledger/cosign")
    assert done.status_code == 303, done.text[-300:]
    page = us.client.get(done.headers["location"]).text
    assert "Ваша сторона подписала контрольную точку из" in page
    assert 'action="/ledger/cosign"' not in page  # its party is among the signers now
    assert re.search(r'<strong class="data">us</strong>', page)
    observer = sign_in("ru", Role.OBSERVER)
    assert 'action="/ledger/cosign"' not in observer.client.get("/ledger").text
    assert observer.post("/ledger/cosign").status_code == 403

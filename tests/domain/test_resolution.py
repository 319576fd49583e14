"""Names resolve to actors across scripts, transliterations and typing errors, and a name
that could be either of two actors, or is only like one, resolves to none."""

from __future__ import annotations

import pytest

from ceasefire.domain.actors import Actor, ActorIndex
from ceasefire.domain.names import name_key
from ceasefire.domain.resolution import THRESHOLD, NameIndex, similarity, variants

NUSRA = Actor(
    "nusra",
    "Jabhat al-Nusra",
    aliases=(
        "Al-Nusrah Front",
        "جبهة النصرة",
        "Jabhat Fath al-Sham",
        "Hay'at Tahrir al-Sham",
        "HTS",
    ),
)
JUND = Actor("ansar-islam", "Ansar al-Islam", aliases=("Jund al-Islam",))
SAA = Actor("sy-gov", "Government of Syria", aliases=("Syrian Arab Army", "SAA"))
UA = Actor(
    "ua-gov",
    "Government of Ukraine",
    references=(("acled", "Military Forces of Ukraine (2019-)"),),
)


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.of([NUSRA, JUND, SAA, UA])


@pytest.mark.parametrize(
    "name",
    [
        "Jabhat al-Nusra",
        "JABHAT AL NUSRA",
        "Jabhat an-Nusra",
        "dzhebhat EN – Nusra",  # the seeds' own spelling
        "Jabhat al-Nustra",  # and their typing error
        "Nusra Front",
        "Al Nusra",
        "Джебхат ан-Нусра",
        "Джабхат ан-Нусра",
        "جبهة النصرة",
        "Jabhat Fath al Sham",
        "Хайят Тахрир аш-Шам",
        "HTS",
    ],
)
def test_spellings_of_nusra_resolve_to_it(index: ActorIndex, name: str) -> None:
    resolution = index.resolution(name)
    assert resolution.match is not None, resolution.candidates
    assert resolution.match.actor_id == "nusra"
    assert THRESHOLD <= resolution.match.score <= 1.0


@pytest.mark.parametrize(
    "name",
    [
        "Jaish al-Islam",  # not Jund al-Islam
        "Jaysh al-Islam",
        "Jabhat al-Shamiya",  # not Jabhat Fath al-Sham
        "Ahrar al-Sham",
        "Jund al-Sham",
        "Syrian Democratic Forces",  # not the Syrian Arab Army
        "HTC",  # an acronym matches only as written
        "Jabhat",  # a word of kind alone names nobody
    ],
)
def test_look_alikes_resolve_to_nobody(index: ActorIndex, name: str) -> None:
    assert index.resolve(name) is None


def test_a_look_alike_still_lists_the_candidate_it_resembles(index: ActorIndex) -> None:
    resolution = index.resolution("Jaish al-Islam")
    assert resolution.match is None
    assert resolution.candidates[0].actor_id == "ansar-islam"
    assert resolution.candidates[0].alias == "Jund al-Islam"
    assert resolution.candidates[0].score < THRESHOLD


def test_acled_names_resolve_without_their_dates_and_sub_units(index: ActorIndex) -> None:
    assert index.resolve("Military Forces of Ukraine (2019-)") == "ua-gov"
    assert index.resolve("Military Forces of Ukraine (2019-) Air Force") == "ua-gov"
    derived = index.resolution("Military Forces of Ukraine (2019-) Navy").match
    assert derived is not None and derived.score < 1.0  # a derived form weighs less


def test_a_name_two_actors_share_resolves_to_neither() -> None:
    index = NameIndex()
    index.add("haramain-id", "Al-Haramain Foundation")
    index.add("haramain-ba", "Al-Haramain Foundation")
    resolution = index.resolve("Al Haramain Foundation")
    assert resolution.match is None
    assert {c.actor_id for c in resolution.candidates} == {"haramain-id", "haramain-ba"}
    assert all(c.score == 1.0 for c in resolution.candidates)


def test_short_names_match_only_as_written_within_a_script() -> None:
    index = NameIndex()
    index.add("q", "Dass")
    index.add("w", "Al Wafa")
    assert index.resolve("Daesh").match is None  # sounds alike, is not
    assert index.resolve("Ал Вафа").match is not None  # the same word in Cyrillic


def test_similarity_is_symmetric_and_one_for_the_same_name() -> None:
    a, b = name_key("Jabhat Fath al-Sham"), name_key("Jabhat al-Shamiya")
    assert similarity(a, b) == pytest.approx(similarity(b, a))
    assert similarity(a, a) == 1.0
    assert similarity(a, b) < THRESHOLD


def test_variants_keep_the_name_first() -> None:
    assert list(variants("NAF: United Armed Forces of Novorossiya")) == [
        "NAF: United Armed Forces of Novorossiya",
        "United Armed Forces of Novorossiya",
    ]
    assert list(variants("Civilians (Ukraine)"))[:2] == ["Civilians (Ukraine)", "Civilians"]


def test_an_actor_typed_is_found_by_its_id_or_a_name_it_goes_by_exactly_never_by_score() -> None:
    index = ActorIndex.of(
        [
            Actor("nusra", "Jabhat al-Nusra", aliases=("Al-Nusrah Front",)),
            Actor("fatah", "Jaysh al-Fatah", aliases=("Army of Conquest", "Nusra")),
            Actor("other", "Nusra"),
        ]
    )
    assert [a.id for a in index.named("nusra")] == ["nusra"]  # an id first
    assert [a.id for a in index.named("  al-nusrah   FRONT ")] == ["nusra"]
    assert [a.id for a in index.named("Nusra")] == ["fatah", "other"]
    assert index.named("Jabhat al-Nusr") == []  # near is not named

"""How well names resolve to actors: recall, precision and false merges over name variants
assembled from real sources.

The register is what a Syrian deployment holds: every entity and individual of the UN
Security Council Consolidated List of 2018-10-29 (../shared/data/sanctions), with the demo
scenarios' actors merged in (their Jabhat al-Nusra is QDe.137, their ISIL is QDe.115).

The variants, each with the actor it names (or none: a group that is not in the register,
which must resolve to nothing):

- **hand**: spellings written by people: the seed transcripts' own ("dzhebhat EN – Nusra",
  "Jabhat al-Nustra", "al-Nusrah", "Daesh"), Russian and Arabic press forms, the group's
  renamings, ACLED and UCDP actor names, and look-alike traps (Jaish al-Islam, the demo's
  own actor, is not Jund al-Islam, an a.k.a. of Ansar al-Islam; Jabhat al-Shamiya is not
  Jabhat Fath al-Sham; Ahrar al-Sham, also the demo's, is not Harakat Sham al-Islam);
- **transliterated**: each Latin alias of every entity on the ISIL (Da'esh) and Al-Qaida
  list, respelled as another transliteration system would ("al-" as "el-" or "ad-",
  "-ah" as "-a", "ou" as "u", "q" as "k", "j" as "dj", hyphens as spaces);
- **typo**: the same aliases with one typing error (a letter dropped, doubled, swapped with
  its neighbour or replaced by the key beside it) in a word of six letters or more;
- **cyrillic**: the same aliases written in Cyrillic as Russian transliterates Arabic
  names ("Джабхат ан-Нусра");
- **original script**: each entity's name and aliases in Arabic as the list gives them.

Run: ``python benchmarks/names.py`` (prints the table in docs/actors.md);
``tests/domain/test_name_evaluation.py`` asserts the targets: recall >= 95 %, no false
merge.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ceasefire.domain.names import is_arabic
from ceasefire.domain.resolution import MARGIN, THRESHOLD, NameIndex, Resolution
from ceasefire.ingest.unlist import ListedName, read_un_list

ROOT = Path(__file__).resolve().parents[1]
UN_LIST = ROOT.parent / "shared" / "data" / "sanctions" / "un_sc_consolidated_list_2018-10-29.xml"
SCENARIOS = ROOT / "src" / "ceasefire" / "scenarios"
MERGED = {"nusra": "QDe.137", "isil": "QDe.115"}

# (name, the actor it names or None, where the spelling comes from)
HAND: list[tuple[str, str | None, str]] = [
    ("dzhebhat EN – Nusra", "QDe.137", "seed transcript"),
    ("Jabhat al-Nustra", "QDe.137", "seed transcript"),
    ("al-Nusrah", "QDe.137", "seed transcript"),
    ("Nusrah", "QDe.137", "seed transcript"),
    ("the al-Nusrah Front", "QDe.137", "seed transcript"),
    ("Jabhat al-Nusrah", "QDe.137", "seed transcript"),
    ("Jabhat al-Nusra", "QDe.137", "seed transcript"),
    ("Nusra Front", "QDe.137", "press"),
    ("Al Nusra", "QDe.137", "press"),
    ("Al-Nusra Front", "QDe.137", "UN list"),
    ("Jabhat an-Nusra", "QDe.137", "press"),
    ("Jabhat al Nusra li-Ahl al-Sham", "QDe.137", "press"),
    ("Джебхат ан-Нусра", "QDe.137", "Russian press"),
    ("Джабхат ан-Нусра", "QDe.137", "Russian press"),
    ("Фронт ан-Нусра", "QDe.137", "Russian press"),
    ("«Джебхат ан-Нусра»", "QDe.137", "Russian press"),
    ("جبهة النصرة", "QDe.137", "Arabic press"),
    ("Jabhat Fateh al-Sham", "QDe.137", "renaming, July 2016"),
    ("Jabhat Fatah al-Sham", "QDe.137", "renaming, July 2016"),
    ("Джебхат Фатх аш-Шам", "QDe.137", "renaming, Russian press"),
    ("Hay'at Tahrir al-Sham", "QDe.137", "renaming, January 2017"),
    ("Hayat Tahrir al-Sham", "QDe.137", "renaming, ACLED"),
    ("Hayat Tahrir al Sham", "QDe.137", "renaming"),
    ("Хайят Тахрир аш-Шам", "QDe.137", "renaming, Russian press"),
    ("Хайат Тахрир аш-Шам", "QDe.137", "renaming, Russian press"),
    ("HTS", "QDe.137", "acronym"),
    ("ISIS", "QDe.115", "seed transcript"),
    ("ISIL", "QDe.115", "UN documents"),
    ("Daesh", "QDe.115", "seed transcript"),
    ("Da'esh", "QDe.115", "UN documents"),
    ("Islamic State", "QDe.115", "seed transcript"),
    ("the so-called Islamic State", "QDe.115", "seed transcript"),
    ("Islamic State of Iraq and the Levant", "QDe.115", "UN documents"),
    ("Islamic State of Iraq and Syria", "QDe.115", "press"),
    ("Исламское государство", "QDe.115", "Russian press"),
    ("ИГИЛ", "QDe.115", "Russian press"),
    ("داعش", "QDe.115", "Arabic press"),
    ("al-Qaida", "QDe.004", "seed transcript"),
    ("al-Qaeda", "QDe.004", "seed transcript"),
    ("Al Qaeda", "QDe.004", "press"),
    ("Аль-Каида", "QDe.004", "Russian press"),
    ("Syrian Arab Army", "sy-gov", "demo scenario"),
    ("Military Forces of Syria (2000-)", "sy-gov", "ACLED actor name"),
    ("Free Syrian Army", "fsa", "demo scenario"),
    ("Government of Ukraine", "ua-gov", "UCDP side_a"),
    ("Military Forces of Ukraine (2019-)", "ua-gov", "ACLED actor name"),
    ("Military Forces of Ukraine (2014-2019) Air Force", "ua-gov", "ACLED actor name"),
    ("DPR", "dpr", "UCDP side_b"),
    ("Donetsk Peoples Republic", "dpr", "press"),
    ("ДНР", "dpr", "Russian press"),
    ("NAF: United Armed Forces of Novorossiya", "novorossiya", "ACLED actor name"),
    ("Abdullah Azzam Brigades", "QDe.144", "UN list"),
    ("Jund al-Aqsa", "QDe.156", "press"),
    ("Jaysh al-Muhajireen wal-Ansar", "QDe.148", "press"),
    ("Harakat Sham al-Islam", "QDe.149", "UN list"),
    # the demo's two groups Russia lists and the US does not (its ISSG list), whose names
    # look like listed groups': each is itself, never the look-alike
    ("Jaish al-Islam", "jaysh-al-islam", "seed transcript; not Jund al-Islam (QDe.098)"),
    ("Jaysh al-Islam", "jaysh-al-islam", "press; not Jund al-Islam (QDe.098)"),
    ("Джейш аль-Ислам", "jaysh-al-islam", "Russian press; not Jund al-Islam"),
    ("Ahrar al-Sham", "ahrar-al-sham", "seed transcript; not Harakat Sham al-Islam (QDe.149)"),
    ("Ahrar al-sham", "ahrar-al-sham", "seed transcript"),
    ("Ahrar ash-Sham", "ahrar-al-sham", "press"),
    ("Ахрар аш-Шам", "ahrar-al-sham", "Russian press"),
    # look-alikes of listed groups that are not listed themselves: no match
    ("Jabhat al-Shamiya", None, "press; not Jabhat Fath al-Sham (QDe.137)"),
    ("Levant Front", None, "press; not Conquest of the Levant Front (QDe.137)"),
    ("Jaysh al-Izza", None, "press"),
    ("Faylaq al-Rahman", None, "press"),
    ("Nour al-Din al-Zenki Movement", None, "press"),
    ("Jaysh al-Nasr", None, "press; not Nusra"),
    ("Jund al-Sham", None, "press; not Jund al-Aqsa (QDe.156)"),
    ("Liwa al-Haqq", None, "press"),
    ("Syrian Democratic Forces", None, "press; not Syrian Arab Army"),
    ("Kurdistan Workers' Party", None, "press"),
    ("Military Forces of Russia (2000-)", "ru-gov", "ACLED actor name"),
    ("Civilians (Ukraine)", None, "ACLED actor name"),
    ("Protesters (Ukraine)", None, "ACLED actor name"),
    ("Unidentified Armed Group (Syria)", None, "ACLED actor name"),
]

_RESPELLINGS = [
    (r"\bal-", "el-"),
    (r"\bAl-", "El-"),
    (r"\bal-S", "ash-S"),
    (r"\bal-D", "ad-D"),
    (r"ah\b", "a"),
    (r"ou", "u"),
    (r"q", "k"),
    (r"Q", "K"),
    (r"\bJ", "Dj"),
    (r"ee", "i"),
    (r"-", " "),
    (r"iya\b", "iyah"),
    (r"y", "i"),
]
_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"
_CYRILLIC = [
    ("sh", "ш"),
    ("kh", "х"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("j", "дж"),
    ("ya", "я"),
    ("yu", "ю"),
    ("ts", "ц"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "й"),
    ("z", "з"),
]


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    expected: str | None
    category: str
    source: str
    alias: str | None = None  # the alias of the list it was made from


def register() -> tuple[NameIndex, list[ListedName]]:
    """The UN list with the demo scenarios' actors merged in, keyed by reference or id."""
    listed = read_un_list(UN_LIST)
    names: dict[str, tuple[str, list[str]]] = {
        entry.reference: (entry.name, list(entry.aliases)) for entry in listed
    }
    for scenario in sorted(SCENARIOS.glob("*.yaml")):
        for actor in yaml.safe_load(scenario.read_text(encoding="utf-8"))["actors"]:
            key = MERGED.get(actor["id"], actor["id"])
            held = names.setdefault(key, (actor["name"], []))
            held[1].extend([actor["name"], *actor.get("aliases", [])])
            for reference in actor.get("references", []):
                held[1].append(reference["name"])
    index = NameIndex()
    for key, (name, aliases) in names.items():
        index.add(key, name, aliases)
    return index, listed


def _words(alias: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", alias)


def _respelled(alias: str, rng: random.Random) -> str | None:
    options = [(p, r) for p, r in _RESPELLINGS if re.search(p, alias)]
    if not options:
        return None
    for pattern, replacement in rng.sample(options, min(2, len(options))):
        alias = re.sub(pattern, replacement, alias)
    return alias


def _typo(alias: str, rng: random.Random) -> str | None:
    long = list(re.finditer(r"[A-Za-z]{6,}", alias))
    if not long:
        return None
    word = rng.choice(long)
    text = word.group()
    at = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "double", "swap", "key"))
    if kind == "drop":
        text = text[:at] + text[at + 1 :]
    elif kind == "double":
        text = text[:at] + text[at] + text[at:]
    elif kind == "swap":
        text = text[: at - 1] + text[at] + text[at - 1] + text[at + 1 :]
    else:
        row = _KEYBOARD.find(text[at].lower())
        near = _KEYBOARD[row + 1] if 0 <= row < len(_KEYBOARD) - 1 else "e"
        text = text[:at] + (near if near != " " else "a") + text[at + 1 :]
    return alias[: word.start()] + text + alias[word.end() :]


def _cyrillic(alias: str) -> str:
    text = re.sub(r"\bal-", "аль-", alias.lower())
    for latin, cyrillic in _CYRILLIC:
        text = text.replace(latin, cyrillic)
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def cases(listed: list[ListedName], seed: int = 2016) -> Iterator[Case]:
    rng = random.Random(seed)
    for name, expected, source in HAND:
        yield Case(name, expected, "hand", source)
    for entry in listed:
        if not entry.reference.startswith("QDe."):
            continue
        for alias in (entry.name, *entry.aliases):
            if is_arabic(alias):
                yield Case(alias, entry.reference, "original script", "UN list", alias)
                continue
            if len(_words(alias)) < 2:
                continue
            source = f"{entry.reference}: {alias}"
            if respelled := _respelled(alias, rng):
                yield Case(respelled, entry.reference, "transliterated", source, alias)
            if typo := _typo(alias, rng):
                yield Case(typo, entry.reference, "typo", source, alias)
            yield Case(_cyrillic(alias), entry.reference, "cyrillic", source, alias)


@dataclass(slots=True)
class Tally:
    cases: int = 0
    positives: int = 0
    found: int = 0  # positives resolved to their actor
    matched: int = 0  # any resolution to an actor
    false_merges: int = 0  # resolved to another actor, or to one when none was meant

    @property
    def recall(self) -> float:
        return self.found / self.positives if self.positives else 1.0

    @property
    def precision(self) -> float:
        return (self.matched - self.false_merges) / self.matched if self.matched else 1.0


def _decided(resolution: Resolution, threshold: float) -> str | None:
    """The actor the resolver would answer with at another threshold."""
    ranked = resolution.candidates
    if not ranked or ranked[0].score < threshold:
        return None
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    return ranked[0].actor_id if ranked[0].score - runner_up >= MARGIN else None


def evaluate(
    index: NameIndex, listed: list[ListedName], threshold: float = THRESHOLD
) -> tuple[dict[str, Tally], list[str]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    problems = []
    for case in cases(listed):
        resolution = index.resolve(case.name)
        got = _decided(resolution, threshold)
        category = case.category
        if case.alias is not None:
            as_listed = _decided(index.resolve(case.alias), threshold)
            if as_listed != case.expected:
                # the list gives this name, or one as alike, to another entity as well:
                # no answer is right, another entity's is a false merge
                category = "shared"
                if got is None:
                    tallies[category].cases += 1
                    tallies["all"].cases += 1
                    continue
        for tally in (tallies[category], tallies["all"]):
            tally.cases += 1
            tally.positives += case.expected is not None
            tally.found += got is not None and got == case.expected
            tally.matched += got is not None
            tally.false_merges += got is not None and got != case.expected
        if got != case.expected:
            best = resolution.candidates[0] if resolution.candidates else None
            shown = f"{best.actor_id} {best.score:.3f} via {best.alias!r}" if best else "none"
            kind = "FALSE MERGE" if got is not None else "missed"
            problems.append(f"{kind}: {case.name!r} ({case.category}, {case.source}) -> {shown}")
    return tallies, problems


def main() -> None:
    started = time.perf_counter()
    index, listed = register()
    built = time.perf_counter() - started
    started = time.perf_counter()
    tallies, problems = evaluate(index, listed)
    took = time.perf_counter() - started
    print(f"register: {len(index)} actors, built in {built:.2f} s")
    print(f"{tallies['all'].cases} names resolved in {took:.2f} s\n")
    print("| variants | names | to an actor | recall | precision | false merges |")
    print("|---|---:|---:|---:|---:|---:|")
    order = ["hand", "transliterated", "typo", "cyrillic", "original script", "shared", "all"]
    for category in order:
        t = tallies[category]
        print(
            f"| {category} | {t.cases} | {t.positives} | {100 * t.recall:.1f} % "
            f"| {100 * t.precision:.1f} % | {t.false_merges} |"
        )
    if "--sweep" in sys.argv:
        print("\n| threshold | recall | false merges |\n|---:|---:|---:|")
        for threshold in (0.70, 0.75, 0.80, 0.83, THRESHOLD, 0.90, 0.95):
            swept = evaluate(index, listed, threshold)[0]["all"]
            print(f"| {threshold:.2f} | {100 * swept.recall:.1f} % | {swept.false_merges} |")
    if "-v" in sys.argv:
        print("\n" + "\n".join(problems))


if __name__ == "__main__":
    main()

"""Which actor a name in a report refers to: a ranked answer with scores, and no answer
rather than a wrong one.

Two names are compared token by token (``ceasefire.domain.names``): each token of one is
paired with the most similar unpaired token of the other (similarity of their sound keys,
or of their skeletons where either name was written in Arabic script), and the score is
the share of both names' weight that the pairs carry, each pair counted at its similarity.
A token left unpaired counts against the match by its weight: fully for a word of the name
("Jaish" against "Jund"), a quarter for a word of kind ("Jabhat", "Front"), nothing for a
little word ("the", "of"). So "Al Nusra" scores 0.89 against "Jabhat al-Nusra", while
"Jabhat al-Shamiya" scores 0.64 against "Jabhat Fath al-Sham".

A name resolves to the best actor when its score is at least ``THRESHOLD`` and no other
actor comes within ``MARGIN`` of it; otherwise the answer is "no match" with the
candidates, for an analyst to decide. Acronyms and single short words ("HTS", "SAA")
match only exactly. The thresholds are calibrated on the evaluation in
``benchmarks/names.py`` (docs/actors.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ceasefire.domain.names import NameKey, Token, name_key

THRESHOLD = 0.86
MARGIN = 0.04
_CLOSE = 0.8
_SHORTLIST = 40
_PAIR_FLOOR = 0.3  # two words less alike than this (squared) are not a pair
_DERIVED = 0.97  # a form made from the name (ACLED's dates dropped) weighs a little less
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_PREFIX = re.compile(r"^[A-Z][A-Za-z]{1,7}:\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    actor_id: str
    name: str  # the actor's own name
    alias: str  # the name of the actor that matched best
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    name: str
    match: Candidate | None
    candidates: tuple[Candidate, ...]
    mapped: bool = False  # an analyst said which actor this name is (or that it is none)


def _token_similarity(a: Token, b: Token, skeletons: bool) -> float:
    """How alike two words are: the share of their letters that need no edit (a letter
    dropped, added, changed, or two swapped), squared when it is under ``_CLOSE``: a typing
    error in a long word still pairs, but words that share half their letters ("Faylaq"
    and "Fazil") count for little."""
    if skeletons:
        value = OSA.normalized_similarity(a.skeleton, b.skeleton)
    else:
        value = OSA.normalized_similarity(a.folded, b.folded)
    return value if value >= _CLOSE else value * value


def similarity(a: NameKey, b: NameKey) -> float:
    """How alike two names are, from 0 to 1 (1: the same name as far as spelling goes)."""
    if a.is_short or b.is_short:
        # letters as written, unless one is written in another script ("Wafa" is "Вафа");
        # but "DHDS" is not "داعش", nor "Dass" "Daesh", whatever their sounds
        if a.acronym or b.acronym or (a.latin and b.latin):
            return 1.0 if a.letters == b.letters else 0.0
        return 1.0 if a.exact == b.exact else 0.0
    skeletons = a.arabic or b.arabic
    total = a.skeleton_weight + b.skeleton_weight if skeletons else a.weight + b.weight
    if total == 0:
        return 0.0
    pairs = sorted(
        (
            (_token_similarity(x, y, skeletons), i, j)
            for i, x in enumerate(a.tokens)
            for j, y in enumerate(b.tokens)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    carried = 0.0
    for value, i, j in pairs:
        if value < _PAIR_FLOOR:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        x, y = a.tokens[i], b.tokens[j]
        weights = x.skeleton_weight + y.skeleton_weight if skeletons else x.weight + y.weight
        carried += value * weights
    return carried / total


def variants(name: str) -> Iterator[str]:
    """The name, and the forms event datasets wrap it in: ACLED's dates and sub-units
    ("Military Forces of Russia (2000-) Air Force" is "Military Forces of Russia") and
    prefixes ("NAF: United Armed Forces of Novorossiya")."""
    seen = {name}
    yield name
    forms = [_PARENTHESES.sub("", name).strip()]
    if "(" in name:
        forms.append(name.split("(", 1)[0].strip())
    forms += [_PREFIX.sub("", form) for form in [*list(forms), name]]
    for form in forms:
        if form and form not in seen:
            seen.add(form)
            yield form


@dataclass(slots=True)
class _Entry:
    actor_id: str
    alias: str
    key: NameKey


@dataclass(slots=True)
class NameIndex:
    """Actors' names and aliases, looked up by any spelling."""

    _entries: list[_Entry] = field(default_factory=list)
    _exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _blocks: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _names: dict[str, str] = field(default_factory=dict)

    def add(self, actor_id: str, name: str, aliases: Iterable[str] = ()) -> None:
        self._names[actor_id] = name
        for alias in (name, *aliases):
            key = name_key(alias)
            if not key.exact:
                continue
            number = len(self._entries)
            self._entries.append(_Entry(actor_id, alias, key))
            self._exact[key.exact].add(number)
            for block in _blocks(key):
                self._blocks[block].add(number)

    def resolve(self, name: str, *, limit: int = 5) -> Resolution:
        best: dict[str, Candidate] = {}
        for number, form in enumerate(variants(name)):
            for candidate in self._scored(name_key(form), 1.0 if number == 0 else _DERIVED):
                held = best.get(candidate.actor_id)
                if held is None or candidate.score > held.score:
                    best[candidate.actor_id] = candidate
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.actor_id))[:limit]
        match = None
        if ranked and ranked[0].score >= THRESHOLD:
            runner_up = ranked[1].score if len(ranked) > 1 else 0.0
            if ranked[0].score - runner_up >= MARGIN:
                match = ranked[0]
        return Resolution(name, match, tuple(ranked))

    def _scored(self, key: NameKey, weight: float) -> Iterator[Candidate]:
        if not key.exact:
            return
        exact = self._exact.get(key.exact, set())
        numbers = set(exact)
        if not key.is_short:
            for block in _blocks(key):
                numbers |= self._blocks.get(block, set())
        for number in self._nearest(key, numbers):
            entry = self._entries[number]
            short = key.is_short or entry.key.is_short
            alike = 1.0 if number in exact and not short else similarity(key, entry.key)
            score = weight * alike
            if score > 0:
                yield Candidate(
                    entry.actor_id, self._names[entry.actor_id], entry.alias, round(score, 3)
                )

    def _nearest(self, key: NameKey, numbers: set[int]) -> list[int]:
        """The entries most like the key by a quick measure (shared words, in C), so that
        the careful one runs on a few dozen rather than every entry a first sound finds."""
        if len(numbers) <= _SHORTLIST:
            return list(numbers)
        ordered = sorted(numbers)
        if key.arabic:
            query = _skeleton_text(key)
            choices = [_skeleton_text(self._entries[n].key) for n in ordered]
        else:
            query = key.exact
            choices = [self._entries[n].key.exact for n in ordered]
        found = process.extract(query, choices, scorer=fuzz.token_set_ratio, limit=_SHORTLIST)
        return [ordered[index] for _, _, index in found]

    def __len__(self) -> int:
        return len(self._names)


def _skeleton_text(key: NameKey) -> str:
    return " ".join(t.skeleton for t in key.tokens if t.weight > 0)


def _blocks(key: NameKey) -> set[str]:
    """Where to look for names like this one: the first sounds of its words."""
    found = set()
    for token in key.tokens:
        if token.weight > 0:
            found.add("s:" + token.skeleton[:2])
            found.add("f:" + token.folded[:2])
    return found

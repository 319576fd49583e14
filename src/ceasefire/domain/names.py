"""Names as reports write them, reduced to what two spellings of one name share.

A name passes through three steps, each a pure function:

1. **Script**: every script is written in Latin letters by ``anyascii`` (Cyrillic
   "Джебхат ан-Нусра" becomes "Dzhebkhat an-Nusra", Arabic "جبهة النصرة" becomes
   "jbh lnsr"), after the Arabic article "ال" and the feminine ending "ة" are dropped
   (transliterations write the ending as "-a", "-ah" or "-at" as they please).
2. **Tokens**: casefolded, accents, apostrophes, hamza and ayn signs dropped, split on
   anything not a letter or digit; the Arabic article in all its assimilated forms ("al-",
   "an-", "ad-", "ash-", "el-", "ul-", Cyrillic "аль-", "эн-") is dropped, as are English
   and Arabic little words ("the", "of", "wa").
3. **Folding**: each token is folded to a sound key that transliteration systems agree on
   ("dzh", "dj", "zh" -> "j"; "kh" -> "h"; "sh", "ch" -> "s"; "q" -> "k"; "e" -> "a", "o" ->
   "u", "y" -> "i"; doubled letters once; a final "h" after a vowel dropped), and to a
   **skeleton**, the folded key without vowels, which is all that Arabic script writes.

How two names' tokens are compared and scored is ``ceasefire.domain.resolution``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# the Arabic article written as its transliterations assimilate it before a sun letter,
# and as Cyrillic transliterations write it ("аль-", "эль-", "эш-")
ARTICLES = _words("al el il ul an en ad ed ar er as es ash esh at et az ez adh ath l")
# words that carry no name: a name never differs from another by these alone
LITTLE_WORDS = _words(
    "the of for and in on wa wal fi li la le de des du"
    " so called socalled tak nazyvaemoe nazyvaemaia nazyvaemyi"
)
# words that say what kind of body a name is ("Front", "Jabhat", "Movement"): they weigh
# less, so "Al-Nusra" finds "Jabhat al-Nusra", but two names never match on them alone
KIND_WORDS = _words(
    "front fronts jabhat jabha jabhah jebhat jabhet jebhe dzhabhat dzhebhat movement"
    " harakat haraka harakah haraket movements organisation organization"
    " organizations tanzim hayat hayet haiat haia network group groups brigade brigades"
    " battalion battalions liwa katiba kataib katibat company"
)

_ARABIC_ARTICLE = re.compile(r"(?<![\u0621-\u064A])ال(?=[\u0621-\u064A])")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_ACRONYM = re.compile(r"[A-ZА-ЯЁІЇЄ]{2,6}")
_MARKS = re.compile(r"['’‘`ʼʻʿʾ´]")
_DIGRAPHS = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_LETTERS = str.maketrans({"q": "k", "c": "k", "e": "a", "o": "u", "y": "i", "w": "u", "v": "u"})
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aiu]")


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def _latin(text: str) -> str:
    """The text in Latin letters, lowercase, without accents or apostrophes."""
    if is_arabic(text):
        text = _ARABIC_ARTICLE.sub("", text)
        text = text.replace("ة", "")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _MARKS.sub("", anyascii(_MARKS.sub("", bare))).casefold()


def fold(token: str) -> str:
    """A token's sound key: what transliterations of one word agree on."""
    for digraph, letter in _DIGRAPHS:
        token = token.replace(digraph, letter)
    token = _DOUBLED.sub(r"\1", token.translate(_LETTERS))
    if len(token) > 3 and token.endswith("h") and token[-2] in "aiu":
        token = token[:-1]
    return token


def skeleton(folded: str) -> str:
    """A folded token without its vowels: what Arabic script writes of it."""
    bare = _VOWELS.sub("", folded)
    return bare or folded


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lowercase Latin, as written
    folded: str
    skeleton: str
    weight: float  # 0 for little words, less for words of kind
    skeleton_weight: float  # the same, measured on the skeleton (comparing with Arabic)


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name reduced for matching: its tokens, and whether it was written in Arabic
    script (whose vowels are not written, so only skeletons compare)."""

    tokens: tuple[Token, ...]
    arabic: bool
    acronym: bool = False  # written in capitals, one word of six letters or fewer ("HTS")
    latin: bool = True  # written in Latin letters

    @property
    def exact(self) -> str:
        """Two names with the same exact key are taken as the same name."""
        return " ".join(t.folded for t in self.tokens if t.weight > 0)

    @property
    def weight(self) -> float:
        return sum(t.weight for t in self.tokens)

    @property
    def skeleton_weight(self) -> float:
        return sum(t.skeleton_weight for t in self.tokens)

    @property
    def is_short(self) -> bool:
        """An acronym or a single word of four letters or fewer: it matches only exactly
        ("HTS", "SAA"; "Wafa" and "Вафа" as one)."""
        named = [t for t in self.tokens if t.weight > 0]
        return self.acronym or (len(named) == 1 and len(named[0].text) <= 4)

    @property
    def letters(self) -> str:
        """The name's letters as written, for comparing short names exactly."""
        return " ".join(t.text for t in self.tokens if t.weight > 0)


def _share(word: str, folded: str, bare: str) -> float:
    """What share of its length a word weighs: none, a quarter for a word of kind, all."""
    if word in LITTLE_WORDS:
        return 0.0
    if word in KIND_WORDS or folded in _KIND_FOLDED or bare in _KIND_SKELETONS:
        return 0.25
    return 1.0


_KIND_FOLDED = frozenset(fold(w) for w in KIND_WORDS)
# skeletons of three letters or more only: shorter ones are shared by too many words
_KIND_SKELETONS = frozenset(s for s in map(skeleton, _KIND_FOLDED) if len(s) >= 3)


def name_key(name: str) -> NameKey:
    words = [w for w in _NOT_WORD.split(_latin(name)) if w]
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES] or words
    tokens = []
    for word in words:
        folded = fold(word)
        bare = skeleton(folded)
        share = _share(word, folded, bare)
        tokens.append(Token(word, folded, bare, share * len(folded), share * (len(bare) + 1)))
    return NameKey(
        tuple(tokens),
        is_arabic(name),
        acronym=_ACRONYM.fullmatch(name.strip()) is not None,
        latin=name.isascii() or _latin(name) == _plain(name),
    )


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _MARKS.sub("", bare).casefold()

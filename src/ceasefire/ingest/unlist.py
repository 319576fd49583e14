"""The UN Security Council Consolidated List, as the UN publishes it in XML
(https://scsanctions.un.org/resources/xml/en/consolidated.xml, schema sc-sanctions.xsd):
every entity and individual with its reference number, names, aliases in every script and
listing date.

The list packs several names into one alias: a name in its original script followed by
its transliterations in brackets, separated by semicolons, with notes such as "(original
script)" or "- sub-unit name":

    جبهة النصرة (the Victory Front; Jabhat al-Nusrah; Jabhet al-Nusra; Al-Nusra Front)

Each such name becomes an alias of its own, and so does an acronym in brackets after a
name ("ABDALLAH AZZAM BRIGADES (AAB)"). Individuals' aliases of quality "Low" (nicknames
such as "Abu Muhammad", which the list itself marks as weak identifiers) are left out;
"Good", "a.k.a." and "f.k.a." aliases are kept. The XML is read with ``defusedxml``, which
refuses entity expansion and external references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ceasefire.domain.errors import InvalidInputError

MAX_BYTES = 64 * 1024 * 1024  # the 2018 list is 1.6 MB; today's is about 2.5 MB

_NOTES = re.compile(
    r"\(\s*original script\s*\)|\boriginal script\s*:|-\s*sub-unit name"
    r"|\((?:combat name|Tigrinya)\)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[();]")
_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[A-Z][A-Za-z]{1,7})\)$")
_WEAK = "low"


@dataclass(frozen=True, slots=True)
class ListedName:
    reference: str  # "QDe.137"
    kind: str  # "entity" or "individual"
    name: str
    aliases: tuple[str, ...]
    listed_on: date | None
    list_type: str  # "Al-Qaida", "DPRK", ...
    comments: str


def split_names(text: str) -> list[str]:
    """The names one alias field of the list holds."""
    text = _NOTES.sub(" ", _SPACE.sub(" ", text))
    names = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip(" ,.-")
        if piece and any(c.isalpha() for c in piece):
            names.append(piece)
    return names


def _text(element: Element, tag: str) -> str:
    return _SPACE.sub(" ", element.findtext(tag) or "").strip()


def _names_of(element: Element, kind: str) -> tuple[str, tuple[str, ...]]:
    if kind == "entity":
        name = _text(element, "FIRST_NAME")
    else:
        parts = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        name = " ".join(p for p in (_text(element, tag) for tag in parts) if p)
    aliases: list[str] = []
    acronym = _ACRONYM.match(name)
    if acronym:
        name = acronym["name"]
        aliases.append(acronym["acronym"])
    aliases += split_names(_text(element, "NAME_ORIGINAL_SCRIPT"))
    alias_tag = "ENTITY_ALIAS" if kind == "entity" else "INDIVIDUAL_ALIAS"
    for alias in element.iter(alias_tag):
        if _text(alias, "QUALITY").casefold() == _WEAK:
            continue
        for found in split_names(alias.findtext("ALIAS_NAME") or ""):
            more = _ACRONYM.match(found)
            aliases += [more["name"], more["acronym"]] if more else [found]
    unique = dict.fromkeys(a for a in aliases if a.casefold() != name.casefold())
    return name, tuple(unique)


def _listed_on(element: Element, reference: str) -> date | None:
    value = _text(element, "LISTED_ON")
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInputError(
            "LISTED_ON", f"{reference}: {value!r} is not a date (YYYY-MM-DD)"
        ) from None


def _entries(root: Element) -> Iterator[ListedName]:
    for kind, tag in (("entity", "ENTITY"), ("individual", "INDIVIDUAL")):
        for number, element in enumerate(root.iter(tag), start=1):
            reference = _text(element, "REFERENCE_NUMBER")
            if not reference:
                raise InvalidInputError("REFERENCE_NUMBER", f"{tag} number {number} has none")
            name, aliases = _names_of(element, kind)
            if not name:
                raise InvalidInputError("FIRST_NAME", f"{reference}: the name is empty")
            yield ListedName(
                reference=reference,
                kind=kind,
                name=name,
                aliases=aliases,
                listed_on=_listed_on(element, reference),
                list_type=_text(element, "UN_LIST_TYPE"),
                comments=_text(element, "COMMENTS1"),
            )


def read_un_list(path: Path) -> list[ListedName]:
    """Every entity, then every individual, of a consolidated list file."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InvalidInputError("file", f"{path}: {size} bytes, more than {MAX_BYTES} allowed")
    try:
        root: Element | None = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise InvalidInputError("file", f"{path}: not a readable XML list: {error}") from None
    if root is None or root.tag != "CONSOLIDATED_LIST":
        tag = "nothing" if root is None else f"<{root.tag}>"
        raise InvalidInputError(
            "file", f"{path}: the root element is {tag}, not <CONSOLIDATED_LIST>"
        )
    found = list(_entries(root))
    references = [f.reference for f in found]
    if len(set(references)) != len(references):
        twice = sorted({r for r in references if references.count(r) > 1})
        raise InvalidInputError("REFERENCE_NUMBER", f"listed twice: {', '.join(twice[:5])}")
    return found

"""Which character encoding a text file is in, decided from its bytes as users export them.

The rules, in order:

1. a byte-order mark decides: UTF-8 (``utf-8-sig``), UTF-32 or UTF-16;
2. a file that is valid UTF-8 throughout is UTF-8;
3. otherwise the file is scanned in chunks (so a large file never sits in memory) counting
   well-formed multi-byte UTF-8 characters and invalid byte sequences. More characters
   than invalid sequences means UTF-8 with some broken rows: it is decoded with
   ``surrogateescape`` and each row holding an undecodable byte becomes a row error.
4. Otherwise — or when a tenth of the first bytes are NUL, as in UTF-16 without a byte-order
   mark — the encoding is detected by ``charset-normalizer`` from the first 256 KB, among the
   encodings the project's users export in: cp1252 (Latin-1), cp1251, cp1256, KOI8-R and
   UTF-16. The detector must be sure: its best guess must read cleanly and no other
   candidate may read nearly as well unless it reads the same text. Where it is not sure,
   the import stops, naming the candidates, and asks for ``--encoding``. cp1252 reads the
   five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as latin-1 (U+0081 ...).

Undecodable bytes live in the text as lone surrogates (U+DC80..U+DCFF);
:func:`show_undecodable` writes them as ``\\xNN`` for people and quarantine files.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from ceasefire.domain.errors import InvalidInputError

CHUNK_SIZE = 1 << 20

# The error handler that reads the bytes cp1252 leaves undefined as latin-1.
LATIN1_FALLBACK = "ceasefire.latin1-fallback"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_REPLACEMENT = "\ufffd"
_LEAD_BYTES = bytes(range(0xC0, 0x100))
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _read_as_latin1(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(LATIN1_FALLBACK, _read_as_latin1)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    """How to decode a file: the codec, its error handler, and why it was chosen.

    ``verified`` says the whole file was found to decode without error, so its text holds
    no undecodable bytes and its rows need no check for them.
    """

    codec: str
    errors: str
    reason: str
    verified: bool = False

    @property
    def may_leave_undecodable(self) -> bool:
        """Whether decoded text may hold undecodable bytes, to be checked row by row."""
        return self.errors == "surrogateescape" and not self.verified

    @property
    def label(self) -> str:
        """The encoding as people name it, for messages: 'UTF-8', 'cp1252'."""
        return "UTF-8" if self.codec.startswith("utf-8") else self.codec


@dataclass(slots=True)
class _Utf8Tally:
    """Counts over a byte stream: well-formed multi-byte characters and invalid sequences."""

    characters: int = 0
    invalid: int = 0

    def add(self, chunk: bytes) -> None:
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            # One U+FFFD per invalid sequence; less those the file itself holds.
            text = chunk.decode("utf-8", errors="replace")
            invalid = text.count(_REPLACEMENT) - chunk.count(_REPLACEMENT.encode())
            non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
            self.characters += non_ascii - invalid
            self.invalid += invalid
        else:
            self.characters += len(chunk) - len(chunk.translate(None, _LEAD_BYTES))


def given_encoding(name: str) -> TextEncoding:
    """The encoding a user named, checked to exist; bytes it cannot decode become row errors."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InvalidInputError("encoding", f"{name!r} is not a known encoding") from None
    return TextEncoding(codec, "surrogateescape", f"{name} as given")


def detect_encoding(stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> TextEncoding:
    """Decide the encoding of ``stream`` from its bytes, reading it in chunks from the start.

    The stream is left at its start.
    """
    start = stream.read(4)
    for bom, codec in _BOMS:
        if start.startswith(bom):
            stream.seek(0)
            return TextEncoding(codec, "surrogateescape", "byte-order mark")
    tally = _Utf8Tally()
    pending = start
    while chunk := stream.read(chunk_size):
        whole, pending = _split_incomplete(pending + chunk)
        tally.add(whole)
    tally.add(pending)
    stream.seek(0)
    sample = stream.read(SAMPLE_SIZE)
    stream.seek(0)
    wide = sample.count(0) * 10 >= len(sample) > 0  # UTF-16 or UTF-32 without a mark
    if tally.invalid == 0 and not wide:
        return TextEncoding("utf-8", "surrogateescape", "valid UTF-8", verified=True)
    if tally.characters > tally.invalid and not wide:
        reason = f"UTF-8 but for {tally.invalid} invalid byte sequences ({tally.characters} valid)"
        return TextEncoding("utf-8", "surrogateescape", reason)
    return _detected(sample)


SAMPLE_SIZE = 256 * 1024
# the encodings the detector chooses among: what the project's users export in
CANDIDATES = ("cp1252", "cp1251", "cp1256", "koi8_r", "utf_16_le", "utf_16_be")
_CLOSE_CHAOS = 0.03  # another candidate this close to the best reads nearly as well
_CLEAN_CHAOS = 0.2  # the best guess must read at least this cleanly
_CLOSE_COHERENCE = 0.8  # another candidate whose language fits this nearly as well


def _detected(sample: bytes) -> TextEncoding:
    """The encoding charset-normalizer finds for a file that is not UTF-8, when it is sure."""
    found = list(from_bytes(sample, cp_isolation=list(CANDIDATES), explain=False))
    if not found or found[0].chaos > _CLEAN_CHAOS:
        raise InvalidInputError(
            "encoding",
            "the file is not UTF-8 and reads cleanly in none of "
            f"{', '.join(CANDIDATES)}: give its encoding with --encoding",
        )
    close = [m for m in found if m.chaos - found[0].chaos < _CLOSE_CHAOS]
    mixed = {m.encoding: _oddities(str(m)) for m in close}
    # a reading that mixes alphabets within words ("Mariпnka", "Cafй") or draws boxes
    # ("Ukraine▓s") is the wrong one: the detector cannot tell so from a few such bytes
    close.sort(key=lambda m: (mixed[m.encoding], -m.coherence, m.chaos))
    best = close[0]
    text = str(best)
    rivals = [
        other
        for other in close[1:]
        if mixed[other.encoding] == mixed[best.encoding]
        and other.coherence >= best.coherence * _CLOSE_COHERENCE
        and str(other) != text
    ]
    if rivals:
        names = ", ".join(m.encoding for m in [best, *rivals])
        raise InvalidInputError(
            "encoding",
            f"the file is not UTF-8, and may be any of {names}: give its encoding with --encoding",
        )
    codec = codecs.lookup(best.encoding).name
    if "cp1252" in best.could_be_from_charset:  # the same text: the commoner encoding
        codec = "cp1252"
    if codec == "cp1252":
        return TextEncoding("cp1252", LATIN1_FALLBACK, "not UTF-8: detected cp1252")
    return TextEncoding(codec, "surrogateescape", f"not UTF-8: detected {codec}")


_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_WORD = re.compile(r"\w+")
_ODD = re.compile("[\u2500-\u259f\ue000-\uf8ff\ufffd]")


def _oddities(text: str) -> int:
    """How many words mix letters of two alphabets (Latin, Cyrillic, Arabic), and how many
    characters are symbols no export writes (box drawing, private use, unassigned)."""
    count = len(_ODD.findall(text))
    for word in _WORD.findall(text):
        scripts = sum(bool(p.search(word)) for p in (_LATIN, _CYRILLIC, _ARABIC))
        count += scripts > 1
    return count


def _split_incomplete(data: bytes) -> tuple[bytes, bytes]:
    """Split off a multi-byte sequence cut by the chunk's end, to join the next chunk."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if needed > back:
                return data[:-back], data[-back:]
            break
    return data, b""


def first_undecodable_byte(text: str) -> int | None:
    """The first byte ``surrogateescape`` kept in ``text``, or None."""
    found = _UNDECODABLE.search(text)
    return None if found is None else ord(found.group()) - 0xDC00


def find_undecodable(values: Sequence[str]) -> tuple[int, int] | None:
    """The position of the first of ``values`` holding an undecodable byte, and that byte.

    One test covers the whole row: ASCII text holds none, and text that encodes as UTF-8
    holds no lone surrogate; only then are the values searched one by one.
    """
    joined = "".join(values)
    if joined.isascii():
        return None
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        for position, value in enumerate(values):
            byte = first_undecodable_byte(value)
            if byte is not None:
                return position, byte
    return None


def show_undecodable(text: str) -> str:
    """``text`` with each undecodable byte written as ``\\xNN``, so it can be saved as UTF-8."""
    return _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)

"""C2SP signed notes (c2sp.org/signed-note): a text and the signatures of named keys.

A signed note is the text (ending in a newline), a blank line, and one or more signature
lines ``— <key name> base64(key ID || signature)``. A key is known by its name and its
4-byte key ID, ``SHA-256(name || 0x0A || signature type || public key)[:4]``. Ed25519
(signature type ``0x01``) signs the text itself; other types (the timestamped
cosignatures of ``checkpoints``, type ``0x04``) sign something derived from it.

``open_note`` follows the spec: signatures by unknown keys are ignored but kept, every
signature by a known key must verify (a bad one rejects the whole note, naming the key),
and at least one known key must have signed. Keys travel as strings, as Go's
``golang.org/x/mod/sumdb/note`` writes them: ``<name>+<hex key ID>+<base64(type || public
key)>`` for a verifier and ``PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`` for a
signer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ceasefire.domain.errors import CeasefireError

SIGNATURE_TYPE_ED25519 = 0x01
"""The signature type byte of plain Ed25519 note signatures."""

KEY_ID_SIZE = 4
MAX_SIGNATURES = 100
"""Signature lines accepted in one note (the spec asks for at least 16; Go reads 100)."""

MAX_NOTE_SIZE = 1 << 20
"""Bytes accepted in one signed note, signatures included."""

ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64

_DASH = "\N{EM DASH} "
_PRIVATE_PREFIX = "PRIVATE+KEY+"


class NoteError(CeasefireError):
    """A signed note, a key or a signature that is malformed or does not verify."""


def check_key_name(name: str) -> None:
    """A key name is non-empty, with no Unicode space, no ``+`` and no control character."""
    if not name:
        raise NoteError("key name is empty; a key needs a name")
    for char in name:
        if char.isspace() or char == "+" or ord(char) < 0x20:
            raise NoteError(f"key name {name!r}: {char!r} is not allowed in a key name")


def compute_key_id(name: str, signature_type: int, public_key: bytes) -> bytes:
    """``SHA-256(name || 0x0A || signature type || public key)[:4]``, the spec's key ID."""
    material = name.encode() + b"\n" + bytes([signature_type]) + public_key
    return hashlib.sha256(material).digest()[:KEY_ID_SIZE]


def key_label(name: str, key_id: bytes) -> str:
    """``name+hexkeyid``: how error messages name a key (as Go's note package does)."""
    return f"{name}+{key_id.hex()}"


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the key's name and ID, and the signature bytes that follow."""

    name: str
    key_id: bytes
    signature: bytes

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.key_id) != KEY_ID_SIZE:
            raise NoteError(f"key {self.name}: key ID is {len(self.key_id)} bytes, not 4")
        if not self.signature:
            raise NoteError(f"key {self.label}: the signature is empty")

    @property
    def label(self) -> str:
        return key_label(self.name, self.key_id)

    def line(self) -> str:
        """``— <name> base64(key ID || signature)`` and a newline."""
        encoded = base64.b64encode(self.key_id + self.signature).decode()
        return f"{_DASH}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures, verified or not."""

    text: str
    signatures: list[NoteSignature] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.text.endswith("\n"):
            raise NoteError("note text does not end in a newline")
        _check_characters("note text", self.text)

    @classmethod
    def parse(cls, message: str | bytes) -> Note:
        """Split a signed note into text and signatures, checking its form but no signature."""
        raw = message if isinstance(message, bytes) else _encode("signed note", message)
        if len(raw) > MAX_NOTE_SIZE:
            raise NoteError(f"signed note is {len(raw)} bytes; at most {MAX_NOTE_SIZE} are read")
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise NoteError(f"signed note is not valid UTF-8 at byte {error.start}") from None
        _check_characters("signed note", decoded)
        split = decoded.rfind("\n\n")
        if split < 0:
            raise NoteError("signed note has no blank line before its signatures")
        text, block = decoded[: split + 1], decoded[split + 2 :]
        if not block:
            raise NoteError("signed note has no signature lines after its blank line")
        if not block.endswith("\n"):
            raise NoteError("signed note does not end in a newline after its last signature")
        lines = block[:-1].split("\n")
        if len(lines) > MAX_SIGNATURES:
            raise NoteError(f"signed note has {len(lines)} signatures; at most {MAX_SIGNATURES}")
        signatures = [_parse_signature_line(number, line) for number, line in enumerate(lines, 1)]
        return cls(text, signatures)

    def format(self) -> str:
        """The signed note: text, blank line, one line per signature."""
        if not self.signatures:
            raise NoteError("a signed note needs at least one signature")
        if len(self.signatures) > MAX_SIGNATURES:
            raise NoteError(f"{len(self.signatures)} signatures; a note holds {MAX_SIGNATURES}")
        message = self.text + "\n" + "".join(s.line() for s in self.signatures)
        if len(message.encode()) > MAX_NOTE_SIZE:
            raise NoteError(f"signed note would exceed {MAX_NOTE_SIZE} bytes")
        return message

    def with_signatures(self, signatures: Iterable[NoteSignature]) -> Note:
        """This note with ``signatures`` added, each replacing any by the same key."""
        added = list(signatures)
        replaced = {(s.name, s.key_id) for s in added}
        kept = [s for s in self.signatures if (s.name, s.key_id) not in replaced]
        return Note(self.text, kept + added)


class NoteSigner(Protocol):
    """Signs note texts with one key (Ed25519: ``Signer``)."""

    @property
    def name(self) -> str: ...
    @property
    def key_id(self) -> bytes: ...
    def sign(self, text: bytes) -> bytes: ...


class NoteVerifier(Protocol):
    """Checks the signatures of one key (``Verifier``, ``CosignatureVerifier``)."""

    @property
    def name(self) -> str: ...
    @property
    def key_id(self) -> bytes: ...
    def verify(self, text: bytes, signature: bytes) -> bool: ...


class Verifier:
    """The public half of an Ed25519 note key (signature type ``0x01``)."""

    signature_type: ClassVar[int] = SIGNATURE_TYPE_ED25519

    def __init__(self, name: str, public_key: Ed25519PublicKey) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = public_key
        self.public_bytes = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = compute_key_id(name, self.signature_type, self.public_bytes)

    @classmethod
    def from_key_string(cls, vkey: str) -> Self:
        """Read ``<name>+<hex key ID>+<base64(type || public key)>``, checking the key ID."""
        name, key_id, key = _split_key_string("verifier key", vkey, cls.signature_type)
        try:
            public_key = Ed25519PublicKey.from_public_bytes(key)
        except ValueError:
            raise NoteError(f"verifier key {name}: not an Ed25519 public key") from None
        verifier = cls(name, public_key)
        _check_key_id("verifier key", verifier.name, key_id, verifier.key_id)
        return verifier

    @property
    def key_string(self) -> str:
        key = base64.b64encode(bytes([self.signature_type]) + self.public_bytes).decode()
        return f"{self.name}+{self.key_id.hex()}+{key}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``text``."""
        return verify_ed25519(self.public_key, text, signature)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verifier):
            return NotImplemented
        return type(other) is type(self) and other.key_string == self.key_string

    def __hash__(self) -> int:
        return hash((type(self), self.key_string))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key_string!r})"


class NoteSigningKey:
    """A named Ed25519 private key of one signature type; never printed in full."""

    signature_type: ClassVar[int] = SIGNATURE_TYPE_ED25519
    verifier_type: ClassVar[type[Verifier]] = Verifier

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        self._verifier = self.verifier_type(name, private_key.public_key())
        self.name = name
        self.key_id = self._verifier.key_id
        self.private_key = private_key

    @classmethod
    def generate(cls, name: str) -> Self:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_key_string(cls, skey: str) -> Self:
        """Read ``PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>``."""
        if not skey.startswith(_PRIVATE_PREFIX):
            raise NoteError(f"signer key does not start with {_PRIVATE_PREFIX!r}")
        rest = skey.removeprefix(_PRIVATE_PREFIX)
        name, key_id, seed = _split_key_string("signer key", rest, cls.signature_type)
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(seed))
        _check_key_id("signer key", signer.name, key_id, signer.key_id)
        return signer

    @property
    def key_string(self) -> str:
        seed = self.private_key.private_bytes_raw()
        key = base64.b64encode(bytes([self.signature_type]) + seed).decode()
        return f"{_PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{key}"

    def verifier(self) -> Verifier:
        """The matching public key, as verifiers are configured with it."""
        return self._verifier

    def __repr__(self) -> str:
        return f"{type(self).__name__}({key_label(self.name, self.key_id)!r})"


class Signer(NoteSigningKey):
    """An Ed25519 note key that signs note texts (signature type ``0x01``)."""

    def sign(self, text: bytes) -> bytes:
        return self.private_key.sign(text)


def verify_ed25519(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    if len(signature) != ED25519_SIGNATURE_SIZE:
        return False
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def sign_note(text: str, signers: Sequence[NoteSigner]) -> str:
    """The signed note of ``text`` (which must end in a newline), one line per signer."""
    if not signers:
        raise NoteError("a signed note needs at least one signer")
    note = Note(text)
    raw = note.text.encode()
    return note.with_signatures(
        NoteSignature(s.name, s.key_id, s.sign(raw)) for s in signers
    ).format()


def open_note(message: str | bytes, verifiers: Sequence[NoteVerifier]) -> Note:
    """Parse a signed note and check every signature by a known key.

    Signatures by keys not in ``verifiers`` (name and key ID both matching) are kept
    unchecked. A signature by a known key that fails is an error naming the key, and so
    is a note that no known key signed.
    """
    known = _index_verifiers(verifiers)
    note = Note.parse(message)
    raw = note.text.encode()
    verified = 0
    for signature in note.signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            continue
        if not verifier.verify(raw, signature.signature):
            raise NoteError(f"the signature by key {signature.label} does not verify")
        verified += 1
    if not verified:
        present = ", ".join(s.label for s in note.signatures)
        expected = ", ".join(key_label(*key) for key in known) or "none"
        raise NoteError(
            f"signed note has no signature by a known key: it is signed by {present};"
            f" known keys: {expected}"
        )
    return note


def _index_verifiers(
    verifiers: Sequence[NoteVerifier],
) -> dict[tuple[str, bytes], NoteVerifier]:
    known: dict[tuple[str, bytes], NoteVerifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_id)
        if key in known and known[key] != verifier:
            raise NoteError(f"two different verifiers share the key {key_label(*key)}")
        known[key] = verifier
    return known


def _parse_signature_line(number: int, line: str) -> NoteSignature:
    where = f"signature line {number}"
    if not line.startswith(_DASH):
        raise NoteError(f"{where} does not start with an em dash (U+2014) and a space")
    name, space, encoded = line.removeprefix(_DASH).partition(" ")
    if not space:
        raise NoteError(f"{where} has no space between the key name and the signature")
    try:
        check_key_name(name)
    except NoteError as error:
        raise NoteError(f"{where}: {error}") from None
    raw = decode_base64(f"{where}, key {name}", encoded)
    if len(raw) <= KEY_ID_SIZE:
        raise NoteError(
            f"{where}, key {name}: {len(raw)} bytes is too short for key ID and signature"
        )
    return NoteSignature(name, raw[:KEY_ID_SIZE], raw[KEY_ID_SIZE:])


def decode_base64(what: str, encoded: str) -> bytes:
    """Standard base64 (RFC 4648 §4) in its one canonical spelling, or ``NoteError``."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what}: {encoded!r} is not standard base64") from None
    if base64.b64encode(raw).decode() != encoded:
        raise NoteError(f"{what}: {encoded!r} is not canonical base64")
    return raw


def _split_key_string(what: str, value: str, signature_type: int) -> tuple[str, bytes, bytes]:
    """``name+hexid+base64(type || key)`` → name, key ID and key bytes of the expected type."""
    name, _, rest = value.partition("+")
    key_id_hex, plus, encoded = rest.partition("+")
    if not plus:
        raise NoteError(f"{what} is not <name>+<hex key ID>+<base64 key>")
    check_key_name(name)
    if len(key_id_hex) != 2 * KEY_ID_SIZE or any(
        c not in "0123456789abcdefABCDEF" for c in key_id_hex
    ):
        raise NoteError(f"{what} {name}: key ID {key_id_hex!r} is not 8 hexadecimal digits")
    raw = decode_base64(f"{what} {name}", encoded)
    if not raw or raw[0] != signature_type:
        found = f"0x{raw[0]:02x}" if raw else "nothing"
        raise NoteError(
            f"{what} {name}: signature type is {found}, expected 0x{signature_type:02x}"
        )
    if len(raw) != 1 + ED25519_KEY_SIZE:
        raise NoteError(f"{what} {name}: an Ed25519 key is 32 bytes, not {len(raw) - 1}")
    return name, bytes.fromhex(key_id_hex), raw[1:]


def _check_key_id(what: str, name: str, claimed: bytes, computed: bytes) -> None:
    if claimed != computed:
        raise NoteError(
            f"{what} {name}: key ID {claimed.hex()} does not match the key, whose ID is"
            f" {computed.hex()}"
        )


def _check_characters(what: str, value: str) -> None:
    for position, char in enumerate(value):
        if ord(char) < 0x20 and char != "\n":
            raise NoteError(f"{what}: control character {char!r} at character {position}")
    _encode(what, value)


def _encode(what: str, value: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise NoteError(f"{what}: character {error.start} cannot be encoded as UTF-8") from None

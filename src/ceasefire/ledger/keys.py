"""Parties' Ed25519 keys: signing, verifying, key ids, and private keys sealed at rest.

A key has a **name** and a 32-byte Ed25519 public key. Its **key id** is the one of the
C2SP signed-note format: the first four bytes of ``SHA-256(name || 0x0A || 0x01 ||
public key)``, written as 8 hex digits, so the same key signs ledger entries here and
checkpoints and cosignatures in ``notes``. Names follow the signed-note rules: not
empty, no Unicode spaces, no ``+``.

``PublicKey`` verifies and needs nothing secret: a party that signs on its own devices
registers only its public key. ``PartyKey`` holds the private key, for parties whose key
the server keeps; at rest it is ``seal``-ed with the configured secret and never stored
in the clear.

Sealed key, version 1 (``seal``/``unseal``)::

    0x01 || log2(N) || salt (16) || nonce (12) || AES-256-GCM(seed (32) || name)

The AES key is scrypt(secret, salt, N, r=8, p=1); the first 30 bytes are the GCM
associated data, so no byte of the blob can change unnoticed.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ceasefire.domain.errors import CeasefireError, InvalidInputError

ED25519_SIGNATURE_TYPE = 0x01
"""The signed-note signature type byte of Ed25519, hashed into the key id."""

PUBLIC_KEY_SIZE = 32
PRIVATE_KEY_SIZE = 32
SIGNATURE_SIZE = 64

SEAL_VERSION = 0x01
DEFAULT_SEAL_COST = 15
"""log2 of scrypt's N for new sealed keys: 2**15 × r=8 is 32 MiB and ~70 ms to unseal."""
SEAL_COSTS = range(10, 21)
"""The log2 N a sealed key may carry: low for tests, capped so a blob cannot ask for GiBs."""
_SALT_SIZE = 16
_NONCE_SIZE = 12
_HEADER_SIZE = 2 + _SALT_SIZE + _NONCE_SIZE
_TAG_SIZE = 16


class SignatureError(CeasefireError):
    """A signature does not verify; the message names the key and says why."""


class SealedKeyError(CeasefireError):
    """A sealed private key cannot be opened: wrong secret, altered or unknown blob."""


def check_key_name(name: str) -> None:
    """Refuse a name the signed-note format cannot carry."""
    if not isinstance(name, str) or not name:
        raise InvalidInputError("name", "a key name must be a non-empty string")
    for character in name:
        if character == "+" or character.isspace() or unicodedata.category(character) == "Zs":
            raise InvalidInputError(
                "name", f"{name!r} holds {character!r}; key names have no spaces and no '+'"
            )
        if unicodedata.category(character) == "Cc":
            raise InvalidInputError("name", f"{name!r} holds a control character")


def key_id(name: str, public_bytes: bytes) -> str:
    """The signed-note key id of an Ed25519 key, as 8 lower-case hex digits."""
    check_key_name(name)
    material = name.encode("utf-8") + b"\n" + bytes([ED25519_SIGNATURE_TYPE]) + public_bytes
    return hashlib.sha256(material).digest()[:4].hex()


@dataclass(frozen=True)
class PublicKey:
    """A party's public key, all a verifier needs."""

    name: str
    public_bytes: bytes
    key_id: str = field(init=False, repr=False, compare=False)
    """The signed-note key id: 8 hex digits."""
    _key: Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if not isinstance(self.public_bytes, bytes):
            raise InvalidInputError("public_bytes", "must be bytes")
        if len(self.public_bytes) != PUBLIC_KEY_SIZE:
            raise InvalidInputError(
                "public_bytes",
                f"is {len(self.public_bytes)} bytes; an Ed25519 public key is {PUBLIC_KEY_SIZE}",
            )
        # computed once: a verifier checks thousands of entries with one key
        object.__setattr__(self, "key_id", key_id(self.name, self.public_bytes))
        object.__setattr__(self, "_key", Ed25519PublicKey.from_public_bytes(self.public_bytes))

    def verify(self, data: bytes, signature: bytes) -> None:
        """Return if ``signature`` is this key's over ``data``; raise ``SignatureError`` if not."""
        who = f"key {self.name} ({self.key_id})"
        if len(signature) != SIGNATURE_SIZE:
            raise SignatureError(
                f"signature for {who}: is {len(signature)} bytes; "
                f"an Ed25519 signature is {SIGNATURE_SIZE}"
            )
        try:
            self._key.verify(signature, data)
        except InvalidSignature:
            raise SignatureError(
                f"signature does not verify with {who}: another key made it, "
                "or the signed data or the signature was altered"
            ) from None

    def __repr__(self) -> str:
        return f"PublicKey({self.name!r}, key_id={self.key_id!r})"


class PartyKey:
    """A party's Ed25519 key pair: ``name`` and the 32-byte RFC 8032 private key (seed)."""

    __slots__ = ("_key_id", "_name", "_private", "_public")

    def __init__(self, name: str, private: bytes) -> None:
        check_key_name(name)
        if not isinstance(private, bytes) or len(private) != PRIVATE_KEY_SIZE:
            raise InvalidInputError(
                "private", f"an Ed25519 private key is {PRIVATE_KEY_SIZE} bytes"
            )
        self._name = name
        self._private = Ed25519PrivateKey.from_private_bytes(private)
        self._public = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._key_id = key_id(name, self._public)

    @classmethod
    def generate(cls, name: str) -> PartyKey:
        """A new random key pair."""
        return cls(name, os.urandom(PRIVATE_KEY_SIZE))

    @property
    def name(self) -> str:
        return self._name

    @property
    def public_bytes(self) -> bytes:
        """The 32-byte Ed25519 public key."""
        return self._public

    @property
    def private_bytes(self) -> bytes:
        """The 32-byte private key: keep it sealed (``seal``), never log or store it bare."""
        return self._private.private_bytes_raw()

    @property
    def key_id(self) -> str:
        """The signed-note key id: 8 hex digits."""
        return self._key_id

    @property
    def public_key(self) -> PublicKey:
        """The public half, to register or hand to verifiers."""
        return PublicKey(self._name, self._public)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data`` (deterministic, RFC 8032)."""
        return self._private.sign(data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PartyKey):
            return NotImplemented
        return (self._name, self._public) == (other._name, other._public)

    def __hash__(self) -> int:
        return hash((self._name, self._public))

    def __repr__(self) -> str:  # never the private key
        return f"PartyKey({self._name!r}, key_id={self.key_id!r})"


def seal(private_key: PartyKey, secret: str | bytes, *, cost: int = DEFAULT_SEAL_COST) -> bytes:
    """Encrypt a party's key with ``secret`` (scrypt → AES-256-GCM, random salt and nonce)."""
    if cost not in SEAL_COSTS:
        raise InvalidInputError(
            "cost", f"{cost} is outside {SEAL_COSTS.start}..{SEAL_COSTS.stop - 1}"
        )
    salt, nonce = os.urandom(_SALT_SIZE), os.urandom(_NONCE_SIZE)
    header = bytes([SEAL_VERSION, cost]) + salt + nonce
    plaintext = private_key.private_bytes + private_key.name.encode("utf-8")
    return header + AESGCM(_derive(secret, salt, cost)).encrypt(nonce, plaintext, header)


def unseal(blob: bytes, secret: str | bytes) -> PartyKey:
    """The key ``seal`` encrypted; ``SealedKeyError`` for a wrong secret or an altered blob."""
    if len(blob) < _HEADER_SIZE + PRIVATE_KEY_SIZE + 1 + _TAG_SIZE:
        raise SealedKeyError(f"sealed key is {len(blob)} bytes, too short to be one")
    version, cost = blob[0], blob[1]
    if version != SEAL_VERSION:
        raise SealedKeyError(
            f"sealed key has format version {version}; this version reads {SEAL_VERSION}"
        )
    if cost not in SEAL_COSTS:
        raise SealedKeyError(
            f"sealed key asks for scrypt cost 2**{cost}; "
            f"allowed are 2**{SEAL_COSTS.start}..2**{SEAL_COSTS.stop - 1}"
        )
    salt = blob[2 : 2 + _SALT_SIZE]
    nonce = blob[2 + _SALT_SIZE : _HEADER_SIZE]
    try:
        plaintext = AESGCM(_derive(secret, salt, cost)).decrypt(
            nonce, blob[_HEADER_SIZE:], blob[:_HEADER_SIZE]
        )
    except InvalidTag:
        raise SealedKeyError(
            "cannot unseal the key: the secret is wrong or the sealed key was altered"
        ) from None
    return PartyKey(plaintext[PRIVATE_KEY_SIZE:].decode("utf-8"), plaintext[:PRIVATE_KEY_SIZE])


def _derive(secret: str | bytes, salt: bytes, cost: int) -> bytes:
    material = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not material:
        raise InvalidInputError("secret", "is empty; sealing needs the configured secret")
    return Scrypt(salt=salt, length=32, n=2**cost, r=8, p=1).derive(material)

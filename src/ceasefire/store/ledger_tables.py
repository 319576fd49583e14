"""The tables of the ledger (docs/ledger.md §4): its leaves and complete subtrees, the
parties' keys, the openings of sealed entries, the record contract's state versions, and
the checkpoints with their cosignatures.

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)

from ceasefire.store.metadata import Id, UTCDateTime, metadata

# The ledger (docs/ledger.md §4). A leaf's sequence is its index in the Merkle log, from 0,
# always given explicitly; on SQLite it is the rowid (INTEGER PRIMARY KEY), which takes 0.
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("sequence", Id, primary_key=True, autoincrement=False),
    Column("leaf", LargeBinary, nullable=False),  # SignedEntry.leaf(), byte for byte
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("author_party", String(64), nullable=False),
    Column("author_key_id", String(8), nullable=False),
    Column("time", UTCDateTime, nullable=False),
    Index("ix_ledger_entries_record", "record"),
    Index("ix_ledger_entries_author_party_sequence", "author_party", "sequence"),
    Index("ix_ledger_entries_kind_sequence", "kind", "sequence"),
)

# The hash of every complete subtree of level >= 1, written once, when it is completed.
ledger_subtrees = Table(
    "ledger_subtrees",
    metadata,
    Column("level", SmallInteger, nullable=False),
    Column("index", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    PrimaryKeyConstraint("level", "index"),
)

party_keys = Table(
    "party_keys",
    metadata,
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("key_id", String(8), nullable=False),
    Column("name", Text, nullable=False),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("sealed_private", LargeBinary),  # NULL: the party holds its own private key
    Column("created", UTCDateTime, nullable=False),
    Column("revoked", UTCDateTime),
    PrimaryKeyConstraint("party_id", "key_id"),
)

# The openings of sealed entries (migration 0009, docs/ledger.md §5): an entry about a
# record scoped to an agreement commits to its state; the salt and the state it commits to
# are kept here and served only to that agreement's parties.
ledger_openings = Table(
    "ledger_openings",
    metadata,
    Column("sequence", Id, primary_key=True, autoincrement=False),
    Column("agreement_id", String(64), nullable=False),
    Column("salt", LargeBinary(32), nullable=False),
    Column("state", LargeBinary, nullable=False),  # the state's canonical JSON
    Index("ix_ledger_openings_agreement_id_sequence", "agreement_id", "sequence"),
)

# The record contract (migration 0010): the version of its kind's declared state that every
# record of a kind is written at (domain.records); a cache of what the ledger's entries say.
state_versions = Table(
    "state_versions",
    metadata,
    Column("kind", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", Id, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),  # the host-signed checkpoint note
    Column("created", UTCDateTime, nullable=False),
)

ledger_cosignatures = Table(
    "ledger_cosignatures",
    metadata,
    Column("size", Id, ForeignKey("ledger_checkpoints.size"), nullable=False),
    Column("cosigner", Text, nullable=False),
    Column("key_id", String(8), nullable=False),
    Column("signature", Text, nullable=False),  # the note's signature line
    Column("time", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("size", "cosigner", "key_id"),
)

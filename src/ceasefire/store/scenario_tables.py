"""The tables of what scenario files load: parties, actors and places, agreements and their
regimes, and what each file last said about each record (``scenario_records``).

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ceasefire.store.metadata import Id, UTCDateTime, metadata

parties = Table(
    "parties",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32)),
    Column("un_reference", String(32), index=True),
    Column("un_listed_on", Date),
)

# several actors may share an alias (the UN list names branches of one foundation alike):
# a name they share resolves to none of them
actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("key", Text, nullable=False, index=True),
)

# the names event datasets give an actor ("acled", "Military Forces of Syria (2000-)")
actor_references = Table(
    "actor_references",
    metadata,
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("system", String(16), nullable=False),
    Column("name", Text, nullable=False),
    PrimaryKeyConstraint("actor_id", "system", "name"),
)

actor_affiliations = Table(
    "actor_affiliations",
    metadata,
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("relation", String(16), nullable=False),
    # no foreign key: two groups allied with each other name each other (services check)
    Column("related_id", String(64), nullable=False, index=True),
    Column("since", Date),
    Column("until", Date),
)

places = Table(
    "places",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("country", Text),
    Column("code", String(32)),
    Column("geojson", Text, nullable=False),
)

place_aliases = Table(
    "place_aliases",
    metadata,
    Column("place_id", String(64), ForeignKey("places.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("key", Text, nullable=False),
    UniqueConstraint("place_id", "key"),
    Index("ix_place_aliases_key", "key"),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("signed", UTCDateTime),
    Column("description", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
)

agreement_parties = Table(
    "agreement_parties",
    metadata,
    Column(
        "agreement_id",
        String(64),
        ForeignKey("agreements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party_id", String(64), ForeignKey("parties.id"), primary_key=True),
    Column("role", String(16), nullable=False),  # "co_chair" or "member"
)

# the ACLED event types an agreement prohibits (migration 0024; agreement/2)
agreement_hostilities = Table(
    "agreement_hostilities",
    metadata,
    Column(
        "agreement_id",
        String(64),
        ForeignKey("agreements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("event_type", String(64), primary_key=True),
)

regimes = Table(
    "regimes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agreement_id", String(64), ForeignKey("agreements.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("geojson", Text, nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime),
    Column("area_name", Text),
    Column("description", Text, nullable=False, default=""),
    # the designation list it follows, and at which rule (services check the list exists)
    Column("exclusion_list", String(64)),
    Column("exclusion_rule", String(16)),
)

regime_exclusions = Table(
    "regime_exclusions",
    metadata,
    Column("regime_id", String(64), ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(64), ForeignKey("actors.id"), primary_key=True),
)

# the relations through which a regime excludes "groups connected with" those it excludes
regime_follows = Table(
    "regime_follows",
    metadata,
    Column("regime_id", String(64), ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True),
    Column("relation", String(16), primary_key=True),
)

regime_extensions = Table(
    "regime_extensions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("regime_id", String(64), ForeignKey("regimes.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("new_end", UTCDateTime),
    Column("decided", UTCDateTime),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("regime_id", "seq"),
)

# What each scenario file said about each record when last loaded (migration 0013): a
# load applies only the file's own changes since (services.scenarios).
scenario_records = Table(
    "scenario_records",
    metadata,
    Column("scenario_id", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("state", LargeBinary, nullable=False),  # the state document's canonical JSON
    Column("loaded", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("scenario_id", "record"),
)

"""The tables of the registers: designation lists with each member's designations and the
history of their versions.

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from ceasefire.store.metadata import Id, UTCDateTime, metadata

designation_lists = Table(
    "designation_lists",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
)

designation_list_members = Table(
    "designation_list_members",
    metadata,
    Column(
        "list_id",
        String(64),
        ForeignKey("designation_lists.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("party_id", String(64), ForeignKey("parties.id"), primary_key=True),
)

# each member's word on each actor: the latest, a record (designation:<list>/<party>/<actor>)
designations = Table(
    "designations",
    metadata,
    Column("list_id", String(64), ForeignKey("designation_lists.id"), nullable=False),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("actor_id", String(64), ForeignKey("actors.id"), nullable=False),
    Column("position", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("submitted", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("list_id", "party_id", "actor_id"),
)

# the versions of a consolidated list: one per submission that changed something, with
# what it changed (derived from the designations' entries, kept to show and compare them)
designation_versions = Table(
    "designation_versions",
    metadata,
    Column("list_id", String(64), ForeignKey("designation_lists.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("party_id", String(64), nullable=False),
    Column("submitted", UTCDateTime, nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("position", String(16), nullable=False),
    PrimaryKeyConstraint("list_id", "version", "party_id", "actor_id"),
)

# incidents a write classified anew without writing an entry about their reports (a list
# changed, a regime followed a list): the live feed sends them from the write's first entry
reclassifications = Table(
    "reclassifications",
    metadata,
    Column("sequence", BigInteger, nullable=False),
    Column("incident_id", Id, nullable=False),
    Column("before", String(32), nullable=False),
    Column("after", String(32), nullable=False),
    PrimaryKeyConstraint("sequence", "incident_id"),
    Index("ix_reclassifications_incident_id", "incident_id"),
)

# an actor or a settlement joining or leaving a regime (accession:<id>)
accessions = Table(
    "accessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("regime_id", String(64), ForeignKey("regimes.id"), nullable=False, index=True),
    Column("actor_id", String(64), ForeignKey("actors.id")),
    Column("place_id", String(64), ForeignKey("places.id")),
    Column("change", String(8), nullable=False),
    Column("day", Date, nullable=False),
    Column("channel", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("recorded_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

# who holds which ground: a polygon held by one actor over a dated span (control_area:<id>)
control_areas = Table(
    "control_areas",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("actor_id", String(64), ForeignKey("actors.id"), nullable=False),
    Column("geojson", Text, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

# an analyst's word that a name reports give is (or is not) an actor (name_mapping:<id>);
# the latest for a name wins
name_mappings = Table(
    "name_mappings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False, index=True),
    Column("actor_id", String(64), ForeignKey("actors.id")),
    Column("mapped_by", String(64), ForeignKey("parties.id"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

# the run that resolves again the stored reports giving a mapped name, apart from the request
# that mapped it (``services.mapping_runs``): the host's own bookkeeping, not a record (each
# report it rewrites is signed as it goes); unfinished, a server process takes it up
mapping_runs = Table(
    "mapping_runs",
    metadata,
    Column("mapping_id", Id, ForeignKey("name_mappings.id"), primary_key=True, autoincrement=False),
    Column("author", String(64), ForeignKey("parties.id")),  # signs the rewrites (None: the host)
    Column("total", BigInteger),  # reports to rewrite, once found
    Column("done", BigInteger, nullable=False),
    Column("changed", BigInteger),  # incidents it changed that the author's party reads
    Column("finished", UTCDateTime),
    Column("attempts", Integer, nullable=False),  # times taken up (more than one: resumed)
    Column("failures", Integer, nullable=False),  # times it failed (the server's log says why)
)

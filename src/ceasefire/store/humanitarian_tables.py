"""The tables of humanitarian access: locations with their status history, requests for
access with their decision, and deliveries (``domain.humanitarian``).

All are defined on the schema's one ``metadata``; ``tables`` gathers them.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from ceasefire.store.metadata import Id, metadata

humanitarian_locations = Table(
    "humanitarian_locations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("place_id", String(64), ForeignKey("places.id")),  # a gazetteer place, if any
    Column("agreement_id", String(64), ForeignKey("agreements.id")),  # under which, if any
)

# a location's status over time: one change a day
humanitarian_location_statuses = Table(
    "humanitarian_location_statuses",
    metadata,
    Column(
        "location_id",
        String(64),
        ForeignKey("humanitarian_locations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("since", Date, nullable=False),
    Column("status", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False),
    PrimaryKeyConstraint("location_id", "since"),
)

humanitarian_requests = Table(
    "humanitarian_requests",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("location_id", String(64), ForeignKey("humanitarian_locations.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # convoy, corridor
    Column("requested_by", Text, nullable=False),  # as named: an agency, a party
    Column("requested", Date, nullable=False),
    Column("people", Integer),
    Column("trucks", Integer),
    Column("destination", Text),  # a corridor's destination, as named
    Column("destination_lon", Float),
    Column("destination_lat", Float),
    Column("decision", String(32), nullable=False),  # pending until decided
    Column("decided", Date),
    Column("decided_by", Text),
    Column("reason", Text, nullable=False),  # a denial's reason ("" otherwise)
    Column("approved_people", Integer),
    Column("approved_trucks", Integer),
    Column("source", Text, nullable=False),  # "" when recorded by hand
    Column("source_id", Text),  # the row's id in an imported source
    Column("source_status", Text),  # the outcome as the source words it
    Column("note", Text, nullable=False),
    Column("recorded_by", String(64), ForeignKey("parties.id"), nullable=False),
    Index("ix_humanitarian_requests_location_id", "location_id"),
    Index("ix_humanitarian_requests_source", "source", "source_id"),
)

humanitarian_deliveries = Table(
    "humanitarian_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("request_id", Id, ForeignKey("humanitarian_requests.id"), nullable=False),
    Column("delivered", Date, nullable=False),
    Column("people_reached", Integer),  # NULL: not known
    Column("trucks", Integer),
    Column("items", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_by", String(64), ForeignKey("parties.id"), nullable=False),
    Index("ix_humanitarian_deliveries_request_id", "request_id"),
)

"""Settings, from CEASEFIRE_* environment variables or passed in by the caller."""

from __future__ import annotations

import functools
from datetime import timedelta

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ceasefire.domain.correlation import CorrelationSettings
from ceasefire.domain.errors import InvalidInputError
from ceasefire.domain.forwarding import Network, parse_networks


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CEASEFIRE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./ceasefire.sqlite",
        description="SQLAlchemy URL of the database, or a path to an SQLite file.",
    )
    host: str = Field(default="127.0.0.1", description="Address `ceasefire serve` listens on.")
    port: int = Field(default=8000, description="Port `ceasefire serve` listens on.")
    map_tiles: str | None = Field(
        default=None,
        description="URL template of a raster tile server for the map (e.g. "
        "https://tiles.example/{z}/{x}/{y}.png); unset: the scenarios' admin areas alone, "
        "which need no internet.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Server processes `ceasefire serve` runs, each accepting connections on a "
        "socket of its own so they spread evenly (each groups its own writes; about one per "
        "core).",
    )
    threads: int = Field(
        default=12,
        ge=1,
        le=256,
        description="Requests a server process works on at once (its thread pool; the "
        "others wait their turn in order of arrival). On a few cores more only contend for "
        "the interpreter (docs/configuration.md; measured in docs/benchmarks.md, section 7).",
    )
    correlation_distance_m: float = Field(
        default=10_000.0,
        gt=0,
        description="Reports located exactly further apart than this are not one incident; each "
        "report's location precision widens it by half its uncertainty radius, up to 12.5 km "
        "each (docs/correlation.md).",
    )
    correlation_hours: float = Field(
        default=24.0,
        gt=0,
        description="Reports whose time windows are this far apart or more are not one incident.",
    )
    ledger_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Secret that seals the private keys the server signs with for the parties and "
            "the host (scrypt and AES-256-GCM). Required to write; keep it out of the database "
            "and its backups."
        ),
    )
    require_secret: bool = Field(
        default=False,
        description="Never make a secret file beside a SQLite database: the ledger secret must "
        "be given, and a server refuses to start without it (always so on PostgreSQL).",
    )
    ledger_seal_cost: int = Field(
        default=15,
        ge=10,
        le=20,
        description=(
            "log2 of scrypt's cost N when sealing a new key: 15 takes 32 MiB and about 70 ms."
        ),
    )
    ledger_origin: str = Field(
        default="ceasefire.localhost/ledger",
        pattern=r"^[^\s+]+$",
        description="Name of the ledger in its checkpoints, and of the host's key.",
    )
    host_party: str | None = Field(
        default=None,
        description=(
            "Party that runs the server: it signs checkpoints, and the writes made without a "
            "signed-in user (command-line imports, scenario loads). Left unset: the log's own "
            "host, or 'host' for a new log."
        ),
    )
    checkpoint_interval: float = Field(
        default=0.0,
        ge=0,
        description=(
            "Seconds between signed checkpoints; 0 signs one after every write transaction."
        ),
    )
    import_niceness: int = Field(
        default=10,
        ge=0,
        le=19,
        description=(
            "How much a command-line event import lowers its own CPU priority (Unix "
            "niceness, 0 keeps it): a server on the same machine answers its users first, "
            "and the import runs at full speed whenever the CPU is otherwise idle."
        ),
    )
    cookie_secure: bool = Field(
        default=False,
        description=(
            "Send the sign-in cookie over HTTPS only; set it to true whenever the server is "
            "reached over HTTPS (false serves the demo on http://127.0.0.1)."
        ),
    )
    password_memory_kib: int = Field(
        default=65_536,
        ge=8,
        description="Argon2id's memory cost for new password hashes, in KiB (64 MiB).",
    )
    max_body_bytes: int = Field(
        default=10_000_000,
        ge=1_000,
        description="Largest request body the API accepts, in bytes; larger ones get 413.",
    )
    feed_poll_seconds: float = Field(
        default=0.25,
        gt=0,
        le=10,
        description="How often the live feed (GET /api/v1/stream, webhooks) looks for changes.",
    )
    public_ledger: bool = Field(
        default=False,
        description="Serve the ledger's checkpoint, leaves and proofs without a token, for "
        "witnesses; sealed entries' leaves show only their commitments.",
    )
    webhook_private_addresses: bool = Field(
        default=False,
        description="Whether webhooks may deliver to loopback, private, link-local (the cloud "
        "metadata service) and other addresses inside the host's network; off, such a URL is "
        "refused at registration and at every delivery.",
    )
    deliver_webhooks: bool = Field(
        default=True,
        description="Whether this server process delivers webhooks (one process at a time "
        "does); false leaves it to the others.",
    )

    trusted_proxies: str = Field(
        default="",
        description="The reverse proxies whose X-Forwarded-For is believed: addresses and "
        "networks, separated by commas (10.0.0.5, 10.1.0.0/16). Empty: none, and the header "
        "is ignored.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        try:
            parse_networks(value)
        except InvalidInputError as error:
            raise ValueError(error.reason) from None
        return value

    def proxies(self) -> tuple[Network, ...]:
        """The trusted proxies' networks."""
        return _networks_of(self.trusted_proxies)

    def correlation(self) -> CorrelationSettings:
        return CorrelationSettings(
            max_distance_m=self.correlation_distance_m,
            max_gap=timedelta(hours=self.correlation_hours),
        )


@functools.lru_cache(maxsize=8)
def _networks_of(text: str) -> tuple[Network, ...]:
    return parse_networks(text)

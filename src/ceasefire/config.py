"""Settings, from CEASEFIRE_* environment variables or passed in by the caller."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ceasefire.domain.correlation import CorrelationSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CEASEFIRE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./ceasefire.sqlite",
        description="SQLAlchemy URL of the database, or a path to an SQLite file.",
    )
    host: str = Field(default="127.0.0.1", description="Address `ceasefire serve` listens on.")
    port: int = Field(default=8000, description="Port `ceasefire serve` listens on.")
    correlation_distance_m: float = Field(
        default=10_000.0, gt=0, description="Reports further apart than this are not one incident."
    )
    correlation_hours: float = Field(
        default=24.0,
        gt=0,
        description="Reports further apart in time than this are not one incident.",
    )

    def correlation(self) -> CorrelationSettings:
        return CorrelationSettings(
            max_distance_m=self.correlation_distance_m,
            max_gap=timedelta(hours=self.correlation_hours),
        )

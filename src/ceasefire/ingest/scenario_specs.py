"""The models of a scenario file: what each key holds, checked by pydantic.

``ScenarioSpec`` is the whole file; its JSON Schema (``scenario_json_schema``) is
generated from these models. What the models cannot check alone (references between
entries, places and geometry files) is checked as the specs become domain objects.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ceasefire.ingest.scenario_errors import shown_input

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
_AREA_KEYS = ("geometry", "geometry_file", "admin_area", "country")


def _local_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if isinstance(value, str) and re.fullmatch(_TIME_PATTERN, value.strip()):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", "{value} is not a date", {"value": shown_input(value)})


def _area_names(value: object) -> str | tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise PydanticCustomError(
        "names", "{value} is not a place name or a list of them", {"value": shown_input(value)}
    )


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "{value} is not an IANA time zone", {"value": repr(name)}
        ) from None
    return name


Id = Annotated[str, StringConstraints(pattern=_ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
LocalTime = Annotated[
    datetime,
    PlainValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _TIME_PATTERN,
            "description": "A date (00:00) or date and time, local to the agreement's "
            "time zone unless it carries an offset.",
        }
    ),
]
AdminArea = Annotated[
    str | tuple[str, ...],
    PlainValidator(_area_names),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ],
            "description": "Name, alias or id of a place of this scenario, or a list of them.",
        }
    ),
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartySpec(_Spec):
    id: Id
    name: Text
    kind: Literal["state", "un_office", "monitoring_mission", "member_state"] = "state"


class ReferenceSpec(_Spec):
    system: Literal["acled", "ucdp", "un", "other"] = Field(
        description="The dataset or list that names the actor so."
    )
    name: Text = Field(description="The actor's name there, as written.")


class AffiliationSpec(_Spec):
    relation: Literal["part_of", "offshoot_of", "allied_with", "renamed_to"]
    actor: Id = Field(description="Id of the actor this one stands so to.")
    since: date | None = None
    until: date | None = None


class ActorSpec(_Spec):
    id: Id
    name: Text
    kind: Text | None = None
    aliases: tuple[Text, ...] = ()
    parent: Id | None = Field(
        None, description="Id of the actor this one is part of (an undated part_of)."
    )
    un_reference: Text | None = Field(
        None, description="Its reference on the UN Security Council Consolidated List (QDe.137)."
    )
    un_listed_on: date | None = None
    references: tuple[ReferenceSpec, ...] = ()
    affiliations: tuple[AffiliationSpec, ...] = ()


class PlacesSpec(_Spec):
    file: Text = Field(description="GeoJSON FeatureCollection, relative to the scenario file.")
    level: Literal["country", "adm1", "adm2", "settlement"]
    country: Text | None = None
    name_property: Text
    id_property: Text | None = Field(None, description="Property giving the place id.")
    alias_properties: tuple[Text, ...] = ()


class ExtensionSpec(_Spec):
    new_end: LocalTime | None = Field(description="The new end; null = made indefinite.")
    decided: LocalTime | None = None
    note: str = ""


class RegimeSpec(_Spec):
    id: Id
    name: Text
    description: str = ""
    geometry: dict[str, object] | None = Field(
        None, description="GeoJSON geometry, Feature or FeatureCollection (their union)."
    )
    geometry_file: Text | None = Field(None, description="GeoJSON file, relative path.")
    admin_area: AdminArea | None = None
    country: Text | None = Field(None, description="Union of the country's adm1 places.")
    start: LocalTime
    end: LocalTime | None = Field(None, description="null or absent = open-ended.")
    excluded_actors: tuple[Id, ...] = ()
    exclusion_list: Id | None = Field(
        None, description="Id of a designation list of this scenario whose actors it excludes."
    )
    exclusion_rule: Literal["unanimous", "majority", "any", "un_listed"] | None = Field(
        None, description="Which of the list's actors: the rule its members' lists must meet."
    )
    exclusion_follows: tuple[
        Literal["part_of", "offshoot_of", "allied_with", "renamed_to", "territory"], ...
    ] = Field(
        (),
        description="Relations through which groups connected with those it excludes are "
        "excluded; territory: incidents in areas they held then.",
    )
    extensions: tuple[ExtensionSpec, ...] = ()

    @model_validator(mode="after")
    def _one_area(self) -> RegimeSpec:
        given = [key for key in _AREA_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "area",
                "needs exactly one of geometry, geometry_file, admin_area, country "
                "(found: {found})",
                {"found": ", ".join(given) or "none"},
            )
        return self


class AgreementSpec(_Spec):
    id: Id
    name: Text
    time_zone: TimeZone
    signed: LocalTime | None = None
    co_chairs: tuple[Id, ...] = Field(min_length=1)
    members: tuple[Id, ...] = ()
    description: str = ""
    source: str = ""
    hostilities: tuple[Text, ...] | None = Field(
        default=None,
        min_length=1,
        max_length=6,
        description="The ACLED event types the agreement prohibits; other types are not "
        "covered. Default: Battles, Explosions/Remote violence, Violence against civilians.",
    )
    regimes: tuple[RegimeSpec, ...] = ()


class DesignationListSpec(_Spec):
    id: Id
    name: Text
    members: tuple[Id, ...] = Field(min_length=1, description="Ids of the member parties.")
    description: str = ""


class ScenarioSpec(_Spec):
    model_config = ConfigDict(title="ceasefire scenario")

    id: Id
    title: Text
    parties: tuple[PartySpec, ...] = Field(min_length=1)
    actors: tuple[ActorSpec, ...] = ()
    places: tuple[PlacesSpec, ...] = ()
    agreements: tuple[AgreementSpec, ...] = ()
    designation_lists: tuple[DesignationListSpec, ...] = ()

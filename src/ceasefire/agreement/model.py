"""The agreement as typed models: what the YAML format may say (see docs/agreement-format.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.conditions import DeEscalation, Severity
from ceasefire.agreement.conditions import Response as Response
from ceasefire.agreement.conditions import Trigger as Trigger
from ceasefire.agreement.geometry import geometry_from_geojson, load_geometry_file
from ceasefire.taxonomy import Category, Target, WeaponClass

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1)]


class Strict(BaseModel):
    """Base of every agreement model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Geometry(Strict):
    """A GeoJSON geometry given inline, or `path:` to a GeoJSON file relative to the agreement."""

    model_config = ConfigDict(extra="forbid")
    path: str | None = None
    type: (
        Literal[
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "Feature",
            "FeatureCollection",
        ]
        | None
    ) = None
    coordinates: Any = None
    geometry: Any = None
    features: list[Any] | None = None
    properties: Any = None
    _shape: BaseGeometry | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Geometry:
        base_dir = Path((info.context or {}).get("base_dir", "."))
        if self.path is not None:
            if self.type is not None:
                raise ValueError("give either 'path' or an inline GeoJSON 'type', not both")
            self._shape = load_geometry_file(base_dir / self.path)
        elif self.type is None:
            raise ValueError("expected 'path: FILE.geojson' or an inline GeoJSON geometry")
        else:
            raw = self.model_dump(exclude_none=True, exclude={"path"})
            self._shape = geometry_from_geojson(raw)
        return self

    @property
    def shape(self) -> BaseGeometry:
        """The validated shapely geometry (lon/lat, WGS 84)."""
        assert self._shape is not None
        return self._shape


class Reference(Strict):
    """A source text the agreement is built from."""

    title: str
    url: str | None = None
    note: str | None = None


class Aliases(Strict):
    """Names under which a party appears in each data source."""

    acled: list[str] = []
    ucdp: list[str] = []
    cameo: list[str] = []
    gdelt: list[str] = []
    names: list[str] = []  # any other spelling, used by every source


class Party(Strict):
    """A party to the agreement."""

    id: Id
    name: str
    aliases: Aliases = Aliases()
    # countries (ISO alpha-2) that are this party's side of every line, outside the country
    # holding a line's controlled area (e.g. RU: Belgorod beyond the line's northern end)
    territory: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []


class Monitor(Strict):
    """Who verifies compliance, and with which means."""

    id: Id
    name: str
    means: list[str] = []
    reports_to: list[str] = []
    mandate: str | None = None


class Phase(Strict):
    """A phase with a start and a deadline (e.g. Minsk II heavy-weapons withdrawal)."""

    id: Id
    name: str
    article: str | None = None
    start: AwareDatetime
    end: AwareDatetime
    description: str | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Phase:
        if self.end <= self.start:
            raise ValueError(
                f"phase '{self.id}' ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()}); expected end after start"
            )
        return self


class ControlledArea(Strict):
    """The area one party holds on its side of a line; decides which side a point is on."""

    party: Id
    geometry: Geometry


class LineSides(Strict):
    """Which party holds each side of a line, walking along it from its first point. A side
    may list several parties (the first names the side); e.g. left: [DLPR, RU]."""

    left: Id | list[Id]
    right: Id | list[Id]

    @property
    def left_parties(self) -> list[str]:
        """Parties on the left, the first naming the side."""
        return [self.left] if isinstance(self.left, str) else list(self.left)

    @property
    def right_parties(self) -> list[str]:
        """Parties on the right, the first naming the side."""
        return [self.right] if isinstance(self.right, str) else list(self.right)


class Line(Strict):
    """A line of contact or reference line (lon/lat)."""

    id: Id
    name: str
    geometry: Geometry
    as_of: date | None = None
    accuracy_km: float | None = Field(default=None, ge=0)
    controlled_area: ControlledArea | None = None
    sides: LineSides | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _is_a_line(self) -> Line:
        if self.geometry.shape.geom_type not in ("LineString", "MultiLineString"):
            raise ValueError(
                f"line '{self.id}' has a {self.geometry.shape.geom_type} geometry; "
                "expected a LineString or MultiLineString"
            )
        return self


class _ZoneBase(Strict):
    id: Id
    name: str
    article: str | None = None
    description: str | None = None


class SecurityZone(_ZoneBase):
    """Within distance_km of a line on a party's own side, where weapon classes are banned.

    Each party's distance may be measured from a different line (`measured_from`).
    """

    kind: Literal["security_zone"]
    weapon_classes: list[WeaponClass]
    distance_km: float = Field(gt=0)
    line: Id | None = None
    measured_from: dict[Id, Id] = {}

    @model_validator(mode="after")
    def _has_a_line(self) -> SecurityZone:
        if self.line is None and not self.measured_from:
            raise ValueError(f"zone '{self.id}' needs 'line' or 'measured_from' (party -> line)")
        return self

    def line_for(self, party: str) -> str | None:
        """The line this party's distance is measured from."""
        return self.measured_from.get(party, self.line)


class BufferZone(_ZoneBase):
    """A demilitarised strip of width_km on both sides of a line."""

    kind: Literal["buffer"]
    line: Id
    width_km: float = Field(gt=0)
    weapon_classes: list[WeaponClass] = []  # empty: every weapon, all forces


class AreaZone(_ZoneBase):
    """A zone drawn as a polygon: disengagement area, no-fly zone, protected site."""

    kind: Literal["disengagement_area", "no_fly", "area"]
    geometry: Geometry
    weapon_classes: list[WeaponClass] = []

    @model_validator(mode="after")
    def _is_an_area(self) -> AreaZone:
        if self.geometry.shape.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(
                f"zone '{self.id}' has a {self.geometry.shape.geom_type} geometry; "
                "expected a Polygon or MultiPolygon"
            )
        return self


Zone = Annotated[SecurityZone | BufferZone | AreaZone, Field(discriminator="kind")]


class PhaseTime(Strict):
    """A time given by a phase: its start or its end (deadline)."""

    phase: Id
    at: Literal["start", "end"] = "end"


TimeRef = Literal["entry_into_force"] | PhaseTime | AwareDatetime


class When(Strict):
    """The period a rule applies in; `after` is inclusive, `until` exclusive."""

    after: TimeRef = "entry_into_force"
    until: TimeRef | None = None


class Where(Strict):
    """Where a rule applies. Give at most one of zone, beyond_km (with line), across_line."""

    zone: Id | None = None
    beyond_km: float | None = Field(default=None, ge=0)
    line: Id | None = None
    across_line: Id | None = None

    @model_validator(mode="after")
    def _one_place(self) -> Where:
        given = [self.zone is not None, self.beyond_km is not None, self.across_line is not None]
        if sum(given) > 1:
            raise ValueError("give only one of 'zone', 'beyond_km' (with 'line'), 'across_line'")
        if self.beyond_km is not None and self.line is None:
            raise ValueError("'beyond_km' needs the 'line' it is measured from")
        return self

    @property
    def kind(self) -> str:
        """anywhere, zone, beyond or across."""
        if self.zone is not None:
            return "zone"
        if self.beyond_km is not None:
            return "beyond"
        if self.across_line is not None:
            return "across"
        return "anywhere"


class RuleException(Strict):
    """Acts a rule does not cover (all given conditions must hold)."""

    id: Id
    description: str
    categories: list[Category] = []
    weapon_classes: list[WeaponClass] = []
    parties: list[Id] = []
    zones: list[Id] = []


class Rule(Strict):
    """A prohibited act: what, by whom, where, when, with exceptions, and its article."""

    id: Id
    article: str
    title: str
    description: str | None = None
    categories: list[Category] = Field(min_length=1)
    weapon_classes: list[WeaponClass] = []
    targets: list[Target] = []
    parties: list[Id] = []
    where: Where = Where()
    when: When = When()
    exceptions: list[RuleException] = []


class Commitment(Strict):
    """A guarantor's promise toward a party, valid for a period."""

    id: Id
    title: str
    description: str | None = None
    article: str | None = None
    toward: list[Id] = []
    against: list[Id] = []
    valid_from: TimeRef = "entry_into_force"
    valid_until: AwareDatetime | None = None
    valid_for_years: float | None = Field(default=None, gt=0)
    triggers: list[Trigger] = []
    responses: list[Response] = []  # the escalation ladder (docs/backstop.md)
    de_escalation: DeEscalation | None = None
    illustrative: bool = False  # not in the agreed text; shown as such in every output

    @model_validator(mode="after")
    def _one_end(self) -> Commitment:
        if self.valid_until is not None and self.valid_for_years is not None:
            raise ValueError("give 'valid_until' or 'valid_for_years', not both")
        return self


class Guarantor(Strict):
    """A state or coalition that guarantees the agreement."""

    id: Id
    name: str
    members: list[str] = []
    commitments: list[Commitment] = []


class Scope(Strict):
    """Where the agreement applies: admin-1 units (ISO 3166-2) and/or whole countries
    (ISO 3166-1 alpha-2). Events elsewhere are kept but not checked. Empty: everywhere."""

    admin1: list[Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]] = []
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []
    note: str | None = None


class TerritoryPolicy(Strict):
    """How control maps are judged (docs/territory.md): after entry into force, a party's gain
    counts when it reaches more than `tolerance_m` beyond the previous front, and is a
    violation when such gains total more than `tolerance_km2` between two maps."""

    tolerance_km2: float = Field(default=1.0, ge=0)
    tolerance_m: float = Field(default=500.0, ge=0)


class Agreement(Strict):
    """A ceasefire agreement, validated and with its geometries loaded."""

    id: Id
    title: str
    version: str
    status: Literal["signed", "draft", "illustrative", "historical"] = "draft"
    description: str | None = None
    signed: date | None = None
    timezone: str = "UTC"
    entry_into_force: AwareDatetime
    ended: AwareDatetime | None = None
    scope: Scope = Scope()
    references: list[Reference] = []
    parties: list[Party] = Field(min_length=2)
    monitors: list[Monitor] = []
    phases: list[Phase] = []
    lines: list[Line] = []
    zones: list[Zone] = []
    rules: list[Rule] = []
    guarantors: list[Guarantor] = []
    territory: TerritoryPolicy = TerritoryPolicy()
    severity: Severity | None = None  # levels used by guarantors' trigger conditions
    _source: Path | None = PrivateAttr(default=None)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'; expected e.g. 'Europe/Kyiv'") from exc
        return value

    @model_validator(mode="after")
    def _ends_after_entry(self) -> Agreement:
        if self.ended is not None and self.ended <= self.entry_into_force:
            raise ValueError(
                f"'ended' ({self.ended.isoformat()}) is not after entry_into_force "
                f"({self.entry_into_force.isoformat()})"
            )
        return self

    @property
    def source(self) -> Path | None:
        """The file the agreement was loaded from."""
        return self._source

    def party_ids(self) -> list[str]:
        """Ids of the parties, in order."""
        return [p.id for p in self.parties]

    def line(self, line_id: str) -> Line:
        """The line with this id."""
        return next(x for x in self.lines if x.id == line_id)

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id."""
        return next(x for x in self.phases if x.id == phase_id)

    def resolve_time(self, ref: TimeRef) -> datetime:
        """A time reference as an aware datetime."""
        if isinstance(ref, datetime):
            return ref
        if isinstance(ref, PhaseTime):
            phase = self.phase(ref.phase)
            return phase.start if ref.at == "start" else phase.end
        return self.entry_into_force

    def commitment_end(self, commitment: Commitment) -> datetime | None:
        """When a commitment stops being valid (None: open-ended)."""
        if commitment.valid_until is not None:
            return commitment.valid_until
        if commitment.valid_for_years is None:
            return None
        start = self.resolve_time(commitment.valid_from)
        years = commitment.valid_for_years
        if float(years).is_integer():
            try:
                return start.replace(year=start.year + int(years))
            except ValueError:  # 29 February
                return start.replace(year=start.year + int(years), day=28)
        return start + timedelta(days=365.2425 * years)

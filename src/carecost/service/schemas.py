"""Request models of the HTTP service (pydantic): validated, bounded, no paths.

Every field has a type, a range and a length limit; unknown fields are
refused (``extra="forbid"``), and NaN or infinite numbers are refused
(``allow_inf_nan=False``), so a request that passes these models can only
name registered data sets and scenarios and carry bounded numbers.  The
scenario model is generated from the one field specification of
:mod:`carecost.investment.fields` (the same keys and ranges as the scenario
TOML of :func:`carecost.investment.load_scenario`, ``[[leave]]`` and
``[breastfeeding]`` included), without its file references
(``population.file``, ``io.dataset``, ``meta.use_country_dataset``): a
scenario sent over HTTP always uses the population and input-output table of
its registered country.

Types are strict (``strict=True``): a number sent as text (``"level": "0.95"``,
``"year": "2030"``) or a boolean sent as ``1`` or ``"true"`` is refused, never
converted.  An integer field takes an integer or a number with no decimal part
(``2030.0``: JSON Schema's ``integer`` includes it, and R and pandas write whole
numbers so); ``2030.5`` is refused with the whole numbers meant, never rounded
(the same rule as the TOML loader, :meth:`carecost.investment.fields.FieldSpec.check`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from carecost.investment.fields import MAX_EXACT_INTEGER, FieldSpec, fields_of, integer_hint

__all__ = [
    "BreastfeedingModel",
    "CountryRequest",
    "GapRequest",
    "LeaveModel",
    "Problem",
    "ProblemItem",
    "RangeModel",
    "ScenarioModel",
    "SimulateRequest",
    "ValueRequest",
    "validation_message",
]

def _whole(value: Any) -> Any:
    """A float with no decimal part as an int; a float with one refused with a hint (the
    strict ``int`` validator then refuses text, booleans and other types)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= MAX_EXACT_INTEGER:
            return int(value)
        raise PydanticCustomError(
            "int_from_float", "Input should be a whole number (an integer): {got} has a "
            "decimal part; {hint}", {"got": repr(value), "hint": integer_hint(value)})
    return value


Int = Annotated[int, BeforeValidator(_whole)]
"""An integer at the edge: an int or a whole float, nothing else (see the module docstring)."""


def _int(**bounds: Any) -> Any:
    """:data:`Int` with bounds (``ge=``, ``le=``, ...), the bounds inside the validator so that
    the JSON Schema has ``minimum`` and ``maximum`` (outside it pydantic writes ``ge``)."""
    return Annotated[int, Field(**bounds), BeforeValidator(_whole)]

NAME = r"^[a-z][a-z0-9_-]{0,39}$"
NAME_HELP = ("a registered name: 1-40 lowercase letters, digits, '-' or '_' (never a file "
             "path)")
Name = Annotated[str, Field(pattern=NAME, max_length=40, description=NAME_HELP)]
SectorCode = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$", max_length=16)]
ServiceName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$", max_length=40)]
Year = Annotated[int, Field(ge=1950, le=2100), BeforeValidator(_whole)]
Level = Annotated[float, Field(ge=0.5, le=0.999, description="confidence level, e.g. 0.95")]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1), BeforeValidator(_whole)]
Draws = Annotated[int, Field(ge=2, le=100_000, description="Monte Carlo draws (the server may "
                             "set a lower limit)"), BeforeValidator(_whole)]

_CFG = ConfigDict(extra="forbid", allow_inf_nan=False, str_max_length=200, strict=True)


class _Model(BaseModel):
    model_config = _CFG


class GapRequest(_Model):
    """The unpaid-care gender gap with SDG 5.4.1 on a registered data set."""

    dataset: Name = "example"
    by: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]] = Field(
        default_factory=lambda: ["age_group"], max_length=2,
        description="up to 2 distinct domain variables of the data set (see GET /v1/datasets)",
        json_schema_extra={"uniqueItems": True})
    y: Annotated[str, Field(pattern=r"^[A-Za-z0-9_ ,()-]{1,80}$")] = "unpaid_care_work"
    level: Level = 0.95


MethodName = Literal["generalist", "specialist", "hybrid", "minimum_wage"]


def _all_methods() -> list[MethodName]:
    return ["generalist", "specialist", "hybrid", "minimum_wage"]


class ValueRequest(_Model):
    """The value of unpaid work on a registered data set, by valuation method (``main`` one
    of ``methods``, each method at most once)."""

    dataset: Name = "example"
    methods: list[MethodName] = Field(default_factory=lambda: _all_methods(), min_length=1,
                                      max_length=4, json_schema_extra={"uniqueItems": True},
                                      description="valuation methods, each at most once")
    main: MethodName = Field(default="hybrid", description="the headline method: one of "
                             "methods")
    level: Level = 0.95
    draws: Draws = 2000
    seed: Seed = 0

    @model_validator(mode="after")
    def _main_in_methods(self) -> ValueRequest:
        if len(set(self.methods)) != len(self.methods):
            raise ValueError(f"methods {self.methods} lists a method twice")
        if self.main not in self.methods:
            raise ValueError(f"main = {self.main!r} must be one of methods {self.methods}")
        return self


def _number(spec: FieldSpec, base: type) -> Any:
    """``base`` bounded by the specification's range (same ends as the TOML loader)."""
    lo, hi = spec.low, spec.high
    kw: dict[str, Any] = {"gt": lo if lo is not None and spec.low_open else None,
                          "ge": lo if lo is not None and not spec.low_open else None,
                          "lt": hi if hi is not None and spec.high_open else None,
                          "le": hi if hi is not None and not spec.high_open else None}
    if base is Int:
        return _int(**kw)
    return Annotated[base, Field(**kw)]  # type: ignore[valid-type]


def _share_list(spec: FieldSpec, lo: int, hi: int) -> Any:
    item = _number(spec, float)
    return Annotated[list[item], Field(min_length=lo, max_length=hi)]  # type: ignore[valid-type]


def _annotation(spec: FieldSpec) -> Any:
    """The pydantic type of one scenario key: the range from the specification, plus the
    service's own length and format bounds on text and lists (no file paths)."""
    text_bounds: dict[tuple[str, str], Any] = {
        ("services", "name"): ServiceName,
        ("services", "sector"): SectorCode,
        ("services", "capital_sector"): SectorCode,
        ("comparison", "sector"): SectorCode,
        ("services", "kind"): Annotated[str, Field(max_length=40)],
        ("services.staff_grades", "name"): Annotated[str, Field(min_length=1, max_length=60)],
    }
    if (spec.table, spec.name) in text_bounds:
        return text_bounds[(spec.table, spec.name)]
    if spec.type == "number":
        return _number(spec, float)
    if spec.type == "integer":
        return _number(spec, Int)
    if spec.type == "boolean":
        return bool
    if spec.type == "choice":
        return Literal[spec.choices]  # type: ignore[valid-type]
    if spec.type == "text":
        return Annotated[str, Field(max_length=200, pattern=spec.pattern)] if spec.pattern \
            else Annotated[str, Field(max_length=200)]
    if spec.type == "ages":
        age = _number(spec, Int)
        # a list, not a tuple: strict validation takes no JSON array for a tuple
        return Annotated[list[age], Field(min_length=2, max_length=2)]  # type: ignore[valid-type]
    if spec.type == "share_or_list":
        return _number(spec, float) | _share_list(spec, 1, 121)
    if spec.type == "phase_in":
        return Literal["linear"] | _share_list(spec, 2, 151)
    if spec.type == "sector_shares":
        share = _number(spec, float)
        return Annotated[dict[SectorCode, share],  # type: ignore[valid-type]
                         Field(max_length=50)]
    if spec.type == "staff_grades":
        grade: Any = StaffGradeModel
        return Annotated[list[grade], Field(min_length=1, max_length=12)]  # type: ignore[valid-type]
    raise TypeError(f"{spec.key}: no HTTP type for {spec.type!r}")  # pragma: no cover


def _help(spec: FieldSpec) -> str:
    parts = [spec.description]
    if spec.unit:
        parts.append(f"Unit: {spec.unit}.")
    if spec.range_text():
        parts.append(f"Allowed: {spec.range_text()}.")
    parts.append("Default: country data set." if spec.country else
                 f"Default: {spec.default_display()}." if not spec.required else "Required.")
    return " ".join(parts)


_PRESET_SUPPLIES: frozenset[tuple[str, str]] = frozenset(
    {("meta", "base_year"), ("meta", "target_year"), ("top", "services")})
"""Required keys that a ``meta.preset`` supplies: optional in the request models, and the
scenario loader says when one is missing without a preset (``meta.base_year is missing``)."""


def _table_model(table: str, model_name: str, doc: str) -> type[BaseModel]:
    """A request model with exactly the keys of ``table`` that HTTP accepts.

    Required keys (that no country data set or preset supplies) are required; every other key
    defaults to ``None`` and is left out of :meth:`ScenarioModel.to_raw`, so that the scenario
    loader applies the same defaults as to a TOML file.
    """
    fields: dict[str, Any] = {}
    for name, spec in fields_of(table).items():
        if not spec.http:
            continue
        ann = _annotation(spec)
        if (table, name) in _PRESET_SUPPLIES:
            fields[name] = (ann | None, Field(None, description=_help(spec).replace(
                "Required.", "Required unless meta.preset supplies it.")))
        elif spec.required and not spec.country:
            fields[name] = (ann, Field(..., description=_help(spec)))
        else:
            fields[name] = (ann | None, Field(None, description=_help(spec)))
    model: type[BaseModel] = create_model(model_name, __base__=_Model, __doc__=doc, **fields)
    return model


StaffGradeModel = _table_model(
    "services.staff_grades", "StaffGradeModel",
    "One staff grade of a service's mix by qualification (``[[services.staff_grades]]``).")
ServiceModel = _table_model(
    "services", "ServiceModel",
    "One care service (``[[services]]``); keys and ranges as in the scenario TOML.")
MetaModel = _table_model(
    "meta", "MetaModel", "Scenario ``[meta]``: name, country data set, years and phase-in.")
InducedModel = _table_model("induced", "InducedModel", "How induced jobs are computed.")
ComparisonModel = _table_model("comparison", "ComparisonModel", "The comparison sector.")
MacroModel = _table_model(
    "macro", "MacroModel", "Overrides of the country's macro values (all optional).")
FiscalModel = _table_model(
    "fiscal", "FiscalModel", "Overrides of the country's tax and benefit values (all optional).")
LeaveModel = _table_model(
    "leave", "LeaveModel",
    "One childcare-related leave entitlement (``[[leave]]``): maternity, paternity or parental "
    "leave; keys and ranges as in the scenario TOML.")
BreastfeedingModel = _table_model(
    "breastfeeding", "BreastfeedingModel",
    "Paid breastfeeding breaks (``[breastfeeding]``); keys and ranges as in the scenario TOML.")


CountryMethod = Literal["replacement_generalist", "replacement_specialist", "opportunity_cost",
                        "minimum_wage"]


class CountryRequest(_Model):
    """A country of the country database (``GET /v1/countries``): its SDG 5.4.1 hours, their
    value and, for the country brief, the ILO-style care package."""

    iso3: Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")]
    year: Annotated[int | None, Field(ge=2000, le=2030, description=(
        "survey year (default the latest survey); for a country without a survey, the year "
        "valued with imputed hours (default 2015)"))] = None
    investment: bool = Field(default=True, description="add the ILO-style care package")


class ScenarioModel(_Model):
    """A care-investment scenario as JSON (the scenario TOML layout, without file references).

    The keys and ranges come from the one field specification
    (:mod:`carecost.investment.fields`, ``docs/scenario-reference.md``) that the TOML loader
    uses too; constraints between keys are checked by the loader
    (:func:`carecost.investment.scenario_from_dict`), with the same messages as for a file.
    """

    meta: MetaModel  # type: ignore[valid-type]
    services: Annotated[list[ServiceModel],  # type: ignore[valid-type]
                        Field(min_length=1, max_length=12)] | None = Field(
        None, description="The care services (1 to 12); required unless meta.preset "
                          "supplies them.")
    induced: InducedModel | None = None  # type: ignore[valid-type]
    comparison: ComparisonModel | None = None  # type: ignore[valid-type]
    macro: MacroModel | None = None  # type: ignore[valid-type]
    fiscal: FiscalModel | None = None  # type: ignore[valid-type]
    leave: Annotated[list[LeaveModel],  # type: ignore[valid-type]
                     Field(min_length=1, max_length=12)] | None = Field(
        None, description="Childcare-related leave entitlements (1 to 12 [[leave]] tables).")
    breastfeeding: BreastfeedingModel | None = None  # type: ignore[valid-type]

    def to_raw(self) -> dict[str, Any]:
        """The scenario as the dict :func:`carecost.investment.scenario_from_dict` reads."""
        return self.model_dump(mode="json", exclude_none=True)


class RangeModel(_Model):
    """An uncertain parameter of the Monte Carlo (see carecost.investment.ParameterRange)."""

    path: Annotated[str, Field(
        pattern=(r"^(macro\.[a-z_]{1,40}|fiscal\.[a-z_]{1,40}|services\.([A-Za-z][A-Za-z0-9_]"
                 r"{0,39}|\*)\.[a-z_]{1,40}|induced\.consumption_multiplier)$"),
        max_length=100)]
    low: Annotated[float, Field(ge=-1e16, le=1e16)]
    high: Annotated[float, Field(ge=-1e16, le=1e16)]
    mode: Annotated[float, Field(ge=-1e16, le=1e16)] | None = None
    dist: Literal["uniform", "triangular"] = "uniform"


class SimulateRequest(_Model):
    """A care-investment simulation: a registered scenario by name, or a scenario as JSON
    (not both).  Each of ``ranges`` must lie in its key's allowed values and contain the
    scenario's value of the key."""

    scenario_name: Name | None = Field(None, description="registered scenario (GET "
                                       "/v1/scenarios); default 'example'")
    scenario: ScenarioModel | None = None
    ranges: Annotated[list[RangeModel], Field(max_length=30)] | None = None
    draws: Draws = 2000
    seed: Seed = 0
    level: Level = 0.90
    year: Year | None = None

    @model_validator(mode="after")
    def _one_scenario(self) -> SimulateRequest:
        if self.scenario is not None and self.scenario_name is not None:
            raise ValueError("give either scenario_name or scenario, not both")
        return self


class ProblemItem(BaseModel):
    """One problem of a refused request."""

    where: str = Field(description="where the problem is: a dotted path into the request "
                       "(body.scenario.meta.base_year), a header, a URL path or 'connection'")
    message: str = Field(description="what is wrong and what to send instead")
    type: str | None = Field(None, description="the validation error's type (e.g. "
                             "int_type, missing, extra_forbidden), for invalid requests")
    got: bool | int | float | str | None = Field(
        None, description="the offending input, when it is a short scalar (never a large "
                          "input)")


class Problem(BaseModel):
    """The body of every error response (4xx and 5xx) the service writes itself."""

    error: str = Field(description="short kind of error: 'invalid request', 'invalid "
                       "input', 'http error', 'unauthorized', 'too many requests', "
                       "'request too large', 'data set unavailable', 'internal error', "
                       "'request timeout', 'bad request head', 'too many connections'")
    detail: list[ProblemItem] = Field(description="one item per problem (at most 20)")


def validation_message(err: Exception) -> str:
    """One readable line per problem of a pydantic ``ValidationError`` ("where: what")."""
    if not isinstance(err, ValidationError):
        return str(err)
    parts = []
    for e in err.errors()[:10]:
        where = ".".join(str(x) for x in e.get("loc", ())) or "(request)"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)

"""Request models of the HTTP service (pydantic): validated, bounded, no paths.

Every field has a type, a range and a length limit; unknown fields are
refused (``extra="forbid"``), and NaN or infinite numbers are refused
(``allow_inf_nan=False``), so a request that passes these models can only
name registered data sets and scenarios and carry bounded numbers.  The
scenario model mirrors the scenario TOML layout of
:func:`carecost.investment.load_scenario`, without its file references
(``population.file``, ``io.dataset``): a scenario sent over HTTP always uses
the population and input-output table of its registered country.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "GapRequest",
    "RangeModel",
    "ScenarioModel",
    "SimulateRequest",
    "ValueRequest",
    "validation_message",
]

NAME = r"^[a-z][a-z0-9_-]{0,39}$"
NAME_HELP = ("a registered name: 1-40 lowercase letters, digits, '-' or '_' (never a file "
             "path)")
Name = Annotated[str, Field(pattern=NAME, max_length=40, description=NAME_HELP)]
SectorCode = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$", max_length=16)]
ServiceName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$", max_length=40)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=1950, le=2100)]
Level = Annotated[float, Field(ge=0.5, le=0.999, description="confidence level, e.g. 0.95")]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]
Draws = Annotated[int, Field(ge=2, le=100_000, description="Monte Carlo draws (the server "
                             "may set a lower limit)")]
Money = Annotated[float, Field(gt=0.0, le=1e16)]
Persons = Annotated[float, Field(ge=0.0, le=1e10)]

_CFG = ConfigDict(extra="forbid", allow_inf_nan=False, str_max_length=200)


class _Model(BaseModel):
    model_config = _CFG


class GapRequest(_Model):
    """The unpaid-care gender gap with SDG 5.4.1 on a registered data set."""

    dataset: Name = "example"
    by: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]] = Field(
        default_factory=lambda: ["age_group"], max_length=2,
        description="up to 2 domain variables of the data set (see GET /v1/datasets)")
    y: Annotated[str, Field(pattern=r"^[A-Za-z0-9_ ,()-]{1,80}$")] = "unpaid_care_work"
    level: Level = 0.95


MethodName = Literal["generalist", "specialist", "hybrid", "minimum_wage"]


def _all_methods() -> list[MethodName]:
    return ["generalist", "specialist", "hybrid", "minimum_wage"]


class ValueRequest(_Model):
    """The value of unpaid work on a registered data set, by valuation method."""

    dataset: Name = "example"
    methods: list[MethodName] = Field(default_factory=lambda: _all_methods(), min_length=1,
                                      max_length=4)
    main: MethodName = "hybrid"
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


class MetaModel(_Model):
    """Scenario ``[meta]``: name, country data set, years and phase-in."""

    name: str = Field("scenario", max_length=200)
    country: Name = "example"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    base_year: Year
    target_year: Year
    end_year: Year | None = None
    phase_in: Literal["linear"] | Annotated[list[Share], Field(min_length=2, max_length=151)] \
        = "linear"


class InducedModel(_Model):
    method: Literal["type_ii", "multiplier", "none"] = "type_ii"
    consumption_multiplier: Annotated[float, Field(ge=1.0, le=10.0)] = 1.0


class ComparisonModel(_Model):
    sector: SectorCode | None = None


class StaffGradeModel(_Model):
    """One staff grade of a service's mix by qualification (``[[services.staff_grades]]``)."""

    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    share: Share
    wage_relative_to_average: Annotated[float, Field(gt=0.0, le=10.0)] | None = None
    wage: Money | None = None
    women_share: Share | None = None


class ServiceModel(_Model):
    """One care service (``[[services]]``); ranges as in the scenario TOML."""

    name: ServiceName
    kind: str = Field("care", max_length=40)
    ages: tuple[Annotated[int, Field(ge=0, le=120)], Annotated[int, Field(ge=0, le=120)]]
    need_rate: Share | Annotated[list[Share], Field(min_length=1, max_length=121)] = 1.0
    current_coverage: Share
    target_coverage: Share
    persons_per_staff: Annotated[float, Field(gt=0.0, le=1000.0)]
    service_hours_per_week: Annotated[float, Field(gt=0.0, le=168.0)] = 40.0
    staff_hours_per_week: Annotated[float, Field(gt=0.0, le=80.0)] = 40.0
    service_weeks_per_year: Annotated[float, Field(gt=0.0, le=53.0)] = 52.0
    staff_weeks_per_year: Annotated[float, Field(gt=0.0, le=53.0)] = 52.0
    non_care_staff_ratio: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    wage_relative_to_average: Annotated[float, Field(gt=0.0, le=10.0)] | None = None
    wage: Money | None = None
    wage_floor_relative_to_average: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    non_care_wage_relative_to_average: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    non_staff_cost_share: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0
    current_staff: Persons = 0.0
    current_spending_pct_gdp: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    replaced_spending_pct_gdp: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    capital_cost_per_place: Annotated[float, Field(ge=0.0, le=1e9)] = 0.0
    capital_sector: SectorCode | None = None
    parent_employment_per_person: Annotated[float, Field(ge=0.0, le=2.0)] = 0.0
    parent_women_share: Share = 1.0
    parent_earnings_relative_to_average: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    women_share: Share | None = None
    non_care_women_share: Share | None = None
    sector: SectorCode
    non_staff_inputs: Annotated[dict[SectorCode, Share], Field(max_length=50)] | None = None
    staff_grades: Annotated[list[StaffGradeModel], Field(min_length=1, max_length=12)] | None = None

    @model_validator(mode="after")
    def _checks(self) -> ServiceModel:
        if self.ages[1] < self.ages[0]:
            raise ValueError(f"ages = {list(self.ages)}: the last age is below the first")
        if self.target_coverage < self.current_coverage:
            raise ValueError(f"target_coverage = {self.target_coverage} is below "
                             f"current_coverage = {self.current_coverage}")
        if self.staff_grades is None and (self.wage is None) == (
                self.wage_relative_to_average is None):
            raise ValueError("give exactly one of wage_relative_to_average or wage")
        if self.parent_employment_per_person > 0 and self.parent_earnings_relative_to_average == 0:
            raise ValueError("parent_earnings_relative_to_average is missing but "
                             "parent_employment_per_person > 0")
        if self.capital_cost_per_place > 0 and self.capital_sector is None:
            raise ValueError("capital_sector is missing but capital_cost_per_place > 0")
        if self.replaced_spending_pct_gdp > self.current_spending_pct_gdp:
            raise ValueError(f"replaced_spending_pct_gdp = {self.replaced_spending_pct_gdp} "
                             f"exceeds current_spending_pct_gdp = "
                             f"{self.current_spending_pct_gdp}")
        return self


class MacroModel(_Model):
    """Overrides of the country's macro values (all optional)."""

    gdp: Money | None = None
    gdp_growth: Annotated[float, Field(ge=-0.5, le=0.5)] | None = None
    average_wage: Money | None = None
    real_wage_growth: Annotated[float, Field(ge=-0.5, le=0.5)] | None = None
    working_age_women: Annotated[float, Field(gt=0.0, le=1e10)] | None = None
    working_age_men: Annotated[float, Field(gt=0.0, le=1e10)] | None = None
    employed_women: Persons | None = None
    employed_men: Persons | None = None


class FiscalModel(_Model):
    """Overrides of the country's tax and benefit parameters (all optional)."""

    income_tax_rate: Share | None = None
    employee_contribution_rate: Share | None = None
    employer_contribution_rate: Annotated[float, Field(ge=0.0, le=2.0)] | None = None
    indirect_tax_rate: Share | None = None
    propensity_to_consume: Share | None = None
    share_from_unemployment: Share | None = None
    unemployment_benefit: Annotated[float, Field(ge=0.0, le=1e9)] | None = None


class ScenarioModel(_Model):
    """A care-investment scenario as JSON (the scenario TOML layout, without file references)."""

    meta: MetaModel
    induced: InducedModel = Field(default_factory=InducedModel)
    comparison: ComparisonModel = Field(default_factory=ComparisonModel)
    services: Annotated[list[ServiceModel], Field(min_length=1, max_length=12)]
    macro: MacroModel | None = None
    fiscal: FiscalModel | None = None

    @model_validator(mode="after")
    def _years(self) -> ScenarioModel:
        m = self.meta
        if m.target_year <= m.base_year:
            raise ValueError(f"meta.target_year = {m.target_year} must be after meta.base_year "
                             f"= {m.base_year}")
        if m.end_year is not None and m.end_year < m.target_year:
            raise ValueError(f"meta.end_year = {m.end_year} is before meta.target_year = "
                             f"{m.target_year}")
        names = [s.name for s in self.services]
        if len(set(names)) != len(names):
            raise ValueError(f"services names must be unique; got {names}")
        return self

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
    """A care-investment simulation: a registered scenario by name, or a scenario as JSON."""

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


def validation_message(err: Exception) -> str:
    """One readable line per problem of a pydantic ``ValidationError`` ("where: what")."""
    if not isinstance(err, ValidationError):
        return str(err)
    parts = []
    for e in err.errors()[:10]:
        where = ".".join(str(x) for x in e.get("loc", ())) or "(request)"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)

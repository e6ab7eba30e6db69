"""Care-investment scenarios: TOML files validated on load, and country parameter sets.

A scenario says which care services are extended (children 0–2, 3–5, older persons
needing long-term care, ...), from what current coverage to what target coverage by
which target year and along which phase-in path, with which staffing ratios, hours
and wages; and which country it applies to (macro, fiscal and population data, an
input–output table).  Country parameter sets are TOML files whose every number
carries its provenance (source, table, year, licence).

The structure follows the costing steps of the UN Women–ILO policy tool (UN Women and
ILO 2021, "A Guide to Public Investments in the Care Economy", steps 1–2: coverage gaps,
then costs from staff ratios and wages) and the ILO Care Policy Investment Simulator
(De Henau 2022; ILO 2022).

Every bad input raises :class:`~carecost.investment.InvestmentInputError` naming the
key, the value and the allowed range.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import itertools
import os
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._countries import (
    CARE_SECTOR,
    COMPARISON_SECTOR,
    DB,
    CountryDataWarning,
    CountryInputs,
    IOConversion,
    country_inputs,
    is_database_country,
    unknown_country,
)
from ._validate import (
    ExampleDataWarning,
    InvestmentInputError,
    as_integer,
    as_number,
    check_number_list,
    check_range,
    check_shares_sum_to_one,
    require,
)
from .fields import REFERENCE_PAGE, FieldSpec, check_joint, check_keys, fields_of
from .fields import field as spec_of
from .steps import persons_in_need, staff_grade_mean

__all__ = [
    "FIELD_RANGES",
    "PRESETS",
    "Breastfeeding",
    "Fiscal",
    "Leave",
    "Macro",
    "Scenario",
    "Service",
    "StaffGrade",
    "check_field",
    "check_population",
    "country_parameters",
    "example_scenario",
    "load_scenario",
    "preset_raw",
    "preset_sources",
    "scenario_from_dict",
]

DATA = resources.files("carecost.investment") / "data"
InducedMethod = Literal["type_ii", "multiplier", "none"]
Origin = Literal["scenario", "country dataset", "default", "preset"]

#: Tables whose numeric keys Monte Carlo and sensitivity ranges may vary.
RANGED_TABLES = ("services", "macro", "fiscal", "induced")


def _numeric_specs() -> dict[str, FieldSpec]:
    out: dict[str, FieldSpec] = {}
    for table in RANGED_TABLES:
        for name, spec in fields_of(table).items():
            if spec.type != "number":
                continue
            if name in out and out[name].bounds != spec.bounds:  # pragma: no cover - spec bug
                raise RuntimeError(f"{name}: different ranges in {out[name].table} and {table}")
            out[name] = spec
    return out


_NUMERIC = _numeric_specs()

#: Allowed range of every numeric scenario field: ``(low, high, low_open, high_open)``
#: (``None`` = unbounded), a view of :data:`carecost.investment.fields.FIELDS` (the one
#: specification, also behind the HTTP schema and ``docs/scenario-reference.md``).  Used when
#: a scenario is loaded and when Monte Carlo or sensitivity ranges are validated
#: (:class:`~carecost.investment.ParameterRange`), so a parameter can never be drawn outside
#: the values a scenario file may hold.  Constraints between keys are defined once in
#: :data:`carecost.investment.fields.JOINT` and checked on top (on load, on the ends of
#: Monte Carlo ranges, and draw by draw).
FIELD_RANGES: dict[str, tuple[float | None, float | None, bool, bool]] = {
    name: spec.bounds for name, spec in _NUMERIC.items()
}


def check_field(value: Any, key: str, field_name: str) -> float:
    """Check ``value`` against the allowed range of ``field_name`` (:data:`FIELD_RANGES`).

    Parameters
    ----------
    value : number
        Value to check.
    key : str
        Name used in the error message (e.g. ``"services.cc.persons_per_staff"``).
    field_name : str
        Key of :data:`FIELD_RANGES`.

    Returns
    -------
    float

    Raises
    ------
    InvestmentInputError
        Naming ``key``, ``value`` and the allowed interval (for a share given a value in
        (1, 100], also the value probably meant).

    Warns
    -----
    ImplausibleInputWarning
        For a ``_pct_gdp`` value above 5 (one service above 5 % of GDP).
    """
    spec = _NUMERIC.get(field_name)
    if spec is None:
        raise InvestmentInputError(
            f"{key}: {field_name!r} is not a numeric scenario field; allowed "
            f"{', '.join(sorted(FIELD_RANGES))} (see {REFERENCE_PAGE})"
        )
    return spec.check(value, key)


@dataclass(frozen=True)
class Service:
    """One care service to be extended.

    Attributes
    ----------
    name : str
        Identifier (e.g. ``"childcare_0_2"``).
    kind : str
        ``"childcare"``, ``"preschool"`` or ``"ltc"`` (descriptive).
    ages : (int, int)
        Inclusive single-year age range of the population concerned.
    need_rate : tuple of float
        Share of each single year of age needing the service (1 for childcare;
        dependency prevalence for long-term care), one value per age.
    current_coverage, target_coverage : float
        Share of persons in need who are covered, now (base year) and at the target year.
    persons_per_staff : float
        Children (persons) per full-time care worker while the service is open (> 0).
    service_hours_per_week, staff_hours_per_week : float
        Opening (care) hours per covered person and contractual hours of a full-time worker.
    service_weeks_per_year, staff_weeks_per_year : float, default 52
        Weeks a year the service is used by a covered person, and weeks a full-time worker
        works (net of paid leave, training and sickness days); staff FTE = persons / ratio *
        (service hours * service weeks) / (staff hours * staff weeks), so a service open 48
        weeks whose staff work 44 weeks needs 48/44 as many workers as the weekly ratio says.
    non_care_staff_ratio : float
        Other staff (management, cooks, cleaners) per care worker.
    wage_relative_to_average : float or None
        Care-worker gross annual wage as a multiple of the average wage.
    wage : float or None
        Care-worker gross annual wage in currency (instead of the relative wage).
    staff_grades : tuple of StaffGrade or None
        Optional staff mix by qualification, as given in the scenario (``[[services.
        staff_grades]]`` tables with ``name``, ``share`` of the care staff, a
        ``wage_relative_to_average`` or a ``wage``, and an optional ``women_share``).  The
        service's wage is then the share-weighted mean of the grades' wages (exact, since costs
        are linear in wages) and its women's share the share-weighted mean of theirs (a
        service-level ``women_share`` must then be absent or equal to it); shares must sum to
        1.  A wage floor cannot be combined with grades (give each grade's pay).  Monte Carlo
        and sensitivity ranges on ``wage_relative_to_average`` (or ``wage``) and
        ``women_share`` of a graded service vary these means, not the grades.
    wage_floor_relative_to_average : float or None
        Decent-work standard: wages are raised to at least this multiple of the average wage,
        for new and (via ``current_staff``) existing workers.
    non_care_wage_relative_to_average : float
        Gross wage of other staff relative to the average wage; required (> 0) when
        ``non_care_staff_ratio > 0`` (no silent wage of 0).
    non_staff_cost_share : float
        Share of recurrent cost that is not staff cost (in [0, 1)).
    current_staff : float
        Care workers (FTE) already employed; their pay rise to the floor is costed (also when
        the coverage gap is zero).
    current_spending_pct_gdp : float
        Current public spending on the service, % of GDP.
    replaced_spending_pct_gdp : float, default 0
        Part of the current spending that the new provision replaces (for example subsidies,
        vouchers or tax relief for private care that end when the care is provided free), % of
        GDP, at most ``current_spending_pct_gdp``.  It is saved in proportion to the phase-in
        path and counted against the gross cost in the net funding requirement ("whole-system"
        costings such as De Henau 2022 cost every covered person from ``current_coverage = 0``
        and net the subsidies that the system replaces).  Do not count spending on places
        that stay in ``current_coverage``: those places are not in the gross cost, so netting
        their funding would count it twice.
    capital_cost_per_place : float, default 0
        One-off capital cost (building, fitting out, equipment) of each new place, currency of
        the base year (constant prices).  A place is built when the number of persons covered
        beyond base-year coverage rises above its highest earlier level, so places left empty
        when the population falls are reused rather than rebuilt (UN Women and ILO 2021, step 2:
        capital investment in new facilities besides recurrent spending).
    capital_sector : str or None
        Input–output sector that supplies the capital spending (e.g. construction); required
        when ``capital_cost_per_place > 0``.  Its direct and indirect jobs are the
        ``jobs_capital`` of the results.
    parent_employment_per_person : float, default 0
        Additional employed parents (or other family carers) per newly covered person, in
        [0, 2]: the labour-supply effect of the service (e.g. 0.2 = one more employed parent
        for every five newly covered children).  It comes from an external study (an
        estimated employment elasticity or a microsimulation), never from carecost.
    parent_women_share : float, default 1
        Women's share of those parents.
    parent_earnings_relative_to_average : float
        Their gross annual earnings relative to the average wage (below 1 for part-time
        work); required when ``parent_employment_per_person > 0``.
    women_share, non_care_women_share : float
        Women's share of new care and other staff.
    sector : str
        Input–output sector whose input structure the non-staff spending follows.
    non_staff_inputs : dict or None
        Optional allocation of non-staff spending to supplying sectors (shares summing to 1);
        replaces the input structure of ``sector``.
    """

    name: str
    kind: str
    ages: tuple[int, int]
    need_rate: tuple[float, ...]
    current_coverage: float
    target_coverage: float
    persons_per_staff: float
    service_hours_per_week: float
    staff_hours_per_week: float
    non_care_staff_ratio: float
    wage_relative_to_average: float | None
    wage: float | None
    wage_floor_relative_to_average: float | None
    non_care_wage_relative_to_average: float
    non_staff_cost_share: float
    current_staff: float
    current_spending_pct_gdp: float
    women_share: float
    non_care_women_share: float
    sector: str
    non_staff_inputs: Mapping[str, float] | None = None
    service_weeks_per_year: float = 52.0
    staff_weeks_per_year: float = 52.0
    replaced_spending_pct_gdp: float = 0.0
    capital_cost_per_place: float = 0.0
    capital_sector: str | None = None
    parent_employment_per_person: float = 0.0
    parent_women_share: float = 1.0
    parent_earnings_relative_to_average: float = 0.0
    staff_grades: tuple[StaffGrade, ...] | None = None


@dataclass(frozen=True)
class StaffGrade:
    """One grade of a service's staff mix (``[[services.staff_grades]]``).

    Attributes
    ----------
    name : str
    share : float
        Share of the service's care staff (FTE), in [0, 1]; the grades' shares sum to 1.
    wage_relative_to_average, wage : float or None
        Gross annual pay relative to the average wage, or in currency (exactly one is set).
    women_share : float or None
        Women's share of the grade.
    """

    name: str
    share: float
    wage_relative_to_average: float | None
    wage: float | None
    women_share: float | None


@dataclass(frozen=True)
class Macro:
    """Macroeconomic and labour-market base-year values (currency, persons).

    Attributes
    ----------
    gdp : float
        Base-year GDP, currency per year.
    gdp_growth, real_wage_growth : float
        Real growth rates per year (shares).
    average_wage : float
        Average gross annual wage per full-time equivalent, currency (employer
        contributions excluded).
    working_age_women, working_age_men : float
        Working-age population (persons), held at its base-year level.
    employed_women, employed_men : float
        Base-year employment (persons).
    share_from_non_employment : float, default 1
        Share of the new jobs taken by people who were not employed before (unemployed or
        inactive); the rest are taken by people who change jobs and do not raise employment.
        Employment-rate changes are ``share_from_non_employment x new jobs / working-age
        population``, for women and men alike.  Must be at least
        ``fiscal.share_from_unemployment`` (the unemployed are among the non-employed).
        The default 1 (every new job raises employment by one person) is the usual
        assumption of macro-simulations of care investment; lower it when jobs are expected to
        be filled partly by people moving from other jobs.
    women_earnings_relative_to_average, men_earnings_relative_to_average : float or None
        Employed women's and men's mean gross earnings as multiples of ``average_wage``
        (the earnings that leave benefits and breastfeeding breaks replace); None when not
        set (they are required only by ``[[leave]]`` and ``[breastfeeding]``).
    """

    gdp: float
    gdp_growth: float
    average_wage: float
    real_wage_growth: float
    working_age_women: float
    working_age_men: float
    employed_women: float
    employed_men: float
    share_from_non_employment: float = 1.0
    women_earnings_relative_to_average: float | None = None
    men_earnings_relative_to_average: float | None = None


@dataclass(frozen=True)
class Fiscal:
    """Average effective tax and benefit parameters (rates as shares).

    Attributes
    ----------
    income_tax_rate, employee_contribution_rate : float
        Shares of gross wages (employer contributions excluded), in [0, 1].
    employer_contribution_rate : float
        Employer social contributions, share of gross wages, in [0, 2].
    indirect_tax_rate : float
        Indirect taxes (VAT, excises) as a share of household consumption at purchasers'
        prices, in [0, 1]; only ``1 - indirect_tax_rate`` of consumption spending reaches
        producers as demand.
    propensity_to_consume : float
        Share of disposable income spent on domestically produced goods and services, at
        purchasers' prices (net of imports and saving), in [0, 1].
    share_from_unemployment : float
        Share of new jobs taken by people previously on unemployment benefit, in
        ``[0, macro.share_from_non_employment]``.
    unemployment_benefit : float
        Benefit per unemployed person per year, base-year currency (grows with real wages).
    """

    income_tax_rate: float
    employee_contribution_rate: float
    employer_contribution_rate: float
    indirect_tax_rate: float
    propensity_to_consume: float
    share_from_unemployment: float
    unemployment_benefit: float

    @property
    def labour_tax_rate(self) -> float:
        """Income tax plus employee contributions, share of gross wages."""
        return self.income_tax_rate + self.employee_contribution_rate


@dataclass(frozen=True)
class Leave:
    """One childcare-related leave entitlement (a ``[[leave]]`` table).

    Attributes
    ----------
    name : str
        Identifier (default the kind, ``parental_mother`` / ``parental_father`` for
        parental leave).
    kind : {"maternity", "paternity", "parental"}
    parent : {"mother", "father"}
        Who takes it (maternity: the mother; paternity: the father).
    weeks, current_weeks : float
        Paid weeks per birth at the target and today [weeks].
    replacement_rate, current_replacement_rate : float
        Benefit as a share of the parent's previous earnings, target and today [share].
    ceiling_relative_to_average : float or None
        Ceiling of the benefit as annual earnings relative to the average wage (None: no
        ceiling), the same today and at the target.
    coverage, current_coverage : float
        Share of employed parents entitled (informal workers included), target and today.
    take_up : float
        Share of entitled parents who take the leave.
    employment_rate : float or None
        Employed parents per birth; None: the employment rate of the parent's sex
        (``macro.employed_* / macro.working_age_*``).
    """

    name: str
    kind: str
    parent: str
    weeks: float
    current_weeks: float
    replacement_rate: float
    current_replacement_rate: float
    ceiling_relative_to_average: float | None
    coverage: float
    current_coverage: float
    take_up: float
    employment_rate: float | None


@dataclass(frozen=True)
class Breastfeeding:
    """Paid breastfeeding breaks (the ``[breastfeeding]`` table).

    Attributes
    ----------
    minutes_per_day, current_minutes_per_day : float
        Paid break time per working day, target and today [minutes].
    months, current_months : float
        Months of paid breaks per birth after the return to work, target and today.
    hours_per_day : float
        Paid working hours per day of a full-time employed mother.
    coverage, current_coverage : float
        Share of employed mothers entitled (informal workers included), target and today.
    take_up : float
        Share of entitled mothers who breastfeed and take the breaks.
    employment_rate : float or None
        Employed mothers per birth; None: ``macro.employed_women / working_age_women``.
    """

    minutes_per_day: float
    current_minutes_per_day: float
    months: float
    current_months: float
    hours_per_day: float
    coverage: float
    current_coverage: float
    take_up: float
    employment_rate: float | None


@dataclass(frozen=True)
class InputSource:
    """Where one input of a :class:`Scenario` came from (a row of :meth:`Scenario.sources`).

    ``year`` is the year of the source observation and ``flag`` how the value was obtained
    (for inputs from the country database; empty otherwise).
    """

    input: str
    value: Any
    unit: str
    origin: Origin
    source: str
    example: bool = False
    year: int | None = None
    flag: str = ""


@dataclass(frozen=True)
class Scenario:
    """A validated care-investment scenario (see :func:`load_scenario`).

    Attributes
    ----------
    provenance : mapping
        ``country``, ``population_file`` and ``label`` (the country data set's label).
    input_sources : tuple of InputSource
        Where every input came from; see :meth:`sources`.
    data_warnings : tuple of str
        Warnings about the data, e.g. a real country's scenario that still uses the synthetic
        example input–output table (also given with :class:`~carecost.investment.
        ExampleDataWarning` when the scenario is loaded), or a country of the database whose
        input–output table is the rest-of-world fallback (given with
        :class:`~carecost.investment._countries.CountryDataWarning`).
    price_year : int or None
        For a country of the database (``meta.country`` an ISO3 code): the year whose prices
        the money values are at (the base year, or the last year with World Bank GDP when the
        base year is later); None otherwise (base-year prices).
    io_conversion : IOConversion or None
        For a country of the database: the input–output table used and its exchange rate
        (see :func:`carecost.investment.model.country_io_model`); None otherwise.
    leave : tuple of Leave
        Childcare-related leave entitlements (``[[leave]]``; empty when none).
    breastfeeding : Breastfeeding or None
        Paid breastfeeding breaks (``[breastfeeding]``), or None.
    preset : str or None
        The shipped policy package the scenario starts from (``meta.preset``), or None.
    """

    name: str
    country: str
    currency: str
    base_year: int
    target_year: int
    end_year: int
    phase_in: tuple[float, ...]
    macro: Macro
    fiscal: Fiscal
    induced: InducedMethod
    consumption_multiplier: float
    services: tuple[Service, ...]
    population: pd.DataFrame = field(repr=False, compare=False)
    comparison_sector: str | None = None
    io_dataset: str = "example"
    provenance: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    input_sources: tuple[InputSource, ...] = field(default=(), repr=False, compare=False)
    data_warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)
    price_year: int | None = None
    io_conversion: IOConversion | None = field(default=None, repr=False, compare=False)
    leave: tuple[Leave, ...] = ()
    breastfeeding: Breastfeeding | None = None
    preset: str | None = None

    def sources(self) -> pd.DataFrame:
        """Where every input came from, input by input.

        Returns
        -------
        pandas.DataFrame
            One row per input: ``input`` (e.g. ``"macro.gdp"``, ``"services.cc.wage"``,
            ``"population"``, ``"io"``), ``value`` (as used), ``unit``, ``origin``
            (``"scenario"``: set in the scenario; ``"country dataset"``: from the country data
            set named by ``meta.country``, or from the country database when it is an ISO3
            code; ``"default"``: the documented default of ``docs/scenario-reference.md``),
            ``source`` (the data set's source text for country-data-set values, the citation
            of the series and the rule for country-database values, the file for the
            population, the data-set name for the input–output table), ``year`` (year of the
            source observation, country database only), ``flag`` (how a country-database
            value was obtained: ``observed``, ``interpolated between …``, ``carried forward
            from …``, ``projected …``, ``derived …``, ``proxy …``, ``fallback …``) and
            ``example`` (True when the value comes from the synthetic example country).
        """
        out = pd.DataFrame(
            [dataclasses.asdict(s) for s in self.input_sources],
            columns=["input", "value", "unit", "origin", "source", "year", "flag", "example"],
        )
        out["year"] = out["year"].astype("Int64")
        return out

    @property
    def uses_example_data(self) -> bool:
        """Whether any input used comes from the synthetic example country (its macro or
        fiscal values, population or input–output table)."""
        return any(s.example for s in self.input_sources)

    @property
    def years(self) -> np.ndarray:
        """Simulated years, base to end year inclusive."""
        return np.arange(self.base_year, self.end_year + 1)

    def service(self, name: str) -> Service:
        """The service called ``name``."""
        for s in self.services:
            if s.name == name:
                return s
        raise InvestmentInputError(
            f"service = {name!r} not in scenario; allowed: {[s.name for s in self.services]}"
        )

    def need_population(self, service: Service) -> np.ndarray:
        """Persons needing ``service`` each year (population by age x need rate).

        Returns
        -------
        ndarray (n_years,)
            ``N_t = sum_a P_at r_a`` over the service's ages, persons.

        Raises
        ------
        InvestmentInputError
            If a ``(year, age)`` pair is duplicated or missing, or its population is not
            a number (naming the years and ages); nothing is summed or filled with 0.
        """
        lo, hi = service.ages
        pop = self.population
        sub = pop[(pop["age"] >= lo) & (pop["age"] <= hi) & pop["year"].isin(self.years)]
        dup = sub.duplicated(["year", "age"], keep=False)
        if dup.any():
            pairs = sorted({(int(y), int(a)) for y, a in sub.loc[dup, ["year", "age"]].values})
            raise InvestmentInputError(
                f"population has more than one row for (year, age) {pairs[:8]} "
                f"(services.{service.name}); allowed one row per year and age"
            )
        wide = sub.pivot(index="year", columns="age", values="population")
        wide = wide.reindex(index=self.years, columns=range(lo, hi + 1))
        vals = wide.to_numpy(dtype=float)
        if not np.all(np.isfinite(vals)):
            yi, ai = np.nonzero(~np.isfinite(vals))
            pairs = [(int(self.years[y]), lo + int(a)) for y, a in zip(yi, ai, strict=True)]
            raise InvestmentInputError(
                f"population is missing for (year, age) {pairs[:8]}"
                + (f" and {len(pairs) - 8} more" if len(pairs) > 8 else "")
                + f" (services.{service.name}); allowed a number >= 0 for every year "
                f"{self.base_year}–{self.end_year} and age {lo}–{hi}"
            )
        return persons_in_need(vals, service.need_rate)

    def births(self) -> np.ndarray:
        """Births per year, proxied by the population aged 0 (the base of leave and
        breastfeeding costs).

        Returns
        -------
        ndarray (n_years,)
            Persons aged 0 on 1 July of each year (UN WPP for a country of the database):
            the survivors of the births of the previous twelve months, so the births less
            the deaths in the first months of life (docs/methods.md §4.7) [persons/year].

        Raises
        ------
        InvestmentInputError
            If the population lacks age 0 in a simulated year (or repeats it).
        """
        pop = self.population
        sub = pop[(pop["age"] == 0) & pop["year"].isin(self.years)]
        if sub["year"].duplicated().any():
            raise InvestmentInputError(
                "population has more than one row for age 0 in years "
                f"{sorted(set(sub.loc[sub['year'].duplicated(), 'year'].astype(int)))} "
                "(births of [[leave]] / [breastfeeding]); allowed one row per year and age")
        by_year = sub.set_index("year")["population"].reindex(self.years)
        vals = by_year.to_numpy(dtype=float)
        if not np.all(np.isfinite(vals)):
            missing = [int(y) for y, v in zip(self.years, vals, strict=True)
                       if not np.isfinite(v)]
            raise InvestmentInputError(
                f"population lacks age 0 in years {missing}; the births of [[leave]] and "
                "[breastfeeding] are the population aged 0: give it for every year "
                f"{self.base_year}–{self.end_year}")
        return vals


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def _read_toml(path: str | os.PathLike[str] | Any) -> dict[str, Any]:
    try:
        with open(path, "rb") if not hasattr(path, "open") else path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvestmentInputError(f"{path}: not valid TOML ({exc})") from exc


def _country_files() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in (DATA / "countries").iterdir()
                  if p.name.endswith(".toml"))


def _country_file(country: str) -> Any:
    ref = DATA / "countries" / f"{country}.toml"
    if not ref.is_file():
        raise InvestmentInputError(
            f"country = {country!r} has no dataset; allowed: {_country_files()} or an ISO3 "
            "code of carecost.countries.available()")
    return ref


def country_parameters(country: str = "example") -> pd.DataFrame:
    """A country parameter set with the provenance of every number.

    Parameters
    ----------
    country : str, default ``"example"``
        Dataset name in ``carecost/investment/data/countries``; ``"example"`` is a
        synthetic, clearly labelled example country (not real data).

    Returns
    -------
    pandas.DataFrame
        One row per parameter: ``section, key, value, unit, source, table, year, licence``.
    """
    raw = _read_toml(_country_file(country))
    rows = []
    for section in ("macro", "fiscal"):
        for key, spec in raw.get(section, {}).items():
            rows.append(
                {
                    "section": section,
                    "key": key,
                    "value": spec.get("value"),
                    "unit": spec.get("unit", ""),
                    "source": spec.get("source", ""),
                    "table": spec.get("table", ""),
                    "year": spec.get("year"),
                    "licence": spec.get("licence", ""),
                }
            )
    return pd.DataFrame(rows)


def _values(section: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (v["value"] if isinstance(v, Mapping) and "value" in v else v)
        for k, v in section.items()
    }


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario TOML file.

    Parameters
    ----------
    path : path
        Scenario file.  Relative ``population.file`` paths are resolved against its folder.

    Returns
    -------
    Scenario

    Raises
    ------
    InvestmentInputError
        Naming the key, the value and the allowed range of the first bad input.

    Examples
    --------
    >>> from carecost.investment import example_scenario
    >>> scn = example_scenario()
    >>> scn.target_year
    2035
    """
    p = Path(path)
    return scenario_from_dict(_read_toml(p), base_dir=p.parent)


EXAMPLE_SCENARIOS = {
    "basic": "example_universal_care_2035.toml",
    "extended": "example_extended_2035.toml",
}


def example_scenario(variant: str = "basic") -> Scenario:
    """A shipped example scenario for the synthetic example country.

    Parameters
    ----------
    variant : {"basic", "extended"}
        ``"basic"``: childcare and long-term care expansion by 2035 (the main job's scenario);
        ``"extended"``: the same with every optional costing input (annual weeks, staff
        grades, capital costs of new places, replaced spending, parents' labour supply).
    """
    if variant not in EXAMPLE_SCENARIOS:
        raise InvestmentInputError(
            f"variant = {variant!r}; allowed {', '.join(map(repr, EXAMPLE_SCENARIOS))}"
        )
    ref = DATA / "scenarios" / EXAMPLE_SCENARIOS[variant]
    return scenario_from_dict(_read_toml(ref), base_dir=None)


def _phase(meta: Mapping[str, Any], base: int, target: int, end: int) -> tuple[float, ...]:
    spec = meta.get("phase_in", "linear")
    years = np.arange(base, end + 1)
    if spec == "linear":
        return tuple(float(v) for v in np.clip((years - base) / (target - base), 0.0, 1.0))
    if isinstance(spec, str):
        raise InvestmentInputError(
            f"meta.phase_in = {spec!r}; allowed 'linear' or a list of {len(years)} shares "
            f"(one per year {base}–{end})"
        )
    vals = check_number_list(spec, "meta.phase_in")
    if len(vals) != len(years):
        raise InvestmentInputError(
            f"meta.phase_in has {len(vals)} values; allowed exactly {len(years)} "
            f"(one per year {base}–{end})"
        )
    share = spec_of("meta", "phase_in")
    for i, v in enumerate(vals):
        share.check(v, f"meta.phase_in[{i}] (year {base + i})")
    if any(b < a - 1e-12 for a, b in itertools.pairwise(vals)):
        raise InvestmentInputError(f"meta.phase_in = {vals} must be non-decreasing")
    if abs(vals[target - base] - 1.0) > 1e-9:
        raise InvestmentInputError(
            f"meta.phase_in[{target - base}] (target year {target}) = {vals[target - base]}; "
            "allowed: 1 (the target is reached in the target year)"
        )
    return tuple(vals)


def _num(raw: Mapping[str, Any], table: str, key: str, where: str) -> float:
    """``raw[key]`` (or the key's default) checked against the specification."""
    spec = spec_of(table, key)
    value = require(raw, key, where) if spec.required else raw.get(key, spec.default)
    return spec.check(value, f"{where}.{key}")


def _text(raw: Mapping[str, Any], table: str, key: str, where: str) -> str | None:
    """``raw[key]`` as text (None when absent and not required), checked against the
    specification's pattern."""
    import re

    spec = spec_of(table, key)
    value = require(raw, key, where) if spec.required else raw.get(key, spec.default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvestmentInputError(
            f"{where}.{key} = {value!r} is not a text; allowed {spec.description.rstrip('.')} "
            f"(see {REFERENCE_PAGE})"
        )
    text = str(value)
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        raise InvestmentInputError(
            f"{where}.{key} = {value!r} does not match the pattern {spec.pattern} "
            f"({spec.unit or spec.description.rstrip('.')}; see {REFERENCE_PAGE})"
        )
    return text


#: Service keys set by the loader itself (structured, nullable or derived from staff grades);
#: every other numeric key of ``fields_of("services")`` is read by its specification alone.
_SERVICE_SPECIAL = frozenset({
    "wage_relative_to_average", "wage", "wage_floor_relative_to_average", "women_share",
    "non_care_women_share",
})


def _service(raw: Mapping[str, Any], i: int, log: list[InputSource],
             default_sector: str | None = None) -> Service:
    where = f"services[{i}]"
    if not isinstance(raw, Mapping):
        raise InvestmentInputError(
            f"{where} = {raw!r} is not a table; write each service as a [[services]] table"
        )
    name = str(_text(raw, "services", "name", where))
    w = f"services.{name}"
    check_keys(raw, "services", w)
    given = dict(raw)
    derived: set[str] = set()

    ages_raw = require(raw, "ages", w)
    if not isinstance(ages_raw, list) or len(ages_raw) != 2:
        raise InvestmentInputError(f"{w}.ages = {ages_raw!r}; allowed [first_age, last_age]")
    lo = as_integer(ages_raw[0], f"{w}.ages[0]")  # [0.5, 2] is refused, not truncated
    check_range(lo, f"{w}.ages[0]", low=0, high=120)
    hi = as_integer(ages_raw[1], f"{w}.ages[1]")
    check_range(hi, f"{w}.ages[1]", low=lo, high=120)
    nr = raw.get("need_rate", 1.0)
    if isinstance(nr, list):
        rates = check_number_list(nr, f"{w}.need_rate")
        if len(rates) != hi - lo + 1:
            raise InvestmentInputError(
                f"{w}.need_rate has {len(rates)} values; allowed a number or {hi - lo + 1} values "
                f"(ages {lo}–{hi})"
            )
    else:
        rates = [as_number(nr, f"{w}.need_rate")] * (hi - lo + 1)
    need_spec = spec_of("services", "need_rate")
    need = tuple(need_spec.check(r, f"{w}.need_rate") for r in rates)
    # every numeric key with a default or required: read from the specification alone
    numbers = {
        key: _num(raw, "services", key, w)
        for key, spec in fields_of("services").items()
        if spec.type == "number" and spec.default is not None and key not in _SERVICE_SPECIAL
    }
    wage_rel = raw.get("wage_relative_to_average")
    wage_abs = raw.get("wage")
    grades = _staff_grades(raw.get("staff_grades"), w)
    if grades is not None:
        for key in ("wage_relative_to_average", "wage", "wage_floor_relative_to_average"):
            if raw.get(key) is not None:
                raise InvestmentInputError(
                    f"{w}.{key} = {raw.get(key)!r} with {w}.staff_grades; give the pay in the "
                    "grades only (the service's wage is their share-weighted mean)"
                )
        shares = [g["share"] for g in grades]
        mean = staff_grade_mean(shares, [g["pay"] for g in grades])
        if grades[0]["relative"]:
            wage_rel = mean
            derived.add("wage_relative_to_average")
        else:
            wage_abs = mean
            derived.add("wage")
        if all(g["women_share"] is not None for g in grades):
            derived_women = staff_grade_mean(shares, [g["women_share"] for g in grades])
            given_women = raw.get("women_share")
            if given_women is not None and abs(
                as_number(given_women, f"{w}.women_share") - derived_women
            ) > 1e-6:
                raise InvestmentInputError(
                    f"{w}.women_share = {given_women!r} differs from the share-weighted women's "
                    f"share of {w}.staff_grades ({derived_women:.6g}); give one or the other"
                )
            raw = {**raw, "women_share": derived_women}
            derived.add("women_share")
        elif raw.get("women_share") is None:
            raise InvestmentInputError(
                f"{w}.women_share is missing: give it, or a women_share in every "
                f"{w}.staff_grades table"
            )
    if (wage_rel is None) == (wage_abs is None):
        raise InvestmentInputError(
            f"{w}: give exactly one of wage_relative_to_average or wage; got "
            f"wage_relative_to_average = {wage_rel!r}, wage = {wage_abs!r}"
        )
    floor = raw.get("wage_floor_relative_to_average")
    women = _num(raw, "services", "women_share", w) if raw.get("women_share") is not None \
        else require(raw, "women_share", w)
    nsi_raw = raw.get("non_staff_inputs")
    if nsi_raw is not None and not isinstance(nsi_raw, Mapping):
        raise InvestmentInputError(
            f"{w}.non_staff_inputs = {nsi_raw!r}; allowed a table of sector = share"
        )
    nsi = None if nsi_raw is None else check_shares_sum_to_one(nsi_raw, f"{w}.non_staff_inputs")
    non_care_women = raw.get("non_care_women_share")

    def optional(key: str, value: Any) -> float | None:
        return None if value is None else check_field(value, f"{w}.{key}", key)

    svc = Service(
        name=name,
        kind=str(_text(raw, "services", "kind", w)),
        ages=(lo, hi),
        need_rate=need,
        wage_relative_to_average=optional("wage_relative_to_average", wage_rel),
        wage=optional("wage", wage_abs),
        wage_floor_relative_to_average=optional("wage_floor_relative_to_average", floor),
        women_share=women,
        non_care_women_share=women if non_care_women is None
        else check_field(non_care_women, f"{w}.non_care_women_share", "non_care_women_share"),
        sector=_sector(raw, w, default_sector),
        non_staff_inputs=nsi,
        capital_sector=_text(raw, "services", "capital_sector", w),
        staff_grades=(
            None
            if grades is None
            else tuple(
                StaffGrade(
                    name=g["name"],
                    share=g["share"],
                    wage_relative_to_average=g["pay"] if g["relative"] else None,
                    wage=None if g["relative"] else g["pay"],
                    women_share=g["women_share"],
                )
                for g in grades
            )
        ),
        **numbers,
    )
    check_joint("services", lambda key: (f"{w}.{key.split('.', 1)[1]}",
                                         getattr(svc, key.split(".", 1)[1])), given=given)
    for key, spec in fields_of("services").items():
        if spec.type not in ("number", "text", "share_or_list") or key == "name":
            continue
        value = getattr(svc, key)
        if value is None:
            continue
        origin: Origin
        if key in derived:
            origin, src = "scenario", f"share-weighted mean of {w}.staff_grades"
        elif key in given:
            origin, src = "scenario", ""
        elif key == "sector":
            origin, src = "country dataset", (
                f"{DB}: the country's care industry (WIOD {CARE_SECTOR}, Health and social "
                "work, NACE N)")
        else:
            origin, src = "default", f"default ({REFERENCE_PAGE})"
        if key == "need_rate" and len(set(value)) == 1:
            value = value[0]
        log.append(InputSource(f"{w}.{key}", value, spec.unit, origin, src))
    return svc


def _sector(raw: Mapping[str, Any], w: str, default: str | None) -> str:
    """``services.<name>.sector``: required, except for a country of the database (its care
    industry)."""
    if "sector" not in raw and default is not None:
        return default
    if "sector" not in raw:
        raise InvestmentInputError(
            f"{w}.sector is missing (required: the input–output sector whose input structure "
            "the non-staff spending follows; a country of the database defaults to its care "
            f"industry {CARE_SECTOR})")
    return str(_text(raw, "services", "sector", w))


_GRADE_HELP = "name, share, wage_relative_to_average or wage, women_share"


def _staff_grades(value: Any, w: str) -> list[dict[str, Any]] | None:
    """Validate ``services.<name>.staff_grades`` (None when absent)."""
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(g, Mapping) for g in value):
        raise InvestmentInputError(
            f"{w}.staff_grades = {value!r}; allowed a non-empty list of tables with name, share "
            "and wage_relative_to_average (or wage)"
        )
    out: list[dict[str, Any]] = []
    for i, g in enumerate(value):
        where = f"{w}.staff_grades[{i}]"
        check_keys(g, "services.staff_grades", where)
        rel, abs_ = g.get("wage_relative_to_average"), g.get("wage")
        if (rel is None) == (abs_ is None):
            raise InvestmentInputError(
                f"{where}: give exactly one of wage_relative_to_average or wage; got "
                f"wage_relative_to_average = {rel!r}, wage = {abs_!r}"
            )
        pay = (
            _num(g, "services.staff_grades", "wage_relative_to_average", where)
            if rel is not None
            else _num(g, "services.staff_grades", "wage", where)
        )
        ws = g.get("women_share")
        name = g.get("name")
        if name is None:
            name = f"grade {i + 1}"
        if not isinstance(name, str) or not name.strip():
            raise InvestmentInputError(f"{where}.name = {name!r}; allowed a non-empty text")
        if name in {x["name"] for x in out}:
            raise InvestmentInputError(
                f"{where}.name = {name!r} repeats an earlier grade; allowed distinct names"
            )
        out.append(
            {
                "name": name,
                "share": _num(g, "services.staff_grades", "share", where),
                "pay": pay,
                "relative": rel is not None,
                "women_share": None if ws is None
                else _num(g, "services.staff_grades", "women_share", where),
            }
        )
    if len({g["relative"] for g in out}) > 1:
        raise InvestmentInputError(
            f"{w}.staff_grades mix wage_relative_to_average and wage; give every grade's pay the "
            "same way"
        )
    total = float(sum(float(g["share"]) for g in out))
    if abs(total - 1.0) > 1e-6:
        raise InvestmentInputError(
            f"{w}.staff_grades shares sum to {total:.10g}; allowed: they must sum to 1 "
            "(within 1e-6)"
        )
    return out


#: Target key >= current key, checked for every [[leave]] and for [breastfeeding].
_NOT_BELOW: dict[str, tuple[tuple[str, str], ...]] = {
    "leave": (("weeks", "current_weeks"), ("replacement_rate", "current_replacement_rate"),
              ("coverage", "current_coverage")),
    "breastfeeding": (("minutes_per_day", "current_minutes_per_day"),
                      ("months", "current_months"), ("coverage", "current_coverage")),
}


def _numbers(raw: Mapping[str, Any], table: str, where: str) -> dict[str, float | None]:
    """Every numeric key of ``table``: given, its default, or None when absent and unset."""
    out: dict[str, float | None] = {}
    for key, spec in fields_of(table).items():
        if spec.type != "number":
            continue
        if raw.get(key) is None and spec.default is None:
            out[key] = None
        else:
            out[key] = _num(raw, table, key, where)
    for target, current in _NOT_BELOW[table]:
        tv, cv = out[target], out[current]
        if tv is not None and cv is not None and tv < cv:
            raise InvestmentInputError(
                f"{where}.{target} = {raw.get(target)!r} is below {current} = {cv:g}; allowed "
                f"range [{cv:g}, {fields_of(table)[target].high:g}] (the target entitlement "
                f"cannot be below today's; see {REFERENCE_PAGE})")
    return out


def _log_table(raw: Mapping[str, Any], table: str, where: str, obj: Any,
               log: list[InputSource]) -> None:
    for key, spec in fields_of(table).items():
        value = getattr(obj, key, None)
        if value is None or spec.type != "number":
            continue
        given = key in raw
        log.append(InputSource(f"{where}.{key}", value, spec.unit,
                               "scenario" if given else "default",
                               "" if given else f"default ({REFERENCE_PAGE})"))


def _leave(value: Any, log: list[InputSource]) -> tuple[Leave, ...]:
    """Validate the ``[[leave]]`` tables (empty when absent)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(x, Mapping) for x in value):
        raise InvestmentInputError(
            f"leave = {value!r}; allowed an array of [[leave]] tables with kind, weeks and "
            f"replacement_rate (see {REFERENCE_PAGE})")
    out: list[Leave] = []
    for i, raw in enumerate(value):
        where = f"leave[{i}]"
        check_keys(raw, "leave", where)
        kind = require(raw, "kind", where)
        kinds = spec_of("leave", "kind").choices
        if kind not in kinds:
            raise InvestmentInputError(
                f"{where}.kind = {kind!r}; allowed {', '.join(map(repr, kinds))}")
        parent = raw.get("parent")
        implied = {"maternity": "mother", "paternity": "father"}.get(kind)
        if parent is None:
            if implied is None:
                raise InvestmentInputError(
                    f"{where}.parent is missing: parental leave needs parent = 'mother' or "
                    "'father' (one [[leave]] table for each)")
            parent = implied
        if parent not in ("mother", "father"):
            raise InvestmentInputError(
                f"{where}.parent = {parent!r}; allowed 'mother' or 'father'")
        if implied is not None and parent != implied:
            raise InvestmentInputError(
                f"{where}.parent = {parent!r} with kind = {kind!r}; {kind} leave is the "
                f"{implied}'s (use kind = 'parental' for the other parent)")
        name = _text(raw, "leave", "name", where) or (
            kind if kind != "parental" else f"parental_{parent}")
        w = f"leave.{name}"
        if name in {x.name for x in out}:
            raise InvestmentInputError(
                f"{w}: the name {name!r} repeats an earlier [[leave]] table; allowed distinct "
                "names (set name = ... in each)")
        nums = _numbers(raw, "leave", w)
        entry = Leave(name=name, kind=str(kind), parent=str(parent), **nums)  # type: ignore[arg-type]
        log.append(InputSource(f"{w}.kind", kind, "", "scenario", ""))
        log.append(InputSource(f"{w}.parent", parent, "", "scenario" if "parent" in raw
                               else "default", "" if "parent" in raw else f"the kind ({kind})"))
        _log_table(raw, "leave", w, entry, log)
        out.append(entry)
    return tuple(out)


def _breastfeeding(value: Any, log: list[InputSource]) -> Breastfeeding | None:
    """Validate the ``[breastfeeding]`` table (None when absent)."""
    if value is None:
        return None
    check_keys(value, "breastfeeding", "breastfeeding")
    nums = _numbers(value, "breastfeeding", "breastfeeding")
    for key in ("minutes_per_day", "months"):
        if nums[key] is None:
            require(value, key, "breastfeeding")
    out = Breastfeeding(**nums)  # type: ignore[arg-type]
    _log_table(value, "breastfeeding", "breastfeeding", out, log)
    return out


#: The shipped policy packages (``meta.preset``): file names under ``data/presets``.
PRESETS = ("ilo-2035", "ilo-2050")


def preset_raw(preset: str) -> dict[str, Any]:
    """The scenario tables of a shipped preset (``data/presets/<preset>.toml``).

    Parameters
    ----------
    preset : {"ilo-2035", "ilo-2050"}

    Returns
    -------
    dict
        The parsed preset: ``meta`` (years, name), ``services``, ``leave``,
        ``breastfeeding``; its ``sources`` table (the source of every value) removed.

    Raises
    ------
    InvestmentInputError
        For an unknown preset (naming the shipped ones).
    """
    if preset not in PRESETS:
        raise InvestmentInputError(
            f"meta.preset = {preset!r}; allowed {', '.join(map(repr, PRESETS))}")
    raw = copy.deepcopy(_preset_file(preset))
    raw.pop("sources", None)
    return raw


@functools.cache
def _preset_file(preset: str) -> dict[str, Any]:
    """The parsed preset file (read once per process; callers copy it)."""
    return _read_toml(DATA / "presets" / f"{preset}.toml")


def preset_sources(preset: str) -> dict[str, str]:
    """The source of every value of a shipped preset, by key path (``services.ecce_3_5.
    persons_per_staff``, ``leave.maternity.weeks``, ``breastfeeding.months``, ``meta.
    target_year``); the same text is in ``docs/methods.md`` §4.8."""
    preset_raw(preset)  # the name is checked
    return {str(k): str(v) for k, v in _preset_file(preset).get("sources", {}).items()}


def _from_preset(rows: list[InputSource], preset: str, file_raw: Mapping[str, Any]
                 ) -> list[InputSource]:
    """Rows of values the preset supplied (not set in the file): origin ``preset`` and the
    preset's source."""
    given: set[str] = set()
    for table in ("services", "leave"):
        for entry in file_raw.get(table, []) or []:
            if not isinstance(entry, Mapping):
                continue
            name = entry.get("name")
            if table == "leave" and name is None:
                kind = entry.get("kind")
                name = kind if kind != "parental" else f"parental_{entry.get('parent')}"
            given |= {f"{table}.{name}.{k}" for k in entry}
    bf = file_raw.get("breastfeeding")
    if isinstance(bf, Mapping):
        given |= {f"breastfeeding.{k}" for k in bf}
    sources = preset_sources(preset)
    return [dataclasses.replace(r, origin="preset", source=f"preset {preset}: {sources[r.input]}")
            if r.input in sources and r.input not in given else r for r in rows]


def _merge_named(base: list[Any], over: Any, table: str) -> list[Any]:
    """``[[table]]`` entries: the file's entries override the preset's of the same name key by
    key; entries with other names are added."""
    if not isinstance(over, list):
        raise InvestmentInputError(
            f"{table} = {over!r}; allowed an array of [[{table}]] tables")
    out = [dict(x) for x in base]

    def name_of(entry: Mapping[str, Any]) -> Any:
        if table == "leave" and "name" not in entry:
            kind, parent = entry.get("kind"), entry.get("parent")
            return kind if kind != "parental" else f"parental_{parent}"
        return entry.get("name")

    index = {name_of(x): i for i, x in enumerate(out)}
    for entry in over:
        if not isinstance(entry, Mapping):
            raise InvestmentInputError(f"{table} entry {entry!r} is not a table")
        key = name_of(entry)
        if key in index:
            out[index[key]] = {**out[index[key]], **entry}
        else:
            out.append(dict(entry))
    return out


def _with_preset(raw: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The scenario with its ``meta.preset`` filled in (the file overrides the preset)."""
    meta = raw.get("meta")
    preset = meta.get("preset") if isinstance(meta, Mapping) else None
    if preset is None:
        return dict(raw), None
    base = preset_raw(str(preset))
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, Mapping) else v)
                           for k, v in base.items()}
    for key, value in raw.items():
        if key in ("services", "leave") and key in out:
            out[key] = _merge_named(out[key], value, key)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out, str(preset)


def _macro(v: Mapping[str, Any]) -> Macro:
    return Macro(**{key: _num(v, "macro", key, "macro") for key, spec in fields_of("macro").items()
                    if spec.default is not None or v.get(key) is not None})


def _fiscal(v: Mapping[str, Any]) -> Fiscal:
    return Fiscal(**{key: _num(v, "fiscal", key, "fiscal") for key in fields_of("fiscal")})


def _lines(pop: pd.DataFrame, mask: Any, limit: int = 8) -> str:
    """File lines (header = line 1) and (year, age) of the rows in ``mask``, for messages."""
    pos = np.nonzero(np.asarray(mask, dtype=bool))[0]
    years, ages = pop["year"].to_numpy(), pop["age"].to_numpy()
    parts = [f"line {k + 2} (year {years[k]!s}, age {ages[k]!s})" for k in pos[:limit]]
    more = f" and {len(pos) - limit} more" if len(pos) > limit else ""
    return "; ".join(parts) + more


def check_population(pop: pd.DataFrame, where: str = "population.file") -> pd.DataFrame:
    """Validate a population table (``year, age, population``, one row per year and age).

    Parameters
    ----------
    pop : pandas.DataFrame
        Persons by calendar year and single year of age.
    where : str
        Name of the table in error messages.

    Returns
    -------
    pandas.DataFrame
        ``year`` and ``age`` as integers, ``population`` (persons) as float.

    Raises
    ------
    InvestmentInputError
        If a column is missing; if a ``year``, ``age`` or ``population`` cell is empty
        (NaN) or not a number; if years or ages are not whole numbers or a population is
        negative; or if a ``(year, age)`` pair occurs more than once.  The message names the
        rows (file line, year, age).  Missing values are never read as 0 and duplicated
        rows are never summed.
    """
    need = ["year", "age", "population"]
    if not set(need).issubset(pop.columns):
        raise InvestmentInputError(f"{where} has columns {list(pop.columns)}; required {need}")
    out = pop.copy()
    for col in need:
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            raise InvestmentInputError(
                f"{where}: {col} is missing or not a number in {_lines(out, bad)}; allowed a "
                "finite number in every row (missing values are not read as 0)"
            )
        out[col] = values.astype(float)
    for col in ("year", "age"):
        frac = out[col] != np.round(out[col])
        if frac.any():
            raise InvestmentInputError(
                f"{where}: {col} is not a whole number in {_lines(out, frac)}"
            )
        out[col] = out[col].astype(int)
    neg = out["population"] < 0
    if neg.any():
        raise InvestmentInputError(
            f"{where}: negative population in {_lines(out, neg)}; allowed >= 0"
        )
    dup = out.duplicated(["year", "age"], keep=False)
    if dup.any():
        raise InvestmentInputError(
            f"{where}: (year, age) occurs more than once in {_lines(out, dup)}; allowed one row "
            "per year and single year of age (rows are not summed)"
        )
    return out


def _population(
    spec: Mapping[str, Any],
    base_dir: Path | None,
    country_raw: Mapping[str, Any],
) -> tuple[pd.DataFrame, str, bool]:
    """The population table, its file name, and whether it came from the country data set."""
    file = spec.get("file") if spec else None
    from_country = file is None
    if file is None:
        file = country_raw.get("population_file")
        if file is None:
            raise InvestmentInputError(
                "population.file is missing and the country dataset has none"
            )
        ref: Any = DATA / "countries" / str(file)
    else:
        if not isinstance(file, str) or not file:
            raise InvestmentInputError(
                f"population.file = {file!r}; allowed the name of a CSV file (year, age, "
                f"population)"
            )
        ref = Path(file) if Path(file).is_absolute() or base_dir is None else base_dir / file
    try:
        with ref.open("rb") as fh:
            pop = pd.read_csv(fh)
    except FileNotFoundError as exc:
        raise InvestmentInputError(f"population.file = {str(file)!r} not found") from exc
    return check_population(pop, f"population.file {str(file)!r}"), str(file), from_country


_COUNTRY_KEYS = ("label", "currency", "population_file", "io_dataset", "synthetic", "macro",
                 "fiscal")
_COUNTRY_ENTRY = ("value", "unit", "source", "table", "year", "licence")


def _check_country(raw: Mapping[str, Any], country: str) -> None:
    """Unknown keys of a country data set are errors, as in a scenario."""
    where = f"country data set {country!r}"
    for key in raw:
        if key not in _COUNTRY_KEYS:
            close = difflib.get_close_matches(key, _COUNTRY_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else \
                f"allowed keys: {', '.join(_COUNTRY_KEYS)}"
            raise InvestmentInputError(f"{where}: unknown key {key!r}; {hint}")
    for table in ("macro", "fiscal"):
        section = raw.get(table, {})
        check_keys(section, table, f"{where}: {table}")
        for key, entry in section.items():
            if isinstance(entry, Mapping):
                for k in entry:
                    if k not in _COUNTRY_ENTRY:
                        close = difflib.get_close_matches(k, _COUNTRY_ENTRY, n=1)
                        hint = f"did you mean {close[0]!r}?" if close else \
                            f"allowed keys: {', '.join(_COUNTRY_ENTRY)}"
                        raise InvestmentInputError(
                            f"{where}: {table}.{key}: unknown key {k!r}; {hint}"
                        )


def _table(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The scenario's ``[name]`` table (empty when absent), its keys checked."""
    value = raw.get(name, {})
    check_keys(value, name, name)
    return value


def _year(meta: Mapping[str, Any], key: str, low: int, high: int, default: Any = None) -> int:
    value = meta.get(key, default) if default is not None else require(meta, key, "meta")
    # an integer or a float without a decimal part (2025.0); 2025.7 is refused with a hint
    year = as_integer(value, f"meta.{key}")
    check_range(year, f"meta.{key}", low=low, high=high)
    return year


def scenario_from_dict(
    raw: Mapping[str, Any],
    base_dir: str | os.PathLike[str] | None = None,
    *,
    allow_file_references: bool = True,
) -> Scenario:
    """Validate a parsed scenario (same schema as the TOML file) and build a :class:`Scenario`.

    Macro and fiscal values come from the country dataset named by ``meta.country`` and are
    overridden by the scenario's own ``[macro]`` and ``[fiscal]`` tables.  Every key is
    checked against :data:`carecost.investment.fields.FIELDS` (``docs/scenario-reference.md``):
    an unknown key anywhere is an error naming the table and the closest valid key.

    Parameters
    ----------
    raw : mapping
        The parsed scenario.
    base_dir : path, optional
        Folder against which a relative ``population.file`` is resolved.
    allow_file_references : bool, default True
        False refuses ``population``, ``io`` and ``meta.use_country_dataset`` (the keys a
        scenario sent over HTTP may not hold: it uses its registered country's population and
        input–output table).

    Returns
    -------
    Scenario

    Raises
    ------
    InvestmentInputError
        Naming the key, the value and the allowed range of the first bad input.

    Warns
    -----
    ExampleDataWarning
        When the scenario supplies its own country's inputs but still uses an input of the
        synthetic example country (e.g. its input–output table); the messages are also in
        :attr:`Scenario.data_warnings`.
    ImplausibleInputWarning
        For an allowed but implausible value (a service above 5 % of GDP).
    """
    if not isinstance(raw, Mapping):
        raise InvestmentInputError(f"scenario = {raw!r} is not a table of tables")
    check_keys(raw, "top", "scenario")
    if not allow_file_references:
        for key in ("population", "io"):
            if key in raw:
                raise InvestmentInputError(
                    f"scenario: key {key!r} is not allowed here (a scenario sent as JSON uses "
                    "the population and input–output table of its registered country)"
                )
    meta = require(raw, "meta", "scenario")
    check_keys(meta, "meta", "meta")
    file_raw = raw
    raw, preset = _with_preset(raw)
    meta = raw["meta"]
    check_keys(meta, "meta", "meta")
    if not allow_file_references and "use_country_dataset" in meta:
        raise InvestmentInputError(
            "meta: key 'use_country_dataset' is not allowed here (a scenario sent as JSON uses "
            "its registered country's data set)"
        )
    country = str(_text(meta, "meta", "country", "meta"))
    use_country = meta.get("use_country_dataset", True)
    if not isinstance(use_country, bool):
        raise InvestmentInputError(
            f"meta.use_country_dataset = {use_country!r}; allowed true or false"
        )
    from_db = bool(use_country) and country not in _country_files()
    if from_db and not is_database_country(country):
        raise InvestmentInputError(
            f"meta.country = {country!r} is neither a country data set ({_country_files()}) "
            f"nor a country of the database: {unknown_country(country)}")
    if from_db:
        country = country.strip().upper()
    country_raw = _read_toml(_country_file(country)) if use_country and not from_db else {}
    if country_raw:
        _check_country(country_raw, country)
    synthetic = bool(country_raw.get("synthetic", False))
    label = str(country_raw.get("label", ""))
    base = _year(meta, "base_year", 1950, 2100)
    target = _year(meta, "target_year", base + 1, 2100)
    end = _year(meta, "end_year", target, 2100, default=target)
    phase = _phase(meta, base, target, end)
    macro_raw, fiscal_raw = _table(raw, "macro"), _table(raw, "fiscal")
    induced, comp = _table(raw, "induced"), _table(raw, "comparison")
    pop_raw, io_raw = _table(raw, "population"), _table(raw, "io")
    db: CountryInputs | None = None
    if from_db:
        io_given = None
        if "dataset" in io_raw:
            io_given = str(_text(io_raw, "io", "dataset", "io"))
            if io_given != "example" and not is_database_country(io_given):
                raise InvestmentInputError(
                    f"io.dataset = {io_given!r}: allowed 'example' or an ISO3 code of the "
                    f"country database ({unknown_country(io_given)})")
            io_given = io_given if io_given == "example" else io_given.strip().upper()
        db = country_inputs(country, base, end, macro_raw, fiscal_raw,
                            population_given="file" in pop_raw, io_dataset=io_given,
                            earnings_by_sex=bool(raw.get("leave"))
                            or raw.get("breastfeeding") is not None)
        label = f"{db.name} ({db.iso3}; {DB})"
        country_raw = {"io_dataset": db.io.table if db.io is not None else "example"}
    country_v = {t: _values(country_raw.get(t, {})) for t in ("macro", "fiscal")}
    if db is not None:
        country_v = {"macro": {k: v.value for k, v in db.macro.items()},
                     "fiscal": {k: v.value for k, v in db.fiscal.items()}}
    macro_v = {**country_v["macro"], **dict(macro_raw)}
    fiscal_v = {**country_v["fiscal"], **dict(fiscal_raw)}
    method_spec = spec_of("induced", "method")
    method = induced.get("method", method_spec.default)
    if method not in method_spec.choices:
        raise InvestmentInputError(
            f"induced.method = {method!r}; allowed 'type_ii', 'multiplier' or 'none'"
        )
    k = _num(induced, "induced", "consumption_multiplier", "induced")
    services_raw = require(raw, "services", "scenario")
    if not isinstance(services_raw, list) or not services_raw:
        raise InvestmentInputError("services must be a non-empty array of tables ([[services]])")
    log: list[InputSource] = []
    db_tables = db is not None and db.io is not None
    services = tuple(_service(s, i, log, CARE_SECTOR if db_tables else None)
                     for i, s in enumerate(services_raw))
    names = [s.name for s in services]
    if len(set(names)) != len(names):
        raise InvestmentInputError(f"services names must be unique; got {names}")
    leave = _leave(raw.get("leave"), log)
    breastfeeding = _breastfeeding(raw.get("breastfeeding"), log)
    if db is not None and db.population is not None:
        pop = check_population(db.population, "population (country database)")
        pop_file, pop_from_country = f"{label}: {_WPP}", True
    else:
        pop, pop_file, pop_from_country = _population(
            pop_raw, None if base_dir is None else Path(base_dir), country_raw
        )
    years = set(pop["year"].astype(int))
    for s in services:
        need_years = [y for y in range(base, end + 1) if y not in years]
        if need_years:
            raise InvestmentInputError(
                f"population.file lacks years {need_years} needed by services.{s.name}; "
                f"allowed: every year {base}–{end}"
            )
        lo, hi = s.ages
        have = pop[(pop["year"] >= base) & (pop["year"] <= end)]
        counts = have[(have["age"] >= lo) & (have["age"] <= hi)].groupby("year")["age"].nunique()
        short = counts[counts < hi - lo + 1]
        complete = counts.index[counts == hi - lo + 1]
        if len(counts) < end - base + 1 or not short.empty:
            raise InvestmentInputError(
                f"population.file lacks some single years of age {lo}–{hi} for services.{s.name} "
                f"in years {sorted(set(range(base, end + 1)) - set(complete))}"
            )
    macro, fiscal = _macro(macro_v), _fiscal(fiscal_v)
    _check_earnings(macro, leave, breastfeeding, country if db is not None else None)
    tables = {"macro": macro, "fiscal": fiscal}
    check_joint("scenario", lambda key: (key, getattr(tables[key.split(".")[0]],
                                                      key.split(".")[1])))
    comparison_sector = _text(comp, "comparison", "sector", "comparison")
    if comparison_sector is None and db_tables:
        comparison_sector = COMPARISON_SECTOR
    io_spec = spec_of("io", "dataset")
    io_origin: Origin
    cur_origin: Origin
    if "dataset" in io_raw:
        io_dataset, io_origin = str(_text(io_raw, "io", "dataset", "io")), "scenario"
    elif "io_dataset" in country_raw:
        io_dataset, io_origin = str(country_raw["io_dataset"]), "country dataset"
    else:
        io_dataset, io_origin = "example", "default"
    currency_raw = _text(meta, "meta", "currency", "meta")
    if currency_raw is not None:
        currency, cur_origin = currency_raw, "scenario"
    elif db is not None:
        currency, cur_origin = "LCU", "country dataset"
    elif "currency" in country_raw:
        currency, cur_origin = str(country_raw["currency"]), "country dataset"
    else:
        currency, cur_origin = "XCU", "default"

    # ---- where every input came from
    def country_source(table: str, key: str) -> tuple[str, str]:
        entry = country_raw.get(table, {}).get(key)
        meta_ = entry if isinstance(entry, Mapping) else {}
        text = "; ".join(str(meta_[x]) for x in ("source", "table", "year", "licence")
                         if meta_.get(x) not in (None, "", "-"))
        return str(meta_.get("unit", "")), f"{label or country}: {text}" if text else (
            label or country)

    rows: list[InputSource] = [
        InputSource("meta.currency", currency, "ISO 4217 code", cur_origin,
                    label if cur_origin == "country dataset" else "",
                    synthetic and cur_origin == "country dataset"),
    ]
    if db is not None and cur_origin == "country dataset":
        rows[0] = InputSource(
            "meta.currency", currency, "local currency units", "country dataset",
            f"{label}: local currency units of the World Bank WDI at {db.price_year} prices "
            "(set meta.currency to the ISO 4217 code to show it)", False, db.price_year,
            "observed" if db.price_year == base else
            f"carried forward from {db.price_year} (prices of {db.price_year})")
    for table, given, values in (("macro", macro_raw, macro), ("fiscal", fiscal_raw, fiscal)):
        for key, spec in fields_of(table).items():
            value = getattr(values, key)
            if value is None:
                continue
            if key in given:
                rows.append(InputSource(f"{table}.{key}", value, spec.unit, "scenario", ""))
            elif db is not None and key in getattr(db, table):
                cv = getattr(db, table)[key]
                rows.append(InputSource(f"{table}.{key}", value, cv.unit, "country dataset",
                                        f"{label}: {cv.source}", False, cv.year, cv.flag))
            elif key in country_v[table]:
                unit, src = country_source(table, key)
                rows.append(InputSource(f"{table}.{key}", value, unit or spec.unit,
                                        "country dataset", src, synthetic))
            else:
                rows.append(InputSource(f"{table}.{key}", value, spec.unit, "default",
                                        f"default ({REFERENCE_PAGE})"))
    for key, value in (("method", method), ("consumption_multiplier", k)):
        spec = spec_of("induced", key)
        rows.append(InputSource(f"induced.{key}", value, spec.unit,
                                "scenario" if key in induced else "default",
                                "" if key in induced else f"default ({REFERENCE_PAGE})"))
    rows += log
    ys, ages = pop["year"], pop["age"]
    pop_value = (f"{ys.min()}–{ys.max()}, ages {ages.min()}–{ages.max()}"
                 if len(pop) else "empty")
    pop_flag = ""
    if db is not None and pop_from_country:
        pop_flag = "observed" if end <= 2020 else (
            "projected (WPP 2019 medium variant)" if base > 2020
            else "observed to 2020, projected after (WPP 2019 medium variant)")
    rows.append(InputSource(
        "population", pop_value, "persons by year and single year of age",
        "country dataset" if pop_from_country else "scenario",
        f"{label or country}: {pop_file}" if pop_from_country and db is None else pop_file,
        synthetic and pop_from_country, None, pop_flag))
    if leave or breastfeeding is not None:
        rows.append(InputSource(
            "births", "population aged 0", "persons per year",
            "country dataset" if pop_from_country else "scenario",
            f"{pop_file}: persons aged 0 on 1 July of each year", synthetic and pop_from_country,
            None, "proxy: the survivors of the previous twelve months' births (births less "
            "deaths in the first months of life; docs/methods.md §4.7)"))
    io_src = ("synthetic example input–output table (countries/example_io.csv)"
              if io_dataset == "example" else io_dataset)
    if db is not None and db.io is not None:
        conv = db.io
        rows.append(InputSource("io", io_dataset, "WIOD 2013 domestic table", io_origin,
                                conv.source, False, 2011, conv.flag))
        rows.append(InputSource(
            "io.lcu_per_usd", conv.lcu_per_usd, "local currency per US$", "country dataset",
            f"{DB}: World Bank WDI NY.GDP.MKTP.CN / NY.GDP.MKTP.CD, {conv.price_year}; one "
            "US$ million of the table (2019 prices) is taken as 1e6 x this rate in local "
            "currency", False, conv.price_year, "derived (market exchange rate)"))
    else:
        rows.append(InputSource("io", io_dataset, io_spec.unit, io_origin,
                                io_src, io_dataset == "example"))
    if db_tables and "sector" not in comp:
        rows.append(InputSource(
            "comparison.sector", comparison_sector, "input–output sector code",
            "country dataset", f"{DB}: the country's construction industry (WIOD "
            f"{COMPARISON_SECTOR}, NACE F)"))
    if preset is not None:
        rows = _from_preset(rows, preset, file_raw)
    notes = _data_warnings(rows, country, synthetic, io_dataset, bool(macro_raw),
                           not pop_from_country)
    for note in notes:
        warnings.warn(note, ExampleDataWarning, stacklevel=2)
    if db is not None:
        country_notes = [*db.warnings, *_stale(rows, base)]
        for note in country_notes:
            warnings.warn(note, CountryDataWarning, stacklevel=2)
        notes = [*notes, *country_notes]
    scn = Scenario(
        name=str(_text(meta, "meta", "name", "meta")),
        country=country,
        currency=currency,
        base_year=base,
        target_year=target,
        end_year=end,
        phase_in=phase,
        macro=macro,
        fiscal=fiscal,
        induced=method,
        consumption_multiplier=k,
        services=services,
        population=pop,
        comparison_sector=comparison_sector,
        io_dataset=io_dataset,
        provenance={
            "country": country,
            "population_file": pop_file,
            "label": label,
        },
        input_sources=tuple(rows),
        data_warnings=tuple(notes),
        price_year=None if db is None else db.price_year,
        io_conversion=None if db is None else db.io,
        leave=leave,
        breastfeeding=breastfeeding,
        preset=preset,
    )
    if leave or breastfeeding is not None:
        scn.births()  # the population has age 0 in every simulated year
    return scn


def _check_earnings(macro: Macro, leave: tuple[Leave, ...],
                    breastfeeding: Breastfeeding | None, country: str | None) -> None:
    """The earnings by sex that [[leave]] and [breastfeeding] replace must be known."""
    need = {"mother": [f"leave.{x.name}" for x in leave if x.parent == "mother"],
            "father": [f"leave.{x.name}" for x in leave if x.parent == "father"]}
    if breastfeeding is not None:
        need["mother"].append("breastfeeding")
    for parent, key in (("mother", "women_earnings_relative_to_average"),
                        ("father", "men_earnings_relative_to_average")):
        if not need[parent] or getattr(macro, key) is not None:
            continue
        sex = "women" if parent == "mother" else "men"
        where = (f"the country database has no earnings of {sex} for {country}; "
                 if country is not None else "")
        raise InvestmentInputError(
            f"macro.{key} is missing: {', '.join(need[parent])} replace the earnings of "
            f"employed {sex}; {where}set it in [macro] (employed {sex}'s mean gross earnings "
            "/ macro.average_wage; usual source: ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A) (see "
            f"{REFERENCE_PAGE})")


_WPP = ("UN World Population Prospects 2019 (CC BY 3.0 IGO) by single year of age, both sexes "
        "summed (estimates to 2020, medium variant after)")

#: a country-database observation further than this from the base year gets a data warning
STALE_YEARS = 5


def _stale(rows: list[InputSource], base: int) -> list[str]:
    """A warning naming the country-database inputs observed far from the base year."""
    old = [f"{r.input} ({r.year})" for r in rows
           if r.origin == "country dataset" and r.year is not None and r.input != "io"
           and abs(r.year - base) > STALE_YEARS and not r.flag.startswith("proxy")]
    if not old:
        return []
    return [f"country database inputs observed more than {STALE_YEARS} years from the base "
            f"year {base}: {', '.join(old)}; check them and set newer values in the scenario"]


def _data_warnings(rows: list[InputSource], country: str, synthetic: bool, io_dataset: str,
                   own_macro: bool, own_population: bool) -> list[str]:
    """Messages for a scenario that mixes its own country's inputs with the example's."""
    own = [what for what, yes in (("macro inputs", own_macro),
                                  ("a population file", own_population),
                                  (f"a real country data set ({country!r})", not synthetic))
           if yes]
    if not own:
        return []
    supplied = " and ".join(own) + (" were" if len(own) > 1 or own_macro else " was")
    notes = []
    if io_dataset == "example":
        notes.append(
            "jobs use the synthetic example input–output table (io.dataset = 'example') "
            f"although {supplied} supplied in the scenario; indirect, induced and capital jobs "
            "then describe the example economy, not yours: set io.dataset and pass your "
            "country's IOModel to simulate()"
        )
    example_values = [r.input for r in rows if r.example and r.input not in ("io",)]
    if example_values:
        shown = ", ".join(example_values[:6]) + (
            f" and {len(example_values) - 6} more" if len(example_values) > 6 else "")
        notes.append(
            f"{shown} come from the synthetic example country although {supplied} supplied "
            "in the scenario; set them in the scenario ([macro], [fiscal], population.file) "
            f"or use your country's data set (see {REFERENCE_PAGE})"
        )
    return notes

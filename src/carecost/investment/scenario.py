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

import itertools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._validate import (
    InvestmentInputError,
    as_number,
    check_number_list,
    check_range,
    check_share,
    check_shares_sum_to_one,
    require,
)

__all__ = [
    "FIELD_RANGES",
    "Fiscal",
    "Macro",
    "Scenario",
    "Service",
    "StaffGrade",
    "check_field",
    "check_population",
    "country_parameters",
    "example_scenario",
    "load_scenario",
    "scenario_from_dict",
]

DATA = resources.files("carecost.investment") / "data"
InducedMethod = Literal["type_ii", "multiplier", "none"]

#: Allowed range of every numeric scenario field: ``(low, high, low_open, high_open)``
#: (``None`` = unbounded).  Used when a scenario is loaded and when Monte Carlo or
#: sensitivity ranges are validated (:class:`~carecost.investment.ParameterRange`), so a
#: parameter can never be drawn outside the values a scenario file may hold.  Joint
#: constraints (``target_coverage >= current_coverage``, labour tax rate <= 1, employed <=
#: working-age population, ``share_from_unemployment <= share_from_non_employment``, a
#: non-care wage > 0 when ``non_care_staff_ratio > 0``) are checked on top.
FIELD_RANGES: dict[str, tuple[float | None, float | None, bool, bool]] = {
    # services.<name>.<field>
    "current_coverage": (0.0, 1.0, False, False),
    "target_coverage": (0.0, 1.0, False, False),
    "persons_per_staff": (0.0, None, True, False),
    "service_hours_per_week": (0.0, 168.0, True, False),
    "staff_hours_per_week": (0.0, 80.0, True, False),
    "service_weeks_per_year": (0.0, 53.0, True, False),
    "staff_weeks_per_year": (0.0, 53.0, True, False),
    "non_care_staff_ratio": (0.0, 10.0, False, False),
    "wage_relative_to_average": (0.0, 10.0, True, False),
    "wage": (0.0, None, True, False),
    "wage_floor_relative_to_average": (0.0, 10.0, False, False),
    "non_care_wage_relative_to_average": (0.0, 10.0, False, False),
    "non_staff_cost_share": (0.0, 1.0, False, True),
    "current_staff": (0.0, None, False, False),
    "current_spending_pct_gdp": (0.0, 100.0, False, False),
    "replaced_spending_pct_gdp": (0.0, 100.0, False, False),
    "capital_cost_per_place": (0.0, None, False, False),
    "parent_employment_per_person": (0.0, 2.0, False, False),
    "parent_women_share": (0.0, 1.0, False, False),
    "parent_earnings_relative_to_average": (0.0, 10.0, False, False),
    "women_share": (0.0, 1.0, False, False),
    "non_care_women_share": (0.0, 1.0, False, False),
    # macro.<field>
    "gdp": (0.0, None, True, False),
    "gdp_growth": (-0.5, 0.5, False, False),
    "average_wage": (0.0, None, True, False),
    "real_wage_growth": (-0.5, 0.5, False, False),
    "working_age_women": (0.0, None, True, False),
    "working_age_men": (0.0, None, True, False),
    "employed_women": (0.0, None, False, False),
    "employed_men": (0.0, None, False, False),
    "share_from_non_employment": (0.0, 1.0, False, False),
    # fiscal.<field>
    "income_tax_rate": (0.0, 1.0, False, False),
    "employee_contribution_rate": (0.0, 1.0, False, False),
    "employer_contribution_rate": (0.0, 2.0, False, False),
    "indirect_tax_rate": (0.0, 1.0, False, False),
    "propensity_to_consume": (0.0, 1.0, False, False),
    "share_from_unemployment": (0.0, 1.0, False, False),
    "unemployment_benefit": (0.0, None, False, False),
    # induced.<field>
    "consumption_multiplier": (1.0, 10.0, False, False),
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
        Naming ``key``, ``value`` and the allowed interval.
    """
    if field_name not in FIELD_RANGES:
        raise InvestmentInputError(
            f"{key}: {field_name!r} is not a numeric scenario field; allowed "
            f"{', '.join(sorted(FIELD_RANGES))}"
        )
    low, high, low_open, high_open = FIELD_RANGES[field_name]
    return check_range(value, key, low=low, high=high, low_open=low_open, high_open=high_open)


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
class Scenario:
    """A validated care-investment scenario (see :func:`load_scenario`)."""

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
        return vals @ np.asarray(service.need_rate, dtype=float)


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def _read_toml(path: str | os.PathLike[str] | Any) -> dict[str, Any]:
    try:
        with open(path, "rb") if not hasattr(path, "open") else path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvestmentInputError(f"{path}: not valid TOML ({exc})") from exc


def _country_file(country: str) -> Any:
    ref = DATA / "countries" / f"{country}.toml"
    if not ref.is_file():
        avail = sorted(
            p.name.removesuffix(".toml")
            for p in (DATA / "countries").iterdir()
            if p.name.endswith(".toml")
        )
        raise InvestmentInputError(f"country = {country!r} has no dataset; allowed: {avail}")
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
    for i, v in enumerate(vals):
        check_share(v, f"meta.phase_in[{i}] (year {base + i})")
    if any(b < a - 1e-12 for a, b in itertools.pairwise(vals)):
        raise InvestmentInputError(f"meta.phase_in = {vals} must be non-decreasing")
    if abs(vals[target - base] - 1.0) > 1e-9:
        raise InvestmentInputError(
            f"meta.phase_in[{target - base}] (target year {target}) = {vals[target - base]}; "
            "allowed: 1 (the target is reached in the target year)"
        )
    return tuple(vals)


def _service(raw: Mapping[str, Any], i: int) -> Service:
    where = f"services[{i}]"
    name = str(require(raw, "name", where))
    w = f"services.{name}"

    def num(key: str, default: Any = None) -> float:
        value = require(raw, key, w) if default is None else raw.get(key, default)
        return check_field(value, f"{w}.{key}", key)

    ages_raw = require(raw, "ages", w)
    if not isinstance(ages_raw, list) or len(ages_raw) != 2:
        raise InvestmentInputError(f"{w}.ages = {ages_raw!r}; allowed [first_age, last_age]")
    lo = int(check_range(ages_raw[0], f"{w}.ages[0]", low=0, high=120))
    hi = int(check_range(ages_raw[1], f"{w}.ages[1]", low=lo, high=120))
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
    need = tuple(check_share(r, f"{w}.need_rate") for r in rates)
    cur = num("current_coverage")
    tgt_raw = require(raw, "target_coverage", w)
    tgt = num("target_coverage")
    if tgt < cur:
        raise InvestmentInputError(
            f"{w}.target_coverage = {tgt_raw!r} is below current_coverage = {cur}; "
            f"allowed range [{cur}, 1]"
        )
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
        mean = sum(g["share"] * g["pay"] for g in grades)
        if grades[0]["relative"]:
            wage_rel = mean
        else:
            wage_abs = mean
        if all(g["women_share"] is not None for g in grades):
            derived = sum(g["share"] * g["women_share"] for g in grades)
            given = raw.get("women_share")
            if given is not None and abs(as_number(given, f"{w}.women_share") - derived) > 1e-6:
                raise InvestmentInputError(
                    f"{w}.women_share = {given!r} differs from the share-weighted women's share "
                    f"of {w}.staff_grades ({derived:.6g}); give one or the other"
                )
            raw = {**raw, "women_share": derived}
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
    women = num("women_share")
    non_care_ratio = num("non_care_staff_ratio", 0.0)
    non_care_wage_raw = raw.get("non_care_wage_relative_to_average")
    if non_care_ratio > 0 and (non_care_wage_raw is None or non_care_wage_raw == 0):
        # Without this check other staff would be costed at a wage of 0 (cost understated).
        raise InvestmentInputError(
            f"{w}.non_care_wage_relative_to_average = {non_care_wage_raw!r} but "
            f"{w}.non_care_staff_ratio = {non_care_ratio:g} > 0; give the other staff's wage "
            "relative to the average wage, allowed range (0, 10]"
        )
    nsi_raw = raw.get("non_staff_inputs")
    if nsi_raw is not None and not isinstance(nsi_raw, Mapping):
        raise InvestmentInputError(
            f"{w}.non_staff_inputs = {nsi_raw!r}; allowed a table of sector = share"
        )
    nsi = None if nsi_raw is None else check_shares_sum_to_one(nsi_raw, f"{w}.non_staff_inputs")
    current_spending = num("current_spending_pct_gdp", 0.0)
    replaced = num("replaced_spending_pct_gdp", 0.0)
    if replaced > current_spending:
        raise InvestmentInputError(
            f"{w}.replaced_spending_pct_gdp = {raw.get('replaced_spending_pct_gdp')!r} exceeds "
            f"{w}.current_spending_pct_gdp = {current_spending:g}; allowed range "
            f"[0, {current_spending:g}] (only current spending can be replaced)"
        )
    capital = num("capital_cost_per_place", 0.0)
    capital_sector = raw.get("capital_sector")
    if capital > 0 and not capital_sector:
        raise InvestmentInputError(
            f"{w}.capital_sector is missing but {w}.capital_cost_per_place = {capital:g} > 0; "
            "give the input–output sector that supplies the capital spending (e.g. construction)"
        )
    parents = num("parent_employment_per_person", 0.0)
    parent_earnings_raw = raw.get("parent_earnings_relative_to_average")
    if parents > 0 and (parent_earnings_raw is None or parent_earnings_raw == 0):
        raise InvestmentInputError(
            f"{w}.parent_earnings_relative_to_average = {parent_earnings_raw!r} but "
            f"{w}.parent_employment_per_person = {parents:g} > 0; give the newly employed "
            "parents' earnings relative to the average wage, allowed range (0, 10]"
        )
    return Service(
        name=name,
        kind=str(raw.get("kind", "care")),
        ages=(lo, hi),
        need_rate=need,
        current_coverage=cur,
        target_coverage=tgt,
        persons_per_staff=num("persons_per_staff"),
        service_hours_per_week=num("service_hours_per_week", 40.0),
        staff_hours_per_week=num("staff_hours_per_week", 40.0),
        non_care_staff_ratio=non_care_ratio,
        wage_relative_to_average=(
            None
            if wage_rel is None
            else check_field(wage_rel, f"{w}.wage_relative_to_average", "wage_relative_to_average")
        ),
        wage=None if wage_abs is None else check_field(wage_abs, f"{w}.wage", "wage"),
        wage_floor_relative_to_average=(
            None
            if floor is None
            else check_field(
                floor, f"{w}.wage_floor_relative_to_average", "wage_floor_relative_to_average"
            )
        ),
        non_care_wage_relative_to_average=num("non_care_wage_relative_to_average", 0.0),
        non_staff_cost_share=num("non_staff_cost_share", 0.0),
        current_staff=num("current_staff", 0.0),
        current_spending_pct_gdp=current_spending,
        women_share=women,
        non_care_women_share=num("non_care_women_share", women),
        sector=str(require(raw, "sector", w)),
        non_staff_inputs=nsi,
        service_weeks_per_year=num("service_weeks_per_year", 52.0),
        staff_weeks_per_year=num("staff_weeks_per_year", 52.0),
        replaced_spending_pct_gdp=replaced,
        capital_cost_per_place=capital,
        capital_sector=None if capital_sector is None else str(capital_sector),
        parent_employment_per_person=parents,
        parent_women_share=num("parent_women_share", 1.0),
        parent_earnings_relative_to_average=num("parent_earnings_relative_to_average", 0.0),
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
    )


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
        unknown = set(g) - {"name", "share", "wage_relative_to_average", "wage", "women_share"}
        if unknown:
            raise InvestmentInputError(
                f"{where} has unknown keys {sorted(unknown)}; allowed name, share, "
                "wage_relative_to_average or wage, women_share"
            )
        rel, abs_ = g.get("wage_relative_to_average"), g.get("wage")
        if (rel is None) == (abs_ is None):
            raise InvestmentInputError(
                f"{where}: give exactly one of wage_relative_to_average or wage; got "
                f"wage_relative_to_average = {rel!r}, wage = {abs_!r}"
            )
        pay = (
            check_field(rel, f"{where}.wage_relative_to_average", "wage_relative_to_average")
            if rel is not None
            else check_field(abs_, f"{where}.wage", "wage")
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
                "share": check_share(as_number(require(g, "share", where), f"{where}.share"),
                                     f"{where}.share"),
                "pay": pay,
                "relative": rel is not None,
                "women_share": None if ws is None else check_field(
                    ws, f"{where}.women_share", "women_share"
                ),
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


def _macro(v: Mapping[str, Any]) -> Macro:
    def num(key: str, default: Any = None) -> float:
        value = require(v, key, "macro") if default is None else v.get(key, default)
        return check_field(value, f"macro.{key}", key)

    out = Macro(
        gdp=num("gdp"),
        gdp_growth=num("gdp_growth"),
        average_wage=num("average_wage"),
        real_wage_growth=num("real_wage_growth", 0.0),
        working_age_women=num("working_age_women"),
        working_age_men=num("working_age_men"),
        employed_women=num("employed_women"),
        employed_men=num("employed_men"),
        share_from_non_employment=num("share_from_non_employment", 1.0),
    )
    if out.employed_women > out.working_age_women:
        raise InvestmentInputError(
            f"macro.employed_women = {out.employed_women:g}; allowed range "
            f"[0, working_age_women = {out.working_age_women:g}]"
        )
    if out.employed_men > out.working_age_men:
        raise InvestmentInputError(
            f"macro.employed_men = {out.employed_men:g}; allowed range "
            f"[0, working_age_men = {out.working_age_men:g}]"
        )
    return out


def _fiscal(v: Mapping[str, Any]) -> Fiscal:
    def num(key: str, default: Any = None) -> float:
        value = require(v, key, "fiscal") if default is None else v.get(key, default)
        return check_field(value, f"fiscal.{key}", key)

    f = Fiscal(
        income_tax_rate=num("income_tax_rate"),
        employee_contribution_rate=num("employee_contribution_rate", 0.0),
        employer_contribution_rate=num("employer_contribution_rate", 0.0),
        indirect_tax_rate=num("indirect_tax_rate", 0.0),
        propensity_to_consume=num("propensity_to_consume"),
        share_from_unemployment=num("share_from_unemployment", 0.0),
        unemployment_benefit=num("unemployment_benefit", 0.0),
    )
    if f.labour_tax_rate > 1.0:
        raise InvestmentInputError(
            f"fiscal.income_tax_rate + fiscal.employee_contribution_rate = {f.labour_tax_rate:g}; "
            "allowed range [0, 1]"
        )
    return f


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
) -> tuple[pd.DataFrame, str]:
    file = spec.get("file") if spec else None
    if file is None:
        file = country_raw.get("population_file")
        if file is None:
            raise InvestmentInputError(
                "population.file is missing and the country dataset has none"
            )
        ref: Any = DATA / "countries" / str(file)
    else:
        ref = Path(file) if Path(file).is_absolute() or base_dir is None else base_dir / file
    try:
        with ref.open("rb") as fh:
            pop = pd.read_csv(fh)
    except FileNotFoundError as exc:
        raise InvestmentInputError(f"population.file = {str(file)!r} not found") from exc
    return check_population(pop, f"population.file {str(file)!r}"), str(file)


def scenario_from_dict(
    raw: Mapping[str, Any],
    base_dir: str | os.PathLike[str] | None = None,
) -> Scenario:
    """Validate a parsed scenario (same schema as the TOML file) and build a :class:`Scenario`.

    Macro and fiscal values come from the country dataset named by ``meta.country`` and are
    overridden by the scenario's own ``[macro]`` and ``[fiscal]`` tables.
    """
    meta = require(raw, "meta", "scenario")
    country = str(meta.get("country", "example"))
    country_raw = (
        _read_toml(_country_file(country)) if meta.get("use_country_dataset", True) else {}
    )
    base = int(
        check_range(require(meta, "base_year", "meta"), "meta.base_year", low=1950, high=2100)
    )
    target = int(
        check_range(
            require(meta, "target_year", "meta"), "meta.target_year", low=base + 1, high=2100
        )
    )
    end = int(check_range(meta.get("end_year", target), "meta.end_year", low=target, high=2100))
    phase = _phase(meta, base, target, end)
    macro_v = {**_values(country_raw.get("macro", {})), **dict(raw.get("macro", {}))}
    fiscal_v = {**_values(country_raw.get("fiscal", {})), **dict(raw.get("fiscal", {}))}
    induced = raw.get("induced", {})
    method = induced.get("method", "type_ii")
    if method not in ("type_ii", "multiplier", "none"):
        raise InvestmentInputError(
            f"induced.method = {method!r}; allowed 'type_ii', 'multiplier' or 'none'"
        )
    k = check_field(
        induced.get("consumption_multiplier", 1.0),
        "induced.consumption_multiplier",
        "consumption_multiplier",
    )
    services_raw = require(raw, "services", "scenario")
    if not isinstance(services_raw, list) or not services_raw:
        raise InvestmentInputError("services must be a non-empty array of tables ([[services]])")
    services = tuple(_service(s, i) for i, s in enumerate(services_raw))
    names = [s.name for s in services]
    if len(set(names)) != len(names):
        raise InvestmentInputError(f"services names must be unique; got {names}")
    pop, pop_file = _population(
        raw.get("population", {}), None if base_dir is None else Path(base_dir), country_raw
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
    if fiscal.share_from_unemployment > macro.share_from_non_employment:
        raise InvestmentInputError(
            f"fiscal.share_from_unemployment = {fiscal.share_from_unemployment:g} exceeds "
            f"macro.share_from_non_employment = {macro.share_from_non_employment:g}; allowed "
            f"range [0, {macro.share_from_non_employment:g}] (the unemployed are among the "
            "non-employed)"
        )
    comp = raw.get("comparison", {})
    return Scenario(
        name=str(meta.get("name", "scenario")),
        country=country,
        currency=str(meta.get("currency", country_raw.get("currency", "XCU"))),
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
        comparison_sector=comp.get("sector"),
        io_dataset=str(raw.get("io", {}).get("dataset", country_raw.get("io_dataset", "example"))),
        provenance={
            "country": country,
            "population_file": pop_file,
            "label": str(country_raw.get("label", "")),
        },
    )

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
    check_nonneg,
    check_number_list,
    check_positive,
    check_range,
    check_share,
    check_shares_sum_to_one,
    require,
)

__all__ = [
    "Fiscal",
    "Macro",
    "Scenario",
    "Service",
    "country_parameters",
    "example_scenario",
    "load_scenario",
    "scenario_from_dict",
]

DATA = resources.files("carecost.investment") / "data"
InducedMethod = Literal["type_ii", "multiplier", "none"]


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
        Opening (care) hours per covered person and contractual hours of a full-time worker;
        staff FTE = persons / ratio * service hours / staff hours.
    non_care_staff_ratio : float
        Other staff (management, cooks, cleaners) per care worker.
    wage_relative_to_average : float or None
        Care-worker gross annual wage as a multiple of the average wage.
    wage : float or None
        Care-worker gross annual wage in currency (instead of the relative wage).
    wage_floor_relative_to_average : float or None
        Decent-work standard: wages are raised to at least this multiple of the average wage,
        for new and (via ``current_staff``) existing workers.
    non_care_wage_relative_to_average : float
        Gross wage of other staff relative to the average wage.
    non_staff_cost_share : float
        Share of recurrent cost that is not staff cost (in [0, 1)).
    current_staff : float
        Care workers (FTE) already employed; their pay rise to the floor is costed.
    current_spending_pct_gdp : float
        Current public spending on the service, % of GDP.
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


@dataclass(frozen=True)
class Macro:
    """Macroeconomic and labour-market base-year values (currency, persons)."""

    gdp: float
    gdp_growth: float
    average_wage: float
    real_wage_growth: float
    working_age_women: float
    working_age_men: float
    employed_women: float
    employed_men: float


@dataclass(frozen=True)
class Fiscal:
    """Average effective tax and benefit parameters (rates as shares)."""

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
        """Persons needing ``service`` each year (population by age x need rate)."""
        lo, hi = service.ages
        pop = self.population
        sub = pop[(pop["age"] >= lo) & (pop["age"] <= hi)]
        wide = sub.pivot_table(index="year", columns="age", values="population", aggfunc="sum")
        wide = wide.reindex(index=self.years, columns=range(lo, hi + 1))
        return wide.to_numpy(dtype=float) @ np.asarray(service.need_rate, dtype=float)


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


def example_scenario() -> Scenario:
    """The shipped example scenario for the synthetic example country."""
    ref = DATA / "scenarios" / "example_universal_care_2035.toml"
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
    cur = check_share(require(raw, "current_coverage", w), f"{w}.current_coverage")
    tgt_raw = require(raw, "target_coverage", w)
    tgt = check_share(tgt_raw, f"{w}.target_coverage")
    if tgt < cur:
        raise InvestmentInputError(
            f"{w}.target_coverage = {tgt_raw!r} is below current_coverage = {cur}; "
            f"allowed range [{cur}, 1]"
        )
    wage_rel = raw.get("wage_relative_to_average")
    wage_abs = raw.get("wage")
    if (wage_rel is None) == (wage_abs is None):
        raise InvestmentInputError(
            f"{w}: give exactly one of wage_relative_to_average or wage; got "
            f"wage_relative_to_average = {wage_rel!r}, wage = {wage_abs!r}"
        )
    floor = raw.get("wage_floor_relative_to_average")
    nscs = check_range(
        raw.get("non_staff_cost_share", 0.0),
        f"{w}.non_staff_cost_share",
        low=0.0,
        high=1.0,
        high_open=True,
    )
    women = check_share(require(raw, "women_share", w), f"{w}.women_share")
    nsi_raw = raw.get("non_staff_inputs")
    if nsi_raw is not None and not isinstance(nsi_raw, Mapping):
        raise InvestmentInputError(
            f"{w}.non_staff_inputs = {nsi_raw!r}; allowed a table of sector = share"
        )
    nsi = None if nsi_raw is None else check_shares_sum_to_one(nsi_raw, f"{w}.non_staff_inputs")
    return Service(
        name=name,
        kind=str(raw.get("kind", "care")),
        ages=(lo, hi),
        need_rate=need,
        current_coverage=cur,
        target_coverage=tgt,
        persons_per_staff=check_positive(
            require(raw, "persons_per_staff", w), f"{w}.persons_per_staff"
        ),
        service_hours_per_week=check_range(
            raw.get("service_hours_per_week", 40.0),
            f"{w}.service_hours_per_week",
            low=0.0,
            high=168.0,
            low_open=True,
        ),
        staff_hours_per_week=check_range(
            raw.get("staff_hours_per_week", 40.0),
            f"{w}.staff_hours_per_week",
            low=0.0,
            high=80.0,
            low_open=True,
        ),
        non_care_staff_ratio=check_range(
            raw.get("non_care_staff_ratio", 0.0), f"{w}.non_care_staff_ratio", low=0.0, high=10.0
        ),
        wage_relative_to_average=(
            None
            if wage_rel is None
            else check_range(
                wage_rel, f"{w}.wage_relative_to_average", low=0.0, high=10.0, low_open=True
            )
        ),
        wage=None if wage_abs is None else check_positive(wage_abs, f"{w}.wage"),
        wage_floor_relative_to_average=(
            None
            if floor is None
            else check_range(floor, f"{w}.wage_floor_relative_to_average", low=0.0, high=10.0)
        ),
        non_care_wage_relative_to_average=check_range(
            raw.get("non_care_wage_relative_to_average", 0.0),
            f"{w}.non_care_wage_relative_to_average",
            low=0.0,
            high=10.0,
        ),
        non_staff_cost_share=nscs,
        current_staff=check_nonneg(raw.get("current_staff", 0.0), f"{w}.current_staff"),
        current_spending_pct_gdp=check_range(
            raw.get("current_spending_pct_gdp", 0.0),
            f"{w}.current_spending_pct_gdp",
            low=0.0,
            high=100.0,
        ),
        women_share=women,
        non_care_women_share=check_share(
            raw.get("non_care_women_share", women), f"{w}.non_care_women_share"
        ),
        sector=str(require(raw, "sector", w)),
        non_staff_inputs=nsi,
    )


def _macro(v: Mapping[str, Any]) -> Macro:
    w = "macro"
    out = Macro(
        gdp=check_positive(require(v, "gdp", w), "macro.gdp"),
        gdp_growth=check_range(require(v, "gdp_growth", w), "macro.gdp_growth", low=-0.5, high=0.5),
        average_wage=check_positive(require(v, "average_wage", w), "macro.average_wage"),
        real_wage_growth=check_range(
            v.get("real_wage_growth", 0.0), "macro.real_wage_growth", low=-0.5, high=0.5
        ),
        working_age_women=check_positive(
            require(v, "working_age_women", w), "macro.working_age_women"
        ),
        working_age_men=check_positive(require(v, "working_age_men", w), "macro.working_age_men"),
        employed_women=check_nonneg(require(v, "employed_women", w), "macro.employed_women"),
        employed_men=check_nonneg(require(v, "employed_men", w), "macro.employed_men"),
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
    f = Fiscal(
        income_tax_rate=check_share(
            require(v, "income_tax_rate", "fiscal"), "fiscal.income_tax_rate"
        ),
        employee_contribution_rate=check_share(
            v.get("employee_contribution_rate", 0.0), "fiscal.employee_contribution_rate"
        ),
        employer_contribution_rate=check_range(
            v.get("employer_contribution_rate", 0.0),
            "fiscal.employer_contribution_rate",
            low=0.0,
            high=2.0,
        ),
        indirect_tax_rate=check_share(v.get("indirect_tax_rate", 0.0), "fiscal.indirect_tax_rate"),
        propensity_to_consume=check_share(
            require(v, "propensity_to_consume", "fiscal"), "fiscal.propensity_to_consume"
        ),
        share_from_unemployment=check_share(
            v.get("share_from_unemployment", 0.0), "fiscal.share_from_unemployment"
        ),
        unemployment_benefit=check_nonneg(
            v.get("unemployment_benefit", 0.0), "fiscal.unemployment_benefit"
        ),
    )
    if f.labour_tax_rate > 1.0:
        raise InvestmentInputError(
            f"fiscal.income_tax_rate + fiscal.employee_contribution_rate = {f.labour_tax_rate:g}; "
            "allowed range [0, 1]"
        )
    return f


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
    need = {"year", "age", "population"}
    if not need.issubset(pop.columns):
        raise InvestmentInputError(
            f"population.file {str(file)!r} has columns {list(pop.columns)}; "
            f"required {sorted(need)}"
        )
    if (pop["population"] < 0).any():
        raise InvestmentInputError("population.file has negative population counts; allowed >= 0")
    return pop, str(file)


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
    k = check_range(
        induced.get("consumption_multiplier", 1.0),
        "induced.consumption_multiplier",
        low=1.0,
        high=10.0,
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
    comp = raw.get("comparison", {})
    return Scenario(
        name=str(meta.get("name", "scenario")),
        country=country,
        currency=str(meta.get("currency", country_raw.get("currency", "XCU"))),
        base_year=base,
        target_year=target,
        end_year=end,
        phase_in=phase,
        macro=_macro(macro_v),
        fiscal=_fiscal(fiscal_v),
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

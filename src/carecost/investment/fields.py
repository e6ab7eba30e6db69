"""The one specification of what a care-investment scenario may contain.

Every key of a scenario file (TOML) or of a scenario sent to ``POST /v1/simulate`` (JSON) is
described here once: its table, type, unit, allowed range, default, description and source.
Everything else is derived from this list, so that it cannot drift:

* the checks of :func:`carecost.investment.load_scenario` (unknown keys, types, ranges, the
  share and percent conventions);
* the Monte Carlo and sensitivity range checks (:data:`carecost.investment.scenario.
  FIELD_RANGES`, a view of this specification);
* the constraints between keys (:data:`JOINT`), checked by the loader on the scenario's
  values, by the Monte Carlo before drawing on the ends of the ranges, and by the simulation
  draw by draw (:func:`check_joint`);
* the request models of the HTTP service (:mod:`carecost.service.schemas`);
* the reference page ``docs/scenario-reference.md`` (:func:`reference_markdown`) and the
  starter file written by ``carecost new-scenario`` (:func:`scenario_template`).

Conventions
-----------
Fractions, shares, rates and coverage are **shares in [0, 1]** (``0.6`` is 60 %).  Only keys
ending in ``_pct_gdp`` are **percents of GDP** (``0.12`` is 0.12 % of GDP).  A share given a
value in (1, 100] is refused with the value that was probably meant (``60 -- did you mean
0.60?``); a ``_pct_gdp`` value above 5 for one service is accepted with an
:class:`~carecost.investment.ImplausibleInputWarning`.

References
----------
UN Women and ILO (2021). *A Guide to Public Investments in the Care Economy: Policy Support
Tool for Estimating Care Deficits, Investment Costs and Economic Returns*. New York and Geneva.
De Henau, J. (2022). *Costs and benefits of investing in transformative care policy
packages: A macrosimulation study in 82 countries*. ILO Working Paper 55.
ILO (2022). *Care Policy Investment Simulator*, https://www.ilo.org/globalcare.
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed. Cambridge UP.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from ._validate import (
    MAX_EXACT_INTEGER,
    ImplausibleInputWarning,
    InvestmentInputError,
    as_integer,
    as_number,
    check_range,
    integer_hint,
)

__all__ = [
    "FIELDS",
    "JOINT",
    "MAX_EXACT_INTEGER",
    "REFERENCE_PAGE",
    "REGENERATE",
    "REQUIRED",
    "TABLES",
    "FieldSpec",
    "JointConstraint",
    "check_joint",
    "check_keys",
    "check_parameter_range",
    "field",
    "fields_of",
    "integer_hint",
    "reference_markdown",
    "scenario_template",
]

#: Where error messages send the reader.
REFERENCE_PAGE: Final = "docs/scenario-reference.md"
#: The command that rewrites :data:`REFERENCE_PAGE` from this module.
REGENERATE: Final = (
    'python -c "from carecost.investment.fields import reference_markdown; '
    "open('docs/scenario-reference.md', 'w', encoding='utf-8').write(reference_markdown())\""
)

Table = Literal[
    "top", "meta", "services", "services.staff_grades", "macro", "fiscal", "induced",
    "comparison", "population", "io", "leave", "breastfeeding",
]
FieldType = Literal[
    "number", "integer", "text", "choice", "boolean", "ages", "share_or_list", "phase_in",
    "sector_shares", "staff_grades", "table", "array",
]


class _Required:
    """Marker of a key without default (it must be given)."""

    _instance: _Required | None = None

    def __new__(cls) -> _Required:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REQUIRED"


#: Default of a key that must be given.
REQUIRED: Final = _Required()

#: Tables and what they hold, in the order of the reference page.
TABLES: Final[dict[str, str]] = {
    "top": "The top level of the file: the tables below (only ``meta`` and ``services`` are "
           "required).",
    "meta": "Name, country (an ISO3 code of the country database or a country data set), "
            "years and phase-in path of the scenario.",
    "services": "One ``[[services]]`` table per care service to be extended (at least one; "
                "distinct names).  Costing steps 1 and 2 of UN Women and ILO (2021): coverage "
                "gap, then staff from ratios and hours, then cost from wages.",
    "services.staff_grades": "Optional staff mix by qualification of one service "
                             "(``[[services.staff_grades]]`` tables under the service).",
    "macro": "Macroeconomic base-year values.  Every key defaults to the country data set "
             "or the country database named by ``meta.country`` (the rule per key is in "
             "its source); a key set here overrides it.",
    "fiscal": "Average effective tax and benefit parameters.  Every key defaults to the "
              "country data set; a key set here overrides it.",
    "induced": "How induced (household-consumption) jobs are computed.",
    "comparison": "The sector against which the care investment is compared.",
    "population": "The population by year and single year of age.",
    "io": "The input–output table used for indirect and induced jobs.",
    "leave": "Childcare-related leave (optional): one ``[[leave]]`` table per entitlement "
             "(maternity, paternity or parental leave of mothers or fathers), costed from "
             "births (the population aged 0), the employment rate and the earnings of the "
             "parent's sex: the cost of extending the current entitlement (weeks, replacement "
             "rate, coverage) to the target along ``meta.phase_in``.  Leave benefits are "
             "transfers: no jobs and no fiscal returns are counted for them (docs/methods.md "
             "§4.7).",
    "breastfeeding": "Paid breastfeeding breaks (optional): paid time per working day for a "
                     "number of months after the return to work, costed from births, mothers' "
                     "employment rate and women's earnings (ILO C183 art. 10; a transfer, no "
                     "jobs counted; docs/methods.md §4.7).",
}

_MONEY_TOTAL: Final = 1e21   # any national total in any currency, below float overflow
_MONEY_PERSON: Final = 1e13  # any annual amount per person or place, in any currency
_PERSONS: Final = 1e10       # more than the world's population


@dataclass(frozen=True)
class FieldSpec:
    """One key of a scenario file.

    Attributes
    ----------
    table : str
        Table the key belongs to (``"meta"``, ``"services"``, ``"services.staff_grades"``,
        ``"macro"``, ``"fiscal"``, ``"induced"``, ``"comparison"``, ``"population"``,
        ``"io"``, or ``"top"`` for the top level).
    name : str
        Key.
    type : str
        ``"number"``, ``"integer"``, ``"text"``, ``"choice"`` (one of :attr:`choices`),
        ``"boolean"``, or a structured value (``"ages"``, ``"share_or_list"``,
        ``"phase_in"``, ``"sector_shares"``, ``"staff_grades"``, ``"table"``, ``"array"``).
    unit : str
        Unit of the value (``"share"`` for shares in [0, 1]; ``"% of GDP"`` for percents).
    description : str
        What the key means, for people who do not read Python.
    low, high : float or None
        Ends of the allowed range (``None``: unbounded).
    low_open, high_open : bool
        Whether the end is excluded.
    default : object
        Value used when the key is absent; :data:`REQUIRED` when it must be given; ``None``
        when absence means "not used".
    default_text : str
        How the default is shown when it is not a plain value (e.g. "country data set").
    choices : tuple of str
        Allowed values of a ``"choice"`` key.
    pattern : str or None
        Regular expression a ``"text"`` value must match in full.
    source : str
        Where the concept and its usual values come from.
    http : bool
        Whether the key may be sent over HTTP (file references may not).
    warn_above : float or None
        Values above it are accepted with an :class:`ImplausibleInputWarning`.
    example : object
        Value written by :func:`scenario_template` (``None``: the key is described in prose
        only).
    country : bool
        Whether the country data set may supply the value (``macro`` and ``fiscal``).
    """

    table: str
    name: str
    type: FieldType
    unit: str
    description: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    default: Any = REQUIRED
    default_text: str = ""
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    source: str = ""
    http: bool = True
    warn_above: float | None = None
    example: Any = None
    country: bool = False

    @property
    def key(self) -> str:
        """``table.name`` (``name`` for top-level keys)."""
        return self.name if self.table == "top" else f"{self.table}.{self.name}"

    @property
    def required(self) -> bool:
        """Whether the key must be given (in the scenario, or for ``macro``/``fiscal`` keys in
        the scenario or the country data set)."""
        return self.default is REQUIRED

    @property
    def is_share(self) -> bool:
        """Whether the value is a share, fraction or rate (the share convention applies)."""
        return self.unit.startswith("share")

    @property
    def is_pct_gdp(self) -> bool:
        """Whether the value is a percent of GDP (the key ends in ``_pct_gdp``)."""
        return self.name.endswith("_pct_gdp")

    @property
    def bounds(self) -> tuple[float | None, float | None, bool, bool]:
        """``(low, high, low_open, high_open)``."""
        return (self.low, self.high, self.low_open, self.high_open)

    def range_text(self) -> str:
        """The allowed range as an interval (``[0, 1]``, ``(0, inf]``) or the choices."""
        if self.type == "choice":
            return ", ".join(repr(c) for c in self.choices)
        if self.pattern is not None:
            return f"matches {self.pattern}"
        if self.low is None and self.high is None:
            return ""
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        return f"{left}{lo}, {hi}{right}"

    def default_display(self) -> str:
        """The default as shown on the reference page."""
        if self.default_text:
            return self.default_text
        if self.default is REQUIRED:
            return "required"
        if self.default is None:
            return "not set"
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, str):
            return repr(self.default)
        return f"{self.default:g}" if isinstance(self.default, float) else str(self.default)

    def check(self, value: Any, where: str | None = None) -> float:
        """Check a numeric value against the range; return it as a float.

        Parameters
        ----------
        value : number
        where : str, optional
            Name in messages (default :attr:`key`, e.g. ``services.childcare_0_2.wage``).

        Returns
        -------
        float

        Raises
        ------
        InvestmentInputError
            Naming the key, the value and the range; for a share given a value in (1, 100],
            also the value probably meant (``60 -- did you mean 0.60?``); for an integer key
            (``"integer"``, ``"ages"``) given a number with a decimal part, the whole numbers
            probably meant (see :func:`~carecost.investment._validate.as_integer`).

        Warns
        -----
        ImplausibleInputWarning
            When the value is above :attr:`warn_above` (one service above 5 % of GDP).
        """
        key = where or self.key
        x = float(as_integer(value, key)) if self.type in ("integer", "ages") \
            else as_number(value, key)
        if self.is_share and self.high is not None and self.high <= 2 and self.high < abs(x) \
                <= 100:
            meant = x / 100
            text = f"{meant:.2f}" if math.isclose(round(meant, 2), meant) else f"{meant:g}"
            raise InvestmentInputError(
                f"{key} = {value!r} is outside the allowed range {self.range_text()}; shares "
                f"are fractions — did you mean {text}? (see {REFERENCE_PAGE})"
            )
        out = check_range(value, key, low=self.low, high=self.high, low_open=self.low_open,
                          high_open=self.high_open)
        if self.warn_above is not None and out > self.warn_above:
            warnings.warn(
                f"{key} = {value!r}: {out:g}% of GDP on one service is implausible; did you "
                f"mean {out / 100:g}? ({self.name} is a percent of GDP: 0.12 means 0.12% of "
                f"GDP; see {REFERENCE_PAGE})",
                ImplausibleInputWarning,
                stacklevel=3,
            )
        return out


def _f(table: str, name: str, type_: FieldType, unit: str, description: str,
       **kw: Any) -> FieldSpec:
    return FieldSpec(table=table, name=name, type=type_, unit=unit, description=description,
                     **kw)


_SHARE: Final = {"low": 0.0, "high": 1.0}
_UNWIT: Final = "UN Women and ILO (2021), step 1"
_UNWIT2: Final = "UN Women and ILO (2021), step 2"
_CPIS: Final = "ILO (2022) Care Policy Investment Simulator; De Henau (2022)"
_NAT: Final = "national accounts (e.g. World Bank WDI, OECD, national statistics office)"
_LFS: Final = "labour force survey (e.g. ILOSTAT)"
_TAX: Final = "OECD Taxing Wages / tax-benefit model (e.g. EUROMOD), average effective rates"
_DBC: Final = "country database (carecost.countries): "
_C183: Final = "ILO Maternity Protection Convention, 2000 (No. 183)"
_R191: Final = "ILO Maternity Protection Recommendation, 2000 (No. 191)"
_CAW: Final = "ILO (2022) Care at Work (maternity, paternity and parental leave); De Henau (2022)"

#: Every key of a scenario, table by table.
FIELDS: Final[tuple[FieldSpec, ...]] = (
    # ------------------------------------------------------------------ top level
    _f("top", "meta", "table", "", "Name, country, years and phase-in (see [meta])."),
    _f("top", "services", "array", "", "The care services, one [[services]] table each."),
    _f("top", "macro", "table", "", "Overrides of the country's macro values.", default=None),
    _f("top", "fiscal", "table", "", "Overrides of the country's tax and benefit values.",
       default=None),
    _f("top", "induced", "table", "", "Method for induced jobs.", default=None),
    _f("top", "comparison", "table", "", "Comparison sector.", default=None),
    _f("top", "population", "table", "", "Population file.", default=None, http=False),
    _f("top", "io", "table", "", "Input–output table.", default=None, http=False),
    _f("top", "leave", "array", "", "Childcare-related leave, one [[leave]] table each.",
       default=None),
    _f("top", "breastfeeding", "table", "", "Paid breastfeeding breaks.", default=None),
    # ------------------------------------------------------------------ meta
    _f("meta", "name", "text", "", "Title of the scenario, shown in results and briefs.",
       default="scenario", example="My country: childcare expansion by 2035"),
    _f("meta", "country", "text", "",
       "Country supplying macro, fiscal, population and input–output values: an ISO 3166-1 "
       "alpha-3 code of carecost.countries.available() (e.g. 'MEX'; every input the scenario "
       "does not set comes from the country database for the base year, with source, year "
       "and flag in Scenario.sources()), or a country data-set file "
       "carecost/investment/data/countries/<country>.toml.  'example' is the synthetic "
       "example country (not real data).",
       default="example", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,39}$", example="example",
       source="carecost.countries (docs/methods.md §4.6; datasets/README.md)"),
    _f("meta", "preset", "choice", "",
       "A shipped policy package (carecost/investment/data/presets/<preset>.toml): its "
       "years, [[services]] (universal ECCE by age, long-term care by age group), "
       "[[leave]] and [breastfeeding] are used, and every key this file sets overrides "
       "the preset's (tables key by key; [[services]] and [[leave]] entries of the same "
       "name key by key, other names added).  With meta.country an ISO3 code, no other "
       "input is needed.", choices=("ilo-2035", "ilo-2050"), default=None,
       source="ILO (2022) Care at Work; De Henau (2022); ILO C183 and R191 (the source "
              "of every value: docs/methods.md §4.8)"),
    _f("meta", "use_country_dataset", "boolean", "",
       "Whether to read the country data set; false means every macro and fiscal key and "
       "population.file must be given in the scenario.", default=True, http=False),
    _f("meta", "currency", "text", "ISO 4217 code",
       "Currency of every money value (constant prices of the base year; for a country of "
       "the database, of the price year: the base year, or the last year with World Bank "
       "GDP when the base year is later).",
       default=None, default_text="country data set (else 'XCU'); 'LCU' (local currency "
       "units) for a country of the database", pattern=r"^[A-Z]{3}$"),
    _f("meta", "base_year", "integer", "calendar year",
       "First simulated year; coverage is current_coverage in it.", low=1950, high=2100,
       example=2025),
    _f("meta", "target_year", "integer", "calendar year",
       "Year in which target_coverage is reached; after base_year.", low=1950, high=2100,
       example=2035),
    _f("meta", "end_year", "integer", "calendar year",
       "Last simulated year, at least target_year (coverage stays at the target after it).",
       low=1950, high=2100, default=None, default_text="target_year"),
    _f("meta", "phase_in", "phase_in", "share of the coverage gap closed",
       "Path from current to target coverage: 'linear', or one share per year base_year.."
       "end_year (non-decreasing, 1 in the target year).", default="linear", example="linear",
       **_SHARE,
       source=_UNWIT),
    # ------------------------------------------------------------------ services
    _f("services", "name", "text", "",
       "Identifier of the service (a letter, then letters, digits or '_'), unique in the "
       "scenario.", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$", example="childcare_0_2"),
    _f("services", "kind", "text", "", "Kind of service (descriptive: childcare, preschool, "
       "ltc, ...).", default="care", example="childcare"),
    _f("services", "ages", "ages", "years of age",
       "First and last single year of age concerned, [first, last], each in [0, 120].",
       low=0, high=120, example=[0, 2]),
    _f("services", "need_rate", "share_or_list", "share",
       "Share of each age needing the service: one share for all ages, or one per age "
       "(1 for childcare; dependency prevalence for long-term care).", default=1.0, **_SHARE,
       source=_UNWIT + " (care needs)", example=1.0),
    _f("services", "current_coverage", "number", "share",
       "Share of persons in need who are covered in the base year.", **_SHARE,
       source=_UNWIT + " (coverage gap); administrative data", example=0.15),
    _f("services", "target_coverage", "number", "share",
       "Share of persons in need covered from the target year on; at least current_coverage.",
       **_SHARE, source=_UNWIT, example=0.5),
    _f("services", "persons_per_staff", "number", "persons per FTE care worker",
       "Children (or persons) per full-time care worker while the service is open.",
       low=0.0, high=1000.0, low_open=True, source=_UNWIT2 + " (staff-to-child ratios)",
       example=4.0),
    _f("services", "service_hours_per_week", "number", "hours per week",
       "Hours of care a week per covered person.", low=0.0, high=168.0, low_open=True,
       default=40.0, source=_UNWIT2, example=40.0),
    _f("services", "staff_hours_per_week", "number", "hours per week",
       "Contractual hours of a full-time care worker.", low=0.0, high=80.0, low_open=True,
       default=40.0, source=_UNWIT2 + "; " + _LFS, example=40.0),
    _f("services", "service_weeks_per_year", "number", "weeks per year",
       "Weeks a year the service is used by a covered person.", low=0.0, high=53.0,
       low_open=True, default=52.0, source=_CPIS),
    _f("services", "staff_weeks_per_year", "number", "weeks per year",
       "Weeks a full-time worker works (net of leave, training, sickness); FTE = persons / "
       "ratio x (service hours x weeks) / (staff hours x weeks).", low=0.0, high=53.0,
       low_open=True, default=52.0, source=_CPIS),
    _f("services", "non_care_staff_ratio", "number", "other staff per care worker",
       "Other staff (management, cooks, cleaners) per care worker.", low=0.0, high=10.0,
       default=0.0, source=_UNWIT2, example=0.2),
    _f("services", "wage_relative_to_average", "number", "multiple of the average wage",
       "Care worker's gross annual wage relative to macro.average_wage.  Give exactly one of "
       "wage_relative_to_average or wage (or staff_grades).", low=0.0, high=10.0,
       low_open=True, default=None, source=_UNWIT2 + "; " + _LFS, example=0.65),
    _f("services", "wage", "number", "currency per FTE per year",
       "Care worker's gross annual wage in currency, instead of wage_relative_to_average.",
       low=0.0, high=_MONEY_PERSON, low_open=True, default=None, source=_LFS),
    _f("services", "wage_floor_relative_to_average", "number", "multiple of the average wage",
       "Decent-work standard: wages of new and existing (current_staff) workers are raised to "
       "at least this multiple of the average wage.", low=0.0, high=10.0, default=None,
       source=_UNWIT2 + " (decent-work scenario); " + _CPIS),
    _f("services", "non_care_wage_relative_to_average", "number",
       "multiple of the average wage",
       "Gross wage of other staff relative to the average wage; above 0 when "
       "non_care_staff_ratio > 0.", low=0.0, high=10.0, default=0.0, source=_LFS,
       example=0.6),
    _f("services", "non_staff_cost_share", "number", "share of recurrent cost",
       "Share of recurrent cost that is not staff cost (rent, food, materials).", low=0.0,
       high=1.0, high_open=True, default=0.0, source=_UNWIT2, example=0.15),
    _f("services", "current_staff", "number", "FTE care workers",
       "Care workers already employed; their pay rise to the wage floor is costed.",
       low=0.0, high=_PERSONS, default=0.0, source="administrative data"),
    _f("services", "current_spending_pct_gdp", "number", "% of GDP",
       "Current public spending on the service, percent of GDP (0.12 means 0.12% of GDP).",
       low=0.0, high=100.0, default=0.0, warn_above=5.0,
       source="OECD Social Expenditure / Family Database; national budgets", example=0.12),
    _f("services", "replaced_spending_pct_gdp", "number", "% of GDP",
       "Part of current spending replaced by the new provision (subsidies, vouchers that "
       "end), percent of GDP, at most current_spending_pct_gdp.", low=0.0, high=100.0,
       default=0.0, warn_above=5.0, source=_CPIS + " (whole-system costing)"),
    _f("services", "capital_cost_per_place", "number", "currency per new place",
       "One-off capital cost (building, fitting out) of each new place.", low=0.0,
       high=_MONEY_PERSON, default=0.0, source=_UNWIT2 + " (capital investment)"),
    _f("services", "capital_sector", "text", "input–output sector code",
       "Sector supplying the capital spending; required when capital_cost_per_place > 0.",
       default=None),
    _f("services", "parent_employment_per_person", "number",
       "employed parents per newly covered person",
       "Additional employed parents per newly covered person (labour-supply effect, from an "
       "external study).", low=0.0, high=2.0, default=0.0,
       source="an external employment-elasticity study or microsimulation"),
    _f("services", "parent_women_share", "number", "share",
       "Women's share of those parents.", **_SHARE, default=1.0),
    _f("services", "parent_earnings_relative_to_average", "number",
       "multiple of the average wage",
       "Parents' gross annual earnings relative to the average wage; above 0 when "
       "parent_employment_per_person > 0.", low=0.0, high=10.0, default=0.0, source=_LFS),
    _f("services", "women_share", "number", "share",
       "Women's share of new care staff (or the staff_grades' share-weighted mean).",
       **_SHARE, default=None, default_text="required (unless every staff grade has one)",
       source=_LFS, example=0.95),
    _f("services", "non_care_women_share", "number", "share",
       "Women's share of new other staff.", **_SHARE, default=None,
       default_text="women_share", source=_LFS),
    _f("services", "sector", "text", "input–output sector code",
       "Sector whose input structure the non-staff spending follows (e.g. the care sector).",
       default=None,
       default_text="required; for a country of the database 'c33' (its care industry: "
                    "WIOD Health and social work, NACE N)",
       source="the input–output table (io.dataset)", example="CAR"),
    _f("services", "non_staff_inputs", "sector_shares", "share",
       "Allocation of non-staff spending to supplying sectors (sector = share, summing to 1); "
       "replaces the input structure of sector.", **_SHARE, default=None),
    _f("services", "staff_grades", "staff_grades", "",
       "Staff mix by qualification ([[services.staff_grades]] tables, 1 to 12); the "
       "service's wage and women's share are the grades' share-weighted means.",
       default=None),
    # ------------------------------------------------------------------ staff grades
    _f("services.staff_grades", "name", "text", "", "Name of the grade (distinct).",
       default=None, default_text="'grade N'"),
    _f("services.staff_grades", "share", "number", "share of care staff (FTE)",
       "Share of the service's care staff in this grade; the shares sum to 1.", **_SHARE),
    _f("services.staff_grades", "wage_relative_to_average", "number",
       "multiple of the average wage",
       "Gross annual pay of the grade relative to the average wage (or give wage).",
       low=0.0, high=10.0, low_open=True, default=None, source=_LFS),
    _f("services.staff_grades", "wage", "number", "currency per FTE per year",
       "Gross annual pay of the grade in currency (instead of wage_relative_to_average).",
       low=0.0, high=_MONEY_PERSON, low_open=True, default=None, source=_LFS),
    _f("services.staff_grades", "women_share", "number", "share",
       "Women's share of the grade.", **_SHARE, default=None, source=_LFS),
    # ------------------------------------------------------------------ macro
    _f("macro", "gdp", "number", "currency per year", "Base-year GDP.", low=0.0,
       high=_MONEY_TOTAL, low_open=True, source=_NAT + "; " + _DBC + "World Bank WDI "
       "NY.GDP.MKTP.CN for the base year (observed or interpolated); a base year after the "
       "last observation: the last observation projected with gdp_growth, at that year's "
       "prices (flag projected)", country=True),
    _f("macro", "gdp_growth", "number", "share per year",
       "Real GDP growth per year.", low=-0.5, high=0.5, source=_NAT + "; " + _DBC + "no "
       "real-growth series is shipped: proxy = average growth of the UN WPP 2019 population "
       "aged 15-64 from base to end year (no productivity growth; flag proxy); set it from "
       "IMF WEO projections (NGDP_RPCH) for money totals in later years", country=True),
    _f("macro", "average_wage", "number", "currency per FTE per year",
       "Average gross annual wage per full-time equivalent (employer contributions excluded).",
       low=0.0, high=_MONEY_PERSON, low_open=True, source=_LFS + "; national accounts; "
       + _DBC + "ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A average monthly earnings of employees "
       "(2021 PPP$) x 12 x the WDI PPP conversion factor PA.NUS.PPP of the price year (flag "
       "derived; exact at 2021 prices, otherwise off by the US price change since 2021)",
       country=True),
    _f("macro", "real_wage_growth", "number", "share per year",
       "Real growth of wages per year.", low=-0.5, high=0.5, default=0.0, source=_NAT + "; "
       + _DBC + "0 (flag fallback), paired with the gdp_growth proxy so that the wage share "
       "of GDP stays constant", country=True),
    _f("macro", "working_age_women", "number", "persons",
       "Working-age women (held at the base-year level).", low=0.0, high=_PERSONS,
       low_open=True, source="UN World Population Prospects; " + _LFS + "; " + _DBC
       + "WPP 2019 women aged 15-64 in the base year", country=True),
    _f("macro", "working_age_men", "number", "persons",
       "Working-age men (held at the base-year level).", low=0.0, high=_PERSONS,
       low_open=True, source="UN World Population Prospects; " + _LFS + "; " + _DBC
       + "WPP 2019 men aged 15-64 in the base year", country=True),
    _f("macro", "employed_women", "number", "persons",
       "Employed women in the base year, at most working_age_women.", low=0.0,
       high=_PERSONS, source=_LFS + "; " + _DBC + "ILOSTAT EMP_TEMP_SEX_INS_NB_A, women, "
       "total of institutional sectors (thousands x 1000)", country=True),
    _f("macro", "employed_men", "number", "persons",
       "Employed men in the base year, at most working_age_men.", low=0.0, high=_PERSONS,
       source=_LFS + "; " + _DBC + "ILOSTAT EMP_TEMP_SEX_INS_NB_A, men, total of "
       "institutional sectors (thousands x 1000)", country=True),
    _f("macro", "share_from_non_employment", "number", "share of new jobs",
       "Share of new jobs taken by people not employed before (the rest change jobs); at "
       "least fiscal.share_from_unemployment.", **_SHARE, default=1.0, source=_CPIS,
       country=True),
    _f("macro", "women_earnings_relative_to_average", "number", "multiple of the average wage",
       "Employed women's mean gross earnings relative to macro.average_wage (the earnings "
       "replaced by maternity and parental leave and breastfeeding breaks).  Used only with "
       "[[leave]] or [breastfeeding].", low=0.0, high=10.0, low_open=True, default=None,
       default_text="not set (required with [[leave]] or [breastfeeding] for mothers)",
       source=_LFS + "; " + _DBC + "ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A average monthly "
       "earnings of female employees / of all employees, same year (flag derived)",
       country=True),
    _f("macro", "men_earnings_relative_to_average", "number", "multiple of the average wage",
       "Employed men's mean gross earnings relative to macro.average_wage (the earnings "
       "replaced by paternity and parental leave of fathers).  Used only with [[leave]].",
       low=0.0, high=10.0, low_open=True, default=None,
       default_text="not set (required with [[leave]] for fathers)",
       source=_LFS + "; " + _DBC + "ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A average monthly "
       "earnings of male employees / of all employees, same year (flag derived)",
       country=True),
    # ------------------------------------------------------------------ fiscal
    _f("fiscal", "income_tax_rate", "number", "share of gross wages",
       "Average effective income tax rate on wages; with employee contributions at most 1.",
       **_SHARE, source=_TAX + "; " + _DBC + "proxy = general government revenue, % of GDP "
       "(IMF WEO April 2019 GGR_NGDP) / 100, the average effective tax rate on new income of "
       "De Henau (2022) and the ILO simulator (flag proxy); it stands for all taxes and "
       "contributions, so the other rates stay 0 unless set", country=True),
    _f("fiscal", "employee_contribution_rate", "number", "share of gross wages",
       "Employee social contributions.", **_SHARE, default=0.0, source=_TAX, country=True),
    _f("fiscal", "employer_contribution_rate", "number", "share of gross wages",
       "Employer social contributions (on top of the gross wage).", low=0.0, high=2.0,
       default=0.0, source=_TAX, country=True),
    _f("fiscal", "indirect_tax_rate", "number", "share of household consumption",
       "Indirect taxes (VAT, excises) as a share of consumption at purchasers' prices.",
       **_SHARE, default=0.0, source=_TAX + "; national accounts", country=True),
    _f("fiscal", "propensity_to_consume", "number", "share of disposable income",
       "Share of disposable income spent on domestic output (net of imports and saving).",
       **_SHARE, source=_NAT + "; " + _DBC + "proxy = household consumption of domestic "
       "output / (value added x (1 - income_tax_rate)) of the WIOD 2011 table used (flag "
       "proxy; at most 1)", country=True),
    _f("fiscal", "share_from_unemployment", "number", "share of new jobs",
       "Share of new jobs taken by people previously on unemployment benefit, at most "
       "macro.share_from_non_employment.", **_SHARE, default=0.0, source=_LFS, country=True),
    _f("fiscal", "unemployment_benefit", "number", "currency per person per year",
       "Benefit per unemployed person per year (grows with real wages).", low=0.0,
       high=_MONEY_PERSON, default=0.0, source="national benefit rules; OECD tax-benefit "
       "models", country=True),
    # ------------------------------------------------------------------ induced
    _f("induced", "method", "choice", "",
       "Induced jobs: 'type_ii' (household-closed input–output model), 'multiplier' (a "
       "consumption multiplier) or 'none'.", choices=("type_ii", "multiplier", "none"),
       default="type_ii", source="Miller and Blair (2009), ch. 6", example="type_ii"),
    _f("induced", "consumption_multiplier", "number", "multiplier",
       "Consumption multiplier when method = 'multiplier'.", low=1.0, high=10.0,
       default=1.0, source="Miller and Blair (2009), ch. 6"),
    # ------------------------------------------------------------------ comparison
    _f("comparison", "sector", "text", "input–output sector code",
       "Sector receiving the same spending for comparison (e.g. construction).",
       default=None, default_text="not set; for a country of the database 'c18' (WIOD "
       "construction, NACE F)", example="CON"),
    # ------------------------------------------------------------------ population
    _f("population", "file", "text", "CSV file (year, age, population)",
       "Population by calendar year and single year of age (persons), relative to the "
       "scenario file's folder.", default=None,
       default_text="country data set's population file; for a country of the database UN "
       "WPP 2019 by single year of age, both sexes (estimates to 2020, medium variant after; "
       "2000–2060 only)",
       source="UN World Population Prospects or national projections", http=False),
    # ------------------------------------------------------------------ io
    _f("io", "dataset", "text", "data-set name",
       "Input–output table for indirect and induced jobs; 'example' is the synthetic "
       "example table; an ISO3 code of the country database uses that country's domestic "
       "WIOD 2011 table (the rest-of-world structure, flagged fallback, for countries outside "
       "WIOD), in US$ million at 2019 prices converted at the price year's market exchange "
       "rate (World Bank GDP in local currency / GDP in US$) with employment coefficients "
       "rescaled to the country's employed persons per unit of GDP (docs/methods.md §4.6); "
       "other tables are passed to simulate() as an IOModel.",
       default=None, default_text="country data set's io_dataset (else 'example'); the "
       "country's own table for a country of the database",
       source="Miller and Blair (2009); national supply-use tables", http=False),
    # ------------------------------------------------------------------ leave
    _f("leave", "kind", "choice", "",
       "Kind of leave: 'maternity' (mothers), 'paternity' (fathers) or 'parental' (mothers "
       "or fathers, see parent).", choices=("maternity", "paternity", "parental"),
       source=_CAW, example="maternity"),
    _f("leave", "name", "text", "",
       "Identifier of the entitlement (a letter, then letters, digits or '_'), unique in "
       "the scenario.", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$", default=None,
       default_text="the kind, with the parent for parental leave (parental_mother)"),
    _f("leave", "parent", "choice", "",
       "Who takes the leave: 'mother' or 'father' (maternity is the mother's, paternity "
       "the father's).", choices=("mother", "father"), default=None,
       default_text="mother for maternity, father for paternity; required for parental"),
    _f("leave", "weeks", "number", "weeks per birth",
       "Target entitlement: paid weeks per birth (per parent entitled).", low=0.0,
       high=156.0, source=_C183 + " art. 4 (at least 14 weeks); " + _R191 + " para. 1 (at "
       "least 18 weeks)", example=18.0),
    _f("leave", "current_weeks", "number", "weeks per birth",
       "Paid weeks per birth today (base year); at most weeks.", low=0.0, high=156.0,
       default=0.0, source="ILO Care Policy Portal; national legislation"),
    _f("leave", "replacement_rate", "number", "share of previous earnings",
       "Target benefit per week as a share of the parent's previous earnings.", **_SHARE,
       source=_C183 + " art. 6 (at least two thirds of previous earnings); " + _R191
       + " para. 2 (full earnings)", example=1.0),
    _f("leave", "current_replacement_rate", "number", "share of previous earnings",
       "Benefit today as a share of previous earnings; at most replacement_rate.", **_SHARE,
       default=0.0, source="ILO Care Policy Portal; national legislation"),
    _f("leave", "ceiling_relative_to_average", "number", "multiple of the average wage",
       "Ceiling of the benefit, as annual earnings relative to the average wage (the weekly "
       "benefit is at most ceiling x average wage / 52), today and at the target.", low=0.0,
       high=10.0, low_open=True, default=None, default_text="not set (no ceiling)",
       source=_C183 + " art. 6(3) (two thirds of previous earnings, or of the earnings taken "
       "into account for benefits); national legislation"),
    _f("leave", "coverage", "number", "share of employed parents",
       "Target share of employed parents entitled, informal workers included (1 = all).",
       **_SHARE, default=1.0, source=_C183 + " art. 2 (all employed women, including those "
       "in atypical forms of dependent work); De Henau (2022)"),
    _f("leave", "current_coverage", "number", "share of employed parents",
       "Share of employed parents entitled today (e.g. the formal employees); at most "
       "coverage.", **_SHARE, default=0.0,
       source="ILO World Social Protection Report (effective coverage of maternity "
              "benefits); ILOSTAT informality rates"),
    _f("leave", "take_up", "number", "share of entitled parents",
       "Share of entitled parents who take the leave (today and at the target).", **_SHARE,
       default=1.0, source="administrative data (fathers' take-up is often below 1)"),
    _f("leave", "employment_rate", "number", "share",
       "Employment rate of the parents concerned (employed parents per birth).", **_SHARE,
       default=None, default_text="macro.employed_women / macro.working_age_women (mothers) "
       "or the men's (fathers)", source=_LFS + " (employment rate of parents of young "
       "children where available)"),
    # ------------------------------------------------------------------ breastfeeding
    _f("breastfeeding", "minutes_per_day", "number", "minutes per working day",
       "Target paid breastfeeding time per working day.", low=0.0, high=480.0,
       low_open=True, source=_C183 + " art. 10 (daily breaks or a daily reduction of hours, "
       "counted as working time and paid)", example=60.0),
    _f("breastfeeding", "current_minutes_per_day", "number", "minutes per working day",
       "Paid breastfeeding time per working day today; at most minutes_per_day.", low=0.0,
       high=480.0, default=0.0, source="ILO Care Policy Portal; national legislation"),
    _f("breastfeeding", "months", "number", "months per birth",
       "Target months of paid breaks after the return to work.", low=0.0, high=36.0,
       source=_C183 + " art. 10(2) (number and duration of breaks set by national law and "
       "practice); " + _R191 + " para. 7", example=6.0),
    _f("breastfeeding", "current_months", "number", "months per birth",
       "Months of paid breaks today; at most months.", low=0.0, high=36.0, default=0.0,
       source="ILO Care Policy Portal; national legislation"),
    _f("breastfeeding", "hours_per_day", "number", "hours per working day",
       "Paid working hours per day of a full-time employed mother (the break's share of "
       "the day's earnings is minutes / 60 / hours_per_day).", low=0.0, high=24.0,
       low_open=True, default=8.0, source=_LFS),
    _f("breastfeeding", "coverage", "number", "share of employed mothers",
       "Share of employed mothers entitled at the target, informal workers included.",
       **_SHARE,
       default=1.0, source=_C183 + " art. 2 and 10"),
    _f("breastfeeding", "current_coverage", "number", "share of employed mothers",
       "Share of employed mothers entitled today; at most coverage.", **_SHARE, default=0.0,
       source="ILO Care Policy Portal; ILOSTAT informality rates"),
    _f("breastfeeding", "take_up", "number", "share of entitled mothers",
       "Share of entitled mothers who breastfeed and take the breaks.", **_SHARE,
       default=1.0, source="national breastfeeding surveys (e.g. DHS, UNICEF)"),
    _f("breastfeeding", "employment_rate", "number", "share",
       "Employment rate of mothers (employed mothers per birth).", **_SHARE, default=None,
       default_text="macro.employed_women / macro.working_age_women", source=_LFS),
)


Scope = Literal["services", "scenario"]


@dataclass(frozen=True)
class JointConstraint:
    """A constraint between keys of a scenario, defined once for every check.

    Attributes
    ----------
    scope : {"services", "scenario"}
        ``"services"``: checked for each service on its own keys; ``"scenario"``: on the
        ``macro`` and ``fiscal`` keys.
    keys : tuple of str
        ``table.name`` of each key (``services.current_coverage``, ``fiscal.
        share_from_unemployment``), in the order of the arguments of :attr:`holds`.
    holds : callable
        Vectorised predicate: ``holds(*values)`` is true where the values are consistent
        (values are floats, ``(D, 1)`` columns of draws, or text for text keys).
    message : str
        Error message, a :meth:`str.format` template: ``{name.path}`` (the key as the user
        wrote it, e.g. ``services.cc.target_coverage`` or a Monte Carlo range end),
        ``{name.name}``, ``{name.value}`` (the value used, ``:g``), ``{name.given}`` (the
        value as given in the file, ``None`` when absent) and ``{where}`` (empty for a
        scenario file, `` in draw 3`` for draws).
    rule : str
        The constraint as shown on the reference page.
    """

    scope: Scope
    keys: tuple[str, ...]
    holds: Callable[..., Any]
    message: str
    rule: str

    @property
    def names(self) -> tuple[str, ...]:
        """The keys' names (without table)."""
        return tuple(k.split(".", 1)[1] for k in self.keys)

    def error(
        self,
        values: Mapping[str, tuple[str, Any]],
        where: str = "",
        *,
        given: Mapping[str, Any] | None = None,
        row: int = 0,
    ) -> InvestmentInputError:
        """The error for values that break the constraint.

        Parameters
        ----------
        values : mapping
            Key name -> ``(path, value)``: the name in the message and the value (a float,
            text, or an array whose row ``row`` is shown).
        where : str
            Appended after the values (``" in draw 3"``); empty for a scenario file.
        given : mapping, optional
            The table as written in a file (``{name.given}``; absent keys show ``None``).
        row : int
            Row of the draws axis shown.
        """
        shown = {
            name: _Shown(path, name, value, None if given is None else given.get(name), row,
                         given is not None)
            for name, (path, value) in values.items()
        }
        return InvestmentInputError(self.message.format(where=where, **shown))


#: Every constraint between keys.  The loader (:func:`carecost.investment.scenario_from_dict`),
#: the Monte Carlo range check (:func:`carecost.investment.uncertainty.check_joint_ranges`)
#: and the draw-by-draw check of the simulation all use this list; constraints on the
#: structure of a file (one of ``wage`` or ``wage_relative_to_average``, the years, staff
#: grades) are checked by the loader alone.
JOINT: Final[tuple[JointConstraint, ...]] = (
    JointConstraint(
        "services", ("services.current_coverage", "services.target_coverage"),
        lambda cur, tgt: np.asarray(tgt) >= np.asarray(cur),
        "{target_coverage.path} = {target_coverage.given} is below {current_coverage.name} = "
        "{current_coverage.value}{where}; allowed range [{current_coverage.value}, 1] (a "
        "negative coverage gap)",
        "`target_coverage >= current_coverage`"),
    JointConstraint(
        "services", ("services.non_care_staff_ratio", "services.non_care_wage_relative_to_average"),
        lambda ratio, wage: (np.asarray(ratio) <= 0) | (np.asarray(wage) > 0),
        "{non_care_wage_relative_to_average.path} = {non_care_wage_relative_to_average.given} "
        "but {non_care_staff_ratio.path} = {non_care_staff_ratio.value} > 0{where}; give the "
        "other staff's wage relative to the average wage, allowed range (0, 10]",
        "`non_care_wage_relative_to_average > 0` when `non_care_staff_ratio > 0`"),
    JointConstraint(
        "services",
        ("services.parent_employment_per_person", "services.parent_earnings_relative_to_average"),
        lambda mu, earn: (np.asarray(mu) <= 0) | (np.asarray(earn) > 0),
        "{parent_earnings_relative_to_average.path} = "
        "{parent_earnings_relative_to_average.given} but {parent_employment_per_person.path} = "
        "{parent_employment_per_person.value} > 0{where}; give the newly employed parents' "
        "earnings relative to the average wage, allowed range (0, 10]",
        "`parent_earnings_relative_to_average > 0` when `parent_employment_per_person > 0`"),
    JointConstraint(
        "services", ("services.capital_cost_per_place", "services.capital_sector"),
        lambda cost, sector: (np.asarray(cost) <= 0) | bool(sector),
        "{capital_sector.path} is missing but {capital_cost_per_place.path} = "
        "{capital_cost_per_place.value} > 0{where}; give the input–output sector that "
        "supplies the capital spending (e.g. construction)",
        "`capital_sector` when `capital_cost_per_place > 0`"),
    JointConstraint(
        "services", ("services.current_spending_pct_gdp", "services.replaced_spending_pct_gdp"),
        lambda spent, replaced: np.asarray(replaced) <= np.asarray(spent),
        "{replaced_spending_pct_gdp.path} = {replaced_spending_pct_gdp.given} exceeds "
        "{current_spending_pct_gdp.path} = {current_spending_pct_gdp.value}{where}; allowed "
        "range [0, {current_spending_pct_gdp.value}] (only current spending can be replaced)",
        "`replaced_spending_pct_gdp <= current_spending_pct_gdp`"),
    JointConstraint(
        "scenario", ("fiscal.income_tax_rate", "fiscal.employee_contribution_rate"),
        lambda it, ee: np.asarray(it) + np.asarray(ee) <= 1.0,
        "{income_tax_rate.path} + {employee_contribution_rate.path} = {income_tax_rate.value} "
        "+ {employee_contribution_rate.value} > 1{where}; allowed range of the sum [0, 1]",
        "`income_tax_rate + employee_contribution_rate <= 1`"),
    JointConstraint(
        "scenario", ("macro.employed_women", "macro.working_age_women"),
        lambda emp, wa: np.asarray(emp) <= np.asarray(wa),
        "{employed_women.path} = {employed_women.value}{where}; allowed range [0, "
        "{working_age_women.path} = {working_age_women.value}]",
        "`employed_women <= working_age_women`"),
    JointConstraint(
        "scenario", ("macro.employed_men", "macro.working_age_men"),
        lambda emp, wa: np.asarray(emp) <= np.asarray(wa),
        "{employed_men.path} = {employed_men.value}{where}; allowed range [0, "
        "{working_age_men.path} = {working_age_men.value}]",
        "`employed_men <= working_age_men`"),
    JointConstraint(
        "scenario", ("fiscal.share_from_unemployment", "macro.share_from_non_employment"),
        lambda u, q: np.asarray(u) <= np.asarray(q),
        "{share_from_unemployment.path} = {share_from_unemployment.value} exceeds "
        "{share_from_non_employment.path} = {share_from_non_employment.value}{where}; allowed "
        "range [0, {share_from_non_employment.value}] (the unemployed are among the "
        "non-employed)",
        "`share_from_unemployment <= share_from_non_employment`"),
)


class _Shown:
    """A key's value as shown in a message of :func:`check_joint`."""

    def __init__(self, path: str, name: str, value: Any, given: Any, row: int,
                 from_file: bool):
        self.path = path
        # a Monte Carlo range end ("services.cc.current_coverage high") keeps its end
        end = path.rsplit(" ", 1)[-1] if " " in path else ""
        self.name = f"{name} {end}" if end in ("low", "high") else name
        self.value = _show(value, row)
        if not from_file:
            self.given = self.value
        else:
            self.given = "None" if given is None else repr(given)


def _show(value: Any, row: int) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    arr = np.atleast_2d(np.asarray(value, dtype=float))
    return f"{float(arr[min(row, arr.shape[0] - 1), 0]):g}"


def check_joint(
    scope: Scope,
    value_of: Callable[[str], tuple[str, Any]],
    *,
    where: Callable[[int], str] | None = None,
    given: Mapping[str, Any] | None = None,
) -> None:
    """Check the constraints of :data:`JOINT` of one scope.

    Parameters
    ----------
    scope : {"services", "scenario"}
        Which constraints (a service's, or the macro and fiscal ones).
    value_of : callable
        ``value_of("services.target_coverage") -> (path, value)``: the key's name in messages
        (e.g. ``services.cc.target_coverage``) and its value (a float, a ``(D, 1)`` column of
        draws, or text).
    where : callable, optional
        ``where(i)`` names row ``i`` of the draws (``"draw 3"``); None for a scenario file.
    given : mapping, optional
        The table as written in the file (keys absent there are shown as ``None``); None to
        show the values used.

    Raises
    ------
    InvestmentInputError
        The first constraint broken, in the first row that breaks it, with the message of
        the constraint naming the keys, their values and the allowed range.
    """
    for c in JOINT:
        if c.scope != scope:
            continue
        got = [value_of(k) for k in c.keys]
        ok = np.atleast_2d(np.asarray(c.holds(*(v for _, v in got)), dtype=bool))
        rows = np.nonzero((~ok).any(axis=1))[0]
        if not rows.size:
            continue
        i = int(rows[0])
        raise c.error(dict(zip(c.names, got, strict=True)),
                      "" if where is None else f" in {where(i)}", given=given, row=i)


def _joint_rules() -> str:
    """The constraints between keys as one sentence of the reference page."""
    structural = ["`target_year > base_year`", "`end_year >= target_year`",
                  "exactly one of `wage_relative_to_average` or `wage` (or `staff_grades`)",
                  "for each `[[leave]]`: `weeks >= current_weeks`, `replacement_rate >= "
                  "current_replacement_rate`, `coverage >= current_coverage`",
                  "for `[breastfeeding]`: `minutes_per_day >= current_minutes_per_day`, "
                  "`months >= current_months`, `coverage >= current_coverage`"]
    return ("Constraints between keys (checked on load, on the ends of Monte Carlo ranges "
            "and draw by draw): " + "; ".join(structural + [c.rule for c in JOINT]) + ".")

_BY_TABLE: dict[str, dict[str, FieldSpec]] = {}
for _spec in FIELDS:
    _BY_TABLE.setdefault(_spec.table, {})[_spec.name] = _spec


def fields_of(table: str) -> dict[str, FieldSpec]:
    """The keys of ``table`` (see :data:`TABLES`), in specification order."""
    if table not in _BY_TABLE:
        raise InvestmentInputError(
            f"table = {table!r} is not a scenario table; allowed {', '.join(TABLES)}"
        )
    return dict(_BY_TABLE[table])


def field(table: str, name: str) -> FieldSpec:
    """The specification of ``table.name``."""
    spec = _BY_TABLE.get(table, {}).get(name)
    if spec is None:
        raise InvestmentInputError(f"{table}.{name} is not a scenario key (see "
                                   f"{REFERENCE_PAGE})")
    return spec


def _parameter_spec(path: str) -> FieldSpec:
    """The specification of a Monte Carlo parameter path (``macro.gdp``,
    ``services.<name|*>.wage``, ``induced.consumption_multiplier``): a numeric key."""
    parts = path.split(".")
    table = parts[0]
    name = parts[-1]
    shape_ok = (len(parts) == 2 and table in ("macro", "fiscal", "induced")) or (
        len(parts) == 3 and table == "services")
    spec = _BY_TABLE.get(table, {}).get(name) if shape_ok else None
    if spec is None or spec.type != "number":
        raise InvestmentInputError(
            f"parameter {path!r} not recognised; allowed macro.<key>, fiscal.<key>, "
            "services.<name|*>.<key> and induced.consumption_multiplier of a numeric key "
            f"(see {REFERENCE_PAGE})")
    return spec


def check_parameter_range(path: str, low: Any, high: Any, central: Any) -> tuple[float, float]:
    """Check a Monte Carlo or sensitivity range of one parameter against its field and the
    scenario's value.

    A range must lie in the field's allowed values (its physical domain, e.g. a GDP above 0,
    tax rates in [0, 1]: :meth:`FieldSpec.check` on both ends), have ``low <= high``, and
    contain the scenario's (central) value: the interval of a result is the spread around the
    central estimate, so a range beside the central value (``macro.gdp`` in [1e-300,
    1e-299] with a central 1e12) describes another scenario, and its draws can overflow.

    Parameters
    ----------
    path : str
        The parameter (``macro.gdp``, ``services.childcare_0_2.wage_relative_to_average``).
    low, high : number
        The range ends, in the field's unit.
    central : number
        The scenario's value of the parameter.

    Returns
    -------
    (float, float)
        ``low`` and ``high`` as floats.

    Raises
    ------
    InvestmentInputError
        Naming the parameter, the range, the central value and what to change.
    """
    spec = _parameter_spec(path)
    lo = spec.check(low, f"{path} low")
    hi = spec.check(high, f"{path} high")
    if lo > hi:
        raise InvestmentInputError(
            f"{path} range [{lo:g}, {hi:g}]: low is above high; allowed low <= high")
    c = as_number(central, f"{path} (scenario value)")
    if not lo <= c <= hi:
        raise InvestmentInputError(
            f"{path} range [{lo:g}, {hi:g}] does not contain the scenario's value {c:g}; a "
            "Monte Carlo or sensitivity range must contain the central value: widen the range "
            f"to include {c:g}, or set {path} in the scenario to a value inside it "
            f"(allowed values of {spec.key}: {spec.range_text()})")
    return lo, hi


def check_keys(mapping: Mapping[str, Any], table: str, where: str,
               extra: Iterable[str] = ()) -> None:
    """Refuse keys of ``mapping`` that ``table`` does not have.

    Parameters
    ----------
    mapping : mapping
        A parsed table of the scenario.
    table : str
        Its table in the specification.
    where : str
        Its name in messages (e.g. ``services.childcare_0_2``).
    extra : iterable of str
        Further keys allowed here.

    Raises
    ------
    InvestmentInputError
        ``services.childcare_0_2: unknown key 'non_staf_cost_share'; did you mean
        'non_staff_cost_share'? (see docs/scenario-reference.md)``
    """
    if not isinstance(mapping, Mapping):
        raise InvestmentInputError(
            f"{where} = {mapping!r} is not a table; allowed a table of keys "
            f"{', '.join(fields_of(table))} (see {REFERENCE_PAGE})"
        )
    allowed = [*fields_of(table), *extra]
    for key in mapping:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]!r}?" if close
                else f"allowed keys: {', '.join(allowed)}")
        raise InvestmentInputError(
            f"{where}: unknown key {key!r}; {hint} (see {REFERENCE_PAGE})"
        )


# --------------------------------------------------------------------------- reference page
def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type_text(spec: FieldSpec) -> str:
    return {
        "number": "number", "integer": "integer", "text": "text", "choice": "text (choice)",
        "boolean": "true/false", "ages": "[integer, integer]",
        "share_or_list": "number or list of numbers", "phase_in": "'linear' or list of numbers",
        "sector_shares": "table of sector = number", "staff_grades": "array of tables",
        "table": "table", "array": "array of tables",
    }[spec.type]


def reference_markdown() -> str:
    """The scenario reference page (``docs/scenario-reference.md``), generated from
    :data:`FIELDS`.

    Returns
    -------
    str
        Markdown: the conventions, then one table per scenario table with every key's type,
        unit, default, allowed range, whether HTTP accepts it, description and source.
    """
    out = [
        "# Scenario file reference",
        "",
        "<!-- Generated from src/carecost/investment/fields.py; do not edit by hand. "
        "Regenerate with:",
        f"     {REGENERATE}",
        "-->",
        "",
        "A care-investment scenario is a TOML file (read by `carecost simulate`, `carecost "
        "validate` and `carecost.investment.load_scenario`) or the same layout as JSON (the "
        "`scenario` of `POST /v1/simulate`).  `carecost new-scenario FILE` writes a commented "
        "starter file.  This page lists every key; any other key is an error that names the "
        "closest valid key.",
        "",
        "## Conventions",
        "",
        "* **Shares**: fractions, shares, rates and coverage are shares in [0, 1] (`0.6` is "
        "60%).  A share given a value in (1, 100] is refused with the value probably meant "
        "(`target_coverage = 60` — did you mean 0.60?).",
        "* **Percents of GDP**: only keys ending in `_pct_gdp` are percents (`0.12` is 0.12% "
        "of GDP).  Negative values and values above 100 are refused; a value above 5 for one "
        "service is accepted with a warning (did you mean a share?).",
        "* **Integers**: years and ages are integers.  A number without a decimal part "
        "(`2025.0`, as R and pandas write whole numbers; JSON Schema's `integer` includes it) "
        "is read as that integer; one with a decimal part (`2025.7`) is refused with the "
        "whole numbers probably meant (`write a whole number such as 2025 or 2026`), never "
        "rounded or truncated; text (`\"2025\"`) and true/false are refused.",
        "* **Monte Carlo and sensitivity ranges** of a key (`ranges` of `POST /v1/simulate`, "
        "`carecost.investment.ParameterRange`) must lie in the key's allowed values below and "
        "contain the scenario's value of the key (the central estimate): a range beside it "
        "describes another scenario.",
        "* **Money** is in the scenario currency (`meta.currency`) at constant prices of the "
        "base year; wages are gross annual wages per full-time equivalent (FTE).",
        "* **Ranges**: `[a, b]` includes both ends, `(a, b]` excludes `a`; `inf` is "
        "unbounded.  Large finite upper ends on money and persons only guard against "
        "overflow.",
        "* **Defaults**: *required* keys must be given; *not set* keys are unused unless "
        "given.  `[macro]` and `[fiscal]` keys default to the country data set named by "
        "`meta.country` (its values carry source, table, year and licence; see "
        "`carecost.investment.country_parameters`).  With `meta.country` an ISO3 code "
        "(`\"MEX\"`), every `[macro]` and `[fiscal]` key, the population and the "
        "input–output table not set in the file come from the country database "
        "(`carecost.countries`) for the base year, by the rule given in each key's source, "
        "and `Scenario.sources()` lists the source, the year of the observation and a flag "
        "(observed, interpolated, carried forward, projected, derived, proxy, fallback) input "
        "by input; an input the database lacks is an error naming every such key, its usual "
        "source and the key to set.",
        "* **Over HTTP**: the JSON scenario of `POST /v1/simulate` takes the same keys and "
        "ranges, except file references (marked *no*): a scenario sent over HTTP uses the "
        "population and input–output table of its registered country.  Types are strict: a "
        "number sent as text (`\"0.95\"`) or a boolean sent as `1` is refused, never "
        "converted.  HTTP also bounds the "
        "size of a request: texts of at most 200 characters (service kinds 40), sector codes "
        "of a letter then up to 15 letters, digits or `_`, at most 12 services, 12 staff "
        "grades and 12 `leave` entitlements.",
        "",
        _joint_rules(),
        "",
    ]
    for table, about in TABLES.items():
        title = "Top level" if table == "top" else (
            f"[[{table}]]" if table in ("services", "services.staff_grades", "leave")
            else f"[{table}]")
        out += [f"## {title}", "", about.replace("``", "`"), "",
                "| key | type | unit | default | allowed | HTTP | description | source |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for spec in _BY_TABLE[table].values():
            default = spec.default_display()
            if spec.country:
                default = f"country data set (else {default})" if not spec.required \
                    else "country data set (required)"
            out.append("| " + " | ".join(_cell(x) for x in (
                f"`{spec.name}`", _type_text(spec), spec.unit, default,
                f"matches `{spec.pattern}`" if spec.pattern else spec.range_text(),
                "yes" if spec.http else "no", spec.description, spec.source)) + " |")
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- starter file
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def _about(spec: FieldSpec) -> str:
    parts = [spec.description.rstrip(".") + "."]
    if spec.unit:
        parts.append(f"Unit: {spec.unit}.")
    rng = spec.range_text()
    if rng:
        parts.append(f"Allowed: {rng}.")
    if spec.country:
        parts.append("Default: the country data set" + (
            "" if spec.required else f" (else {spec.default_display()})") + ".")
    elif spec.default_text.startswith("required"):
        parts.append(spec.default_text.capitalize() + ".")
    elif not spec.required:
        parts.append(f"Default: {spec.default_display()}.")
    return " ".join(parts)


def _wrap(text: str, indent: str = "# ") -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=92, initial_indent=indent, subsequent_indent=indent)


def scenario_template() -> str:
    """A commented starter scenario (TOML) that :func:`load_scenario` accepts as written.

    Every key is described with its unit and allowed range: keys needed for a first run are
    set (to the values of the synthetic example country's childcare service), the others are
    described in prose and left absent (so they take their defaults).

    Returns
    -------
    str
        TOML text.
    """
    lines = [
        "# A care-investment scenario for carecost (starter file).",
        f"# Every key is described in {REFERENCE_PAGE}; any other key is an error.",
        "# Shares are fractions in [0, 1] (0.6 is 60%); only keys ending in _pct_gdp are",
        "# percents of GDP (0.12 is 0.12% of GDP).  Money is in the scenario currency at",
        "# constant base-year prices.  The values below are those of the SYNTHETIC example",
        "# country (not real data): replace them with your own and name your country data set.",
        "# Check the file with: carecost validate FILE; run it with: carecost simulate FILE.",
        "",
    ]
    for table in ("meta", "induced", "comparison", "services", "services.staff_grades",
                  "macro", "fiscal", "population", "io", "leave", "breastfeeding"):
        specs = list(_BY_TABLE[table].values())
        written = [s for s in specs if s.example is not None]
        absent = [s for s in specs if s.example is None]
        header = {"services": "[[services]]",
                  "services.staff_grades": ""}.get(table, f"[{table}]")
        if table == "services.staff_grades":
            lines += _wrap(
                "A staff mix by qualification may be added to a service as "
                "[[services.staff_grades]] tables placed after the service's keys; the "
                "service then gives no wage_relative_to_average, wage or wage floor of its "
                "own.  Keys of each grade:")
        elif table in ("leave", "breastfeeding"):
            title = "[[leave]] tables are" if table == "leave" else "[breastfeeding] table is"
            lines += _wrap(f"The {title} optional. {TABLES[table]}".replace("``", "")
                           + " Keys:")
            written, absent = [], specs
        elif not written:
            lines += _wrap(f"The [{table}] table is optional. {TABLES[table]}".replace(
                "``", "") + " Its keys:")
        if written:
            lines.append(header)
        for spec in written:
            lines += _wrap(f"{spec.name}: {_about(spec)}")
            lines.append(f"{spec.name} = {_toml_value(spec.example)}")
        if written and absent:
            lines += _wrap("Further keys of this table, absent here so that their defaults "
                           "apply:")
        for spec in absent:
            lines += _wrap(f"{spec.name}: {_about(spec)}", indent="#   ")
        lines.append("")
    return "\n".join(lines)

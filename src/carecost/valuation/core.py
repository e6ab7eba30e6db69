"""Valuing unpaid household service work: replacement cost and opportunity cost.

The input method values each hour of unpaid work at a wage (UNECE 2017,
chapter 5; Eurostat 2003, section 5.1):

* **replacement cost, generalist**: every hour at one wage, that of a
  general household worker (:class:`Generalist`);
* **replacement cost, specialist**: each activity group at the wage of the
  market occupation doing it (:class:`Specialist`);
* **replacement cost, hybrid**: specialist where a market substitute exists,
  generalist otherwise (:class:`Hybrid`);
* **opportunity cost**: each person's own wage, imputed for non-earners
  (:class:`OpportunityCost`, :func:`carecost.valuation.impute_wages`);
* the ILO (2018) variant values unpaid care at the hourly minimum wage
  (:func:`us_federal_minimum_wage`).

Each method values hours on a stated wage basis (``valuation_basis``):
replacement cost at the full labour cost a household would pay to hire the
work done (gross wage plus employer social contributions), opportunity cost
at the net wage the person gives up, the ILO variant at the statutory
(gross) minimum wage.  Wages on another basis are converted only with the
rates given explicitly (``tax_rate``, ``employer_rate``), otherwise refused;
``basis=`` chooses another basis on purpose, and every result says which
(``Valuation.wage_basis`` and a ``wage_basis`` column).

:func:`value_unpaid_work` puts one value variable per activity group on the
survey design (currency per person per day), so every total, mean, share
and contrast is a survey estimate with a design-based standard error; with a
replicate-weight design the replicates carry through.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from carecost.survey import Estimate, SurveyDesign
from carecost.survey.results import critical_value
from carecost.timeuse import TimeUseSurvey

from ._common import (
    BASIS_TEXT,
    DATA,
    RATE_FOR,
    REFERENCES,
    WORLD_POPULATION_BOUND,
    ValuationError,
    WageBasis,
    basis_factor,
    check_basis,
    check_currency,
    check_positive_amount,
    check_positive_wage,
    check_year,
    days_in_year,
    slug,
)
from .activities import ActivityMap
from .wages import WageTable

WeightsUnit = Literal["persons", "person_days"]
"""What survey weights count: persons (sum = population) or person-days (sum =
population x days of the year, as ATUS final weights)."""

Annualise = Literal["single_year", "mean_over_years"]
"""How a design whose rows span several survey years is annualised (see
:func:`value_unpaid_work`)."""

YEAR_COLUMNS: tuple[str, ...] = ("tuyear", "year")
"""Columns checked for the survey year when ``year_column`` is not given."""


# ------------------------------------------------------------------------ GDP
@dataclass(frozen=True)
class GDP:
    """Gross domestic product of one year (currency units, not billions).

    Attributes
    ----------
    value
        GDP in currency units (e.g. 18.5656e12 for USD 18,565.6 billion).
    currency, year
        Checked against the valuation's.
    source
        Citation, including the vintage.
    """

    value: float
    currency: str
    year: int
    source: str = ""

    def __post_init__(self) -> None:
        v = check_positive_amount(
            self.value, "GDP",
            "value (GDP in currency units per year, e.g. 18.5656e12 for USD 18,565.6 billion)")
        object.__setattr__(self, "value", v)
        object.__setattr__(self, "currency", check_currency(self.currency, "GDP"))
        object.__setattr__(self, "year", check_year(self.year, "GDP"))


def us_gdp(year: int) -> GDP:
    """U.S. nominal GDP for ``year`` from the shipped BEA figures (see ``SOURCES.md``).

    The shipped values are the annual advance estimates (the vintage is in
    ``source``); NIPA revisions change them by about 1 percent, so pass your
    own :class:`GDP` for a different vintage.
    """
    with (DATA / "us_gdp_published.csv").open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh)
    row = t[t["year"] == int(year)]
    if row.empty:
        raise ValuationError(f"us_gdp: no shipped GDP for {year}; shipped years "
                             f"{sorted(t['year'])}. Pass GDP(value, 'USD', year, source)")
    r = row.iloc[0]
    return GDP(float(r["gdp_billion"]) * 1e9, str(r["currency"]), int(r["year"]),
               f"{r['source']} ({r['vintage']})")


# -------------------------------------------------------------------- methods
@dataclass(frozen=True)
class Generalist:
    """Replacement cost, generalist: every hour at one wage.

    Attributes
    ----------
    wage
        Currency units per hour (> 0).
    currency, year, basis
        What the wage is (``basis``: what the wage figure includes).
    label
        Whose wage (e.g. ``"housekeeper"``, ``"minimum wage"``).
    source
        Citation.
    valuation_basis
        The basis the method values hours at: ``"gross_plus_employer"``
        (default: replacement cost is what a household would pay, the full
        labour cost); ``"gross"`` for a statutory minimum wage (ILO 2018).

    References
    ----------
    UNECE (2017), Guide on Valuing Unpaid Household Service Work, section
    5.2.1 (generalist replacement cost); Eurostat (2003), section 5.1.2.
    """

    wage: float
    currency: str
    year: int
    basis: WageBasis = "gross"
    label: str = "generalist"
    source: str = ""
    valuation_basis: WageBasis = "gross_plus_employer"

    def __post_init__(self) -> None:
        wage = check_positive_wage(self.wage, f"Generalist({self.label})")
        object.__setattr__(self, "wage", wage)
        object.__setattr__(self, "currency", check_currency(self.currency, "Generalist"))
        object.__setattr__(self, "year", check_year(self.year, "Generalist"))
        check_basis(self.basis, "Generalist")
        check_basis(self.valuation_basis, "Generalist valuation_basis")

    @classmethod
    def from_table(cls, table: WageTable, occupation: str, label: str | None = None) -> Generalist:
        """The wage of ``occupation`` in ``table``."""
        return cls(table.wage(occupation), table.currency, table.year, table.basis,
                   label or occupation, table.source)

    name = "replacement cost, generalist"


@dataclass(frozen=True)
class Specialist:
    """Replacement cost, specialist: each activity group at its occupation's wage.

    Every group of the activity map must name an occupation that has a wage
    in ``wages``; otherwise :func:`value_unpaid_work` raises.

    References
    ----------
    UNECE (2017), section 5.2.2 (specialist replacement cost); Eurostat
    (2003), section 5.1.2.

    ``valuation_basis`` (default ``"gross_plus_employer"``): the basis hours
    are valued at, as :class:`Generalist`.
    """

    wages: WageTable
    valuation_basis: WageBasis = "gross_plus_employer"
    name = "replacement cost, specialist"


@dataclass(frozen=True)
class Hybrid:
    """Replacement cost, hybrid: specialist where the map marks a market substitute,
    generalist otherwise.

    References
    ----------
    UNECE (2017), section 5.2.3 (hybrid replacement cost); Eurostat (2003),
    section 5.1.2.

    ``valuation_basis`` (default ``"gross_plus_employer"``): the basis hours
    are valued at, as :class:`Generalist` (the generalist's own
    ``valuation_basis`` is not used).
    """

    wages: WageTable
    generalist: Generalist
    valuation_basis: WageBasis = "gross_plus_employer"
    name = "replacement cost, hybrid"


@dataclass(frozen=True)
class OpportunityCost:
    """Opportunity cost: each person's hours at their own hourly wage.

    Attributes
    ----------
    wage
        Column of the design's data, or an array/Series aligned with it:
        each person's hourly wage (observed, or imputed for non-earners),
        currency units per hour.  Missing or non-positive wages are errors.
    currency, year, basis
        What the wages are.
    imputation
        How missing wages were filled (recorded in results), e.g. the text of
        :meth:`carecost.valuation.ImputedWages.describe`.
    valuation_basis
        The basis hours are valued at: ``"net"`` (default: what a person gives
        up by not working for pay is the take-home wage).

    References
    ----------
    UNECE (2017), section 5.4 (opportunity cost); Eurostat (2003), section
    5.1.1; Heckman (1979) for the selection-corrected wage of non-earners.
    """

    wage: str | np.ndarray | pd.Series
    currency: str
    year: int
    basis: WageBasis = "gross"
    imputation: str = "none (all wages observed)"
    valuation_basis: WageBasis = "net"
    name = "opportunity cost"


Method = Generalist | Specialist | Hybrid | OpportunityCost


def us_federal_minimum_wage(year: int, *, on: _dt.date | None = None) -> Generalist:
    """The U.S. federal minimum wage as a generalist wage (ILO 2018 variant).

    ILO (2018, chapter 2) values unpaid care work at the hourly minimum wage,
    so the wage is valued as it is legislated, on the gross basis
    (``valuation_basis="gross"``).
    The federal rate (Fair Labor Standards Act, 29 U.S.C. 206) was $7.25
    from 24 July 2009; a year in which the rate changed needs ``on`` (the
    date whose rate to use), since either choice is a decision.

    References
    ----------
    ILO (2018), Care work and care jobs for the future of decent work.
    Fair Minimum Wage Act of 2007, Public Law 110-28.
    """
    with (DATA / "us_federal_minimum_wage.csv").open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh, parse_dates=["effective_date"])
    t = t.sort_values("effective_date")
    start, end = pd.Timestamp(int(year), 1, 1), pd.Timestamp(int(year), 12, 31)
    if start < t["effective_date"].iloc[0]:
        raise ValuationError(f"us_federal_minimum_wage: shipped rates start in "
                             f"{t['effective_date'].iloc[0].year}; {year} is earlier")
    changes = t[(t["effective_date"] > start) & (t["effective_date"] <= end)]
    if on is None and not changes.empty:
        raise ValuationError(
            f"us_federal_minimum_wage: the federal rate changed during {year} (on "
            f"{[d.date().isoformat() for d in changes['effective_date']]}); pass on=date to "
            "say which rate to use"
        )
    when = pd.Timestamp(on) if on is not None else start
    if when.year != int(year):
        raise ValuationError(f"us_federal_minimum_wage: on={on} is not in {year}")
    row = t[t["effective_date"] <= when].iloc[-1]
    # ILO (2018) values at the statutory hourly minimum wage itself: a gross rate
    return Generalist(float(row["hourly_rate"]), "USD", int(year), "gross",
                      "federal minimum wage", str(row["source"]), valuation_basis="gross")


# ---------------------------------------------------------------- valuation
@dataclass(frozen=True)
class Valuation:
    """Unpaid work valued on a survey design; estimators return tidy tables.

    Attributes
    ----------
    design
        The input design with added columns: hours per day and value per day
        (currency per person per day) for each group and in total.
    activities
        The activity map used.
    method
        The method object.
    rates
        One row per group: ``group``, ``occupation`` (or ``"own wage"``),
        ``wage`` (currency per hour used, or the hours-weighted average own
        wage for opportunity cost), ``wage_se``, ``source``.
    currency, year, basis
        Of the values (after any basis conversion); ``basis`` is the code
        (``"gross"``, ``"net"``, ``"gross_plus_employer"``).
    wage_basis
        The basis in words, e.g. ``"gross wage plus employer social
        contributions (full labour cost)"``; when it is not the method's own
        basis (chosen with ``basis=``) it says so.  Also a ``wage_basis``
        column of every table.
    days
        Days in the reference year (values per day x days = per year).
    weights
        ``"persons"`` (weights sum to the population) or ``"person_days"``
        (weights sum to population x days, as ATUS final weights).
    notes
        How the valuation was made (method, wage source, imputation, basis,
        sum of weights, implied population, days, survey years).
    n_years
        Survey years averaged over (``annualise="mean_over_years"``), else 1;
        totals are divided by it.
    weights_sum
        Sum of the weights over the active rows (persons or person-days).
    implied_population
        Persons the weights stand for: ``weights_sum`` / (``days`` for
        person-day weights) / ``n_years``.
    """

    design: SurveyDesign
    activities: ActivityMap
    method: Method
    rates: pd.DataFrame
    currency: str
    year: int
    basis: WageBasis
    wage_basis: str
    days: int
    weights: WeightsUnit
    hours_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    n_years: int = 1
    weights_sum: float = float("nan")
    implied_population: float = float("nan")

    # -------------------------------------------------------------- helpers
    @property
    def groups(self) -> list[str]:
        return self.activities.groups

    @property
    def method_name(self) -> str:
        return str(self.method.name)

    def _total_factor(self) -> float:
        """Weighted daily sum -> annual total: x days for person weights, / years pooled."""
        per_day = float(self.days) if self.weights == "persons" else 1.0
        return per_day / self.n_years

    def _cols(self, kind: str, groups: bool) -> tuple[list[str], list[str]]:
        cols = self.value_columns if kind == "value" else self.hours_columns
        if groups:
            return list(cols), [*self.groups, "total"]
        return [cols[-1]], ["total"]

    def _finish(self, res: Estimate, labels: list[str], cols: list[str], unit: str,
                factor: float) -> Estimate:
        out = res.scaled(factor)
        out.insert(int(list(out.columns).index("variable")), "group",
                   out["variable"].map(dict(zip(cols, labels, strict=True))))
        out = out.drop(columns="variable")
        out["unit"] = unit
        out["method"] = self.method_name
        out["wage_basis"] = self.wage_basis
        return out

    # ----------------------------------------------------------- estimators
    def total(self, by: str | Sequence[str] | None = None, *, groups: bool = True,
              level: float = 0.95) -> pd.DataFrame:
        """Annual value of unpaid work (currency per year), by group and domain.

        :math:`\\hat V = \\sum_i w_i \\sum_g h_{ig} r_{ig}` per day, times the
        days of the year when weights count persons (ATUS weights count
        person-days, so their weighted sum is already annual), divided by
        the number of survey years pooled (``n_years``, 1 unless
        ``annualise="mean_over_years"``).

        Returns
        -------
        pandas.DataFrame
            ``by`` columns, ``group`` (each group and ``"total"``),
            ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``cv``, ``df``,
            ``n``, ``unit``, ``method``, ``wage_basis``: an
            :class:`~carecost.survey.Estimate` carrying the covariance (``.vcov``).
        """
        cols, labels = self._cols("value", groups)
        res = self.design.total(cols, by=by, level=level)
        return self._finish(res, labels, cols, f"{self.currency} per year",
                            self._total_factor())

    def hours(self, by: str | Sequence[str] | None = None, *, groups: bool = True,
              level: float = 0.95) -> pd.DataFrame:
        """Annual hours of unpaid work (hours per year), columns as :meth:`total`."""
        cols, labels = self._cols("hours", groups)
        res = self.design.total(cols, by=by, level=level)
        return self._finish(res, labels, cols, "hours per year", self._total_factor())

    def per_capita(self, by: str | Sequence[str] | None = None, *, groups: bool = False,
                   level: float = 0.95) -> pd.DataFrame:
        """Value per person of the covered population (currency per person per year).

        The weighted mean of the daily value times the days of the year; it
        does not change when all weights are multiplied by a constant.
        """
        cols, labels = self._cols("value", groups)
        res = self.design.mean(cols, by=by, level=level)
        return self._finish(res, labels, cols, f"{self.currency} per person per year",
                            float(self.days))

    def share_of_gdp(self, gdp: GDP, by: str | Sequence[str] | None = None, *,
                     groups: bool = False, level: float = 0.95) -> pd.DataFrame:
        """Annual value as a fraction of GDP (GDP is taken as known, without error).

        ``gdp`` must be in the valuation's currency and year (else an error).
        """
        _check_gdp(gdp, self.currency, self.year)
        cols, labels = self._cols("value", groups)
        res = self.design.total(cols, by=by, level=level)
        out = self._finish(res, labels, cols, "fraction of GDP",
                           self._total_factor() / gdp.value)
        out["gdp"] = gdp.value
        return out

    def women_share(self, *, sex: str = "sex", female: object = "female",
                    male: object = "male", by: str | Sequence[str] | None = None,
                    groups: bool = False, level: float = 0.95) -> pd.DataFrame:
        """Women's share of the value, :math:`V_F/(V_F+V_M)`, by the delta method.

        Uses the joint covariance of the sex-specific totals (persons whose
        ``sex`` is neither value are left out of both).
        """
        bys = [by] if isinstance(by, str) else list(by or [])
        d = self.design.subset(lambda f: f[sex].isin([female, male]))
        cols, labels = self._cols("value", groups)
        res = d.total(cols, by=[*bys, sex], vcov=True)
        vcov = res.vcov
        assert vcov is not None
        theta = res["estimate"].to_numpy()
        crit = critical_value(level, d.degf())
        keys = res[bys].drop_duplicates() if bys else pd.DataFrame(index=[0])
        rows = []
        for _, k in keys.iterrows():
            sel = np.ones(len(res), dtype=bool)
            for b in bys:
                sel &= (res[b] == k[b]).to_numpy()
            for c, lab in zip(cols, labels, strict=True):
                s = sel & (res["variable"] == c).to_numpy()
                f = np.flatnonzero(s & (res[sex] == female).to_numpy())
                m = np.flatnonzero(s & (res[sex] == male).to_numpy())
                if len(f) != 1 or len(m) != 1:
                    continue
                a = np.zeros(len(theta))
                a[f] = 1.0
                b_ = np.zeros(len(theta))
                b_[[f[0], m[0]]] = 1.0
                est, se = _ratio_delta(theta, vcov, a, b_)
                row = {b: k[b] for b in bys}
                row.update(group=lab, estimate=est, se=se, ci_low=est - crit * se,
                           ci_high=est + crit * se, df=d.degf(),
                           n=int(res["n"].iloc[f[0]] + res["n"].iloc[m[0]]),
                           unit="fraction of value", method=self.method_name,
                           wage_basis=self.wage_basis)
                rows.append(row)
        return pd.DataFrame(rows)

    def satellite_account(self, gdp: GDP | None = None, *, sex: str = "sex",
                          level: float = 0.95) -> pd.DataFrame:
        """Household satellite account table: activity group x sex.

        For each group (and ``"total"``) and each sex (and ``"all"``):
        annual hours, annual value, share of the total value and share of GDP,
        each with a design-based standard error (ratios by the delta method
        from the joint covariance of all the totals).

        Returns
        -------
        pandas.DataFrame
            ``group``, ``sex``, ``hours``, ``hours_se``, ``value``,
            ``value_se``, ``value_ci_low``, ``value_ci_high``,
            ``share_of_total``, ``share_of_total_se``, ``wage_basis``, and
            when ``gdp`` is given ``share_of_gdp``, ``share_of_gdp_se``.
            Units: hours per year, currency per year, fractions.

        References
        ----------
        Eurostat (2003), chapter 6 (household production and generation of
        income account by function); UNECE (2017), chapter 6.
        """
        if gdp is not None:
            _check_gdp(gdp, self.currency, self.year)
        if self.design.distinct([sex])[sex].isna().any():
            raise ValuationError(f"satellite_account: column {sex!r} has missing values in the "
                                 "design; recode them first")
        allcols = [*self.value_columns, *self.hours_columns]
        res = self.design.total(allcols, by=sex, vcov=True, level=level)
        vcov = res.vcov
        assert vcov is not None
        theta = res["estimate"].to_numpy()
        f = self._total_factor()
        crit = critical_value(level, self.design.degf())
        sexes = list(pd.unique(res[sex]))
        labels = [*self.groups, "total"]
        vtot = np.zeros(len(theta))
        vtot[(res["variable"] == self.value_columns[-1]).to_numpy()] = 1.0
        rows = []
        for gi, lab in enumerate(labels):
            vc, hc = self.value_columns[gi], self.hours_columns[gi]
            for sx in [*sexes, "all"]:
                insex = np.ones(len(res), dtype=bool) if sx == "all" \
                    else (res[sex] == sx).to_numpy()
                av = ((res["variable"] == vc).to_numpy() & insex).astype(float)
                ah = ((res["variable"] == hc).to_numpy() & insex).astype(float)
                v = float(av @ theta) * f
                v_se = float(np.sqrt(max(av @ vcov @ av, 0.0))) * f
                h = float(ah @ theta) * f
                h_se = float(np.sqrt(max(ah @ vcov @ ah, 0.0))) * f
                sh, sh_se = _ratio_delta(theta, vcov, av, vtot)
                row: dict[str, object] = {
                    "group": lab, "sex": sx, "hours": h, "hours_se": h_se, "value": v,
                    "value_se": v_se, "value_ci_low": v - crit * v_se,
                    "value_ci_high": v + crit * v_se, "share_of_total": sh,
                    "share_of_total_se": sh_se, "wage_basis": self.wage_basis,
                }
                if gdp is not None:
                    row["share_of_gdp"] = v / gdp.value
                    row["share_of_gdp_se"] = v_se / gdp.value
                rows.append(row)
        out = pd.DataFrame(rows)
        out.attrs["units"] = {"hours": "hours per year", "value": f"{self.currency} per year",
                              "share_of_total": "fraction", "share_of_gdp": "fraction"}
        out.attrs["method"] = self.method_name
        out.attrs["wage_basis"] = self.wage_basis
        out.attrs["notes"] = self.notes
        return out

    def summary(self, gdp: GDP | None = None, *, sex: str | None = "sex",
                female: object = "female", male: object = "male",
                level: float = 0.95) -> pd.DataFrame:
        """One tidy table of the headline figures for this method.

        Rows (``statistic``): ``annual_value``, ``annual_hours``,
        ``value_per_capita``, ``share_of_gdp`` (with ``gdp``),
        ``women_share`` (with ``sex``), ``average_wage`` (value / hours).
        Columns: ``method``, ``statistic``, ``group``, ``estimate``, ``se``,
        ``ci_low``, ``ci_high``, ``cv``, ``df``, ``n``, ``unit``,
        ``wage_basis`` (:attr:`wage_basis`).
        """
        parts = []
        for stat, df in (("annual_value", self.total(groups=False, level=level)),
                         ("annual_hours", self.hours(groups=False, level=level)),
                         ("value_per_capita", self.per_capita(level=level))):
            parts.append(df.assign(statistic=stat))
        if gdp is not None:
            parts.append(self.share_of_gdp(gdp, level=level).assign(statistic="share_of_gdp"))
        if sex is not None:
            parts.append(self.women_share(sex=sex, female=female, male=male, level=level)
                         .assign(statistic="women_share"))
        r = self.design.ratio(self.value_columns[-1], self.hours_columns[-1], level=level)
        parts.append(pd.DataFrame({
            "group": ["total"], "estimate": r["estimate"], "se": r["se"],
            "ci_low": r["ci_low"], "ci_high": r["ci_high"], "cv": r["cv"], "df": r["df"],
            "n": r["n"], "unit": f"{self.currency} per hour", "method": self.method_name,
            "wage_basis": self.wage_basis, "statistic": "average_wage"}))
        out = pd.concat(parts, ignore_index=True)
        cols = ["method", "statistic", "group", "estimate", "se", "ci_low", "ci_high", "cv",
                "df", "n", "unit", "wage_basis"]
        return out[cols + [c for c in out.columns if c not in cols and c != "gdp"]]


def value_unpaid_work(
    design: SurveyDesign | TimeUseSurvey, activities: ActivityMap, method: Method, *,
    year: int, currency: str, weights: WeightsUnit | None = None, days: int | None = None,
    population: float | None = None, population_tolerance: float = 0.2,
    year_column: str | Literal[False] | None = None, annualise: Annualise = "single_year",
    basis: WageBasis | None = None, tax_rate: float | None = None,
    employer_rate: float | None = None,
) -> Valuation:
    """Value unpaid household service work on a survey design.

    Parameters
    ----------
    design
        Any carecost design (a subset design values only its domain), or a
        :class:`carecost.timeuse.TimeUseSurvey` (its design and its
        ``weights_unit`` are used).
    activities
        Activity groups, their time-use columns (minutes or hours per day)
        and their occupations.
    method
        :class:`Generalist`, :class:`Specialist`, :class:`Hybrid` or
        :class:`OpportunityCost`.
    year, currency
        Reference year and currency of the time-use data; every wage must be
        of the same year and currency (an error otherwise: rebase or convert
        the wages first, stating how).
    weights
        What the weights count, **required** for a bare design (there is no
        safe default: the two differ by a factor of 365):
        ``"persons"`` if the weights of one year's sample sum to the
        population (persons), ``"person_days"`` if they sum to population x
        days of the year (ATUS final weights TUFNWGTP).  With a
        :class:`~carecost.timeuse.TimeUseSurvey` the default is its
        ``weights_unit``, and a different ``weights`` is an error.
    days
        Days in the reference year (default 365, or 366 in a leap year).
    population
        Optional: the population (persons) the design's active rows stand
        for, e.g. 257.7e6 for the U.S. civilian non-institutional population
        aged 15+ in 2016.  The population implied by the weights (their sum,
        divided by ``days`` for person-day weights and by the number of
        years pooled under ``annualise="mean_over_years"``) must be within
        ``population_tolerance`` (relative) of it; otherwise an error says
        which mix-up (persons/person-days, pooled years) the ratio suggests.
    population_tolerance
        Largest accepted relative difference between the implied and the
        stated population (default 0.2: a mix-up of units is a factor of
        about 365 and two pooled years a factor of 2, far outside it).
    year_column
        Column holding each row's survey year.  ``None`` (default) checks
        ``tuyear`` and ``year`` when the data have them; ``False`` turns the
        check off.  If the active rows span several years, the weighted sums
        add the years up (each ATUS year's weights sum to that year's
        person-days), so that is an error unless ``annualise`` says what to
        do.  A single year other than ``year`` is an error too.
    annualise
        ``"single_year"`` (default): the active rows must be one year's
        sample.  ``"mean_over_years"``: totals (annual value, hours, share of
        GDP, satellite account, Monte Carlo) are divided by the number of
        years pooled, giving the average year of the period; ``year`` must
        be one of the pooled years and is the reference year of the wages and
        GDP.  Means (value per capita, women's share) are unaffected.
    basis
        Wage basis the hours are valued at.  Default: the method's
        ``valuation_basis`` (replacement cost ``"gross_plus_employer"``, the
        full labour cost; opportunity cost ``"net"``; the ILO minimum-wage
        variant ``"gross"``).  Another basis is a stated choice (e.g.
        ``basis="gross"`` to compare with estimates made at gross wages); the
        result's ``wage_basis`` then says it is not the method's basis.
    tax_rate, employer_rate
        Conversion rates, fractions of the gross wage, needed exactly when
        the wages' basis differs from the valuation basis: ``tax_rate``
        (average income tax and employee social contributions) for ``"net"``,
        ``employer_rate`` (employer social contributions) for
        ``"gross_plus_employer"``.  They are never guessed: a conversion
        without its rate is an error, and a rate that no conversion uses is
        an error too.

    Returns
    -------
    Valuation
        Per-person value variables on the design, and estimators
        (:meth:`Valuation.total`, :meth:`Valuation.per_capita`,
        :meth:`Valuation.share_of_gdp`, :meth:`Valuation.women_share`,
        :meth:`Valuation.satellite_account`).  Its ``notes`` record the sum
        of the weights, the implied population, the days and the years.

    Raises
    ------
    ValuationError
        When ``weights`` is missing; when weights declared as persons imply
        more people than live on Earth (they are person-day weights); when
        the implied population differs from ``population``; when the active
        rows span several survey years without ``annualise``; when the wages
        are not on the valuation basis and the conversion rate is not given;
        and for the wage, currency, year and activity errors described above.

    Notes
    -----
    Value per person per day is :math:`v_i = \\sum_g h_{ig} r_{ig}` with
    hours :math:`h_{ig}` and wage :math:`r_{ig}` (currency per hour): the
    same wage for all groups (generalist), the group's occupation wage
    (specialist, hybrid), or the person's own wage (opportunity cost).
    The annual value is :math:`\\sum_i w_i v_i \\times D / Y` with
    :math:`D` = ``days`` for person weights and 1 for person-day weights,
    and :math:`Y` the number of years pooled (1 unless
    ``annualise="mean_over_years"``).  Standard errors treat the wages as
    fixed; wage uncertainty is added by :func:`carecost.valuation.monte_carlo`.

    References
    ----------
    UNECE (2017), Guide on Valuing Unpaid Household Service Work, chapter 5;
    Eurostat (2003), Household Production and Consumption, section 5.1;
    ILO (2018), Care work and care jobs for the future of decent work.
    U.S. Bureau of Labor Statistics, *American Time Use Survey User's
    Guide*, chapter 7 (final weights sum to person-days of the year).
    """
    where = "value_unpaid_work"
    if isinstance(design, TimeUseSurvey):
        unit = design.weights_unit
        if weights is not None and weights != unit:
            raise ValuationError(
                f"{where}: weights={weights!r} but the TimeUseSurvey says its weights count "
                f"{unit!r}; drop weights= (or fix the survey's weights_unit)"
            )
        weights = unit  # type: ignore[assignment]
        design = design.design
    if not isinstance(design, SurveyDesign):
        raise ValuationError(
            f"{where}: design must be a carecost survey design or TimeUseSurvey; got "
            f"{type(design).__name__}"
        )
    if design.weights_unit is not None:
        if weights is not None and weights != design.weights_unit:
            raise ValuationError(
                f"{where}: weights={weights!r} but the design says its weights count "
                f"{design.weights_unit!r}; drop weights= (or fix the design's weights_unit)")
        weights = design.weights_unit
    if not isinstance(activities, ActivityMap):
        raise ValuationError(f"{where}: activities must be an ActivityMap")
    year = check_year(year, where)
    currency = check_currency(currency, where)
    if weights is None:
        raise ValuationError(
            f"{where}: say what the weights count: weights='persons' (they sum to the "
            "population) or weights='person_days' (they sum to population x days, as ATUS final "
            "weights); the two differ by a factor of about 365, so there is no default. A "
            "TimeUseSurvey passed as the design, or a design made with weights_unit=, supplies "
            "its weights_unit"
        )
    if weights not in ("persons", "person_days"):
        raise ValuationError(
            f"{where}: weights must be 'persons' or 'person_days'; got {weights!r}"
        )
    if annualise not in ("single_year", "mean_over_years"):
        raise ValuationError(
            f"{where}: annualise must be 'single_year' or 'mean_over_years'; got {annualise!r}"
        )
    d = days_in_year(year) if days is None else days
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 1 <= d <= 366:
        raise ValuationError(
            f"{where}: days must be a whole number of days in 1..366; got {days!r}"
        )
    years, ycol = _survey_years(design, year_column, year, annualise, where)
    n_years = len(years) if annualise == "mean_over_years" and years else 1
    wsum, implied = _check_population(design, weights, int(d), n_years, population,
                                      population_tolerance, where)
    g = len(activities.groups)
    src_currency, src_year, src_basis = _method_meta(method)
    mwhere = f"{where} ({method.name})"
    if src_currency != currency:
        raise ValuationError(
            f"{mwhere}: wages are in {src_currency} but the valuation is in {currency}; convert "
            "the wages (WageTable.scaled with a stated exchange rate) first"
        )
    if src_year != year:
        raise ValuationError(
            f"{mwhere}: wages are for {src_year} but the time-use data are for {year}; rebase "
            "the wages with a stated wage or price index (WageTable.rebase) first"
        )
    own = check_basis(method.valuation_basis, mwhere)
    target = own if basis is None else check_basis(basis, where)
    bf = _basis_conversion(src_basis, target, own, tax_rate, employer_rate, mwhere)
    wage_basis = BASIS_TEXT[target] if target == own else (
        f"{BASIS_TEXT[target]}; chosen with basis={target!r}, not the {method.name} "
        f"basis ({BASIS_TEXT[own]})")
    hcols = (*(f"__vh_{slug(j)}" for j in range(g)), "__vh_total")
    vcols = (*(f"__vv_{slug(j)}" for j in range(g)), "__vv_total")
    if design.backend == "memory":
        data = design.data
        inset = design.in_subset
        hours = activities.hours(data, rows=inset)
        rates, table = _rates(method, activities, data, inset, hours)
        value = hours * (rates * bf)
        new = design.assign(**_value_columns(hours, value, hcols, vcols))
        n_active = int(inset.sum())
    else:
        if isinstance(method, OpportunityCost):
            raise ValuationError(
                f"{mwhere}: the opportunity-cost method values each person's hours at that "
                "person's own (imputed) wage, which needs the rows in memory; on a Dask design "
                "use a replacement-cost method, or compute the rows you value first")
        group_rates, table = _group_rates(method, activities)
        rates_row = group_rates * bf

        def derive(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
            h = activities.hours(frame, rows=rows)
            return pd.DataFrame(_value_columns(h, h * rates_row, hcols, vcols),
                                index=frame.index)

        meta = pd.DataFrame({c: pd.Series(dtype=float) for c in (*hcols, *vcols)})
        new = design.derive(derive, meta)
        n_active = len(design)
    new = new.with_weights_unit(weights)
    table["wage"] = table["wage"] * bf
    table["wage_se"] = table["wage_se"] * bf
    if isinstance(method, OpportunityCost):
        tot_h = hours[inset].T @ new.weights[inset]
        tot_v = value[inset].T @ new.weights[inset]
        with np.errstate(invalid="ignore", divide="ignore"):
            table["wage"] = np.where(tot_h > 0, tot_v / tot_h, np.nan)
    notes = [f"method: {method.name}", f"wages: {src_currency} {src_year}, basis {src_basis}",
             f"valued at: {wage_basis}"]
    if target != src_basis:
        notes.append(f"converted from basis {src_basis} to {target} (x{bf:.4f}; "
                     f"tax_rate={tax_rate}, employer_rate={employer_rate})")
    if isinstance(method, OpportunityCost):
        notes.append(f"missing wages: {method.imputation}")
    if isinstance(method, Hybrid):
        notes.append(f"generalist wage for groups without a market substitute: "
                     f"{method.generalist.label} {method.generalist.wage:.4g}")
    per = f" / {d} days" if weights == "person_days" else ""
    per += f" / {n_years} years" if n_years > 1 else ""
    notes.append(
        f"weights count {weights}: sum of weights over {n_active:,} active rows = "
        f"{wsum:.6g}; implied population = {implied:.6g} persons (sum{per})"
        + ("" if population is None else f"; stated population {population:.6g}")
    )
    ytxt = ("no survey-year column checked" if ycol is None
            else f"survey years in the active rows ({ycol}): {list(years)}")
    if n_years > 1:
        notes.append(f"annualisation: {d} days; {ytxt}; totals are the mean over the {n_years} "
                     "years (annualise='mean_over_years')")
    else:
        notes.append(f"annualisation: {d} days; {ytxt}")
    notes.append("standard errors: sampling only, wages taken as fixed; "
                 f"{design.degf_note()}")
    notes.append("references: " + "; ".join(REFERENCES[k] for k in ("unece2017", "eurostat2003",
                                                                      "ilo2018")))
    return Valuation(design=new, activities=activities, method=method, rates=table,
                     currency=currency, year=year, basis=target, wage_basis=wage_basis,
                     days=int(d), weights=weights,
                     hours_columns=hcols, value_columns=vcols, notes=tuple(notes),
                     n_years=n_years, weights_sum=wsum, implied_population=implied)


# ---------------------------------------------------------------- internals
def _survey_years(design: SurveyDesign, year_column: str | Literal[False] | None, year: int,
                  annualise: Annualise, where: str) -> tuple[tuple[object, ...], str | None]:
    """The distinct survey years of the active rows (and the column read), checked."""
    data = design.data
    if year_column is False:
        return (), None
    if year_column is None:
        cands = [c for c in YEAR_COLUMNS if c in data.columns]
        if not cands:
            return (), None
        ycol = cands[0]
    else:
        if not isinstance(year_column, str) or year_column not in data.columns:
            raise ValuationError(
                f"{where}: year_column={year_column!r} is not a column of the design's data; "
                "name the column holding each respondent's survey year, or pass "
                "year_column=False to skip the check"
            )
        ycol = year_column
    col = design.distinct([ycol])[ycol]
    if col.isna().any():
        count = (f"{int(data.loc[design.in_subset, ycol].isna().sum())} "
                 if design.backend == "memory" else "some ")
        raise ValuationError(
            f"{where}: the survey-year column {ycol!r} is missing in {count}"
            "active rows; fill it, or pass year_column=False if it is not the survey year"
        )
    vals = sorted(pd.unique(col).tolist(), key=str)
    years = tuple(int(v) if isinstance(v, (int, np.integer)) or
                  (isinstance(v, (float, np.floating)) and float(v).is_integer()) else v
                  for v in vals)
    hint = ("" if year_column is not None else
            f" (column {ycol!r} was checked automatically; pass year_column=False if it is not "
            "the survey year)")
    if len(years) > 1 and annualise != "mean_over_years":
        raise ValuationError(
            f"{where}: the design's active rows span {len(years)} survey years in {ycol!r} "
            f"({list(years)[:6]}{' ...' if len(years) > 6 else ''}), and weighted totals would "
            "add the years up (each year's weights sum to that year's population or "
            "person-days). Value one year (design.subset(design.data[" + repr(ycol) + "] == "
            f"{year})), or pass annualise='mean_over_years' for the average year of the "
            f"period{hint}"
        )
    if len(years) == 1 and years[0] != year:
        raise ValuationError(
            f"{where}: the data are for survey year {years[0]!r} ({ycol!r}) but year={year}; "
            f"pass year={years[0]!r} with wages and GDP of that year{hint}"
        )
    if len(years) > 1 and year not in years:
        raise ValuationError(
            f"{where}: year={year} is not one of the pooled survey years {list(years)} "
            f"({ycol!r}); the reference year of the wages and GDP must be in the period"
        )
    return years, ycol


def _check_population(design: SurveyDesign, weights: WeightsUnit, days: int, n_years: int,
                      population: float | None, tolerance: float, where: str
                      ) -> tuple[float, float]:
    """Sum of weights and the population it implies; errors for implausible ones."""
    wsum = design.weight_total()
    implied = wsum / (days if weights == "person_days" else 1) / n_years
    per = f" / {days} days" if weights == "person_days" else ""
    per += f" / {n_years} years" if n_years > 1 else ""
    if implied > WORLD_POPULATION_BOUND:
        hint = (f"; with weights='person_days' they would imply {wsum / days / n_years:.4g} "
                "persons" if weights == "persons" else "")
        raise ValuationError(
            f"{where}: weights={weights!r} but the weights sum to {wsum:.4g}, implying "
            f"{implied:.4g} persons, more than live on Earth (about 8.2e9, UN World Population "
            f"Prospects 2024){hint}. ATUS final weights (TUFNWGTP) sum to person-days: pass "
            "weights='person_days'"
        )
    if population is not None:
        pop = check_positive_amount(population, where, "population (persons)")
        tol = float(tolerance)
        if not np.isfinite(tol) or tol <= 0:
            raise ValuationError(f"{where}: population_tolerance must be > 0; got {tolerance!r}")
        ratio = implied / pop
        if abs(ratio - 1) > tol:
            if abs(ratio / days - 1) <= tol:
                why = (f"the ratio is about {days} (days), so the weights look like person-day "
                       "weights: pass weights='person_days'")
            elif abs(ratio * days - 1) <= tol:
                why = (f"the ratio is about 1/{days}, so the weights look like person weights: "
                       "pass weights='persons'")
            elif ratio > 1.5 and abs(ratio - round(ratio)) <= tol:
                why = (f"the ratio is about {round(ratio)}: are {round(ratio)} survey years "
                       "pooled? value one year, or pass annualise='mean_over_years' (with "
                       "year_column=)")
            else:
                why = ("check the weights' unit, the domain (a subset design stands for its "
                       "domain only) and the stated population")
            raise ValuationError(
                f"{where}: the weights imply a population of {implied:.4g} persons (sum of "
                f"weights {wsum:.4g}{per}) but population={pop:.4g} was stated (ratio "
                f"{ratio:.3g}, tolerance {tol:g}); {why}"
            )
    return wsum, implied


def _basis_conversion(source: WageBasis, target: WageBasis, own: WageBasis,
                      tax_rate: float | None, employer_rate: float | None, where: str) -> float:
    """Factor from the wages' basis to the valuation basis, with the rates given (never guessed).

    A conversion whose rate is missing is refused, naming the rate and the
    way out; a rate that the conversion does not use is refused too (it
    would otherwise be ignored without a word).
    """
    need = {RATE_FOR[b] for b in (source, target) if b in RATE_FOR} if source != target else set()
    given = {k for k, v in (("tax_rate", tax_rate), ("employer_rate", employer_rate))
             if v is not None}
    unused = sorted(given - need)
    if unused:
        raise ValuationError(
            f"{where}: {', '.join(unused)} given but not used: the wages are on basis "
            f"{source!r} and are valued on basis {target!r}"
            + (" (no conversion)" if source == target else "")
            + "; drop it, or pass the basis= that needs it")
    missing = sorted(need - given)
    if missing:
        what = {"tax_rate": "the average rate of income tax and employee social contributions",
                "employer_rate": "employer social contributions"}
        rates = "; ".join(f"{m} = {what[m]} as a fraction of the gross wage" for m in missing)
        chosen = "the method's" if target == own else "the chosen"
        raise ValuationError(
            f"{where}: the wages are {BASIS_TEXT[source]} (basis {source!r}) but {chosen} "
            f"valuation basis is {BASIS_TEXT[target]} (basis {target!r}). Pass {rates}, from "
            "a stated source, to convert; or pass basis=" + repr(source) + " to value at the "
            "wages' own basis, which the results will then state")
    return basis_factor(source, target, tax_rate=tax_rate, employer_rate=employer_rate,
                        where=where)


def _method_meta(method: Method) -> tuple[str, int, WageBasis]:
    if isinstance(method, (Specialist, Hybrid)):
        t = method.wages
        if isinstance(method, Hybrid):
            gen = method.generalist
            if (gen.currency, gen.year, gen.basis) != (t.currency, t.year, t.basis):
                raise ValuationError(
                    f"Hybrid: the generalist wage is {gen.currency} {gen.year} {gen.basis} but the "
                    f"specialist wages are {t.currency} {t.year} {t.basis}; make them match"
                )
        return t.currency, t.year, t.basis
    if isinstance(method, (Generalist, OpportunityCost)):
        return (check_currency(method.currency, method.name),
                check_year(method.year, method.name), check_basis(method.basis, method.name))
    raise ValuationError(
        f"method must be Generalist, Specialist, Hybrid or OpportunityCost; got "
        f"{type(method).__name__}"
    )


def _value_columns(hours: np.ndarray, value: np.ndarray, hcols: tuple[str, ...],
                   vcols: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per-person hours and value of each group and their totals, keyed by design column."""
    cols = {c: hours[:, j] for j, c in enumerate(hcols[:-1])}
    cols[hcols[-1]] = hours.sum(axis=1)
    cols.update({c: value[:, j] for j, c in enumerate(vcols[:-1])})
    cols[vcols[-1]] = value.sum(axis=1)
    return cols


def _group_rates(method: Method, amap: ActivityMap) -> tuple[np.ndarray, pd.DataFrame]:
    """The wage of each group (currency per hour) and the rates table, for the methods whose
    wage depends on the group only (generalist, specialist, hybrid)."""
    rates, table = _rates(method, amap, pd.DataFrame(), np.zeros(1, dtype=bool),
                          np.zeros((1, len(amap.groups))))
    return rates[0].copy(), table


def _rates(method: Method, amap: ActivityMap, data: pd.DataFrame, inset: np.ndarray,
           hours: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    n, g = hours.shape
    groups = amap.groups
    occs = amap.occupations
    subst = [bool(s) for s in amap.table["market_substitute"]]
    if isinstance(method, Generalist):
        w = np.full(g, method.wage)
        table = pd.DataFrame({"group": groups, "occupation": method.label, "wage": w,
                              "wage_se": np.nan, "source": method.source})
        return np.broadcast_to(w, (n, g)).copy(), table
    if isinstance(method, (Specialist, Hybrid)):
        wt = method.wages
        use_spec = [True] * g if isinstance(method, Specialist) else subst
        if isinstance(method, Specialist):
            none = [gr for gr, o in zip(groups, occs, strict=True) if o is None]
            if none:
                raise ValuationError(
                    f"specialist: activity groups {none} have no occupation in the mapping, so no "
                    "wage; map them to an occupation or use Hybrid with a generalist wage"
                )
        needed = [o for o, u in zip(occs, use_spec, strict=True) if u]
        wt.require([str(o) for o in needed], f"{method.name}")
        w = np.empty(g)
        se = np.full(g, np.nan)
        who, src = [], []
        for j in range(g):
            if use_spec[j]:
                o = str(occs[j])
                w[j] = wt.wage(o)
                se[j] = wt.se(o)
                who.append(o)
                src.append(wt.source)
            else:
                assert isinstance(method, Hybrid)
                w[j] = method.generalist.wage
                who.append(f"{method.generalist.label} (generalist)")
                src.append(method.generalist.source)
        table = pd.DataFrame({"group": groups, "occupation": who, "wage": w, "wage_se": se,
                              "source": src})
        return np.broadcast_to(w, (n, g)).copy(), table
    assert isinstance(method, OpportunityCost)
    wcol = method.wage
    if isinstance(wcol, str):
        if wcol not in data.columns:
            raise ValuationError(f"opportunity cost: wage column {wcol!r} not in the data")
        wv = data[wcol].to_numpy(dtype=float, na_value=np.nan)
    else:
        wv = np.asarray(wcol, dtype=float)
        if wv.shape != (n,):
            raise ValuationError(
                f"opportunity cost: wages have shape {wv.shape}; expected ({n},), one per row of "
                "the design's data (in the same order)"
            )
    bad = inset & ~np.isfinite(wv)
    if bad.any():
        raise ValuationError(
            f"opportunity cost: {int(bad.sum())} persons in the design have no wage (first rows "
            f"{list(data.index[bad][:5])}); impute them (carecost.valuation.impute_wages) — a "
            "missing wage is not a zero wage"
        )
    nonpos = inset & (wv <= 0)
    if nonpos.any():
        raise ValuationError(
            f"opportunity cost: {int(nonpos.sum())} persons have a zero or negative wage (first "
            f"rows {list(data.index[nonpos][:5])}); treat them as missing and impute"
        )
    wv = np.where(inset, wv, 0.0)
    table = pd.DataFrame({"group": groups, "occupation": "own wage", "wage": np.nan,
                          "wage_se": np.nan, "source": method.imputation})
    return np.repeat(wv[:, None], g, axis=1), table


def _check_gdp(gdp: GDP, currency: str, year: int) -> None:
    if not isinstance(gdp, GDP):
        raise ValuationError("gdp must be a carecost.valuation.GDP (value, currency, year, "
                             "source); e.g. us_gdp(2016)")
    if gdp.currency != currency or gdp.year != year:
        raise ValuationError(
            f"GDP is {gdp.currency} {gdp.year} but the valuation is {currency} {year}; use GDP of "
            "the same year and currency"
        )


def _ratio_delta(theta: np.ndarray, vcov: np.ndarray, a: np.ndarray, b: np.ndarray
                 ) -> tuple[float, float]:
    """Estimate and delta-method SE of (a.theta)/(b.theta)."""
    num, den = float(a @ theta), float(b @ theta)
    if den == 0:
        return float("nan"), float("nan")
    r = num / den
    grad = (a - r * b) / den
    return r, float(np.sqrt(max(grad @ vcov @ grad, 0.0)))

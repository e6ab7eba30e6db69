"""Wage tables for replacement-cost valuation, and hourly wages from earnings surveys.

A :class:`WageTable` holds one hourly wage per market occupation, with its
currency, reference year and basis (gross, net, gross plus employer
contributions).  Tables come from the user (:meth:`WageTable.from_mapping`),
from published statistics shipped with carecost (:func:`oes_wages`, BLS
Occupational Employment Statistics) or from the time-use survey itself
(:func:`survey_wages`, weighted means of the respondents' own wages in cells
of occupation and industry, with design-based standard errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from carecost.survey import SurveyDesign

from ._common import (
    DATA,
    ValuationError,
    WageBasis,
    basis_factor,
    check_basis,
    check_currency,
    check_positive_amount,
    check_positive_wage,
    check_year,
    require_columns,
)


@dataclass(frozen=True)
class WageTable:
    """Hourly wages of market occupations, in one currency, year and basis.

    Attributes
    ----------
    wages
        Indexed by occupation key (str, unique), with column ``wage``
        (currency units per hour, > 0) and optionally ``se`` (standard error
        of the wage, same unit), ``n`` (observations behind it) and any
        documentation columns (``soc``, ``title``, ``source``, ``cell`` ...).
    currency
        ISO 4217 code, e.g. ``"USD"``.
    year
        Reference year of the wages.  A valuation refuses wages of another
        year than the time-use data; :meth:`rebase` states an adjustment.
    basis
        ``"gross"``, ``"net"`` or ``"gross_plus_employer"``.
    source
        Where the wages come from (kept in every result).
    """

    wages: pd.DataFrame
    currency: str
    year: int
    basis: WageBasis = "gross"
    source: str = ""
    history: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        where = f"WageTable({self.source or 'unnamed'})"
        object.__setattr__(self, "currency", check_currency(self.currency, where))
        object.__setattr__(self, "year", check_year(self.year, where))
        check_basis(self.basis, where)
        w = self.wages
        if not isinstance(w, pd.DataFrame) or "wage" not in w.columns:
            raise ValuationError(f"{where}: wages must be a DataFrame with a 'wage' column")
        if w.index.has_duplicates:
            dup = sorted(set(w.index[w.index.duplicated()]))
            raise ValuationError(f"{where}: occupations {dup} appear more than once")
        for occ, v in w["wage"].items():
            check_positive_wage(v, f"{where}, occupation {occ!r}")

    # ---------------------------------------------------------------- builders
    @classmethod
    def from_mapping(
        cls, wages: Mapping[str, float], *, currency: str, year: int,
        basis: WageBasis = "gross", source: str = "", se: Mapping[str, float] | None = None,
    ) -> WageTable:
        """A table from ``{occupation: hourly wage}`` (and optional standard errors).

        Examples
        --------
        >>> WageTable.from_mapping({"cook": 12.0, "cleaner": 10.0}, currency="USD",
        ...                        year=2016, source="my survey")  # doctest: +SKIP
        """
        frame = pd.DataFrame({"wage": pd.Series(dict(wages), dtype=float)})
        frame.index.name = "occupation"
        if se is not None:
            extra = sorted(set(se) - set(wages))
            if extra:
                raise ValuationError(f"WageTable: standard errors given for unknown {extra}")
            frame["se"] = pd.Series(dict(se), dtype=float).reindex(frame.index)
        return cls(frame, currency=currency, year=year, basis=basis, source=source)

    # ----------------------------------------------------------------- access
    @property
    def occupations(self) -> list[str]:
        return [str(o) for o in self.wages.index]

    def wage(self, occupation: str) -> float:
        """The hourly wage of ``occupation`` (an error naming what is available)."""
        self.require([occupation], "wage lookup")
        return float(self.wages["wage"].loc[occupation])

    def se(self, occupation: str) -> float:
        """Standard error of the wage (NaN when the table has none)."""
        self.require([occupation], "wage lookup")
        if "se" not in self.wages.columns:
            return float("nan")
        return float(self.wages["se"].loc[occupation])

    def require(self, occupations: list[str], what: str) -> None:
        """Raise if any of ``occupations`` has no wage in the table."""
        missing = [o for o in dict.fromkeys(occupations) if o not in self.wages.index]
        if missing:
            raise ValuationError(
                f"{what}: no wage for mapped occupation(s) {missing} in the wage table "
                f"'{self.source or 'unnamed'}' ({self.currency} {self.year}); it has "
                f"{self.occupations}. Add them to the table or map the activity groups to "
                "occupations that have a wage"
            )

    # ------------------------------------------------------------ transforms
    def to_basis(
        self, basis: WageBasis, *, tax_rate: float | None = None,
        employer_rate: float | None = None,
    ) -> WageTable:
        """The same wages on another basis (see :func:`carecost.valuation.basis_factor`).

        Parameters
        ----------
        basis
            Target basis.
        tax_rate
            Average income tax and employee social contributions, fraction of gross.
        employer_rate
            Employer social contributions, fraction of gross.
        """
        f = basis_factor(self.basis, basis, tax_rate=tax_rate, employer_rate=employer_rate,
                         where=f"WageTable({self.source}).to_basis")
        note = (f"basis {self.basis} -> {basis} (x{f:.4f}; tax_rate={tax_rate}, "
                f"employer_rate={employer_rate})")
        return self._scaled(f, basis=basis, note=note)

    def rebase(self, year: int, factor: float, *, source: str) -> WageTable:
        """Move the wages to another reference ``year`` by a stated ``factor``.

        Wages of one year applied to hours of another are refused by
        :func:`value_unpaid_work`; this makes the adjustment explicit, e.g. a
        wage index ratio, with its ``source`` kept in the table's history.
        """
        y = check_year(year, "WageTable.rebase")
        f = check_positive_amount(factor, "WageTable.rebase", "factor (a multiplier > 0)")
        if not source:
            raise ValuationError("WageTable.rebase: say where the factor comes from (source=...)")
        new = self._scaled(f, note=f"rebased {self.year} -> {y} x{f:.6f} ({source})")
        return replace(new, year=y)

    def scaled(self, factor: float, note: str = "") -> WageTable:
        """All wages multiplied by ``factor`` (> 0)."""
        f = check_positive_amount(factor, "WageTable.scaled", "factor (a multiplier > 0)")
        return self._scaled(f, note=note or f"scaled x{f}")

    def _scaled(self, f: float, *, basis: WageBasis | None = None, note: str) -> WageTable:
        w = self.wages.copy()
        w["wage"] = w["wage"] * f
        if "se" in w.columns:
            w["se"] = w["se"] * f
        return replace(self, wages=w, basis=basis or self.basis,
                       history=(*self.history, note))


# --------------------------------------------------------------- published data
def _read(name: str) -> pd.DataFrame:
    with (DATA / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"soc": str, "isco08": str, "soc2018": str})


def oes_published() -> pd.DataFrame:
    """The BLS OES national mean hourly wages shipped with carecost (see ``SOURCES.md``)."""
    return _read("bls_oes_published.csv")


def oes_wages(period: str, occupations: Mapping[str, str] | None = None) -> WageTable:
    """BLS Occupational Employment Statistics national mean hourly wages (gross, USD).

    Parameters
    ----------
    period
        Reference period as BLS names it, e.g. ``"May 2019"``.
    occupations
        ``{occupation key: SOC code}``; default: the SOC codes themselves.

    Returns
    -------
    WageTable
        ``wage`` = mean hourly wage, ``se`` = wage x relative standard error,
        with ``soc``, ``title`` and ``source_url`` per occupation.

    Notes
    -----
    Only the figures found in a citable BLS page are shipped (a handful of
    care and domestic occupations for a few periods, listed in
    ``carecost/valuation/data/SOURCES.md``); an occupation without a
    published figure in that period is an error, never a guess.

    References
    ----------
    U.S. Bureau of Labor Statistics, Occupational Employment Statistics,
    *Occupational Employment and Wages*, national estimates by SOC code
    (one page per occupation and period, URLs in the table).
    """
    pub = oes_published()
    rows = pub[pub["period"] == period]
    if rows.empty:
        raise ValuationError(
            f"oes_wages: no shipped OES figures for period {period!r}; available periods: "
            f"{sorted(pub['period'].unique())}"
        )
    by_soc = rows.set_index("soc")
    mapping = dict(occupations) if occupations is not None else {s: s for s in by_soc.index}
    missing = {k: s for k, s in mapping.items() if s not in by_soc.index}
    if missing:
        raise ValuationError(
            f"oes_wages: no published {period} wage is shipped for {missing}; shipped SOC codes "
            f"for {period}: {sorted(by_soc.index)}. Supply the wage yourself "
            "(WageTable.from_mapping) with its source"
        )
    socs = list(mapping.values())
    mean = by_soc["mean_hourly_wage"].astype(float).loc[socs].to_numpy()
    rse = by_soc["wage_rse_pct"].astype(float).loc[socs].to_numpy()
    frame = pd.DataFrame(
        {
            "wage": mean,
            "se": mean * rse / 100,
            "soc": list(mapping.values()),
            "title": [by_soc.at[s, "title"] for s in mapping.values()],
            "source_url": [by_soc.at[s, "source_url"] for s in mapping.values()],
        },
        index=pd.Index(list(mapping), name="occupation"),
    )
    year = int(rows["year"].iloc[0])
    return WageTable(frame, currency="USD", year=year, basis="gross",
                     source=f"BLS OES {period} national mean hourly wages")


# ------------------------------------------------------------ wages from a survey
US_MIN_PLAUSIBLE_WAGE = 7.25 / 2
"""Default lower plausibility bound, USD per hour: half the U.S. federal minimum
wage ($7.25 since 24 July 2009, 29 U.S.C. 206).  Tipped employees may be paid a
cash wage of $2.13 (29 U.S.C. 203(m)), so wages below it are flagged, not
dropped."""

US_MAX_PLAUSIBLE_WAGE = 200.0
"""Default upper plausibility bound, USD per hour.  ATUS top-codes hourly
earnings at $99.99 and weekly earnings at $2,884.61 ($72 an hour at 40 hours);
above $200 an hour arises only from weekly earnings over very few usual hours."""


def observed_hourly_wage(
    data: pd.DataFrame, *, hourly: str = "hourly_wage", weekly: str = "weekly_earn",
    hours: str = "work_hrs_week", min_plausible: float | None = US_MIN_PLAUSIBLE_WAGE,
    max_plausible: float | None = US_MAX_PLAUSIBLE_WAGE, exclude_implausible: bool = False,
) -> pd.DataFrame:
    """Each respondent's hourly wage from the survey's earnings variables.

    The hourly wage is ``hourly`` where it is positive (hourly-paid workers);
    otherwise ``weekly / hours`` where both are positive (salaried workers:
    usual weekly earnings over usual weekly hours); otherwise missing (not
    employed, self-employed without earnings, or zero/missing amounts).
    Wages outside ``[min_plausible, max_plausible]`` are counted in the
    report and flagged; they are kept unless ``exclude_implausible``.

    Parameters
    ----------
    data
        One row per person.
    hourly, weekly, hours
        Columns: hourly earnings (currency per hour), usual weekly earnings
        (currency per week), usual hours worked per week.  In the ATUS
        abridged file these are ``hourly_wage`` (TRERNHLY, top-coded at
        99.99), ``weekly_earn`` (TRERNWA, top-coded at 2,884.61) and
        ``work_hrs_week``.
    min_plausible, max_plausible
        Plausibility bounds, currency per hour (``None``: no bound).  The
        defaults are for U.S. dollars of 2009 onwards:
        :data:`US_MIN_PLAUSIBLE_WAGE` (half the federal minimum wage, $3.625)
        and :data:`US_MAX_PLAUSIBLE_WAGE` ($200); set your own for another
        currency or period.
    exclude_implausible
        If true, wages outside the bounds are set to missing (their
        ``wage_source`` becomes ``"excluded (implausible)"``), so they are
        imputed or left out like other missing wages; the report says how
        many.  Default false: they are kept and only counted.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``data``: ``wage`` (currency per hour, NaN when not
        observed), ``wage_source`` (``"hourly"``, ``"weekly/hours"``,
        ``"none"`` or ``"excluded (implausible)"``) and ``implausible``
        (True where the computed wage is outside the bounds).
        ``attrs["report"]`` counts each case, the zero amounts that were not
        used, the implausible wages below and above the bounds and how many
        were excluded; ``attrs["bounds"]`` holds the bounds used.
    """
    require_columns(data, [hourly, weekly, hours], "observed_hourly_wage")
    lo = None if min_plausible is None else float(min_plausible)
    hi = None if max_plausible is None else float(max_plausible)
    if (lo is not None and not (np.isfinite(lo) and lo >= 0)) or \
            (hi is not None and not (np.isfinite(hi) and hi > 0)) or \
            (lo is not None and hi is not None and lo >= hi):
        raise ValuationError(
            f"observed_hourly_wage: plausibility bounds must satisfy 0 <= min_plausible < "
            f"max_plausible (currency per hour); got {min_plausible!r}, {max_plausible!r}"
        )
    h = pd.to_numeric(data[hourly], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    wk = pd.to_numeric(data[weekly], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    hr = pd.to_numeric(data[hours], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    for name, arr in ((hourly, h), (weekly, wk), (hours, hr)):
        neg = int((arr < 0).sum())
        if neg:
            raise ValuationError(f"observed_hourly_wage: column {name!r} has {neg} negative values")
    use_h = h > 0
    use_w = ~use_h & (wk > 0) & (hr > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        wage = np.where(use_h, h, np.where(use_w, wk / hr, np.nan))
    src = np.where(use_h, "hourly", np.where(use_w, "weekly/hours", "none")).astype(object)
    low = (wage < lo) if lo is not None else np.zeros(len(wage), dtype=bool)
    high = (wage > hi) if hi is not None else np.zeros(len(wage), dtype=bool)
    bad = low | high
    if exclude_implausible:
        wage = np.where(bad, np.nan, wage)
        src = np.where(bad, "excluded (implausible)", src)
    out = pd.DataFrame({"wage": wage, "wage_source": src.astype(str), "implausible": bad},
                       index=data.index)
    out.attrs["report"] = {
        "hourly": int((use_h & ~(bad & exclude_implausible)).sum()),
        "weekly/hours": int((use_w & ~(bad & exclude_implausible)).sum()),
        "none": int((~use_h & ~use_w).sum()),
        "zero hourly (not used)": int((h == 0).sum()),
        "zero weekly earnings (not used)": int((wk == 0).sum()),
        "zero weekly hours (not used)": int((hr == 0).sum()),
        "implausible: below min_plausible": int(low.sum()),
        "implausible: above max_plausible": int(high.sum()),
        "implausible: excluded": int(bad.sum()) if exclude_implausible else 0,
    }
    out.attrs["bounds"] = {"min_plausible": lo, "max_plausible": hi,
                           "unit": "currency per hour"}
    return out


def survey_wages(
    design: SurveyDesign, cells: Mapping[str, str], wage: str, *, currency: str, year: int,
    basis: WageBasis = "gross", min_n: int = 30, source: str = "",
) -> WageTable:
    """Occupation wages estimated from the survey itself ("from the same file").

    For each occupation, the weighted mean hourly wage of the respondents in
    its cell (a ``DataFrame.eval`` expression on the design's data, e.g.
    ``"occup_code == 'service' and ind_code == 'other'"``) who have a wage,
    as a domain mean of the design, so ``se`` is design-based.

    Parameters
    ----------
    design
        Survey design whose data hold the cell variables and ``wage``.
    cells
        ``{occupation key: cell expression}``.
    wage
        Column of hourly wages (NaN where not observed; see
        :func:`observed_hourly_wage`).
    currency, year, basis
        What the wages are.
    min_n
        Fewest wage earners a cell needs; a smaller cell is an error.

    Returns
    -------
    WageTable
        Columns ``wage``, ``se``, ``n`` (earners used), ``n_no_wage``
        (respondents in the cell without a wage, left out and counted), ``cell``.
    """
    data = design.data
    require_columns(data, [wage], "survey_wages")
    w = data[wage].to_numpy(dtype=float, na_value=np.nan)
    inset = design.in_subset
    rows = []
    for occ, expr in cells.items():
        try:
            m = data.eval(expr)
        except Exception as err:  # pandas raises many types for a bad expression
            raise ValuationError(f"survey_wages: cell of {occ!r} ({expr!r}) cannot be "
                                 f"evaluated on the data: {err}") from err
        mask = np.asarray(pd.Series(m, index=data.index).fillna(False), dtype=bool) & inset
        has = mask & np.isfinite(w)
        n = int(has.sum())
        if n < min_n:
            raise ValuationError(
                f"survey_wages: cell of {occ!r} ({expr!r}) has {n} respondents with a wage, "
                f"fewer than min_n={min_n}; widen the cell or pool years"
            )
        res = design.subset(has).mean(wage)
        rows.append({"occupation": occ, "wage": float(res["estimate"].iloc[0]),
                     "se": float(res["se"].iloc[0]), "n": n,
                     "n_no_wage": int((mask & ~np.isfinite(w)).sum()), "cell": expr})
    frame = pd.DataFrame(rows).set_index("occupation")
    return WageTable(frame, currency=currency, year=year, basis=basis,
                     source=source or f"survey wages ({wage}) by cell")


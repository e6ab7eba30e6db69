"""Time-use indicators: the unpaid-care gender gap and BLS ATUS Table 1."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from carecost.survey import Estimate, EstimateInfo, SurveyDesign
from carecost.survey.results import attach, critical_value

from .survey import TimeUseError, TimeUseSurvey

GAP_CHUNK = 500
"""Domains per block in :func:`gender_gap` (each block's covariance is 2 x 500 squared)."""
WEIGHTS_UNITS = ("persons", "person_days")
UN_AGE_FLOOR = 15
"""The SDG 5.4.1 reporting population starts at 15: excluding younger respondents is warned (a
population starting above it, e.g. ``"18+"``, is an explicit choice and is not)."""


def _subset_isin(design: SurveyDesign, col: str, values: list[object]) -> SurveyDesign:
    """Domain of rows whose ``col`` is in ``values`` (a function of the rows: any backend)."""
    return design.subset(lambda f: f[col].isin(values))


def _check_columns(design: SurveyDesign, cols: Sequence[str], where: str) -> None:
    have = set(design.data.columns)
    missing = [c for c in cols if c not in have]
    if missing:
        raise TimeUseError(f"{where}: column(s) {missing} not found in the design's data "
                           f"(columns start with {list(design.data.columns)[:12]})")


def adjusted_gap(
    design: SurveyDesign, y: str, covariates: Sequence[str], *, sex: str = "sex",
    female: object = "female", male: object = "male", level: float = 0.95,
) -> pd.DataFrame:
    r"""The gender gap adjusted for covariates: women's minus men's mean at equal covariates.

    The coefficient :math:`\delta` of the women's indicator in the survey-weighted linear
    regression :math:`y_i = \alpha + \delta\,1\{\text{woman}_i\} + x_i^\top\beta + e_i`
    over women and men (:meth:`~carecost.survey.Design.glm`, gaussian, R ``svyglm``), with
    its design-based standard error (sandwich variance for linearization designs, refitted
    replicates for replicate designs).  With no covariates :math:`\delta` is the raw gap of
    :func:`gender_gap` (same estimate and standard error).  The adjusted gap is descriptive:
    it removes the part of the raw gap that the covariates' composition accounts for, not a
    causal effect (Lumley 2010, ch. 5).

    Parameters
    ----------
    design
        Any carecost survey design.
    y
        Numeric variable, e.g. minutes per day of unpaid care work [minutes per day].
    covariates
        Terms added to the regression, in formulaic syntax: column names, ``C(age_group)``
        for a categorical, interactions (``a:b``).
    sex, female, male
        The sex column and its two values; rows with other values are outside the domain.
    level
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Two rows (``statistic`` ``raw_gap`` and ``adjusted_gap``) with ``estimate, se, ci_low,
        ci_high, df, p`` and the ``covariates`` used; the raw gap is the same regression
        without covariates.

    Raises
    ------
    TimeUseError
        If a column is missing or the sex column has no women or no men.
    """
    _check_columns(design, [y, sex], "adjusted_gap")
    domain = _subset_isin(design, sex, [female, male])
    present = set(domain.distinct(sex)[sex].tolist())
    absent = [v for v in (female, male) if v not in present]
    if absent:
        raise TimeUseError(f"adjusted_gap: no rows with {sex} = {absent[0]!r} (values present: "
                           f"{sorted(map(str, present))}); pass female= and male= as coded")
    ind = "_carecost_woman"
    if ind in design.data.columns:
        raise TimeUseError(f"adjusted_gap: the data already have a column {ind!r}; rename it")
    d = domain.assign(**{ind: lambda f: (f[sex] == female).astype(float)})
    rows = []
    for name, terms in (("raw_gap", []), ("adjusted_gap", list(covariates))):
        formula = f"{y} ~ {' + '.join([ind, *terms])}"
        fit = pd.DataFrame(d.glm(formula, level=level))
        r = fit[fit["term"] == ind].iloc[0]
        rows.append({"statistic": name, "estimate": float(r["estimate"]), "se": float(r["se"]),
                     "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                     "df": float(r["df"]), "p": float(r["p"]),
                     "covariates": " + ".join(terms)})
    return pd.DataFrame(rows)


def gender_gap(
    design: SurveyDesign, y: str, *, sex: str = "sex", female: object = "female",
    male: object = "male", by: str | Sequence[str] | None = None, level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    r"""Women's and men's means, the gap, the ratio and women's share of the total.

    For each domain: :math:`\bar y_F`, :math:`\bar y_M`, the gap
    :math:`\bar y_F - \bar y_M`, the ratio :math:`\bar y_F / \bar y_M` and
    women's share :math:`T_F/(T_F+T_M)` of the population total, each with a
    standard error from the joint covariance of the sex-specific estimates
    (linear contrast for the gap, delta method for the ratio and share), as
    R ``svyby(..., covmat=TRUE)`` followed by ``svycontrast``.

    Parameters
    ----------
    design
        Any carecost survey design.
    y
        Numeric variable, e.g. minutes per day of unpaid care work.
    sex, female, male
        The sex column and its two values.
    by
        Further domains (age group, year, ...).

    Returns
    -------
    Estimate
        ``by`` columns, ``statistic`` (``women``, ``men``, ``gap``, ``ratio``,
        ``women_share``), ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``df``, ``n``.  A domain with no women or no men keeps its rows, with
        NaN for what cannot be estimated.  Its :attr:`~carecost.survey.Estimate.estimate_info`
        has the design's degrees of freedom, variance method and weights unit (no joint
        covariance of the five statistics: ``vcov`` is ``None``).

    Works on every design backend (pandas or Dask).
    """
    bys = [by] if isinstance(by, str) else list(by or [])
    _check_columns(design, [y, sex, *bys], "gender_gap")
    d = _subset_isin(design, sex, [female, male])
    if bys:
        domains = d.distinct(bys)
        if len(domains) > GAP_CHUNK:
            # the covariance is only needed within a domain: estimate blocks of domains on
            # subset designs (same estimates and SEs as domains of the full design) instead of
            # one covariance matrix over every sex x domain estimate
            design_df = d.degf() if df is None else df
            domains = domains.sort_values(bys, kind="stable").reset_index(drop=True)
            pieces: list[pd.DataFrame] = []
            for lo in range(0, len(domains), GAP_CHUNK):
                block = pd.MultiIndex.from_frame(domains.iloc[lo:lo + GAP_CHUNK])
                sub = d.subset(lambda f, b=block: pd.MultiIndex.from_frame(f[bys]).isin(b))
                pieces.append(gender_gap(sub, y, sex=sex, female=female, male=male, by=bys,
                                         level=level, df=design_df))
            whole = pd.concat(pieces, ignore_index=True)
            return _gap_result(whole, pieces[0], design_df)  # type: ignore[arg-type]
    means = d.mean(y, by=[*bys, sex], vcov=True)
    totals = d.total(y, by=[*bys, sex], vcov=True)
    mi = means.estimate_info
    assert mi is not None and means.vcov is not None and totals.vcov is not None
    design_df = d.degf() if df is None else df
    crit = critical_value(level, design_df)
    keys = bys or ["__all"]
    frame = means[bys].copy() if bys else pd.DataFrame({"__all": np.zeros(len(means))})
    pos = np.arange(len(means))
    is_f = (means[sex] == female).to_numpy()
    is_m = (means[sex] == male).to_numpy()
    groups = frame[keys].drop_duplicates().reset_index(drop=True)
    pairs = (groups.merge(frame[is_f].assign(__f=pos[is_f]), on=keys, how="left")
             .merge(frame[is_m].assign(__m=pos[is_m]), on=keys, how="left"))
    f = pairs["__f"].to_numpy(dtype=float)
    m = pairs["__m"].to_numpy(dtype=float)
    both = ~np.isnan(f) & ~np.isnan(m)
    fi = np.where(np.isnan(f), 0, f).astype(int)
    mi_ = np.where(np.isnan(m), 0, m).astype(int)
    v, vt = means.vcov, totals.vcov
    est = means["estimate"].to_numpy()
    tot = totals["estimate"].to_numpy()
    nn = means["n"].to_numpy()
    yf = np.where(np.isnan(f), np.nan, est[fi])
    ym = np.where(np.isnan(m), np.nan, est[mi_])
    vff, vmm, vfm = v[fi, fi], v[mi_, mi_], v[fi, mi_]
    tf, tm = tot[fi], tot[mi_]
    with np.errstate(divide="ignore", invalid="ignore"):
        s_tot = tf + tm
        stats = {
            "women": (yf, np.where(np.isnan(f), np.nan, vff)),
            "men": (ym, np.where(np.isnan(m), np.nan, vmm)),
            "gap": (yf - ym, np.where(both, vff + vmm - 2 * vfm, np.nan)),
            # delta method: gradient (1/ym, -yf/ym^2)
            "ratio": (yf / ym, np.where(both, vff / ym**2 + yf**2 * vmm / ym**4
                                        - 2 * yf * vfm / ym**3, np.nan)),
            # women's share T_F/(T_F+T_M): gradient (T_M, -T_F)/(T_F+T_M)^2
            "women_share": (np.where(both, tf / s_tot, np.nan),
                            np.where(both, (tm**2 * vt[fi, fi] + tf**2 * vt[mi_, mi_]
                                            - 2 * tf * tm * vt[fi, mi_]) / s_tot**4, np.nan)),
        }
    n_f = np.where(np.isnan(f), 0, nn[fi])
    n_m = np.where(np.isnan(m), 0, nn[mi_])
    parts = []
    for stat, (e, var) in stats.items():
        se = np.sqrt(np.clip(var, 0.0, None))
        part = groups[bys].copy() if bys else pd.DataFrame(index=groups.index)
        part["statistic"] = stat
        part["estimate"] = e
        part["se"] = se
        part["ci_low"] = e - crit * se
        part["ci_high"] = e + crit * se
        part["df"] = design_df
        part["n"] = n_f if stat == "women" else n_m if stat == "men" else n_f + n_m
        part["_g"] = np.arange(len(groups))
        parts.append(part)
    order = {k: i for i, k in enumerate(stats)}
    out = pd.concat(parts, ignore_index=True)
    out = (out.assign(_s=out["statistic"].map(order)).sort_values(["_g", "_s"], kind="stable")
           .drop(columns=["_g", "_s"]).reset_index(drop=True))
    return _gap_result(out, means, design_df)


def _gap_result(out: pd.DataFrame, source: Estimate, design_df: float) -> Estimate:
    """The gap table as an Estimate with the design facts of ``source`` (no joint vcov)."""
    info = source.estimate_info
    assert info is not None
    res = attach(out.reset_index(drop=True), EstimateInfo(
        statistic="gender_gap", vcov=None, index=pd.RangeIndex(len(out)), level=info.level,
        variance=info.variance, df=float(design_df), method=info.method,
        weights_unit=info.weights_unit, estimates=out["estimate"].to_numpy(dtype=float)))
    res.attrs["variance"] = info.variance
    return res


def bls_table1(
    survey: TimeUseSurvey, year: int, *, rows: Sequence[str] | None = None,
    days: np.ndarray | None = None,
) -> pd.DataFrame:
    """BLS ATUS Table 1 from microdata for one year.

    "Time spent in primary activities and percent of the civilian population
    engaging in each activity, averages per day by sex": for each Table 1
    row and for total, men and women, the average hours per day
    (:math:`\\sum w y / \\sum w` / 60), the percent engaged on an average day,
    and the average hours per day of those who engaged (ratio of the total
    hours to the weighted number engaged), each with its standard error under
    the survey's design (see ``survey.variance``).

    Parameters
    ----------
    survey
        From :func:`carecost.timeuse.read_atus`.
    year
        Diary year.
    rows
        Table 1 rows (default: all rows of the crosswalk).
    days
        Optional boolean mask restricting to some diary days (e.g.
        weekends and holidays).

    References
    ----------
    U.S. Bureau of Labor Statistics, *American Time Use Survey — 20XX
    Results*, Table 1 (annual news release).
    """
    cols = list(rows) if rows is not None else [
        c for c in survey.activity_columns if not c.startswith("icatus_")
        and c != "unpaid_care_work"
    ]
    if survey.design.backend != "memory":
        raise TimeUseError(
            "bls_table1 reads the person table row by row and needs it in memory; build the "
            "survey with carecost.timeuse.read_atus or from_episodes (pandas), or compute the "
            "one year you need first")
    persons = survey.persons
    if "tuyear" not in persons.columns:
        raise TimeUseError("bls_table1: the person table has no 'tuyear' column (the diary "
                           "year); read it with carecost.timeuse.read_atus")
    in_year = (persons["tuyear"] == year).to_numpy()
    if not in_year.any():
        years = sorted(persons["tuyear"].unique())
        raise TimeUseError(f"bls_table1: no diaries for year {year}; the data has "
                           f"{years[0]}-{years[-1]}")
    mask = in_year if days is None else in_year & np.asarray(days, dtype=bool)
    d = survey.design.subset(mask)
    data = d.data
    hours = {c: f"__h_{i}" for i, c in enumerate(cols)}
    engaged = {c: f"__e_{i}" for i, c in enumerate(cols)}
    extra = {}
    for c in cols:
        extra[hours[c]] = data[c].to_numpy(dtype=float) / 60.0
        extra[engaged[c]] = (data[c].to_numpy() > 0).astype(float)
    sex = data["sex"].astype(str).to_numpy()
    extra["__sex"] = np.where(sex == "male", "men", np.where(sex == "female", "women", sex))
    d2 = d.assign(**extra)
    out = []
    for group, by in (("total", None), ("sex", "__sex")):
        mh = d2.mean(list(hours.values()), by=by, vcov=False)
        me = d2.mean(list(engaged.values()), by=by, vcov=False)
        for c in cols:
            h = mh[mh["variable"] == hours[c]]
            e = me[me["variable"] == engaged[c]]
            eng = d2.ratio(hours[c], engaged[c], by=by, vcov=False)
            sexes = ["total"] if group == "total" else list(h["__sex"])
            for k, sx in enumerate(sexes):
                hr, er = h.iloc[k], e.iloc[k]
                er_match = eng if by is None else eng[eng["__sex"] == sx]
                out.append({
                    "year": year, "activity": c, "sex": sx,
                    "hours_per_day": hr["estimate"], "hours_per_day_se": hr["se"],
                    "pct_engaged": 100 * er["estimate"], "pct_engaged_se": 100 * er["se"],
                    "hours_engaged": er_match["estimate"].iloc[0] if er["estimate"] > 0
                    else np.nan,
                    "hours_engaged_se": er_match["se"].iloc[0] if er["estimate"] > 0 else np.nan,
                    "n": int(hr["n"]),
                })
    res = pd.DataFrame(out)
    order = {"total": 0, "men": 1, "women": 2}
    res["_o"] = res["sex"].map(order)
    res["_a"] = res["activity"].map({c: i for i, c in enumerate(cols)})
    res = res.sort_values(["_a", "_o"]).drop(columns=["_o", "_a"]).reset_index(drop=True)
    res.attrs["variance"] = survey.variance
    return res


def _design_of(x: SurveyDesign | TimeUseSurvey) -> SurveyDesign:
    return x.design if isinstance(x, TimeUseSurvey) else x


def time_use_indicators(
    survey: SurveyDesign | TimeUseSurvey, y: str, *, by: str | Sequence[str] | None = None,
    level: float = 0.95, df: float | None = None, days_per_year: float = 365.0,
    weights_unit: str | None = None,
) -> pd.DataFrame:
    r"""Standard time-use indicators for one activity, with standard errors.

    For each domain: ``hours_per_day`` (population average, all persons,
    :math:`\sum w y / \sum w` / 60), ``participation_pct`` (percent with any
    time on the diary day), ``hours_per_participant`` (ratio of total time to
    the number of participants), ``total_hours_per_day`` (population total
    hours on an average day) and ``annual_hours`` (hours in the year).  With
    weights that sum to persons, :math:`\sum w y / 60` is the daily total and
    the annual total is that x ``days_per_year`` (the diary day is an average
    day when diaries are spread over the year); with weights that sum to
    person-days (``weights_unit="person_days"``, ATUS), :math:`\sum w y / 60`
    is already the annual total of the diary period and the daily total is
    that / ``days_per_year`` -- estimate one year at a time.  The default
    unit is the survey's (or design's) ``weights_unit``, ``"persons"`` when neither
    states one.  Works on every design backend (pandas or Dask).

    Parameters
    ----------
    survey
        A :class:`TimeUseSurvey` or any carecost design.
    y
        Minutes-per-day column.
    by
        Domains, e.g. ``["sex", "age_group"]``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``indicator``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``df``, ``n`` and ``unit``.

    References
    ----------
    United Nations (2005). *Guide to Producing Statistics on Time Use:
    Measuring Paid and Unpaid Work*, chapter 11 (average time, participation
    rate, average time of participants).
    """
    d = _design_of(survey)
    unit = weights_unit or d.weights_unit or "persons"
    if unit not in WEIGHTS_UNITS:
        raise TimeUseError(f"time_use_indicators: weights_unit must be 'persons' or "
                           f"'person_days'; got {unit!r}")
    if weights_unit is not None and d.weights_unit not in (None, weights_unit):
        raise TimeUseError(
            f"time_use_indicators: weights_unit={weights_unit!r} but the design says its weights "
            f"count {d.weights_unit!r}; drop weights_unit= (or fix the design's)")
    if isinstance(days_per_year, bool) or not isinstance(days_per_year, (int, float)) \
            or not 0 < days_per_year <= 366:
        raise TimeUseError(f"time_use_indicators: days_per_year must be a number of days in "
                           f"(0, 366]; got {days_per_year!r}")
    bys = [by] if isinstance(by, str) else list(by or [])
    _check_columns(d, [y, *bys], "time_use_indicators")
    hours = f"__{y}_hours"
    part = f"__{y}_any"
    d2 = d.assign(**{hours: lambda f: f[y].astype(float) / 60.0,
                     part: lambda f: (f[y].astype(float) > 0).astype(float)})
    mean_h = d2.mean(hours, by=bys or None, level=level, df=df, vcov=False)
    mean_p = d2.mean(part, by=bys or None, level=level, df=df, vcov=False)
    per_p = d2.ratio(hours, part, by=bys or None, level=level, df=df, vcov=False)
    tot = d2.total(hours, by=bys or None, level=level, df=df, vcov=False)
    parts = []
    for name, res, scale, label in (
        ("hours_per_day", mean_h, 1.0, "hours per day"),
        ("participation_pct", mean_p, 100.0, "percent"),
        ("hours_per_participant", per_p, 1.0, "hours per day"),
        ("total_hours_per_day", tot, 1.0 if unit == "persons" else 1.0 / days_per_year,
         "hours per day (population)"),
        ("annual_hours", tot, days_per_year if unit == "persons" else 1.0,
         "hours per year (population)"),
    ):
        r = res[[*bys, "estimate", "se", "ci_low", "ci_high", "df", "n"]].copy()
        for c in ("estimate", "se", "ci_low", "ci_high"):
            r[c] = r[c] * scale
        r.insert(len(bys), "indicator", name)
        r["unit"] = label
        parts.append(r)
    out = pd.concat(parts, ignore_index=True)
    out.insert(len(bys), "variable", y)
    return out


def _age_range(population: str | tuple[float, float]) -> tuple[float, float, str]:
    """``"15+"``, ``"18+"``, ``"15-64"`` or ``(lo, hi)`` as (lowest, highest age, label)."""
    if isinstance(population, tuple) and len(population) == 2:
        lo, hi = float(population[0]), float(population[1])
    elif isinstance(population, str) and re.fullmatch(r"\s*\d+\s*\+\s*", population):
        lo, hi = float(population.strip().rstrip("+")), float("inf")
    elif isinstance(population, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", population):
        lo_s, hi_s = population.split("-")
        lo, hi = float(lo_s), float(hi_s)
    else:
        raise TimeUseError(f"population must be like '15+', '15-64' or (15, 64), or None for "
                           f"all respondents; got {population!r}")
    if not lo <= hi:
        raise TimeUseError(f"population {population!r}: the lowest age is above the highest")
    label = f"ages {lo:g}+" if hi == float("inf") else f"ages {lo:g}-{hi:g}"
    return lo, hi, label


def _restrict_ages(d: SurveyDesign, population: str | tuple[float, float] | None, age: str,
                   where: str) -> tuple[SurveyDesign, str]:
    """The design restricted to an age range (a domain), with a label; warns on exclusions."""
    if population is None:
        return d, "all respondents"
    lo, hi, label = _age_range(population)
    if age not in d.data.columns:
        raise TimeUseError(f"{where}: population={population!r} needs the age in years, but the "
                           f"column {age!r} is not in the data; pass age= (the column of ages), "
                           "or population=None to use every respondent")
    col = d.data[age]
    if not pd.api.types.is_numeric_dtype(col.dtype):
        raise TimeUseError(f"{where}: age column {age!r} is not numeric (dtype {col.dtype}); "
                           "pass age= the age in years, or population=None")
    n_missing = col.isna().sum()
    outside = ((col < lo) | (col > hi)).sum()
    below = (col < lo).sum()
    n_missing, outside, below = (int(x.compute()) if hasattr(x, "compute") else int(x)
                                 for x in (n_missing, outside, below))
    if n_missing:
        raise TimeUseError(f"{where}: {n_missing} respondents have no age in {age!r}")
    if below and lo <= UN_AGE_FLOOR:
        warnings.warn(f"{where}: {below} respondents are younger than {lo:g} and are excluded "
                      f"({label}; {outside} excluded in all); pass population= to change it",
                      stacklevel=3)
    if not outside:
        return d, label
    return d.subset(lambda f: (f[age] >= lo) & (f[age] <= hi)), label


def sdg_541(
    survey: SurveyDesign | TimeUseSurvey, *, y: str = "unpaid_care_work",
    by: str | Sequence[str] | None = "sex", level: float = 0.95, df: float | None = None,
    secondary_childcare: str | None = None, population: str | tuple[float, float] | None = "15+",
    age: str = "age",
) -> pd.DataFrame:
    r"""SDG indicator 5.4.1: proportion of time spent on unpaid domestic and care work.

    The average daily time on unpaid domestic and care work (ICATUS 2016
    major divisions 3 and 4) as a percentage of 24 hours,
    :math:`100\,\bar y / 1440` with :math:`\bar y` in minutes per day, by sex
    (and age group and location where asked), with design-based standard
    errors.  Volunteer work (ICATUS 5) is not included.  Everyone in the
    population counts, with or without time in the activity.

    Parameters
    ----------
    y
        Minutes per day of unpaid domestic and care work (default: the
        ``unpaid_care_work`` column that carecost readers build); pass
        ``"icatus_3"`` or ``"icatus_4"`` for the domestic and care series.
    by
        Domains; the SDG disaggregation is sex, age and location.
    secondary_childcare
        Optionally a column of secondary (simultaneous) childcare minutes to
        add to the numerator; the official indicator counts primary
        activities only, so this is a sensitivity variant (reported in the
        ``variant`` column).
    population
        Ages included: ``"15+"`` (default, the UNSD reporting population),
        ``"18+"``, ``"15-64"``, ``(lo, hi)`` (inclusive), or ``None`` for all
        respondents.  Respondents outside it are excluded by domain
        estimation (the design is kept), with a warning when they include
        respondents younger than 15 (children's diaries, e.g. surveys of
        ages 10+ or 12+); reported in the ``population`` column.
    age
        Column of ages in years.

    References
    ----------
    United Nations Statistics Division (2023). SDG indicator metadata 5.4.1,
    "Proportion of time spent on unpaid domestic and care work, by sex, age
    and location" (last updated 2023-03-31).
    """
    d = _design_of(survey)
    bys = [by] if isinstance(by, str) else list(by or [])
    extra = [secondary_childcare] if secondary_childcare is not None else []
    _check_columns(d, [y, *extra, *bys], "sdg_541")
    d, pop_label = _restrict_ages(d, population, age, "sdg_541")
    variant = "primary activities (official)"
    if secondary_childcare is not None:
        variant = f"primary + secondary childcare ({secondary_childcare})"

    def pct(f: pd.DataFrame) -> pd.Series:
        x = f[y].astype(float)
        if secondary_childcare is not None:
            x = x + f[secondary_childcare].astype(float)
        return 100.0 * x / 1440.0

    col = "__sdg541_pct"
    res = d.assign(**{col: pct}).mean(col, by=bys or None, level=level, df=df)
    res["variable"] = "SDG 5.4.1 (% of 24 hours)"
    res["variant"] = variant
    res["population"] = pop_label
    return res

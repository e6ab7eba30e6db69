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

    Respondents with another sex code are outside the regression; their number is in the
    ``other_sex_n`` column and ``attrs["other_sex"]``, with a warning (as :func:`gender_gap`).
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
    out = pd.DataFrame(rows)
    return _with_other_sex(out, design, sex, female, male, [], "adjusted_gap")


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

    Respondents whose ``sex`` is neither ``female`` nor ``male`` (another code such as
    ``"other"``, or missing) are in no women/men figure: their number is reported in the
    ``other_sex_n`` column (per domain), in ``attrs["other_sex"]`` (``n`` and the
    ``values`` found) and in a warning, never dropped silently.

    Works on every design backend (pandas or Dask).
    """
    bys = [by] if isinstance(by, str) else list(by or [])
    _check_columns(design, [y, sex, *bys], "gender_gap")
    res = _gender_gap(design, y, sex=sex, female=female, male=male, bys=bys, level=level,
                      df=df)
    return _with_other_sex(res, design, sex, female, male, bys, "gender_gap")


def other_sex(design: SurveyDesign | TimeUseSurvey, *, sex: str = "sex",
              female: object = "female", male: object = "male",
              by: str | Sequence[str] | None = None) -> tuple[int, list[str], pd.DataFrame]:
    """Respondents whose sex is coded neither ``female`` nor ``male`` (or is missing).

    Returns
    -------
    tuple
        ``(n, values, per_domain)``: their number (unweighted respondents in the
        (sub)design), the distinct other values as text (``"<missing>"`` for a missing
        value), and, with ``by``, a table of ``by`` columns and ``n`` for the domains that
        have any (empty otherwise).  Works on every design backend.
    """
    d = _design_of(design)
    bys = [by] if isinstance(by, str) else list(by or [])
    _check_columns(d, [sex, *bys], "other_sex")
    others = d.subset(lambda f: ~f[sex].isin([female, male]))
    n = len(others)
    if not n:
        return 0, [], pd.DataFrame(columns=[*bys, "n"])
    flag = others.assign(__other_one=lambda f: np.ones(len(f)))
    vals = flag.mean("__other_one", by=sex, vcov=False, na="omit")
    values = sorted(str(v) for v in vals[sex].tolist())
    counted = int(vals["n"].sum())
    if counted < n:
        values.append("<missing>")
    per = pd.DataFrame(columns=[*bys, "n"])
    if bys:
        m = flag.mean("__other_one", by=bys, vcov=False, na="omit")
        per = m[[*bys, "n"]].reset_index(drop=True)
    return n, values, per


def _with_other_sex(res: pd.DataFrame, design: SurveyDesign, sex: str, female: object,
                    male: object, bys: list[str], where: str) -> pd.DataFrame:
    """``res`` with ``other_sex_n`` per row and ``attrs["other_sex"]``; warns when any."""
    n, values, per = other_sex(design, sex=sex, female=female, male=male, by=bys or None)
    if bys and n and len(per):
        key = pd.MultiIndex.from_frame(res[bys].astype(object))
        pk = pd.MultiIndex.from_frame(per[bys].astype(object))
        counts = pd.Series(per["n"].to_numpy(), index=pk)
        res["other_sex_n"] = counts.reindex(key).fillna(0).astype(int).to_numpy()
    else:
        res["other_sex_n"] = n
    res.attrs["other_sex"] = {"n": n, "values": values}
    if n:
        warnings.warn(
            f"{where}: {n} respondents have {sex} coded neither {female!r} nor {male!r} "
            f"(values: {values[:5]}); they are in no women/men figure (see the other_sex_n "
            "column); pass female=/male= if they are coded otherwise", stacklevel=3)
    return res


def _gender_gap(
    design: SurveyDesign, y: str, *, sex: str, female: object, male: object, bys: list[str],
    level: float, df: float | None,
) -> pd.DataFrame:
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
                pieces.append(_gender_gap(sub, y, sex=sex, female=female, male=male,
                                          bys=bys, level=level, df=design_df))
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

    See Also
    --------
    sdg_541_series : the three SDG database series by sex and UN age group.

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


# ------------------------------------------------------------- BLS Tables 8 and 9
BLS_CHILD_GROUPS = ("under 6", "6-17", "none")
EMPLOYMENT = {
    "employed": ("employed full time", "employed part time", "employed, hours unknown"),
    "full_time": ("employed full time",),
    "part_time": ("employed part time",),
    "not_employed": ("not employed",),
}
"""``employment=`` of :func:`bls_table8`: the values of the reader's ``employment`` column."""


def _years_mask(persons: pd.DataFrame, years: int | tuple[int, int], where: str) -> np.ndarray:
    col = "tuyear" if "tuyear" in persons.columns else "year"
    if col not in persons.columns:
        raise TimeUseError(f"{where}: the person table has no 'tuyear' or 'year' column (the "
                           "diary year); read it with carecost.timeuse.read_atus")
    lo, hi = (years, years) if isinstance(years, int) else (int(years[0]), int(years[1]))
    if lo > hi:
        raise TimeUseError(f"{where}: years {years!r}: the first year is after the last")
    yr = pd.to_numeric(persons[col], errors="coerce")
    mask = ((yr >= lo) & (yr <= hi)).to_numpy()
    if not mask.any():
        raise TimeUseError(f"{where}: no diaries in {lo}-{hi}; the data has "
                           f"{int(yr.min())}-{int(yr.max())}")
    return mask


def _household_children_table(
    survey: TimeUseSurvey, mask: np.ndarray, rows: Sequence[str], groups: Sequence[str],
    population: str | tuple[float, float], age: str, where: str,
) -> pd.DataFrame:
    """Hours per day in ``rows`` by youngest household child group x (total, men, women)."""
    if survey.design.backend != "memory":
        raise TimeUseError(f"{where} needs the person table in memory (pandas backend)")
    persons = survey.persons
    need = [*rows, "sex", "household_children", age]
    missing = [c for c in need if c not in persons.columns]
    if missing:
        hint = (" (read the ATUS with crosswalk=carecost.timeuse.bls_table9_crosswalk() for "
                "the childcare rows)" if any(r in missing for r in rows) else "")
        raise TimeUseError(f"{where}: columns {missing} are not in the survey{hint}")
    lo, hi, label = _age_range(population)
    a = pd.to_numeric(persons[age], errors="coerce")
    if a[mask].isna().any():
        raise TimeUseError(f"{where}: {int(a[mask].isna().sum())} respondents have no age")
    kids = persons["household_children"].astype(str).to_numpy()
    unknown = sorted(set(kids[mask]) - set(BLS_CHILD_GROUPS))
    if unknown:
        raise TimeUseError(f"{where}: household_children has values {unknown[:5]} outside "
                           f"{list(BLS_CHILD_GROUPS)}")
    full = mask & ((a >= lo) & (a <= hi)).to_numpy() & np.isin(kids, list(groups))
    d = survey.design.subset(full)
    hours = {r: f"__h_{i}" for i, r in enumerate(rows)}
    sexes = persons["sex"].astype(str).to_numpy()
    extra: dict[str, object] = {h: persons[r].to_numpy(dtype=float) / 60.0
                                for r, h in hours.items()}
    extra["__sex"] = np.where(sexes == "male", "men", np.where(sexes == "female", "women",
                                                               sexes))
    extra["__kids"] = kids
    d2 = d.assign(**extra)
    out = []
    for by in (["__kids"], ["__kids", "__sex"]):
        m = d2.mean(list(hours.values()), by=by, vcov=False)
        inv = {h: r for r, h in hours.items()}
        for _, r in m.iterrows():
            out.append({"household_children": r["__kids"],
                        "sex": "total" if len(by) == 1 else r["__sex"],
                        "activity": inv[r["variable"]], "hours_per_day": r["estimate"],
                        "se": r["se"], "n": int(r["n"])})
    res = pd.DataFrame(out)
    res["population"] = label
    order = {g: i for i, g in enumerate(groups)}
    sx = {"total": 0, "men": 1, "women": 2}
    act = {r: i for i, r in enumerate(rows)}
    res = (res.assign(_a=res["activity"].map(act), _g=res["household_children"].map(order),
                      _s=res["sex"].map(sx).fillna(3))
           .sort_values(["_a", "_g", "_s"]).drop(columns=["_a", "_g", "_s"])
           .reset_index(drop=True))
    res.attrs["variance"] = survey.variance
    return res


def bls_table8(
    survey: TimeUseSurvey, year: int, *, rows: Sequence[str] | None = None,
    employment: str | None = None, population: str | tuple[float, float] = "18+",
    age: str = "age",
) -> pd.DataFrame:
    """BLS ATUS Table 8 from microdata: time in primary activities by youngest household child.

    "Time spent in primary activities for the civilian population 18 years and over by
    employment status, presence and age of youngest household child, and sex": average
    hours per day (all persons in the group, participants or not,
    :math:`\\sum w y / \\sum w` / 60) for each row, for persons whose youngest household
    child is under 6, 6 to 17, or who have no household children under 18, for total, men
    and women, with standard errors under the survey's design.

    Parameters
    ----------
    survey
        From :func:`carecost.timeuse.read_atus` (it builds ``household_children`` and
        ``employment``).
    year
        Diary year.
    rows
        Activity rows (default: the Table 1 rows of the survey).
    employment
        ``None`` (everybody, the table's first panel), ``"employed"``, ``"full_time"``,
        ``"part_time"`` or ``"not_employed"``.
    population
        Ages included (default ``"18+"``, as BLS).
    age
        Column of ages in years.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``employment``, ``household_children`` (``under 6``, ``6-17``,
        ``none``), ``activity``, ``sex`` (``total``, ``men``, ``women``),
        ``hours_per_day`` [hours per day], ``se``, ``n``, ``population``.

    References
    ----------
    U.S. Bureau of Labor Statistics, *American Time Use Survey — 20XX Results*, Table 8.
    """
    cols = list(rows) if rows is not None else [
        c for c in survey.activity_columns if not c.startswith("icatus_")
        and c not in ("unpaid_care_work", "secondary_childcare", "any_childcare")]
    mask = _years_mask(survey.persons, year, "bls_table8")
    if employment is not None:
        if employment not in EMPLOYMENT:
            raise TimeUseError(f"bls_table8: employment must be None or one of "
                               f"{sorted(EMPLOYMENT)}; got {employment!r}")
        if "employment" not in survey.persons.columns:
            raise TimeUseError("bls_table8: the survey has no 'employment' column; read it "
                               "with carecost.timeuse.read_atus")
        mask = mask & survey.persons["employment"].isin(EMPLOYMENT[employment]).to_numpy()
    res = _household_children_table(survey, mask, cols, BLS_CHILD_GROUPS, population, age,
                                     "bls_table8")
    res.insert(0, "employment", employment or "all")
    res.insert(0, "year", year)
    return res


def bls_table9(
    survey: TimeUseSurvey, years: int | tuple[int, int], *, days: np.ndarray | None = None,
    population: str | tuple[float, float] = "18+", age: str = "age",
) -> pd.DataFrame:
    """BLS ATUS Table 9 from microdata: time spent caring for household children under 18.

    "Time spent caring for household children under 18 by sex of adult and age of youngest
    child by day of week": average hours per day of primary childcare (childcare as a main
    activity, with its travel) and of its nine kinds (:data:`BLS_TABLE9_ROWS`), for persons
    18 and over whose youngest household child is under 6 or 6 to 17, by sex, pooled over
    ``years`` (BLS publishes five-year averages, e.g. 2006-10), each diary with its final
    weight.

    Parameters
    ----------
    survey
        From ``read_atus(path, crosswalk=bls_table9_crosswalk())`` (the childcare rows
        must be columns).
    years
        One year or ``(first, last)``, inclusive.
    days
        Optional boolean mask of diary days (e.g. :func:`weekend_or_holiday` for the
        "weekends and holidays" panel).
    population, age
        As :func:`bls_table8` (default ``"18+"``).

    Returns
    -------
    pandas.DataFrame
        ``years``, ``household_children`` (``under 6``, ``6-17``), ``activity``, ``sex``
        (``total``, ``men``, ``women``), ``hours_per_day`` [hours per day], ``se``, ``n``,
        ``population``.

    References
    ----------
    U.S. Bureau of Labor Statistics, *American Time Use Survey — 2010 Results* (USDL-11-0919),
    Table 9; The Economics Daily, 2 September 2011.
    """
    from .classification import BLS_TABLE9_ROWS

    mask = _years_mask(survey.persons, years, "bls_table9")
    if days is not None:
        days = np.asarray(days, dtype=bool)
        if days.shape != mask.shape:
            raise TimeUseError(f"bls_table9: days has {days.shape[0]} values for "
                               f"{mask.shape[0]} respondents")
        mask = mask & days
    res = _household_children_table(survey, mask, list(BLS_TABLE9_ROWS), BLS_CHILD_GROUPS[:2],
                                     population, age, "bls_table9")
    lo, hi = (years, years) if isinstance(years, int) else years
    res.insert(0, "years", f"{lo}" if lo == hi else f"{lo}-{hi}")
    return res


# ------------------------------------------------------------- SDG 5.4.1, UN age groups
UN_AGE_GROUPS: dict[str, tuple[float, float]] = {
    "Y_GE15": (15, np.inf), "Y15T24": (15, 24), "Y25T44": (25, 44), "Y45T54": (45, 54),
    "Y55T64": (55, 64), "Y_GE65": (65, np.inf),
}
"""The age groups of the UNSD SDG database and the UN gender data portal for SDG 5.4.1
(SDMX ``AGE`` codes, inclusive ages): 15+ and 15-24, 25-44, 45-54, 55-64, 65+ (the most
frequent breakdown in ``un_gender/timeuse_unpaid_hours``; some countries report others)."""
SDG_SERIES = {
    "SL_DOM_TSPD": ("unpaid_care_work", "unpaid domestic and care work"),
    "SL_DOM_TSPDDC": ("icatus_3", "unpaid domestic chores"),
    "SL_DOM_TSPDCW": ("icatus_4", "unpaid care work"),
}
"""The three SDG 5.4.1 series of the SDG database and the carecost column of each."""
SDMX_SEX = {"female": "F", "male": "M"}
"""carecost sex values as SDMX ``SEX`` codes (other values are kept as they are)."""


def un_age_group_code(lo: float, hi: float) -> str:
    """SDMX ``AGE`` code of an inclusive age range: (15, inf) -> ``Y_GE15``, (15, 24) ->
    ``Y15T24``."""
    if hi == np.inf:
        return f"Y_GE{lo:g}"
    return f"Y{lo:g}T{hi:g}"


def un_age_groups(
    age: pd.Series | np.ndarray, groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Membership of each respondent in the UN SDG 5.4.1 age groups (they overlap: 15+).

    Parameters
    ----------
    age
        Age in years.
    groups
        SDMX codes (default: the keys of :data:`UN_AGE_GROUPS`); any ``Y_GEnn`` or
        ``YaaTbb`` code is understood.

    Returns
    -------
    pandas.DataFrame
        One boolean column per group, one row per respondent.

    Raises
    ------
    TimeUseError
        A missing or non-numeric age, or a code that is not an age range.
    """
    a = pd.to_numeric(pd.Series(np.asarray(age)), errors="coerce")
    if a.isna().any():
        raise TimeUseError(f"age has {int(a.isna().sum())} missing or non-numeric values")
    out = {}
    for g in (list(groups) if groups is not None else list(UN_AGE_GROUPS)):
        lo, hi = _un_range(g)
        out[g] = ((a >= lo) & (a <= hi)).to_numpy()
    return pd.DataFrame(out)


def _un_range(code: str) -> tuple[float, float]:
    if code in UN_AGE_GROUPS:
        return UN_AGE_GROUPS[code]
    m = re.fullmatch(r"Y_GE(\d+)", code) or re.fullmatch(r"Y(\d+)T(\d+)", code)
    if not m:
        raise TimeUseError(f"{code!r} is not an SDMX age-range code (Y_GE15, Y15T24, ...)")
    lo = float(m.group(1))
    hi = float(m.group(2)) if m.lastindex == 2 else np.inf
    if lo > hi:
        raise TimeUseError(f"{code!r}: the lowest age is above the highest")
    return lo, hi


def sdg_541_series(
    survey: SurveyDesign | TimeUseSurvey, *, sex: str = "sex", age: str = "age",
    groups: Sequence[str] | None = None, location: str | None = None,
    series: Sequence[str] = tuple(SDG_SERIES), level: float = 0.95,
) -> pd.DataFrame:
    r"""SDG 5.4.1 as the SDG database publishes it: three series by sex and UN age group.

    For each series (``SL_DOM_TSPD`` domestic and care work, ICATUS 3 + 4;
    ``SL_DOM_TSPDDC`` domestic chores, ICATUS 3; ``SL_DOM_TSPDCW`` care work, ICATUS 4),
    sex (each value of ``sex``, and ``_T`` for both), UN age group (:data:`UN_AGE_GROUPS`)
    and optionally location: the average over **everybody** in the group (a 24-hour day,
    non-participants counted as 0) in hours per day and as a percentage of 24 hours, with
    design-based standard errors.  Respondents younger than the youngest group are outside
    every group and are counted in a warning (a survey of ages 10+ or 12+).

    Parameters
    ----------
    survey
        A :class:`TimeUseSurvey` or design with ``icatus_3``, ``icatus_4`` and
        ``unpaid_care_work`` (minutes per day).
    sex, age, location
        Columns; ``location`` (e.g. urban/rural) adds that breakdown (``_T`` for all).
    groups
        SDMX age codes (default :data:`UN_AGE_GROUPS`).
    series
        Which of the three series.

    Returns
    -------
    pandas.DataFrame
        ``series``, ``SEX`` (the sex values, ``_T`` = both), ``AGE``, (``URBANIZATION``),
        ``hours_per_day``, ``hours_se``, ``percent_of_day``, ``percent_se``, ``ci_low``,
        ``ci_high`` (of the percent), ``n``.

    References
    ----------
    UNSD and UN Women, SDG indicator metadata 5.4.1 (2023-03-31); UN Statistics Division,
    Minimum Set of Gender Indicators, series 100, 200 and 300.
    """
    d = _design_of(survey)
    bad = [s_ for s_ in series if s_ not in SDG_SERIES]
    if bad:
        raise TimeUseError(f"sdg_541_series: unknown series {bad}; known: {list(SDG_SERIES)}")
    cols = [SDG_SERIES[s_][0] for s_ in series]
    _check_columns(d, [*cols, sex, age, *([location] if location else [])], "sdg_541_series")
    codes = list(groups) if groups is not None else list(UN_AGE_GROUPS)
    ranges = {g: _un_range(g) for g in codes}
    floor = min(lo for lo, _ in ranges.values())
    ages = d.data[age]
    young, missing = (ages < floor).sum(), ages.isna().sum()
    young, missing = (int(x.compute()) if hasattr(x, "compute") else int(x)
                      for x in (young, missing))
    if missing:
        raise TimeUseError(f"sdg_541_series: {missing} respondents have no age in {age!r}")
    if young:
        warnings.warn(f"sdg_541_series: {young} respondents are younger than {floor:g}, the "
                      f"youngest UN age group; they are in no group", stacklevel=2)
    pieces = []
    locs: list[str | None] = [None] if location is None else [None, location]
    for g, (lo, hi) in ranges.items():
        dg = d.subset(lambda f, lo=lo, hi=hi: (f[age] >= lo) & (f[age] <= hi))
        if not len(dg):
            continue
        dg = dg.assign(**{f"__pct_{c}": (lambda f, c=c: 100.0 * f[c].astype(float) / 1440.0)
                          for c in cols})
        for loc in locs:
            for by in ([] if loc is None else [loc], [sex] if loc is None else [sex, loc]):
                m = dg.mean([f"__pct_{c}" for c in cols], by=by or None, level=level,
                            vcov=False)
                for _, r in m.iterrows():
                    c = str(r["variable"])[6:]
                    s_name = next(k for k in series if SDG_SERIES[k][0] == c)
                    sx = SDMX_SEX.get(str(r[sex]), r[sex]) if sex in by else "_T"
                    row = {"series": s_name, "SEX": sx, "AGE": g}
                    if location is not None:
                        row["URBANIZATION"] = r[loc] if loc is not None else "_T"
                    row.update(hours_per_day=24 * r["estimate"] / 100,
                               hours_se=24 * r["se"] / 100, percent_of_day=r["estimate"],
                               percent_se=r["se"], ci_low=r["ci_low"], ci_high=r["ci_high"],
                               n=int(r["n"]))
                    pieces.append(row)
    out = pd.DataFrame(pieces)
    key = ["series", "AGE", "SEX", *(["URBANIZATION"] if location else [])]
    out["_s"] = out["series"].map({k: i for i, k in enumerate(series)})
    out["_a"] = out["AGE"].map({k: i for i, k in enumerate(codes)})
    out = (out.sort_values(["_s", "_a", *key[2:]], kind="stable").drop(columns=["_s", "_a"])
           .reset_index(drop=True))
    return out

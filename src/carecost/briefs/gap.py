"""The gap brief: how much more unpaid care work do women do than men (with SDG 5.4.1).

With another activity column as ``y`` the same brief compares women's and men's
time on that activity; SDG indicator 5.4.1 is only computed and named for the
unpaid domestic and care work column (ICATUS 2016 major divisions 3 and 4).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from carecost.timeuse import TimeUseSurvey, gender_gap, icatus2016, other_sex, sdg_541

from . import charts
from ._common import (
    ICATUS,
    LUMLEY,
    MAX_CV,
    MIN_N,
    SDG541,
    as_bys,
    carecost_source,
    check_domains,
    check_level,
    design_interval,
    design_words,
    domain_of,
    domain_text,
    quantity_from_row,
    reliability_flags,
    slug,
    unique_slugs,
)
from ._format import fmt_number, plain_interval
from .datasets import DatasetSpec
from .model import Brief, BriefError, Chart, Column, Quantity, Source, Table

__all__ = ["UNPAID_CARE", "gap_brief"]

UNPAID_CARE = "unpaid_care_work"
"""The column carecost readers build for unpaid domestic and care work (ICATUS 3 + 4), the
numerator of SDG indicator 5.4.1."""


@dataclass(frozen=True)
class _Activity:
    """How the brief names the activity column ``y``."""

    column: str
    name: str        # in a sentence: "unpaid domestic and care work"
    title: str       # capitalised, short: "Unpaid care work"
    sdg: bool        # SDG 5.4.1 applies


def _activity(y: str) -> _Activity:
    if y == UNPAID_CARE:
        return _Activity(y, "unpaid domestic and care work", "Unpaid care work", True)
    if y.startswith("icatus_") and y[7:].isdigit():
        t = icatus2016()
        row = t[t["code"].astype(str) == y[7:]]
        if len(row):
            title = str(row["title"].iloc[0])
            return _Activity(y, f"{title[:1].lower()}{title[1:]} (ICATUS 2016 major division "
                             f"{y[7:]})", title, False)
    if y == "icatus_unclassified":
        return _Activity(y, "activities not classified in ICATUS 2016",
                         "Activities not classified in ICATUS 2016", False)
    text = y.replace("_", " ").strip()
    return _Activity(y, text[:1].lower() + text[1:], text[:1].upper() + text[1:], False)


def _stat_labels(act: _Activity) -> dict[str, str]:
    return {
        "women": "Women",
        "men": "Men",
        "gap": "Gap (women minus men)",
        "ratio": "Ratio (women / men)",
        "women_share": ("Women's share of all unpaid care time" if act.sdg
                        else "Women's share of the time of women and men"),
    }


def _spec_for(survey: TimeUseSurvey, dataset: DatasetSpec | None) -> DatasetSpec:
    if dataset is not None:
        return dataset
    return DatasetSpec(name="custom", description=survey.source, source=survey.source,
                       kind="persons", domains=tuple(str(c) for c in survey.persons.columns))


def _domain_flags(res: pd.DataFrame, bys: list[str]) -> dict[tuple[Any, ...], tuple[str, ...]]:
    """Flags of each domain, shared by its five statistics, from women's and men's estimates.

    A domain is flagged when fewer than :data:`MIN_N` women or men answered, or when the
    women's or men's mean has a coefficient of variation above :data:`MAX_CV`.
    """
    out: dict[tuple[Any, ...], tuple[str, ...]] = {}
    for key, sub in res.groupby(bys, sort=False):
        k = key if isinstance(key, tuple) else (key,)
        counts, flags = [], []
        for stat in ("women", "men"):
            r = sub[sub["statistic"] == stat]
            if not len(r):
                continue
            n, se, est = r["n"].iloc[0], r["se"].iloc[0], r["estimate"].iloc[0]
            counts.append(f"{int(n)} {stat}")
            flags += [f for f in reliability_flags(None, se, est) if f not in flags]
            if reliability_flags(n):
                counts[-1] += "!"
        if any(c.endswith("!") for c in counts):
            flags.insert(0, f"small sample: {' and '.join(c.rstrip('!') for c in counts)} "
                         f"(fewer than {MIN_N} of one sex); treat with caution")
        out[k] = tuple(flags)
    return out


def gap_brief(
    survey: TimeUseSurvey, *, dataset: DatasetSpec | None = None,
    by: str | Sequence[str] | None = "age_group", y: str = UNPAID_CARE,
    level: float = 0.95,
) -> Brief:
    """The unpaid-care gender gap brief, with SDG indicator 5.4.1.

    Parameters
    ----------
    survey
        A time-use survey (e.g. ``DatasetRegistry.survey("example")``).
    dataset
        Its registered description (name, source, allowed domains, sex coding);
        default: a description made from ``survey``.
    by
        Up to two domain variables for the breakdown (default ``"age_group"``;
        ``None`` for the whole population only).
    y
        Minutes-per-day activity column of the survey (default
        ``"unpaid_care_work"``, ICATUS 2016 divisions 3 + 4, the column that
        carecost readers build).  SDG 5.4.1 is computed only for that column;
        for another activity the brief compares women's and men's time on it
        and names it by its ICATUS title or column name.
    level
        Confidence level of the intervals (0.5 to 0.999).

    Returns
    -------
    Brief
        Women's and men's minutes per day, the gap, the ratio and women's
        share, overall and by domain, and (for unpaid care work) SDG 5.4.1
        (% of 24 hours) by sex, each with design-based standard errors and
        confidence intervals.  Domain estimates from fewer than 30
        respondents of one sex, or with a coefficient of variation above 0.3,
        carry a flag.

    Raises
    ------
    BriefError
        Unknown domain or activity column, bad level.
    """
    spec = _spec_for(survey, dataset)
    level = check_level(level)
    bys = as_bys(by)
    check_domains(bys, spec.domains, spec.name)
    allowed = [str(c) for c in survey.activity_columns]
    if y not in allowed:
        raise BriefError(f"y = {y!r} is not an activity column of data set {spec.name!r}; "
                         f"allowed: {allowed}")
    act = _activity(y)
    labels = _stat_labels(act)
    sexkw: dict[str, Any] = {"sex": spec.sex, "female": spec.female, "male": spec.male}
    design = survey.design
    n_other, other_values, _ = other_sex(design, **sexkw)
    with warnings.catch_warnings():  # the count is stated in the brief (answer and caveats)
        warnings.filterwarnings("ignore", message=r"gender_gap: \d+ respondents have")
        overall = gender_gap(design, y, level=level, **sexkw)
    if overall.empty:
        raise BriefError(f"data set {spec.name!r} has no respondents coded {spec.female!r} and "
                         f"{spec.male!r} in column {spec.sex!r}")
    df = float(overall["df"].iloc[0])
    interval = design_interval(level, df)
    data_src = Source("data", spec.source, synthetic=spec.synthetic)
    sources = ((data_src, ICATUS, SDG541, LUMLEY, carecost_source()) if act.sdg
               else (data_src, ICATUS, LUMLEY, carecost_source()))
    m_mean = (f"Survey-weighted mean minutes per day of {act.name}, standard error from "
              f"{design_words(survey.variance)}")
    m_gap = ("Difference of women's and men's weighted means; its standard error uses the "
             "covariance of the two means under the design (linear contrast)")
    m_ratio = "Ratio of women's to men's weighted means; delta-method standard error"
    m_share = ("Women's weighted total over the total of women and men; delta-method standard "
               "error")
    methods = {"women": m_mean, "men": m_mean, "gap": m_gap, "ratio": m_ratio,
               "women_share": m_share}
    units = {"women": "minutes per day", "men": "minutes per day", "gap": "minutes per day",
             "ratio": "ratio", "women_share": "% of total"}
    scale = {"women_share": 100.0}
    keys: dict[str, dict[object, str]] = {}

    def q(row: pd.Series, dom: dict[str, Any], flags: Sequence[str] = ()) -> Quantity:
        stat = str(row["statistic"])
        label = labels[stat] + (f" ({domain_text(dom)})" if dom else "")
        parts = [keys[k][v] for k, v in dom.items()]
        return quantity_from_row(
            row, id=slug("gap", *parts, stat), label=label, unit=units[stat], source="data",
            method=methods[stat], interval=interval, level=level, scale=scale.get(stat, 1.0),
            domain=dom, flags=flags)

    quantities = [q(r, {}) for _, r in overall.iterrows()]
    by_stat = {qq.id.split(".")[-1]: qq for qq in quantities}
    tables: list[Table] = []
    charts_out: list[Chart] = []
    tables.append(_stat_table("gap_overall", f"{act.title} by sex, whole population",
                              quantities, [], interval, level))
    flagged_domains: list[str] = []
    if bys:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"gender_gap: \d+ respondents have")
            res = gender_gap(design, y, by=bys, level=level, **sexkw)
        keys = {b: unique_slugs(res[b].tolist()) for b in bys}
        dflags = _domain_flags(res, bys)
        dq = []
        for _, r in res.iterrows():
            dom = domain_of(r, bys)
            dq.append(q(r, dom, dflags[tuple(r[b] for b in bys)]))
        quantities += dq
        flagged_domains = [domain_text(dict(zip(bys, k, strict=True)))
                           for k, f in dflags.items() if f]
        dom_cols = [(b, b.replace("_", " ").capitalize()) for b in bys]
        tables.append(_stat_table("gap_by_domain", f"{act.title} by sex and "
                                  f"{' and '.join(b.replace('_', ' ') for b in bys)}",
                                  dq, dom_cols, interval, level))
        charts_out.append(_gap_chart(res, bys, level, act, dflags))
    sdg_overall: list[Quantity] = []
    if act.sdg:
        sdg_overall = _sdg_part(design, spec, bys, level, interval, quantities, tables,
                                charts_out)
    women, men, gap = by_stat["women"], by_stat["men"], by_stat["gap"]
    ratio, share = by_stat["ratio"], by_stat["women_share"]
    answer = (
        f"Women spend {fmt_number(women.estimate, digits=0)} minutes a day on {act.name} and "
        f"men {fmt_number(men.estimate, digits=0)}: a gap of "
        f"{fmt_number(gap.estimate, digits=0)} minutes ("
        f"{plain_interval(gap.ci_low, gap.ci_high, level, interval, 'minutes', digits=0)}). "
        f"Women do "
        f"{fmt_number(ratio.estimate, digits=1)} times as much as men and "
        f"{fmt_number(share.estimate, digits=0)}% of "
        + ("all unpaid care time." if act.sdg else "the time women and men spend on it.")
    )
    sdg_w = next((x for x in sdg_overall if x.domain.get(spec.sex) == spec.female), None)
    if sdg_w is not None:
        answer += (f" SDG indicator 5.4.1 for women is {fmt_number(sdg_w.estimate)}% of the "
                   "day.")
    if flagged_domains:
        answer += (f" Estimates for {'; '.join(flagged_domains)} rest on few respondents or "
                   "are imprecise, and are flagged.")
    other_note = ""
    if n_other:
        other_note = (f"{n_other} respondent{'s' if n_other != 1 else ''} with {spec.sex} coded "
                      f"neither {spec.female!r} nor {spec.male!r} (values: "
                      f"{', '.join(other_values[:5])}) {'are' if n_other != 1 else 'is'} not in "
                      "the women and men figures, the gap, the ratio or women's share")
        answer += f" {other_note[:1].upper()}{other_note[1:]}."
    headline = (women, men, gap, ratio, share, *sdg_overall)
    if act.sdg:
        what = ("Unpaid domestic and care work is the time respondents spent on ICATUS 2016 "
                "major divisions 3 (unpaid domestic services for household and family members) "
                "and 4 (unpaid caregiving services for household and family members), as "
                "primary activities, in minutes per day; ATUS activity codes are classified "
                "with carecost's ATUS-to-ICATUS crosswalk.")
    else:
        what = (f"The activity is {act.name}, in minutes per day as primary activity. It is "
                "not unpaid domestic and care work as defined for SDG indicator 5.4.1, so that "
                "indicator is not computed.")
    method = [
        what,
        f"Means are survey-weighted. Standard errors come from {design_words(survey.variance)}. "
        "The gap is a linear contrast of the women's and men's means using their covariance; "
        "the ratio and women's share use the delta method (Lumley 2010).",
        f"Intervals: {interval}.",
        f"Domain estimates resting on fewer than {MIN_N} women or men, or with a coefficient of "
        f"variation (standard error / estimate) above {MAX_CV:g}, are flagged; charts mark "
        "them with * and their text does not compare them.",
    ]
    if act.sdg:
        method.append(
            "SDG indicator 5.4.1 is the average daily time on unpaid domestic and care work as "
            "a percentage of 24 hours (1,440 minutes), by sex and, where shown, by a second "
            "domain; volunteer work (ICATUS 5) and simultaneous (secondary) childcare are not "
            "counted, as in the official metadata.")
    caveats = [
        "Intervals cover sampling error only, not errors in reporting time in the diaries.",
        "Time on simultaneous activities is not counted: a parent watching children while "
        "cooking counts only the primary activity.",
    ]
    if n_other:
        caveats.append(f"{other_note[:1].upper()}{other_note[1:]}; SDG 5.4.1 by sex shows each "
                       "sex code that has respondents.")
    if flagged_domains:
        caveats.append(f"Small or imprecise cells ({'; '.join(flagged_domains)}): their "
                       "estimates are shown with a flag and should not be compared.")
    if spec.synthetic:
        caveats.insert(0, "The data are synthetic ('Exampleland'), made for illustration and "
                       "testing; they describe no real country.")
    title = _finding(act, ratio)
    if act.sdg:
        question = ("How many minutes a day do women and men spend on unpaid domestic and care "
                    "work, and how large is the gap (with SDG indicator 5.4.1)?")
    else:
        question = (f"How many minutes a day do women and men spend on {act.name}, and how "
                    "large is the gap?")
    return Brief(
        kind="gap", title=title, question=question,
        answer=answer, headline=headline, quantities=tuple(quantities),
        tables=tuple(tables), charts=tuple(charts_out), method=tuple(method),
        caveats=tuple(caveats), sources=sources,
        dataset={**spec.describe(), "variance": survey.variance},
        inputs={"dataset": spec.name, "by": bys, "y": y, "level": level},
    )


def _finding(act: _Activity, ratio: Quantity) -> str:
    """The title: the finding, not the question ("Women do 1.6 times as much unpaid care work
    as men"); who does more is read from the ratio and its interval."""
    r, lo, hi = ratio.estimate, ratio.ci_low, ratio.ci_high
    if r is None or not r > 0:
        return f"{act.title}: women and men"
    same = lo is not None and hi is not None and lo <= 1 <= hi
    if act.sdg:
        if same:
            return (f"Women and men do about the same unpaid care work (ratio "
                    f"{fmt_number(r, digits=2)})")
        if r >= 1:
            return f"Women do {fmt_number(r, digits=1)} times as much unpaid care work as men"
        return f"Men do {fmt_number(1 / r, digits=1)} times as much unpaid care work as women"
    if same:
        return f"{act.title}: women and men spend about the same time"
    if r >= 1:
        return f"{act.title}: women spend {fmt_number(r, digits=1)} times as much time as men"
    return f"{act.title}: men spend {fmt_number(1 / r, digits=1)} times as much time as women"


def _sdg_part(design: Any, spec: DatasetSpec, bys: list[str], level: float, interval: str,
              quantities: list[Quantity], tables: list[Table], charts_out: list[Chart]
              ) -> list[Quantity]:
    """SDG 5.4.1 by sex (and the first domain): quantities, table and chart; the by-sex ones."""
    method = ("Weighted mean of 100 x minutes of unpaid domestic and care work / 1,440 "
              "(primary activities, ICATUS 2016 divisions 3 and 4)")
    s_by = [spec.sex, *bys[:1]]
    sdg = sdg_541(design, y=UNPAID_CARE, by=s_by, level=level,
                  population=spec.sdg_population, age=spec.age_column)
    keys = {b: unique_slugs(sdg[b].tolist()) for b in s_by}
    sex_names = {str(spec.female): "women", str(spec.male): "men"}
    sdg_q = []
    cell_flags: dict[tuple[str, ...], tuple[str, ...]] = {}
    for _, r in sdg.iterrows():
        dom = domain_of(r, s_by)
        sex_label = sex_names.get(str(r[spec.sex]), str(r[spec.sex]))
        flags = reliability_flags(r["n"], r["se"], r["estimate"], who=sex_label) \
            if len(s_by) > 1 else ()
        cell_flags[tuple(str(r[b]) for b in s_by)] = flags
        label = f"SDG 5.4.1, {sex_label}" + (
            f" ({domain_text({k: v for k, v in dom.items() if k != spec.sex})})"
            if len(s_by) > 1 else "")
        sdg_q.append(quantity_from_row(
            r, id=slug("sdg541", *(keys[k][v] for k, v in dom.items())), label=label,
            unit="% of 24 hours", source="sdg541", interval=interval, level=level, domain=dom,
            method=method, flags=flags))
    sdg_sex = sdg_541(design, y=UNPAID_CARE, by=spec.sex, level=level,
                      population=spec.sdg_population, age=spec.age_column)
    sex_keys = unique_slugs(sdg_sex[spec.sex].tolist())
    sdg_overall = []
    for _, r in sdg_sex.iterrows():
        sx = r[spec.sex]
        sdg_overall.append(quantity_from_row(
            r, id=slug("sdg541", sex_keys[sx]), label=f"SDG 5.4.1, "
            f"{sex_names.get(str(sx), str(sx))}", unit="% of 24 hours", source="sdg541",
            interval=interval, level=level, domain={spec.sex: domain_of(r, [spec.sex])[spec.sex]},
            method=method))
    quantities += sdg_overall
    if len(s_by) > 1:
        quantities += sdg_q
    sdg_tab_q = sdg_q if len(s_by) > 1 else sdg_overall
    dom_cols = [(b, b.replace("_", " ").capitalize()) for b in s_by]
    tables.append(_stat_table("sdg541", "SDG indicator 5.4.1: % of the day on unpaid "
                              "domestic and care work", sdg_tab_q, dom_cols, interval, level,
                              source="sdg541"))
    charts_out.append(_sdg_chart(sdg, s_by, spec, level, cell_flags))
    return sdg_overall


def _stat_table(id: str, title: str, qs: Sequence[Quantity], dom_cols: list[tuple[str, str]],
                interval: str, level: float, source: str = "data") -> Table:
    cols = [Column(k, h) for k, h in dom_cols]
    cols += [Column("label", "Statistic"), Column("estimate", "Estimate"),
             Column("se", "Standard error"), Column("ci_low", f"{100 * level:.0f}% CI low"),
             Column("ci_high", f"{100 * level:.0f}% CI high"), Column("unit", "Unit"),
             Column("n", "Respondents")]
    flagged = any(x.flags for x in qs)
    if flagged:
        cols.append(Column("flags", "Note"))
    rows = []
    for x in qs:
        r: dict[str, Any] = {k: x.domain.get(k) for k, _ in dom_cols}
        label = x.label
        if x.domain and label.endswith(")"):  # drop the domain, shown in its own columns
            label = label[:label.rfind(" (")]
        r.update(label=label, estimate=x.estimate, se=x.se, ci_low=x.ci_low,
                 ci_high=x.ci_high, unit=x.unit, n=x.n)
        if flagged:
            r["flags"] = "; ".join(x.flags)
        rows.append(r)
    notes = f"Intervals: {interval}."
    if flagged:
        notes += (f" Note: estimates from fewer than {MIN_N} respondents of one sex or with a "
                  f"coefficient of variation above {MAX_CV:g} are flagged.")
    return Table(id, title, tuple(cols), tuple(rows), notes=notes, source=source)


def _mark(label: str, flagged: bool) -> str:
    return f"{label} *" if flagged else label


def _gap_chart(res: pd.DataFrame, bys: list[str], level: float, act: _Activity,
               dflags: dict[tuple[Any, ...], tuple[str, ...]]) -> Chart:
    keys = list(res[bys].drop_duplicates().itertuples(index=False, name=None))
    cats = [_mark(" / ".join(str(v) for v in k), bool(dflags.get(k))) for k in keys]
    series: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for stat, label in (("women", "Women"), ("men", "Men")):
        sub = res[res["statistic"] == stat]
        est, lo, hi = [], [], []
        for k in keys:
            sel = np.ones(len(sub), dtype=bool)
            for b, v in zip(bys, k, strict=True):
                sel &= (sub[b] == v).to_numpy()
            row = sub[sel]
            est.append(float(row["estimate"].iloc[0]) if len(row) else np.nan)
            lo.append(float(row["ci_low"].iloc[0]) if len(row) else np.nan)
            hi.append(float(row["ci_high"].iloc[0]) if len(row) else np.nan)
        series[label] = (est, lo, hi)
    gaps = res[res["statistic"] == "gap"]
    ok = np.array([not dflags.get(tuple(r[b] for b in bys)) for _, r in gaps.iterrows()],
                  dtype=bool)
    reliable = gaps[ok] if len(gaps) else gaps
    dom = " and ".join(b.replace("_", " ") for b in bys)
    alt = (f"Bar chart of minutes per day of {act.name} for women and men by {dom}, with "
           f"{100 * level:.0f}% confidence intervals.")
    if len(gaps) and (gaps["ci_low"] > 0).all():
        alt += " Women do more in every group shown."
    if len(reliable) >= 2:
        g = reliable["estimate"].to_numpy(dtype=float)
        big, small = reliable.iloc[int(np.argmax(g))], reliable.iloc[int(np.argmin(g))]
        alt += (f" The gap is largest for {' / '.join(str(big[b]) for b in bys)} "
                f"({fmt_number(big['estimate'])} minutes) and smallest for "
                f"{' / '.join(str(small[b]) for b in bys)} ({fmt_number(small['estimate'])} "
                "minutes)" + (" among the groups with enough respondents." if not ok.all()
                              else "."))
    bad = [" / ".join(map(str, k)) for k in keys if dflags.get(k)]
    if bad:
        alt += (f" Groups marked * ({', '.join(bad)}) rest on fewer than {MIN_N} respondents "
                "of one sex or are imprecise; their estimates are flagged.")
    title = f"{act.title} by sex and {dom}"
    svg = charts.bars_with_intervals("chart-gap", title, alt, cats, series,
                                     unit="minutes per day")
    return Chart("gap_by_domain", title, alt, "gap_by_domain", svg)


def _sdg_chart(sdg: pd.DataFrame, s_by: list[str], spec: DatasetSpec, level: float,
               cell_flags: dict[tuple[str, ...], tuple[str, ...]]) -> Chart:
    sex = spec.sex
    other = s_by[1] if len(s_by) > 1 else None
    cats = [str(v) for v in sdg[other].drop_duplicates()] if other else ["all"]
    flagged_cats = {c for c in cats if any(
        cell_flags.get((str(sx), c)) for sx in (spec.female, spec.male))} if other else set()
    series = {}
    for sx, label in ((spec.female, "Women"), (spec.male, "Men")):
        sub = sdg[sdg[sex] == sx]
        est, lo, hi = [], [], []
        for c in cats:
            row = sub if other is None else sub[sub[other].astype(str) == c]
            est.append(float(row["estimate"].iloc[0]) if len(row) else np.nan)
            lo.append(float(row["ci_low"].iloc[0]) if len(row) else np.nan)
            hi.append(float(row["ci_high"].iloc[0]) if len(row) else np.nan)
        series[label] = (est, lo, hi)
    keep = np.array([c not in flagged_cats for c in cats], dtype=bool)
    w = np.asarray(series["Women"][0])[keep]
    m = np.asarray(series["Men"][0])[keep]
    dom = f" by {other.replace('_', ' ')}" if other else ""
    alt = (f"Bar chart of SDG indicator 5.4.1, the percentage of the day spent on unpaid "
           f"domestic and care work, for women and men{dom}, with {100 * level:.0f}% "
           "confidence intervals.")
    if len(w) and len(m):
        among = " (groups with enough respondents)" if not keep.all() else ""
        alt += (f" Women{among}: {fmt_number(np.nanmin(w))}% to {fmt_number(np.nanmax(w))}%; "
                f"men: {fmt_number(np.nanmin(m))}% to {fmt_number(np.nanmax(m))}%.")
    if flagged_cats:
        alt += (f" Groups marked * ({', '.join(c for c in cats if c in flagged_cats)}) rest on "
                f"fewer than {MIN_N} respondents of one sex or are imprecise; their estimates "
                "are flagged.")
    title = f"SDG 5.4.1: share of the day on unpaid care work{dom}"
    svg = charts.bars_with_intervals("chart-sdg541", title, alt,
                                     [_mark(c, c in flagged_cats) for c in cats], series,
                                     unit="% of 24 hours")
    return Chart("sdg541", title, alt, "sdg541", svg)

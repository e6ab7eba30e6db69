"""The gap brief: how much more unpaid care work do women do than men (with SDG 5.4.1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from carecost.timeuse import TimeUseSurvey, gender_gap, sdg_541

from . import charts
from ._common import (
    ICATUS,
    LUMLEY,
    SDG541,
    as_bys,
    carecost_source,
    check_domains,
    check_level,
    design_interval,
    domain_of,
    domain_text,
    quantity_from_row,
    slug,
)
from ._format import fmt_interval, fmt_number
from .datasets import DatasetSpec
from .model import Brief, BriefError, Column, Quantity, Source, Table

__all__ = ["gap_brief"]

STAT_LABELS = {
    "women": "Women",
    "men": "Men",
    "gap": "Gap (women minus men)",
    "ratio": "Ratio (women / men)",
    "women_share": "Women's share of all unpaid care time",
}


def _spec_for(survey: TimeUseSurvey, dataset: DatasetSpec | None) -> DatasetSpec:
    if dataset is not None:
        return dataset
    return DatasetSpec(name="custom", description=survey.source, source=survey.source,
                       kind="persons", domains=tuple(str(c) for c in survey.persons.columns))


def gap_brief(
    survey: TimeUseSurvey, *, dataset: DatasetSpec | None = None,
    by: str | Sequence[str] | None = "age_group", y: str = "unpaid_care_work",
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
        Minutes-per-day column of unpaid domestic and care work (default the
        ICATUS 2016 divisions 3 + 4 column that carecost readers build).
    level
        Confidence level of the intervals (0.5 to 0.999).

    Returns
    -------
    Brief
        Women's and men's minutes per day, the gap, the ratio and women's
        share, overall and by domain, and SDG 5.4.1 (% of 24 hours) by sex,
        each with design-based standard errors and confidence intervals.

    Raises
    ------
    BriefError
        Unknown domain or variable, bad level.
    """
    spec = _spec_for(survey, dataset)
    level = check_level(level)
    bys = as_bys(by)
    check_domains(bys, spec.domains, spec.name)
    if y not in survey.activity_columns:
        raise BriefError(f"y = {y!r} is not a time-use column of data set {spec.name!r}; "
                         f"use one of {list(survey.activity_columns)[-5:]} (e.g. "
                         "'unpaid_care_work')")
    sexkw: dict[str, Any] = {"sex": spec.sex, "female": spec.female, "male": spec.male}
    design = survey.design
    overall = gender_gap(design, y, level=level, **sexkw)
    if overall.empty:
        raise BriefError(f"data set {spec.name!r} has no respondents coded {spec.female!r} and "
                         f"{spec.male!r} in column {spec.sex!r}")
    df = float(overall["df"].iloc[0])
    interval = design_interval(level, df)
    data_src = Source("data", spec.source, synthetic=spec.synthetic)
    sources = (data_src, ICATUS, SDG541, LUMLEY, carecost_source())
    m_mean = (f"Survey-weighted mean minutes per day of {y.replace('_', ' ')}, standard error "
              f"from the survey design ({survey.variance})")
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

    def q(row: pd.Series, dom: dict[str, Any]) -> Quantity:
        stat = str(row["statistic"])
        label = STAT_LABELS[stat] + (f" ({domain_text(dom)})" if dom else "")
        return quantity_from_row(
            row, id=slug("gap", *dom.values(), stat) if dom else slug("gap", stat),
            label=label, unit=units[stat], source="data", method=methods[stat],
            interval=interval, level=level, scale=scale.get(stat, 1.0), domain=dom)

    quantities = [q(r, {}) for _, r in overall.iterrows()]
    by_stat = {qq.id.split(".")[-1]: qq for qq in quantities}
    tables: list[Table] = []
    charts_out = []
    tables.append(_stat_table("gap_overall", "Unpaid care work by sex, whole population",
                              quantities, [], interval, level))
    if bys:
        res = gender_gap(design, y, by=bys, level=level, **sexkw)
        dq = [q(r, domain_of(r, bys)) for _, r in res.iterrows()]
        quantities += dq
        dom_cols = [(b, b.replace("_", " ").capitalize()) for b in bys]
        tables.append(_stat_table("gap_by_domain", f"Unpaid care work by sex and "
                                  f"{' and '.join(b.replace('_', ' ') for b in bys)}",
                                  dq, dom_cols, interval, level))
        charts_out.append(_gap_chart(res, bys, level, y))
    # SDG 5.4.1
    s_by = [spec.sex, *bys[:1]]
    sdg = sdg_541(design, y=y, by=s_by, level=level)
    sdg_q = []
    for _, r in sdg.iterrows():
        dom = domain_of(r, s_by)
        sex_label = {spec.female: "women", spec.male: "men"}.get(str(r[spec.sex]), r[spec.sex])
        label = f"SDG 5.4.1, {sex_label}" + (
            f" ({domain_text({k: v for k, v in dom.items() if k != spec.sex})})"
            if len(s_by) > 1 else "")
        sdg_q.append(quantity_from_row(
            r, id=slug("sdg541", *dom.values()), label=label, unit="% of 24 hours",
            source="sdg541", interval=interval, level=level, domain=dom,
            method=("Weighted mean of 100 x minutes of unpaid domestic and care work / 1,440 "
                    "(primary activities, ICATUS 2016 divisions 3 and 4)")))
    sdg_sex = sdg_541(design, y=y, by=spec.sex, level=level)
    sdg_overall = []
    for _, r in sdg_sex.iterrows():
        sx = str(r[spec.sex])
        sex_label = {spec.female: "women", spec.male: "men"}.get(sx, sx)
        sdg_overall.append(quantity_from_row(
            r, id=slug("sdg541", sx), label=f"SDG 5.4.1, {sex_label}", unit="% of 24 hours",
            source="sdg541", interval=interval, level=level, domain={spec.sex: sx},
            method=("Weighted mean of 100 x minutes of unpaid domestic and care work / 1,440 "
                    "(primary activities, ICATUS 2016 divisions 3 and 4)")))
    quantities += sdg_overall
    if len(s_by) > 1:
        quantities += sdg_q
    sdg_tab_q = sdg_q if len(s_by) > 1 else sdg_overall
    dom_cols = [(b, b.replace("_", " ").capitalize()) for b in s_by]
    tables.append(_stat_table("sdg541", "SDG indicator 5.4.1: % of the day on unpaid "
                              "domestic and care work", sdg_tab_q, dom_cols, interval, level,
                              source="sdg541"))
    charts_out.append(_sdg_chart(sdg, s_by, spec, level))
    women, men, gap = by_stat["women"], by_stat["men"], by_stat["gap"]
    ratio, share = by_stat["ratio"], by_stat["women_share"]
    sdg_w = next((x for x in sdg_overall if x.domain.get(spec.sex) == spec.female), None)
    answer = (
        f"Women spend {fmt_number(women.estimate)} minutes a day on unpaid domestic and care "
        f"work and men {fmt_number(men.estimate)}: a gap of {fmt_number(gap.estimate)} minutes "
        f"({100 * level:.0f}% CI {fmt_interval(gap.ci_low, gap.ci_high)}). Women do "
        f"{fmt_number(ratio.estimate)} times as much as men and "
        f"{fmt_number(share.estimate, digits=0)}% of all unpaid care time."
    )
    if sdg_w is not None:
        answer += (f" SDG indicator 5.4.1 for women is {fmt_number(sdg_w.estimate)}% of the "
                   "day.")
    headline = (women, men, gap, ratio, share, *sdg_overall)
    method = (
        "Unpaid domestic and care work is the time respondents spent on ICATUS 2016 major "
        "divisions 3 (unpaid domestic services for household and family members) and 4 (unpaid "
        "caregiving services for household and family members), as primary activities, in "
        "minutes per day; ATUS activity codes are classified with carecost's ATUS-to-ICATUS "
        "crosswalk.",
        f"Means are survey-weighted. Standard errors follow the survey design: {survey.variance}. "
        "The gap is a linear contrast of the women's and men's means using their covariance; "
        "the ratio and women's share use the delta method (Lumley 2010).",
        f"Intervals: {interval}.",
        "SDG indicator 5.4.1 is the average daily time on unpaid domestic and care work as a "
        "percentage of 24 hours (1,440 minutes), by sex and, where shown, by a second domain; "
        "volunteer work (ICATUS 5) and simultaneous (secondary) childcare are not counted, as "
        "in the official metadata.",
    )
    caveats = [
        "Intervals cover sampling error only, not errors in reporting time in the diaries.",
        "Time on simultaneous activities is not counted: a parent watching children while "
        "cooking counts only the primary activity.",
    ]
    if spec.synthetic:
        caveats.insert(0, "The data are synthetic ('Exampleland'), made for illustration and "
                       "testing; they describe no real country.")
    return Brief(
        kind="gap", title="How much more unpaid care work do women do than men?",
        question=("How many minutes a day do women and men spend on unpaid domestic and care "
                  "work, and how large is the gap (with SDG indicator 5.4.1)?"),
        answer=answer, headline=headline, quantities=tuple(quantities),
        tables=tuple(tables), charts=tuple(charts_out), method=method,
        caveats=tuple(caveats), sources=sources, dataset=spec.describe(),
        inputs={"dataset": spec.name, "by": bys, "y": y, "level": level},
    )


def _stat_table(id: str, title: str, qs: Sequence[Quantity], dom_cols: list[tuple[str, str]],
                interval: str, level: float, source: str = "data") -> Table:
    cols = [Column(k, h) for k, h in dom_cols]
    cols += [Column("label", "Statistic"), Column("estimate", "Estimate"),
             Column("se", "Standard error"), Column("ci_low", f"{100 * level:.0f}% CI low"),
             Column("ci_high", f"{100 * level:.0f}% CI high"), Column("unit", "Unit"),
             Column("n", "Respondents")]
    rows = []
    for x in qs:
        r: dict[str, Any] = {k: x.domain.get(k) for k, _ in dom_cols}
        label = x.label.split(" (")[0]
        r.update(label=label, estimate=x.estimate, se=x.se, ci_low=x.ci_low,
                 ci_high=x.ci_high, unit=x.unit, n=x.n)
        rows.append(r)
    return Table(id, title, tuple(cols), tuple(rows), notes=f"Intervals: {interval}.",
                 source=source)


def _gap_chart(res: pd.DataFrame, bys: list[str], level: float, y: str) -> Any:
    from .model import Chart

    keys = res[bys].drop_duplicates()
    cats = [" / ".join(str(v) for v in k) for k in keys.itertuples(index=False)]
    series: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for stat, label in (("women", "Women"), ("men", "Men")):
        sub = res[res["statistic"] == stat]
        est, lo, hi = [], [], []
        for k in keys.itertuples(index=False):
            sel = np.ones(len(sub), dtype=bool)
            for b, v in zip(bys, k, strict=True):
                sel &= (sub[b] == v).to_numpy()
            row = sub[sel]
            est.append(float(row["estimate"].iloc[0]) if len(row) else np.nan)
            lo.append(float(row["ci_low"].iloc[0]) if len(row) else np.nan)
            hi.append(float(row["ci_high"].iloc[0]) if len(row) else np.nan)
        series[label] = (est, lo, hi)
    gaps = res[res["statistic"] == "gap"]
    gvals = gaps["estimate"].to_numpy(dtype=float)
    big = gaps.iloc[int(np.argmax(gvals))] if len(gaps) else None
    small = gaps.iloc[int(np.argmin(gvals))] if len(gaps) else None
    dom = " and ".join(b.replace("_", " ") for b in bys)
    alt = (f"Bar chart of minutes per day of unpaid domestic and care work for women and men "
           f"by {dom}, with {100 * level:.0f}% confidence intervals. Women do more in every "
           f"group shown." if (gaps["ci_low"] > 0).all() else
           f"Bar chart of minutes per day of unpaid domestic and care work for women and men "
           f"by {dom}, with {100 * level:.0f}% confidence intervals.")
    if big is not None and small is not None:
        alt += (f" The gap is largest for {' / '.join(str(big[b]) for b in bys)} "
                f"({fmt_number(big['estimate'])} minutes) and smallest for "
                f"{' / '.join(str(small[b]) for b in bys)} ({fmt_number(small['estimate'])} "
                "minutes).")
    title = f"Unpaid care work by sex and {dom}"
    svg = charts.bars_with_intervals("chart-gap", title, alt, cats, series,
                                     unit="minutes per day")
    return Chart("gap_by_domain", title, alt, "gap_by_domain", svg)


def _sdg_chart(sdg: pd.DataFrame, s_by: list[str], spec: DatasetSpec, level: float) -> Any:
    from .model import Chart

    sex = spec.sex
    if len(s_by) > 1:
        other = s_by[1]
        cats = [str(v) for v in sdg[other].drop_duplicates()]
    else:
        other = None
        cats = ["all"]
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
    w, m = series["Women"][0], series["Men"][0]
    dom = f" by {other.replace('_', ' ')}" if other else ""
    alt = (f"Bar chart of SDG indicator 5.4.1, the percentage of the day spent on unpaid "
           f"domestic and care work, for women and men{dom}, with {100 * level:.0f}% "
           f"confidence intervals. Women: {fmt_number(np.nanmin(w))}% to "
           f"{fmt_number(np.nanmax(w))}%; men: {fmt_number(np.nanmin(m))}% to "
           f"{fmt_number(np.nanmax(m))}%.")
    title = f"SDG 5.4.1: share of the day on unpaid care work{dom}"
    svg = charts.bars_with_intervals("chart-sdg541", title, alt, cats, series,
                                     unit="% of 24 hours")
    return Chart("sdg541", title, alt, "sdg541", svg)

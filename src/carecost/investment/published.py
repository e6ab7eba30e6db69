"""Published results of care-investment studies and the calculations that reproduce them.

The figures are typed in ``data/published/*.toml`` (sources in ``data/published/SOURCES.md``).
Each publication prints its numbers rounded, so every comparison here is made with
*rounding intervals*: a printed value ``v`` with rounding step ``s`` stands for any number in
``[v - s/2, v + s/2]``, and a computed result reproduces the publication when its interval,
propagated from the printed inputs, overlaps the printed result's interval.

Studies
-------
``dehenau2022_uk_table5``
    De Henau (2022), Table 5: gross annual cost, tax revenues, lower benefit spending and current
    subsidies of universal childcare in the UK (2018) for four scenarios, and the net funding gap,
    the share that is self-funding and the net gap in % of GDP.  The study's netting is

    ``net = gross - (direct tax + indirect tax + other tax + lower cash benefits
    + current ECEC subsidies)``,

    i.e. *gross* is the cost of the whole universal system and the public subsidies that the
    system replaces count as a return.  carecost's net funding requirement
    (:func:`~carecost.investment.model.net_funding_requirement`, used by
    :func:`~carecost.investment.simulate`) is ``gross_cost - fiscal_returns -
    replaced_spending``: the same convention when a scenario costs every covered child
    (``current_coverage = 0``) and sets ``replaced_spending_pct_gdp`` to the subsidies the
    system replaces.  :func:`carecost_convention` restates the table the other way, with the
    replaced subsidies moved from the returns to the gross cost (carecost scenarios that cost
    only the *additional* places): same net gap, different share of the gross cost.
``wbg2017_uk_childcare_briefing``
    UK Women's Budget Group (2017): gross cost of two pay scenarios (reference year 2014), the
    share recouped and the net funding need.

References
----------
De Henau, J. (2022). Simulating employment and fiscal effects of public investment in
high-quality universal childcare in the UK. *International Journal of Child Care and Education
Policy* 16, 3. doi:10.1186/s40723-022-00096-y.
UK Women's Budget Group (2017). *Costing and funding free universal childcare of high quality*.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd

from ._validate import InvestmentInputError

__all__ = [
    "DEHENAU_RETURNS",
    "DEHENAU_TO_CARECOST",
    "STUDIES",
    "Interval",
    "carecost_convention",
    "dehenau2022_table5",
    "published_study",
    "reproduce_dehenau2022",
    "reproduce_wbg2017",
    "rounded",
]

STUDIES = ("dehenau2022_uk_table5", "wbg2017_uk_childcare_briefing")

#: Table 5 rows that De Henau (2022) subtracts from the gross annual cost, in printed order.
DEHENAU_RETURNS = (
    "direct_tax_revenue",
    "indirect_tax_revenue",
    "other_tax_revenue",
    "lower_cash_benefit_spending",
    "current_ecec_subsidies",
)

#: The carecost summary measures (``SUMMARY_MEASURES``) closest to each Table 5 row; an empty
#: tuple means carecost has no counterpart.  UKMOD's direct tax covers income tax and
#: contributions on all new earnings, mothers' included (carecost: labour taxes on the direct,
#: indirect, induced and capital jobs and on the parents' new earnings);
#: its benefit savings cover all means-tested and out-of-work benefits (carecost: unemployment
#: benefit only); carecost has no "other tax"; the subsidies that the system replaces are
#: carecost's ``replaced_spending`` (``services.<name>.replaced_spending_pct_gdp``).
DEHENAU_TO_CARECOST: dict[str, tuple[str, ...]] = {
    "gross_annual_cost": ("gross_cost",),
    "direct_tax_revenue": (
        "tax_direct_labour",
        "tax_indirect_labour",
        "tax_induced_labour",
        "tax_capital_labour",
        "tax_parents_labour",
    ),
    "indirect_tax_revenue": ("tax_consumption",),
    "other_tax_revenue": (),
    "lower_cash_benefit_spending": ("benefit_savings",),
    "current_ecec_subsidies": ("replaced_spending",),
    "net_funding_gap": ("net_funding",),
    "net_funding_gap_pct_gdp": ("net_funding_pct_gdp",),
}


@dataclass(frozen=True)
class Interval:
    """Closed interval ``[lo, hi]`` of the values a rounded figure can stand for."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise InvestmentInputError(f"interval [{self.lo}, {self.hi}] is empty")

    def __contains__(self, x: object) -> bool:
        return isinstance(x, int | float) and self.lo <= float(x) <= self.hi

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __mul__(self, other: Interval) -> Interval:
        p = (self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi)
        return Interval(min(p), max(p))

    def __truediv__(self, other: Interval) -> Interval:
        if other.lo <= 0.0 <= other.hi:
            raise InvestmentInputError(f"division by an interval containing 0: {other}")
        return self * Interval(1.0 / other.hi, 1.0 / other.lo)

    def intersect(self, other: Interval) -> Interval | None:
        """The common part, or ``None`` when the intervals do not overlap."""
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Interval(lo, hi) if lo <= hi else None

    def overlaps(self, other: Interval) -> bool:
        return self.intersect(other) is not None

    @property
    def mid(self) -> float:
        return 0.5 * (self.lo + self.hi)


def rounded(value: float, step: float) -> Interval:
    """Interval of the numbers that print as ``value`` when rounded to ``step``."""
    if step < 0:
        raise InvestmentInputError(f"rounding step = {step!r}; allowed >= 0")
    return Interval(float(value) - step / 2.0, float(value) + step / 2.0)


def _sum(intervals: Iterable[Interval]) -> Interval:
    total = Interval(0.0, 0.0)
    for iv in intervals:
        total = total + iv
    return total


def published_study(name: str) -> dict[str, Any]:
    """The typed figures and citation of study ``name`` (one of :data:`STUDIES`)."""
    if name not in STUDIES:
        raise InvestmentInputError(f"study = {name!r}; allowed {', '.join(STUDIES)}")
    ref = resources.files("carecost.investment") / "data" / "published" / f"{name}.toml"
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def dehenau2022_table5() -> pd.DataFrame:
    """De Henau (2022) Table 5 as typed: one row per scenario, inputs then published results.

    Money in GBP million per year (2018); ``*_pct*`` columns in percent as printed.
    """
    raw = published_study("dehenau2022_uk_table5")
    rows = [{"scenario": int(s["id"]), **s["inputs"], **s["published"]} for s in raw["scenarios"]]
    return pd.DataFrame(rows)


def carecost_convention(
    gross: float,
    returns: Mapping[str, float],
    replaced: Iterable[str] = ("current_ecec_subsidies",),
) -> dict[str, float]:
    """A whole-system costing restated in carecost's definitions.

    carecost's ``gross_cost`` is the spending *added* to current public spending, and its
    ``fiscal_returns`` contain no replaced spending.  Moving the ``replaced`` rows from the
    returns to the gross cost leaves the net funding unchanged and changes its share of gross.

    Returns
    -------
    dict
        ``gross_cost``, ``fiscal_returns``, ``net_funding`` and ``net_funding_pct_gross``, named
        as carecost's summary measures.
    """
    rep = set(replaced)
    unknown = rep - set(returns)
    if unknown:
        raise InvestmentInputError(f"replaced = {sorted(unknown)} not among the returns")
    moved = sum(float(v) for k, v in returns.items() if k in rep)
    kept = sum(float(v) for k, v in returns.items() if k not in rep)
    add_gross = float(gross) - moved
    net = add_gross - kept
    return {
        "gross_cost": add_gross,
        "fiscal_returns": kept,
        "net_funding": net,
        "net_funding_pct_gross": 100.0 * net / add_gross,
    }


def reproduce_dehenau2022() -> pd.DataFrame:
    """Recompute the published results of De Henau (2022) Table 5 from its printed inputs.

    Returns
    -------
    pandas.DataFrame
        One row per scenario with
        ``net_funding_gap`` (computed from the printed rows), ``net_published``, ``net_diff``
        and ``net_tolerance`` (half a rounding step per printed term: 3.0 GBP million);
        ``net_lo/net_hi`` (interval from the rounding of the six printed terms);
        ``self_funding_pct`` (``100 (1 - net/gross)`` from the printed terms) and
        ``self_funding_published``; ``gdp_lo/gdp_hi`` (GBP million: the GDP interval that the
        printed gross cost and its % of GDP allow, intersected over the four scenarios) and
        ``net_pct_gdp_lo/hi`` (net gap over that common interval) against
        ``net_pct_gdp_published``; and the carecost-convention restatement
        (``cc_gross_cost``, ``cc_fiscal_returns``, ``cc_net_funding``,
        ``cc_net_funding_pct_gross``).
    """
    raw = published_study("dehenau2022_uk_table5")
    step = raw["source"]["rounding"]
    money, pct = float(step["money"]), float(step["pct_gdp"])
    t = dehenau2022_table5()
    gdp: Interval | None = None
    for _, r in t.iterrows():
        g = rounded(r["gross_annual_cost"], money) / rounded(
            r["gross_annual_cost_pct_gdp"] / 100.0, pct / 100.0
        )
        gdp = g if gdp is None else gdp.intersect(g)
        if gdp is None:
            raise InvestmentInputError("the printed % of GDP figures imply no common GDP")
    assert gdp is not None
    rows = []
    for _, r in t.iterrows():
        rets = {k: float(r[k]) for k in DEHENAU_RETURNS}
        net = float(r["gross_annual_cost"]) - sum(rets.values())
        net_iv = rounded(r["gross_annual_cost"], money) - _sum(
            rounded(v, money) for v in rets.values()
        )
        net_pct = net_iv / gdp * Interval(100.0, 100.0)
        cc = carecost_convention(float(r["gross_annual_cost"]), rets)
        rows.append(
            {
                "scenario": int(r["scenario"]),
                "take_up_pct": int(r["average_take_up_pct"]),
                "pay_level": r["pay_level"],
                "gross_annual_cost": float(r["gross_annual_cost"]),
                "returns_total": sum(rets.values()),
                "net_funding_gap": net,
                "net_published": float(r["net_funding_gap"]),
                "net_diff": net - float(r["net_funding_gap"]),
                "net_tolerance": money / 2.0 * (1 + len(rets)),
                "net_lo": net_iv.lo,
                "net_hi": net_iv.hi,
                "self_funding_pct": 100.0 * (1.0 - net / float(r["gross_annual_cost"])),
                "self_funding_published": float(r["self_funding_pct"]),
                "gdp_lo": gdp.lo,
                "gdp_hi": gdp.hi,
                "net_pct_gdp_lo": net_pct.lo,
                "net_pct_gdp_hi": net_pct.hi,
                "net_pct_gdp_published": float(r["net_funding_gap_pct_gdp"]),
                "cc_gross_cost": cc["gross_cost"],
                "cc_fiscal_returns": cc["fiscal_returns"],
                "cc_net_funding": cc["net_funding"],
                "cc_net_funding_pct_gross": cc["net_funding_pct_gross"],
            }
        )
    return pd.DataFrame(rows)


def reproduce_wbg2017() -> pd.DataFrame:
    """Check the Women's Budget Group (2017) net funding need against its gross costs.

    The page prints the gross cost of two pay scenarios and, in one sentence, two recouped
    shares with two net funding needs, without saying which scenario each pair belongs to.  For
    every (scenario, printed pair) combination this computes the net need interval
    ``gross x (1 - recouped share)`` from the rounding of the printed figures and whether it
    overlaps the printed net need.

    Returns
    -------
    pandas.DataFrame
        ``scenario, gross, recoup_pct, net_published, net_lo, net_hi, consistent`` and
        ``gdp_lo, gdp_hi`` (GBP billion: the GDP interval implied by the scenario's gross cost
        and % of GDP).
    """
    raw = published_study("wbg2017_uk_childcare_briefing")
    step = raw["source"]["rounding"]
    pairs = list(zip(raw["fiscal"]["recoup_pct"], raw["fiscal"]["net_funding_need"], strict=True))
    rows = []
    for s in raw["scenarios"]:
        gross = rounded(s["gross_annual_cost"], step["money_bn"])
        pct_step = step["pct_gdp_teacher"] if s["id"] == "teacher_pay" else step["pct_gdp_current"]
        gdp = gross / rounded(s["gross_annual_cost_pct_gdp"] / 100.0, pct_step / 100.0)
        for recoup, net in pairs:
            share = rounded(recoup / 100.0, step["recoup_pct"] / 100.0)
            net_iv = gross * (Interval(1.0, 1.0) - share)
            rows.append(
                {
                    "scenario": s["id"],
                    "gross": float(s["gross_annual_cost"]),
                    "recoup_pct": float(recoup),
                    "net_published": float(net),
                    "net_lo": net_iv.lo,
                    "net_hi": net_iv.hi,
                    "consistent": net_iv.overlaps(rounded(net, step["net_money_bn"])),
                    "gdp_lo": gdp.lo,
                    "gdp_hi": gdp.hi,
                }
            )
    return pd.DataFrame(rows)

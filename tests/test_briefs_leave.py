"""The investment brief shows leave and breastfeeding-break costs when a scenario has them."""

from __future__ import annotations

import warnings

import pytest

from carecost.briefs.investment import investment_brief
from carecost.investment import scenario_from_dict
from test_investment_leave import example_raw, with_leave


def _brief(raw: dict) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scn = scenario_from_dict(raw)
        return investment_brief(scn, draws=50, seed=1)


def test_leave_and_breaks_appear_in_the_brief() -> None:
    brief = _brief(with_leave())
    ids = {q.id: q for q in brief.quantities}
    yr = brief.inputs["year"]
    for m in ("leave_cost_pct_gdp", "breastfeeding_cost_pct_gdp", "package_cost_pct_gdp",
              "package_net_funding_pct_gdp"):
        assert f"investment.{m}.{yr}" in ids, m
    leave = ids[f"investment.leave_cost_pct_gdp.{yr}"].estimate
    bf = ids[f"investment.breastfeeding_cost_pct_gdp.{yr}"].estimate
    services = ids[f"investment.gross_cost_pct_gdp.{yr}"].estimate
    package = ids[f"investment.package_cost_pct_gdp.{yr}"].estimate
    assert leave > 0 and bf > 0
    assert package == pytest.approx(services + leave + bf, rel=1e-12)
    assert "leave entitlements add" in brief.answer
    assert "breastfeeding breaks add" in brief.answer
    headline = next(t for t in brief.tables if t.id == "investment_headline")
    labels = {r["label"] for r in headline.rows}
    assert "Additional cost of childcare-related leave" in labels


def test_services_only_brief_has_no_leave_lines() -> None:
    brief = _brief(example_raw())
    assert not [q for q in brief.quantities if "leave" in q.id or "package" in q.id]
    assert "leave" not in brief.answer.lower().replace("leaves", "")

"""The machine-readable world result (:mod:`carecost.briefs.world`; issue 16, ``--out
world.json``): the usual table JSON, whose ``tables.quantities`` has the world ids, plus a
``countries`` table with one row per country and the failures with the missing input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from carecost.briefs import BriefError
from carecost.briefs.world import world_frames, world_result_json, world_year, write_world_json
from carecost.investment.uncertainty import world_monte_carlo
from carecost.investment.world import simulate_many

IDS = ["world.leave.cost_pct_gdp.2035", "world.breastfeeding.cost_pct_gdp.2035",
       "world.childcare.additional_cost_pct_gdp.2035", "world.ltc.additional_cost_pct_gdp.2035",
       "world.jobs.2035", "world.jobs.direct_childcare.2035", "world.jobs.direct_ltc.2035",
       "world.jobs.indirect.2035", "world.countries"]


@pytest.fixture(scope="module")
def world() -> Any:
    return simulate_many(["MEX", "KEN", "FRA", "ARG", "XYZ"], "ilo-2035", workers=1)


def test_quantities_have_the_world_ids_with_the_aggregates(world: Any) -> None:
    doc = json.loads(json.dumps(world_result_json(world), allow_nan=False))
    assert set(doc) == {"carecost_version", "tables", "about"}
    q = {r["id"]: r for r in doc["tables"]["quantities"]}
    assert set(IDS) <= set(q)
    w = world.aggregates.set_index("name").loc["World"]
    for qid, col in [("world.leave.cost_pct_gdp.2035", "leave_cost_pct_gdp"),
                     ("world.breastfeeding.cost_pct_gdp.2035", "breastfeeding_cost_pct_gdp"),
                     ("world.childcare.additional_cost_pct_gdp.2035", "childcare_cost_pct_gdp"),
                     ("world.ltc.additional_cost_pct_gdp.2035", "ltc_cost_pct_gdp"),
                     ("world.jobs.2035", "jobs_total"),
                     ("world.jobs.direct_childcare.2035", "jobs_direct_childcare"),
                     ("world.jobs.direct_ltc.2035", "jobs_direct_ltc"),
                     ("world.jobs.indirect.2035", "jobs_indirect")]:
        assert q[qid]["estimate"] == pytest.approx(float(w[col]), rel=1e-11), qid
        assert q[qid]["unit"] and q[qid]["source"] == "carecost-world"
    assert q["world.countries"]["estimate"] == 3
    assert q["world.failures"]["estimate"] == 2
    assert q["world.leave.cost_pct_gdp.2035"]["unit"] == "% of GDP"
    assert q["region.africa.leave.cost_pct_gdp.2035"]["estimate"] == pytest.approx(
        float(world.countries.set_index("iso3").at["KEN", "leave_cost_pct_gdp"]), rel=1e-11)
    assert q["world.jobs.2035"]["ci_low"] is None


def test_countries_and_failures_tables(world: Any) -> None:
    doc = world_result_json(world)
    rows = doc["tables"]["countries"]
    assert [r["iso3"] for r in rows] == ["MEX", "KEN", "FRA"]
    assert rows[0]["leave_cost_pct_gdp"] > 0 and rows[0]["region"]
    fails = {r["iso3"]: r for r in doc["tables"]["failures"]}
    assert set(fails) == {"ARG", "XYZ"}
    assert "macro.average_wage" in fails["ARG"]["error"]
    assert {r["item"] for r in doc["about"]} >= {"carecost version", "scenario", "year"}


def test_year_follows_the_preset() -> None:
    res = simulate_many(["KEN"], "ilo-2050", workers=1)
    q = {r["id"] for r in world_result_json(res)["tables"]["quantities"]}
    assert "world.jobs.2050" in q and "world.ltc.additional_cost_pct_gdp.2050" in q
    # nothing simulated: the preset's target year, and zero countries (not a missing id)
    none = simulate_many(["ARG"], "ilo-2050", workers=1)
    assert world_year(none) == 2050
    q0 = {r["id"]: r for r in world_result_json(none)["tables"]["quantities"]}
    assert q0["world.countries"]["estimate"] == 0 and q0["world.failures"]["estimate"] == 1


def test_a_scenario_without_countries_has_no_year() -> None:
    raw = {"meta": {"name": "x", "base_year": 2022, "target_year": 2030},
           "leave": [{"kind": "maternity", "weeks": 14, "replacement_rate": 2 / 3}]}
    res = simulate_many(["ARG"], raw, workers=1)
    with pytest.raises(BriefError, match="no year"):
        world_year(res)


def test_monte_carlo_intervals_and_file(world: Any, tmp_path: Path) -> None:
    mc = world_monte_carlo(["MEX", "KEN", "FRA", "ARG", "XYZ"], "ilo-2035", draws=50,
                           workers=1)
    frames, about = world_frames(world, mc)
    assert "source carecost-world" in set(about["item"])
    assert list(frames) == ["quantities", "countries", "aggregates", "failures", "monte_carlo"]
    path = write_world_json(world, tmp_path / "world.json", mc)
    doc = json.loads(path.read_text(encoding="utf-8"))
    q = {r["id"]: r for r in doc["tables"]["quantities"]}
    jobs = q["world.jobs.2035"]
    assert jobs["ci_low"] < jobs["estimate"] < jobs["ci_high"]
    assert jobs["level"] == 0.9 and "Monte Carlo" in jobs["interval"]
    assert any("population" in r["text"] for r in doc["about"] if r["item"] == "note")

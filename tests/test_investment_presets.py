"""Shipped policy presets (``meta.preset = "ilo-2035"`` / ``"ilo-2050"``; issue 16, item 3).

A preset runs the ILO-style package (leave at C183/R191 levels, breastfeeding breaks,
universal ECCE by age with staff ratios and a stated pay benchmark, long-term care need by age
group) for a country of the database with no other input; every value of the preset file has
its source; anything the scenario file sets overrides the preset.
"""

from __future__ import annotations

import tomllib
import warnings
from typing import Any

import pytest

from carecost.investment import InvestmentInputError, scenario_from_dict, simulate
from carecost.investment.scenario import DATA, PRESETS, preset_raw, preset_sources


def load(raw: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scenario_from_dict(raw)


def leaves(raw: dict[str, Any]) -> dict[str, Any]:
    """Every value of a preset by key path (identifiers of services excluded)."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("services", "leave"):
            for entry in value:
                name = entry.get("name", entry.get("kind"))
                for k, v in entry.items():
                    if key == "services" and k in ("name", "kind"):
                        continue
                    out[f"{key}.{name}.{k}"] = v
        else:
            for k, v in value.items():
                out[f"{key}.{k}"] = v
    return out


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_value_has_a_source(preset: str) -> None:
    values = leaves(preset_raw(preset))
    sources = preset_sources(preset)
    assert set(values) == set(sources), set(values) ^ set(sources)
    assert all(len(s) > 5 for s in sources.values())
    with (DATA / "presets" / f"{preset}.toml").open("rb") as fh:
        assert "sources" in tomllib.load(fh)


@pytest.mark.parametrize(("preset", "year"), [("ilo-2035", 2035), ("ilo-2050", 2050)])
def test_preset_runs_for_a_country_with_no_other_input(preset: str, year: int) -> None:
    scn = load({"meta": {"country": "MEX", "preset": preset}})
    assert scn.preset == preset and scn.target_year == year and scn.country == "MEX"
    assert [s.name for s in scn.services] == ["ecce_0_1", "ecce_2", "ecce_3_5", "ltc_65_plus"]
    assert [x.name for x in scn.leave] == ["maternity", "paternity"]
    assert scn.breastfeeding is not None
    res = simulate(scn)
    area = res.by_policy_area().set_index("area")
    assert list(area.index) == ["childcare", "ltc", "leave", "breastfeeding"]
    assert (area["additional_cost_pct_gdp"] > 0).all()
    s = res.summary.set_index("year").loc[year]
    assert s["package_cost"] == pytest.approx(area["additional_cost"].sum(), rel=1e-12)


def test_preset_values_are_the_standards_they_cite() -> None:
    raw = preset_raw("ilo-2035")
    mat = next(x for x in raw["leave"] if x["kind"] == "maternity")
    assert mat["weeks"] == 18 and mat["replacement_rate"] == 1.0 and mat["coverage"] == 1.0
    ltc = next(x for x in raw["services"] if x["name"] == "ltc_65_plus")
    assert ltc["persons_per_staff"] == pytest.approx(0.12 * 100 / 4.2, rel=1e-6)
    ratios = {x["name"]: x["persons_per_staff"] for x in raw["services"]}
    assert ratios == {"ecce_0_1": 3.0, "ecce_2": 4.0, "ecce_3_5": 8.0,
                      "ltc_65_plus": ltc["persons_per_staff"]}
    # the two presets differ only in the horizon
    other = preset_raw("ilo-2050")
    assert other["meta"]["target_year"] == 2050 and raw["meta"]["target_year"] == 2035
    assert {k: v for k, v in other.items() if k != "meta"} == {
        k: v for k, v in raw.items() if k != "meta"}


def test_the_file_overrides_the_preset() -> None:
    scn = load({
        "meta": {"country": "MEX", "preset": "ilo-2035", "target_year": 2032},
        "services": [{"name": "ecce_3_5", "target_coverage": 0.9},
                     {"name": "ltc_80_plus", "kind": "ltc", "ages": [80, 100],
                      "need_rate": 0.3, "current_coverage": 0.0, "target_coverage": 0.5,
                      "persons_per_staff": 2, "wage_relative_to_average": 0.8,
                      "women_share": 0.9}],
        "leave": [{"kind": "maternity", "weeks": 14, "replacement_rate": 2 / 3}],
        "breastfeeding": {"months": 3},
        "macro": {"women_earnings_relative_to_average": 0.9},
    })
    assert scn.target_year == 2032
    assert scn.service("ecce_3_5").target_coverage == 0.9
    assert scn.service("ecce_3_5").persons_per_staff == 8.0  # the rest from the preset
    assert scn.service("ltc_80_plus").need_rate[0] == 0.3
    mat = scn.leave[0]
    assert (mat.weeks, mat.replacement_rate, mat.coverage) == (14.0, 2 / 3, 1.0)
    assert scn.breastfeeding.months == 3.0 and scn.breastfeeding.minutes_per_day == 60.0
    assert scn.macro.women_earnings_relative_to_average == 0.9
    src = scn.sources().set_index("input")
    assert src.at["leave.maternity.weeks", "origin"] == "scenario"
    assert src.at["leave.maternity.coverage", "origin"] == "preset"
    assert src.at["leave.maternity.coverage", "source"].startswith("preset ilo-2035: ILO "
                                                                   "Maternity Protection")
    assert src.at["services.ecce_3_5.target_coverage", "origin"] == "scenario"
    assert src.at["services.ecce_3_5.persons_per_staff", "origin"] == "preset"
    assert src.at["macro.women_earnings_relative_to_average", "origin"] == "scenario"


def test_unknown_preset_is_named() -> None:
    with pytest.raises(InvestmentInputError, match=r"meta\.preset = 'ilo-2030'; allowed "
                                                   r"'ilo-2035', 'ilo-2050'"):
        load({"meta": {"country": "MEX", "preset": "ilo-2030"}})


def test_a_bad_override_is_still_an_error() -> None:
    with pytest.raises(InvestmentInputError, match=r"leave\.maternity\.weeks = 200"):
        load({"meta": {"country": "MEX", "preset": "ilo-2035"},
              "leave": [{"kind": "maternity", "weeks": 200}]})
    with pytest.raises(InvestmentInputError, match=r"services\.ecce_2: unknown key 'ratio'"):
        load({"meta": {"country": "MEX", "preset": "ilo-2035"},
              "services": [{"name": "ecce_2", "ratio": 3}]})

"""The one field specification of a scenario (carecost.investment.fields): unknown keys, the
share and percent conventions, the reference page and the starter template generated from it,
the HTTP schema derived from it, and where every input of a scenario came from (issue 13
items 1, 3, 9, 18; issue 14 item 3)."""

from __future__ import annotations

import copy
import math
import tomllib
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.investment import (
    FIELDS,
    ExampleDataWarning,
    ImplausibleInputWarning,
    InvestmentInputError,
    example_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_template,
    simulate,
)
from carecost.investment.fields import (
    REFERENCE_PAGE,
    REGENERATE,
    TABLES,
    fields_of,
    reference_markdown,
)
from carecost.investment.scenario import FIELD_RANGES, _check_country, check_field

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = resources.files("carecost.investment") / "data" / "scenarios"


def example_raw(variant: str = "example_universal_care_2035.toml") -> dict[str, Any]:
    with (SCENARIOS / variant).open("rb") as fh:
        return tomllib.load(fh)


def example_text() -> str:
    return (SCENARIOS / "example_universal_care_2035.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ unknown keys (item 1)
def test_the_example_still_costs_2_85_billion_in_2035() -> None:
    s = simulate(example_scenario()).summary.set_index("year")
    assert round(s.loc[2035, "gross_cost"] / 1e9, 2) == 2.85


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("non_staff_cost_share = 0.15\ncurrent_staff = 22500",
         "non_staf_cost_share = 0.15\ncurrent_staff = 22500",
         "services.childcare_0_2: unknown key 'non_staf_cost_share'; did you mean "
         "'non_staff_cost_share'? (see docs/scenario-reference.md)"),
        ("current_staff = 22500", "curent_staff = 22500",
         "services.childcare_0_2: unknown key 'curent_staff'; did you mean 'current_staff'?"),
        ('phase_in = "linear"', 'phasein = "front_loaded"',
         "meta: unknown key 'phasein'; did you mean 'phase_in'?"),
        ('[induced]\nmethod = "type_ii"', '[induced]\nmetod = "type_ii"',
         "induced: unknown key 'metod'; did you mean 'method'?"),
        ('[comparison]\nsector = "CON"', '[comparison]\nsectr = "CON"',
         "comparison: unknown key 'sectr'; did you mean 'sector'?"),
        ('[induced]', '[macro]\ngdp_grwth = 0.02\n\n[induced]',
         "macro: unknown key 'gdp_grwth'; did you mean 'gdp_growth'?"),
        ('[induced]', '[fiscal]\nincome_tax = 0.1\n\n[induced]',
         "fiscal: unknown key 'income_tax'; did you mean 'income_tax_rate'?"),
        ('[induced]', '[population]\nfiles = "x.csv"\n\n[induced]',
         "population: unknown key 'files'; did you mean 'file'?"),
        ('[induced]', '[io]\ndata_set = "example"\n\n[induced]',
         "io: unknown key 'data_set'; did you mean 'dataset'?"),
        ('[induced]', '[comparisons]\nsector = "CON"\n\n[induced]',
         "scenario: unknown key 'comparisons'; did you mean 'comparison'?"),
    ],
)
def test_unknown_keys_anywhere_are_errors(tmp_path: Path, old: str, new: str,
                                          message: str) -> None:
    text = example_text()
    assert old in text
    with pytest.raises(InvestmentInputError) as err:
        load_scenario(write(tmp_path, text.replace(old, new, 1)))
    assert message in str(err.value)


def test_unknown_key_in_a_staff_grade_names_the_grade() -> None:
    raw = example_raw("example_extended_2035.toml")
    raw["services"][0]["staff_grades"][1]["wage_relative_to_avg"] = 0.7
    with pytest.raises(InvestmentInputError, match=(
            r"services\.childcare_0_2\.staff_grades\[1\]: unknown key 'wage_relative_to_avg'; "
            r"did you mean 'wage_relative_to_average'\?")):
        scenario_from_dict(raw)


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    raw = example_raw()
    raw["induced"]["zzz"] = 1
    with pytest.raises(InvestmentInputError, match="allowed keys: method, consumption_multip"):
        scenario_from_dict(raw)


def test_unknown_keys_of_a_country_data_set() -> None:
    with pytest.raises(InvestmentInputError, match="unknown key 'gpd'; did you mean 'gdp'"):
        _check_country({"macro": {"gpd": {"value": 1.0}}}, "mine")
    with pytest.raises(InvestmentInputError, match="unknown key 'sorce'; did you mean 'source'"):
        _check_country({"macro": {"gdp": {"value": 1.0, "sorce": "x"}}}, "mine")
    with pytest.raises(InvestmentInputError, match="unknown key 'lable'; did you mean 'label'"):
        _check_country({"lable": "x"}, "mine")


def test_a_table_that_is_not_a_table() -> None:
    raw = example_raw()
    raw["macro"] = 3
    with pytest.raises(InvestmentInputError, match="macro = 3 is not a table"):
        scenario_from_dict(raw)


def test_years_must_be_whole() -> None:
    raw = example_raw()
    raw["meta"]["base_year"] = 2025.5
    with pytest.raises(InvestmentInputError, match=r"meta\.base_year = 2025\.5 is not a whole"):
        scenario_from_dict(raw)


def test_ranges_that_were_only_in_the_http_schema_now_hold_for_files() -> None:
    raw = example_raw()
    raw["services"][0]["persons_per_staff"] = 1001
    with pytest.raises(InvestmentInputError, match=r"persons_per_staff = 1001 .*\(0, 1000\]"):
        scenario_from_dict(raw)


def test_file_references_refused_where_not_allowed() -> None:
    raw = example_raw()
    raw["population"] = {"file": "/etc/passwd"}
    with pytest.raises(InvestmentInputError, match="key 'population' is not allowed here"):
        scenario_from_dict(raw, allow_file_references=False)
    raw = example_raw()
    raw["meta"]["use_country_dataset"] = False
    with pytest.raises(InvestmentInputError, match="'use_country_dataset' is not allowed"):
        scenario_from_dict(raw, allow_file_references=False)


# ------------------------------------------------------------------ shares and percents, item 3
@pytest.mark.parametrize(
    ("key", "value", "meant"),
    [("target_coverage", 60, "0.60"), ("women_share", 95, "0.95"),
     ("non_staff_cost_share", 15, "0.15"), ("current_coverage", 12.5, "0.125")],
)
def test_a_share_given_as_a_percent_names_the_value_meant(key: str, value: float,
                                                          meant: str) -> None:
    raw = example_raw()
    raw["services"][0][key] = value
    with pytest.raises(InvestmentInputError) as err:
        scenario_from_dict(raw)
    msg = str(err.value)
    assert f"services.childcare_0_2.{key} = {value}" in msg
    assert f"shares are fractions — did you mean {meant}?" in msg


def test_a_growth_rate_given_as_a_percent() -> None:
    raw = example_raw()
    raw["macro"] = {"gdp_growth": 2}
    with pytest.raises(InvestmentInputError, match=r"did you mean 0\.02"):
        scenario_from_dict(raw)


def test_implausible_percent_of_gdp_warns_with_the_value_meant() -> None:
    raw = example_raw()
    raw["services"][0]["current_spending_pct_gdp"] = 12
    with pytest.warns(ImplausibleInputWarning,
                      match=r"12% of GDP on one service is implausible; did you mean 0\.12\?"):
        scn = scenario_from_dict(raw)
    assert scn.services[0].current_spending_pct_gdp == 12


def test_plausible_percent_of_gdp_does_not_warn() -> None:
    raw = example_raw()
    raw["services"][0]["current_spending_pct_gdp"] = 4.9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scenario_from_dict(raw)


@pytest.mark.parametrize("value", [-0.1, 100.5, 1e9])
def test_impossible_percent_of_gdp_is_an_error(value: float) -> None:
    raw = example_raw()
    raw["services"][0]["current_spending_pct_gdp"] = value
    with pytest.raises(InvestmentInputError, match=r"outside the allowed range \[0, 100\]"):
        scenario_from_dict(raw)


def test_the_convention_holds_for_every_key() -> None:
    """Shares are in [0, 1] (employer contributions may reach 2); only _pct_gdp keys are
    percents, and every one of them warns above 5."""
    for spec in FIELDS:
        if spec.is_share:
            assert spec.low in (0.0, -0.5) and spec.high in (1.0, 2.0, 0.5), spec.key
            assert not spec.is_pct_gdp
        if spec.is_pct_gdp:
            assert spec.unit == "% of GDP" and spec.bounds == (0.0, 100.0, False, False)
            assert spec.warn_above == 5.0
        if spec.unit == "% of GDP":
            assert spec.is_pct_gdp, spec.key


# ------------------------------------------------------------------ reference, template (item 18)
def test_reference_page_is_generated_from_the_specification() -> None:
    page = (ROOT / REFERENCE_PAGE).read_text(encoding="utf-8")
    assert page == reference_markdown(), f"regenerate it: {REGENERATE}"
    assert REGENERATE in page.splitlines()[3]


def test_reference_page_lists_every_key_with_unit_default_and_range() -> None:
    page = reference_markdown()
    for table in TABLES:
        for name, spec in fields_of(table).items():
            rows = [r for r in page.splitlines() if r.startswith(f"| `{name}` |")]
            assert rows, spec.key
            assert any(spec.range_text().split(" ")[0] in r for r in rows), spec.key
    assert "shares in [0, 1]" in page and "`_pct_gdp`" in page


def test_the_template_is_accepted_as_written(tmp_path: Path) -> None:
    text = scenario_template()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scn = load_scenario(write(tmp_path, text))
    assert scn.country == "example" and scn.target_year == 2035
    assert simulate(scn).summary["gross_cost"].iloc[-1] > 0


def test_the_template_describes_every_key_without_commented_out_code() -> None:
    text = scenario_template()
    comments = [line for line in text.splitlines() if line.startswith("#")]
    prose = " ".join(c.lstrip("# ") for c in comments)
    for spec in FIELDS:
        if spec.table == "top":
            continue
        at = prose.find(f"{spec.name}: {spec.description[:20]}")
        assert at >= 0, spec.key
        about = prose[at:at + len(spec.description) + 200]
        if spec.unit:
            assert f"Unit: {spec.unit}." in about, spec.key
        if spec.range_text() and spec.type in ("number", "integer"):
            assert f"Allowed: {spec.range_text()}." in about, spec.key
    # prose, never a TOML line behind a comment sign
    for c in comments:
        try:
            parsed = tomllib.loads(c.lstrip("# "))
        except tomllib.TOMLDecodeError:
            continue
        assert not parsed, c


def test_error_messages_point_to_the_reference_page() -> None:
    raw = example_raw()
    raw["services"][0]["wrong"] = 1
    with pytest.raises(InvestmentInputError, match=r"docs/scenario-reference\.md"):
        scenario_from_dict(raw)
    with pytest.raises(InvestmentInputError, match=r"docs/scenario-reference\.md"):
        check_field(1.0, "x", "nope")


# ------------------------------------------------------------------ HTTP schema (one definition)
pydantic = pytest.importorskip("pydantic")


def _models() -> dict[str, Any]:
    from carecost.service import schemas

    return {"meta": schemas.MetaModel, "services": schemas.ServiceModel,
            "services.staff_grades": schemas.StaffGradeModel, "macro": schemas.MacroModel,
            "fiscal": schemas.FiscalModel, "induced": schemas.InducedModel,
            "comparison": schemas.ComparisonModel, "leave": schemas.LeaveModel,
            "breastfeeding": schemas.BreastfeedingModel}


@pytest.mark.parametrize("table", ["meta", "services", "services.staff_grades", "macro",
                                   "fiscal", "induced", "comparison", "leave",
                                   "breastfeeding"])
def test_http_accepts_exactly_the_keys_of_the_specification(table: str) -> None:
    model = _models()[table]
    want = {n for n, spec in fields_of(table).items() if spec.http}
    assert set(model.model_fields) == want
    assert model.model_config.get("extra") == "forbid"


def test_http_top_level_has_the_tables_without_file_references() -> None:
    from carecost.service.schemas import ScenarioModel

    assert set(ScenarioModel.model_fields) == {
        n for n, spec in fields_of("top").items() if spec.http}


def _http_field_ok(table: str, name: str, value: Any) -> bool:
    """Validate one field through its model (so that the field's metadata applies)."""
    model = _models()[table]
    try:
        model.__pydantic_validator__.validate_assignment(
            model.model_construct(), name, value)
    except pydantic.ValidationError:
        return False
    return True


def _toml_ok(spec: Any, value: Any) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ImplausibleInputWarning)
            spec.check(value)
    except InvestmentInputError:
        return False
    return True


NUMERIC = [s for s in FIELDS if s.type in ("number", "integer") and s.http]


def _ends(spec: Any) -> list[float]:
    out: list[float] = []
    for end in (spec.low, spec.high):
        if end is None:
            continue
        if spec.type == "integer":
            out += [end - 1, end, end + 1]
        else:
            out += [math.nextafter(end, -math.inf), float(end), math.nextafter(end, math.inf)]
    return out


@pytest.mark.parametrize("spec", NUMERIC, ids=[s.key for s in NUMERIC])
def test_toml_and_http_agree_on_the_range_ends(spec: Any) -> None:
    assert spec.low is not None or spec.high is not None, spec.key
    for value in _ends(spec):
        v: Any = int(value) if spec.type == "integer" else value
        assert _toml_ok(spec, v) == _http_field_ok(spec.table, spec.name, v), (spec.key, v)
    # and both really refuse beyond the ends
    if spec.high is not None:
        assert not _toml_ok(spec, spec.high * 2 + 1)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMERIC), st.floats(allow_nan=False, allow_infinity=False,
                                           min_value=-1e22, max_value=1e22))
def test_toml_and_http_agree_on_any_value(spec: Any, value: float) -> None:
    v: Any = value
    if spec.type == "integer":
        v = round(value) if abs(value) < 1e6 else 3000
    assert _toml_ok(spec, v) == _http_field_ok(spec.table, spec.name, v), (spec.key, v)


def test_field_ranges_is_a_view_of_the_specification() -> None:
    for name, bounds in FIELD_RANGES.items():
        assert fields_of("services").get(name, fields_of("macro").get(
            name, fields_of("fiscal").get(name, fields_of("induced").get(name)))).bounds == bounds


# ------------------------------------------------------------------ input sources (item 9)
def test_the_example_says_its_data_are_synthetic() -> None:
    scn = example_scenario()
    src = scn.sources().set_index("input")
    assert list(scn.sources().columns[:5]) == ["input", "value", "unit", "origin", "source"]
    assert src.loc["macro.gdp", "origin"] == "country dataset"
    assert "synthetic" in src.loc["macro.gdp", "source"]
    assert src.loc["macro.gdp", "value"] == scn.macro.gdp
    assert src.loc["services.childcare_0_2.target_coverage", "origin"] == "scenario"
    assert src.loc["services.childcare_0_2.staff_weeks_per_year", "origin"] == "default"
    assert src.loc["io", "value"] == "example" and src.loc["io", "example"]
    assert src.loc["population", "source"].endswith("example_population.csv")
    assert scn.uses_example_data
    assert scn.data_warnings == ()
    assert scn.provenance["population_file"] == "example_population.csv"
    assert "synthetic" in scn.provenance["label"]


MY_MACRO = {"gdp": 5.0e11, "gdp_growth": 0.015, "average_wage": 21000.0,
            "working_age_women": 9.5e6, "working_age_men": 9.6e6, "employed_women": 6e6,
            "employed_men": 7e6}


def test_own_macro_inputs_with_the_example_io_table_warn() -> None:
    raw = example_raw()
    raw["macro"] = dict(MY_MACRO)
    with pytest.warns(ExampleDataWarning) as record:
        scn = scenario_from_dict(raw)
    texts = [str(w.message) for w in record]
    want = ("jobs use the synthetic example input–output table (io.dataset = 'example') "
            "although macro inputs were supplied in the scenario")
    assert any(t.startswith(want) for t in texts)
    assert scn.data_warnings and scn.data_warnings[0].startswith(want)
    assert any("fiscal.income_tax_rate" in t and "synthetic example country" in t
               for t in scn.data_warnings)
    src = scn.sources().set_index("input")
    assert src.loc["macro.gdp", "origin"] == "scenario" and src.loc["macro.gdp", "value"] == 5e11
    assert src.loc["macro.real_wage_growth", "origin"] == "country dataset"
    assert src.loc["fiscal.income_tax_rate", "origin"] == "country dataset"
    assert scn.uses_example_data


def test_a_scenario_with_all_its_own_data_uses_no_example_data(tmp_path: Path) -> None:
    pop = tmp_path / "pop.csv"
    pd.DataFrame([(y, a, 1000.0) for y in range(2025, 2036) for a in range(0, 6)],
                 columns=["year", "age", "population"]).to_csv(pop, index=False)
    raw = example_raw()
    raw["services"] = raw["services"][:2]
    raw["meta"].update(use_country_dataset=False, currency="EUR")
    raw["macro"] = {**MY_MACRO, "real_wage_growth": 0.01}
    raw["fiscal"] = {"income_tax_rate": 0.1, "propensity_to_consume": 0.8}
    raw["population"] = {"file": str(pop)}
    raw["io"] = {"dataset": "mine"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scn = scenario_from_dict(raw)
    assert not scn.uses_example_data and scn.data_warnings == ()
    src = scn.sources().set_index("input")
    assert src.loc["io", "source"] == "mine" and src.loc["io", "origin"] == "scenario"
    assert src.loc["population", "source"] == str(pop)
    assert src.loc["fiscal.unemployment_benefit", "origin"] == "default"
    assert set(scn.sources()["origin"]) == {"scenario", "default"}


def test_hash_and_equality_ignore_the_source_log() -> None:
    a, b = example_scenario(), example_scenario()
    assert a == b and hash(a) == hash(b)
    assert a.services == b.services and hash(a.services) == hash(b.services)
    assert {a: 1}[b] == 1
    raw = copy.deepcopy(example_raw())
    raw["services"][0]["target_coverage"] = 0.55
    c = scenario_from_dict(raw)
    assert c.services != a.services and hash(c.services) != hash(a.services)
    assert c != a and hash(c) != hash(a)


# ------------------------------------------------- issue 16: leave and breastfeeding over HTTP
def test_leave_and_breastfeeding_are_on_the_http_schema() -> None:
    from carecost.service.schemas import ScenarioModel

    for table in ("leave", "breastfeeding"):
        assert fields_of("top")[table].http
        assert all(spec.http for spec in fields_of(table).values()), table
    assert {"leave", "breastfeeding"} <= set(ScenarioModel.model_fields)
    assert "Not yet accepted over HTTP" not in reference_markdown()


# ------------------------------------------------------- issue 21 item 8: integers are integers
@pytest.mark.parametrize(("value", "ok"), [
    (2025, True), (2025.0, True), (2025.7, False), ("2025", False), (True, False),
    (float("nan"), False), (1e300, False)])
def test_integer_keys_take_whole_numbers_only(value: Any, ok: bool) -> None:
    from carecost.investment.fields import field

    spec = field("meta", "base_year")
    assert _toml_ok(spec, value) is ok
    assert _http_field_ok("meta", "base_year", value) is ok
    if ok:
        assert spec.check(value) == 2025.0


def test_a_year_with_a_decimal_part_names_the_whole_numbers_meant() -> None:
    from carecost.investment.fields import field

    with pytest.raises(InvestmentInputError, match=(
            r"meta\.base_year = 2025\.7 is not a whole number; integer keys take integers "
            r"\(write a whole number such as 2025 or 2026\)")):
        field("meta", "base_year").check(2025.7)
    with pytest.raises(InvestmentInputError, match=r"services\.cc\.ages\[0\] = 0\.5 is not a "
                                                   "whole number"):
        field("services", "ages").check(0.5, "services.cc.ages[0]")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([s for s in FIELDS if s.type == "integer" and s.http]),
       st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=1900,
                           max_value=2200),
                 st.integers(1900, 2200).map(float), st.integers(1900, 2200).map(str),
                 st.booleans()))
def test_toml_and_http_agree_on_integer_keys(spec: Any, value: Any) -> None:
    assert _toml_ok(spec, value) == _http_field_ok(spec.table, spec.name, value), (
        spec.key, value)


def test_http_number_keys_refuse_numbers_as_text() -> None:
    assert _http_field_ok("services", "target_coverage", 0.5)
    assert _http_field_ok("services", "target_coverage", 1)  # an integer is a number
    assert not _http_field_ok("services", "target_coverage", "0.5")
    assert not _toml_ok(fields_of("services")["target_coverage"], "0.5")
    assert not _http_field_ok("services", "ages", [0.5, 2])
    assert _http_field_ok("services", "ages", [0.0, 2.0])


# ------------------------------------------- issue 21 item 9: Monte Carlo ranges around the value
def test_a_range_must_contain_the_central_value() -> None:
    from carecost.investment.fields import check_parameter_range

    with pytest.raises(InvestmentInputError, match=(
            r"macro\.gdp range \[1e-300, 1e-299\] does not contain the scenario's value "
            r"1e\+12; a Monte Carlo or sensitivity range must contain the central value")):
        check_parameter_range("macro.gdp", 1e-300, 1e-299, 1e12)
    assert check_parameter_range("macro.gdp", 9e11, 1.1e12, 1e12) == (9e11, 1.1e12)
    assert check_parameter_range("macro.gdp", 1e12, 1e12, 1e12) == (1e12, 1e12)  # held fixed


@pytest.mark.parametrize(("path", "low", "high", "central", "message"), [
    ("macro.gdp", 0.0, 1e12, 5e11, r"macro\.gdp low = 0\.0 is outside the allowed range "
                                    r"\(0, 1e\+21\]"),
    ("fiscal.income_tax_rate", 0.1, 1.5, 0.2, r"high = 1\.5 is outside the allowed range"),
    ("services.cc.current_coverage", 0.3, 0.2, 0.25, "low is above high"),
    ("services.cc.persons_per_staff", 5, 6, 4, r"does not contain the scenario's value 4"),
    ("macro.nope", 0, 1, 0.5, "parameter 'macro.nope' not recognised"),
    ("services.cc.kind", 0, 1, 0.5, "not recognised"),
])
def test_parameter_range_errors(path: str, low: float, high: float, central: float,
                                message: str) -> None:
    from carecost.investment.fields import check_parameter_range

    with pytest.raises(InvestmentInputError, match=message):
        check_parameter_range(path, low, high, central)

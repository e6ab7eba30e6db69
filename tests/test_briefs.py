"""Briefs: JSON content (every number with uncertainty, unit, source, method), HTML structure,
data-set specs and bad inputs."""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
import tomllib
from pathlib import Path

import pytest

from carecost.briefs import (
    Brief,
    BriefError,
    DatasetRegistry,
    DatasetSpec,
    Quantity,
    Source,
    example_briefs,
    gap_brief,
    investment_brief,
    load_dataset_spec,
    value_brief,
    write_brief,
)
from carecost.briefs._format import fmt_number
from carecost.briefs.charts import bars_with_intervals
from carecost.briefs.output import find_chromium
from carecost.investment import ParameterRange, example_scenario


@pytest.fixture(scope="module")
def registry() -> DatasetRegistry:
    return DatasetRegistry.default()


@pytest.fixture(scope="module")
def briefs() -> dict[str, Brief]:
    return example_briefs(draws=300)


def test_three_briefs_have_complete_numbers(briefs: dict[str, Brief]) -> None:
    assert set(briefs) == {"gap", "value", "investment"}
    for b in briefs.values():
        doc = json.loads(b.to_json())  # strict JSON: no NaN
        json.dumps(doc, allow_nan=False)
        assert doc["schema"] == "carecost.brief/2"
        assert doc["headline"] and doc["quantities"] and doc["charts"] and doc["sources"]
        src = {s["id"] for s in doc["sources"]}
        for q in doc["quantities"]:
            assert q["unit"] and q["method"] and q["interval"], q["id"]
            assert q["source"] in src
            assert q["estimate"] is not None and math.isfinite(q["estimate"]), q["id"]
            assert q["ci_low"] is not None and q["ci_high"] is not None, q["id"]
            assert q["ci_low"] <= q["ci_high"], q["id"]
            assert isinstance(q["flags"], list)
            inside = q["ci_low"] <= q["estimate"] <= q["ci_high"]
            # a central value outside its (raw percentile) interval must carry a flag
            assert inside or any("outside" in f for f in q["flags"]), q["id"]
            assert 0.5 <= q["level"] < 1
        tables = {t["id"] for t in doc["tables"]}
        assert all(c["table"] in tables and c["alt"] for c in doc["charts"])
        assert any(s["synthetic"] for s in doc["sources"])


def test_gap_numbers_match_timeuse(briefs: dict[str, Brief], registry: DatasetRegistry) -> None:
    from carecost.timeuse import gender_gap

    g = gender_gap(registry.survey("example").design, "unpaid_care_work")
    gap = g[g["statistic"] == "gap"].iloc[0]
    q = briefs["gap"].quantity("gap.gap")
    assert q.estimate == pytest.approx(gap["estimate"])
    assert q.se == pytest.approx(gap["se"])
    assert q.unit == "minutes per day"
    share = briefs["gap"].quantity("gap.women_share")
    assert share.unit == "% of total" and 50 < (share.estimate or 0) < 80
    assert briefs["gap"].quantity("sdg541.female").unit == "% of 24 hours"


def test_value_and_investment_headlines(briefs: dict[str, Brief]) -> None:
    v = briefs["value"]
    ids = [q.id for q in v.headline]
    assert "value.hybrid.annual_value" in ids and "value.hybrid.share_of_gdp" in ids
    mc = v.quantity("value.hybrid.annual_value.with_wage_uncertainty")
    base = v.quantity("value.hybrid.annual_value")
    assert (mc.ci_high or 0) - (mc.ci_low or 0) > (base.ci_high or 0) - (base.ci_low or 0)
    # a Monte Carlo percentile interval has no standard error (the SD of the draws is not one)
    assert mc.se is None and "Monte Carlo percentile interval" in mc.interval
    assert "'se'" not in mc.interval
    inv = briefs["investment"]
    jobs = inv.quantity("investment.jobs_total.2035")
    assert jobs.se is None and "Monte Carlo" in jobs.interval
    assert jobs.unit == "jobs" and (jobs.estimate or 0) > 0


def test_html_is_self_contained_and_accessible(briefs: dict[str, Brief]) -> None:
    for b in briefs.values():
        page = b.to_html()
        assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
        assert 'name="viewport"' in page and "Content-Security-Policy" in page
        assert "<script" not in page.lower()
        assert not re.search(r'(src|href)="(https?:)?//', page.split("<ol class=\"sources\">")[0])
        svgs = re.findall(r"<svg[^>]*>", page)
        assert len(svgs) == len(b.charts) >= 2
        for tag in svgs:
            assert 'role="img"' in tag and "aria-labelledby" in tag and 'width="100%"' in tag
        assert page.count("<title id=") == len(b.charts)
        for c in b.charts:
            # each toggle names its chart; the alt text is read once (figure caption only)
            assert page.count(f"<summary>Data table: {html.escape(c.title)}</summary>") == 1
            assert page.count(html.escape(c.alt)) == 1, c.id
        assert "<desc" not in page and "Data table for this chart" not in page
        for tag in svgs:
            assert re.search(r'aria-labelledby="[^" ]+"', tag), tag
        assert page.count("<table") == len(b.tables)
        assert page.count('scope="col"') > 10


def test_text_is_escaped() -> None:
    src = Source("s", "a <b>source</b>")
    q = Quantity("x", "<script>alert(1)</script>", 1.0, 0.1, 0.8, 1.2, 0.95, "ci", "units", "s",
                 "m")
    b = Brief(kind="gap", title="<img src=x onerror=alert(1)>", question="q?", answer="a",
              headline=(q,), quantities=(q,), tables=(), charts=(), method=("m",),
              caveats=(), sources=(src,), dataset={"name": "t"}, inputs={})
    page = b.to_html()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_brief_checks_references() -> None:
    q = Quantity("x", "x", 1.0, None, 0.5, 1.5, 0.9, "mc", "unit", "nowhere", "m")
    with pytest.raises(BriefError, match="cites source 'nowhere'"):
        Brief(kind="gap", title="t", question="q", answer="a", headline=(q,), quantities=(q,),
              tables=(), charts=(), method=(), caveats=(), sources=(), dataset={}, inputs={})


def test_chart_svg_is_accessible() -> None:
    svg = bars_with_intervals("c1", "Title & more", "Alt <text>", ["a", "b"],
                              {"s": ([1.0, 2.0], [0.5, 1.5], [1.5, 2.5])}, unit="minutes")
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert '<title id="c1-title">Title &amp; more</title>' in svg
    assert '<desc id="c1-desc">Alt &lt;text&gt;</desc>' in svg
    with pytest.raises(ValueError, match="chart id"):
        bars_with_intervals("1 bad", "t", "a", ["a"], {"s": ([1.0], [1.0], [1.0])}, unit="u")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "no_such_column"}, "not a domain of data set 'example'"),
        ({"by": ["age_group", "urban", "region"]}, "at most 2 domain variables"),
        ({"level": 1.5}, "confidence level between 0.5 and 0.999"),
        ({"y": "not_a_column"}, "is not an activity column"),
    ],
)
def test_gap_bad_inputs(registry: DatasetRegistry, kwargs: dict, message: str) -> None:
    with pytest.raises(BriefError, match=message):
        gap_brief(registry.survey("example"), dataset=registry.spec("example"), **kwargs)


def test_gap_two_domains(registry: DatasetRegistry) -> None:
    b = gap_brief(registry.survey("example"), dataset=registry.spec("example"),
                  by=["urban", "employed"], level=0.9)
    t = b.table("gap_by_domain")
    assert len(t.rows) == 2 * 2 * 5
    assert b.quantity("gap.gap").level == 0.9


def test_value_bad_inputs(registry: DatasetRegistry) -> None:
    s, spec = registry.survey("example"), registry.spec("example")
    with pytest.raises(BriefError, match="allowed any of"):
        value_brief(s, spec, methods=["magic"])
    with pytest.raises(BriefError, match="main = 'hybrid' must be one of"):
        value_brief(s, spec, methods=["generalist"])
    with pytest.raises(BriefError, match="draws = 1000000000; allowed a whole number from 2"):
        value_brief(s, spec, draws=10**9)
    nowage = DatasetSpec(name="nowage", description="", source="x", kind="example")
    with pytest.raises(BriefError, match="has no \\[valuation\\] wages"):
        value_brief(s, nowage)


def test_investment_custom_ranges_and_errors() -> None:
    scn = example_scenario()
    b = investment_brief(scn, ranges=[ParameterRange("fiscal.propensity_to_consume", 0.7, 0.9)],
                         draws=200, seed=3, level=0.8)
    assert b.inputs["ranges"] == [{"path": "fiscal.propensity_to_consume", "low": 0.7,
                                   "high": 0.9, "mode": None, "dist": "uniform"}]
    # issue 13.14: the reader-facing table names the parameter in words (the path stays in
    # the brief's inputs, above)
    assert b.table("uncertain_parameters").rows[0]["parameter"] == "Propensity to consume"
    with pytest.raises(BriefError, match="year = 1999"):
        investment_brief(scn, year=1999, draws=10)
    with pytest.raises(BriefError, match="draws"):
        investment_brief(scn, draws=1)


def test_investment_brief_shows_capital_replaced_spending_and_parents_when_used() -> None:
    scn = example_scenario()
    plain = investment_brief(scn, draws=20, seed=1)
    labels = [r["label"] for r in plain.table("investment_headline").rows]
    assert not any("Capital" in x or "Parents" in x or "replaced" in x for x in labels)
    first = scn.services[0]
    svc = dataclasses.replace(
        first, capital_cost_per_place=10_000.0, capital_sector="CON",
        replaced_spending_pct_gdp=0.05, parent_employment_per_person=0.1,
        parent_earnings_relative_to_average=0.6)
    rich = dataclasses.replace(scn, services=(svc, *scn.services[1:]))
    b = investment_brief(rich, draws=20, seed=1)
    rows = {r["label"]: r for r in b.table("investment_headline").rows}
    assert "Capital cost of new places (in the additional cost)" in rows
    assert "Jobs building and equipping new places" in rows
    assert "Current spending replaced by the new provision" in rows
    assert "Parents taking up paid work" in rows
    q = {x.id: x for x in b.quantities}
    yr = scn.target_year
    assert q[f"investment.parents_employed.{yr}"].estimate > 0
    # the tables add up to the headline numbers
    jobs = b.table("jobs").rows
    assert "Building new places" in [r["type"] for r in jobs]
    assert sum(r["total"] for r in jobs) == pytest.approx(q[f"investment.jobs_total.{yr}"].estimate)
    for r in b.table("net_funding").rows:
        assert r["gross"] - r["returns"] - r["replaced"] == pytest.approx(r["net"], abs=1e-9)
    for r in b.table("cost_path").rows:
        assert r["current"] - r["replaced"] + r["additional"] == pytest.approx(r["total"])
    assert "replaces" in b.answer and "capital" in " ".join(b.method)


def test_investment_brief_with_staff_grades_is_json_and_stable() -> None:
    from carecost.investment import StaffGrade

    scn = example_scenario()
    grades = (StaffGrade("teacher", 0.4, 1.1, None, 0.85),
              StaffGrade("assistant", 0.6, 0.7, None, 0.97))
    svc = dataclasses.replace(scn.services[0], staff_grades=grades,
                              wage_relative_to_average=0.4 * 1.1 + 0.6 * 0.7)
    rich = dataclasses.replace(scn, services=(svc, *scn.services[1:]))
    a, b = investment_brief(rich, draws=20, seed=1), investment_brief(rich, draws=20, seed=1)
    doc = json.loads(json.dumps(a.to_dict()))
    assert doc["inputs"]["scenario"]["services"][0]["staff_grades"][0]["name"] == "teacher"
    assert a.id == b.id != investment_brief(scn, draws=20, seed=1).id


def test_brief_id_is_stable(briefs: dict[str, Brief], registry: DatasetRegistry) -> None:
    again = gap_brief(registry.survey("example"), dataset=registry.spec("example"))
    assert again.id == briefs["gap"].id


def test_registry_names(registry: DatasetRegistry) -> None:
    for bad in ("../etc/passwd", "/tmp/x", "Example", "a" * 41, "", "x y", 3):
        with pytest.raises(BriefError, match="not valid"):
            registry.spec(bad)
    with pytest.raises(BriefError, match="unknown data set 'nope'; registered data sets"):
        registry.spec("nope")


def _small_dataset(tmp_path: Path) -> Path:
    from carecost.timeuse.example import example_data

    persons, episodes = example_data()
    keep = persons["psu"] <= 40
    p = persons[keep].drop(columns=[c for c in persons.columns if c.startswith("repw")])
    e = episodes[episodes["id"].isin(p["id"])]
    p.to_csv(tmp_path / "persons.csv", index=False)
    e.to_csv(tmp_path / "episodes.csv", index=False)
    spec = tmp_path / "small.toml"
    spec.write_text(
        '[dataset]\nname = "small"\nkind = "episodes"\ndescription = "subset"\n'
        'source = "test subset"\npersons = "persons.csv"\nepisodes = "episodes.csv"\n'
        'weights = "weight"\nstrata = "stratum"\npsu = "psu"\ndomains = ["urban"]\n'
        '[valuation]\ncurrency = "XCU"\nyear = 2025\ngeneralist = "domestic_housekeeper"\n'
        'wage_source = "test"\nemployer_rate = 0.15\nemployer_rate_source = "test"\n'
        '[valuation.wages]\ndomestic_housekeeper = 4.5\n'
        'domestic_cleaner = 4.5\ncook = 5.3\nhandyperson = 6.5\ngardener = 4.9\n'
        'animal_care_worker = 4.9\nhousehold_manager = 6.9\nchild_care_worker = 5.3\n'
        'personal_care_aide = 4.9\ndriver = 5.7\n', encoding="utf-8")
    return spec


def test_dataset_spec_from_toml(tmp_path: Path) -> None:
    spec = load_dataset_spec(_small_dataset(tmp_path))
    reg = DatasetRegistry.default()
    reg.register(spec)
    assert reg.names() == ["example", "small"]
    assert "persons" not in json.dumps(spec.describe())  # no paths in the public description
    b = gap_brief(reg.survey("small"), dataset=spec, by="urban")
    assert b.quantity("gap.gap").n == 1200
    v = value_brief(reg.survey("small"), spec, methods=["hybrid"], draws=50)
    assert v.quantity("value.hybrid.annual_value").unit == "XCU per year"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[dataset\nname=", "not valid TOML"),
        ("x = 1\n", "needs a \\[dataset\\] table"),
        ('[dataset]\nkind = "csv"\n', "dataset.kind = 'csv'"),
        ('[dataset]\nkind = "episodes"\npersons = "p.csv"\n', "dataset.episodes is missing"),
        ('[dataset]\nkind = "atus"\npath = "nowhere"\n', "not found"),
        ('[dataset]\nname = "../x"\nkind = "atus"\npath = "."\n', "is not valid"),
    ],
)
def test_dataset_spec_errors(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "spec.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError, match=message):
        load_dataset_spec(p)


def test_write_brief(briefs: dict[str, Brief], tmp_path: Path) -> None:
    files = write_brief(briefs["gap"], tmp_path / "new", formats=["json", "html"])
    assert json.loads(files["json"].read_text(encoding="utf-8"))["kind"] == "gap"
    assert files["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(BriefError, match="formats \\['docx'\\] unknown"):
        write_brief(briefs["gap"], tmp_path, formats=["docx"])


@pytest.mark.skipif(find_chromium() is None, reason="Chromium not installed (Debian: chromium)")
def test_pdf(briefs: dict[str, Brief], tmp_path: Path) -> None:
    files = write_brief(briefs["value"], tmp_path, formats=["pdf"])
    assert files["pdf"].read_bytes()[:5] == b"%PDF-"


# ------------------------------------------------------------------ review fixes
def test_gap_of_another_activity_is_not_sdg541(registry: DatasetRegistry) -> None:
    """Only the unpaid-care column is labelled and computed as SDG 5.4.1."""
    b = gap_brief(registry.survey("example"), dataset=registry.spec("example"), y="icatus_9",
                  by="urban")
    doc = b.to_dict()
    text = json.dumps({k: doc[k] for k in ("title", "question", "answer", "quantities",
                                           "tables", "charts")})
    assert "5.4.1" not in text and "unpaid domestic and care work" not in b.answer
    assert any("not computed" in p for p in b.method)
    assert not any(q.id.startswith("sdg541") for q in b.quantities)
    assert "sdg541" not in {s.id for s in b.sources}
    assert "self-care and maintenance" in b.answer.lower()
    assert "Self-care" in b.title and "Self-care" in b.charts[0].title
    assert b.quantity("gap.gap").method.startswith("Difference")
    assert "self-care" in b.quantity("gap.women").method.lower()
    unpaid = gap_brief(registry.survey("example"), dataset=registry.spec("example"), by=None)
    assert unpaid.quantity("sdg541.female").unit == "% of 24 hours"
    assert "unpaid domestic and care work" in unpaid.answer


def test_gap_y_must_be_an_activity_column(registry: DatasetRegistry) -> None:
    with pytest.raises(BriefError, match=r"not an activity column.*allowed:.*icatus_9"):
        gap_brief(registry.survey("example"), dataset=registry.spec("example"), y="age")


def _with_domain(registry: DatasetRegistry, name: str, values: object
                 ) -> tuple[object, DatasetSpec]:
    s = registry.survey("example")
    survey = dataclasses.replace(s, persons=s.persons.assign(**{name: values}),
                                 design=s.design.assign(**{name: values}))
    spec = dataclasses.replace(registry.spec("example"), domains=(name,))
    return survey, spec


def test_domain_keys_are_one_to_one(registry: DatasetRegistry) -> None:
    """'<45' and '45+' used to give the same key '45' and a 422 for a valid request."""
    from carecost.briefs._common import slug_part, unique_slugs

    assert slug_part("<45") != slug_part("45+")
    keys = unique_slugs(["a b", "a_b", "a-b", "A B", "<45", "45+", "a b"])
    assert len(set(keys.values())) == len(keys) == 6
    age = registry.survey("example").persons["age"].to_numpy()
    survey, spec = _with_domain(registry, "age2", [("<45" if a < 45 else "45+") for a in age])
    b = gap_brief(survey, dataset=spec, by="age2")  # type: ignore[arg-type]
    ids = [q.id for q in b.quantities]
    assert len(ids) == len(set(ids))
    assert b.quantity("gap.lt_45.gap").domain == {"age2": "<45"}
    assert b.quantity("gap.45_plus.gap").domain == {"age2": "45+"}
    # values whose readable keys clash still get distinct ids
    grp = ["x y" if i % 2 else "x_y" for i in range(len(age))]
    survey, spec = _with_domain(registry, "grp", grp)
    b = gap_brief(survey, dataset=spec, by="grp")  # type: ignore[arg-type]
    assert {q.domain.get("grp") for q in b.quantities} == {None, "x y", "x_y"}


def test_small_cells_are_flagged(briefs: dict[str, Brief]) -> None:
    """Age 15-24 has 17 women and 9 men in the example: flagged, never named as an extreme."""
    b = briefs["gap"]
    for stat in ("women", "men", "gap", "ratio", "women_share"):
        q = b.quantity(f"gap.15_24.{stat}")
        assert q.flags and "small sample: 17 women and 9 men" in q.flags[0]
    assert not b.quantity("gap.35_44.gap").flags and not b.quantity("gap.gap").flags
    assert b.quantity("sdg541.male.15_24").flags and not b.quantity("sdg541.male").flags
    rows = [r for r in b.table("gap_by_domain").rows if r["age_group"] == "15-24"]
    assert rows and all("small sample" in r["flags"] for r in rows)
    assert all(r["flags"] == "" for r in b.table("gap_by_domain").rows
               if r["age_group"] != "15-24")
    alt = b.charts[0].alt
    assert "largest for 15-24" not in alt and "smallest for 15-24" not in alt
    assert "marked * (15-24)" in alt and "15-24 *" in b.charts[0].svg
    gap_15 = b.quantity("gap.15_24.gap").estimate or 0
    assert gap_15 > max(b.quantity(f"gap.{a}.gap").estimate or 0
                        for a in ("25_34", "35_44", "45_54", "55_64", "65_plus"))
    sdg_alt = b.charts[1].alt
    low_men = fmt_number(b.quantity("sdg541.male.15_24").estimate)
    assert f"men: {low_men}%" not in sdg_alt and "marked * (15-24)" in sdg_alt
    assert "small sample: 17 women and 9 men" in b.to_html()


def test_example_value_scales_to_the_population(briefs: dict[str, Brief]) -> None:
    """Per-person value x the country's population aged 15+, not the survey's weight sum."""
    from importlib import resources

    import pandas as pd

    root = resources.files("carecost.investment") / "data" / "countries"
    country = tomllib.loads((root / "example.toml").read_text(encoding="utf-8"))
    pop = pd.read_csv(str(root / "example_population.csv"))
    m = country["macro"]
    derived = (m["working_age_women"]["value"] + m["working_age_men"]["value"]
               + pop[(pop["year"] == 2025) & (pop["age"] >= 65)]["population"].sum())
    ref = resources.files("carecost.briefs") / "data" / "example_valuation.toml"
    raw = tomllib.loads(ref.read_text(encoding="utf-8"))
    assert raw["population"]["value"] == pytest.approx(derived, abs=0.5)
    assert "sum to the population aged 15+" not in ref.read_text(encoding="utf-8")
    v = briefs["value"]
    per = v.quantity("value.hybrid.value_per_capita")
    total = v.quantity("value.hybrid.annual_value")
    assert total.estimate == pytest.approx((per.estimate or 0) * derived, rel=1e-9)
    assert total.se == pytest.approx((per.se or 0) * derived, rel=1e-9)
    share = v.quantity("value.hybrid.share_of_gdp")
    assert share.estimate == pytest.approx(100 * (total.estimate or 0) / 448.6e9, rel=1e-9)
    assert 20 < (share.estimate or 0) < 30  # was 3.9% with the survey's 3.3 M weight sum
    assert any("20.7 million persons" in p for p in v.method)
    mc = v.quantity("value.hybrid.annual_value.with_wage_uncertainty")
    assert (mc.ci_low or 0) < (total.estimate or 0) < (mc.ci_high or 0)
    assert (mc.ci_high or 0) / (total.estimate or 1) == pytest.approx(1.145, abs=0.03)


def test_value_wording(registry: DatasetRegistry) -> None:
    s, spec = registry.survey("example"), registry.spec("example")
    one = value_brief(s, spec, methods=["hybrid"], draws=50)
    assert "Across" not in one.answer
    mw = value_brief(s, spec, methods=["minimum_wage", "generalist"], main="minimum_wage",
                     draws=50)
    assert mw.answer.startswith("Valued at the hourly minimum wage")
    assert "hire workers" not in mw.answer and "Across the 2 methods" in mw.answer
    page = one.to_html()
    assert "95% Monte Carlo interval:" in page and "95% confidence interval:" in page


def _outside_case() -> Brief:
    # the scenario's income tax rate (0.12) is the bottom of the range: every draw has higher
    # fiscal returns than the central scenario, so central net funding lies above them all
    return investment_brief(example_scenario(), draws=200, seed=1, ranges=[
        ParameterRange("fiscal.income_tax_rate", 0.12, 0.2)])


def test_investment_intervals_are_raw_percentiles() -> None:
    from carecost.briefs import investment_analysis

    a = investment_analysis(example_scenario(), draws=200, seed=1, ranges=[
        ParameterRange("fiscal.income_tax_rate", 0.12, 0.2)])
    b = a.brief
    mc = a.monte_carlo.set_index(["measure", "year"])
    q = b.quantity("investment.net_funding.2035")
    assert q.ci_low == pytest.approx(mc.at[("net_funding", 2035), "ci_low"], rel=1e-12)
    assert q.ci_high == pytest.approx(mc.at[("net_funding", 2035), "ci_high"], rel=1e-12)
    assert (q.ci_high or 0) < (q.estimate or 0)  # not widened to include the central value
    assert q.flags and "outside its Monte Carlo percentile interval" in q.flags[0]
    assert any("outside its Monte Carlo percentile interval" in c for c in b.caveats)
    row = next(r for r in b.table("investment_headline").rows
               if r["label"] == "Net funding requirement" and r["unit"] == "XCU per year")
    assert "outside" in row["flags"]
    ok = b.quantity("investment.gross_cost.2035")  # the tax rate does not change the cost
    assert not ok.flags


def test_brief_id_changes_with_inputs(briefs: dict[str, Brief],
                                      registry: DatasetRegistry) -> None:
    s, spec = registry.survey("example"), registry.spec("example")
    gap_ids = {gap_brief(s, dataset=spec, **kw).id for kw in
               ({}, {"by": "urban"}, {"level": 0.9}, {"y": "icatus_3"})}
    assert len(gap_ids) == 4 and briefs["gap"].id in gap_ids
    val_ids = {value_brief(s, spec, draws=50, **kw).id for kw in
               ({}, {"seed": 1}, {"main": "generalist"}, {"methods": ["hybrid"]})}
    assert len(val_ids) == 4
    assert value_brief(s, spec, draws=50).id != value_brief(s, spec, draws=60).id
    assert spec.valuation is not None
    no_pop = dataclasses.replace(spec, valuation=dataclasses.replace(spec.valuation,
                                                                     population=None))
    assert value_brief(s, no_pop, draws=50).id != value_brief(s, spec, draws=50).id
    scn = example_scenario()
    tri = [ParameterRange("services.childcare_0_2.persons_per_staff", 3.0, 5.0,
                          dist="triangular")]
    svc = scn.services[0]
    assert svc.name == "childcare_0_2"
    nsi = dict(svc.non_staff_inputs or {"TRD": 1.0})
    other = {k: 0.0 for k in nsi}
    other[next(iter(nsi))] = 1.0
    if other == nsi:
        other = {"MAN": 1.0}
    changed = dataclasses.replace(scn, services=(dataclasses.replace(svc,
                                                 non_staff_inputs=other), *scn.services[1:]))
    ids = [investment_brief(scn, draws=20, ranges=tri).id,
           investment_brief(scn, draws=20, ranges=[dataclasses.replace(tri[0], mode=4.5)]).id,
           investment_brief(changed, draws=20, ranges=tri).id,
           investment_brief(scn, draws=20, ranges=tri, seed=5).id]
    assert len(set(ids)) == 4
    table = investment_brief(scn, draws=20, ranges=[dataclasses.replace(tri[0], mode=4.5)]
                             ).table("uncertain_parameters")
    assert "mode" in [c.name for c in table.columns] and table.rows[0]["mode"] == 4.5
    default = investment_brief(scn, draws=20, ranges=tri).table("uncertain_parameters")
    assert default.rows[0]["mode"] == pytest.approx(svc.persons_per_staff)


def test_charts_are_readable_on_a_phone(briefs: dict[str, Brief]) -> None:
    """On a 390 px phone a chart is about 358 px wide: its text must be >= 14 CSS px."""
    for b in briefs.values():
        for c in b.charts:
            width = float(re.search(r'viewBox="0 0 ([\d.]+) ', c.svg).group(1))  # type: ignore[union-attr]
            sizes = [float(x) for x in re.findall(r"font-size: ([\d.]+)px", c.svg)]
            assert sizes, c.id
            assert min(sizes) * 358 / width >= 14, (c.id, width, min(sizes))


def test_palette_has_non_text_contrast() -> None:
    from carecost.briefs.charts import PALETTE

    def lum(h: str) -> float:
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    for colour in PALETTE:
        assert 1.05 / (lum(colour) + 0.05) >= 3.0, colour
    assert "#E69F00" not in PALETTE and "#56B4E9" not in PALETTE


class _CountingSpec(DatasetSpec):
    calls = 0

    def load(self):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        raise OSError(2, "No such file or directory", "/srv/data/persons.csv")


def test_broken_dataset_fails_once_and_is_remembered() -> None:
    from carecost.briefs import DatasetUnavailableError

    reg = DatasetRegistry({"gone": _CountingSpec(name="gone", description="", source="x",
                                                 kind="persons")})
    for _ in range(3):
        with pytest.raises(DatasetUnavailableError, match="could not be loaded"):
            reg.survey("gone")
    assert _CountingSpec.calls == 1
    with pytest.raises(BriefError, match=r"persons\.csv"):
        reg.check("gone")


def test_dataset_with_missing_declared_columns_is_invalid(tmp_path: Path) -> None:
    spec_file = _small_dataset(tmp_path)
    text = spec_file.read_text(encoding="utf-8")
    spec_file.write_text(text.replace('domains = ["urban"]', 'domains = ["urban", "income"]'),
                         encoding="utf-8")
    reg = DatasetRegistry()
    reg.register(load_dataset_spec(spec_file))
    with pytest.raises(BriefError, match=r"dataset\.domains names \['income'\]"):
        reg.check("small")
    spec_file.write_text(text.replace('weights = "weight"', 'weights = "wgt"'), encoding="utf-8")
    reg.register(load_dataset_spec(spec_file))
    with pytest.raises(BriefError, match="wgt"):
        reg.check("small")


def test_binary_dataset_file(tmp_path: Path) -> None:
    blob = tmp_path / "data.toml"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(BriefError, match="not a TOML text file"):
        load_dataset_spec(blob)


# ------------------------------------------------------------------ issue 13
def test_titles_state_the_finding(briefs: dict[str, Brief]) -> None:
    """Issue 13.14: the title states the answer, not the question."""
    gap = briefs["gap"]
    ratio = gap.quantity("gap.ratio").estimate
    assert gap.title == f"Women do {fmt_number(ratio, digits=1)} times as much unpaid care " \
                        "work as men" == "Women do 1.6 times as much unpaid care work as men"
    share = briefs["value"].quantity("value.hybrid.share_of_gdp").estimate
    assert briefs["value"].title == (f"Unpaid care work is worth {fmt_number(share, digits=0)}% "
                                     "of GDP, valued at replacement cost (hybrid)")
    inv = briefs["investment"]
    gp = inv.quantity("investment.gross_cost_pct_gdp.2035").estimate
    assert inv.title.startswith(f"Extending care services by 2035 costs {fmt_number(gp)}% of GDP")
    for b in briefs.values():
        assert "?" not in b.title and b.question.endswith("?")


def test_a_ratio_below_one_names_men(registry: DatasetRegistry) -> None:
    from carecost.briefs.gap import _activity, _finding

    q = Quantity("r", "r", 0.5, 0.01, 0.48, 0.52, 0.95, "ci", "ratio", "s", "m")
    assert _finding(_activity("unpaid_care_work"), q) == ("Men do 2.0 times as much unpaid "
                                                          "care work as women")
    same = dataclasses.replace(q, estimate=1.02, ci_low=0.97, ci_high=1.07)
    assert "about the same" in _finding(_activity("unpaid_care_work"), same)


def test_uncertainty_in_plain_words(briefs: dict[str, Brief]) -> None:
    """Issue 13.14: "between 0.46% and 0.59% of GDP in 9 of 10 simulations"."""
    from carecost.briefs._format import plain_interval

    assert plain_interval(0.46, 0.59, 0.9, "90% Monte Carlo percentile interval",
                          "% of GDP") == "between 0.46% and 0.59% of GDP in 9 of 10 simulations"
    assert plain_interval(79.2, 92.1, 0.95, "95% design-based confidence interval", "minutes",
                          digits=0) == "between 79 and 92 minutes with 95% confidence"
    inv = briefs["investment"]
    gp = inv.quantity("investment.gross_cost_pct_gdp.2035")
    assert (f"between {fmt_number(gp.ci_low)}% and {fmt_number(gp.ci_high)}% of GDP in 9 of 10 "
            "simulations") in inv.answer
    assert "in 19 of 20 simulations" in briefs["value"].answer
    assert "with 95% confidence" in briefs["value"].answer
    gap = briefs["gap"].quantity("gap.gap")
    assert (f"between {fmt_number(gap.ci_low, digits=0)} and "
            f"{fmt_number(gap.ci_high, digits=0)} minutes with 95% confidence"
            ) in briefs["gap"].answer
    assert "CI" not in briefs["gap"].answer and "interval" not in inv.answer


def _reader_text(b: Brief) -> str:
    parts = [b.title, b.question, b.answer, *b.method, *b.caveats]
    for t in b.tables:
        if t.id == "inputs":  # the country data's own source texts, cited as given
            continue
        parts += [t.title, t.notes, *(c.label for c in t.columns)]
        parts += [str(v) for r in t.rows for v in r.values() if isinstance(v, str)]
    parts += [x for c in b.charts for x in (c.title, c.alt)]
    parts += [q.label for q in b.quantities] + [q.method for q in b.quantities]
    parts += [s.citation for s in b.sources if s.id in ("data", "wages", "gdp", "population")]
    return "\n".join(parts)


def test_no_internals_in_reader_text(briefs: dict[str, Brief]) -> None:
    """Issue 13.14: no replicate scale, internal column names or file paths for readers."""
    for b in briefs.values():
        text = _reader_text(b)
        for internal in ("scale 0.025", "centred on", ".toml", ".csv", "investment/data",
                         "carecost.investment", "repw", "icatus_", "services.", "fiscal.",
                         "domestic_housekeeper", "unpaid_care_work", "'example'"):
            assert internal not in text, (b.kind, internal)
    assert "160 replicate weights" in " ".join(briefs["gap"].method)
    assert "scale 0.025" in briefs["gap"].dataset["variance"]  # kept for machines


def test_one_colour_per_meaning(briefs: dict[str, Brief]) -> None:
    """Issue 13.14: women are the same colour in every chart, men too, and no other
    series takes their colours."""
    from carecost.briefs.charts import COLOURS

    women, men = COLOURS["Women"].lower(), COLOURS["Men"].lower()
    by_sex = [briefs["gap"].charts[0], briefs["gap"].charts[1],
              next(c for c in briefs["investment"].charts if c.id == "jobs"),
              next(c for c in briefs["investment"].charts if c.id == "comparison")]
    for c in by_sex:
        assert f"fill: {women}" in c.svg and f"fill: {men}" in c.svg, c.id
    others = [c for b in briefs.values() for c in b.charts if c not in by_sex]
    assert others
    for c in others:
        assert women not in c.svg and men not in c.svg, c.id
    cost = next(c for c in briefs["investment"].charts if c.id == "cost_path")
    assert COLOURS["Additional cost"].lower() in cost.svg
    assert len(set(COLOURS.values())) == len(set(COLOURS)) - 3  # three meanings share names


def test_charts_use_the_column_and_tables_scroll_on_a_phone(briefs: dict[str, Brief]) -> None:
    """Issue 13.14: charts fill the column on a desktop (with their caption beside them) and
    every table scrolls sideways inside its own region on a phone."""
    from importlib import resources

    css = (resources.files("carecost.briefs") / "templates" / "brief.css").read_text("utf-8")
    chart_rule = re.search(r"svg\.chart \{([^}]*)\}", css)
    assert chart_rule and "width: 100%" in chart_rule.group(1)
    assert "max-width" not in chart_rule.group(1)
    assert re.search(r"@media \(min-width: 48rem\) \{\s*figure\.figure \{ display: grid", css)
    assert re.search(r"\.table-wrap \{ overflow-x: auto", css)
    assert "position: sticky" in css  # the row labels stay in view while scrolling
    for b in briefs.values():
        page = b.to_html()
        for tag in re.findall(r"<svg[^>]*>", page):
            assert 'width="100%"' in tag and "viewBox=" in tag and "height=" not in tag
        assert page.count('<div class="table-wrap" role="region"') == page.count("<table") \
            == len(b.tables)


def test_investment_brief_says_synthetic_only_for_example_inputs() -> None:
    """Issue 13.9: with the user's own data the brief said the data were synthetic."""
    scn = example_scenario()
    b = investment_brief(scn, draws=20)
    assert "synthetic ('Exampleland')" in b.caveats[0]
    assert b.sources[0].synthetic and "Example data." in b.to_html()
    own = dataclasses.replace(scn, input_sources=tuple(
        dataclasses.replace(s, example=False) for s in scn.input_sources),
        data_warnings=("jobs use the synthetic example input-output table",))
    assert not own.uses_example_data
    ob = investment_brief(own, draws=20)
    assert not any("synthetic ('Exampleland')" in c for c in ob.caveats)
    assert not any(s.synthetic for s in ob.sources) and "Example data." not in ob.to_html()
    assert ob.caveats[0] == "Data: jobs use the synthetic example input-output table."
    half = dataclasses.replace(scn, input_sources=tuple(
        dataclasses.replace(s, example=s.input == "macro.gdp") for s in scn.input_sources))
    hb = investment_brief(half, draws=20)
    assert hb.caveats[0].startswith(f"1 of the {len(scn.input_sources)} inputs come from the "
                                    "synthetic example country ('Exampleland')")
    assert ": GDP." in hb.caveats[0]
    inputs = {r["input"]: r for r in hb.table("inputs").rows}
    assert inputs["GDP"]["origin"] == "country data (synthetic example)"
    assert "scenario" not in {r["origin"] for r in hb.table("inputs").rows}


def test_value_brief_shows_the_wage_basis(briefs: dict[str, Brief],
                                          registry: DatasetRegistry) -> None:
    """Issue 13.6: every result and brief says on which wage basis hours are valued."""
    v = briefs["value"]
    rows = v.table("value_by_method").rows
    assert {r["wage_basis"] for r in rows if r["method"].startswith("Replacement")} == {
        "gross wage plus employer social contributions (full labour cost)"}
    assert {r["wage_basis"] for r in rows if r["method"].startswith("Minimum")} == {
        "gross wage (before the employee's income tax and social contributions; employer "
        "social contributions not included)"}
    assert "employer social contributions of 15%" in v.method[0]
    assert v.quantity("value.hybrid.annual_value").method.endswith("(full labour cost)")
    s, spec = registry.survey("example"), registry.spec("example")
    assert spec.valuation is not None
    gross = dataclasses.replace(spec, valuation=dataclasses.replace(
        spec.valuation, valuation_basis="gross"))
    g = value_brief(s, gross, methods=["hybrid"], draws=20)
    full = v.quantity("value.hybrid.annual_value").estimate or 0
    assert (g.quantity("value.hybrid.annual_value").estimate or 0) * 1.15 == pytest.approx(full)
    assert "stated choice" in g.method[0]
    none = dataclasses.replace(spec, valuation=dataclasses.replace(spec.valuation,
                                                                   employer_rate=None))
    with pytest.raises(BriefError, match=r"add valuation\.employer_rate"):
        value_brief(s, none, methods=["hybrid"], draws=20)
    assert value_brief(s, none, methods=["minimum_wage"], main="minimum_wage", draws=20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('stata = "stratum"\n', r"unknown key 'stata' in \[dataset\]; did you mean strata\?"),
        ('weigths = "weight"\n', r"unknown key 'weigths' in \[dataset\]; did you mean weights"),
        ('path = "."\n', r"dataset.path is not used with kind = 'episodes'"),
        ('[valuation]\ncurency = "XCU"\n',
         r"unknown key 'curency' in \[valuation\]; did you mean currency\?"),
        ('[valuation.wages]\ncok = 5.0\n',
         r"unknown key 'cok' in \[valuation.wages\]; did you mean cook\?"),
        ('[valuaton]\ncurrency = "XCU"\n', r"'valuaton' at the top level; did you mean "
         r"\[valuation\]\?"),
        ('xyz = 1\n', r"unknown key 'xyz' in \[dataset\]; allowed keys: name, description"),
    ],
)
def test_unknown_keys_in_a_data_set_file(tmp_path: Path, text: str, message: str) -> None:
    """Issue 13.1: `stata = "stratum"` (for strata) silently dropped the strata."""
    (tmp_path / "p.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("id\n1\n", encoding="utf-8")
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "x"\nkind = "episodes"\npersons = "p.csv"\n'
                    f'episodes = "e.csv"\n{text}', encoding="utf-8")
    with pytest.raises(BriefError, match=message) as info:
        load_dataset_spec(spec)
    assert "docs/dataset-reference.md" in str(info.value)


def test_every_data_set_key_is_read() -> None:
    """The key list that the check uses is the one the loader reads (no key unlisted)."""
    import inspect

    from carecost.briefs import datasets

    src = inspect.getsource(datasets)
    # the loader, and the DatasetSpec properties the gap brief reads (age, sdg_population)
    read = (src.split("DATASET_KEYS")[0] + src.split("def load(")[1]
            + inspect.getsource(datasets.DatasetSpec))
    for k in datasets.DATASET_KEYS:
        assert f'"{k.name}"' in read, k
    fields = {f.name for f in dataclasses.fields(datasets.ValuationSpec)} - {"synthetic"}
    assert {k.name for k in datasets.VALUATION_KEYS} == fields


@pytest.mark.parametrize(("extra", "message"), [
    ("", r"dataset\.units is missing .*'hours_per_week'"),
    ('units = "hours"\n', r"dataset\.units = 'hours'; allowed 'minutes_per_day'"),
    ('units = "hours_per_week"\nsdg_population = "adults"\n',
     r"dataset\.sdg_population = 'adults'; allowed '15\+'"),
])
def test_person_data_sets_state_their_units(tmp_path: Path, extra: str, message: str) -> None:
    """A stylised survey's unit must be stated in its data-set file (issue 18: hours per week
    read as minutes per day gave an SDG 5.4.1 share 8.6 times too small), checked before any
    data is read."""
    from carecost.briefs import load_dataset_spec

    (tmp_path / "p.csv").write_text("id,sex,weight,care\n1,female,1,3\n", encoding="utf-8")
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "x"\nkind = "persons"\npersons = "p.csv"\n'
                    f'activities = ["care"]\n{extra}', encoding="utf-8")
    with pytest.raises(BriefError, match=message):
        load_dataset_spec(spec)

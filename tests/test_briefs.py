"""Briefs: JSON content (every number with uncertainty, unit, source, method), HTML structure,
data-set specs and bad inputs."""

from __future__ import annotations

import json
import math
import re
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
        assert doc["schema"] == "carecost.brief/1"
        assert doc["headline"] and doc["quantities"] and doc["charts"] and doc["sources"]
        src = {s["id"] for s in doc["sources"]}
        for q in doc["quantities"]:
            assert q["unit"] and q["method"] and q["interval"], q["id"]
            assert q["source"] in src
            assert q["estimate"] is not None and math.isfinite(q["estimate"]), q["id"]
            assert q["ci_low"] is not None and q["ci_high"] is not None, q["id"]
            assert q["ci_low"] <= q["estimate"] + 1e-9 * abs(q["estimate"]) + 1e-12
            assert q["estimate"] <= q["ci_high"] + 1e-9 * abs(q["estimate"]) + 1e-12
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
        assert page.count("<desc id=") == len(b.charts)
        assert page.count("Data table for this chart") == len(b.charts)
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
        ({"y": "not_a_column"}, "is not a time-use column"),
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
    with pytest.raises(BriefError, match="draws"):
        value_brief(s, spec, draws=10**9)
    nowage = DatasetSpec(name="nowage", description="", source="x", kind="example")
    with pytest.raises(BriefError, match="has no \\[valuation\\] wages"):
        value_brief(s, nowage)


def test_investment_custom_ranges_and_errors() -> None:
    scn = example_scenario()
    b = investment_brief(scn, ranges=[ParameterRange("fiscal.propensity_to_consume", 0.7, 0.9)],
                         draws=200, seed=3, level=0.8)
    assert b.inputs["ranges"] == [["fiscal.propensity_to_consume", 0.7, 0.9, "uniform"]]
    assert b.table("uncertain_parameters").rows[0]["parameter"] == "fiscal.propensity_to_consume"
    with pytest.raises(BriefError, match="year = 1999"):
        investment_brief(scn, year=1999, draws=10)
    with pytest.raises(BriefError, match="draws"):
        investment_brief(scn, draws=1)


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
        'wage_source = "test"\n[valuation.wages]\ndomestic_housekeeper = 4.5\n'
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

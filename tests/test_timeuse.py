"""carecost.timeuse: readers, validation, classification, indicators, example survey."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.survey import ReplicateDesign, ratio_of
from carecost.timeuse import (
    ClassificationError,
    Crosswalk,
    TimeUseError,
    bls_table1_crosswalk,
    bls_table1_rows,
    from_episodes,
    from_persons,
    gender_gap,
    icatus2016,
    read_atus,
    read_table,
    sdg_541,
    time_use_indicators,
)
from carecost.timeuse.example import (
    calibration_targets,
    example_data,
    example_survey,
    hadamard,
    sdr_factors,
)

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "atus_official"
REF = HERE / "reference"


@pytest.fixture(scope="module")
def example():
    return example_survey()


# ------------------------------------------------------------------ example survey
def test_example_diaries_sum_to_1440_and_are_reproducible(example) -> None:
    persons, episodes = example_data()
    assert (episodes.groupby("id")["duration"].sum() == 1440).all()
    assert (episodes["start"] >= 0).all() and (episodes["end"] <= 1440).all()
    p2, e2 = example_data()
    pd.testing.assert_frame_equal(persons, p2)
    pd.testing.assert_frame_equal(episodes, e2)
    assert example.report.complete == len(persons) == 3600


def test_example_is_calibrated_to_published_2012_averages(example) -> None:
    targets = calibration_targets()
    rows = [r for r in targets.index if r in example.persons.columns]
    res = example.design.mean(rows, by="sex")
    for _, r in res.iterrows():
        col = "women" if r["sex"] == "female" else "men"
        assert r["estimate"] / 60 == pytest.approx(targets.loc[r["variable"], col], abs=0.006)
    # published BLS 2012 (TED 2013-06-27): household activities women 2.17, men 1.29 hours
    hh = res[res["variable"] == "Household activities"].set_index("sex")["estimate"] / 60
    assert round(hh["female"], 2) == 2.17 and round(hh["male"], 2) == 1.29


def test_hadamard_and_sdr_factors() -> None:
    h = hadamard(160)
    np.testing.assert_array_equal(h @ h.T, 160 * np.eye(160))
    f = sdr_factors(120)
    assert set(np.round(np.unique(f), 12)) == set(np.round([1 - 2**-0.5, 1.0, 1 + 2**-0.5], 12))
    # SDR factors average to one over replicates
    np.testing.assert_allclose(f.mean(axis=1), 1.0, atol=0.05)


def test_example_design_is_sdr_with_160_replicates(example) -> None:
    d = example.design
    assert isinstance(d, ReplicateDesign)
    assert d.method == "sdr" and d.replicate_weights.shape[1] == 160
    assert d.scale == pytest.approx(4 / 160)


# ------------------------------------------------------------------ indicators
def test_sdg_541_is_mean_over_1440(example) -> None:
    s = sdg_541(example, by="sex").set_index("sex")
    m = example.design.mean("unpaid_care_work", by="sex").set_index("sex")
    np.testing.assert_allclose(s["estimate"], 100 * m["estimate"] / 1440, rtol=1e-12)
    np.testing.assert_allclose(s["se"], 100 * m["se"] / 1440, rtol=1e-12)
    with_sec = sdg_541(example, by="sex", secondary_childcare="secondary_childcare")
    assert (with_sec["estimate"].to_numpy() > s["estimate"].to_numpy()).all()


def test_time_use_indicators_are_consistent(example) -> None:
    t = time_use_indicators(example, "Caring for and helping household members", by="sex")
    w = t.pivot(index="sex", columns="indicator", values="estimate")
    np.testing.assert_allclose(w["hours_per_day"],
                               w["participation_pct"] / 100 * w["hours_per_participant"],
                               rtol=1e-12)
    np.testing.assert_allclose(w["annual_hours"], 365 * w["total_hours_per_day"], rtol=1e-12)


def test_gender_gap_matches_r_svycontrast() -> None:
    ref = pd.read_csv(REF / "gender_gap.csv")
    sdr = pd.read_csv(REF / "data" / "sdr_synth.csv")
    d = ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr", mse=True)
    overall = gender_gap(d, "y").assign(domain="all")
    by_age = gender_gap(d, "y", by="agegrp")
    by_age["domain"] = "agegrp=" + by_age["agegrp"]
    got = pd.concat([overall, by_age]).set_index(["domain", "statistic"])
    for _, r in ref.iterrows():
        g = got.loc[(r["domain"], r["statistic"])]
        np.testing.assert_allclose(g["estimate"], r["estimate"], rtol=1e-8)
        np.testing.assert_allclose(g["se"], r["se"], rtol=1e-8)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_gap_antisymmetric_and_ratio_equals_ratio_of_means(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 80
    df = pd.DataFrame({"sex": rng.choice(["female", "male"], n),
                       "y": rng.exponential(100, n) * (rng.random(n) < 0.8),
                       "w": rng.uniform(1, 5, n)})
    df.loc[:1, "sex"] = ["female", "male"]
    for r in range(6):
        df[f"r{r}"] = df["w"] * rng.uniform(0.5, 1.5, n)
    d = ReplicateDesign(df, "w", "r[0-9]", method="sdr")
    if (df.loc[df["sex"] == "male", "y"] == 0).all():
        return
    a = gender_gap(d, "y").set_index("statistic")
    b = gender_gap(d, "y", female="male", male="female").set_index("statistic")
    assert a.loc["gap", "estimate"] == pytest.approx(-b.loc["gap", "estimate"], rel=1e-12)
    assert a.loc["gap", "se"] == pytest.approx(b.loc["gap", "se"], rel=1e-12)
    assert a.loc["women_share", "estimate"] == pytest.approx(1 - b.loc["women_share", "estimate"])
    means = d.mean("y", by="sex")
    r = ratio_of(means, {"sex": "female"}, {"sex": "male"})
    assert a.loc["ratio", "estimate"] == pytest.approx(r["estimate"].iloc[0], rel=1e-12)
    assert a.loc["ratio", "se"] == pytest.approx(r["se"].iloc[0], rel=1e-12)


# ------------------------------------------------------------------ classification
LEXICON_CODES = ["010101", "010201", "020101", "020201", "020501", "020903", "030101", "040101",
                 "050101", "060101", "070101", "110101", "120303", "140101", "150101", "160101",
                 "180101", "180280", "180501", "181501", "500101", "189999", "100101"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.sampled_from(LEXICON_CODES),
                          st.integers(0, 300)), min_size=1, max_size=40))
def test_minutes_are_conserved_through_classification(eps) -> None:
    ep = pd.DataFrame(eps, columns=["id", "code", "dur"])
    cw = bls_table1_crosswalk()
    agg = cw.aggregate(ep, id_col="id", code_col="code", minutes_col="dur")
    rows = bls_table1_rows()
    majors = rows.loc[rows["parent"] == "", "activity"].tolist()
    np.testing.assert_allclose(agg[majors].sum(axis=1).to_numpy(),
                               ep.groupby("id", sort=False)["dur"].sum()
                               .reindex(agg.index).to_numpy())


def test_user_crosswalk_and_unmapped_codes_are_reported(tmp_path: Path) -> None:
    f = tmp_path / "cw.csv"
    f.write_text("source,target\n02,domestic\n03,care\n0301,care\n")
    cw = Crosswalk.from_csv(f, target="target", prefix="source", include=None)
    codes = pd.Series([20101, 30101, 50101, 50101])
    un = cw.unmapped(codes, np.array([10.0, 20.0, 30.0, 40.0]))
    assert un.to_dict("records") == [{"code": "050101", "rows": 2, "minutes": 70.0}]
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\n0x,domestic\n")
    with pytest.raises(ClassificationError, match="must be digits"):
        Crosswalk.from_csv(bad, target="target", prefix="source", include=None)


def test_icatus_classification_shipped() -> None:
    ic = icatus2016()
    majors = ic[ic["level"] == "major_division"]
    assert len(majors) == 9
    care = ic["unpaid_care_work"].astype(str).str.lower() == "true"
    assert set(ic.loc[care, "code"].str[0]) == {"3", "4"}
    assert set(majors.loc[care, "code"]) == {"3", "4"}


# ------------------------------------------------------------------ readers
def _episodes_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    persons = pd.DataFrame({"pid": [1, 2], "sex": ["female", "male"], "wt": [2.0, 3.0]})
    ep = pd.DataFrame({"pid": [1, 1, 2, 2], "act": ["020101", "010101", "010101", "050101"],
                       "start": [0, 100, 0, 900], "end": [100, 1440, 900, 1440]})
    return persons, ep


def test_from_episodes_start_end_and_duration_agree() -> None:
    persons, ep = _episodes_fixture()
    a = from_episodes(ep, persons, id="pid", code="act", duration=None, start="start",
                      end="end", weights="wt")
    ep2 = ep.assign(dur=ep["end"] - ep["start"])
    b = from_episodes(ep2, persons, id="pid", code="act", duration="dur", weights="wt")
    pd.testing.assert_frame_equal(a.persons, b.persons)
    assert a.persons["Household activities"].tolist() == [100.0, 0.0]
    assert "weights-only" in a.variance


def test_from_episodes_validation_errors() -> None:
    persons, ep = _episodes_fixture()
    kw = {"id": "pid", "code": "act", "weights": "wt"}
    overl = ep.copy()
    overl.loc[1, "start"] = 50
    with pytest.raises(TimeUseError, match="overlap"):
        from_episodes(overl, persons, duration=None, start="start", end="end", **kw)
    neg = ep.assign(dur=[100, -5, 900, 540])
    with pytest.raises(TimeUseError, match="1 negative durations"):
        from_episodes(neg, persons, duration="dur", **kw)
    dup = pd.concat([persons, persons.iloc[[0]]])
    with pytest.raises(TimeUseError, match="1 duplicate ids"):
        from_episodes(ep.assign(dur=1), dup, duration="dur", **kw)
    orphan = ep.assign(dur=1, pid=[1, 1, 2, 9])
    with pytest.raises(TimeUseError, match="not in the person table"):
        from_episodes(orphan, persons, duration="dur", **kw)
    extra = pd.concat([persons, pd.DataFrame({"pid": [3], "sex": ["male"], "wt": [1.0]})])
    with pytest.raises(TimeUseError, match="1 persons have no diary"):
        from_episodes(ep.assign(dur=1), extra, duration="dur", **kw)
    badw = persons.assign(wt=[2.0, 0.0])
    with pytest.raises(TimeUseError, match="non-positive weights"):
        from_episodes(ep.assign(dur=1), badw, duration="dur", **kw)


def test_diary_policy() -> None:
    persons, ep = _episodes_fixture()
    short = ep.assign(dur=[100, 1300, 900, 540])
    kw = {"id": "pid", "code": "act", "duration": "dur", "weights": "wt"}
    with pytest.raises(TimeUseError, match="1 diaries do not sum to 1,440"):
        from_episodes(short, persons, diary_policy="error", **kw)
    with pytest.warns(UserWarning, match="1 fewer"):
        s = from_episodes(short, persons, diary_policy="report", **kw)
    assert s.report.short == 1 and s.report.min_minutes == 1400
    s = from_episodes(short, persons, diary_policy="keep", **kw)
    assert s.persons["diary_minutes"].tolist() == [1400.0, 1440.0]


def test_from_persons_and_file_formats(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"id": [1, 2, 3], "sex": ["female", "male", "female"], "w": [1.0, 2.0, 1.5],
                       "dom": [120.0, 60.0, 200.0], "care": [30.0, 0.0, 90.0]})
    df.to_csv(tmp_path / "p.csv", index=False)
    df.to_parquet(tmp_path / "p.parquet")
    pyreadstat.write_dta(df, str(tmp_path / "p.dta"))
    pyreadstat.write_sav(df, str(tmp_path / "p.sav"))
    for ext in ("csv", "parquet", "dta", "sav"):
        got = read_table(tmp_path / f"p.{ext}")
        pd.testing.assert_frame_equal(got[["dom", "care"]].astype(float), df[["dom", "care"]])
        # units= is required since issue 18 (hours per week were silently read as minutes)
        s = from_persons(got, activities={"dom": "domestic", "care": "caring"}, id="id",
                         weights="w", unpaid_care=["domestic", "caring"], units="minutes_per_day")
        m = s.design.mean("unpaid_care_work")["estimate"].iloc[0]
        assert m == pytest.approx(np.average([150, 60, 290], weights=[1, 2, 1.5]))
    (tmp_path / "p.xlsx").touch()
    with pytest.raises(TimeUseError, match="unknown file type"):
        read_table(tmp_path / "p.xlsx")
    bad = df.assign(dom=[120.0, np.nan, 1.0])
    with pytest.raises(TimeUseError, match="1 missing or non-numeric values"):
        from_persons(bad, activities=["dom"], id="id", weights="w", units="minutes_per_day")


# ------------------------------------------------------------------ official BLS files
def test_read_official_bls_files_with_replicate_weights() -> None:
    s = read_atus(FIXTURE)
    assert isinstance(s.design, ReplicateDesign)
    assert s.design.replicate_weights.shape == (4, 160)
    p = s.persons.set_index("TUCASEID")
    # respondent 20120101120456: 020201 (60) + 020101 (45) minutes of household activities;
    # 030101 (90) + 030102 (60) caring for household children; travel 180301 (20) goes to the
    # caring row, not the children sub-row
    assert p.loc[20120101120456, "Household activities"] == 105
    assert p.loc[20120101120456, "Caring for and helping household members"] == 170
    assert p.loc[20120101120456, "Caring for and helping household children"] == 150
    assert p.loc[20120101120456, "sex"] == "female"
    assert s.report.short == 1 and s.report.min_minutes == 1430
    # SDR variance by hand: 4/160 * sum (theta_r - theta)^2
    w = pd.read_csv(FIXTURE / "atuswgts_0316.dat").set_index("TUCASEID").loc[p.index]
    y = p["Household activities"].to_numpy()
    full = np.average(y, weights=p["TUFNWGTP"])
    reps = (w.to_numpy() * y[:, None]).sum(0) / w.to_numpy().sum(0)
    res = s.design.mean("Household activities")
    assert res["estimate"].iloc[0] == pytest.approx(full, rel=1e-12)
    assert res["se"].iloc[0] ** 2 == pytest.approx(4 / 160 * ((reps - full) ** 2).sum(), rel=1e-10)


def test_read_official_bls_zip_archives(tmp_path: Path) -> None:
    for f in FIXTURE.glob("*.dat"):
        with zipfile.ZipFile(tmp_path / f"{f.stem.split('_')[0]}-0316.zip", "w") as zf:
            zf.write(f, arcname=f.name)
    a = read_atus(tmp_path)
    b = read_atus(FIXTURE)
    pd.testing.assert_frame_equal(a.persons, b.persons)


def test_read_atus_errors(tmp_path: Path) -> None:
    with pytest.raises(TimeUseError, match="no ATUS files found"):
        read_atus(tmp_path)
    shutil.copy(FIXTURE / "atusact_0316.dat", tmp_path)
    with pytest.raises(TimeUseError, match="official ATUS files not found"):
        read_atus(tmp_path)


def test_gender_gap_keeps_domains_with_one_sex() -> None:
    df = pd.DataFrame({"sex": ["female", "male", "female", "female"], "g": ["a", "a", "b", "b"],
                       "y": [10.0, 4.0, 6.0, 8.0], "w": [1.0, 1.0, 1.0, 3.0]})
    from carecost.survey import Design

    out = gender_gap(Design(df, weights="w"), "y", by="g").set_index(["g", "statistic"])
    assert out.loc[("a", "gap"), "estimate"] == pytest.approx(6.0)
    assert out.loc[("b", "women"), "estimate"] == pytest.approx(7.5)
    assert np.isnan(out.loc[("b", "men"), "estimate"]) and np.isnan(out.loc[("b", "gap"),
                                                                            "estimate"])
    assert out.loc[("b", "women"), "n"] == 2 and out.loc[("b", "men"), "n"] == 0


@pytest.mark.parametrize("as_type", ["float", "str", "padded"])
def test_codes_read_as_floats_or_text_classify_like_integers(as_type: str) -> None:
    persons, ep = _episodes_fixture()
    ep = ep.assign(dur=ep["end"] - ep["start"], act=ep["act"].astype(int))
    base = from_episodes(ep, persons, id="pid", code="act", duration="dur", weights="wt")
    conv = {"float": ep["act"].astype(float), "str": ep["act"].astype(str),
            "padded": ep["act"].astype(str).str.zfill(6)}[as_type]
    other = from_episodes(ep.assign(act=conv), persons, id="pid", code="act", duration="dur",
                          weights="wt")
    pd.testing.assert_frame_equal(base.persons, other.persons)
    assert other.persons["Household activities"].tolist() == [100.0, 0.0]


def test_bad_codes_are_errors() -> None:
    persons, ep = _episodes_fixture()
    ep = ep.assign(dur=ep["end"] - ep["start"])
    for bad in ([20101.5, 10101, 10101, 50101], ["02x101", "010101", "010101", "050101"],
                [1234567, 10101, 10101, 50101]):
        with pytest.raises(ClassificationError):
            from_episodes(ep.assign(act=bad), persons, id="pid", code="act", duration="dur",
                          weights="wt")


def test_unmapped_codes_warn_and_are_reported() -> None:
    persons, ep = _episodes_fixture()
    ep = ep.assign(dur=ep["end"] - ep["start"], act=["020101", "010101", "010101", "999999"])
    with pytest.warns(UserWarning, match="1 activity codes are outside the crosswalk"):
        s = from_episodes(ep, persons, id="pid", code="act", duration="dur", weights="wt",
                          icatus=False)
    assert s.report.unmapped_codes.to_dict("records") == [
        {"code": "999999", "rows": 1, "minutes": 540.0}]


def test_gender_gap_in_blocks_equals_one_pass(monkeypatch, example) -> None:
    import carecost.timeuse.indicators as ind

    one = gender_gap(example.design, "unpaid_care_work", by=["region", "age_group"])
    monkeypatch.setattr(ind, "GAP_CHUNK", 5)
    blocks = gender_gap(example.design, "unpaid_care_work", by=["region", "age_group"])
    pd.testing.assert_frame_equal(one.drop(columns="df"), blocks.drop(columns="df"),
                                  rtol=1e-10)
    assert (blocks["df"] == one["df"]).all()

"""Time-use indicators and the valuation on both design backends (issue 14, items 1 and 6).

Each caller of the survey core (``gender_gap``, ``sdg_541``, ``time_use_indicators``,
``value_unpaid_work``) runs on an in-memory design and on the same design over a Dask
DataFrame (``dd.from_pandas(..., npartitions=3)``); the numbers are checked against hand
computations, and bad input is a :class:`~carecost.timeuse.TimeUseError`, not a bare
``ValueError``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carecost.errors import CarecostInputError
from carecost.survey import Design, Estimate, ReplicateDesign
from carecost.timeuse import TimeUseError, from_persons, gender_gap, sdg_541, time_use_indicators
from carecost.timeuse.indicators import bls_table1
from carecost.valuation import (
    ActivityMap,
    Generalist,
    OpportunityCost,
    ValuationError,
    value_unpaid_work,
)

dd = pytest.importorskip("dask.dataframe")

BACKENDS = ["memory", "dask"]
REPS = [f"r{j:02d}" for j in range(8)]


@pytest.fixture(scope="module")
def persons() -> pd.DataFrame:
    rng = np.random.default_rng(14)
    n = 600
    df = pd.DataFrame({
        "id": np.arange(n),
        "sex": rng.choice(["female", "male"], n),
        "age": rng.choice(["15-39", "40+"], n),
        "care": np.round(rng.exponential(90, n) * (rng.random(n) < 0.85)),
        "cook": np.round(rng.exponential(40, n)),
        "w": rng.uniform(100, 600, n),
        "tuyear": 2016,
    })
    for r in REPS:
        df[r] = df["w"] * rng.uniform(0.5, 1.5, n)
    return df


def _design(persons: pd.DataFrame, backend: str, **kw: object) -> ReplicateDesign:
    data = persons if backend == "memory" else dd.from_pandas(persons, npartitions=3)
    return ReplicateDesign(data, "w", REPS, method="sdr", **kw)  # type: ignore[arg-type]


def _mean(p: pd.DataFrame, y: np.ndarray, dom: np.ndarray) -> tuple[float, np.ndarray]:
    """Full-sample and replicate weighted means of y over a domain."""
    est = (p["w"] * dom * y).sum() / (p["w"] * dom).sum()
    reps = np.array([(p[r] * dom * y).sum() / (p[r] * dom).sum() for r in REPS])
    return float(est), reps


def _se(est: float, reps: np.ndarray) -> float:
    return float(np.sqrt(4 / len(REPS) * ((reps - est) ** 2).sum()))


@pytest.mark.parametrize("backend", BACKENDS)
def test_gender_gap_on_both_backends(persons, backend) -> None:
    res = gender_gap(_design(persons, backend), "care", by="age")
    assert isinstance(res, Estimate)
    y = persons["care"].to_numpy()
    for age in ("15-39", "40+"):
        a = (persons["age"] == age).to_numpy()
        f, fr = _mean(persons, y, a & (persons["sex"] == "female").to_numpy())
        m, mr = _mean(persons, y, a & (persons["sex"] == "male").to_numpy())
        got = res[res["age"] == age].set_index("statistic")
        assert got.loc["women", "estimate"] == pytest.approx(f, rel=1e-10)
        assert got.loc["gap", "estimate"] == pytest.approx(f - m, rel=1e-10)
        assert got.loc["gap", "se"] == pytest.approx(_se(f - m, fr - mr), rel=1e-8)
        assert got.loc["ratio", "estimate"] == pytest.approx(f / m, rel=1e-10)
    info = res.estimate_info
    assert info is not None and info.df == len(REPS) - 1 and info.vcov is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_sdg_541_and_indicators_on_both_backends(persons, backend) -> None:
    d = _design(persons, backend, weights_unit="persons")
    y = persons["care"].to_numpy()
    everyone = np.ones(len(persons), dtype=bool)
    # population=None: since issue 18 sdg_541 restricts to ages 15+ by default, and this
    # fixture's "age" holds age groups, not years
    sdg = sdg_541(d, y="care", by=None, population=None)
    est, reps = _mean(persons, 100 * y / 1440, everyone)
    assert sdg["estimate"].iloc[0] == pytest.approx(est, rel=1e-10)
    assert sdg["se"].iloc[0] == pytest.approx(_se(est, reps), rel=1e-8)
    ind = time_use_indicators(d, "care").set_index("indicator")
    hpd, hreps = _mean(persons, y / 60, everyone)
    assert ind.loc["hours_per_day", "estimate"] == pytest.approx(hpd, rel=1e-10)
    assert ind.loc["hours_per_day", "se"] == pytest.approx(_se(hpd, hreps), rel=1e-8)
    part, _ = _mean(persons, (y > 0).astype(float), everyone)
    assert ind.loc["participation_pct", "estimate"] == pytest.approx(100 * part, rel=1e-10)
    total = (persons["w"] * y / 60).sum()
    assert ind.loc["total_hours_per_day", "estimate"] == pytest.approx(total, rel=1e-10)
    # persons weights: the annual total is the daily total x 365 (the design says "persons")
    assert ind.loc["annual_hours", "estimate"] == pytest.approx(365 * total, rel=1e-10)
    # person-day weights carried by the design: the weighted sum is already annual
    pdays = time_use_indicators(d.with_weights_unit("person_days"), "care")
    pdays = pdays.set_index("indicator")
    assert pdays.loc["annual_hours", "estimate"] == pytest.approx(total, rel=1e-10)


def test_time_use_input_errors_are_time_use_errors(persons) -> None:
    d = _design(persons, "memory")
    with pytest.raises(TimeUseError, match="weights_unit must be 'persons' or 'person_days'"):
        time_use_indicators(d, "care", weights_unit="people")
    with pytest.raises(TimeUseError, match="column\\(s\\) \\['nope'\\] not found"):
        time_use_indicators(d, "nope")
    with pytest.raises(TimeUseError, match="the design says its weights count 'persons'"):
        time_use_indicators(d.with_weights_unit("persons"), "care", weights_unit="person_days")
    with pytest.raises(TimeUseError, match="days_per_year"):
        time_use_indicators(d, "care", days_per_year=0)
    with pytest.raises(TimeUseError, match="not found"):
        gender_gap(d, "care", sex="gender")
    # units= is required since issue 18
    survey = from_persons(persons, activities=["care", "cook"], id="id", weights="w",
                          units="minutes_per_day")
    # before: a bare ValueError
    with pytest.raises(TimeUseError, match="no diaries for year 2003"):
        bls_table1(survey, 2003, rows=["care"])
    with pytest.raises(CarecostInputError):
        bls_table1(survey, 2003, rows=["care"])


def test_time_use_survey_stamps_its_weights_unit_on_the_design(persons) -> None:
    import dataclasses

    # units= is required since issue 18
    survey = from_persons(persons, activities=["care", "cook"], id="id", weights="w",
                          units="minutes_per_day")
    assert survey.weights_unit == "persons" and survey.design.weights_unit == "persons"
    atus_like = dataclasses.replace(survey, weights_unit="person_days")
    sub = atus_like.design.subset(lambda f: f["sex"] == "female")
    assert sub.weights_unit == "person_days"  # before: subset designs had no unit at all
    with pytest.raises(TimeUseError, match="weights_unit must be"):
        dataclasses.replace(survey, weights_unit="people")


# ------------------------------------------------------------------------- valuation
@pytest.fixture(scope="module")
def amap() -> ActivityMap:
    return ActivityMap.from_records([
        {"group": "care", "columns": "care", "occupation": "carer"},
        {"group": "cooking", "columns": "cook", "occupation": "cook"},
    ])


@pytest.mark.parametrize("backend", BACKENDS)
def test_value_unpaid_work_on_both_backends(persons, amap, backend) -> None:
    """Before: valuation refused Dask designs; now the weights unit comes from the design."""
    d = _design(persons, backend, weights_unit="persons")
    wage = Generalist(10.0, "USD", 2016, "gross_plus_employer")
    v = value_unpaid_work(d, amap, wage, year=2016, currency="USD")
    assert v.weights == "persons"
    tot = v.total().set_index("group")
    hours = (persons["care"] + persons["cook"]).to_numpy() / 60
    expect = 10.0 * 366 * (persons["w"] * hours).sum()  # 2016 has 366 days
    assert tot.loc["total", "estimate"] == pytest.approx(expect, rel=1e-10)
    est, reps = _mean(persons, 10.0 * 366 * hours * len(persons), np.ones(len(persons), bool))
    per_capita = v.per_capita().set_index("group")
    assert per_capita.loc["total", "estimate"] == pytest.approx(est / len(persons), rel=1e-10)
    assert per_capita.loc["total", "se"] == pytest.approx(_se(est, reps) / len(persons),
                                                         rel=1e-8)
    share = v.women_share()
    fem = (persons["sex"] == "female").to_numpy()
    assert share["estimate"].iloc[0] == pytest.approx(
        (persons["w"] * hours * fem).sum() / (persons["w"] * hours).sum(), rel=1e-10)
    sat = v.satellite_account().set_index(["group", "sex"])
    assert sat.loc[("total", "all"), "value"] == pytest.approx(expect, rel=1e-10)
    assert tot.estimate_info is not None and tot.estimate_info.weights_unit == "persons"
    with pytest.raises(ValuationError, match="the design says its weights count 'persons'"):
        value_unpaid_work(d, amap, wage, year=2016, currency="USD", weights="person_days")


def test_opportunity_cost_on_dask_is_one_clear_error(persons, amap) -> None:
    d = _design(persons, "dask", weights_unit="persons")
    with pytest.raises(ValuationError, match="needs the rows in memory"):
        value_unpaid_work(d, amap, OpportunityCost(wage="w", currency="USD", year=2016,
                                                   basis="net"),
                          year=2016, currency="USD")


def test_a_design_without_a_unit_still_needs_weights(persons, amap) -> None:
    d = Design(persons, weights="w")
    with pytest.raises(ValuationError, match="say what the weights count"):
        value_unpaid_work(d, amap, Generalist(10.0, "USD", 2016, "gross_plus_employer"),
                          year=2016, currency="USD")

"""Models, tables and calibration on the Dask backend: what runs from reductions over the
partitions (gaussian ``glm``, ``table``, ``var``, factor-level totals) equals the in-memory
result (itself checked against R survey 4.1.1), and what needs the rows in memory is one
clear error naming the call and what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, DesignError, ReplicateDesign, SurveyDesign

dd = pytest.importorskip("dask.dataframe")
REF = Path(__file__).parent / "reference"


def _api(name: str) -> pd.DataFrame:
    a = pd.read_csv(REF / "data" / name)
    a["yes"] = (a["sch.wide"] == "Yes").astype(float)
    return a


def pairs() -> dict[str, tuple[SurveyDesign, SurveyDesign]]:
    st, c1 = _api("apistrat.csv"), _api("apiclus1.csv")
    sdr = pd.read_csv(REF / "data" / "sdr_synth.csv")
    return {
        "strat": (Design(st, weights="pw", strata="stype", fpc="fpc"),
                  Design(dd.from_pandas(st, npartitions=3), weights="pw", strata="stype",
                         fpc="fpc")),
        "clus1": (Design(c1, weights="pw", psu="dnum", fpc="fpc"),
                  Design(dd.from_pandas(c1, npartitions=2), weights="pw", psu="dnum",
                         fpc="fpc")),
        "sdr": (ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr"),
                ReplicateDesign(dd.from_pandas(sdr, npartitions=2), "w", "repw[0-9]+",
                                method="sdr")),
    }


FORMULAS = {"strat": "api00 ~ ell + meals + stype + np.log(enroll)",
            "clus1": "api00 ~ ell + meals + mobility",
            "sdr": "y ~ x + sex + agegrp"}


@pytest.mark.parametrize("name", ["strat", "clus1", "sdr"])
def test_gaussian_glm_on_dask_equals_memory(name: str) -> None:
    mem, dk = pairs()[name]
    x, y = mem.glm(FORMULAS[name]), dk.glm(FORMULAS[name])
    assert list(y["term"]) == list(x["term"])
    np.testing.assert_allclose(y["estimate"], x["estimate"], rtol=1e-9)
    np.testing.assert_allclose(y["se"], x["se"], rtol=1e-9)
    np.testing.assert_allclose(y["df"], x["df"])
    vx, vy = x.vcov, y.vcov
    assert vx is not None and vy is not None
    np.testing.assert_allclose(vy, vx, rtol=1e-8, atol=1e-12 * np.abs(vx).max())


def test_glm_on_dask_subset_and_missing_values() -> None:
    mem, dk = pairs()["strat"]
    x = mem.subset("stype != 'H'").glm("api00 ~ ell + meals")
    y = dk.subset("stype != 'H'").glm("api00 ~ ell + meals")
    np.testing.assert_allclose(y["se"], x["se"], rtol=1e-9)
    holes = _api("apistrat.csv")
    holes.loc[::17, "ell"] = np.nan
    m2 = Design(holes, weights="pw", strata="stype", fpc="fpc")
    d2 = Design(dd.from_pandas(holes, npartitions=3), weights="pw", strata="stype", fpc="fpc")
    with pytest.raises(DesignError, match=r"missing value.*na='omit'"):
        d2.glm("api00 ~ ell")
    np.testing.assert_allclose(d2.glm("api00 ~ ell", na="omit")["se"],
                               m2.glm("api00 ~ ell", na="omit")["se"], rtol=1e-9)


def test_glm_on_dask_singular_matrix_names_the_term() -> None:
    _, dk = pairs()["strat"]
    d = dk.assign(ell2=lambda f: 2 * f["ell"])
    with pytest.raises(DesignError, match=r"singular.*\['ell2'\]"):
        d.glm("api00 ~ ell + ell2")


@pytest.mark.parametrize("name", ["strat", "sdr"])
def test_table_var_and_levels_on_dask_equal_memory(name: str) -> None:
    mem, dk = pairs()[name]
    a, b, y = ("stype", "awards", "api00") if name == "strat" else ("sex", "act", "y")
    pd.testing.assert_frame_equal(dk.table(a, b), mem.table(a, b), rtol=1e-12)
    pd.testing.assert_frame_equal(dk.table(a, total=10), mem.table(a, total=10), rtol=1e-12)
    for col in ("estimate", "se"):
        np.testing.assert_allclose(dk.var(y)[col], mem.var(y)[col], rtol=1e-10)
        np.testing.assert_allclose(dk.total(b, by=a)[col], mem.total(b, by=a)[col],
                                   rtol=1e-10)


@pytest.mark.parametrize("call", ["chisq", "ciprop", "poststratify", "rake", "calibrate",
                                  "to_replicates"])
def test_calls_that_need_rows_in_memory_are_clear_errors(call: str) -> None:
    _, dk = pairs()["strat"]
    calls = {
        "chisq": lambda: dk.chisq("stype", "awards"),
        "ciprop": lambda: dk.ciprop("yes"),
        "poststratify": lambda: dk.poststratify("stype", {"E": 4421, "H": 755, "M": 1018}),
        "rake": lambda: dk.rake({"stype": {"E": 4421, "H": 755, "M": 1018}}),
        "calibrate": lambda: dk.calibrate({"Intercept": 6194.0}),
        "to_replicates": lambda: dk.to_replicates("jkn"),  # type: ignore[attr-defined]
    }
    with pytest.raises(DesignError, match=f"{call} is not available on the Dask backend.*"
                                          "Compute the columns"):
        calls[call]()

"""Survey-weighted GLMs (``SurveyDesign.glm``) against R ``svyglm`` (survey 4.1.1).

Reference values: ``tests/reference/models.csv``, written by
``tests/reference/make_reference_models.R`` (IRLS run to full convergence, see the script).
Tolerance 1e-6 relative (the models bar of issue 19).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from carecost.survey import Design, DesignError, ReplicateDesign, SurveyDesign
from carecost.survey.models import fit_replicates

REF = Path(__file__).parent / "reference"
RTOL = 1e-6
MODELS = pd.read_csv(REF / "models.csv")


def _api(name: str) -> pd.DataFrame:
    a = pd.read_csv(REF / "data" / name)
    a["yes"] = (a["sch.wide"] == "Yes").astype(float)
    a["stu"] = a["api.stu"]
    return a


@cache
def designs() -> dict[str, SurveyDesign]:
    st, c1, c2 = _api("apistrat.csv"), _api("apiclus1.csv"), _api("apiclus2.csv")
    sdr = pd.read_csv(REF / "data" / "sdr_synth.csv")
    d: dict[str, SurveyDesign] = {
        "dstrat": Design(st, weights="pw", strata="stype", fpc="fpc"),
        "dclus1": Design(c1, weights="pw", psu="dnum", fpc="fpc"),
        "dclus2": Design(c2, psu=["dnum", "snum"], fpc=["fpc1", "fpc2"]),
        "dsdr": ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr", mse=True),
    }
    d["rclus1_jk1"] = d["dclus1"].to_replicates("jk1", mse=False)  # type: ignore[attr-defined]
    d["dstrat_yes"] = d["dstrat"].subset("`sch.wide` == 'Yes'")
    return d


@pytest.mark.parametrize("case", list(dict.fromkeys(MODELS["case"])))
def test_glm_matches_r_svyglm(case: str) -> None:
    ref = MODELS[MODELS["case"] == case]
    r0 = ref.iloc[0]
    got = designs()[r0["design"]].glm(r0["formula"], r0["family"])
    assert list(got["term"]) == list(ref["term"])
    for col in ("estimate", "se", "t", "p"):
        np.testing.assert_allclose(got[col].to_numpy(), ref[col].to_numpy(), rtol=RTOL,
                                   err_msg=f"{case}: {col}")
    assert (got["df"].to_numpy() == ref["df"].to_numpy()).all()
    np.testing.assert_allclose(np.sqrt(np.diag(got.vcov)), ref["se"].to_numpy(), rtol=RTOL)


def test_glm_intervals_use_residual_df() -> None:
    got = designs()["dclus1"].glm("api00 ~ ell + meals + stype")
    from scipy import stats

    crit = stats.t.ppf(0.975, got["df"].iloc[0])
    np.testing.assert_allclose(got["ci_high"] - got["estimate"], crit * got["se"], rtol=1e-12)


@pytest.mark.parametrize("family", ["gaussian", "quasibinomial", "quasipoisson"])
def test_vectorised_replicate_fits_equal_one_statsmodels_fit_per_replicate(family: str) -> None:
    d = designs()["dsdr"]
    assert isinstance(d, ReplicateDesign)
    frame = d.data
    x = np.column_stack([np.ones(len(frame)), (frame["sex"] == "male").to_numpy(float),
                         frame["x"].to_numpy(float) / 100])
    yname = {"gaussian": "y", "quasibinomial": "d", "quasipoisson": "y"}[family]
    y = frame[yname].to_numpy(float)
    w = d.replicate_weights[:, :7]
    fam = {"gaussian": sm.families.Gaussian(), "quasibinomial": sm.families.Binomial(),
           "quasipoisson": sm.families.Poisson()}[family]
    loop = np.column_stack([
        sm.GLM(y, x, family=fam, var_weights=w[:, r]).fit(tol=1e-13).params
        for r in range(w.shape[1])])
    start = sm.GLM(y, x, family=fam, var_weights=d.weights).fit().params
    np.testing.assert_allclose(fit_replicates(y, x, w, family, start), loop, rtol=1e-9)


def test_singular_design_matrix_names_the_aliased_term() -> None:
    d = designs()["dstrat"].assign(ell2=lambda f: 2 * f["ell"])
    with pytest.raises(DesignError, match=r"singular.*\['ell2'\]"):
        d.glm("api00 ~ ell + ell2 + meals")


def test_level_absent_from_subset_is_named() -> None:
    d = designs()["dstrat"].subset("stype != 'H'")
    with pytest.raises(DesignError, match=r"stype\[T\.H\]"):
        d.glm("api00 ~ ell + stype")


def test_missing_values_raise_or_are_omitted() -> None:
    d = designs()["dclus2"]
    with pytest.raises(DesignError, match=r"6 row.*missing.*na='omit'"):
        d.glm("api00 ~ enroll")
    omit = d.glm("api00 ~ enroll", na="omit")
    explicit = d.subset(d.data["enroll"].notna().to_numpy()).glm("api00 ~ enroll")
    np.testing.assert_allclose(omit["se"], explicit["se"], rtol=1e-12)


def test_bad_family_and_response_are_errors() -> None:
    d = designs()["dstrat"]
    with pytest.raises(DesignError, match="family must be one of"):
        d.glm("api00 ~ ell", "binomial")  # type: ignore[arg-type]
    with pytest.raises(DesignError, match=r"quasibinomial.*\[0, 1\].*'api00'"):
        d.glm("api00 ~ ell", "quasibinomial")
    with pytest.raises(DesignError, match="one numeric column"):
        d.glm("stype ~ ell", "quasibinomial")


def test_glm_on_dask_gaussian_runs_other_families_are_refused() -> None:
    """Gaussian fits run on Dask from sufficient statistics (tests/test_survey_dask_models.py
    compares them with memory); IRLS families are one clear refusal."""
    dd = pytest.importorskip("dask.dataframe")
    st = _api("apistrat.csv")
    d = Design(dd.from_pandas(st, npartitions=2), weights="pw", strata="stype")
    assert list(d.glm("api00 ~ ell")["term"]) == ["Intercept", "ell"]
    with pytest.raises(DesignError, match=r"glm\(family='quasibinomial'\) is not available on "
                                          r"the Dask backend.*compute"):
        d.glm("yes ~ ell", "quasibinomial")

"""carecost.investment.io on BEA's summary I-O tables in ../shared/data/io_bea (real data).

Reproduces BEA's published "Industry-by-Industry Total Requirements, After Redefinitions –
Summary" for 2018 (1997–2020 release) from the published Use and Make tables, and checks the
employment coefficients built from NIPA Table 6.5D (full-time equivalents, published
2019-07-30) against the totals quoted in the data folder's README.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.investment import IOModel, industry_total_requirements
from carecost.investment.io import nipa_fte_by_io_code, read_bea_matrix

SHARED = Path(
    os.environ.get(
        "CARECOST_SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
)
BEA = SHARED / "io_bea"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not (BEA / "bea_summary_use_pro_afterredef_2018.parquet").exists(),
        reason=f"BEA I-O data not found at {BEA} (set CARECOST_SHARED_DATA to the data folder)",
    ),
]

CARE = ["621", "622", "623", "624"]


def _tables(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    use = pd.read_parquet(BEA / f"bea_summary_use_pro_afterredef_{year}.parquet")
    make = pd.read_parquet(BEA / f"bea_summary_make_afterredef_{year}.parquet")
    return use, make


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return read_bea_matrix(
        pd.read_parquet(BEA / "bea_summary_ixi_total_requirements_published_2018.parquet")
    )


@pytest.fixture(scope="module")
def tr2018() -> pd.DataFrame:
    return industry_total_requirements(*_tables(2018))


@pytest.fixture(scope="module")
def model2018() -> IOModel:
    return IOModel.from_bea(BEA, 2018)


def test_reproduces_bea_published_2018_total_requirements(tr2018, published):
    assert tr2018.shape == (71, 71)
    pub = published.loc[tr2018.index, tr2018.columns]
    diff = (tr2018 - pub).abs()
    assert diff.to_numpy().max() < 5e-5  # measured 2.9e-5 at (313TT, 315AL)
    assert diff.to_numpy().mean() < 2e-6
    assert diff[CARE].to_numpy().max() < 5e-6  # care columns, measured 3.5e-6


def test_type_i_output_multipliers_match_published_column_sums(tr2018, published):
    ours = tr2018.sum(axis=0)
    pub = published.loc[tr2018.index, tr2018.columns].sum(axis=0)
    # 71 entries each within 5e-5: measured max 2.3e-4 (column 315AL); care columns 3.5e-5
    np.testing.assert_allclose(ours.to_numpy(), pub.to_numpy(), atol=3e-4)
    np.testing.assert_allclose(ours[CARE].to_numpy(), pub[CARE].to_numpy(), atol=5e-5)


def test_same_function_serves_2019():
    tr = industry_total_requirements(*_tables(2019))
    assert tr.shape == (71, 71)
    assert np.all(np.diag(tr.to_numpy()) >= 1.0)
    assert ((tr.sum(axis=0) > 1.0) & (tr.sum(axis=0) < 4.0)).all()


def test_bea_model_employment_and_multipliers(model2018, tr2018):
    np.testing.assert_allclose(model2018.L, tr2018.to_numpy(), atol=1e-12)
    fte = model2018.employment * model2018.output  # FTE by industry
    by_code = pd.Series(fte, index=model2018.sectors)
    # README: care-sector FTE 2018 (thousands) 6,825; 4,857; 3,075; 3,491
    np.testing.assert_allclose(by_code[CARE].to_numpy(), [6_825e3, 4_857e3, 3_075e3, 3_491e3])
    # all domestic FTE (NIPA line 2: 138,889 thousand) within NIPA's own rounding of lines
    assert abs(fte.sum() - 138_889e3) < 10e3
    mm = model2018.multipliers()
    assert (
        mm.loc[[*CARE, "23"], "employment_multiplier"]
        > mm.loc[[*CARE, "23"], "employment_coefficient"]
    ).all()
    # the care industries employ more FTE per $ million of final demand than construction
    assert (
        mm.loc[["623", "624"], "employment_multiplier"] > mm.loc["23", "employment_multiplier"]
    ).all()
    assert abs(model2018.consumption_shares.sum() - 1) < 1e-12


def test_nipa_split_of_aggregated_lines():
    nipa = pd.read_parquet(
        BEA / "nipa_section6_employment_compensation_by_industry_1998_2018.parquet"
    )
    comp = pd.Series({"HS": 1.0, "ORE": 3.0, "GFGD": 1.0, "GFGN": 1.0})
    fte = nipa_fte_by_io_code(nipa, 2018, comp)
    np.testing.assert_allclose(fte["HS"] + fte["ORE"], 1_553e3)  # NIPA "Real estate"
    np.testing.assert_allclose(fte["ORE"], 3 * fte["HS"])
    np.testing.assert_allclose(fte["GFGD"] + fte["GFGN"], 3_620e3)  # federal general government

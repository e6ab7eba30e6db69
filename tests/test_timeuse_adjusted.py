"""The adjusted unpaid-care gender gap (issue 19: "use it where it matters")."""

from __future__ import annotations

import warnings

import pytest

from carecost.timeuse import TimeUseError, adjusted_gap, gender_gap
from carecost.timeuse.example import example_survey


@pytest.fixture(scope="module")
def design():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return example_survey().design


def test_without_covariates_it_is_the_raw_gap(design) -> None:  # type: ignore[no-untyped-def]
    """The women's coefficient of y ~ woman is the difference of the two domain means, and its
    replicate standard error is that of the contrast (the same function of every replicate)."""
    raw = gender_gap(design, "unpaid_care_work")
    gap = raw[raw["statistic"] == "gap"].iloc[0]
    out = adjusted_gap(design, "unpaid_care_work", [])
    row = out[out["statistic"] == "raw_gap"].iloc[0]
    assert row["estimate"] == pytest.approx(gap["estimate"], rel=1e-10)
    assert row["se"] == pytest.approx(gap["se"], rel=1e-8)


def test_adjusted_for_age_employment_and_children(design) -> None:  # type: ignore[no-untyped-def]
    out = adjusted_gap(design, "unpaid_care_work",
                       ["C(age_group)", "C(employed)", "C(youngest_child)"]).set_index("statistic")
    raw, adj = out.loc["raw_gap"], out.loc["adjusted_gap"]
    assert adj["covariates"] == "C(age_group) + C(employed) + C(youngest_child)"
    assert adj["estimate"] != pytest.approx(raw["estimate"], rel=1e-6)
    assert 0 < adj["se"] and adj["ci_low"] < adj["estimate"] < adj["ci_high"]
    # the design df minus the extra coefficients (R svyglm's df.residual convention)
    assert adj["df"] < raw["df"]


def test_bad_columns_are_named(design) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeUseError, match="not found"):
        adjusted_gap(design, "no_such_minutes", [])
    with pytest.raises(TimeUseError, match=r"no rows with sex = 'woman'"):
        adjusted_gap(design, "unpaid_care_work", [], female="woman")

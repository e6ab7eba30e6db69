"""Respondents with another sex code (issue 21, item 13).

Before, ``gender_gap``, ``adjusted_gap`` and the gap brief left respondents coded e.g. "other"
(or with a missing sex) out of the women/men figures with no word; their number is now in the
results (``other_sex_n``, ``attrs["other_sex"]``, a warning) and in the brief.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from carecost.briefs.gap import gap_brief
from carecost.survey import Design
from carecost.timeuse import adjusted_gap, from_persons, gender_gap, other_sex


def _frame(sexes: list[object]) -> pd.DataFrame:
    n = len(sexes)
    return pd.DataFrame({"id": range(n), "w": 1.0, "sex": sexes, "age": 30.0 + np.arange(n),
                         "age_group": ["a", "b"] * (n // 2) + ["a"] * (n % 2),
                         "care": 60.0 + 10 * np.arange(n)})


SEXES = ["female", "male", "other", None, "female", "male", "female", "male"]


def test_gender_gap_reports_other_and_missing_sex_codes() -> None:
    d = Design(_frame(SEXES), weights="w")
    with pytest.warns(UserWarning, match=r"2 respondents have sex coded neither 'female' nor "
                                         r"'male' \(values: \['other', '<missing>'\]\)"):
        g = gender_gap(d, "care", by="age_group")
    assert g.attrs["other_sex"] == {"n": 2, "values": ["other", "<missing>"]}
    # ids 2 ("other") and 3 (missing) are in age groups a and b
    per = g.drop_duplicates("age_group").set_index("age_group")["other_sex_n"]
    assert per.to_dict() == {"a": 1, "b": 1}
    # the women/men figures are those of the women and men only
    women = g[(g["statistic"] == "women") & (g["age_group"] == "a")]["estimate"].iloc[0]
    assert women == pytest.approx(np.mean([60.0, 100.0, 120.0]))
    assert g[g["statistic"] == "gap"]["n"].sum() == 6
    with pytest.warns(UserWarning, match="adjusted_gap: 2 respondents"):
        a = adjusted_gap(d, "care", [])
    assert (a["other_sex_n"] == 2).all()


def test_no_warning_and_zero_counts_when_everybody_is_a_woman_or_a_man() -> None:
    d = Design(_frame(["female", "male"] * 4), weights="w")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = gender_gap(d, "care")
    assert (g["other_sex_n"] == 0).all() and g.attrs["other_sex"]["n"] == 0
    n, values, per = other_sex(d, by="age_group")
    assert (n, values) == (0, []) and per.empty and list(per.columns) == ["age_group", "n"]


def test_other_codes_counted_on_a_subset_only() -> None:
    d = Design(_frame(SEXES), weights="w")
    sub = d.subset(lambda f: f["age"] < 33)  # ids 0-2: one "other"
    n, values, _ = other_sex(sub)
    assert (n, values) == (1, ["other"])
    # recoding "other" as a third value the user names is respected
    n2, _, _ = other_sex(d, female="female", male="other")
    assert n2 == 4  # 3 "male" and the missing one


def test_the_gap_brief_states_the_count() -> None:
    sexes = [x if x is not None else "not stated" for x in SEXES]
    s = from_persons(_frame(sexes), activities=["care"], units="minutes_per_day",
                     weights="w", unpaid_care=["care"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stated in the brief, not only warned
        b = gap_brief(s, by="age_group")
    note = ("2 respondents with sex coded neither 'female' nor 'male' (values: not stated, "
            "other) are not in the women and men figures")
    assert note in b.answer
    assert any(c.startswith(note[:1].upper() + note[1:]) for c in b.caveats)
    clean = gap_brief(from_persons(_frame(["female", "male"] * 4), activities=["care"],
                                   units="minutes_per_day", weights="w",
                                   unpaid_care=["care"]), by=None)
    assert "neither" not in clean.answer and not any("neither" in c for c in clean.caveats)

"""The country brief (issue 17): hours, value, and a caveat when the value is very high."""

from __future__ import annotations

from carecost.briefs.country import HIGH_VALUE_PCT_GDP, _high_value_caveat, country_brief


def test_high_value_caveat_only_above_the_threshold() -> None:
    assert _high_value_caveat("X", HIGH_VALUE_PCT_GDP) == []
    assert _high_value_caveat("X", float("nan")) == []
    (text,) = _high_value_caveat("X", 59.07)
    assert "59.07%" in text and "overstated" in text


def test_country_brief_states_why_a_very_high_value_may_be_overstated() -> None:
    brief = country_brief("KEN", investment=False)
    values = [q.estimate for q in brief.quantities if q.id.endswith(".pct_gdp")]
    high = max(v for v in values if v is not None)
    assert any("overstated" in c for c in brief.caveats) == (high > HIGH_VALUE_PCT_GDP)


def test_country_brief_of_a_surveyed_country_has_hours_and_value() -> None:
    brief = country_brief("MEX", 2014, investment=False)
    ids = {q.id: q for q in brief.quantities}
    assert 6 < ids["country.hours_per_day.female"].estimate < 8
    assert 0 < ids["value.replacement_generalist.pct_gdp"].estimate < 30
    assert not any("overstated" in c for c in brief.caveats)

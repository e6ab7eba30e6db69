"""Jobs are full-time equivalents; employment rates count persons (issue 13, item 7).

BEA's employment multipliers are FTE (NIPA Table 6.5D) and the simulation's direct jobs are FTE
(staff hours needed over the hours of one member of staff), but employment rates are persons
over persons.  The simulation converts FTE to persons with the input–output model's persons
per FTE by sector (BEA: full- and part-time employees, Table 6.4D, per FTE employee) and
reports them as ``jobs_persons``; the rates and the benefit savings (per person) use persons.
Before the fix the rates divided FTE by persons.

Also issue 13, item 2 (model side): an unknown ``[comparison] sector`` is refused by
``simulate`` (before: accepted by ``simulate``, refused later by ``compare_sectors``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from carecost.investment import InvestmentInputError, example_io_model, example_scenario, simulate


def _run(ppf):
    model = dataclasses.replace(example_io_model(), persons_per_fte=np.asarray(ppf, float))
    scn = example_scenario()
    return scn, simulate(scn, model)


def test_example_model_states_its_units():
    m = example_io_model()
    assert m.employment_unit == "FTE"
    np.testing.assert_array_equal(m.persons_per_fte, np.ones(6))
    assert m.requirements == "as given" and "no imports" in m.provenance
    s = simulate(example_scenario()).summary
    np.testing.assert_allclose(s["jobs_persons"], s["jobs_total"], rtol=1e-12)


def test_uniform_persons_per_fte_scales_persons_rates_and_benefits():
    scn, res = _run(np.full(6, 2.0))
    s = res.summary.set_index("year").loc[scn.target_year]
    assert s["jobs_persons"] == pytest.approx(2 * s["jobs_total"], rel=1e-12)
    assert s["jobs_persons_women"] == pytest.approx(2 * s["jobs_women"], rel=1e-12)
    q = scn.macro.share_from_non_employment
    # persons over persons (before the fix: FTE over persons, half of this)
    assert s["women_emp_rate_change_pp"] == pytest.approx(
        100 * q * 2 * s["jobs_women"] / scn.macro.working_age_women, rel=1e-12
    )
    assert s["men_emp_rate_change_pp"] == pytest.approx(
        100 * q * 2 * s["jobs_men"] / scn.macro.working_age_men, rel=1e-12
    )
    f = scn.fiscal
    b_t = f.unemployment_benefit * (1 + scn.macro.real_wage_growth) ** (
        scn.target_year - scn.base_year
    )
    assert s["benefit_savings"] == pytest.approx(
        f.share_from_unemployment * b_t * s["jobs_persons"], rel=1e-12
    )


def test_persons_per_fte_by_sector():
    """1.25 persons per FTE in care (CAR), 1 elsewhere: persons = FTE + 0.25 x (direct staff,
    whose service sector is CAR, + the indirect and induced FTE in CAR)."""
    ppf = np.ones(6)
    ppf[example_io_model().index_of("CAR")] = 1.25
    scn, res = _run(ppf)
    yr = scn.target_year
    s = res.summary.set_index("year").loc[yr]
    js = res.jobs_by_sector
    car = js[(js["year"] == yr) & (js["sector"] == "CAR")]["jobs"].sum()
    assert s["jobs_persons"] == pytest.approx(
        s["jobs_total"] + 0.25 * (s["jobs_direct"] + car), rel=1e-10
    )
    assert s["jobs_persons"] > s["jobs_total"]


def test_persons_per_fte_must_be_positive():
    with pytest.raises(InvestmentInputError, match=r"persons_per_fte must be finite and >= 0\.001"):
        type(example_io_model()).from_coefficients(np.zeros((2, 2)), persons_per_fte=[1.0, 0.0])


@pytest.mark.parametrize(
    ("sector", "hint"),
    [("construction", r" \(did you mean 'CON', Construction\?\)"), ("XYZ", "")],
)
def test_unknown_comparison_sector_refused_by_simulate(sector, hint):
    scn = dataclasses.replace(example_scenario(), comparison_sector=sector)
    with pytest.raises(
        InvestmentInputError,
        match=rf"^comparison\.sector: sector = '{sector}' is not in the model{hint}; allowed "
        r"sector codes: AGR, MAN, CON, TRD, CAR, PUB; set \[comparison\] sector",
    ):
        simulate(scn)

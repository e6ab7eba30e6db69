"""One step per published equation, one definition of a scenario (issue 14, item 3).

The care-investment engine is a set of documented step functions
(:mod:`carecost.investment.steps`) composed by ``simulate``; the Monte Carlo and the
sensitivity analysis call the same functions over a leading draws axis.  The constraints
between keys are defined once (:data:`carecost.investment.fields.JOINT`) and used by the
loader, the Monte Carlo range check and the draw-by-draw check.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import tomllib
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.investment import (
    InvestmentInputError,
    ParameterRange,
    example_scenario,
    monte_carlo,
    scenario_from_dict,
    sensitivity,
    simulate,
    steps,
)
from carecost.investment import fields as fields_mod
from carecost.investment.fields import JOINT, JointConstraint, reference_markdown
from carecost.investment.model import (
    SUMMARY_MEASURES,
    JobTypes,
    ServiceOutcome,
    Summary,
    _evaluate,
    example_io_model,
    parameter_value,
)
from carecost.investment.uncertainty import check_joint_ranges

STEP_FUNCTIONS = [
    getattr(steps, name) for name in steps.__all__ if inspect.isfunction(getattr(steps, name))
]
#: Arguments that are objects or options, not quantities with a unit.
NOT_QUANTITIES = {"model", "method", "labels"}


def _section(doc: str, title: str) -> str:
    m = re.search(rf"\n\s*{title}\n\s*-+\n(.*?)(\n\s*\n\s*[A-Z][a-z]+\n\s*-+\n|\Z)", doc, re.S)
    return m.group(1) if m else ""


def _documented(params: str) -> dict[str, str]:
    """numpydoc ``name : type`` entries (names may be listed with commas) -> description."""
    out: dict[str, str] = {}
    names: list[str] = []
    for line in params.splitlines():
        head = re.match(r"^    (\w[\w, ]*?) :", line)
        if head:
            names = [n.strip() for n in head.group(1).split(",")]
            for n in names:
                out[n] = ""
        elif names:
            for n in names:
                out[n] += " " + line.strip()
    return out


@pytest.mark.parametrize("fn", STEP_FUNCTIONS, ids=lambda f: f.__name__)
def test_every_step_states_units_equation_and_source(fn):
    """pvlib style: every parameter documented with its unit in brackets, the equation, and
    the published source of the step."""
    doc = inspect.getdoc(fn) or ""
    doc = "\n" + doc.replace("\n", "\n    ")  # indent like the source for the section regex
    assert ".. math::" in doc, f"{fn.__name__}: no equation"
    assert _section(doc, "References").strip(), f"{fn.__name__}: no References section"
    params = _documented(_section(doc, "Parameters"))
    for name in inspect.signature(fn).parameters:
        assert name in params, f"{fn.__name__}: parameter {name!r} is not documented"
        if name not in NOT_QUANTITIES:
            assert re.search(r"\[[^\]]+\]", params[name]), (
                f"{fn.__name__}: parameter {name!r} has no unit in brackets: {params[name]!r}"
            )
    assert _section(doc, "Returns").strip(), f"{fn.__name__}: no Returns section"


def test_the_reference_sources_are_the_published_method():
    text = " ".join(inspect.getdoc(f) or "" for f in STEP_FUNCTIONS)
    for source in ("UN Women and ILO (2021), step 1", "UN Women and ILO (2021), step 2",
                   "UN Women and ILO (2021), step 3", "De Henau (2022", "eq. 2.25",
                   "eq. 2.11"):
        assert source in text


def test_steps_broadcast_over_a_leading_draws_axis():
    """A (D, 1) column of draws gives the same rows as D scalar calls."""
    model = example_io_model()
    need = np.array([[100.0, 200.0, 300.0]])
    phase = np.array([[0.0, 0.5, 1.0]])
    ratio = np.array([[4.0], [5.0], [8.0]])
    tax = np.array([[0.1], [0.2], [0.3]])

    def run(r, t):
        cov = steps.coverage(need, 0.1, 0.6, phase)
        staff = steps.staffing(cov.newly_covered, r, 40.0, 52.0, 40.0, 46.0, 0.2)
        comp = 30_000.0 * (staff.care_staff_fte + staff.other_staff_fte)
        jobs = staff.care_staff_fte + staff.other_staff_fte
        hh = steps.household_round(
            comp, jobs, jobs, 20_000.0, 500.0, model, method="type_ii", income_tax_rate=t,
            employee_contribution_rate=0.05, employer_contribution_rate=0.2,
            propensity_to_consume=0.8, indirect_tax_rate=0.1,
        )
        return staff.care_staff_fte, hh.jobs_induced

    fte, induced = run(ratio, tax)
    assert fte.shape == induced.shape == (3, 3)
    for i in range(3):
        one_fte, one_induced = run(float(ratio[i, 0]), float(tax[i, 0]))
        np.testing.assert_array_equal(fte[i], one_fte[0])
        np.testing.assert_array_equal(induced[i], one_induced[0])


def test_results_map_one_to_one_onto_the_typed_structures():
    """No renaming on output: the summary columns are the fields of Summary, the by-service
    columns those of ServiceOutcome, the job types those of JobTypes."""
    res = simulate(example_scenario("extended"))
    assert list(res.summary.columns) == ["year", *SUMMARY_MEASURES]
    assert SUMMARY_MEASURES == tuple(f.name for f in dataclasses.fields(Summary))
    assert list(res.by_service.columns) == [
        "year", "service", *(f.name for f in dataclasses.fields(ServiceOutcome))]
    assert list(res.jobs["type"].unique()) == [f.name for f in dataclasses.fields(JobTypes)]


def test_simulate_and_monte_carlo_call_the_same_steps(monkeypatch):
    """One implementation: a change to a step changes simulate and the Monte Carlo alike."""
    scn = example_scenario()
    ranges = [ParameterRange("services.childcare_0_2.persons_per_staff", 4.0, 4.0)]

    def target_year(mc, measure):
        sel = mc[(mc["measure"] == measure) & (mc["year"] == scn.target_year)]
        return float(sel["median"].iloc[0])

    base = simulate(scn).report().gross_cost
    assert target_year(monte_carlo(scn, ranges, draws=3), "gross_cost") == pytest.approx(
        base, rel=1e-12)
    original = steps.staffing

    @functools.wraps(original)  # the composer fills the step's arguments by their names
    def doubled(*args, **kwargs):
        out = original(*args, **kwargs)
        return steps.Staffing(2 * out.care_staff_fte, 2 * out.other_staff_fte)

    monkeypatch.setattr(steps, "staffing", doubled)
    patched = simulate(scn).report().gross_cost
    assert patched > 1.5 * base
    assert target_year(monte_carlo(scn, ranges, draws=3), "gross_cost") == pytest.approx(
        patched, rel=1e-12)
    sens = sensitivity(scn, ranges, measure="gross_cost")
    assert float(sens["base"].iloc[0]) == pytest.approx(patched, rel=1e-12)


def _raw() -> dict:
    ref = resources.files("carecost.investment") / "data" / "scenarios" / \
        "example_universal_care_2035.toml"
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def test_a_constraint_added_to_joint_is_checked_everywhere(monkeypatch):
    """Defined once: a new constraint in fields.JOINT alone is enforced by the loader, by the
    Monte Carlo before drawing, by the draw-by-draw check and shown on the reference page."""
    extra = JointConstraint(
        "services", ("services.persons_per_staff",), lambda r: np.asarray(r) <= 12.0,
        "{persons_per_staff.path} = {persons_per_staff.value}{where}; allowed at most 12",
        "`persons_per_staff <= 12`")
    monkeypatch.setattr(fields_mod, "JOINT", (*JOINT, extra))
    raw = _raw()
    raw["services"][0]["persons_per_staff"] = 20
    with pytest.raises(InvestmentInputError,
                       match=r"^services\.childcare_0_2\.persons_per_staff = 20; allowed at "
                       r"most 12$"):
        scenario_from_dict(raw)
    scn = example_scenario()
    with pytest.raises(InvestmentInputError,
                       match=r"services\.childcare_0_2\.persons_per_staff high = 15 at the ends "
                       r"of the Monte Carlo ranges"):
        monte_carlo(scn, [ParameterRange("services.childcare_0_2.persons_per_staff", 4, 15)])
    with pytest.raises(InvestmentInputError,
                       match=r"services\.\*\.persons_per_staff = 13 in draw 1; allowed at most "
                       r"12"):
        _evaluate(scn, example_io_model(),
                  {"services.*.persons_per_staff": np.array([[4.0], [13.0]])})
    assert "`persons_per_staff <= 12`" in reference_markdown()


@pytest.mark.parametrize(
    ("table", "change", "path", "draw"),
    [
        ("fiscal", {"share_from_unemployment": 0.6}, "macro.share_from_non_employment", 0.5),
        ("macro", {"employed_women": 9.5e6}, "macro.working_age_women", 9.4e6),
        ("fiscal", {"income_tax_rate": 0.95}, "fiscal.employee_contribution_rate", 0.08),
    ],
)
def test_the_loader_and_the_draws_give_the_same_message(table, change, path, draw):
    """Before the one definition, the loader and the draws had their own messages."""
    raw = _raw()
    partner_table, partner = path.split(".")
    raw.setdefault(partner_table, {})[partner] = draw
    raw.setdefault(table, {}).update(change)
    with pytest.raises(InvestmentInputError) as from_file:
        scenario_from_dict(raw)
    key = f"{table}.{next(iter(change))}"
    scn = example_scenario()
    # draw 0 keeps the scenario value (consistent), draw 1 has the file's value
    with pytest.raises(InvestmentInputError) as from_draws:
        _evaluate(scn, example_io_model(), {
            key: np.array([[parameter_value(scn, key)], [next(iter(change.values()))]]),
            path: np.array([[parameter_value(scn, path)], [draw]]),
        })
    assert str(from_draws.value) == str(from_file.value).replace(";", " in draw 1;", 1)


def test_monte_carlo_refuses_any_range_that_could_break_a_constraint():
    """Every constraint is checked on the ends of the ranges before drawing, not only the
    coverage, replaced-spending and capital ones."""
    scn = example_scenario()
    with pytest.raises(
        InvestmentInputError,
        match=r"^fiscal\.share_from_unemployment high = 0\.9 exceeds "
        r"macro\.share_from_non_employment low = 0\.5 at the ends of the Monte Carlo ranges "
        r"\(some draws would break it\); allowed range \[0, 0\.5\]",
    ):
        monte_carlo(scn, [ParameterRange("fiscal.share_from_unemployment", 0.1, 0.9),
                          ParameterRange("macro.share_from_non_employment", 0.5, 1.0)],
                    draws=20)
    with pytest.raises(InvestmentInputError,
                       match=r"fiscal\.income_tax_rate high \+ "
                       r"fiscal\.employee_contribution_rate = 0\.95 \+ 0\.08 > 1 at the ends"):
        monte_carlo(scn, [ParameterRange("fiscal.income_tax_rate", 0.1, 0.95)], draws=20)


@settings(max_examples=60, deadline=None)
@given(
    cur=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    u=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    q=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    seed=st.integers(0, 2**16),
)
def test_ranges_that_pass_the_check_give_only_consistent_draws(cur, u, q, seed):
    """Invariant: the check on the ends of the ranges (check_joint_ranges) refuses exactly
    the ranges with a combination of ends that breaks a constraint; when it passes, no draw
    breaks one (the constraints are monotone in each key)."""
    scn = example_scenario()
    ranges = [
        ParameterRange("services.childcare_0_2.current_coverage", *cur),
        ParameterRange("fiscal.share_from_unemployment", *u),
        ParameterRange("macro.share_from_non_employment", *q),
    ]
    target = scn.service("childcare_0_2").target_coverage
    breaks = cur[1] > target or u[1] > q[0]
    try:
        check_joint_ranges(scn, ranges)
    except InvestmentInputError as err:
        assert breaks, str(err)
        assert "at the ends of the Monte Carlo ranges" in str(err)
        return
    assert not breaks
    rng = np.random.default_rng(seed)
    draws = {pr.path: pr.draw(rng, 200, parameter_value(scn, pr.path)) for pr in ranges}
    _evaluate(scn, example_io_model(), draws)  # no draw breaks a constraint

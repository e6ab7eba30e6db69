"""The care-investment simulation: :func:`simulate` composes the steps of the method.

Every equation is one function of :mod:`carecost.investment.steps` (numpydoc with units,
the equation and its source: UN Women and ILO 2021 steps 1–3, De Henau 2022, Miller and
Blair 2009).  This module only composes them:

1. per service: need and coverage, staffing, wages and recurrent cost, the pay rise to the
   wage floor, capital cost of new places, public spending, direct jobs, indirect and
   capital jobs through the input–output model, parents taking up paid work;
2. summed over services: the household round (induced jobs), fiscal returns, employment
   rates and net funding.

The composition (:func:`_evaluate`) is vectorised over a leading draws axis, so
:func:`simulate` (one run), :func:`~carecost.investment.monte_carlo` and
:func:`~carecost.investment.sensitivity` (``D`` runs at once) and :func:`compare_sectors`
call the same step functions.  Step arguments named after scenario keys are filled by name
(:meth:`_Params.call`) from the scenario or from the draws that override it, so a new
parameter needs its field specification (:mod:`carecost.investment.fields`), its scenario
attribute and the step that uses it, and nothing here.  Results are typed: :class:`Summary`
has one field per summary measure (the columns of :attr:`SimulationResult.summary`) and
:class:`ServiceOutcome` one per column of :attr:`SimulationResult.by_service`.

References
----------
UN Women and ILO (2021). *A Guide to Public Investments in the Care Economy: Policy Support
Tool for Estimating Care Deficits, Investment Costs and Economic Returns*. New York/Geneva.
De Henau, J. (2022). *Costs and benefits of investing in transformative care policy
packages: A macrosimulation study in 82 countries*. ILO Working Paper 55.
doi:10.54394/AKYJ8893.
ILO (2022). *Care at Work: Investing in Care Leave and Services for a More Gender Equal
World of Work*. Geneva: ILO.
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed. Cambridge UP.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from . import steps
from ._validate import InvestmentInputError
from .fields import check_joint, fields_of
from .io import IOModel
from .scenario import Scenario, Service
from .steps import net_funding_requirement

__all__ = [
    "InvestmentReport",
    "JobTypes",
    "Outcome",
    "ServiceOutcome",
    "SimulationResult",
    "Summary",
    "compare_sectors",
    "country_io_model",
    "example_io_model",
    "io_model_for",
    "net_funding_requirement",
    "simulate",
]

Array = Any
Overrides = Mapping[str, np.ndarray]


# --------------------------------------------------------------------------------------------
# typed results: one field per measure, so nothing is renamed on output
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """The summary measures by year, one field per column of
    :attr:`SimulationResult.summary` (in its order); arrays of shape ``(D, T)`` or ``(1, T)``.

    Money in currency per year (constant base-year prices), jobs in the input–output model's
    employment unit (FTE), persons in persons, rates in percentage points.

    ``gross_cost`` and everything derived from it (jobs, returns, ``net_funding``) are the
    care services'.  ``leave_cost`` and ``breastfeeding_cost`` are the additional cost of
    the ``[[leave]]`` entitlements and of ``[breastfeeding]`` (transfers to parents: no jobs
    and no fiscal returns are counted for them; 0 without them); ``package_cost = gross_cost
    + leave_cost + breastfeeding_cost`` and ``package_net_funding = net_funding + leave_cost
    + breastfeeding_cost``.
    """

    gdp: Array
    gross_cost: Array
    gross_cost_pct_gdp: Array
    capital_cost: Array
    current_spending: Array
    replaced_spending: Array
    total_spending: Array
    total_spending_pct_gdp: Array
    newly_covered: Array
    newly_covered_in_year: Array
    jobs_direct_care: Array
    jobs_direct_other: Array
    jobs_direct: Array
    jobs_indirect: Array
    jobs_induced: Array
    jobs_capital: Array
    jobs_total: Array
    jobs_women: Array
    jobs_men: Array
    women_share_of_jobs: Array
    jobs_persons: Array
    jobs_persons_women: Array
    parents_employed: Array
    parents_employed_women: Array
    tax_direct_labour: Array
    tax_indirect_labour: Array
    tax_induced_labour: Array
    tax_capital_labour: Array
    tax_parents_labour: Array
    tax_consumption: Array
    benefit_savings: Array
    fiscal_returns: Array
    net_funding: Array
    net_funding_pct_gross: Array
    net_funding_pct_gdp: Array
    women_emp_rate_change_pp: Array
    men_emp_rate_change_pp: Array
    gender_gap_pp: Array
    gender_gap_change_pp: Array
    leave_cost: Array
    leave_cost_pct_gdp: Array
    breastfeeding_cost: Array
    breastfeeding_cost_pct_gdp: Array
    package_cost: Array
    package_cost_pct_gdp: Array
    package_net_funding: Array
    package_net_funding_pct_gdp: Array


#: Summary measures (the fields of :class:`Summary`, the columns of ``summary``).
SUMMARY_MEASURES = tuple(f.name for f in fields(Summary))

#: Summary measures in currency per year (what :meth:`SimulationResult.present_value` totals).
MONEY_MEASURES = (
    "gdp",
    "gross_cost",
    "capital_cost",
    "current_spending",
    "replaced_spending",
    "total_spending",
    "tax_direct_labour",
    "tax_indirect_labour",
    "tax_induced_labour",
    "tax_capital_labour",
    "tax_parents_labour",
    "tax_consumption",
    "benefit_savings",
    "fiscal_returns",
    "net_funding",
    "leave_cost",
    "breastfeeding_cost",
    "package_cost",
    "package_net_funding",
)


@dataclass(frozen=True)
class JobTypes:
    """Jobs held by women by type of job [FTE]: the field names are the ``type`` values of
    :attr:`SimulationResult.jobs`; the totals are the ``jobs_<type>`` fields of
    :class:`Summary`."""

    direct_care: Array
    direct_other: Array
    indirect: Array
    induced: Array
    capital: Array


@dataclass(frozen=True)
class ServiceOutcome:
    """One service by year, one field per column of :attr:`SimulationResult.by_service`."""

    need_population: Array
    coverage: Array
    newly_covered: Array
    newly_covered_in_year: Array
    care_staff_fte: Array
    other_staff_fte: Array
    care_wage: Array
    staff_cost: Array
    non_staff_cost: Array
    wage_upgrade_cost: Array
    places_built: Array
    capital_cost: Array
    parents_employed: Array
    gross_cost: Array
    current_spending: Array
    replaced_spending: Array


@dataclass(frozen=True)
class SectorJobs:
    """Indirect, capital and induced jobs by input–output sector, shape ``(n, T)`` [FTE]."""

    indirect: np.ndarray
    capital: np.ndarray
    induced: np.ndarray


@dataclass(frozen=True)
class Outcome:
    """Everything one evaluation of the model gives (see :func:`_evaluate`).

    Attributes
    ----------
    summary : Summary
    jobs_women : JobTypes
    services : dict of str to ServiceOutcome
        By service name (only with ``detail=True``).
    sectors : SectorJobs or None
        By sector, for the first row of the draws axis (only with ``detail=True``).
    transfers : dict of str to (kind, parent, TransferCost)
        Each ``[[leave]]`` entitlement by name and ``"breastfeeding"`` (only with
        ``detail=True``).
    """

    summary: Summary
    jobs_women: JobTypes
    services: dict[str, ServiceOutcome]
    sectors: SectorJobs | None
    transfers: dict[str, tuple[str, str, steps.TransferCost]] = field(default_factory=dict)


def example_io_model() -> IOModel:
    """The synthetic input–output table of the example country (``data/countries/example_io.csv``).

    Six sectors (agriculture, manufacturing, construction ``CON``, trade and services, care
    ``CAR``, public services), XCU million, made up for illustration; see ``SOURCES.md``.

    Stated assumptions of the synthetic table: it has no import data, so its flows and
    household consumption are taken as purchases of domestic output (``requirements = "as
    given"``; a real table needs imports removed, as :meth:`IOModel.from_bea` does); its
    employment is in full-time equivalents with one person per FTE in every sector
    (``persons_per_fte = 1``: no part-time work), so jobs and persons coincide.
    """
    ref = resources.files("carecost.investment") / "data" / "countries" / "example_io.csv"
    with ref.open("rb") as fh:
        t = pd.read_csv(fh)
    sec = list(t["sector"])
    return IOModel.from_flows(
        t[sec].to_numpy(dtype=float),
        t["output"].to_numpy(dtype=float),
        employment=t["employment"].to_numpy(dtype=float),
        compensation=t["compensation"].to_numpy(dtype=float),
        household_consumption=t["household_consumption"].to_numpy(dtype=float),
        female_share=t["female_share"].to_numpy(dtype=float),
        sectors=sec,
        names=list(t["name"]),
        currency="XCU",
        money_unit=1e6,
        employment_unit="FTE",
        provenance=(
            "synthetic example country (not real data; no imports: taken as a domestic table; "
            "one person per FTE); see SOURCES.md"
        ),
        persons_per_fte=np.ones(len(sec)),
    )


# --------------------------------------------------------------------------------------------
# parameter access (scenario values, or Monte Carlo / sensitivity overrides of shape (D, 1))
# --------------------------------------------------------------------------------------------
#: Numeric service keys that draws may vary (``services.<name>.<key>``).
SERVICE_NUMERIC = tuple(k for k, s in fields_of("services").items() if s.type == "number")
#: Numeric scenario-wide keys by name: their table (``macro``, ``fiscal`` or ``induced``).
SCENARIO_NUMERIC = {
    k: table
    for table in ("macro", "fiscal", "induced")
    for k, s in fields_of(table).items()
    if s.type == "number"
}


def parameter_value(scenario: Scenario, path: str) -> float:
    """Scalar value of a parameter path (``macro.x``, ``fiscal.x``, ``services.NAME.x``,
    ``induced.consumption_multiplier``) in ``scenario``."""
    parts = path.split(".")
    if parts[0] in ("macro", "fiscal") and len(parts) == 2:
        obj = getattr(scenario, parts[0])
        if not hasattr(obj, parts[1]):
            raise InvestmentInputError(f"parameter {path!r} does not exist")
        if getattr(obj, parts[1]) is None:
            raise InvestmentInputError(f"parameter {path!r} is not set in the scenario")
        return float(getattr(obj, parts[1]))
    if path == "induced.consumption_multiplier":
        return scenario.consumption_multiplier
    if parts[0] == "services" and len(parts) == 3:
        if parts[2] not in SERVICE_NUMERIC:
            raise InvestmentInputError(
                f"parameter {path!r}: {parts[2]!r} is not a numeric service field; allowed "
                f"{', '.join(SERVICE_NUMERIC)}"
            )
        names = [s.name for s in scenario.services] if parts[1] == "*" else [parts[1]]
        vals = {getattr(scenario.service(n), parts[2]) for n in names}
        if None in vals:
            raise InvestmentInputError(f"parameter {path!r} is not set in the scenario")
        if len(vals) > 1:
            raise InvestmentInputError(
                f"parameter {path!r}: the services have different values {sorted(vals)}; "
                "use services.<name>.<field> for each service"
            )
        return float(next(iter(vals)))
    raise InvestmentInputError(
        f"parameter {path!r} not recognised; allowed macro.<field>, fiscal.<field>, "
        "services.<name|*>.<field>, induced.consumption_multiplier"
    )


@functools.cache
def _parameters(fn: Callable[..., Any]) -> tuple[tuple[str, bool], ...]:
    """Names of ``fn``'s parameters and whether each has a default."""
    return tuple(
        (name, par.default is not inspect.Parameter.empty)
        for name, par in inspect.signature(fn).parameters.items()
    )


class _Params:
    """Parameter values: the scenario's, or Monte Carlo / sensitivity overrides of shape (D, 1).

    ``labels`` (optional, one per draw) name the draws in error messages.
    """

    def __init__(
        self,
        scenario: Scenario,
        overrides: Overrides | None,
        labels: Sequence[str] | None = None,
    ):
        self.s = scenario
        self.ov = dict(overrides or {})
        self.labels = labels
        for key in self.ov:
            if key.startswith("services."):
                parts = key.split(".")
                if len(parts) != 3 or parts[2] not in SERVICE_NUMERIC:
                    raise InvestmentInputError(
                        f"parameter {key!r} not recognised; allowed services.<name|*>.<field> with "
                        f"field in {', '.join(SERVICE_NUMERIC)}"
                    )
                if parts[1] != "*":
                    scenario.service(parts[1])
            else:
                parameter_value(scenario, key)

    def g(self, section: str, name: str) -> Array:
        key = f"{section}.{name}"
        if key in self.ov:
            return self.ov[key]
        if section == "induced":
            return self.s.consumption_multiplier
        return float(getattr(getattr(self.s, section), name))

    def key(self, svc: Service, name: str) -> str:
        """The parameter path that sets ``name`` for ``svc`` (an override, or the scenario's)."""
        for key in (f"services.{svc.name}.{name}", f"services.*.{name}"):
            if key in self.ov:
                return key
        return f"services.{svc.name}.{name}"

    def sv(self, svc: Service, name: str) -> Array | None:
        key = self.key(svc, name)
        if key in self.ov:
            return self.ov[key]
        v = getattr(svc, name)
        return None if v is None else float(v)

    def where(self, i: int) -> str:
        """Which run ``i`` is, for error messages."""
        if not self.ov:
            return "the scenario"
        if self.labels is not None:
            return self.labels[i]
        return f"draw {i}"

    def call(self, fn: Callable[..., Any], *args: Any, svc: Service | None = None,
             **given: Any) -> Any:
        """Call step ``fn``: arguments named after a scenario key are filled by name.

        Positional ``args`` and keyword ``given`` are passed as they are; every other
        parameter of ``fn`` named after a numeric key of ``svc`` (when given) or of the
        ``macro``, ``fiscal`` or ``induced`` table takes the key's value (the scenario's or
        the draws').  A parameter without default that is neither is a programming error.
        """
        for name, has_default in _parameters(fn)[len(args):]:
            if name in given:
                continue
            if svc is not None and name in SERVICE_NUMERIC:
                given[name] = self.sv(svc, name)
            elif name in SCENARIO_NUMERIC:
                given[name] = self.g(SCENARIO_NUMERIC[name], name)
            elif not has_default:
                raise TypeError(f"{fn.__name__}: no value for parameter {name!r}")
        return fn(*args, **given)

    def check_joint(self) -> None:
        """The constraints between keys (:data:`carecost.investment.fields.JOINT`), draw by
        draw: scenario files are validated on load, but draws change parameters one at a
        time.  The error names the parameters, their values and the offending draw."""
        for svc in self.s.services:

            def value_of(key: str, svc: Service = svc) -> tuple[str, Any]:
                name = key.split(".", 1)[1]
                if name in SERVICE_NUMERIC:
                    return self.key(svc, name), self.sv(svc, name)
                return f"services.{svc.name}.{name}", getattr(svc, name)

            check_joint("services", value_of, where=self.where)
        check_joint("scenario", lambda key: (key, self.g(*key.split("."))), where=self.where)


# --------------------------------------------------------------------------------------------
# the composition (vectorised over draws D and years T)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ServiceTotals:
    """What the services add up to before the household round: a typed sum over services
    (fieldwise ``+``, in scenario order from 0), internal to :func:`_evaluate`."""

    newly_covered: Array = 0.0
    newly_covered_in_year: Array = 0.0
    jobs_direct_care: Array = 0.0
    jobs_direct_other: Array = 0.0
    direct_care_women: Array = 0.0
    direct_other_women: Array = 0.0
    jobs_indirect: Array = 0.0
    indirect_women: Array = 0.0
    jobs_capital: Array = 0.0
    capital_women: Array = 0.0
    persons: Array = 0.0
    persons_women: Array = 0.0
    parents_employed: Array = 0.0
    parents_employed_women: Array = 0.0
    direct_wages: Array = 0.0
    compensation_indirect: Array = 0.0
    compensation_capital: Array = 0.0
    compensation_parents: Array = 0.0
    gross_cost: Array = 0.0
    capital_cost: Array = 0.0
    current_spending: Array = 0.0
    replaced_spending: Array = 0.0

    def __add__(self, other: _ServiceTotals) -> _ServiceTotals:
        return _ServiceTotals(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                                 for f in fields(self)})


def _service_run(
    p: _Params, svc: Service, model: IOModel, macro: steps.MacroPaths, phase: np.ndarray
) -> tuple[ServiceOutcome, _ServiceTotals, np.ndarray, np.ndarray]:
    """Steps 1–9 for one service: its outcome, its part of the totals, and the input shares
    of its non-staff and capital spending (for the jobs by sector)."""
    need = p.s.need_population(svc)[None, :]
    cov = p.call(steps.coverage, need, svc=svc, phase_in=phase)
    staff = p.call(steps.staffing, cov.newly_covered, svc=svc)
    wage = p.call(steps.care_wage, macro.average_wage, macro.wage_index, svc=svc)
    rec = p.call(steps.recurrent_cost, staff.care_staff_fte, staff.other_staff_fte,
                 wage.care_wage, macro.average_wage, svc=svc)
    up = p.call(steps.wage_upgrade, svc=svc, care_wage=wage.care_wage,
                wage_before_floor=wage.wage_before_floor, phase_in=phase)
    cap = p.call(steps.capital_cost, cov.newly_covered, svc=svc)
    current, replaced = p.call(steps.public_spending, macro.gdp, phase, svc=svc)
    parents = p.call(steps.parents_employment, cov.newly_covered, macro.average_wage, svc=svc)
    if svc.non_staff_inputs is None:
        d = model.input_structure(svc.sector)
    else:
        d = np.zeros(model.n)
        for sec, share in svc.non_staff_inputs.items():
            d[model.index_of(sec)] += share
    u = np.zeros(model.n)
    if svc.capital_sector is not None:
        u[model.index_of(svc.capital_sector)] = 1.0
    ppf = float(model.persons_per_fte[model.index_of(svc.sector)])
    direct = p.call(steps.direct_jobs, staff.care_staff_fte, staff.other_staff_fte, svc=svc,
                    persons_per_fte=ppf)
    ind = steps.io_jobs(rec.non_staff_cost, d, model)
    capj = steps.io_jobs(cap.capital_cost, u, model)
    gross = steps.gross_cost(rec.recurrent_cost, up.wage_upgrade_cost, cap.capital_cost)
    outcome = ServiceOutcome(
        need_population=need,
        coverage=cov.coverage,
        newly_covered=cov.newly_covered,
        newly_covered_in_year=cov.newly_covered_in_year,
        care_staff_fte=staff.care_staff_fte,
        other_staff_fte=staff.other_staff_fte,
        care_wage=wage.care_wage,
        staff_cost=rec.staff_cost,
        non_staff_cost=rec.non_staff_cost,
        wage_upgrade_cost=up.wage_upgrade_cost,
        places_built=cap.places_built,
        capital_cost=cap.capital_cost,
        parents_employed=parents.parents_employed,
        gross_cost=gross,
        current_spending=current,
        replaced_spending=replaced,
    )
    totals = _ServiceTotals(
        newly_covered=cov.newly_covered,
        newly_covered_in_year=cov.newly_covered_in_year,
        jobs_direct_care=direct.care,
        jobs_direct_other=direct.other,
        direct_care_women=direct.care_women,
        direct_other_women=direct.other_women,
        jobs_indirect=ind.jobs,
        indirect_women=ind.jobs_women,
        jobs_capital=capj.jobs,
        capital_women=capj.jobs_women,
        persons=direct.persons + ind.persons + capj.persons,
        persons_women=direct.persons_women + ind.persons_women + capj.persons_women,
        parents_employed=parents.parents_employed,
        parents_employed_women=parents.parents_employed_women,
        direct_wages=rec.gross_wages + up.gross_wages,
        compensation_indirect=ind.compensation,
        compensation_capital=capj.compensation,
        compensation_parents=parents.compensation,
        gross_cost=gross,
        capital_cost=cap.capital_cost,
        current_spending=current,
        replaced_spending=replaced,
    )
    return outcome, totals, d, u


def _transfers(
    p: _Params, macro: steps.MacroPaths, phase: np.ndarray
) -> tuple[Array, Array, dict[str, tuple[str, str, steps.TransferCost]]]:
    """Leave and breastfeeding breaks: their additional costs and each entitlement's cost.

    Births are the population aged 0 (:meth:`Scenario.births`); the employment rate of
    mothers (fathers) is ``macro.employed_women / macro.working_age_women`` (men's) unless the
    entitlement sets ``employment_rate``; earnings are ``macro.women_earnings_relative_to_
    average`` (men's) times the average wage path.
    """
    scn = p.s
    out: dict[str, tuple[str, str, steps.TransferCost]] = {}
    if not scn.leave and scn.breastfeeding is None:
        return 0.0, 0.0, out
    births = scn.births()[None, :]
    sex = {"mother": ("women", "employed_women", "working_age_women"),
           "father": ("men", "employed_men", "working_age_men")}

    def rate(parent: str, given: float | None) -> Array:
        if given is not None:
            return given
        _, emp, wa = sex[parent]
        return np.asarray(p.g("macro", emp)) / np.asarray(p.g("macro", wa))

    def earnings(parent: str) -> Array:
        rel = getattr(scn.macro, f"{sex[parent][0]}_earnings_relative_to_average")
        return float(rel) * macro.average_wage

    leave_total: Array = 0.0
    for lv in scn.leave:
        cost = steps.leave_cost(
            births, rate(lv.parent, lv.employment_rate), earnings(lv.parent),
            macro.average_wage, phase, weeks=lv.weeks, current_weeks=lv.current_weeks,
            replacement_rate=lv.replacement_rate,
            current_replacement_rate=lv.current_replacement_rate,
            ceiling_relative_to_average=lv.ceiling_relative_to_average,
            coverage=lv.coverage, current_coverage=lv.current_coverage, take_up=lv.take_up)
        leave_total = leave_total + cost.additional_cost
        out[lv.name] = (lv.kind, lv.parent, cost)
    bf_total: Array = 0.0
    bf = scn.breastfeeding
    if bf is not None:
        cost = steps.breastfeeding_cost(
            births, rate("mother", bf.employment_rate), earnings("mother"), phase,
            minutes_per_day=bf.minutes_per_day, current_minutes_per_day=bf.current_minutes_per_day,
            months=bf.months, current_months=bf.current_months, hours_per_day=bf.hours_per_day,
            coverage=bf.coverage, current_coverage=bf.current_coverage, take_up=bf.take_up)
        bf_total = cost.additional_cost
        out["breastfeeding"] = ("breastfeeding", "mother", cost)
    return leave_total, bf_total, out


def _evaluate(
    scn: Scenario,
    model: IOModel,
    overrides: Overrides | None = None,
    *,
    labels: Sequence[str] | None = None,
    detail: bool = False,
) -> Outcome:
    """Evaluate the model for the scenario, or for ``D`` draws of some of its parameters.

    Parameters
    ----------
    scn : Scenario
    model : IOModel
    overrides : mapping of str to ndarray, optional
        Parameter path (``services.<name|*>.<key>``, ``macro.<key>``, ...) to a ``(D, 1)``
        column of values replacing the scenario's.
    labels : sequence of str, optional
        Names of the ``D`` runs in error messages (default ``draw i``).
    detail : bool, default False
        Also return the per-service and per-sector results (for :func:`simulate`).

    Returns
    -------
    Outcome

    Raises
    ------
    InvestmentInputError
        If a draw breaks a constraint between keys (:data:`~carecost.investment.fields.
        JOINT`) or makes the households lose income (:func:`~carecost.investment.steps.
        household_round`), naming the run.
    """
    p = _Params(scn, overrides, labels)
    p.check_joint()
    phase = np.asarray(scn.phase_in, dtype=float)[None, :]
    macro = p.call(steps.macro_paths, (scn.years - scn.base_year)[None, :].astype(float))
    t = _ServiceTotals()
    services: dict[str, ServiceOutcome] = {}
    inputs: list[tuple[np.ndarray, np.ndarray]] = []
    for svc in scn.services:
        outcome, part, d, u = _service_run(p, svc, model, macro, phase)
        t = t + part
        if detail:  # per-service arrays are kept only when asked for (memory of D draws)
            services[svc.name] = outcome
            inputs.append((d, u))
    employer = np.asarray(p.g("fiscal", "employer_contribution_rate"))
    comp_direct = t.direct_wages * (1.0 + employer)
    first_round = (comp_direct, t.compensation_indirect, t.compensation_capital,
                   t.compensation_parents)
    direct = t.jobs_direct_care + t.jobs_direct_other
    direct_w = t.direct_care_women + t.direct_other_women
    jobs1 = direct + t.jobs_indirect + t.jobs_capital
    jobs1_w = direct_w + t.indirect_women + t.capital_women
    benefit = p.call(steps.lost_benefit, wage_index=macro.wage_index)
    hh = p.call(
        steps.household_round,
        sum((np.asarray(x, dtype=float) for x in first_round), 0.0),
        jobs1, t.persons, macro.average_wage, benefit, model,
        method=scn.induced, other_earners=t.parents_employed, labels=_labels(p),
    )
    total, women = jobs1 + hh.jobs_induced, jobs1_w + hh.jobs_induced_women
    p_total = t.persons + hh.persons_induced
    p_women = t.persons_women + hh.persons_induced_women
    fiscal = p.call(steps.fiscal_returns, comp_direct, hh.induced_compensation, hh.consumption,
                    benefit, p_total, compensation_indirect=t.compensation_indirect,
                    compensation_capital=t.compensation_capital,
                    compensation_parents=t.compensation_parents)
    rates = p.call(steps.employment_rates, p_total, p_women, t.parents_employed,
                   t.parents_employed_women)
    gross = t.gross_cost
    netf = steps.net_funding(gross, fiscal.fiscal_returns, t.replaced_spending, macro.gdp)
    spend, spend_pct = steps.total_spending(t.current_spending, gross, t.replaced_spending,
                                            macro.gdp)
    leave, breastfeeding, transfers = _transfers(p, macro, phase)
    zero = np.zeros(np.broadcast_shapes(np.shape(gross), np.shape(macro.gdp)))
    leave, breastfeeding = zero + leave, zero + breastfeeding
    package = gross + leave + breastfeeding
    package_net = netf.net_funding + leave + breastfeeding
    with np.errstate(divide="ignore", invalid="ignore"):
        summary = Summary(
            gdp=macro.gdp * np.ones_like(phase),
            gross_cost=gross,
            gross_cost_pct_gdp=100.0 * gross / macro.gdp,
            capital_cost=t.capital_cost,
            current_spending=t.current_spending,
            replaced_spending=t.replaced_spending,
            total_spending=spend,
            total_spending_pct_gdp=spend_pct,
            newly_covered=t.newly_covered,
            newly_covered_in_year=t.newly_covered_in_year,
            jobs_direct_care=t.jobs_direct_care,
            jobs_direct_other=t.jobs_direct_other,
            jobs_direct=direct,
            jobs_indirect=t.jobs_indirect,
            jobs_induced=hh.jobs_induced,
            jobs_capital=t.jobs_capital,
            jobs_total=total,
            jobs_women=women,
            jobs_men=total - women,
            women_share_of_jobs=np.where(total > 0, women / np.where(total > 0, total, 1),
                                         np.nan),
            jobs_persons=p_total,
            jobs_persons_women=p_women,
            parents_employed=t.parents_employed,
            parents_employed_women=t.parents_employed_women,
            tax_direct_labour=fiscal.tax_direct_labour,
            tax_indirect_labour=fiscal.tax_indirect_labour,
            tax_induced_labour=fiscal.tax_induced_labour,
            tax_capital_labour=fiscal.tax_capital_labour,
            tax_parents_labour=fiscal.tax_parents_labour,
            tax_consumption=fiscal.tax_consumption,
            benefit_savings=fiscal.benefit_savings,
            fiscal_returns=fiscal.fiscal_returns,
            net_funding=netf.net_funding,
            net_funding_pct_gross=netf.net_funding_pct_gross,
            net_funding_pct_gdp=netf.net_funding_pct_gdp,
            women_emp_rate_change_pp=rates.women_emp_rate_change_pp,
            men_emp_rate_change_pp=rates.men_emp_rate_change_pp,
            gender_gap_pp=rates.gender_gap_pp,
            gender_gap_change_pp=rates.gender_gap_change_pp,
            leave_cost=leave,
            leave_cost_pct_gdp=100.0 * leave / macro.gdp,
            breastfeeding_cost=breastfeeding,
            breastfeeding_cost_pct_gdp=100.0 * breastfeeding / macro.gdp,
            package_cost=package,
            package_cost_pct_gdp=100.0 * package / macro.gdp,
            package_net_funding=package_net,
            package_net_funding_pct_gdp=100.0 * package_net / macro.gdp,
        )
    women_by_type = JobTypes(direct_care=t.direct_care_women, direct_other=t.direct_other_women,
                             indirect=t.indirect_women, induced=hh.jobs_induced_women,
                             capital=t.capital_women)
    if not detail:
        return Outcome(summary, women_by_type, {}, None)
    return Outcome(summary, women_by_type, services,
                   _sector_jobs(model, list(services.values()), inputs, hh, scn.induced,
                                macro.gdp), transfers)


def _labels(p: _Params) -> Sequence[str] | None:
    """Row names for the error messages of the steps (as :meth:`_Params.where`)."""
    if not p.ov:
        return ["the scenario"]
    return p.labels


def _sector_jobs(
    model: IOModel, services: Sequence[ServiceOutcome],
    inputs: Sequence[tuple[np.ndarray, np.ndarray]], hh: steps.HouseholdRound, method: str,
    gdp: Array,
) -> SectorJobs:
    """Indirect, capital and induced jobs by sector (first row of the draws axis)."""
    unit, L, e = model.money_unit, model.L, model.employment
    shape = (model.n, *np.broadcast_shapes(np.shape(gdp), np.shape(services[0].coverage)))
    ns_by_sector, cap_by_sector = np.zeros(shape), np.zeros(shape)
    for o, (d, u) in zip(services, inputs, strict=True):
        ns_by_sector = ns_by_sector + d[:, None, None] * (o.non_staff_cost / unit)[None, ...]
        cap_by_sector = cap_by_sector + u[:, None, None] * (
            np.broadcast_to(o.capital_cost, shape[1:]) / unit
        )[None, ...]
    x_ind = np.einsum("ij,jdt->idt", L, ns_by_sector)
    x_cap = np.einsum("ij,jdt->idt", L, cap_by_sector)
    c = model.consumption_shares
    if method == "type_ii":
        prod = np.asarray(hh.producer_demand, dtype=float) / unit
        induced = e[:, None] * ((L @ c)[:, None, None] * prod[None, ...])[:, 0, :]
    else:
        elc = float((e @ L) @ c)
        jshare = (e * (L @ c)) / elc if elc > 0 else np.zeros(model.n)
        induced = (jshare[:, None, None]
                   * np.asarray(hh.jobs_induced, dtype=float)[None, ...])[:, 0, :]
    return SectorJobs(indirect=e[:, None] * x_ind[:, 0, :], capital=e[:, None] * x_cap[:, 0, :],
                      induced=induced)


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InvestmentReport:
    """Key results for one year, for briefs and summaries (money in scenario currency)."""

    scenario: str
    country: str
    currency: str
    year: int
    gross_cost: float
    gross_cost_pct_gdp: float
    total_spending_pct_gdp: float
    newly_covered: float
    jobs_total: float
    jobs_direct: float
    jobs_indirect: float
    jobs_induced: float
    jobs_capital: float
    parents_employed: float
    women_share_of_jobs: float
    women_emp_rate_change_pp: float
    men_emp_rate_change_pp: float
    gender_gap_change_pp: float
    fiscal_returns: float
    replaced_spending: float
    net_funding: float
    net_funding_pct_gross: float
    net_funding_pct_gdp: float
    employment_unit: str = "jobs"

    def summary(self) -> str:
        """Two plain-language sentences with the headline numbers."""
        return (
            f"{self.scenario} ({self.country}), {self.year}: the additional annual cost is "
            f"{self.gross_cost:,.0f} {self.currency} ({self.gross_cost_pct_gdp:.2f}% of GDP), "
            f"covering {self.newly_covered:,.0f} more persons and creating "
            f"{self.jobs_total:,.0f} jobs ({self.employment_unit}; {self.jobs_direct:,.0f} direct, "
            f"{self.jobs_indirect:,.0f} indirect, {self.jobs_induced:,.0f} induced"
            + (
                f", {self.jobs_capital:,.0f} building new places"
                if self.jobs_capital > 0
                else ""
            )
            + (
                f"), {100 * self.women_share_of_jobs:.0f}% for women"
                if np.isfinite(self.women_share_of_jobs)
                else "; the women's share is not available (no women's share of jobs by "
                "industry for this input-output table)"
            )
            + (
                f"; {self.parents_employed:,.0f} more parents take up paid work"
                if self.parents_employed > 0
                else ""
            )
            + ". "
            f"Taxes, contributions and benefit savings return {self.fiscal_returns:,.0f} "
            f"{self.currency}"
            + (
                f" and the spending it replaces saves {self.replaced_spending:,.0f}"
                if self.replaced_spending > 0
                else ""
            )
            + f", leaving a net funding requirement of {self.net_funding:,.0f} "
            f"({self.net_funding_pct_gross:.0f}% of gross cost, {self.net_funding_pct_gdp:.2f}% "
            "of GDP)"
            + (
                f"; women's employment rate rises by {self.women_emp_rate_change_pp:.2f} points "
                f"and the gender employment gap changes by {self.gender_gap_change_pp:+.2f} "
                "points."
                if np.isfinite(self.women_emp_rate_change_pp)
                and np.isfinite(self.gender_gap_change_pp)
                else "; the change in women's employment rate is not available."
            )
        )


#: Columns of :attr:`SimulationResult.by_leave`.
BY_LEAVE = ("year", "entitlement", "kind", "parent", "births", "eligible_parents",
            "current_cost", "target_cost", "additional_cost")
#: Policy area of a service kind (:meth:`SimulationResult.by_policy_area`).
AREA_OF_KIND = {"childcare": "childcare", "preschool": "childcare", "ecce": "childcare",
                "ltc": "ltc"}


def _row(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=float).reshape(-1)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Deterministic simulation result (tidy DataFrames by year).

    Attributes
    ----------
    scenario, model
        Inputs.
    summary : DataFrame
        One row per year, one column per measure (see ``SUMMARY_MEASURES``); among them
        ``newly_covered`` (persons covered beyond base-year coverage, a stock) and
        ``newly_covered_in_year`` (its change from the previous year).
    by_service : DataFrame
        Tidy ``year, service`` rows with coverage, newly covered (stock and in year), staff,
        wages and cost components.
    jobs : DataFrame
        Tidy ``year, type (direct_care|direct_other|indirect|induced|capital), sex, jobs``.
    jobs_by_sector : DataFrame
        Tidy ``year, sector, type (indirect|capital|induced), jobs, jobs_women``.
    fiscal : DataFrame
        Tidy ``year, component, value``.
    by_leave : DataFrame
        Tidy ``year, entitlement, kind, parent, births, eligible_parents, current_cost,
        target_cost, additional_cost`` rows, one per ``[[leave]]`` entitlement and for
        ``breastfeeding`` (kind ``"breastfeeding"``); empty (with these columns) without
        them.
    """

    scenario: Scenario = field(repr=False)
    model: IOModel = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    by_service: pd.DataFrame = field(repr=False)
    jobs: pd.DataFrame = field(repr=False)
    jobs_by_sector: pd.DataFrame = field(repr=False)
    fiscal: pd.DataFrame = field(repr=False)
    by_leave: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BY_LEAVE),
                                   repr=False)

    def by_policy_area(self, year: int | None = None) -> pd.DataFrame:
        """Cost by policy area for one year: ECCE, long-term care, leave, breastfeeding.

        Parameters
        ----------
        year : int, optional
            Default the target year.

        Returns
        -------
        pandas.DataFrame
            One row per area present: ``area`` (``childcare`` for services of kind
            childcare or preschool, ``ltc`` for kind ltc, the kind itself for other services;
            ``leave``; ``breastfeeding``), ``additional_cost`` [currency/year],
            ``additional_cost_pct_gdp``, ``current_pct_gdp`` (current public spending on the
            services; the cost of today's entitlement for leave and breastfeeding) [% of
            GDP]; ``year`` in ``attrs``.
        """
        yr = self.scenario.target_year if year is None else int(year)
        rows = self.summary[self.summary["year"] == yr]
        if rows.empty:
            raise InvestmentInputError(
                f"year = {year!r} not simulated; allowed "
                f"{self.scenario.base_year}–{self.scenario.end_year}")
        gdp = float(rows["gdp"].iloc[0])
        bs = self.by_service[self.by_service["year"] == yr]
        kinds = {s.name: AREA_OF_KIND.get(s.kind, s.kind) for s in self.scenario.services}
        out: dict[str, list[float]] = {}
        for name, cost, current in zip(bs["service"], bs["gross_cost"],
                                       bs["current_spending"], strict=True):
            acc = out.setdefault(kinds[str(name)], [0.0, 0.0])
            acc[0] += float(cost)
            acc[1] += float(current)
        bl = self.by_leave[self.by_leave["year"] == yr]
        for kind, cost, current in zip(bl["kind"], bl["additional_cost"], bl["current_cost"],
                                       strict=True):
            acc = out.setdefault("breastfeeding" if kind == "breastfeeding" else "leave",
                                 [0.0, 0.0])
            acc[0] += float(cost)
            acc[1] += float(current)
        frame = pd.DataFrame([
            {"area": area, "additional_cost": cost,
             "additional_cost_pct_gdp": 100.0 * cost / gdp,
             "current_pct_gdp": 100.0 * current / gdp}
            for area, (cost, current) in out.items()])
        frame.attrs["year"] = yr
        return frame

    def tidy(self) -> pd.DataFrame:
        """Summary in long form: ``year, measure, value``."""
        return self.summary.melt(id_vars="year", var_name="measure", value_name="value")

    def present_value(
        self,
        discount_rate: float,
        measures: str | Sequence[str] = (
            "gross_cost",
            "capital_cost",
            "fiscal_returns",
            "replaced_spending",
            "net_funding",
        ),
    ) -> pd.DataFrame:
        """Totals over the simulated years, undiscounted and discounted to the base year.

        Parameters
        ----------
        discount_rate : float
            Real discount rate per year (share, e.g. 0.035 for the 3.5% of HM Treasury's
            Green Book), in [0, 1).  Money is in constant base-year prices, so the rate is real.
        measures : str or sequence of str
            Money measures of ``summary`` to total (:data:`MONEY_MEASURES`).

        Returns
        -------
        pandas.DataFrame
            ``measure, total, present_value, discount_rate, first_year, last_year``;
            ``present_value = sum_t value_t / (1 + discount_rate) ** (t - base_year)``.

        References
        ----------
        HM Treasury (2022). *The Green Book: Central Government Guidance on Appraisal and
        Evaluation*, section A6 (discounting).
        """
        if isinstance(measures, str):
            measures = [measures]
        rate = float(discount_rate)
        if not np.isfinite(rate) or not 0.0 <= rate < 1.0:
            raise InvestmentInputError(
                f"discount_rate = {discount_rate!r}; allowed range [0, 1) (a real rate per year)"
            )
        bad = [m for m in measures if m not in MONEY_MEASURES]
        if bad:
            raise InvestmentInputError(
                f"measures {bad} are not money measures; allowed {list(MONEY_MEASURES)}"
            )
        years = self.summary["year"].to_numpy()
        rows = [
            {
                "measure": m,
                "total": float(self.summary[m].sum()),
                "present_value": steps.present_value(self.summary[m].to_numpy(), years,
                                                     self.scenario.base_year, rate),
                "discount_rate": rate,
                "first_year": int(years[0]),
                "last_year": int(years[-1]),
            }
            for m in measures
        ]
        return pd.DataFrame(rows)

    def report(self, year: int | None = None) -> InvestmentReport:
        """Headline numbers for ``year`` (default: the target year)."""
        yr = self.scenario.target_year if year is None else int(year)
        rows = self.summary[self.summary["year"] == yr]
        if rows.empty:
            raise InvestmentInputError(
                f"year = {year!r} not simulated; allowed "
                f"{self.scenario.base_year}–{self.scenario.end_year}"
            )
        r = rows.iloc[0]
        keys = [f.name for f in fields(InvestmentReport)][4:-1]
        values: dict[str, Any] = {k: float(r[k]) for k in keys}
        return InvestmentReport(
            scenario=self.scenario.name,
            country=self.scenario.country,
            currency=self.scenario.currency,
            year=yr,
            employment_unit=self.model.employment_unit,
            **values,
        )


def country_io_model(scenario: Scenario) -> IOModel:
    r"""The input–output model of a scenario whose ``meta.country`` is an ISO3 code, in the
    scenario's money.

    The country's domestic WIOD 2011 table (:func:`carecost.countries.io_table`; the
    rest-of-world structure, flagged ``fallback``, outside WIOD; or the table named by
    ``io.dataset``) is in US$ million at 2019 prices.  It is put into the scenario's money
    (local currency at the prices of :attr:`Scenario.price_year`) as follows:

    * money: one unit of the table is ``1e6 * r`` local currency, ``r`` the price year's
      market exchange rate ``GDP_LCU / GDP_USD`` (World Bank WDI;
      :attr:`Scenario.io_conversion`), so ``money_unit = 1e6 r``;
    * employment: the workers of each industry (daedalus.data, persons) are multiplied by

      .. math:: \lambda = \frac{(E_w + E_m) / (\mathrm{GDP} / r)}{W / V}

      where :math:`E_w + E_m` are the scenario's employed women and men, GDP its base-year
      GDP (so ``GDP / r`` is in US$), :math:`W` the table's workers and :math:`V` its value
      added (output minus domestic and imported intermediate inputs), US$.  The table's
      workers per US$ of value added then equal the country's employed persons per US$ of
      GDP: this removes the US$ price change between 2019 and the price year (which the
      exchange rate alone leaves in) and, for the fallback, replaces the rest-of-world's
      labour productivity by the country's own, keeping the relative labour intensity of the
      industries;
    * compensation of employees (WIOD ships none): the rescaled workers of each industry times
      ``macro.average_wage x (1 + fiscal.employer_contribution_rate)``, at most the
      industry's value added (industries capped are listed in :attr:`IOModel.notes`); a proxy
      that counts the self-employed at the average wage of employees;
    * women's share of jobs by industry: unknown (NaN), so women's indirect, induced and
      capital jobs are NaN rather than a guess.

    Household consumption shares are WIOD's domestic household consumption (negative
    entries set to 0); the flows are domestic already (``requirements = "as given"``).

    Parameters
    ----------
    scenario : Scenario
        A scenario with :attr:`Scenario.io_conversion` set.

    Returns
    -------
    IOModel
        Currency ``scenario.currency``, ``employment_unit = "persons"``; ``provenance`` states
        the table, the exchange rate and :math:`\lambda`.

    Raises
    ------
    InvestmentInputError
        If the scenario has no database input–output table.

    References
    ----------
    Timmer, M. P. et al. (2015). An illustrated user guide to the World Input–Output
    Database. *Review of International Economics* 23, 575–605.  Miller and Blair (2009),
    section 2.3 (technical coefficients) and ch. 6 (employment multipliers).
    """
    from ._countries import db_io_table

    conv = scenario.io_conversion
    if conv is None:
        raise InvestmentInputError(
            f"scenario {scenario.name!r} (meta.country = {scenario.country!r}) has no "
            "input–output table of the country database; pass an IOModel to simulate()")
    table = db_io_table(conv.table)
    kw = table.from_flows_kwargs()
    x = table.output.to_numpy(dtype=float)
    z = table.flows.to_numpy(dtype=float)
    va_j = x - z.sum(axis=0) - table.imported_inputs.to_numpy(dtype=float)
    workers = table.workers.fillna(0.0).where(table.output > 0, 0.0).to_numpy(dtype=float)
    w_tot, va = float(workers.sum()), float(va_j.sum())
    if w_tot <= 0 or va <= 0:
        raise InvestmentInputError(
            f"the input–output table of {conv.table} ({conv.economy}) has no workers or no "
            "value added; pass an IOModel to simulate()")
    m = scenario.macro
    gdp_usd = m.gdp / conv.lcu_per_usd
    lam = ((m.employed_women + m.employed_men) / gdp_usd) / (w_tot / (va * 1e6))
    money_unit = 1e6 * conv.lcu_per_usd
    persons = workers * lam
    pay = m.average_wage * (1.0 + scenario.fiscal.employer_contribution_rate)
    comp = persons * pay / money_unit
    cap = np.maximum(va_j, 0.0)
    capped = [f"{c}: {comp[i]:,.0f} capped at value added {cap[i]:,.0f} US$ million"
              for i, c in enumerate(table.sectors) if comp[i] > cap[i]]
    comp = np.minimum(comp, cap)
    kw.update(
        employment=persons, compensation=comp, currency=scenario.currency,
        money_unit=money_unit,
        provenance=(
            f"{kw['provenance']}; money: 1 US$ million (2019 prices) = 1e6 x "
            f"{conv.lcu_per_usd:.6g} {scenario.currency} (market rate of {conv.price_year}); "
            f"workers x {lam:.4g} so that workers per US$ of value added equal the "
            f"country's employed persons per US$ of GDP; compensation = workers x average "
            f"wage x (1 + employer contribution rate), at most value added (proxy); women's "
            "share of jobs by industry unknown"),
    )
    model = IOModel.from_flows(**kw)
    notes = (f"employment rescaled by {lam:.6g} (lambda, docs/methods.md §4.6)",
             *(f"compensation proxy capped: {c}" for c in capped), *table.notes)
    return dataclasses.replace(model, notes=(*model.notes, *notes))


def io_model_for(scenario: Scenario) -> IOModel:
    """The built-in input–output model a scenario names (``io.dataset``).

    ``"example"``: :func:`example_io_model`; a table of the country database (``meta.country``
    an ISO3 code): :func:`country_io_model`.

    Raises
    ------
    InvestmentInputError
        For any other ``io.dataset`` (pass an IOModel instead).
    """
    if scenario.io_dataset == "example":
        return example_io_model()
    if scenario.io_conversion is not None:
        return country_io_model(scenario)
    raise InvestmentInputError(
        f"io.dataset = {scenario.io_dataset!r}: pass an IOModel (allowed built-in: 'example' "
        "or, with meta.country an ISO3 code, a table of the country database)")


def check_sectors(scenario: Scenario, model: IOModel) -> None:
    """Check that every sector a scenario names is a sector of the input–output model.

    Parameters
    ----------
    scenario : Scenario
    model : IOModel

    Raises
    ------
    InvestmentInputError
        Naming the scenario key (``services.<name>.sector``, ``.capital_sector`` or
        ``comparison.sector``) and the model's codes.
    """
    for s in scenario.services:
        for key, code in (("sector", s.sector), ("capital_sector", s.capital_sector)):
            if code is None:
                continue
            try:
                model.index_of(code)
            except InvestmentInputError as err:
                raise InvestmentInputError(f"services.{s.name}.{key}: {err}") from None
    if scenario.comparison_sector is not None:
        try:
            model.index_of(scenario.comparison_sector)
        except InvestmentInputError as err:
            raise InvestmentInputError(
                f"comparison.sector: {err}; set [comparison] sector to one of the codes of "
                "the input–output model"
            ) from None


def simulate(scenario: Scenario, model: IOModel | None = None) -> SimulationResult:
    """Run a care-investment scenario.

    Parameters
    ----------
    scenario : Scenario
        Validated scenario (see :func:`~carecost.investment.load_scenario`).
    model : IOModel, optional
        Input–output model for indirect and induced effects; defaults to
        :func:`io_model_for`: the synthetic example-country table when
        ``scenario.io_dataset == "example"``, the country's table of the country database
        (:func:`country_io_model`) when ``meta.country`` is an ISO3 code.

    Returns
    -------
    SimulationResult
        Tidy tables by year; money in the scenario currency (constant base-year prices),
        jobs in the model's employment unit.

    References
    ----------
    UN Women and ILO (2021); De Henau (2022); ILO (2022); Miller and Blair (2009).  Every
    equation, with its units and source, is one function of :mod:`carecost.investment.steps`.
    """
    if model is None:
        model = io_model_for(scenario)
    check_sectors(scenario, model)
    run = _evaluate(scenario, model, detail=True)
    assert run.sectors is not None
    years = scenario.years
    summary = pd.DataFrame({"year": years})
    for k in SUMMARY_MEASURES:
        summary[k] = _row(np.broadcast_to(getattr(run.summary, k), (1, len(years))))
    rows = []
    for name, outcome in run.services.items():
        df = pd.DataFrame({"year": years, "service": name})
        for f in fields(ServiceOutcome):
            df[f.name] = _row(np.broadcast_to(getattr(outcome, f.name), (1, len(years))))
        rows.append(df)
    by_service = pd.concat(rows, ignore_index=True)
    jobs_rows = []
    for f in fields(JobTypes):
        t = _row(np.broadcast_to(getattr(run.summary, f"jobs_{f.name}"), (1, len(years))))
        wv = _row(np.broadcast_to(getattr(run.jobs_women, f.name), (1, len(years))))
        jobs_rows.append(pd.DataFrame({"year": years, "type": f.name, "sex": "women",
                                       "jobs": wv}))
        jobs_rows.append(pd.DataFrame({"year": years, "type": f.name, "sex": "men",
                                       "jobs": t - wv}))
    jobs = pd.concat(jobs_rows, ignore_index=True)
    g = model.female_share
    frames = []
    for typ in ("indirect", "capital", "induced"):
        mat = getattr(run.sectors, typ)
        for i, sec in enumerate(model.sectors):
            frames.append(
                pd.DataFrame(
                    {
                        "year": years,
                        "sector": sec,
                        "type": typ,
                        "jobs": mat[i],
                        "jobs_women": mat[i] * g[i],
                    }
                )
            )
    jobs_by_sector = pd.concat(frames, ignore_index=True)
    fiscal = summary[
        [
            "year",
            "tax_direct_labour",
            "tax_indirect_labour",
            "tax_induced_labour",
            "tax_capital_labour",
            "tax_parents_labour",
            "tax_consumption",
            "benefit_savings",
            "replaced_spending",
        ]
    ].melt(id_vars="year", var_name="component", value_name="value")
    leave_rows = []
    births = scenario.births() if run.transfers else None
    for name, (kind, parent, cost) in run.transfers.items():
        frame = pd.DataFrame({"year": years, "entitlement": name, "kind": kind,
                              "parent": parent, "births": births})
        for col in ("eligible_parents", "current_cost", "target_cost", "additional_cost"):
            frame[col] = _row(np.broadcast_to(getattr(cost, col), (1, len(years))))
        leave_rows.append(frame)
    by_leave = (pd.concat(leave_rows, ignore_index=True) if leave_rows
                else pd.DataFrame(columns=list(BY_LEAVE)))
    return SimulationResult(scenario, model, summary, by_service, jobs, jobs_by_sector, fiscal,
                            by_leave)


# --------------------------------------------------------------------------------------------
# comparison with the same spending in another sector
# --------------------------------------------------------------------------------------------
def _io_spending(p: _Params, model: IOModel, demand: np.ndarray) -> dict[str, Any]:
    """Jobs and fiscal returns of final demand ``demand`` (currency, one entry per sector).

    Direct jobs ``sum_j e_j f_j``, indirect ``e'L f - direct``; compensation ``w'L f`` is the
    first-round income of :func:`~carecost.investment.steps.household_round`, which adds the
    induced effects, and :func:`~carecost.investment.steps.fiscal_returns` the returns: the
    same steps (and parameter values) as the simulation.
    """
    f = np.asarray(demand, dtype=float) / model.money_unit
    e, g, L = model.employment, model.female_share, model.L
    macro = p.call(steps.macro_paths, (p.s.years - p.s.base_year)[None, :].astype(float))
    direct = float(e @ f)
    first = float(e @ L @ f)
    first_w = float(((e * g) @ L) @ f)
    comp = float(model.compensation @ L @ f) * model.money_unit
    persons = float(model.persons @ L @ f)
    benefit = p.call(steps.lost_benefit, wage_index=macro.wage_index)
    hh = p.call(steps.household_round, comp, first, persons, macro.average_wage, benefit,
                model, method=p.s.induced, labels=_labels(p))
    fiscal = p.call(steps.fiscal_returns, comp, hh.induced_compensation, hh.consumption,
                    benefit, persons + hh.persons_induced)
    return {
        "jobs_direct": direct,
        "jobs_indirect": first - direct,
        "jobs_induced": hh.jobs_induced,
        "jobs_total": first + hh.jobs_induced,
        "jobs_women": first_w + hh.jobs_induced_women,
        "fiscal_returns": fiscal.fiscal_returns,
    }


def compare_sectors(
    result: SimulationResult, sector: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The scenario's gross cost spent instead in another sector, side by side.

    Rows: ``care (scenario)`` — the simulation (direct jobs bottom-up from staffing; jobs
    building new places in ``jobs_capital``), *without* the parents' labour-supply effects,
    which spending in another sector would not have; ``care (IO)`` — the same spending as
    final demand: each service's recurrent cost for its input–output sector and its capital
    cost for its capital sector; and the comparison sector (e.g. construction), with the same
    total spending as final demand.  The I-O rows use the same induced-effect method (Type II,
    multiplier or none), parameter values and fiscal equations as the simulation (one shared
    implementation).  ``net_funding`` here is spending minus fiscal returns, before any current
    spending that the care scenario replaces (the comparison is of equal spending).

    Parameters
    ----------
    result : SimulationResult
    sector : str, optional
        Comparison sector code; defaults to ``scenario.comparison_sector``.
    year : int, optional
        Year to report; default the target year.

    Returns
    -------
    pandas.DataFrame
        ``case, sector, spending, jobs_direct, jobs_indirect, jobs_induced, jobs_capital,
        jobs_total, jobs_women, women_share, jobs_per_million, fiscal_returns, net_funding,
        net_funding_pct_gross``; money in the scenario currency, jobs in the model's
        employment unit; ``jobs_per_million`` per million currency units of spending.

    References
    ----------
    De Henau et al. (2016), *Investing in the Care Economy*, ITUC (care vs construction);
    Miller and Blair (2009), section 6.2.3.
    """
    scn, model = result.scenario, result.model
    sector = sector or scn.comparison_sector
    if sector is None:
        raise InvestmentInputError("sector is missing: pass sector= or set [comparison] sector")
    j_cmp = model.index_of(sector)
    yr = scn.target_year if year is None else int(year)
    if yr not in set(scn.years):
        raise InvestmentInputError(
            f"year = {year!r} not simulated; allowed {scn.base_year}–{scn.end_year}"
        )
    i = int(np.where(scn.years == yr)[0][0])
    s = result.summary.iloc[i]
    spend = float(s["gross_cost"])
    bs = result.by_service[result.by_service["year"] == yr]
    care_demand = np.zeros(model.n)
    for name, cost, capital in zip(
        bs["service"], bs["gross_cost"], bs["capital_cost"], strict=True
    ):
        svc = scn.service(str(name))
        care_demand[model.index_of(svc.sector)] += float(cost) - float(capital)
        if svc.capital_sector is not None:
            care_demand[model.index_of(svc.capital_sector)] += float(capital)
    care_sectors = "/".join(sorted({x.sector for x in scn.services}))
    cmp_demand = np.zeros(model.n)
    cmp_demand[j_cmp] = spend
    p = _Params(scn, None)
    if any(x.parent_employment_per_person > 0 for x in scn.services):
        # the demand side alone: the same scenario without the parents' labour supply
        demand_side = _evaluate(
            scn, model, {"services.*.parent_employment_per_person": np.zeros((1, 1))}
        ).summary
        s = pd.Series({k: float(np.broadcast_to(getattr(demand_side, k),
                                                (1, len(scn.years)))[0, i])
                       for k in SUMMARY_MEASURES})
    rows = [
        {
            "case": "care (scenario)",
            "sector": care_sectors,
            "spending": spend,
            "jobs_direct": s["jobs_direct"],
            "jobs_indirect": s["jobs_indirect"],
            "jobs_induced": s["jobs_induced"],
            "jobs_capital": s["jobs_capital"],
            "jobs_total": s["jobs_total"],
            "jobs_women": s["jobs_women"],
            "fiscal_returns": s["fiscal_returns"],
        }
    ]
    for case, sec, demand in (
        ("care (IO)", care_sectors, care_demand),
        (f"comparison ({sector})", sector, cmp_demand),
    ):
        d = _io_spending(p, model, demand)
        rows.append(
            {
                "case": case,
                "sector": sec,
                "spending": spend,
                **{
                    k: float(np.broadcast_to(v, (1, len(scn.years))).reshape(-1)[i])
                    for k, v in d.items()
                },
            }
        )
    out = pd.DataFrame(rows)
    out["jobs_capital"] = out["jobs_capital"].fillna(0.0)  # I-O rows: in direct and indirect
    with np.errstate(divide="ignore", invalid="ignore"):
        out["women_share"] = out["jobs_women"] / out["jobs_total"]
        out["jobs_per_million"] = out["jobs_total"] / out["spending"] * 1e6
        out["net_funding"] = out["spending"] - out["fiscal_returns"]
        out["net_funding_pct_gross"] = 100.0 * out["net_funding"] / out["spending"]
    out.attrs["year"] = yr
    out.attrs["currency"] = scn.currency
    out.attrs["care_demand_by_sector"] = {
        sec: float(v) for sec, v in zip(model.sectors, care_demand, strict=True) if v != 0
    }
    return out

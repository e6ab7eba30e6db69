"""The care-investment simulation: deficits, costs, jobs, fiscal returns and net funding.

Equations (year ``t``, service ``k``; all money in constant base-year currency)
-------------------------------------------------------------------------------
Coverage and deficits (UN Women and ILO 2021, step 1; De Henau 2022, section 2):

* persons in need ``N_kt = sum_a P_at r_ka`` (population by single year of age ``a`` times need
  rate);
* coverage path ``c_kt = c_k0 + (c_k* - c_k0) p_t`` with phase-in ``p_t`` (0 in the base year,
  1 from the target year; linear or user-given);
* newly covered persons (stock, relative to the base year) ``n_kt = (c_kt - c_k0) N_kt``, and
  newly covered in year ``t`` (the increment) ``n_kt - n_k,t-1`` (0 in the base year; it can
  be negative after the target year when the population in need falls).

Costs (UN Women and ILO 2021, step 2; De Henau 2022, section 3):

* care staff (FTE) ``S_kt = n_kt / ratio_k * (service_hours_k service_weeks_k) /
  (staff_hours_k staff_weeks_k)`` (weeks default to 52); other staff ``O_kt = o_k S_kt``;
* wages ``w_kt = max(rel_k, floor_k) * wbar_t`` (or an absolute wage), ``wbar_t`` the average
  wage growing at the real wage growth rate; other staff earn ``rel^o_k wbar_t`` (required
  when ``o_k > 0``);
* staff cost ``(S w + O w_o)(1 + r)`` with employer contributions ``r``; recurrent cost
  ``R = staff cost / (1 - s_k)`` with non-staff share ``s_k``;
* pay rise of existing staff to the floor ``U_kt = E_k (w_kt - w0_kt)(1 + r) p_t``;
* capital cost of new places ``K_kt = kappa_k max(0, n_kt - max_{s<t} n_ks)`` (with
  ``max_{s<t0} = 0``; one-off cost per place ``kappa_k`` in constant prices, paid when covered
  persons beyond base-year coverage first exceed their earlier maximum; UN Women and ILO 2021,
  step 2);
* gross additional cost ``G_t = sum_k (R_kt + U_kt + K_kt)``, also as % of
  ``GDP_t = GDP_0 (1+g)^t``;
  current spending ``sum_k sigma_k GDP_t``; spending replaced by the new provision
  ``V_t = sum_k rho_k GDP_t p_t`` (subsidies, vouchers or tax relief that end, ``rho_k <=
  sigma_k``); total spending ``sum_k sigma_k GDP_t + G_t - V_t``.

``R`` and the direct and indirect jobs are proportional to the coverage gap ``c* - c0``; the
pay rise ``U`` is not.  With a wage floor above the current wage and existing staff
(``E_k > 0``), a zero gap still costs ``U_kt > 0`` (and creates induced jobs and fiscal
returns from the higher pay), and costs are affine, ``G = U + lambda R``, rather than linear in
the gap.  Without a binding floor or without existing staff, a zero gap gives zero cost and
zero jobs.

Jobs (De Henau 2022, section 4; Miller and Blair 2009, sections 2.3, 2.5 and 6.2):

* direct jobs = ``S + O``;
* capital jobs (direct and indirect, in the sectors supplying the capital spending): ``e' L
  u_k K_kt`` with ``u_k`` the unit vector of the service's ``capital_sector``;
* indirect jobs: non-staff spending follows the input structure ``d_k`` of the service's
  input–output sector (its column of ``A``, normalised), ``J_ind = e' L d_k s_k R_kt``;
* induced jobs, Type II (households endogenous): household income gain ``y``, of which
  households spend ``m y`` on domestic output at purchasers' prices (``m`` is net of imports
  and saving); indirect taxes take ``v m y`` and producers receive ``(1 - v) m y``, spread
  over sectors by the consumption shares ``c`` (shares of household purchases of *domestic*
  output).  Hence ``y = Y0 / (1 - theta)``, ``theta = (1 - v) m h' L c`` with household
  income per unit of output ``h = w (1 - tau)/(1 + r) - u b_t (e o p)``, ``Y0`` the net gain
  in household income of the new direct, indirect and capital jobs (disposable earnings minus
  the unemployment benefit lost, ``u b_t`` per person) and ``tau`` the labour tax rate;
  induced output ``L c (1 - v) m y`` and jobs ``e' L c (1 - v) m y``.  This is algebraically
  the closed Leontief inverse of Miller and Blair (2009, eq. 2.25) with household income
  coefficients ``h`` and household consumption coefficients ``(1 - v) m c``.
  Alternatively a consumption multiplier ``k``: induced = ``(k - 1)`` x (direct + indirect
  + capital jobs + employed parents) x ``Y0 / (net first-round earnings)`` (the multiplier
  applies to the net gain).
* jobs by sex: care and other staff by the service's women shares; indirect and induced jobs
  by the sector women's shares ``g``: ``(e o g)' L d``.
* parents' employment (labour supply, optional): ``M_kt = mu_k n_kt`` more employed parents
  (``mu_k`` per newly covered person, from an external study), a share ``phi_k`` of them women,
  earning ``rel^p_k wbar_t`` each.  Their jobs are taken to be additional (vacancies filled, more
  output); their earnings are taxed and spent like the others (so they add induced jobs), but
  they are not jobs created by the spending and no benefit savings are counted for them;
* jobs are full-time equivalents (FTE): direct staff by construction, indirect and induced
  jobs in the input–output model's employment unit (FTE for BEA, NIPA Table 6.5D; the
  synthetic example states one person per FTE).  Persons employed = FTE x persons per FTE
  ``p`` (the model's ``persons_per_fte``: BEA full- and part-time employees, Table 6.4D, over
  FTE employees, Table 6.5D; direct staff with the service sector's ``p``), reported as
  ``jobs_persons`` and ``jobs_persons_women``;
* employment rates (persons over persons): ``(E_w + q P_w + M_w) / W_w`` with ``P_w`` the new
  jobs as persons, working-age population ``W_w`` held at base-year level, ``q =
  macro.share_from_non_employment`` the share of the people taking the new jobs who were not
  previously employed (default 1; the rest, ``1 - q``, are job changers) and ``M_w`` the newly
  employed mothers; gender employment gap = men's minus women's rate (percentage points).
  ``fiscal.share_from_unemployment <= q``.

Fiscal returns and net funding (De Henau 2022, section 5; UN Women and ILO 2021, step 3):

* taxes and contributions on earnings: ``comp (1 - (1 - tau)/(1 + r))`` on the compensation
  (employer contributions included) of direct, indirect and induced jobs, i.e.
  ``(tau + r)`` x gross wages for direct jobs;
* indirect taxes on consumption ``v m y``;
* unemployment-benefit savings ``u P b_t`` (``u`` = share of the people taking the new jobs
  who were on unemployment benefit, ``P`` the new jobs as persons, ``b_t`` the benefit per
  person); the same benefit is *not* household income: the household round spends the net
  gain, ``net earnings - u b_t`` per person (see ``_household_round``);
* net funding requirement = gross cost - returns - replaced spending ``V_t`` (currency, % of
  gross cost, % of GDP); the share of the gross cost that pays for itself is 100 minus the
  net requirement in % of gross cost (De Henau 2022, Table 5, "% self-funding").

The household round (induced effects and all fiscal returns) is one function shared by
:func:`simulate` (with Monte Carlo overrides) and :func:`compare_sectors`.

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from ._validate import InvestmentInputError
from .io import IOModel
from .scenario import Scenario, Service

__all__ = [
    "InvestmentReport",
    "SimulationResult",
    "compare_sectors",
    "example_io_model",
    "net_funding_requirement",
    "simulate",
]

ArrayLike = float | np.ndarray
Overrides = Mapping[str, np.ndarray]

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
)

SUMMARY_MEASURES = (
    "gdp",
    "gross_cost",
    "gross_cost_pct_gdp",
    "capital_cost",
    "current_spending",
    "replaced_spending",
    "total_spending",
    "total_spending_pct_gdp",
    "newly_covered",
    "newly_covered_in_year",
    "jobs_direct_care",
    "jobs_direct_other",
    "jobs_direct",
    "jobs_indirect",
    "jobs_induced",
    "jobs_capital",
    "jobs_total",
    "jobs_women",
    "jobs_men",
    "women_share_of_jobs",
    "jobs_persons",
    "jobs_persons_women",
    "parents_employed",
    "parents_employed_women",
    "tax_direct_labour",
    "tax_indirect_labour",
    "tax_induced_labour",
    "tax_capital_labour",
    "tax_parents_labour",
    "tax_consumption",
    "benefit_savings",
    "fiscal_returns",
    "net_funding",
    "net_funding_pct_gross",
    "net_funding_pct_gdp",
    "women_emp_rate_change_pp",
    "men_emp_rate_change_pp",
    "gender_gap_pp",
    "gender_gap_change_pp",
)


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
SERVICE_NUMERIC = tuple(
    f.name
    for f in fields(Service)
    if f.name
    not in ("name", "kind", "ages", "need_rate", "sector", "non_staff_inputs", "capital_sector")
)


def parameter_value(scenario: Scenario, path: str) -> float:
    """Scalar value of a parameter path (``macro.x``, ``fiscal.x``, ``services.NAME.x``,
    ``induced.consumption_multiplier``) in ``scenario``."""
    parts = path.split(".")
    if parts[0] in ("macro", "fiscal") and len(parts) == 2:
        obj = getattr(scenario, parts[0])
        if not hasattr(obj, parts[1]):
            raise InvestmentInputError(f"parameter {path!r} does not exist")
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

    def g(self, section: str, name: str) -> ArrayLike:
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

    def sv(self, svc: Service, name: str) -> ArrayLike | None:
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


def _first_bad(mask: Any) -> int | None:
    """Index of the first draw (row) where ``mask`` is true, or None."""
    m = np.atleast_2d(np.asarray(mask, dtype=bool))
    rows = np.nonzero(m.any(axis=1))[0]
    return int(rows[0]) if rows.size else None


def _at(value: Any, i: int) -> float:
    """Value of a parameter (scalar or (D, 1) column) in draw ``i``."""
    arr = np.atleast_2d(np.asarray(value, dtype=float))
    return float(arr[min(i, arr.shape[0] - 1), 0])


def _check_joint(p: _Params) -> None:
    """Constraints between parameters, checked draw by draw.

    Scenario files are validated on load; Monte Carlo and sensitivity overrides change one
    parameter at a time, so combinations are checked here: ``target_coverage >=
    current_coverage`` (a negative gap would give negative persons, costs and jobs), a
    positive non-care wage when ``non_care_staff_ratio > 0``, ``share_from_unemployment <=
    share_from_non_employment``, ``income_tax_rate + employee_contribution_rate <= 1`` and
    employment <= working-age population.  The error names the parameters, their values and
    the offending draw.
    """
    for svc in p.s.services:
        cur, tgt = p.sv(svc, "current_coverage"), p.sv(svc, "target_coverage")
        i = _first_bad(np.asarray(tgt) < np.asarray(cur))
        if i is not None:
            raise InvestmentInputError(
                f"{p.key(svc, 'target_coverage')} = {_at(tgt, i):g} is below "
                f"{p.key(svc, 'current_coverage')} = {_at(cur, i):g} in {p.where(i)}; allowed "
                "target_coverage in [current_coverage, 1] (a negative coverage gap)"
            )
        spent, repl = p.sv(svc, "current_spending_pct_gdp"), p.sv(svc, "replaced_spending_pct_gdp")
        i = _first_bad(np.asarray(repl) > np.asarray(spent))
        if i is not None:
            raise InvestmentInputError(
                f"{p.key(svc, 'replaced_spending_pct_gdp')} = {_at(repl, i):g} exceeds "
                f"{p.key(svc, 'current_spending_pct_gdp')} = {_at(spent, i):g} in {p.where(i)}; "
                "allowed replaced_spending_pct_gdp in [0, current_spending_pct_gdp]"
            )
        kap = p.sv(svc, "capital_cost_per_place")
        i = _first_bad(np.asarray(kap) > 0) if svc.capital_sector is None else None
        if i is not None:
            raise InvestmentInputError(
                f"{p.key(svc, 'capital_cost_per_place')} = {_at(kap, i):g} > 0 in {p.where(i)} "
                f"but services.{svc.name}.capital_sector is not set; give the input–output "
                "sector that supplies the capital spending in the scenario"
            )
        mu = p.sv(svc, "parent_employment_per_person")
        earn = p.sv(svc, "parent_earnings_relative_to_average")
        i = _first_bad((np.asarray(mu) > 0) & (np.asarray(earn) <= 0))
        if i is not None:
            raise InvestmentInputError(
                f"{p.key(svc, 'parent_earnings_relative_to_average')} = {_at(earn, i):g} with "
                f"{p.key(svc, 'parent_employment_per_person')} = {_at(mu, i):g} > 0 in "
                f"{p.where(i)}; allowed parents' earnings range (0, 10] when parents take jobs"
            )
        ratio = p.sv(svc, "non_care_staff_ratio")
        wage = p.sv(svc, "non_care_wage_relative_to_average")
        i = _first_bad((np.asarray(ratio) > 0) & (np.asarray(wage) <= 0))
        if i is not None:
            raise InvestmentInputError(
                f"{p.key(svc, 'non_care_wage_relative_to_average')} = {_at(wage, i):g} with "
                f"{p.key(svc, 'non_care_staff_ratio')} = {_at(ratio, i):g} > 0 in {p.where(i)}; "
                "allowed non-care wage range (0, 10] when there are other staff"
            )
    u, sne = p.g("fiscal", "share_from_unemployment"), p.g("macro", "share_from_non_employment")
    i = _first_bad(np.asarray(u) > np.asarray(sne))
    if i is not None:
        raise InvestmentInputError(
            f"fiscal.share_from_unemployment = {_at(u, i):g} exceeds "
            f"macro.share_from_non_employment = {_at(sne, i):g} in {p.where(i)}; allowed "
            "share_from_unemployment in [0, share_from_non_employment]"
        )
    it, ee = p.g("fiscal", "income_tax_rate"), p.g("fiscal", "employee_contribution_rate")
    i = _first_bad(np.asarray(it) + np.asarray(ee) > 1.0)
    if i is not None:
        raise InvestmentInputError(
            f"fiscal.income_tax_rate + fiscal.employee_contribution_rate = "
            f"{_at(it, i) + _at(ee, i):g} in {p.where(i)}; allowed range [0, 1]"
        )
    for sex in ("women", "men"):
        emp, wa = p.g("macro", f"employed_{sex}"), p.g("macro", f"working_age_{sex}")
        i = _first_bad(np.asarray(emp) > np.asarray(wa))
        if i is not None:
            raise InvestmentInputError(
                f"macro.employed_{sex} = {_at(emp, i):g} exceeds macro.working_age_{sex} = "
                f"{_at(wa, i):g} in {p.where(i)}; allowed range [0, working_age_{sex}]"
            )


def net_funding_requirement(
    gross_cost: ArrayLike, fiscal_returns: ArrayLike, replaced_spending: ArrayLike = 0.0
) -> ArrayLike:
    """Net funding requirement: gross cost minus fiscal returns minus replaced spending.

    Parameters
    ----------
    gross_cost : float or ndarray
        Gross annual cost of the programme, currency per year.
    fiscal_returns : float or ndarray
        Taxes, contributions and benefit savings it generates, currency per year.
    replaced_spending : float or ndarray, default 0
        Current public spending that the programme replaces (subsidies, vouchers, tax relief
        that end), currency per year.

    Returns
    -------
    float or ndarray
        Currency per year; negative when the programme more than pays for itself.

    References
    ----------
    De Henau, J. (2022). Simulating employment and fiscal effects of public investment in
    high-quality universal childcare in the UK. *IJCCEP* 16, 3, Table 5 ("net funding gap"
    = gross annual cost - tax revenues - lower cash-benefit spending - current ECEC subsidies).
    UN Women and ILO (2021), step 3.
    """
    return gross_cost - fiscal_returns - replaced_spending


def _paths(p: _Params) -> tuple[ArrayLike, ArrayLike, ArrayLike]:
    """GDP, real wage index and average wage by year, shape (D or 1, T)."""
    scn = p.s
    tt = (scn.years - scn.base_year)[None, :].astype(float)
    gdp = p.g("macro", "gdp") * (1.0 + np.asarray(p.g("macro", "gdp_growth"))) ** tt
    wgrowth = (1.0 + np.asarray(p.g("macro", "real_wage_growth"))) ** tt
    avgw = p.g("macro", "average_wage") * wgrowth
    return gdp, wgrowth, avgw


def _labour_rates(p: _Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``tau`` (income tax + employee contributions), ``r`` (employer contributions) and
    ``net = (1 - tau) / (1 + r)``, the disposable share of compensation of employees."""
    r = np.asarray(p.g("fiscal", "employer_contribution_rate"))
    tau = np.asarray(p.g("fiscal", "income_tax_rate")) + np.asarray(
        p.g("fiscal", "employee_contribution_rate")
    )
    return tau, r, (1.0 - tau) / (1.0 + r)


def _household_round(
    p: _Params,
    model: IOModel,
    *,
    compensation: Mapping[str, Any],
    jobs: Any,
    jobs_women: Any,
    avgw: Any,
    wgrowth: Any,
    other_earners: Any = 0.0,
    persons: Any = None,
    persons_women: Any = None,
) -> dict[str, Any]:
    """Induced effects and fiscal returns of first-round earnings and jobs.

    The one implementation of the household round, used by :func:`simulate` (via
    ``_core``, with Monte Carlo overrides) and by :func:`compare_sectors`.

    Parameters
    ----------
    p : _Params
        Parameter values (scenario or overrides).
    model : IOModel
        Input–output model.
    compensation : mapping of str to array
        First-round compensation of employees (employer contributions included), currency,
        by component (e.g. ``direct``, ``indirect``); labour taxes are returned by component.
    jobs, jobs_women : array
        First-round (direct + indirect + capital) jobs, all and women, in the model's
        employment unit (FTE).
    persons, persons_women : array, optional
        The same jobs as persons employed (FTE x persons per FTE); default ``jobs`` and
        ``jobs_women``.  Benefits are per person: the benefit lost and the benefit savings
        use persons.
    other_earners : array, default 0
        People with new earnings in ``compensation`` who do not hold jobs created by the
        spending (parents taking up paid work): with ``induced.method = "multiplier"`` their
        spending induces ``(k - 1)`` jobs each, as the new jobs' does; no benefit savings.
    avgw, wgrowth : array
        Average wage path (currency) and real wage index (base year = 1).

    Returns
    -------
    dict
        ``jobs_induced, induced_women, induced_compensation, disposable_income,
        consumption`` (purchasers' prices), ``producer_demand`` (``(1 - v) m y``),
        ``tax_labour_<component>``, ``tax_induced_labour, tax_consumption, benefit_savings,
        jobs_total, jobs_women, persons_induced, persons_induced_women, persons_total,
        persons_women, fiscal_returns``.

    Notes
    -----
    Household income is the *net gain* of the households whose members take the new jobs:
    the disposable part of the new earnings minus the unemployment benefit that the share
    ``u`` of the people taking the new jobs who were on benefit no longer receive (``u b_t``
    per person).  The same benefit is a saving of the government (``benefit_savings``);
    counting it as household income as well would count it twice.  First round
    ``y0 = net comp1 - u b_t P1`` (``P1`` = ``persons``, the first-round jobs as persons; the
    parents in ``other_earners`` were not on benefit, so nothing is deducted for them).

    With disposable income ``y``, consumption at purchasers' prices is ``m y``, indirect
    taxes take ``v m y`` and producers receive ``(1 - v) m y``, spread over sectors by the
    consumption shares ``c``.  Each unit of producer demand pays ``w'Lc`` compensation and
    creates ``e'Lc`` jobs (``(e o p)'Lc`` persons, ``p`` persons per FTE), a net household
    gain of ``h'Lc`` with ``h = net w - u b_t (e o p)``.  Type II:
    ``y = y0 + (1 - v) m h'Lc y``, so ``y = y0 / (1 - theta)`` with ``theta = (1 - v) m h'Lc``
    (Miller and Blair 2009, eq. 2.25, with household income coefficients ``h`` and household
    consumption coefficients ``(1 - v) m c``).  Multiplier method: the stated multiplier
    ``k`` applies to the jobs in proportion to the net gain, ``induced = (k - 1) (J1 +
    other_earners) y0 / (net comp1)``, and the induced jobs add ``net avgw (1 + r)`` each to
    household income, less ``u b_t`` per induced person.

    References: De Henau (2022, section 5) and UN Women and ILO (2021, step 3) count the lower
    benefit spending as a fiscal return; De Henau (2022, IJCCEP 16:3) computes the change in
    household income with a tax–benefit microsimulation (UKMOD), i.e. net of the benefits
    withdrawn.
    """
    _, r, net = _labour_rates(p)
    m = np.asarray(p.g("fiscal", "propensity_to_consume"))
    v = np.asarray(p.g("fiscal", "indirect_tax_rate"))
    u = np.asarray(p.g("fiscal", "share_from_unemployment"))
    benefit = u * p.g("fiscal", "unemployment_benefit") * wgrowth  # lost benefit per new job
    unit = model.money_unit
    e, w, g, L, c = (
        model.employment,
        model.compensation,
        model.female_share,
        model.L,
        model.consumption_shares,
    )
    ep = model.persons
    kappa, eLc, egLc = float(w @ L @ c), float(e @ L @ c), float((e * g) @ L @ c)
    pLc, pgLc = float(ep @ L @ c), float((ep * g) @ L @ c)
    persons1 = jobs if persons is None else persons
    persons1_w = jobs_women if persons_women is None else persons_women
    comp1 = sum(np.asarray(x, dtype=float) for x in compensation.values())
    gross0 = net * comp1
    y0 = gross0 - benefit * persons1
    i = _first_bad(np.asarray(y0) < -1e-9 * np.maximum(np.abs(np.asarray(gross0)), 1.0))
    if i is not None:
        per_person = _at(gross0, i) / max(_at(persons1, i), 1e-300)
        raise InvestmentInputError(
            f"fiscal.share_from_unemployment x fiscal.unemployment_benefit = "
            f"{_at(benefit, i):,.0f} per person taking a new job (in {p.where(i)}) exceeds "
            f"the disposable earnings per person, {per_person:,.0f} (direct, indirect and "
            "capital jobs); the households taking the jobs would lose income.  Check the "
            "benefit (currency per person per year), the share from unemployment, and the "
            "input–output model's compensation per job"
        )
    method = p.s.induced
    if method == "type_ii":
        theta = (1.0 - v) * m * (net * kappa - benefit * pLc / unit)
        if np.any(theta >= 1.0):
            raise InvestmentInputError(
                "(1 - indirect_tax_rate) x propensity_to_consume x net household income per "
                f"unit of consumption h'Lc = {np.max(theta):.3g}; must be < 1"
            )
        y = y0 / (1.0 - theta)
        prod = (1.0 - v) * m * y
        induced = eLc * prod / unit
        induced_w = egLc * prod / unit
        induced_p, induced_pw = pLc * prod / unit, pgLc * prod / unit
        induced_comp = kappa * prod
    elif method == "multiplier":
        kmult = np.asarray(p.g("induced", "consumption_multiplier"))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(gross0 != 0, y0 / np.where(gross0 != 0, gross0, 1.0), 1.0)
        induced = (kmult - 1.0) * (jobs + other_earners) * share
        induced_w = induced * (egLc / eLc if eLc > 0 else np.nan)
        induced_p = induced * (pLc / eLc if eLc > 0 else 1.0)
        induced_pw = induced * (pgLc / eLc if eLc > 0 else np.nan)
        induced_comp = induced * avgw * (1.0 + r)
        y = y0 + net * induced_comp - benefit * induced_p
    else:
        induced = induced_w = induced_comp = np.zeros_like(y0)
        induced_p = induced_pw = np.zeros_like(y0)
        y = y0
    cons = m * y
    total = jobs + induced
    persons_total = persons1 + induced_p
    out: dict[str, Any] = {
        f"tax_labour_{k}": np.asarray(x, dtype=float) * (1.0 - net) for k, x in compensation.items()
    }
    out.update(
        {
            "jobs_induced": induced,
            "induced_women": induced_w,
            "induced_compensation": induced_comp,
            "disposable_income": y,
            "consumption": cons,
            "producer_demand": (1.0 - v) * cons,
            "tax_induced_labour": induced_comp * (1.0 - net),
            "tax_consumption": v * cons,
            "benefit_savings": benefit * persons_total,
            "jobs_total": total,
            "jobs_women": jobs_women + induced_w,
            "persons_induced": induced_p,
            "persons_induced_women": induced_pw,
            "persons_total": persons_total,
            "persons_women": persons1_w + induced_pw,
        }
    )
    out["fiscal_returns"] = (
        sum(out[f"tax_labour_{k}"] for k in compensation)
        + out["tax_induced_labour"]
        + out["tax_consumption"]
        + out["benefit_savings"]
    )
    return out


# --------------------------------------------------------------------------------------------
# core (vectorised over draws D and years T)
# --------------------------------------------------------------------------------------------
def _core(
    scn: Scenario,
    model: IOModel,
    overrides: Overrides | None = None,
    detail: bool = False,
    labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    p = _Params(scn, overrides, labels)
    _check_joint(p)
    years = scn.years
    phase = np.asarray(scn.phase_in, dtype=float)[None, :]
    gdp, wgrowth, avgw = _paths(p)
    r = _labour_rates(p)[1]
    unit = model.money_unit
    e, w, g, L = model.employment, model.compensation, model.female_share, model.L
    eL, wL, egL = e @ L, w @ L, (e * g) @ L
    pL, pgL = model.persons @ L, (model.persons * g) @ L  # persons (headcount) per unit

    out: dict[str, Any] = {"years": years, "gdp": gdp * np.ones_like(phase)}
    acc: dict[str, Any] = {
        k: 0.0
        for k in (
            "newly_covered",
            "newly_covered_in_year",
            "care",
            "other",
            "care_w",
            "other_w",
            "gross",
            "current",
            "replaced",
            "wages_direct",
            "ind_jobs",
            "ind_jobs_w",
            "ind_comp",
            "staff_cost",
            "nonstaff",
            "upgrade",
            "capital",
            "cap_jobs",
            "cap_jobs_w",
            "cap_comp",
            "parents",
            "parents_w",
            "parent_comp",
            "persons",
            "persons_w",
        )
    }
    per_service: dict[str, dict[str, Any]] = {}
    shape = (model.n, *np.broadcast_shapes(np.shape(gdp), (1, len(years))))
    ns_by_sector = np.zeros(shape) if detail else None
    cap_by_sector = np.zeros(shape) if detail else None
    for svc in scn.services:
        need = scn.need_population(svc)[None, :]
        cur = np.asarray(p.sv(svc, "current_coverage"))
        tgt = np.asarray(p.sv(svc, "target_coverage"))
        cov = cur + (tgt - cur) * phase
        new = (cov - cur) * need
        # increment over the previous year (0 in the base year); negative when the population
        # in need falls once the target coverage is reached
        new_in_year = np.diff(new, axis=-1, prepend=new[..., :1])
        care = (
            new
            / np.asarray(p.sv(svc, "persons_per_staff"))
            * (
                np.asarray(p.sv(svc, "service_hours_per_week"))
                * np.asarray(p.sv(svc, "service_weeks_per_year"))
                / (
                    np.asarray(p.sv(svc, "staff_hours_per_week"))
                    * np.asarray(p.sv(svc, "staff_weeks_per_year"))
                )
            )
        )
        other = care * np.asarray(p.sv(svc, "non_care_staff_ratio"))
        rel = p.sv(svc, "wage_relative_to_average")
        w0 = rel * avgw if rel is not None else np.asarray(p.sv(svc, "wage")) * wgrowth
        floor = p.sv(svc, "wage_floor_relative_to_average")
        wage = np.maximum(w0, floor * avgw) if floor is not None else w0 * 1.0
        w_oth = np.asarray(p.sv(svc, "non_care_wage_relative_to_average")) * avgw
        gross_wages = care * wage + other * w_oth
        staff_cost = gross_wages * (1.0 + r)
        s_share = np.asarray(p.sv(svc, "non_staff_cost_share"))
        recurrent = staff_cost / (1.0 - s_share)
        nonstaff = recurrent * s_share
        # pay rise of existing staff to the floor: independent of the coverage gap
        upgrade_gross = np.asarray(p.sv(svc, "current_staff")) * (wage - w0) * phase
        upgrade = upgrade_gross * (1.0 + r)
        # places built: increase of the running maximum of newly covered persons (measured
        # beyond base-year coverage, so a phase-in above 0 in the base year builds places then)
        peak = np.maximum.accumulate(new, axis=-1)
        built = np.diff(peak, axis=-1, prepend=0.0)
        capital = np.asarray(p.sv(svc, "capital_cost_per_place")) * built
        if svc.capital_sector is not None:
            u = np.zeros(model.n)
            u[model.index_of(svc.capital_sector)] = 1.0
        else:
            u = np.zeros(model.n)
        cap_jobs = float(eL @ u) * capital / unit
        cap_jobs_w = float(egL @ u) * capital / unit
        cap_persons = float(pL @ u) * capital / unit
        cap_persons_w = float(pgL @ u) * capital / unit
        cap_comp = float(wL @ u) * capital
        gross = recurrent + upgrade + capital
        parents = np.asarray(p.sv(svc, "parent_employment_per_person")) * new
        parents_w = parents * np.asarray(p.sv(svc, "parent_women_share"))
        parent_comp = (
            parents
            * np.asarray(p.sv(svc, "parent_earnings_relative_to_average"))
            * avgw
            * (1.0 + r)
        )
        current = np.asarray(p.sv(svc, "current_spending_pct_gdp")) / 100.0 * gdp
        replaced = np.asarray(p.sv(svc, "replaced_spending_pct_gdp")) / 100.0 * gdp * phase
        ws = np.asarray(p.sv(svc, "women_share"))
        nws = np.asarray(p.sv(svc, "non_care_women_share"))
        if svc.non_staff_inputs is None:
            d = model.input_structure(svc.sector)
        else:
            d = np.zeros(model.n)
            for sec, share in svc.non_staff_inputs.items():
                d[model.index_of(sec)] += share
        ind_jobs = float(eL @ d) * nonstaff / unit
        ind_jobs_w = float(egL @ d) * nonstaff / unit
        ind_comp = float(wL @ d) * nonstaff
        # direct staff are FTE: persons with the service sector's persons per FTE
        ppf = float(model.persons_per_fte[model.index_of(svc.sector)])
        persons = ppf * (care + other) + float(pL @ d) * nonstaff / unit + cap_persons
        persons_w = (
            ppf * (care * ws + other * nws) + float(pgL @ d) * nonstaff / unit + cap_persons_w
        )
        for k, v in (
            ("newly_covered", new),
            ("newly_covered_in_year", new_in_year),
            ("care", care),
            ("other", other),
            ("care_w", care * ws),
            ("other_w", other * nws),
            ("gross", gross),
            ("current", current),
            ("replaced", replaced),
            ("wages_direct", gross_wages + upgrade_gross),
            ("ind_jobs", ind_jobs),
            ("ind_jobs_w", ind_jobs_w),
            ("ind_comp", ind_comp),
            ("staff_cost", staff_cost),
            ("nonstaff", nonstaff),
            ("upgrade", upgrade),
            ("capital", capital),
            ("cap_jobs", cap_jobs),
            ("cap_jobs_w", cap_jobs_w),
            ("cap_comp", cap_comp),
            ("parents", parents),
            ("parents_w", parents_w),
            ("parent_comp", parent_comp),
            ("persons", persons),
            ("persons_w", persons_w),
        ):
            acc[k] = acc[k] + v
        if detail:
            assert ns_by_sector is not None
            assert cap_by_sector is not None
            ns_by_sector = ns_by_sector + d[:, None, None] * (nonstaff / unit)[None, ...]
            cap_by_sector = cap_by_sector + u[:, None, None] * (
                np.broadcast_to(capital, shape[1:]) / unit
            )[None, ...]
            per_service[svc.name] = {
                "need_population": need,
                "coverage": cov,
                "newly_covered": new,
                "newly_covered_in_year": new_in_year,
                "care_staff_fte": care,
                "other_staff_fte": other,
                "care_wage": wage,
                "staff_cost": staff_cost,
                "non_staff_cost": nonstaff,
                "wage_upgrade_cost": upgrade,
                "places_built": built,
                "capital_cost": capital,
                "parents_employed": parents,
                "gross_cost": gross,
                "current_spending": current,
                "replaced_spending": replaced,
            }

    direct = acc["care"] + acc["other"]
    direct_w = acc["care_w"] + acc["other_w"]
    hh = _household_round(
        p,
        model,
        compensation={
            "direct": acc["wages_direct"] * (1.0 + r),
            "indirect": acc["ind_comp"],
            "capital": acc["cap_comp"],
            "parents": acc["parent_comp"],
        },
        jobs=direct + acc["ind_jobs"] + acc["cap_jobs"],
        jobs_women=direct_w + acc["ind_jobs_w"] + acc["cap_jobs_w"],
        persons=acc["persons"],
        persons_women=acc["persons_w"],
        other_earners=acc["parents"],
        avgw=avgw,
        wgrowth=wgrowth,
    )
    total, women = hh["jobs_total"], hh["jobs_women"]
    men = total - women
    gross = acc["gross"]
    netf = net_funding_requirement(gross, hh["fiscal_returns"], acc["replaced"])
    total_spending = acc["current"] + gross - acc["replaced"]
    wa_w, wa_m = p.g("macro", "working_age_women"), p.g("macro", "working_age_men")
    sne = p.g("macro", "share_from_non_employment")
    rate_w0 = p.g("macro", "employed_women") / wa_w
    rate_m0 = p.g("macro", "employed_men") / wa_m
    # employment rates count persons (FTE x persons per FTE), not FTE
    p_total, p_women = hh["persons_total"], hh["persons_women"]
    dw = 100.0 * (sne * p_women + acc["parents_w"]) / wa_w
    dm = 100.0 * (sne * (p_total - p_women) + acc["parents"] - acc["parents_w"]) / wa_m
    gap0 = 100.0 * (rate_m0 - rate_w0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.update(
            {
                "gross_cost": gross,
                "gross_cost_pct_gdp": 100.0 * gross / gdp,
                "capital_cost": acc["capital"],
                "current_spending": acc["current"],
                "replaced_spending": acc["replaced"],
                "total_spending": total_spending,
                "total_spending_pct_gdp": 100.0 * total_spending / gdp,
                "newly_covered": acc["newly_covered"],
                "newly_covered_in_year": acc["newly_covered_in_year"],
                "jobs_direct_care": acc["care"],
                "jobs_direct_other": acc["other"],
                "jobs_direct": direct,
                "jobs_indirect": acc["ind_jobs"],
                "jobs_induced": hh["jobs_induced"],
                "jobs_capital": acc["cap_jobs"],
                "jobs_total": total,
                "jobs_women": women,
                "jobs_men": men,
                "women_share_of_jobs": np.where(
                    total > 0, women / np.where(total > 0, total, 1), np.nan
                ),
                "jobs_persons": p_total,
                "jobs_persons_women": p_women,
                "tax_direct_labour": hh["tax_labour_direct"],
                "tax_indirect_labour": hh["tax_labour_indirect"],
                "tax_induced_labour": hh["tax_induced_labour"],
                "tax_capital_labour": hh["tax_labour_capital"],
                "tax_parents_labour": hh["tax_labour_parents"],
                "parents_employed": acc["parents"],
                "parents_employed_women": acc["parents_w"],
                "tax_consumption": hh["tax_consumption"],
                "benefit_savings": hh["benefit_savings"],
                "fiscal_returns": hh["fiscal_returns"],
                "net_funding": netf,
                "net_funding_pct_gross": np.where(
                    gross > 0, 100.0 * netf / np.where(gross > 0, gross, 1), np.nan
                ),
                "net_funding_pct_gdp": 100.0 * netf / gdp,
                "women_emp_rate_change_pp": dw,
                "men_emp_rate_change_pp": dm,
                "gender_gap_pp": gap0 + dm - dw,
                "gender_gap_change_pp": dm - dw,
                "direct_women": direct_w,
                "indirect_women": acc["ind_jobs_w"],
                "induced_women": hh["induced_women"],
                "capital_women": acc["cap_jobs_w"],
                "direct_care_women": acc["care_w"],
                "direct_other_women": acc["other_w"],
                "staff_cost": acc["staff_cost"],
                "non_staff_cost": acc["nonstaff"],
                "wage_upgrade_cost": acc["upgrade"],
                "consumption": hh["consumption"],
                "producer_demand": hh["producer_demand"],
            }
        )
    if detail:
        assert ns_by_sector is not None
        c = model.consumption_shares
        assert cap_by_sector is not None
        out["x_indirect"] = np.einsum("ij,jdt->idt", L, ns_by_sector)
        out["x_capital"] = np.einsum("ij,jdt->idt", L, cap_by_sector)
        if scn.induced == "type_ii":
            prod = np.asarray(hh["producer_demand"], dtype=float) / unit
            out["x_induced"] = (L @ c)[:, None, None] * prod[None, ...]
        else:
            eLc = float(eL @ c)
            jshare = (e * (L @ c)) / eLc if eLc > 0 else np.zeros(model.n)
            out["x_induced_jobs"] = (
                jshare[:, None, None] * np.asarray(hh["jobs_induced"], dtype=float)[None, ...]
            )
        out["per_service"] = per_service
    return out


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
            + f"), {100 * self.women_share_of_jobs:.0f}% for women"
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
            f"of GDP); women's employment rate rises by {self.women_emp_rate_change_pp:.2f} points "
            f"and the gender employment gap changes by {self.gender_gap_change_pp:+.2f} points."
        )


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
    """

    scenario: Scenario = field(repr=False)
    model: IOModel = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    by_service: pd.DataFrame = field(repr=False)
    jobs: pd.DataFrame = field(repr=False)
    jobs_by_sector: pd.DataFrame = field(repr=False)
    fiscal: pd.DataFrame = field(repr=False)

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
        factor = (1.0 + rate) ** -(years - self.scenario.base_year).astype(float)
        rows = [
            {
                "measure": m,
                "total": float(self.summary[m].sum()),
                "present_value": float((self.summary[m].to_numpy() * factor).sum()),
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


def simulate(scenario: Scenario, model: IOModel | None = None) -> SimulationResult:
    """Run a care-investment scenario.

    Parameters
    ----------
    scenario : Scenario
        Validated scenario (see :func:`~carecost.investment.load_scenario`).
    model : IOModel, optional
        Input–output model for indirect and induced effects; defaults to the synthetic
        example-country table when ``scenario.io_dataset == "example"``.

    Returns
    -------
    SimulationResult
        Tidy tables by year; money in the scenario currency (constant base-year prices),
        jobs in the model's employment unit.

    References
    ----------
    UN Women and ILO (2021); De Henau (2022); ILO (2022); Miller and Blair (2009). See the
    module docstring for every equation.
    """
    if model is None:
        if scenario.io_dataset != "example":
            raise InvestmentInputError(
                f"io.dataset = {scenario.io_dataset!r}: pass an IOModel "
                "(allowed built-in: 'example')"
            )
        model = example_io_model()
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
    core = _core(scenario, model, detail=True)
    years = scenario.years
    summary = pd.DataFrame({"year": years})
    for k in SUMMARY_MEASURES:
        summary[k] = _row(np.broadcast_to(core[k], (1, len(years))))
    rows = []
    for name, vals in core["per_service"].items():
        df = pd.DataFrame({"year": years, "service": name})
        for k, v in vals.items():
            df[k] = _row(np.broadcast_to(v, (1, len(years))))
        rows.append(df)
    by_service = pd.concat(rows, ignore_index=True)
    jobs_rows = []
    for typ, tot, wom in (
        ("direct_care", "jobs_direct_care", "direct_care_women"),
        ("direct_other", "jobs_direct_other", "direct_other_women"),
        ("indirect", "jobs_indirect", "indirect_women"),
        ("induced", "jobs_induced", "induced_women"),
        ("capital", "jobs_capital", "capital_women"),
    ):
        t = _row(np.broadcast_to(core[tot], (1, len(years))))
        wv = _row(np.broadcast_to(core[wom], (1, len(years))))
        jobs_rows.append(pd.DataFrame({"year": years, "type": typ, "sex": "women", "jobs": wv}))
        jobs_rows.append(pd.DataFrame({"year": years, "type": typ, "sex": "men", "jobs": t - wv}))
    jobs = pd.concat(jobs_rows, ignore_index=True)
    sec_rows = []
    e, g = model.employment, model.female_share
    xi = core["x_indirect"][:, 0, :]
    sec_rows.append(("indirect", e[:, None] * xi))
    sec_rows.append(("capital", e[:, None] * core["x_capital"][:, 0, :]))
    if "x_induced" in core:
        sec_rows.append(("induced", e[:, None] * core["x_induced"][:, 0, :]))
    else:
        sec_rows.append(("induced", core["x_induced_jobs"][:, 0, :]))
    frames = []
    for typ, mat in sec_rows:
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
    return SimulationResult(scenario, model, summary, by_service, jobs, jobs_by_sector, fiscal)


# --------------------------------------------------------------------------------------------
# comparison with the same spending in another sector
# --------------------------------------------------------------------------------------------
def _io_spending(
    p: _Params, model: IOModel, demand: np.ndarray, avgw: Any, wgrowth: Any
) -> dict[str, Any]:
    """Jobs and fiscal returns of final demand ``demand`` (currency, one entry per sector).

    Direct jobs ``sum_j e_j f_j``, indirect ``e'L f - direct``; compensation ``w'L f`` is the
    first-round income of :func:`_household_round`, which adds the induced effects and the
    fiscal returns with the same equations (and parameter values) as the simulation.
    """
    f = np.asarray(demand, dtype=float) / model.money_unit
    e, w, g, L = model.employment, model.compensation, model.female_share, model.L
    direct = float(e @ f)
    first = float(e @ L @ f)
    first_w = float(((e * g) @ L) @ f)
    hh = _household_round(
        p,
        model,
        compensation={"io": float(w @ L @ f) * model.money_unit},
        jobs=first,
        jobs_women=first_w,
        persons=float(model.persons @ L @ f),
        persons_women=float((model.persons * g) @ L @ f),
        avgw=avgw,
        wgrowth=wgrowth,
    )
    return {
        "jobs_direct": direct,
        "jobs_indirect": first - direct,
        "jobs_induced": hh["jobs_induced"],
        "jobs_total": hh["jobs_total"],
        "jobs_women": hh["jobs_women"],
        "fiscal_returns": hh["fiscal_returns"],
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
    _, wgrowth, avgw = _paths(p)
    if any(x.parent_employment_per_person > 0 for x in scn.services):
        # the demand side alone: the same scenario without the parents' labour supply
        core = _core(scn, model, {"services.*.parent_employment_per_person": np.zeros((1, 1))})
        s = pd.Series({k: float(np.broadcast_to(core[k], (1, len(scn.years)))[0, i])
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
        d = _io_spending(p, model, demand, avgw, wgrowth)
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

"""The care-investment model, one function per step of the published method.

Each function is one step of the costing method of UN Women and ILO (2021) as implemented
in the ILO Care Policy Investment Simulator (De Henau 2022), with the input–output steps of
Miller and Blair (2009).  :func:`carecost.investment.simulate` composes them for one
scenario; :func:`carecost.investment.monte_carlo` and :func:`carecost.investment.sensitivity`
call the very same functions with parameter draws, so there is one implementation.

Conventions (as in pvlib-python): every parameter and return value states its unit in
brackets; money is in constant base-year prices of the scenario currency; jobs are
full-time equivalents [FTE] in the employment unit of the input–output model; persons are
headcounts [persons]; shares are in [0, 1] [share].  Arrays broadcast over a leading *draws*
axis and a trailing *years* axis: a scenario value is a float, a Monte Carlo draw a column
of shape ``(D, 1)``, a path by year a row of shape ``(1, T)``; results have shape
``(D, T)`` (or ``(1, T)`` without draws).  Argument names of scenario parameters are the
keys of the scenario file (:mod:`carecost.investment.fields`), so that the composer fills
them by name.

Steps, in the order of the method (year ``t``, service ``s``):

1. :func:`macro_paths` -- GDP and wage paths.
2. :func:`persons_in_need`, :func:`coverage` -- need and coverage (deficits, phase-in).
3. :func:`staffing`, :func:`staff_grade_mean` -- care and other staff [FTE].
4. :func:`care_wage`, :func:`recurrent_cost`, :func:`wage_upgrade` -- recurrent cost.
5. :func:`capital_cost` -- capital cost of new places.
6. :func:`public_spending`, :func:`gross_cost`, :func:`total_spending` -- spending.
7. :func:`direct_jobs` -- direct jobs (bottom-up from staffing).
8. :func:`io_jobs` -- indirect jobs (Leontief Type I) of non-staff and capital spending.
9. :func:`parents_employment` -- parents taking up paid work (labour supply, optional).
10. :func:`household_round` -- induced jobs (Type II closure or a consumption multiplier),
    household income as the net gain after lost benefits.
11. :func:`fiscal_returns`, :func:`employment_rates` -- returns and employment rates.
12. :func:`net_funding`, :func:`net_funding_requirement`, :func:`present_value`.
13. :func:`leave_benefit`, :func:`leave_cost`, :func:`breastfeeding_benefit`,
    :func:`breastfeeding_cost` -- childcare-related leave and paid breastfeeding breaks
    (transfers to employed parents, costed from births; no jobs counted).

References
----------
UN Women and ILO (2021). *A Guide to Public Investments in the Care Economy: Policy Support
Tool for Estimating Care Deficits, Investment Costs and Economic Returns*. New York/Geneva.
De Henau, J. (2022). *Costs and benefits of investing in transformative care policy
packages: A macrosimulation study in 82 countries*. ILO Working Paper 55.
doi:10.54394/AKYJ8893.
De Henau, J. (2022). Simulating employment and fiscal effects of public investment in
high-quality universal childcare in the UK. *International Journal of Child Care and
Education Policy* 16, 3. doi:10.1186/s40723-022-00096-y.
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis: Foundations and Extensions*,
2nd ed. Cambridge University Press.
HM Treasury (2022). *The Green Book*, section A6 (discounting).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ._validate import InvestmentInputError

if TYPE_CHECKING:
    from .io import IOModel

__all__ = [
    "CapitalCost",
    "CareWage",
    "Coverage",
    "DirectJobs",
    "EmploymentRates",
    "FiscalReturns",
    "HouseholdRound",
    "IOJobs",
    "MacroPaths",
    "NetFunding",
    "Parents",
    "RecurrentCost",
    "Staffing",
    "TransferCost",
    "WageUpgrade",
    "breastfeeding_benefit",
    "breastfeeding_cost",
    "capital_cost",
    "care_wage",
    "coverage",
    "direct_jobs",
    "employment_rates",
    "fiscal_returns",
    "gross_cost",
    "household_round",
    "io_jobs",
    "leave_benefit",
    "leave_cost",
    "lost_benefit",
    "macro_paths",
    "net_earnings_share",
    "net_funding",
    "net_funding_requirement",
    "parents_employment",
    "persons_in_need",
    "present_value",
    "public_spending",
    "recurrent_cost",
    "staff_grade_mean",
    "staffing",
    "total_spending",
    "wage_upgrade",
]

#: A value: a float (scenario value), a ``(D, 1)`` column of draws, a ``(1, T)`` path or a
#: ``(D, T)`` array.
Array = Any
InducedMethod = Literal["type_ii", "multiplier", "none"]


def _first_bad(mask: Any) -> int | None:
    """Index of the first row (draw) where ``mask`` is true, or None."""
    m = np.atleast_2d(np.asarray(mask, dtype=bool))
    rows = np.nonzero(m.any(axis=1))[0]
    return int(rows[0]) if rows.size else None


def _at(value: Any, i: int) -> float:
    """Value of a scalar or ``(D, ...)`` array in row ``i`` (its first column)."""
    arr = np.atleast_2d(np.asarray(value, dtype=float))
    return float(arr[min(i, arr.shape[0] - 1), 0])


def _label(labels: Sequence[str] | None, i: int) -> str:
    return f"draw {i}" if labels is None else labels[min(i, len(labels) - 1)]


# -------------------------------------------------------------------------------- step 1
@dataclass(frozen=True)
class MacroPaths:
    """GDP and wage paths by year (see :func:`macro_paths`).

    Attributes
    ----------
    gdp : array
        GDP [currency/year].
    wage_index : array
        Real wage index, 1 in the base year [1].
    average_wage : array
        Average gross annual wage per FTE [currency/FTE/year].
    """

    gdp: Array
    wage_index: Array
    average_wage: Array


def macro_paths(
    years_since_base: Array,
    gdp: Array,
    gdp_growth: Array,
    average_wage: Array,
    real_wage_growth: Array,
) -> MacroPaths:
    r"""GDP and the average wage, growing at constant real rates.

    .. math:: \mathrm{GDP}_t = \mathrm{GDP}_0 (1 + g)^t, \qquad
              \bar w_t = \bar w_0 (1 + g_w)^t

    Parameters
    ----------
    years_since_base : array
        ``t`` = year minus base year, a ``(1, T)`` row [years].
    gdp : array
        Base-year GDP [currency/year].
    gdp_growth : array
        Real GDP growth ``g`` [share/year].
    average_wage : array
        Base-year average gross wage [currency/FTE/year].
    real_wage_growth : array
        Real wage growth ``g_w`` [share/year].

    Returns
    -------
    MacroPaths
        ``gdp`` [currency/year], ``wage_index`` [1], ``average_wage`` [currency/FTE/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (costs in constant prices); De Henau (2022), section 3.
    """
    gdp_t = gdp * (1.0 + np.asarray(gdp_growth)) ** years_since_base
    index = (1.0 + np.asarray(real_wage_growth)) ** years_since_base
    return MacroPaths(gdp=gdp_t, wage_index=index, average_wage=average_wage * index)


# -------------------------------------------------------------------------------- step 2
def persons_in_need(population: Array, need_rate: Array) -> np.ndarray:
    r"""Persons needing a service: population by single year of age times need rate.

    .. math:: N_{st} = \sum_a P_{at}\, r_{sa}

    Parameters
    ----------
    population : array, shape (T, A)
        Population by year and single year of age of the service's ages [persons].
    need_rate : array, shape (A,)
        Share of each age needing the service (1 for childcare; dependency prevalence for
        long-term care) [share].

    Returns
    -------
    ndarray, shape (T,)
        Persons in need [persons].

    References
    ----------
    UN Women and ILO (2021), step 1 (care needs and deficits).
    """
    return np.asarray(population, dtype=float) @ np.asarray(need_rate, dtype=float)


@dataclass(frozen=True)
class Coverage:
    """Coverage path and newly covered persons (see :func:`coverage`).

    Attributes
    ----------
    coverage : array
        Share of persons in need covered [share].
    newly_covered : array
        Persons covered beyond base-year coverage, a stock [persons].
    newly_covered_in_year : array
        Change of ``newly_covered`` from the previous year (0 in the base year; negative
        when the population in need falls after the target year) [persons].
    """

    coverage: Array
    newly_covered: Array
    newly_covered_in_year: Array


def coverage(
    need: Array, current_coverage: Array, target_coverage: Array, phase_in: Array
) -> Coverage:
    r"""Coverage along the phase-in path and the persons newly covered (the deficit closed).

    .. math:: c_{st} = c_{s0} + (c_s^* - c_{s0})\, p_t, \qquad
              n_{st} = (c_{st} - c_{s0})\, N_{st}

    Parameters
    ----------
    need : array
        Persons in need ``N``, a ``(1, T)`` row [persons].
    current_coverage : array
        Base-year coverage ``c_0`` [share].
    target_coverage : array
        Coverage from the target year on ``c*`` (at least ``c_0``) [share].
    phase_in : array
        Share of the coverage gap closed ``p_t``: 0 in the base year, 1 from the target
        year, a ``(1, T)`` row [share].

    Returns
    -------
    Coverage
        ``coverage`` [share], ``newly_covered`` and ``newly_covered_in_year`` [persons].

    References
    ----------
    UN Women and ILO (2021), step 1 (coverage gaps and targets); De Henau (2022), section 2.
    """
    cur = np.asarray(current_coverage)
    cov = cur + (np.asarray(target_coverage) - cur) * phase_in
    new = (cov - cur) * need
    in_year = np.diff(new, axis=-1, prepend=new[..., :1])
    return Coverage(coverage=cov, newly_covered=new, newly_covered_in_year=in_year)


# -------------------------------------------------------------------------------- step 3
@dataclass(frozen=True)
class Staffing:
    """Care and other staff (see :func:`staffing`).

    Attributes
    ----------
    care_staff_fte, other_staff_fte : array
        [FTE].
    """

    care_staff_fte: Array
    other_staff_fte: Array


def staffing(
    newly_covered: Array,
    persons_per_staff: Array,
    service_hours_per_week: Array,
    service_weeks_per_year: Array,
    staff_hours_per_week: Array,
    staff_weeks_per_year: Array,
    non_care_staff_ratio: Array,
) -> Staffing:
    r"""Care staff from the staffing ratio and hours; other staff per care worker.

    .. math:: S_{st} = \frac{n_{st}}{\text{ratio}_s}
              \frac{\text{service hours}_s \cdot \text{service weeks}_s}
                   {\text{staff hours}_s \cdot \text{staff weeks}_s},
              \qquad O_{st} = o_s S_{st}

    Parameters
    ----------
    newly_covered : array
        ``n`` [persons].
    persons_per_staff : array
        Persons per full-time care worker while the service is open [persons/FTE].
    service_hours_per_week, staff_hours_per_week : array
        Hours of care per covered person, contractual hours of a full-time worker
        [hours/week].
    service_weeks_per_year, staff_weeks_per_year : array
        Weeks the service is used, weeks a full-time worker works (net of leave and
        training) [weeks/year].
    non_care_staff_ratio : array
        Other staff per care worker ``o`` [FTE/FTE].

    Returns
    -------
    Staffing
        ``care_staff_fte`` and ``other_staff_fte`` [FTE].

    References
    ----------
    UN Women and ILO (2021), step 2 (staff-to-child ratios, hours); ILO (2022) Care Policy
    Investment Simulator (annual weeks).
    """
    care = (
        newly_covered
        / np.asarray(persons_per_staff)
        * (
            np.asarray(service_hours_per_week)
            * np.asarray(service_weeks_per_year)
            / (np.asarray(staff_hours_per_week) * np.asarray(staff_weeks_per_year))
        )
    )
    return Staffing(care_staff_fte=care, other_staff_fte=care * np.asarray(non_care_staff_ratio))


def staff_grade_mean(shares: Sequence[float], values: Sequence[float]) -> float:
    r"""Share-weighted mean over staff grades (pay or women's share of a staff mix).

    .. math:: \bar x = \sum_g \pi_g x_g

    Costs are linear in wages, so costing the staff at the mean wage is exact.

    Parameters
    ----------
    shares : sequence of float
        Share of the care staff in each grade, summing to 1 [share].
    values : sequence of float
        The grades' values (pay [multiple of the average wage] or [currency/FTE/year];
        women's share [share]).

    Returns
    -------
    float
        The mean, in the unit of ``values``.

    References
    ----------
    UN Women and ILO (2021), step 2 (staff qualifications and pay).
    """
    return float(sum(s * v for s, v in zip(shares, values, strict=True)))


# -------------------------------------------------------------------------------- step 4
@dataclass(frozen=True)
class CareWage:
    """Care workers' wage before and after the wage floor (see :func:`care_wage`).

    Attributes
    ----------
    wage_before_floor, care_wage : array
        [currency/FTE/year].
    """

    wage_before_floor: Array
    care_wage: Array


def care_wage(
    average_wage_t: Array,
    wage_index: Array,
    wage_relative_to_average: Array | None = None,
    wage: Array | None = None,
    wage_floor_relative_to_average: Array | None = None,
) -> CareWage:
    r"""Care workers' gross wage, raised to a decent-work floor.

    .. math:: w^0_{st} = \text{rel}_s\, \bar w_t \ \text{(or an absolute wage} \times
              \text{wage index)}, \qquad w_{st} = \max(w^0_{st}, \text{floor}_s\, \bar w_t)

    Parameters
    ----------
    average_wage_t : array
        Average wage in year ``t``, ``wbar_t`` [currency/FTE/year].
    wage_index : array
        Real wage index (1 in the base year) [1].
    wage_relative_to_average : array, optional
        Care wage as a multiple of the average wage [1]; else ``wage`` is used.
    wage : array, optional
        Base-year care wage [currency/FTE/year].
    wage_floor_relative_to_average : array, optional
        Wage floor as a multiple of the average wage [1].

    Returns
    -------
    CareWage
        ``wage_before_floor`` and ``care_wage`` [currency/FTE/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (decent-work wage scenario); De Henau (2022), section 3.
    """
    if wage_relative_to_average is not None:
        w0 = wage_relative_to_average * average_wage_t
    else:
        w0 = np.asarray(wage) * wage_index
    if wage_floor_relative_to_average is not None:
        w = np.maximum(w0, wage_floor_relative_to_average * average_wage_t)
    else:
        w = w0 * 1.0
    return CareWage(wage_before_floor=w0, care_wage=w)


@dataclass(frozen=True)
class RecurrentCost:
    """Recurrent cost of the new places (see :func:`recurrent_cost`).

    Attributes
    ----------
    gross_wages : array
        Gross wages of the new care and other staff [currency/year].
    staff_cost : array
        Gross wages plus employer contributions [currency/year].
    non_staff_cost : array
        Rent, food, materials [currency/year].
    recurrent_cost : array
        Staff plus non-staff cost [currency/year].
    """

    gross_wages: Array
    staff_cost: Array
    non_staff_cost: Array
    recurrent_cost: Array


def recurrent_cost(
    care_staff_fte: Array,
    other_staff_fte: Array,
    care_wage: Array,
    average_wage_t: Array,
    non_care_wage_relative_to_average: Array,
    employer_contribution_rate: Array,
    non_staff_cost_share: Array,
) -> RecurrentCost:
    r"""Recurrent cost: staff cost with employer contributions, grossed up for non-staff costs.

    .. math:: \text{staff cost} = (S w + O\, \text{rel}^o \bar w)(1 + e), \qquad
              R = \frac{\text{staff cost}}{1 - \sigma}, \qquad \text{non-staff} = \sigma R

    Parameters
    ----------
    care_staff_fte, other_staff_fte : array
        ``S`` and ``O`` [FTE].
    care_wage : array
        ``w`` [currency/FTE/year].
    average_wage_t : array
        Average wage in year ``t``, ``wbar_t`` [currency/FTE/year].
    non_care_wage_relative_to_average : array
        Other staff's wage ``rel^o`` as a multiple of the average wage [1].
    employer_contribution_rate : array
        ``e`` [share of gross wages].
    non_staff_cost_share : array
        ``sigma``, share of recurrent cost that is not staff cost, in [0, 1) [share].

    Returns
    -------
    RecurrentCost
        ``gross_wages``, ``staff_cost``, ``non_staff_cost``, ``recurrent_cost``
        [currency/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (recurrent costs: wages and other current costs).
    """
    other_wage = np.asarray(non_care_wage_relative_to_average) * average_wage_t
    gross_wages = care_staff_fte * care_wage + other_staff_fte * other_wage
    staff = gross_wages * (1.0 + np.asarray(employer_contribution_rate))
    share = np.asarray(non_staff_cost_share)
    recurrent = staff / (1.0 - share)
    return RecurrentCost(gross_wages=gross_wages, staff_cost=staff,
                         non_staff_cost=recurrent * share, recurrent_cost=recurrent)


@dataclass(frozen=True)
class WageUpgrade:
    """Pay rise of the existing staff to the wage floor (see :func:`wage_upgrade`).

    Attributes
    ----------
    gross_wages : array
        Rise of gross wages [currency/year].
    wage_upgrade_cost : array
        With employer contributions [currency/year].
    """

    gross_wages: Array
    wage_upgrade_cost: Array


def wage_upgrade(
    current_staff: Array,
    care_wage: Array,
    wage_before_floor: Array,
    phase_in: Array,
    employer_contribution_rate: Array,
) -> WageUpgrade:
    r"""Pay rise of the existing care staff to the wage floor, along the phase-in path.

    .. math:: U_{st} = E_s\, (w_{st} - w^0_{st})\,(1 + e)\, p_t

    Independent of the coverage gap: with a binding floor and existing staff, a zero gap
    still costs ``U > 0``.

    Parameters
    ----------
    current_staff : array
        ``E``, care workers already employed [FTE].
    care_wage, wage_before_floor : array
        ``w`` and ``w^0`` [currency/FTE/year].
    phase_in : array
        ``p_t`` [share].
    employer_contribution_rate : array
        ``e`` [share of gross wages].

    Returns
    -------
    WageUpgrade
        ``gross_wages`` and ``wage_upgrade_cost`` [currency/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (decent-work scenario for the existing workforce).
    """
    gross = np.asarray(current_staff) * (care_wage - wage_before_floor) * phase_in
    return WageUpgrade(gross_wages=gross,
                       wage_upgrade_cost=gross * (1.0 + np.asarray(employer_contribution_rate)))


# -------------------------------------------------------------------------------- step 5
@dataclass(frozen=True)
class CapitalCost:
    """Places built and their capital cost (see :func:`capital_cost`).

    Attributes
    ----------
    places_built : array
        [places/year].
    capital_cost : array
        [currency/year].
    """

    places_built: Array
    capital_cost: Array


def capital_cost(newly_covered: Array, capital_cost_per_place: Array) -> CapitalCost:
    r"""One-off capital cost of new places, paid when coverage first exceeds its peak.

    .. math:: K_{st} = k_s \max\bigl(0,\ n_{st} - \max_{u<t} n_{su}\bigr)

    (with the maximum before the base year 0): places left empty by a smaller cohort are
    reused, not rebuilt.

    Parameters
    ----------
    newly_covered : array
        ``n`` [persons] (one place per person).
    capital_cost_per_place : array
        ``k`` [currency/place].

    Returns
    -------
    CapitalCost
        ``places_built`` [places/year] and ``capital_cost`` [currency/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (capital investment in new facilities).
    """
    peak = np.maximum.accumulate(newly_covered, axis=-1)
    built = np.diff(peak, axis=-1, prepend=0.0)
    return CapitalCost(places_built=built,
                       capital_cost=np.asarray(capital_cost_per_place) * built)


# -------------------------------------------------------------------------------- step 6
def public_spending(
    gdp_t: Array,
    phase_in: Array,
    current_spending_pct_gdp: Array,
    replaced_spending_pct_gdp: Array,
) -> tuple[Array, Array]:
    r"""Current public spending on a service and the part the new provision replaces.

    .. math:: \text{current}_{st} = \kappa_s \mathrm{GDP}_t / 100, \qquad
              V_{st} = \rho_s \mathrm{GDP}_t\, p_t / 100, \quad \rho_s \le \kappa_s

    Parameters
    ----------
    gdp_t : array
        GDP in year ``t`` [currency/year].
    phase_in : array
        ``p_t`` [share].
    current_spending_pct_gdp, replaced_spending_pct_gdp : array
        ``kappa`` and ``rho`` [% of GDP].

    Returns
    -------
    current_spending, replaced_spending : array
        [currency/year].

    References
    ----------
    De Henau (2022, IJCCEP 16:3), Table 5 (current subsidies netted in a whole-system
    costing); UN Women and ILO (2021), step 3.
    """
    current = np.asarray(current_spending_pct_gdp) / 100.0 * gdp_t
    replaced = np.asarray(replaced_spending_pct_gdp) / 100.0 * gdp_t * phase_in
    return current, replaced


def gross_cost(recurrent_cost: Array, wage_upgrade_cost: Array, capital_cost: Array) -> Array:
    r"""Gross additional cost of a service.

    .. math:: G_{st} = R_{st} + U_{st} + K_{st}

    Parameters
    ----------
    recurrent_cost, wage_upgrade_cost, capital_cost : array
        [currency/year].

    Returns
    -------
    array
        [currency/year].

    References
    ----------
    UN Women and ILO (2021), step 2 (total annual investment: recurrent and capital).
    """
    return recurrent_cost + wage_upgrade_cost + capital_cost


def total_spending(
    current_spending: Array, gross_cost: Array, replaced_spending: Array, gdp_t: Array
) -> tuple[Array, Array]:
    r"""Public spending on the services after the reform.

    .. math:: \text{total}_t = \sum_s \kappa_s \mathrm{GDP}_t + G_t - V_t

    Parameters
    ----------
    current_spending, gross_cost, replaced_spending : array
        [currency/year].
    gdp_t : array
        GDP in year ``t`` [currency/year].

    Returns
    -------
    total_spending : array
        [currency/year].
    total_spending_pct_gdp : array
        [% of GDP].

    References
    ----------
    UN Women and ILO (2021), step 2 (total public investment in care services); De Henau
    (2022, IJCCEP 16:3), Table 5.
    """
    total = current_spending + gross_cost - replaced_spending
    return total, 100.0 * total / gdp_t


# -------------------------------------------------------------------------------- step 7
@dataclass(frozen=True)
class DirectJobs:
    """Direct jobs of a service (see :func:`direct_jobs`).

    Attributes
    ----------
    care, other, care_women, other_women : array
        [FTE].
    persons, persons_women : array
        The same jobs as persons employed [persons].
    """

    care: Array
    other: Array
    care_women: Array
    other_women: Array
    persons: Array
    persons_women: Array


def direct_jobs(
    care_staff_fte: Array,
    other_staff_fte: Array,
    women_share: Array,
    non_care_women_share: Array,
    persons_per_fte: float,
) -> DirectJobs:
    r"""Direct jobs: the new staff, by sex, in FTE and persons.

    .. math:: J^{dir} = S + O, \qquad J^{dir}_W = \phi S + \phi^o O, \qquad
              P^{dir} = p_j (S + O)

    Parameters
    ----------
    care_staff_fte, other_staff_fte : array
        ``S`` and ``O`` [FTE].
    women_share, non_care_women_share : array
        Women's shares of new care and other staff [share].
    persons_per_fte : float
        Persons per FTE ``p_j`` of the service's input–output sector [persons/FTE].

    Returns
    -------
    DirectJobs
        Jobs [FTE] and persons [persons].

    References
    ----------
    De Henau (2022), section 4 (direct jobs bottom-up from staffing); UN Women and ILO
    (2021), step 3.
    """
    ws, nws = np.asarray(women_share), np.asarray(non_care_women_share)
    care_w, other_w = care_staff_fte * ws, other_staff_fte * nws
    return DirectJobs(
        care=care_staff_fte,
        other=other_staff_fte,
        care_women=care_w,
        other_women=other_w,
        persons=persons_per_fte * (care_staff_fte + other_staff_fte),
        persons_women=persons_per_fte * (care_w + other_w),
    )


# -------------------------------------------------------------------------------- step 8
@dataclass(frozen=True)
class IOJobs:
    """Jobs and compensation of spending through the input–output model (see :func:`io_jobs`).

    Attributes
    ----------
    jobs, jobs_women : array
        [FTE].
    persons, persons_women : array
        [persons].
    compensation : array
        Compensation of employees, employer contributions included [currency/year].
    """

    jobs: Array
    jobs_women: Array
    persons: Array
    persons_women: Array
    compensation: Array


def io_jobs(spending: Array, inputs: np.ndarray, model: IOModel) -> IOJobs:
    r"""Direct and indirect jobs (Leontief Type I) of spending bought in fixed proportions.

    .. math:: J = e^\top L\, d\ X, \qquad J_W = (e \circ g)^\top L\, d\ X, \qquad
              P = (e \circ p)^\top L\, d\ X, \qquad C = w^\top L\, d\ X

    with ``X`` the spending in money units of the model, ``d`` the shares of the supplying
    sectors, ``e``, ``w`` employment and compensation per unit of output, ``g`` women's
    shares and ``p`` persons per FTE.  Used for the non-staff spending of a service (``d``
    its sector's column of ``A``, normalised, or a stated allocation: the indirect jobs) and
    for its capital spending (``d`` the unit vector of the capital sector: the capital jobs).

    Parameters
    ----------
    spending : array
        ``X`` [currency/year].
    inputs : ndarray, shape (n,)
        ``d``, shares of the spending by supplying sector [share].
    model : IOModel
        Input–output model (``L = (I - A)^-1`` of domestic requirements).

    Returns
    -------
    IOJobs
        ``jobs``, ``jobs_women`` [FTE], ``persons``, ``persons_women`` [persons],
        ``compensation`` [currency/year].

    References
    ----------
    Miller and Blair (2009), eq. 2.11 (``L``), section 6.2.3 (employment multipliers
    ``e'L``); De Henau (2022), section 4.
    """
    L, g, unit = model.L, model.female_share, model.money_unit
    e, ep = model.employment, model.persons
    return IOJobs(
        jobs=float((e @ L) @ inputs) * spending / unit,
        jobs_women=float(((e * g) @ L) @ inputs) * spending / unit,
        persons=float((ep @ L) @ inputs) * spending / unit,
        persons_women=float(((ep * g) @ L) @ inputs) * spending / unit,
        compensation=float((model.compensation @ L) @ inputs) * spending,
    )


# -------------------------------------------------------------------------------- step 9
@dataclass(frozen=True)
class Parents:
    """Parents taking up paid work (see :func:`parents_employment`).

    Attributes
    ----------
    parents_employed, parents_employed_women : array
        [persons].
    compensation : array
        Their compensation, employer contributions included [currency/year].
    """

    parents_employed: Array
    parents_employed_women: Array
    compensation: Array


def parents_employment(
    newly_covered: Array,
    average_wage_t: Array,
    parent_employment_per_person: Array,
    parent_women_share: Array,
    parent_earnings_relative_to_average: Array,
    employer_contribution_rate: Array,
) -> Parents:
    r"""Parents taking up paid work thanks to the new places (labour supply, optional).

    .. math:: M_{st} = \mu_s n_{st}, \qquad M^W_{st} = \phi_s M_{st}, \qquad
              C^M_{st} = M_{st}\, \text{rel}^p_s\, \bar w_t (1 + e)

    ``mu`` comes from an external study (employment elasticity or microsimulation).

    Parameters
    ----------
    newly_covered : array
        ``n`` [persons].
    average_wage_t : array
        Average wage in year ``t``, ``wbar_t`` [currency/FTE/year].
    parent_employment_per_person : array
        ``mu`` [persons/person].
    parent_women_share : array
        ``phi`` [share].
    parent_earnings_relative_to_average : array
        ``rel^p`` [1].
    employer_contribution_rate : array
        ``e`` [share of gross wages].

    Returns
    -------
    Parents
        ``parents_employed``, ``parents_employed_women`` [persons], ``compensation``
        [currency/year].

    References
    ----------
    De Henau (2022, IJCCEP 16:3), section 3 (maternal employment effects); UN Women and
    ILO (2021), step 3 (returns from higher female employment).
    """
    parents = np.asarray(parent_employment_per_person) * newly_covered
    return Parents(
        parents_employed=parents,
        parents_employed_women=parents * np.asarray(parent_women_share),
        compensation=parents * np.asarray(parent_earnings_relative_to_average) * average_wage_t
        * (1.0 + np.asarray(employer_contribution_rate)),
    )


# -------------------------------------------------------------------------------- step 10
def net_earnings_share(
    income_tax_rate: Array, employee_contribution_rate: Array, employer_contribution_rate: Array
) -> Array:
    r"""Disposable share of compensation of employees.

    .. math:: \nu = \frac{1 - \tau}{1 + e}, \qquad \tau = \text{income tax} +
              \text{employee contributions}

    Parameters
    ----------
    income_tax_rate, employee_contribution_rate : array
        [share of gross wages].
    employer_contribution_rate : array
        ``e`` [share of gross wages].

    Returns
    -------
    array
        ``nu`` [share of compensation].

    References
    ----------
    De Henau (2022), section 5 (average effective tax rates).
    """
    tau = np.asarray(income_tax_rate) + np.asarray(employee_contribution_rate)
    return (1.0 - tau) / (1.0 + np.asarray(employer_contribution_rate))


def lost_benefit(
    share_from_unemployment: Array, unemployment_benefit: Array, wage_index: Array
) -> Array:
    r"""Unemployment benefit lost per person taking a new job (on average).

    .. math:: u\, b_t = u\, b_0\, (1 + g_w)^t

    Parameters
    ----------
    share_from_unemployment : array
        ``u`` [share of new jobs].
    unemployment_benefit : array
        ``b_0`` [currency/person/year].
    wage_index : array
        Real wage index [1].

    Returns
    -------
    array
        [currency/person/year].

    References
    ----------
    De Henau (2022), section 5 (lower benefit spending); UN Women and ILO (2021), step 3.
    """
    return np.asarray(share_from_unemployment) * unemployment_benefit * wage_index


@dataclass(frozen=True)
class HouseholdRound:
    """Induced effects of the new household income (see :func:`household_round`).

    Attributes
    ----------
    jobs_induced, jobs_induced_women : array
        [FTE].
    persons_induced, persons_induced_women : array
        [persons].
    induced_compensation : array
        [currency/year].
    disposable_income : array
        New household income ``y`` (the net gain) [currency/year].
    consumption : array
        ``m y``, at purchasers' prices [currency/year].
    producer_demand : array
        ``(1 - v) m y`` [currency/year].
    """

    jobs_induced: Array
    jobs_induced_women: Array
    persons_induced: Array
    persons_induced_women: Array
    induced_compensation: Array
    disposable_income: Array
    consumption: Array
    producer_demand: Array


def household_round(
    compensation: Array,
    jobs: Array,
    persons: Array,
    average_wage_t: Array,
    lost_benefit: Array,
    model: IOModel,
    *,
    method: InducedMethod,
    income_tax_rate: Array,
    employee_contribution_rate: Array,
    employer_contribution_rate: Array,
    propensity_to_consume: Array,
    indirect_tax_rate: Array,
    consumption_multiplier: Array = 1.0,
    other_earners: Array = 0.0,
    labels: Sequence[str] | None = None,
) -> HouseholdRound:
    r"""Induced jobs of the households' new income: Type II closure or a multiplier.

    Household income is the **net gain** of the households taking the new jobs: disposable
    earnings minus the unemployment benefit lost (``u b_t`` per person), which is a fiscal
    saving instead (:func:`fiscal_returns`).  First round

    .. math:: Y_0 = \nu\, C_1 - u b_t P_1

    Type II (``method = "type_ii"``): households spend ``m y`` on domestic output, indirect
    taxes take ``v m y``, producers receive ``(1 - v) m y`` spread by the consumption shares
    ``c``; each unit of producer demand gives a net gain ``h^\top L c`` with
    ``h = \nu w - u b_t (e \circ p)``:

    .. math:: y = \frac{Y_0}{1 - \theta}, \quad \theta = (1 - v)\, m\, h^\top L c, \qquad
              J^{ind} = e^\top L c\, (1 - v)\, m y

    which equals the closed Leontief inverse :math:`(I - \bar A)^{-1}`,
    :math:`\bar A = \begin{pmatrix} A & (1-v) m c \\ h^\top & 0 \end{pmatrix}`.
    Multiplier (``"multiplier"``): :math:`J^{ind} = (k - 1)(J_1 + M)\, Y_0 / (\nu C_1)`,
    the stated consumption multiplier ``k`` applied to the net gain; each induced job adds
    ``nu wbar (1 + e) - u b_t`` to household income.  ``"none"``: no induced jobs.

    Parameters
    ----------
    compensation : array
        First-round compensation ``C_1`` (direct, indirect, capital and parents'),
        employer contributions included [currency/year].
    jobs : array
        First-round jobs created by the spending ``J_1`` (direct, indirect, capital) [FTE].
    persons : array
        The same jobs as persons ``P_1`` [persons] (benefits are per person).
    average_wage_t : array
        Average wage in year ``t``, ``wbar_t`` [currency/FTE/year] (multiplier method).
    lost_benefit : array
        ``u b_t`` (:func:`lost_benefit`) [currency/person/year].
    model : IOModel
        Input–output model.
    method : {"type_ii", "multiplier", "none"}
    income_tax_rate, employee_contribution_rate, employer_contribution_rate : array
        [share of gross wages].
    propensity_to_consume : array
        ``m``, share of disposable income spent on domestic output [share].
    indirect_tax_rate : array
        ``v`` [share of consumption].
    consumption_multiplier : array, default 1
        ``k`` [1] (multiplier method).
    other_earners : array, default 0
        Earners in ``compensation`` who do not hold jobs created by the spending (parents
        taking up paid work, ``M``) [persons]; nothing is deducted for them.
    labels : sequence of str, optional
        Names of the rows of the draws axis, for error messages (default ``draw i``).

    Returns
    -------
    HouseholdRound
        Induced jobs [FTE] and persons [persons], induced compensation, household income,
        consumption and producer demand [currency/year].

    Raises
    ------
    InvestmentInputError
        If the lost benefit exceeds the disposable earnings per person (``Y_0 < 0``: the
        households would lose income; inconsistent inputs), naming the row; or if
        ``theta >= 1`` (no finite Type II solution).

    References
    ----------
    Miller and Blair (2009), section 2.5, eq. 2.25 (households endogenous; Type II);
    section 6.2 (multipliers).  De Henau (2022, IJCCEP 16:3): household income change net
    of the benefits withdrawn (UKMOD); De Henau (2022), section 5 and UN Women and ILO
    (2021), step 3: lower benefit spending is a fiscal return.
    """
    net = net_earnings_share(income_tax_rate, employee_contribution_rate,
                             employer_contribution_rate)
    r = np.asarray(employer_contribution_rate)
    m, v = np.asarray(propensity_to_consume), np.asarray(indirect_tax_rate)
    unit = model.money_unit
    e, g, L, c, ep = (model.employment, model.female_share, model.L,
                      model.consumption_shares, model.persons)
    kappa, eLc, egLc = float(model.compensation @ L @ c), float(e @ L @ c), float((e * g) @ L @ c)
    pLc, pgLc = float(ep @ L @ c), float((ep * g) @ L @ c)
    gross0 = net * compensation
    y0 = gross0 - lost_benefit * persons
    i = _first_bad(np.asarray(y0) < -1e-9 * np.maximum(np.abs(np.asarray(gross0)), 1.0))
    if i is not None:
        per_person = _at(gross0, i) / max(_at(persons, i), 1e-300)
        raise InvestmentInputError(
            f"fiscal.share_from_unemployment x fiscal.unemployment_benefit = "
            f"{_at(lost_benefit, i):,.0f} per person taking a new job (in {_label(labels, i)}) "
            f"exceeds the disposable earnings per person, {per_person:,.0f} (direct, indirect "
            "and capital jobs); the households taking the jobs would lose income.  Check the "
            "benefit (currency per person per year), the share from unemployment, and the "
            "input–output model's compensation per job"
        )
    if method == "type_ii":
        theta = (1.0 - v) * m * (net * kappa - lost_benefit * pLc / unit)
        if np.any(theta >= 1.0):
            raise InvestmentInputError(
                "(1 - indirect_tax_rate) x propensity_to_consume x net household income per "
                f"unit of consumption h'Lc = {np.max(theta):.3g}; must be < 1"
            )
        y = y0 / (1.0 - theta)
        prod = (1.0 - v) * m * y
        induced, induced_w = eLc * prod / unit, egLc * prod / unit
        induced_p, induced_pw = pLc * prod / unit, pgLc * prod / unit
        induced_comp = kappa * prod
    elif method == "multiplier":
        kmult = np.asarray(consumption_multiplier)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(gross0 != 0, y0 / np.where(gross0 != 0, gross0, 1.0), 1.0)
        induced = (kmult - 1.0) * (jobs + other_earners) * share
        induced_w = induced * (egLc / eLc if eLc > 0 else np.nan)
        induced_p = induced * (pLc / eLc if eLc > 0 else 1.0)
        induced_pw = induced * (pgLc / eLc if eLc > 0 else np.nan)
        induced_comp = induced * average_wage_t * (1.0 + r)
        y = y0 + net * induced_comp - lost_benefit * induced_p
    else:
        induced = induced_w = induced_comp = np.zeros_like(y0)
        induced_p = induced_pw = np.zeros_like(y0)
        y = y0
    cons = m * y
    return HouseholdRound(
        jobs_induced=induced,
        jobs_induced_women=induced_w,
        persons_induced=induced_p,
        persons_induced_women=induced_pw,
        induced_compensation=induced_comp,
        disposable_income=y,
        consumption=cons,
        producer_demand=(1.0 - v) * cons,
    )


# -------------------------------------------------------------------------------- step 11
@dataclass(frozen=True)
class FiscalReturns:
    """Taxes, contributions and benefit savings (see :func:`fiscal_returns`); the field
    names are the measures of :attr:`SimulationResult.summary`.

    Attributes
    ----------
    tax_direct_labour, tax_indirect_labour, tax_induced_labour, tax_capital_labour,
    tax_parents_labour, tax_consumption, benefit_savings, fiscal_returns : array
        [currency/year].
    """

    tax_direct_labour: Array
    tax_indirect_labour: Array
    tax_induced_labour: Array
    tax_capital_labour: Array
    tax_parents_labour: Array
    tax_consumption: Array
    benefit_savings: Array
    fiscal_returns: Array


def fiscal_returns(
    compensation_direct: Array,
    induced_compensation: Array,
    consumption: Array,
    lost_benefit: Array,
    persons: Array,
    *,
    income_tax_rate: Array,
    employee_contribution_rate: Array,
    employer_contribution_rate: Array,
    indirect_tax_rate: Array,
    compensation_indirect: Array = 0.0,
    compensation_capital: Array = 0.0,
    compensation_parents: Array = 0.0,
) -> FiscalReturns:
    r"""Fiscal returns: labour taxes and contributions, consumption taxes, benefit savings.

    .. math:: T^{lab}_k = C_k (1 - \nu), \qquad T^{cons} = v\, m y, \qquad
              B = u\, b_t\, P, \qquad F = \sum_k T^{lab}_k + T^{lab}_{ind} + T^{cons} + B

    ``C_k (1 - nu)`` equals ``(tau + e)`` times the gross wages of direct jobs.  Benefit
    savings are per person: ``P`` is all new jobs (first round and induced) as persons;
    none are counted for parents.

    Parameters
    ----------
    compensation_direct : array
        Compensation of the direct jobs, employer contributions included (for final demand,
        as in :func:`carecost.investment.compare_sectors`, the whole first round ``w'Lf``)
        [currency/year].
    induced_compensation : array
        [currency/year].
    consumption : array
        ``m y`` at purchasers' prices [currency/year].
    lost_benefit : array
        ``u b_t`` [currency/person/year].
    persons : array
        ``P`` [persons].
    income_tax_rate, employee_contribution_rate, employer_contribution_rate : array
        [share of gross wages].
    indirect_tax_rate : array
        ``v`` [share of consumption].
    compensation_indirect, compensation_capital, compensation_parents : array, default 0
        [currency/year].

    Returns
    -------
    FiscalReturns
        Each component and their total [currency/year].

    References
    ----------
    De Henau (2022), section 5; UN Women and ILO (2021), step 3.
    """
    wedge = 1.0 - net_earnings_share(income_tax_rate, employee_contribution_rate,
                                     employer_contribution_rate)
    t_dir = np.asarray(compensation_direct, dtype=float) * wedge
    t_ind = np.asarray(compensation_indirect, dtype=float) * wedge
    t_cap = np.asarray(compensation_capital, dtype=float) * wedge
    t_par = np.asarray(compensation_parents, dtype=float) * wedge
    t_hh = induced_compensation * wedge
    t_cons = np.asarray(indirect_tax_rate) * consumption
    benefits = lost_benefit * persons
    return FiscalReturns(
        tax_direct_labour=t_dir,
        tax_indirect_labour=t_ind,
        tax_induced_labour=t_hh,
        tax_capital_labour=t_cap,
        tax_parents_labour=t_par,
        tax_consumption=t_cons,
        benefit_savings=benefits,
        fiscal_returns=t_dir + t_ind + t_cap + t_par + t_hh + t_cons + benefits,
    )


@dataclass(frozen=True)
class EmploymentRates:
    """Changes of employment rates (see :func:`employment_rates`); field names are the
    measures of :attr:`SimulationResult.summary`.

    Attributes
    ----------
    women_emp_rate_change_pp, men_emp_rate_change_pp, gender_gap_pp,
    gender_gap_change_pp : array
        [percentage points].
    """

    women_emp_rate_change_pp: Array
    men_emp_rate_change_pp: Array
    gender_gap_pp: Array
    gender_gap_change_pp: Array


def employment_rates(
    persons: Array,
    persons_women: Array,
    parents: Array,
    parents_women: Array,
    *,
    share_from_non_employment: Array,
    working_age_women: Array,
    working_age_men: Array,
    employed_women: Array,
    employed_men: Array,
) -> EmploymentRates:
    r"""Change of the employment rates of women and men, and of the gender gap.

    .. math:: \Delta_W = 100\, \frac{q P_W + M_W}{W_W}, \qquad
              \Delta_M = 100\, \frac{q (P - P_W) + M - M_W}{W_M}, \qquad
              \text{gap} = 100 \left(\frac{E_M}{W_M} - \frac{E_W}{W_W}\right)
              + \Delta_M - \Delta_W

    Employment rates are persons over persons (never FTE over persons).

    Parameters
    ----------
    persons, persons_women : array
        New jobs as persons ``P``, ``P_W`` [persons].
    parents, parents_women : array
        Parents taking up paid work ``M``, ``M_W`` [persons].
    share_from_non_employment : array
        ``q``, share of the new jobs taken by people not employed before [share].
    working_age_women, working_age_men : array
        ``W``, held at the base-year level [persons].
    employed_women, employed_men : array
        ``E``, base year [persons].

    Returns
    -------
    EmploymentRates
        [percentage points].

    References
    ----------
    UN Women and ILO (2021), step 3 (employment and gender gaps); De Henau (2022), section 4.
    """
    rate_w0 = employed_women / working_age_women
    rate_m0 = employed_men / working_age_men
    q = share_from_non_employment
    dw = 100.0 * (q * persons_women + parents_women) / working_age_women
    dm = 100.0 * (q * (persons - persons_women) + parents - parents_women) / working_age_men
    gap0 = 100.0 * (rate_m0 - rate_w0)
    return EmploymentRates(
        women_emp_rate_change_pp=dw,
        men_emp_rate_change_pp=dm,
        gender_gap_pp=gap0 + dm - dw,
        gender_gap_change_pp=dm - dw,
    )


# -------------------------------------------------------------------------------- step 12
def net_funding_requirement(
    gross_cost: Array, fiscal_returns: Array, replaced_spending: Array = 0.0
) -> Array:
    r"""Net funding requirement: gross cost minus fiscal returns minus replaced spending.

    .. math:: NF = G - F - V

    Parameters
    ----------
    gross_cost : float or ndarray
        Gross annual cost of the programme [currency/year].
    fiscal_returns : float or ndarray
        Taxes, contributions and benefit savings it generates [currency/year].
    replaced_spending : float or ndarray, default 0
        Current public spending that the programme replaces (subsidies, vouchers, tax relief
        that end) [currency/year].

    Returns
    -------
    float or ndarray
        [currency/year]; negative when the programme more than pays for itself.

    References
    ----------
    De Henau, J. (2022). Simulating employment and fiscal effects of public investment in
    high-quality universal childcare in the UK. *IJCCEP* 16, 3, Table 5 ("net funding gap"
    = gross annual cost - tax revenues - lower cash-benefit spending - current ECEC subsidies).
    UN Women and ILO (2021), step 3.
    """
    return gross_cost - fiscal_returns - replaced_spending


@dataclass(frozen=True)
class NetFunding:
    """Net funding requirement (see :func:`net_funding`); field names are summary measures.

    Attributes
    ----------
    net_funding : array
        [currency/year].
    net_funding_pct_gross : array
        [% of gross cost] (NaN where the gross cost is 0).
    net_funding_pct_gdp : array
        [% of GDP].
    """

    net_funding: Array
    net_funding_pct_gross: Array
    net_funding_pct_gdp: Array


def net_funding(
    gross_cost: Array, fiscal_returns: Array, replaced_spending: Array, gdp_t: Array
) -> NetFunding:
    r"""Net funding requirement in currency, % of gross cost and % of GDP.

    .. math:: NF_t = G_t - F_t - V_t

    The share of the gross cost that pays for itself ("% self-funding", De Henau 2022,
    Table 5) is ``100 - net_funding_pct_gross``.

    Parameters
    ----------
    gross_cost, fiscal_returns, replaced_spending : array
        [currency/year].
    gdp_t : array
        GDP in year ``t`` [currency/year].

    Returns
    -------
    NetFunding

    References
    ----------
    De Henau (2022, IJCCEP 16:3), Table 5; UN Women and ILO (2021), step 3.
    """
    netf = net_funding_requirement(gross_cost, fiscal_returns, replaced_spending)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_gross = np.where(gross_cost > 0,
                             100.0 * netf / np.where(gross_cost > 0, gross_cost, 1), np.nan)
    return NetFunding(net_funding=netf, net_funding_pct_gross=pct_gross,
                      net_funding_pct_gdp=100.0 * netf / gdp_t)


def present_value(
    values: Array, years: Array, base_year: int, discount_rate: float
) -> float:
    r"""Present value in the base year of a money path in constant prices.

    .. math:: PV = \sum_t X_t (1 + r)^{-(t - t_0)}

    Parameters
    ----------
    values : array, shape (T,)
        ``X_t`` [currency/year].
    years : array of int, shape (T,)
        Calendar years [year].
    base_year : int
        ``t_0`` [year].
    discount_rate : float
        Real discount rate ``r`` [share/year], in [0, 1).

    Returns
    -------
    float
        [currency].

    References
    ----------
    HM Treasury (2022), *The Green Book*, section A6 (discounting, real rates).
    """
    factor = (1.0 + discount_rate) ** -(np.asarray(years) - base_year).astype(float)
    return float((np.asarray(values, dtype=float) * factor).sum())


# -------------------------------------------------------------------------------- step 13
# Childcare-related leave and breastfeeding breaks (transfers to parents, not services)
@dataclass(frozen=True)
class TransferCost:
    """Cost of a leave entitlement or of paid breastfeeding breaks (see :func:`leave_cost`,
    :func:`breastfeeding_cost`).

    Attributes
    ----------
    eligible_parents : array
        Employed parents of the year's births [persons/year].
    current_cost : array
        Cost of today's entitlement (today's weeks or minutes, pay and coverage) in year
        ``t`` [currency/year].
    target_cost : array
        Cost of the target entitlement in year ``t`` [currency/year].
    additional_cost : array
        Cost of extending today's entitlement towards the target along the phase-in path,
        ``(target_cost - current_cost) p_t`` [currency/year].
    """

    eligible_parents: Array
    current_cost: Array
    target_cost: Array
    additional_cost: Array


def leave_benefit(
    parent_earnings: Array,
    average_wage: Array,
    weeks: Array,
    replacement_rate: Array,
    ceiling_relative_to_average: Array | None,
) -> Array:
    r"""Leave benefit paid per parent taking the leave.

    .. math:: b = W \, \frac{\min(\rho\, w_p,\; \bar c\, \bar w)}{52}

    Parameters
    ----------
    parent_earnings : array
        Gross annual earnings of the parent before the leave ``w_p`` [currency/year].
    average_wage : array
        Average gross annual wage ``\bar w`` [currency/FTE/year].
    weeks : array
        Paid weeks per birth ``W`` [weeks].
    replacement_rate : array
        Benefit as a share of previous earnings ``\rho`` [share].
    ceiling_relative_to_average : array or None
        Ceiling of the benefit as annual earnings relative to the average wage ``\bar c``
        [multiple of the average wage]; None for no ceiling.

    Returns
    -------
    array
        Benefit per parent taking the leave [currency/birth].

    References
    ----------
    ILO Maternity Protection Convention, 2000 (No. 183), art. 4 (at least 14 weeks) and art. 6
    (cash benefits of at least two thirds of previous earnings, or of the earnings taken
    into account for benefits, art. 6(3));
    ILO Recommendation No. 191, para. 1-2 (at least 18 weeks, full previous earnings);
    ILO (2022) *Care at Work*; De Henau (2022), section 2 (leave costed from births,
    employment rates and earnings).
    """
    weekly = np.asarray(replacement_rate) * parent_earnings
    if ceiling_relative_to_average is not None:
        weekly = np.minimum(weekly, np.asarray(ceiling_relative_to_average) * average_wage)
    return np.asarray(weeks) * weekly / 52.0


def leave_cost(
    births: Array,
    employment_rate: Array,
    parent_earnings: Array,
    average_wage: Array,
    phase_in: Array,
    *,
    weeks: Array,
    current_weeks: Array,
    replacement_rate: Array,
    current_replacement_rate: Array,
    ceiling_relative_to_average: Array | None,
    coverage: Array,
    current_coverage: Array,
    take_up: Array,
) -> TransferCost:
    r"""Cost of a childcare-related leave entitlement, today and at the target.

    .. math:: E_t = B_t\, e, \qquad
              C^0_t = E_t\, u\, k_0\, b(W_0, \rho_0), \qquad
              C^*_t = E_t\, u\, k^*\, b(W^*, \rho^*), \qquad
              A_t = (C^*_t - C^0_t)\, p_t

    with ``b`` the benefit per parent of :func:`leave_benefit`.  Each birth has one mother and
    one father; a leave that starts in year ``t`` is costed in year ``t`` (for a steady
    number of births the annual cost of leave longer than a year is the same).

    Parameters
    ----------
    births : array
        Births ``B_t`` (population aged 0), a ``(1, T)`` row [persons/year].
    employment_rate : array
        Employed parents of the parent's sex per birth ``e`` [share].
    parent_earnings : array
        Gross annual earnings of the parent ``w_p`` [currency/year].
    average_wage : array
        Average gross annual wage [currency/FTE/year] (for the ceiling).
    phase_in : array
        Share of the gap closed ``p_t`` [share].
    weeks, current_weeks : array
        Paid weeks per birth at the target ``W*`` and today ``W_0`` [weeks].
    replacement_rate, current_replacement_rate : array
        ``rho*`` and ``rho_0`` [share of previous earnings].
    ceiling_relative_to_average : array or None
        Ceiling of the benefit [multiple of the average wage]; None for no ceiling.
    coverage, current_coverage : array
        Shares of employed parents entitled ``k*`` and ``k_0`` (informal workers included in
        the target) [share].
    take_up : array
        Share of entitled parents who take the leave ``u`` [share].

    Returns
    -------
    TransferCost
        [persons/year] and [currency/year].

    References
    ----------
    De Henau (2022), section 2 (leave for all employed parents, informal workers included,
    at C183/R191 levels); ILO (2022) *Care at Work*; ILO C183 art. 2, 4, 6; R191 para. 1-2.
    """
    eligible = births * np.asarray(employment_rate)
    base = eligible * np.asarray(take_up)
    current = base * np.asarray(current_coverage) * leave_benefit(
        parent_earnings, average_wage, current_weeks, current_replacement_rate,
        ceiling_relative_to_average)
    target = base * np.asarray(coverage) * leave_benefit(
        parent_earnings, average_wage, weeks, replacement_rate, ceiling_relative_to_average)
    return TransferCost(eligible_parents=eligible, current_cost=current, target_cost=target,
                        additional_cost=(target - current) * phase_in)


def breastfeeding_benefit(
    mother_earnings: Array, minutes_per_day: Array, hours_per_day: Array, months: Array
) -> Array:
    r"""Pay for the breastfeeding breaks of one mother.

    .. math:: b = w_m \, \frac{m / 60}{h} \, \frac{M}{12}

    The breaks are working time paid at the mother's earnings (C183 art. 10(2)), so their
    value is the share ``(m/60)/h`` of the day's earnings over ``M`` months.

    Parameters
    ----------
    mother_earnings : array
        Gross annual earnings of the mother ``w_m`` [currency/year].
    minutes_per_day : array
        Paid break time ``m`` [minutes/working day].
    hours_per_day : array
        Paid working hours per day ``h`` [hours/working day].
    months : array
        Months of breaks after the return to work ``M`` [months/birth].

    Returns
    -------
    array
        [currency/birth].

    References
    ----------
    ILO Maternity Protection Convention, 2000 (No. 183), art. 10 (daily breaks or a daily
    reduction of hours, counted as working time and paid); Recommendation No. 191, para. 7;
    ILO (2022) *Care at Work*; De Henau (2022).
    """
    return (mother_earnings * (np.asarray(minutes_per_day) / 60.0) / np.asarray(hours_per_day)
            * np.asarray(months) / 12.0)


def breastfeeding_cost(
    births: Array,
    employment_rate: Array,
    mother_earnings: Array,
    phase_in: Array,
    *,
    minutes_per_day: Array,
    current_minutes_per_day: Array,
    months: Array,
    current_months: Array,
    hours_per_day: Array,
    coverage: Array,
    current_coverage: Array,
    take_up: Array,
) -> TransferCost:
    r"""Cost of paid breastfeeding breaks, today and at the target.

    .. math:: E_t = B_t\, e, \qquad
              C^0_t = E_t\, u\, k_0\, b(m_0, M_0), \qquad
              C^*_t = E_t\, u\, k^*\, b(m^*, M^*), \qquad
              A_t = (C^*_t - C^0_t)\, p_t

    with ``b`` of :func:`breastfeeding_benefit`.

    Parameters
    ----------
    births : array
        Births ``B_t`` (population aged 0), a ``(1, T)`` row [persons/year].
    employment_rate : array
        Employed mothers per birth ``e`` [share].
    mother_earnings : array
        Gross annual earnings of employed women ``w_m`` [currency/year].
    phase_in : array
        ``p_t`` [share].
    minutes_per_day, current_minutes_per_day : array
        ``m*`` and ``m_0`` [minutes/working day].
    months, current_months : array
        ``M*`` and ``M_0`` [months/birth].
    hours_per_day : array
        Paid working hours per day [hours].
    coverage, current_coverage : array
        ``k*`` and ``k_0`` [share of employed mothers].
    take_up : array
        Share of entitled mothers who breastfeed and take the breaks ``u`` [share].

    Returns
    -------
    TransferCost
        [persons/year] and [currency/year].

    References
    ----------
    ILO C183 art. 10; R191; De Henau (2022); ILO (2022) *Care at Work*.
    """
    eligible = births * np.asarray(employment_rate)
    base = eligible * np.asarray(take_up)
    current = base * np.asarray(current_coverage) * breastfeeding_benefit(
        mother_earnings, current_minutes_per_day, hours_per_day, current_months)
    target = base * np.asarray(coverage) * breastfeeding_benefit(
        mother_earnings, minutes_per_day, hours_per_day, months)
    return TransferCost(eligible_parents=eligible, current_cost=current, target_cost=target,
                        additional_cost=(target - current) * phase_in)

"""The care-investment simulation: deficits, costs, jobs, fiscal returns and net funding.

Equations (year ``t``, service ``k``; all money in constant base-year currency)
-------------------------------------------------------------------------------
Coverage and deficits (UN Women and ILO 2021, step 1; De Henau 2022, section 2):

* persons in need ``N_kt = sum_a P_at r_ka`` (population by single year of age ``a`` times need
  rate);
* coverage path ``c_kt = c_k0 + (c_k* - c_k0) p_t`` with phase-in ``p_t`` (0 in the base year,
  1 from the target year; linear or user-given);
* newly covered persons ``n_kt = (c_kt - c_k0) N_kt``.

Costs (UN Women and ILO 2021, step 2; De Henau 2022, section 3):

* care staff (FTE) ``S_kt = n_kt / ratio_k * service_hours_k / staff_hours_k``; other staff
  ``O_kt = o_k S_kt``;
* wages ``w_kt = max(rel_k, floor_k) * wbar_t`` (or an absolute wage), ``wbar_t`` the average
  wage growing at the real wage growth rate;
* staff cost ``(S w + O w_o)(1 + r)`` with employer contributions ``r``; recurrent cost
  ``R = staff cost / (1 - s_k)`` with non-staff share ``s_k``;
* pay rise of existing staff to the floor ``U_kt = E_k (w_kt - w0_kt)(1 + r) p_t``;
* gross additional cost ``G_t = sum_k (R_kt + U_kt)``, also as % of ``GDP_t = GDP_0 (1+g)^t``;
  current spending ``sum_k sigma_k GDP_t`` and total spending.

Jobs (De Henau 2022, section 4; Miller and Blair 2009, sections 2.3, 2.5 and 6.2):

* direct jobs = ``S + O``;
* indirect jobs: non-staff spending follows the input structure ``d_k`` of the service's
  input–output sector (its column of ``A``, normalised), ``J_ind = e' L d_k s_k R_kt``;
* induced jobs, Type II (households endogenous): household disposable income
  ``y = Y0 / (1 - m (1 - tau)/(1 + r) w' L c)`` with ``Y0`` the disposable part of the new
  direct and indirect earnings, ``c`` the consumption shares, ``m`` the propensity to consume
  and ``tau`` the labour tax rate; induced output ``L c m y`` and jobs ``e' L c m y``.  This is
  algebraically the same as the closed Leontief inverse of Miller and Blair (2009, eq. 2.25)
  with ``h = w (1 - tau)/(1 + r)``.  Alternatively a consumption multiplier ``k``: induced =
  ``(k - 1)`` x (direct + indirect).
* jobs by sex: care and other staff by the service's women shares; indirect and induced jobs
  by the sector women's shares ``g``: ``(e o g)' L d``.
* employment rates: ``(E_w + J_w) / P_w`` with working-age population held at base-year level;
  gender employment gap = men's minus women's rate (percentage points).

Fiscal returns and net funding (De Henau 2022, section 5; UN Women and ILO 2021, step 3):

* taxes and contributions on earnings: ``(tau + r)`` x direct gross wages, and
  ``comp (1 - (1 - tau)/(1 + r))`` on indirect and induced compensation;
* indirect taxes on consumption ``v m y``;
* unemployment-benefit savings ``u J b_t``;
* net funding requirement = gross cost - returns (currency, % of gross cost, % of GDP).

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

from collections.abc import Mapping
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
    "simulate",
]

ArrayLike = float | np.ndarray
Overrides = Mapping[str, np.ndarray]

SUMMARY_MEASURES = (
    "gdp",
    "gross_cost",
    "gross_cost_pct_gdp",
    "current_spending",
    "total_spending",
    "total_spending_pct_gdp",
    "newly_covered",
    "jobs_direct_care",
    "jobs_direct_other",
    "jobs_direct",
    "jobs_indirect",
    "jobs_induced",
    "jobs_total",
    "jobs_women",
    "jobs_men",
    "women_share_of_jobs",
    "tax_direct_labour",
    "tax_indirect_labour",
    "tax_induced_labour",
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
        employment_unit="persons",
        provenance="synthetic example country (not real data); see SOURCES.md",
    )


# --------------------------------------------------------------------------------------------
# parameter access (scenario values, or Monte Carlo / sensitivity overrides of shape (D, 1))
# --------------------------------------------------------------------------------------------
SERVICE_NUMERIC = tuple(
    f.name for f in fields(Service) if f.name not in ("name", "kind", "ages", "need_rate", "sector")
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
    def __init__(self, scenario: Scenario, overrides: Overrides | None):
        self.s = scenario
        self.ov = dict(overrides or {})
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

    def sv(self, svc: Service, name: str) -> ArrayLike | None:
        for key in (f"services.{svc.name}.{name}", f"services.*.{name}"):
            if key in self.ov:
                return self.ov[key]
        v = getattr(svc, name)
        return None if v is None else float(v)


# --------------------------------------------------------------------------------------------
# core (vectorised over draws D and years T)
# --------------------------------------------------------------------------------------------
def _core(
    scn: Scenario, model: IOModel, overrides: Overrides | None = None, detail: bool = False
) -> dict[str, Any]:
    p = _Params(scn, overrides)
    years = scn.years
    tt = (years - scn.base_year)[None, :].astype(float)
    phase = np.asarray(scn.phase_in, dtype=float)[None, :]
    gdp = p.g("macro", "gdp") * (1.0 + np.asarray(p.g("macro", "gdp_growth"))) ** tt
    wgrowth = (1.0 + np.asarray(p.g("macro", "real_wage_growth"))) ** tt
    avgw = p.g("macro", "average_wage") * wgrowth
    r = np.asarray(p.g("fiscal", "employer_contribution_rate"))
    tau = np.asarray(p.g("fiscal", "income_tax_rate")) + np.asarray(
        p.g("fiscal", "employee_contribution_rate")
    )
    m = np.asarray(p.g("fiscal", "propensity_to_consume"))
    vat = np.asarray(p.g("fiscal", "indirect_tax_rate"))
    unit = model.money_unit
    e, w, g, L, c = (
        model.employment,
        model.compensation,
        model.female_share,
        model.L,
        model.consumption_shares,
    )
    eg = e * g
    eL, wL, egL = e @ L, w @ L, eg @ L
    net = (1.0 - tau) / (1.0 + r)  # disposable share of compensation

    out: dict[str, Any] = {"years": years, "gdp": gdp * np.ones_like(phase)}
    acc = {
        k: 0.0
        for k in (
            "newly_covered",
            "care",
            "other",
            "care_w",
            "other_w",
            "gross",
            "current",
            "wages_direct",
            "ns",
            "ind_jobs",
            "ind_jobs_w",
            "ind_comp",
            "staff_cost",
            "nonstaff",
            "upgrade",
        )
    }
    per_service: dict[str, dict[str, Any]] = {}
    ns_by_sector = (
        np.zeros((model.n, *np.broadcast_shapes(np.shape(gdp), (1, len(years)))))
        if detail
        else None
    )
    for svc in scn.services:
        need = scn.need_population(svc)[None, :]
        if not np.all(np.isfinite(need)):
            raise InvestmentInputError(f"population missing for services.{svc.name}")
        cur = np.asarray(p.sv(svc, "current_coverage"))
        tgt = np.asarray(p.sv(svc, "target_coverage"))
        cov = cur + (tgt - cur) * phase
        new = (cov - cur) * need
        care = (
            new
            / np.asarray(p.sv(svc, "persons_per_staff"))
            * (
                np.asarray(p.sv(svc, "service_hours_per_week"))
                / np.asarray(p.sv(svc, "staff_hours_per_week"))
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
        upgrade_gross = np.asarray(p.sv(svc, "current_staff")) * (wage - w0) * phase
        upgrade = upgrade_gross * (1.0 + r)
        gross = recurrent + upgrade
        current = np.asarray(p.sv(svc, "current_spending_pct_gdp")) / 100.0 * gdp
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
        for k, v in (
            ("newly_covered", new),
            ("care", care),
            ("other", other),
            ("care_w", care * ws),
            ("other_w", other * nws),
            ("gross", gross),
            ("current", current),
            ("wages_direct", gross_wages + upgrade_gross),
            ("ind_jobs", ind_jobs),
            ("ind_jobs_w", ind_jobs_w),
            ("ind_comp", ind_comp),
            ("staff_cost", staff_cost),
            ("nonstaff", nonstaff),
            ("upgrade", upgrade),
        ):
            acc[k] = acc[k] + v
        if detail:
            assert ns_by_sector is not None
            ns_by_sector = ns_by_sector + d[:, None, None] * (nonstaff / unit)[None, ...]
            per_service[svc.name] = {
                "need_population": need,
                "coverage": cov,
                "newly_covered": new,
                "care_staff_fte": care,
                "other_staff_fte": other,
                "care_wage": wage,
                "staff_cost": staff_cost,
                "non_staff_cost": nonstaff,
                "wage_upgrade_cost": upgrade,
                "gross_cost": gross,
                "current_spending": current,
            }

    direct = acc["care"] + acc["other"]
    direct_w = acc["care_w"] + acc["other_w"]
    y0 = (1.0 - tau) * acc["wages_direct"] + net * acc["ind_comp"]
    kappa, eLc, egLc = float(wL @ c), float(eL @ c), float(egL @ c)
    method = scn.induced
    if method == "type_ii":
        theta = m * net * kappa
        if np.any(theta >= 1.0):
            raise InvestmentInputError(
                "propensity_to_consume x disposable share x w'Lc = "
                f"{np.max(theta):.3g}; must be < 1"
            )
        y = y0 / (1.0 - theta)
        cons = m * y
        inducedj = eLc * cons / unit
        induced_w = egLc * cons / unit
        induced_comp = kappa * cons
    elif method == "multiplier":
        kmult = np.asarray(p.g("induced", "consumption_multiplier"))
        inducedj = (kmult - 1.0) * (direct + acc["ind_jobs"])
        induced_w = inducedj * (egLc / eLc if eLc > 0 else np.nan)
        induced_comp = inducedj * avgw * (1.0 + r)
        y = y0 + net * induced_comp
        cons = m * y
    else:
        inducedj = induced_w = induced_comp = 0.0 * y0
        y = y0
        cons = m * y
    total = direct + acc["ind_jobs"] + inducedj
    women = direct_w + acc["ind_jobs_w"] + induced_w
    men = total - women
    fis_direct = (tau + r) * acc["wages_direct"]
    fis_ind = acc["ind_comp"] * (1.0 - net)
    fis_induced = induced_comp * (1.0 - net)
    fis_cons = vat * cons
    benefit = (
        np.asarray(p.g("fiscal", "share_from_unemployment"))
        * total
        * p.g("fiscal", "unemployment_benefit")
        * wgrowth
    )
    returns = fis_direct + fis_ind + fis_induced + fis_cons + benefit
    gross = acc["gross"]
    netf = gross - returns
    wa_w, wa_m = p.g("macro", "working_age_women"), p.g("macro", "working_age_men")
    rate_w0 = p.g("macro", "employed_women") / wa_w
    rate_m0 = p.g("macro", "employed_men") / wa_m
    dw = 100.0 * women / wa_w
    dm = 100.0 * men / wa_m
    gap0 = 100.0 * (rate_m0 - rate_w0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.update(
            {
                "gross_cost": gross,
                "gross_cost_pct_gdp": 100.0 * gross / gdp,
                "current_spending": acc["current"],
                "total_spending": acc["current"] + gross,
                "total_spending_pct_gdp": 100.0 * (acc["current"] + gross) / gdp,
                "newly_covered": acc["newly_covered"],
                "jobs_direct_care": acc["care"],
                "jobs_direct_other": acc["other"],
                "jobs_direct": direct,
                "jobs_indirect": acc["ind_jobs"],
                "jobs_induced": inducedj,
                "jobs_total": total,
                "jobs_women": women,
                "jobs_men": men,
                "women_share_of_jobs": np.where(
                    total > 0, women / np.where(total > 0, total, 1), np.nan
                ),
                "tax_direct_labour": fis_direct,
                "tax_indirect_labour": fis_ind,
                "tax_induced_labour": fis_induced,
                "tax_consumption": fis_cons,
                "benefit_savings": benefit,
                "fiscal_returns": returns,
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
                "induced_women": induced_w,
                "direct_care_women": acc["care_w"],
                "direct_other_women": acc["other_w"],
                "staff_cost": acc["staff_cost"],
                "non_staff_cost": acc["nonstaff"],
                "wage_upgrade_cost": acc["upgrade"],
                "consumption": cons,
            }
        )
    if detail:
        assert ns_by_sector is not None
        x_ind = np.einsum("ij,jdt->idt", L, ns_by_sector) if np.ndim(ns_by_sector) == 3 else None
        out["x_indirect"] = x_ind
        if method == "type_ii":
            out["x_induced"] = (L @ c)[:, None, None] * (np.asarray(cons) / unit)[None, ...]
        else:
            jshare = (e * (L @ c)) / eLc if eLc > 0 else np.zeros(model.n)
            out["x_induced_jobs"] = jshare[:, None, None] * np.asarray(inducedj)[None, ...]
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
    women_share_of_jobs: float
    women_emp_rate_change_pp: float
    men_emp_rate_change_pp: float
    gender_gap_change_pp: float
    fiscal_returns: float
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
            f"{self.jobs_indirect:,.0f} indirect, {self.jobs_induced:,.0f} induced), "
            f"{100 * self.women_share_of_jobs:.0f}% for women. "
            f"Taxes, contributions and benefit savings return {self.fiscal_returns:,.0f} "
            f"{self.currency}, leaving a net funding requirement of {self.net_funding:,.0f} "
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
        One row per year, one column per measure (see ``SUMMARY_MEASURES``).
    by_service : DataFrame
        Tidy ``year, service`` rows with coverage, staff, wages and cost components.
    jobs : DataFrame
        Tidy ``year, type (direct_care|direct_other|indirect|induced), sex, jobs``.
    jobs_by_sector : DataFrame
        Tidy ``year, sector, type (indirect|induced), jobs, jobs_women``.
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
        model.index_of(s.sector)
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
            "tax_consumption",
            "benefit_savings",
        ]
    ].melt(id_vars="year", var_name="component", value_name="value")
    return SimulationResult(scenario, model, summary, by_service, jobs, jobs_by_sector, fiscal)


# --------------------------------------------------------------------------------------------
# comparison with the same spending in another sector
# --------------------------------------------------------------------------------------------
def _io_spending(
    model: IOModel, sector: str, spend: np.ndarray, scn: Scenario
) -> dict[str, np.ndarray]:
    """Jobs and fiscal returns of final demand ``spend`` (currency) for ``sector``."""
    j = model.index_of(sector)
    f = spend / model.money_unit
    e, w, g, L, c = (
        model.employment,
        model.compensation,
        model.female_share,
        model.L,
        model.consumption_shares,
    )
    fis = scn.fiscal
    tau, r, m = fis.labour_tax_rate, fis.employer_contribution_rate, fis.propensity_to_consume
    net = (1.0 - tau) / (1.0 + r)
    eL, wL, egL = e @ L, w @ L, (e * g) @ L
    direct = e[j] * f
    direct_w = e[j] * g[j] * f
    indirect = eL[j] * f - direct
    indirect_w = egL[j] * f - direct_w
    comp = wL[j] * spend
    y0 = net * comp
    kappa = float(wL @ c)
    if scn.induced == "type_ii":
        y = y0 / (1.0 - m * net * kappa)
        cons = m * y
        induced = float(eL @ c) * cons / model.money_unit
        induced_w = float(egL @ c) * cons / model.money_unit
        induced_comp = kappa * cons
    elif scn.induced == "multiplier":
        induced = (scn.consumption_multiplier - 1.0) * (direct + indirect)
        induced_w = induced * float(egL @ c) / float(eL @ c)
        wbar = scn.macro.average_wage * (1 + scn.macro.real_wage_growth) ** (
            scn.years - scn.base_year
        )
        induced_comp = induced * wbar * (1.0 + r)
        cons = m * (y0 + net * induced_comp)
    else:
        induced = induced_w = induced_comp = 0.0 * f
        cons = m * y0
    total = direct + indirect + induced
    returns = (
        (comp + induced_comp) * (1.0 - net)
        + fis.indirect_tax_rate * cons
        + (
            fis.share_from_unemployment
            * total
            * fis.unemployment_benefit
            * (1 + scn.macro.real_wage_growth) ** (scn.years - scn.base_year)
        )
    )
    return {
        "jobs_direct": direct,
        "jobs_indirect": indirect,
        "jobs_induced": induced,
        "jobs_total": total,
        "jobs_women": direct_w + indirect_w + induced_w,
        "fiscal_returns": returns,
    }


def compare_sectors(
    result: SimulationResult, sector: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The scenario's gross cost spent instead in another sector, side by side.

    Rows: ``care (scenario)`` — the simulation (direct jobs bottom-up from staffing);
    ``care (IO)`` — the same spending as final demand for the care services' I-O sector;
    and the comparison sector (e.g. construction), with the same spending as final demand,
    using the same Type I/Type II logic as the scenario.

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
        ``case, sector, spending, jobs_direct, jobs_indirect, jobs_induced, jobs_total,
        jobs_women, women_share, jobs_per_million, fiscal_returns, net_funding,
        net_funding_pct_gross``.

    References
    ----------
    De Henau et al. (2016), *Investing in the Care Economy*, ITUC (care vs construction);
    Miller and Blair (2009), section 6.2.3.
    """
    scn, model = result.scenario, result.model
    sector = sector or scn.comparison_sector
    if sector is None:
        raise InvestmentInputError("sector is missing: pass sector= or set [comparison] sector")
    yr = scn.target_year if year is None else int(year)
    if yr not in set(scn.years):
        raise InvestmentInputError(
            f"year = {year!r} not simulated; allowed {scn.base_year}–{scn.end_year}"
        )
    i = int(np.where(scn.years == yr)[0][0])
    s = result.summary.iloc[i]
    spend = np.asarray(scn.years * 0.0 + s["gross_cost"])  # same spending in every slot
    care_sector = scn.services[0].sector
    rows = [
        {
            "case": "care (scenario)",
            "sector": "/".join(sorted({x.sector for x in scn.services})),
            "spending": s["gross_cost"],
            "jobs_direct": s["jobs_direct"],
            "jobs_indirect": s["jobs_indirect"],
            "jobs_induced": s["jobs_induced"],
            "jobs_total": s["jobs_total"],
            "jobs_women": s["jobs_women"],
            "fiscal_returns": s["fiscal_returns"],
        }
    ]
    for case, sec in (("care (IO)", care_sector), (f"comparison ({sector})", sector)):
        d = _io_spending(model, sec, spend, scn)
        rows.append(
            {
                "case": case,
                "sector": sec,
                "spending": s["gross_cost"],
                **{k: float(np.asarray(v).reshape(-1)[i]) for k, v in d.items()},
            }
        )
    out = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["women_share"] = out["jobs_women"] / out["jobs_total"]
        out["jobs_per_million"] = out["jobs_total"] / out["spending"] * 1e6
        out["net_funding"] = out["spending"] - out["fiscal_returns"]
        out["net_funding_pct_gross"] = 100.0 * out["net_funding"] / out["spending"]
    out.attrs["year"] = yr
    out.attrs["currency"] = scn.currency
    return out

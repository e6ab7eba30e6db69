"""Care investment simulator: costs, jobs and fiscal returns of public investment in care.

The model follows the UN Women–ILO policy tool (2021) and the ILO Care Policy Investment
Simulator (De Henau 2022; ILO 2022): coverage gaps from population and coverage targets,
costs from staffing ratios and wages, direct jobs from staffing, indirect and induced jobs
from an input–output model (Miller and Blair 2009), jobs by sex, and fiscal returns and net
funding.  Monte Carlo and one-at-a-time sensitivity give uncertainty.  Each step of the
method is one function of :mod:`carecost.investment.steps` (units, equation and source in
its docstring); :func:`simulate`, :func:`monte_carlo` and :func:`sensitivity` compose the
same functions.  A scenario is defined once, in :mod:`carecost.investment.fields` (keys,
ranges and the constraints between keys, :data:`JOINT`).

Main entry points: :func:`load_scenario` (every key in ``docs/scenario-reference.md``,
generated from :mod:`carecost.investment.fields`; :func:`scenario_template` writes a starter
file), :func:`example_scenario`, :func:`simulate`,
:func:`compare_sectors`, :func:`monte_carlo`, :func:`sensitivity`, :class:`IOModel` and the
input–output functions in :mod:`carecost.investment.io`.
"""

from . import steps
from ._countries import CountryDataWarning, IOConversion
from ._validate import ExampleDataWarning, ImplausibleInputWarning, InvestmentInputError
from .fields import FIELDS, JOINT, FieldSpec, JointConstraint, reference_markdown, scenario_template
from .io import (
    IOModel,
    closed_leontief_inverse,
    employment_coefficients,
    employment_multipliers,
    income_multipliers,
    industry_direct_requirements,
    industry_total_requirements,
    leontief_inverse,
    output_multipliers,
    technical_coefficients,
)
from .model import (
    InvestmentReport,
    SimulationResult,
    compare_sectors,
    country_io_model,
    example_io_model,
    io_model_for,
    net_funding_requirement,
    parameter_value,
    simulate,
)
from .plots import plot_comparison, plot_cost_path, plot_jobs, plot_net_funding, plot_tornado
from .scenario import (
    PRESETS,
    Breastfeeding,
    Fiscal,
    InputSource,
    Leave,
    Macro,
    Scenario,
    Service,
    StaffGrade,
    country_parameters,
    example_scenario,
    load_scenario,
    preset_raw,
    preset_sources,
    scenario_from_dict,
)
from .uncertainty import (
    ParameterRange,
    WorldMonteCarlo,
    default_ranges,
    monte_carlo,
    sensitivity,
    world_monte_carlo,
    world_ranges,
)
from .world import WorldResult, coverage, ilo_comparison, simulate_many

__all__ = [
    "FIELDS",
    "JOINT",
    "PRESETS",
    "Breastfeeding",
    "CountryDataWarning",
    "ExampleDataWarning",
    "FieldSpec",
    "Fiscal",
    "IOConversion",
    "IOModel",
    "ImplausibleInputWarning",
    "InputSource",
    "InvestmentInputError",
    "InvestmentReport",
    "JointConstraint",
    "Leave",
    "Macro",
    "ParameterRange",
    "Scenario",
    "Service",
    "SimulationResult",
    "StaffGrade",
    "WorldMonteCarlo",
    "WorldResult",
    "closed_leontief_inverse",
    "compare_sectors",
    "country_io_model",
    "country_parameters",
    "coverage",
    "default_ranges",
    "employment_coefficients",
    "employment_multipliers",
    "example_io_model",
    "example_scenario",
    "ilo_comparison",
    "income_multipliers",
    "industry_direct_requirements",
    "industry_total_requirements",
    "io_model_for",
    "leontief_inverse",
    "load_scenario",
    "monte_carlo",
    "net_funding_requirement",
    "output_multipliers",
    "parameter_value",
    "plot_comparison",
    "plot_cost_path",
    "plot_jobs",
    "plot_net_funding",
    "plot_tornado",
    "preset_raw",
    "preset_sources",
    "reference_markdown",
    "scenario_from_dict",
    "scenario_template",
    "sensitivity",
    "simulate",
    "simulate_many",
    "steps",
    "technical_coefficients",
    "world_monte_carlo",
    "world_ranges",
]

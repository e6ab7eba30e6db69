"""Valuing unpaid household service and care work (household satellite accounts).

Replacement cost (generalist, specialist, hybrid), opportunity cost with
Mincer or Heckman-imputed wages, and the ILO minimum-wage variant, as survey
estimates with design-based standard errors, plus Monte Carlo and tornado
sensitivity over wages and parameters.

References
----------
UNECE (2017). Guide on Valuing Unpaid Household Service Work. ECE/CES/STAT/2017/3.
Eurostat (2003). Household Production and Consumption: Proposal for a
Methodology of Household Satellite Accounts.
ILO (2018). Care work and care jobs for the future of decent work.
Heckman, J. J. (1979). Sample selection bias as a specification error.
Econometrica 47(1), 153-161.
"""

from ._common import (
    BASIS_TEXT,
    REFERENCES,
    ValuationError,
    WageBasis,
    basis_factor,
    basis_text,
    days_in_year,
)
from .activities import (
    ActivityMap,
    atus_activity_map,
    atus_activity_table,
    atus_valuation_crosswalk,
    atus_wage_cells,
)
from .benchmark import benchmark_factor, benchmark_total
from .core import (
    GDP,
    Generalist,
    Hybrid,
    OpportunityCost,
    Specialist,
    Valuation,
    us_federal_minimum_wage,
    us_gdp,
    value_unpaid_work,
)
from .countries import (
    COUNTRY_METHODS,
    CountryValuation,
    CountryValuations,
    value_countries,
    value_country,
)
from .donors import IMPUTATION_RULE, ImputedHours, donor_table, impute_hours
from .history import ValueHistory, us_value_history, value_history
from .imputation import ImputedWages, WageModel, atus_wage_covariates, impute_wages
from .minimum_wages import minimum_wage_table, statutory_minimum_wage
from .published import bea_household_production
from .uncertainty import (
    MonteCarloResult,
    Normal,
    Triangular,
    Uniform,
    monte_carlo,
    plot_tornado,
    tornado,
    wage_keys,
)
from .wages import WageTable, observed_hourly_wage, oes_published, oes_wages, survey_wages
from .world import WORLD_METHODS, WorldValuation, value_world, year_rule

__all__ = [
    "BASIS_TEXT",
    "COUNTRY_METHODS",
    "GDP",
    "IMPUTATION_RULE",
    "REFERENCES",
    "WORLD_METHODS",
    "ActivityMap",
    "CountryValuation",
    "CountryValuations",
    "Generalist",
    "Hybrid",
    "ImputedHours",
    "ImputedWages",
    "MonteCarloResult",
    "Normal",
    "OpportunityCost",
    "Specialist",
    "Triangular",
    "Uniform",
    "Valuation",
    "ValuationError",
    "ValueHistory",
    "WageBasis",
    "WageModel",
    "WageTable",
    "WorldValuation",
    "atus_activity_map",
    "atus_activity_table",
    "atus_valuation_crosswalk",
    "atus_wage_cells",
    "atus_wage_covariates",
    "basis_factor",
    "basis_text",
    "bea_household_production",
    "benchmark_factor",
    "benchmark_total",
    "days_in_year",
    "donor_table",
    "impute_hours",
    "impute_wages",
    "minimum_wage_table",
    "monte_carlo",
    "observed_hourly_wage",
    "oes_published",
    "oes_wages",
    "plot_tornado",
    "statutory_minimum_wage",
    "survey_wages",
    "tornado",
    "us_federal_minimum_wage",
    "us_gdp",
    "us_value_history",
    "value_countries",
    "value_country",
    "value_history",
    "value_unpaid_work",
    "value_world",
    "wage_keys",
    "year_rule",
]

"""Data briefs: one question answered with numbers, charts, method and sources.

Three briefs, each as JSON (every number with its standard error or interval,
unit, source and method) and as one self-contained HTML page (inline SVG
charts, each with alt text and a data table; readable on a phone):

- :func:`gap_brief`: the unpaid-care gender gap, with SDG indicator 5.4.1;
- :func:`value_brief`: the value of unpaid household and care work by method;
- :func:`investment_brief`: costs, jobs and fiscal returns of a care-investment
  scenario.

:func:`example_briefs` makes all three on the embedded example data
(synthetic 'Exampleland'); :func:`write_brief` writes a brief to files.

Examples
--------
>>> from carecost.briefs import DatasetRegistry, gap_brief
>>> reg = DatasetRegistry.default()
>>> brief = gap_brief(reg.survey("example"), dataset=reg.spec("example"))  # doctest: +SKIP
>>> html = brief.to_html()  # doctest: +SKIP
"""

from ._common import (
    MAX_DRAWS,
    MAX_LEVEL,
    MIN_LEVEL,
    DatasetUnavailableError,
    as_bys,
    check_domains,
    check_draws,
    check_level,
    input_errors,
)
from ._format import fmt_interval, fmt_number, interval_name
from .datasets import (
    NAME_PATTERN,
    DatasetRegistry,
    DatasetSpec,
    ValuationSpec,
    check_name,
    check_survey,
    example_dataset,
    load_dataset_spec,
)
from .gap import gap_brief
from .html import CSP, render_html
from .investment import (
    InvestmentAnalysis,
    default_ranges,
    investment_analysis,
    investment_brief,
)
from .model import SCHEMA, Brief, BriefError, Chart, Column, Quantity, Source, Table
from .output import example_briefs, html_to_pdf, write_brief
from .value import METHODS, value_brief

__all__ = [
    "CSP",
    "MAX_DRAWS",
    "MAX_LEVEL",
    "METHODS",
    "MIN_LEVEL",
    "NAME_PATTERN",
    "SCHEMA",
    "Brief",
    "BriefError",
    "Chart",
    "Column",
    "DatasetRegistry",
    "DatasetSpec",
    "DatasetUnavailableError",
    "InvestmentAnalysis",
    "Quantity",
    "Source",
    "Table",
    "ValuationSpec",
    "as_bys",
    "check_domains",
    "check_draws",
    "check_level",
    "check_name",
    "check_survey",
    "default_ranges",
    "example_briefs",
    "example_dataset",
    "fmt_interval",
    "fmt_number",
    "gap_brief",
    "html_to_pdf",
    "input_errors",
    "interval_name",
    "investment_analysis",
    "investment_brief",
    "load_dataset_spec",
    "render_html",
    "value_brief",
    "write_brief",
]

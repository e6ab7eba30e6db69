"""Design-based estimation for complex survey samples.

The survey core of carecost: a design object declares the sample design
once, and estimators take column names and return tidy tables
(:class:`Estimate`, a pandas DataFrame carrying its covariance) with
``estimate, se, ci_low, ci_high, cv, df, n``.  The same :class:`Design` and
:class:`ReplicateDesign` run on a pandas DataFrame or on a Dask DataFrame
(larger than memory).  Results match R's ``survey`` package (Lumley) on the
same design; see ``tests/reference``.
"""

from ._base import DesignError, SurveyDesign, WeightsUnit
from .design import Design
from .replicate import ReplicateDesign
from .results import Estimate, EstimateInfo, contrast, difference, find_row, ratio_of

__all__ = [
    "Design",
    "DesignError",
    "Estimate",
    "EstimateInfo",
    "ReplicateDesign",
    "SurveyDesign",
    "WeightsUnit",
    "contrast",
    "difference",
    "find_row",
    "ratio_of",
]

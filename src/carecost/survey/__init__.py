"""Design-based estimation for complex survey samples.

The survey core of carecost: a design object declares the sample design
once, and estimators take column names and return tidy tables with
``estimate, se, ci_low, ci_high, cv, df, n``.  Results match R's ``survey``
package (Lumley) on the same design; see ``tests/reference``.
"""

from ._base import DesignError, SurveyDesign
from .design import Design
from .replicate import ReplicateDesign
from .results import EstimateInfo, contrast, difference, find_row, ratio_of

__all__ = [
    "Design",
    "DesignError",
    "EstimateInfo",
    "ReplicateDesign",
    "SurveyDesign",
    "contrast",
    "difference",
    "find_row",
    "ratio_of",
]

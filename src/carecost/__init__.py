"""carecost: numbers for the care economy.

Subpackages: :mod:`carecost.survey` (design-based estimation),
:mod:`carecost.timeuse`, :mod:`carecost.valuation`, :mod:`carecost.investment`,
:mod:`carecost.briefs`.
"""

__version__ = "0.1.0"

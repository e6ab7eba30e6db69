"""One error hierarchy for carecost.

Every error carecost raises on input it cannot use is a :class:`CarecostError`, so a caller (the
command line, the HTTP service, a notebook) catches one type; each package's own error
(:class:`~carecost.survey.DesignError`, :class:`~carecost.timeuse.TimeUseError`,
:class:`~carecost.timeuse.ClassificationError`, :class:`~carecost.valuation.ValuationError`,
:class:`~carecost.investment.InvestmentInputError`, :class:`~carecost.briefs.BriefError`, ...)
derives from it.  The input errors also derive from :class:`ValueError`, as Python's convention
for a bad argument value, so existing ``except ValueError`` code keeps working.

Every warning carecost emits about an input that is allowed but probably not what was meant is a
:class:`CarecostWarning`.
"""

from __future__ import annotations

__all__ = ["CarecostError", "CarecostInputError", "CarecostWarning"]


class CarecostError(Exception):
    """Base class of every error carecost raises deliberately; the message says what is wrong,
    where, and how to fix it."""


class CarecostInputError(CarecostError, ValueError):
    """An input (argument, file, table or request) that cannot be used as given."""


class CarecostWarning(UserWarning):
    """Base class of carecost's warnings about inputs that are allowed but probably wrong."""

"""The survey package's error type (a module of its own so every survey module can raise it)."""

from __future__ import annotations

from carecost.errors import CarecostInputError


class DesignError(CarecostInputError):
    """A survey design or an estimator call that cannot be carried out as given."""


class ResultTypeError(DesignError, TypeError):
    """A table passed where a carecost :class:`~carecost.survey.Estimate` is needed."""


class RowNotFoundError(DesignError, KeyError):
    """A row asked of a result table that is not in it (or not exactly once)."""

    def __str__(self) -> str:  # the message, not KeyError's quoted repr
        return str(self.args[0]) if self.args else ""

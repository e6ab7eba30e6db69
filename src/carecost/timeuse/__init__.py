"""Time-use microdata: reading, activity classification and the unpaid-care gender gap."""

from .atus import DiaryReport, TimeUseError, TimeUseSurvey, read_atus, weekend_or_holiday
from .classification import (
    ClassificationError,
    Crosswalk,
    bls_table1_crosswalk,
    bls_table1_rows,
    icatus2016,
    icatus_crosswalk,
)
from .indicators import bls_table1, gender_gap

__all__ = [
    "ClassificationError",
    "Crosswalk",
    "DiaryReport",
    "TimeUseError",
    "TimeUseSurvey",
    "bls_table1",
    "bls_table1_crosswalk",
    "bls_table1_rows",
    "gender_gap",
    "icatus2016",
    "icatus_crosswalk",
    "read_atus",
    "weekend_or_holiday",
]

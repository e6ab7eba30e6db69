"""Time-use microdata: reading, activity classification and the unpaid-care gender gap."""

from .atus import read_atus, weekend_or_holiday
from .classification import (
    ClassificationError,
    Crosswalk,
    bls_table1_crosswalk,
    bls_table1_rows,
    icatus2016,
    icatus_crosswalk,
)
from .indicators import adjusted_gap, bls_table1, gender_gap, sdg_541, time_use_indicators
from .io import read_table
from .readers import read_hetus, read_mtus
from .survey import (
    DiaryReport,
    TimeUseError,
    TimeUseSurvey,
    from_episodes,
    from_persons,
)

__all__ = [
    "ClassificationError",
    "Crosswalk",
    "DiaryReport",
    "TimeUseError",
    "TimeUseSurvey",
    "adjusted_gap",
    "bls_table1",
    "bls_table1_crosswalk",
    "bls_table1_rows",
    "from_episodes",
    "from_persons",
    "gender_gap",
    "icatus2016",
    "icatus_crosswalk",
    "read_atus",
    "read_hetus",
    "read_mtus",
    "read_table",
    "sdg_541",
    "time_use_indicators",
    "weekend_or_holiday",
]

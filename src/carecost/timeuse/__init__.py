"""Time-use microdata: reading, activity classification and the unpaid-care gender gap."""

from .atus import household_children, read_atus, weekend_or_holiday
from .classification import (
    BLS_TABLE9_ROWS,
    ClassificationError,
    Crosswalk,
    bls_table1_crosswalk,
    bls_table1_rows,
    bls_table9_crosswalk,
    icatus2016,
    icatus_crosswalk,
)
from .indicators import (
    UN_AGE_GROUPS,
    adjusted_gap,
    bls_table1,
    bls_table8,
    bls_table9,
    gender_gap,
    other_sex,
    sdg_541,
    sdg_541_series,
    time_use_indicators,
    un_age_groups,
)
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
    "BLS_TABLE9_ROWS",
    "UN_AGE_GROUPS",
    "ClassificationError",
    "Crosswalk",
    "DiaryReport",
    "TimeUseError",
    "TimeUseSurvey",
    "adjusted_gap",
    "bls_table1",
    "bls_table1_crosswalk",
    "bls_table1_rows",
    "bls_table8",
    "bls_table9",
    "bls_table9_crosswalk",
    "from_episodes",
    "from_persons",
    "gender_gap",
    "household_children",
    "icatus2016",
    "icatus_crosswalk",
    "other_sex",
    "read_atus",
    "read_hetus",
    "read_mtus",
    "read_table",
    "sdg_541",
    "sdg_541_series",
    "time_use_indicators",
    "un_age_groups",
    "weekend_or_holiday",
]

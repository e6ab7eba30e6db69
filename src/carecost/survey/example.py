"""A small example design shipped with the package, and the interim main job.

:func:`example_sample` draws a stratified two-stage sample (strata = 4 regions
x urban/rural; 6 PSUs per stratum drawn from a known number of PSUs; 15
persons per PSU) from a synthetic population, with a fixed seed.  Each
person has daily minutes of unpaid domestic and care work.  The numbers are
synthetic and illustrate the estimators only; they describe no country.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .design import Design
from .results import difference, ratio_of

REGIONS = ("north", "south", "east", "west")
SEED = 20261124


def example_sample(seed: int = SEED) -> pd.DataFrame:
    """Generate the example sample.

    Returns
    -------
    pandas.DataFrame
        One row per sampled person: ``region``, ``urban`` (bool), ``stratum``,
        ``psu``, ``psu_total`` (PSUs in the stratum's population, the stage-1
        fpc), ``sex`` ("female"/"male"), ``age_group``, ``unpaid_care_min``
        (minutes per day), ``paid_work_min`` (minutes per day), ``weight``
        (persons represented).
    """
    rng = np.random.default_rng(seed)
    rows = []
    psu_id = 0
    for region in REGIONS:
        for urban in (True, False):
            stratum = f"{region}-{'urban' if urban else 'rural'}"
            n_pop_psu = int(rng.integers(40, 120))
            for _ in range(6):
                psu_id += 1
                psu_effect = rng.normal(0.0, 12.0)
                size = int(rng.integers(150, 450))  # persons in the PSU
                sex = rng.choice(["female", "male"], 15)
                age = rng.choice(["15-29", "30-49", "50-64", "65+"], 15, p=[0.25, 0.35, 0.22, 0.18])
                base = np.where(sex == "female", 265.0, 150.0) + np.where(urban, -10.0, 10.0)
                base = base + np.select([age == "30-49", age == "65+"], [40.0, -20.0], 0.0)
                care = np.clip(base + psu_effect + rng.normal(0.0, 90.0, 15), 0.0, 900.0)
                paid = np.clip(np.where(sex == "female", 200.0, 290.0) + rng.normal(0, 150, 15),
                               0.0, 720.0)
                weight = n_pop_psu / 6 * size / 15
                for i in range(15):
                    rows.append((region, urban, stratum, psu_id, n_pop_psu, sex[i], age[i],
                                 round(float(care[i])), round(float(paid[i])), weight))
    cols = ["region", "urban", "stratum", "psu", "psu_total", "sex", "age_group",
            "unpaid_care_min", "paid_work_min", "weight"]
    return pd.DataFrame(rows, columns=cols)


def example_design(seed: int = SEED) -> Design:
    """The example sample as a stratified cluster :class:`Design` with a stage-1 fpc."""
    return Design(example_sample(seed), weights="weight", strata="stratum", psu="psu",
                  fpc="psu_total")


def main() -> None:
    """Print the unpaid-care gender gap on the example design (the interim main job)."""
    d = example_design()
    by_sex = d.mean("unpaid_care_min", by="sex")
    gap = difference(by_sex, {"sex": "female"}, {"sex": "male"}, name="women - men")
    ratio = ratio_of(by_sex, {"sex": "female"}, {"sex": "male"}, name="women / men")
    cols = ["estimate", "se", "ci_low", "ci_high", "df"]
    pd.set_option("display.width", 120)
    print("carecost example: unpaid domestic and care work, minutes per day (synthetic data)")
    print(f"design: {d!r}")
    print(by_sex[["sex", *cols, "n"]].round(2).to_string(index=False))
    print(pd.concat([gap, ratio])[["contrast", *cols]].round(3).to_string(index=False))


if __name__ == "__main__":
    main()

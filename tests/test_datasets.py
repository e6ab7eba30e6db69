"""The shipped country database can be rebuilt from the public sources (``datasets/``).

The rebuild test needs the shared real data (``../shared/data``) and skips without it.  The
shipped files must be byte-identical to a rebuild when pyarrow is the version recorded in
``datapackage.json`` (``carecost:provenance.software.pyarrow``); with another pyarrow version
the tables read back must be identical (``assert_frame_equal(check_exact=True)``).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pyarrow
import pytest

from carecost.paths import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "carecost" / "countries" / "data"
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

needs_shared = [
    pytest.mark.realdata,
    pytest.mark.skipif(not (SHARED / "wpp2019" / "population_single_age.parquet").is_file(),
                       reason=f"shared real data not found at {SHARED}"),
]


def _recorded_pyarrow() -> set[str]:
    pkg = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    return {r["carecost:provenance"]["software"]["pyarrow"] for r in pkg["resources"]
            if r["path"].startswith("src/carecost/countries/data/")
            and r["path"].endswith(".parquet")}


@needs_shared[0]
@needs_shared[1]
def test_rebuild_gives_the_shipped_files() -> None:
    from datasets import build

    verdicts = build.check()
    shipped = sorted(p.name for p in DATA.glob("*.parquet"))
    assert sorted(verdicts) == shipped, "every shipped Parquet file has a recipe"
    if _recorded_pyarrow() == {pyarrow.__version__}:
        assert set(verdicts.values()) == {"identical bytes"}, verdicts
    else:
        assert all(v.startswith("identical") for v in verdicts.values()), verdicts


def test_compare_detects_a_changed_value(tmp_path: Path) -> None:
    import pandas as pd
    from datasets import build

    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pd.DataFrame({"x": [1.0, 2.0]}).to_parquet(a)
    pd.DataFrame({"x": [1.0, 2.0 + 1e-12]}).to_parquet(b)
    with pytest.raises(AssertionError):
        build.compare(a, b)
    assert build.compare(a, a) == "identical bytes"


def test_mapping_covers_both_classifications() -> None:
    with open(DATA / "daedalus_to_wiod.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["daedalus_sector_id"]) for r in rows] == list(range(1, 46))
    targets = [c for r in rows for c in r["wiod_industry"].split()]
    assert set(targets) == {f"c{i}" for i in range(1, 36)}
    splits = {r["daedalus_sector_id"]: r["wiod_industry"] for r in rows
              if len(r["wiod_industry"].split()) > 1}
    assert splits == {"7": "c4 c5", "26": "c19 c20 c21"}
    care = {r["daedalus_sector_id"]: r["wiod_industry"] for r in rows}
    assert (care["42"], care["41"], care["25"], care["45"]) == ("c33", "c32", "c18", "c35")


def test_readme_reports_every_shipped_file_and_its_size() -> None:
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    total = 0
    for path in sorted(DATA.iterdir()):
        if path.suffix not in {".parquet", ".csv"}:
            continue
        size = path.stat().st_size
        total += size
        m = re.search(rf"`{re.escape(path.name)}`[^\n]*?\| ([\d,]+) bytes", readme)
        assert m, f"datasets/README.md does not list {path.name} with its size"
        assert int(m.group(1).replace(",", "")) == size, f"{path.name}: size in README"
    assert total < 25e6, f"country data {total:,} bytes: keep the wheel small"
    m = re.search(r"Total under `src/carecost/countries/data/`: ([\d,]+) bytes", readme)
    assert m and int(m.group(1).replace(",", "")) == total, "README total size"

"""The interim main job runs on the embedded example design."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from carecost.survey.example import example_design, example_sample


def test_example_sample_is_reproducible_and_well_formed() -> None:
    a, b = example_sample(), example_sample()
    assert a.equals(b)
    assert len(a) == 720
    assert a.groupby("stratum")["psu"].nunique().eq(6).all()
    assert (a["unpaid_care_min"] >= 0).all() and (a["unpaid_care_min"] <= 1440).all()


def test_example_gap_estimates() -> None:
    d = example_design()
    res = d.mean("unpaid_care_min", by="sex")
    assert list(res["sex"]) == ["female", "male"]
    # weighted means recomputed directly
    df = d.data
    for sex, row in zip(res["sex"], res.itertuples(), strict=True):
        m = df["sex"] == sex
        expected = np.average(df.loc[m, "unpaid_care_min"], weights=df.loc[m, "weight"])
        np.testing.assert_allclose(row.estimate, expected, rtol=1e-12)
    assert d.degf() == 48 - 8
    assert (res["se"] > 0).all()


def test_survey_example_main_prints_gap(capsys) -> None:
    from carecost.survey.example import main

    main()
    out = capsys.readouterr().out
    assert "women - men" in out
    assert "women / men" in out


def test_main_job_runs_as_module(tmp_path) -> None:
    """`python -m carecost` is the README's main job: it writes the three briefs and tables."""
    subprocess.run([sys.executable, "-m", "carecost"], check=True, capture_output=True,
                   text=True, timeout=300, cwd=tmp_path)
    out = tmp_path / "carecost-output"
    for name in ("index.html", "gap-brief.html", "gap-brief.json", "value-brief.html",
                 "investment-brief.json", "tables/gap.xlsx"):
        assert (out / name).is_file(), name
    assert "SDG 5.4.1" in (out / "gap-brief.html").read_text()


def test_module_passes_arguments_to_the_cli(tmp_path) -> None:
    """`python -m carecost <command> ...` runs that command: arguments are never ignored."""
    run = subprocess.run([sys.executable, "-m", "carecost", "new-scenario", "mine.toml"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "mine.toml").is_file()
    assert not (tmp_path / "carecost-output").exists()
    bad = subprocess.run([sys.executable, "-m", "carecost", "no-such-command"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert bad.returncode != 0
    assert not (tmp_path / "carecost-output").exists()


def test_shared_data_dir(monkeypatch, tmp_path) -> None:
    from pathlib import Path

    from carecost.paths import repo_root, shared_data_dir

    root = repo_root([Path(__file__).parent])
    assert root is not None and (root / "pyproject.toml").is_file()
    monkeypatch.delenv("CARECOST_SHARED_DATA", raising=False)
    assert shared_data_dir([Path(__file__).parent]) == root.parent / "shared" / "data"
    monkeypatch.setenv("CARECOST_SHARED_DATA", str(tmp_path))
    assert shared_data_dir() == tmp_path
    monkeypatch.delenv("CARECOST_SHARED_DATA")
    assert repo_root([tmp_path]) is None

"""The command line through typer's CliRunner and as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

typer_testing = pytest.importorskip("typer.testing")

from carecost.cli import EXIT_INPUT, app, main  # noqa: E402

runner = typer_testing.CliRunner()
EXAMPLE_SCENARIO = (resources.files("carecost.investment") / "data" / "scenarios"
                    / "example_universal_care_2035.toml")


def _run(*args: str) -> typer_testing.Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "120", "NO_COLOR": "1"})


def _all(res: typer_testing.Result) -> str:
    out = res.output
    try:
        out += res.stderr
    except ValueError:  # older Click mixes stderr into output
        pass
    return out


@pytest.fixture(scope="module")
def main_job(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    res = _run("run", "--out", str(out), "--draws", "300")
    assert res.exit_code == 0, _all(res)
    return out


def test_main_job_writes_briefs_and_tables(main_job: Path) -> None:
    for kind in ("gap", "value", "investment"):
        doc = json.loads((main_job / f"{kind}-brief.json").read_text(encoding="utf-8"))
        assert doc["kind"] == kind and doc["quantities"]
        html = (main_job / f"{kind}-brief.html").read_text(encoding="utf-8")
        assert html.count("<svg") >= 2
        book = pd.read_excel(main_job / "tables" / f"{kind}.xlsx", sheet_name=None)
        assert "quantities" in book and "about" in book
        q = book["quantities"]
        assert {"estimate", "se", "ci_low", "ci_high", "unit", "source", "method"} <= set(q)
    index = (main_job / "index.html").read_text(encoding="utf-8")
    assert "gap-brief.html" in index and "investment-brief.html" in index


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".json"])
def test_gap_outputs(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"gap{ext}"
    res = _run("gap", "--by", "urban", "--level", "0.9", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert "Gap (women minus men)" in res.output
    if ext == ".csv":
        q = pd.read_csv(tmp_path / "gap-quantities.csv")
        assert (q["level"] == 0.9).all() and q["se"].notna().all()
        assert (tmp_path / "gap-gap_by_domain.csv").exists()
    elif ext == ".xlsx":
        assert "gap_by_domain" in pd.read_excel(out, sheet_name=None)
    else:
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["tables"]["quantities"][0]["unit"] == "minutes per day"


def test_value_and_simulate(tmp_path: Path) -> None:
    res = _run("value", "--method", "generalist", "--method", "hybrid", "--draws", "100")
    assert res.exit_code == 0, _all(res)
    assert "XCU per year" in res.output
    out = tmp_path / "sim.json"
    res = _run("simulate", str(EXAMPLE_SCENARIO), "--draws", "200", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    assert {"summary_by_year", "monte_carlo", "quantities"} <= set(tables)


def test_brief_command(tmp_path: Path) -> None:
    res = _run("brief", "gap", "--out", str(tmp_path), "--format", "json", "--by", "region")
    assert res.exit_code == 0, _all(res)
    doc = json.loads((tmp_path / "gap-brief.json").read_text(encoding="utf-8"))
    assert doc["inputs"]["by"] == ["region"]
    assert not (tmp_path / "gap-brief.html").exists()


def test_read_and_validate(tmp_path: Path) -> None:
    res = _run("read", "example")
    assert res.exit_code == 0 and "3,600 respondents" in res.output, _all(res)
    csv = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2], "b": [3, 4]}).to_csv(csv, index=False)
    res = _run("read", str(csv), "--out", str(tmp_path / "t.xlsx"))
    assert res.exit_code == 0 and "2 rows, 2 columns" in res.output, _all(res)
    res = _run("validate", str(EXAMPLE_SCENARIO))
    assert res.exit_code == 0 and "valid" in res.output, _all(res)
    res = _run("validate", str(EXAMPLE_SCENARIO.parent / "example_extended_2035.toml"))
    assert res.exit_code == 0 and "valid" in res.output, _all(res)


def test_validate_json_scenario(tmp_path: Path) -> None:
    import tomllib

    raw = tomllib.loads(EXAMPLE_SCENARIO.read_text(encoding="utf-8"))
    good = tmp_path / "s.json"
    good.write_text(json.dumps(raw), encoding="utf-8")
    res = _run("validate", str(good))
    assert res.exit_code == 0, _all(res)
    raw["services"][0]["women_share"] = 1.5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    res = _run("validate", str(bad))
    assert res.exit_code == EXIT_INPUT
    assert "services.0.women_share" in _all(res)


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["gap", "--data", "nope"], 1, "neither a registered data set"),
        (["gap", "--data", "../nowhere/x.toml"], 1, "file not found"),
        (["gap", "--by", "income"], 1, "not a domain of data set 'example'"),
        (["gap", "--level", "2"], 2, "--level"),
        (["gap", "--out", "x.docx"], 1, "unknown table format '.docx'"),
        (["gap", "--out", "no/such/folder/x.csv"], 1, "does not exist"),
        (["value", "--method", "magic"], 1, "allowed any of"),
        (["value", "--draws", "1000000000"], 2, "--draws"),
        (["value", "--draws", "many"], 2, "--draws"),
        (["simulate", "missing.toml"], 1, "not found"),
        (["brief", "everything"], 1, "use gap, value, investment or all"),
        (["run", "--tables", ".docx"], 1, "--tables"),
        (["nonsense"], 2, "No such command"),
    ],
)
def test_bad_usage(args: list[str], code: int, text: str) -> None:
    res = _run(*args)
    assert res.exit_code == code, _all(res)
    assert text in _all(res)
    assert "Traceback" not in _all(res)


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("[meta\nname = 1", "not valid TOML"),
        ("[meta]\nname = 'x'\nbase_year = 2025\ntarget_year = 2020\n[[services]]\nname='a'\n",
         "meta.target_year"),
        ("title = 'neither'\n", "neither a scenario"),
        ("[dataset]\nkind = 'episodes'\n", "dataset.persons is missing"),
    ],
)
def test_validate_bad_files(tmp_path: Path, content: str, text: str) -> None:
    f = tmp_path / "f.toml"
    f.write_text(content, encoding="utf-8")
    res = _run("validate", str(f))
    assert res.exit_code == EXIT_INPUT, _all(res)
    assert text in _all(res)


def test_version_and_main() -> None:
    res = _run("--version")
    assert res.exit_code == 0 and "carecost" in res.output
    assert main(["--quiet", "gap", "--data", "nope"]) == EXIT_INPUT


def test_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "120"}
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "carecost.cli", "run", "--out", str(out), "--tables", "csv",
         "--draws", "200"], capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "open" in proc.stdout and (out / "index.html").exists()
    assert (out / "tables" / "gap-quantities.csv").exists()
    proc = subprocess.run([sys.executable, "-m", "carecost.cli", "gap", "--data", "nope"],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert proc.returncode == EXIT_INPUT
    assert "error" in proc.stderr and "registered data set" in proc.stderr
    assert proc.stdout == ""


def test_read_an_atus_directory() -> None:
    """`carecost read DIR` reads official BLS ATUS files (here the test fixtures)."""
    from pathlib import Path

    from typer.testing import CliRunner

    from carecost.cli import app

    fixture = Path(__file__).parent / "fixtures" / "atus_official"
    res = CliRunner().invoke(app, ["read", str(fixture)])
    assert res.exit_code == 0, res.output
    assert "4 respondents" in res.output and "sdr, 160 replicates" in res.output


# ------------------------------------------------------------------ review fixes
def test_binary_data_set_file(tmp_path: Path) -> None:
    blob = tmp_path / "blob.toml"
    blob.write_bytes(bytes(range(256)) * 4)
    for args in (["gap", "--data", str(blob)], ["validate", str(blob)], ["read", str(blob)]):
        res = _run(*args)
        assert res.exit_code == EXIT_INPUT, (args, _all(res))
        assert "not a TOML text file" in _all(res)
        assert "internal error" not in _all(res)


def test_read_rejects_unsupported_files(tmp_path: Path) -> None:
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    res = _run("read", str(doc))
    assert res.exit_code == EXIT_INPUT
    text = _all(res)
    assert "cannot read '.docx' files" in text and ".csv" in text and ".parquet" in text
    assert "--data" not in text
    res = _run("read", "nope")
    assert res.exit_code == EXIT_INPUT and "--data" not in _all(res)
    assert "source 'nope' is neither a registered data set" in _all(res)


def test_value_main_must_be_asked_for() -> None:
    res = _run("value", "--method", "generalist", "--main", "specialist", "--draws", "50")
    assert res.exit_code == EXIT_INPUT
    assert "--main 'specialist' is not among the methods" in _all(res)
    res = _run("--quiet", "value", "--method", "generalist", "--draws", "50")
    assert res.exit_code == 0, _all(res)


def test_simulate_json_scenario(tmp_path: Path) -> None:
    """A scenario that `validate` accepts as JSON is one that `simulate` runs."""
    import tomllib

    raw = tomllib.loads(EXAMPLE_SCENARIO.read_text(encoding="utf-8"))
    good = tmp_path / "s.json"
    good.write_text(json.dumps(raw), encoding="utf-8")
    assert _run("validate", str(good)).exit_code == 0
    out = tmp_path / "sim.json"
    res = _run("simulate", str(good), "--draws", "100", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert json.loads(out.read_text(encoding="utf-8"))["tables"]["monte_carlo"]
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    res = _run("simulate", str(bad))
    assert res.exit_code == EXIT_INPUT and "not valid JSON" in _all(res)


def test_simulate_writes_the_briefs_monte_carlo(tmp_path: Path) -> None:
    """The Monte Carlo table written is the one the brief's intervals come from."""
    out = tmp_path / "sim.json"
    res = _run("simulate", "--draws", "150", "--seed", "4", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    q = next(r for r in tables["quantities"] if r["id"] == "investment.jobs_total.2035")
    mc = next(r for r in tables["monte_carlo"]
              if r["measure"] == "jobs_total" and r["year"] == 2035)
    assert (q["ci_low"], q["ci_high"]) == (mc["ci_low"], mc["ci_high"])
    assert {"gdp", "jobs_direct_care"} <= {r["measure"] for r in tables["monte_carlo"]}


def test_unwritable_output_exits_3(tmp_path: Path) -> None:
    from carecost.cli import EXIT_OUTPUT

    a_file = tmp_path / "taken"
    a_file.write_text("x", encoding="utf-8")
    for args in (["brief", "gap", "--out", str(a_file / "briefs"), "--format", "json"],
                 ["gap", "--overall", "--out", str(a_file / "x.json")],
                 ["read", "example", "--out", str(a_file / "x.csv")]):
        res = _run(*args)
        assert res.exit_code == EXIT_OUTPUT, (args, _all(res))
        assert "cannot read or write a file" in " ".join(_all(res).split())
        assert "Traceback" not in _all(res)


def test_validate_data_set_with_missing_columns(tmp_path: Path) -> None:
    from carecost.timeuse.example import example_data

    persons, episodes = example_data()
    persons = persons[persons["psu"] <= 20].drop(columns=["weight"])
    persons.to_csv(tmp_path / "persons.csv", index=False)
    episodes[episodes["id"].isin(persons["id"])].to_csv(tmp_path / "episodes.csv", index=False)
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "small"\nkind = "episodes"\npersons = "persons.csv"\n'
                    'episodes = "episodes.csv"\nweights = "weight"\nstrata = "stratum"\n'
                    'psu = "psu"\ndomains = ["urban"]\n', encoding="utf-8")
    res = _run("validate", str(spec))
    assert res.exit_code == EXIT_INPUT, _all(res)
    text = " ".join(_all(res).split())
    assert "could not be loaded" in text and "weight column 'weight' not found" in text
    spec.write_text(spec.read_text(encoding="utf-8").replace('weights = "weight"',
                                                             'weights = "age"'),
                    encoding="utf-8")
    res = _run("validate", str(spec))
    assert res.exit_code == 0 and "valid" in _all(res), _all(res)


# ------------------------------------------------------------------ issue 13
def _scenario_with(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE_SCENARIO.read_text(encoding="utf-8")
    assert old in text
    f = tmp_path / "scenario.toml"
    f.write_text(text.replace(old, new), encoding="utf-8")
    return f


def test_validate_runs_the_checks_of_simulate(tmp_path: Path) -> None:
    """Issue 13.2: `[comparison] sector = "construction"` was "valid" but simulate failed."""
    f = _scenario_with(tmp_path, 'sector = "CON"', 'sector = "construction"')
    res = _run("validate", str(f))
    assert res.exit_code == EXIT_INPUT, _all(res)
    text = " ".join(_all(res).split())
    assert "'construction'" in text and "CON" in text and "valid scenario" not in text
    assert "docs/scenario-reference.md" in text
    sim = _run("simulate", str(f), "--draws", "10")
    assert sim.exit_code == EXIT_INPUT  # the same refusal as simulate's
    import tomllib

    raw = tomllib.loads(f.read_text(encoding="utf-8"))
    js = tmp_path / "scenario.json"
    js.write_text(json.dumps(raw), encoding="utf-8")
    pytest.importorskip("pydantic")
    res = _run("validate", str(js))
    assert res.exit_code == EXIT_INPUT and "'construction'" in _all(res), _all(res)


@pytest.mark.parametrize("module", ["uvicorn", "fastapi"])
def test_serve_without_the_service_extra_names_it(monkeypatch: pytest.MonkeyPatch,
                                                   module: str) -> None:
    """Issue 13.12: the message said `pip install 'carecost' (or 'carecost')`."""
    from carecost.cli import EXIT_MISSING

    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    res = _run("serve", "--port", "8765")
    text = " ".join(_all(res).split())
    assert res.exit_code == EXIT_MISSING, text
    assert f"needs the package '{module}'" in text
    assert "pip install 'carecost[service]'" in text


def test_install_hint() -> None:
    from carecost.cli import install_hint

    assert install_hint("pydantic") == "pip install 'carecost[service]'"
    assert install_hint("pyreadstat") == "pip install 'carecost[stata]'"
    assert install_hint("dask.dataframe") == "pip install 'carecost[dask]'"
    assert install_hint("somepkg") == "pip install somepkg"


def test_serve_on_a_busy_port_is_one_clear_line() -> None:
    """Issue 13.12: a busy port exits 5 with one line naming the port and --port."""
    import socket

    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    from carecost.cli import EXIT_PORT

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        res = _run("serve", "--host", "127.0.0.1", "--port", str(port))
    assert res.exit_code == EXIT_PORT == 5, _all(res)
    text = res.output.strip()  # stdout and stderr together
    assert len(text.splitlines()) == 1, text
    assert f"port {port} on 127.0.0.1 is already in use" in text
    assert f"--port {port + 1}" in text and "Traceback" not in text


def _cells(ws: object) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows()]  # type: ignore[attr-defined]


def test_excel_tables_are_formatted(tmp_path: Path) -> None:
    """Issue 13.13: bold frozen headers, autofilter, formats by unit, a readable first sheet."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "sim.xlsx"
    res = _run("simulate", "--draws", "50", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    wb = openpyxl.load_workbook(out)
    names = wb.sheetnames
    assert names[0] == "summary" and names[1] == "investment_headline"
    assert names[-1] == "about" and names.index("quantities") > names.index("services")
    assert names.index("summary_by_year") > names.index("quantities")
    ws = wb["summary"]
    assert ws["A1"].font.bold and ws["A1"].value.startswith("Extending care services by 2035")
    assert ws["A2"].value.startswith("Reaching the coverage targets")
    header = [c.value for c in ws[4]]
    assert header[:6] == ["Measure", "Year", "Estimate", "Interval low", "Interval high",
                          "Unit"]
    assert all(c.font.bold for c in ws[4] if c.value) and ws.freeze_panes == "A5"
    assert ws.auto_filter.ref.startswith("A4:")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5) if r[0].value}
    cost = rows["Additional annual cost"]
    assert cost[1].value == 2035 and cost[5].value == "% of GDP"
    assert cost[2].number_format == "0.00" and cost[2].value == round(cost[2].value, 2)
    jobs = rows["Jobs created"]
    assert jobs[2].number_format == "#,##0" and jobs[2].value == round(jobs[2].value)
    for name in names[1:-1]:
        sheet = wb[name]
        assert sheet.freeze_panes == "A2", name
        assert all(c.font.bold for c in sheet[1]), name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
    svc = wb["services"]
    head = [c.value for c in svc[1]]
    cov = head.index("Coverage [% of persons in need]")
    cost_col = head.index("Additional cost [XCU per year]")
    assert svc.cell(row=2, column=cov + 1).number_format == "0.0"
    assert svc.cell(row=2, column=cost_col + 1).number_format == "#,##0"
    by_year = wb["summary_by_year"]
    head = [c.value for c in by_year[1]]
    fmt = {h: by_year.cell(row=3, column=i + 1).number_format for i, h in enumerate(head)}
    assert fmt["women_share_of_jobs"] == "0.0%" and fmt["gross_cost_pct_gdp"] == "0.00"
    assert fmt["jobs_total"] == "#,##0" and fmt["year"] == "0"
    mc = wb["monte_carlo"]
    head = [c.value for c in mc[1]]
    for r in mc.iter_rows(min_row=2):
        if r[head.index("measure")].value == "women_share_of_jobs" \
                and isinstance(r[head.index("ci_low")].value, float):
            assert r[head.index("ci_low")].number_format == "0.0%"
            break
    else:
        raise AssertionError("no women_share_of_jobs row in monte_carlo")
    # no binary noise (0.6499999999999999) anywhere: floats have at most 12 significant digits
    for name in names:
        for row in wb[name].iter_rows():
            for c in row:
                if isinstance(c.value, float):
                    assert float(f"{c.value:.12g}") == c.value, (name, c.coordinate, c.value)


def test_csv_tables_have_no_float_noise(tmp_path: Path) -> None:
    out = tmp_path / "sim.csv"
    res = _run("simulate", "--draws", "20", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    text = (tmp_path / "sim-by_service.csv").read_text(encoding="utf-8")
    assert "99999999" not in text and "00000001" not in text
    summary = pd.read_csv(tmp_path / "sim-summary.csv")
    assert "Year" in summary and (summary["Year"] == 2035).all()


def test_gap_prints_the_breakdown() -> None:
    """Issue 13.15: `gap --by age_group` showed the breakdown only in the files."""
    res = _run("gap", "--by", "age_group")
    assert res.exit_code == 0, _all(res)
    text = res.output
    assert "Unpaid care work by sex and age group" in text
    assert "Women (minutes per day)" in text and "CI of the gap" in text
    for group in ("15-24  (!)", "25-34", "65+"):
        assert group in text
    assert "Unpaid care work by sex" not in _run("gap", "--overall").output


def test_value_and_gap_check_the_spec_before_reading_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13.15: `value --data X` read 12 s of data before finding the spec unusable."""
    from carecost.briefs import DatasetRegistry

    def no_reading(self: object, name: object) -> None:
        raise AssertionError("the data were read before the spec was checked")

    monkeypatch.setattr(DatasetRegistry, "survey", no_reading)
    (tmp_path / "persons.csv").write_text("id,sex,weight,care_min\n1,female,1,3\n",
                                          encoding="utf-8")
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "nowage"\nkind = "persons"\npersons = "persons.csv"\n'
                    'activities = ["care_min"]\nunits = "minutes_per_day"\n'
                    'domains = ["urban"]\n', encoding="utf-8")
    res = _run("value", "--data", str(spec), "--draws", "10")
    assert res.exit_code == EXIT_INPUT, _all(res)
    assert "has no [valuation] wages" in " ".join(_all(res).split())
    res = _run("gap", "--data", str(spec), "--by", "age_group")
    assert res.exit_code == EXIT_INPUT, _all(res)
    assert "not a domain of data set 'nowage'" in " ".join(_all(res).split())


def test_data_set_file_with_a_typo_is_refused(tmp_path: Path) -> None:
    """Issue 13.1: `stata = "stratum"` silently dropped the strata."""
    f = tmp_path / "ds.toml"
    (tmp_path / "p.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("id\n1\n", encoding="utf-8")
    f.write_text('[dataset]\nname = "x"\nkind = "episodes"\npersons = "p.csv"\n'
                 'episodes = "e.csv"\nstata = "stratum"\n', encoding="utf-8")
    for args in (["validate", str(f)], ["gap", "--data", str(f)]):
        res = _run(*args)
        assert res.exit_code == EXIT_INPUT, _all(res)
        text = " ".join(_all(res).split())
        assert "unknown key 'stata' in [dataset]; did you mean strata?" in text


def test_new_scenario_writes_a_template_that_validates(tmp_path: Path) -> None:
    """Issue 13.18: `carecost new-scenario FILE` writes the commented starter template."""
    from carecost.investment import scenario_template

    f = tmp_path / "mine.toml"
    res = _run("new-scenario", str(f))
    assert res.exit_code == 0, _all(res)
    assert f.read_text(encoding="utf-8") == scenario_template()
    assert "docs/scenario-reference.md" in " ".join(res.output.split())
    res = _run("validate", str(f))
    assert res.exit_code == 0 and "valid scenario" in res.output, _all(res)
    f.write_text("# my edits\n", encoding="utf-8")
    res = _run("new-scenario", str(f))
    assert res.exit_code == EXIT_INPUT and "--force" in _all(res)
    assert f.read_text(encoding="utf-8") == "# my edits\n"  # not overwritten
    res = _run("new-scenario", str(f), "--force")
    assert res.exit_code == 0 and f.read_text(encoding="utf-8") == scenario_template()
    res = _run("new-scenario", str(tmp_path / "x.json"))
    assert res.exit_code == EXIT_INPUT and ".toml" in _all(res)


def test_own_macro_data_warnings_and_inputs_sheet(tmp_path: Path) -> None:
    """Issue 13.9: the CLI prints the data warnings and writes where each input came from."""
    openpyxl = pytest.importorskip("openpyxl")
    f = tmp_path / "own.toml"
    f.write_text(EXAMPLE_SCENARIO.read_text(encoding="utf-8") + "\n[macro]\ngdp = 500e9\n",
                 encoding="utf-8")
    out = tmp_path / "own.xlsx"
    res = _run("simulate", str(f), "--draws", "20", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    text = " ".join(_all(res).split())
    assert "warning: jobs use the synthetic example input" in text
    assert "ExampleDataWarning" not in text  # printed once, as a CLI warning
    wb = openpyxl.load_workbook(out)
    rows = list(wb["inputs"].iter_rows(values_only=True))
    assert rows[0][:4] == ("input", "value", "unit", "origin")
    gdp = next(r for r in rows if r[0] == "macro.gdp")
    assert gdp[1] == 500e9 and gdp[3] == "scenario"
    about = [r[1] for r in wb["about"].iter_rows(values_only=True) if r[0] == "caveat"]
    assert any("jobs use the synthetic example input" in c for c in about)
    assert not any(c.startswith("The country data (population, GDP") for c in about)
    res = _run("validate", str(f))
    assert res.exit_code == 0 and "warning:" in _all(res)


def test_cli_does_not_import_pydantic_schemas() -> None:
    """`import carecost.cli` must work without the service extra (pydantic is optional)."""
    code = ("import sys, carecost.cli; bad = [m for m in sys.modules if m.startswith("
            "('carecost.service', 'pydantic', 'fastapi'))]; print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_countries_and_country_commands(tmp_path: Path) -> None:
    """`carecost countries` lists the database; `carecost country ISO3 --year` prints or writes
    the profile; an unknown code is exit 1 with the closest code (issue 15)."""
    from typer.testing import CliRunner

    from carecost.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["countries"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "235 countries and areas" in res.output and "Mexico" in res.output
    out = tmp_path / "countries.csv"
    res = runner.invoke(app, ["countries", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out)) == 235
    res = runner.invoke(app, ["country", "MEX", "--year", "2030"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "MEX, 2030" in res.output and "population_total" in res.output
    prof = tmp_path / "mex.xlsx"
    res = runner.invoke(app, ["country", "mex", "--year", "2020", "--out", str(prof)])
    assert res.exit_code == 0, res.output
    table = pd.read_excel(prof)
    total = table.loc[table["input"] == "population_total", "value"].iloc[0]
    assert total == 128_932_753  # WPP 2019, Mexico, 1 July 2020 (persons)
    res = runner.invoke(app, ["country", "MXX"])
    assert res.exit_code == EXIT_INPUT
    assert "MEX (Mexico)" in res.output


def test_simulate_a_preset_for_one_and_many_countries(tmp_path: Path) -> None:
    """`simulate --country ISO3 --preset NAME` needs no scenario file; `--countries A,B` writes
    one row per country, the aggregates and every country that could not be costed
    (issue 16)."""
    from typer.testing import CliRunner

    from carecost.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["simulate", "--country", "KEN", "--preset", "ilo-2035",
                              "--draws", "20"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Reaching the coverage targets by 2035" in " ".join(res.output.split())
    res = runner.invoke(app, ["simulate", "--country", "KEN"])
    assert res.exit_code == EXIT_INPUT
    out = tmp_path / "world.xlsx"
    res = runner.invoke(app, ["simulate", "--countries", "MEX,KEN,XXX", "--preset", "ilo-2035",
                              "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert sorted(sheets["countries"]["iso3"]) == ["KEN", "MEX"]
    assert list(sheets["failures"]["iso3"]) == ["XXX"]
    world = sheets["aggregates"][sheets["aggregates"]["level"] == "world"].iloc[0]
    assert world["countries"] == 2


HEAVY = ("carecost.briefs", "carecost.survey", "carecost.timeuse", "carecost.valuation",
         "carecost.investment", "scipy", "statsmodels", "pandas")


def test_import_loads_no_heavy_module() -> None:
    """`import carecost.cli` loads neither the briefs nor pandas/SciPy/statsmodels (issue 20):
    they load inside the commands, so `carecost --help` starts quickly."""
    code = (f"import sys, carecost.cli; print([m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize(("args", "expected"), [
    (["--help"], ["gap", "value", "simulate", "brief", "run", "serve", "read", "validate",
                  "new-scenario", "countries", "country"]),
    (["simulate", "--help"], ["--draws", "--seed", "--level", "--year", "--country",
                              "--preset", "--countries", "--out", "100000", "0.999"]),
    (["value", "--help"], ["--method", "generalist", "specialist", "hybrid", "minimum_wage",
                           "--draws", "--level"]),
])
def test_help_in_a_subprocess(args: list[str], expected: list[str]) -> None:
    """`carecost --help` and `carecost <cmd> --help` list the commands and options, with
    the bounds from carecost.limits (issue 20)."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "carecost", *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    missing = [w for w in expected if w not in proc.stdout]
    assert not missing, proc.stdout


def test_input_error_before_the_briefs_load_is_exit_1() -> None:
    """A country-database input error is exit 1 although the briefs (whose error list the
    command line uses) were never imported, and reporting it does not import them."""
    code = ("import sys; from carecost.cli import main; code = main(['--quiet', 'country', "
            "'XXX']); print(code, 'carecost.briefs' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.stdout.split() == [str(EXIT_INPUT), "False"], proc.stdout + proc.stderr
    assert "error" in proc.stderr


def test_limits_are_the_briefs_constants() -> None:
    """The light carecost.limits holds the same constants the briefs use and export."""
    import carecost.briefs as briefs
    import carecost.limits as limits
    from carecost.briefs import datasets

    assert (briefs.MAX_DRAWS, briefs.MIN_LEVEL, briefs.MAX_LEVEL) == (
        limits.MAX_DRAWS, limits.MIN_LEVEL, limits.MAX_LEVEL)
    assert briefs.METHODS == limits.METHODS
    assert (datasets.REFERENCE, datasets.DATASET_REFERENCE) == (
        limits.REFERENCE, limits.DATASET_REFERENCE)
    code = (f"import sys, carecost.limits; print([m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


# ------------------------------------------------------------------ issues 16, 17 (CLI)
def test_simulate_countries_world_json_with_monte_carlo(tmp_path: Path) -> None:
    """`simulate --countries ... --out world.json` writes tables.quantities (issue 16); with
    --draws the world numbers get Monte Carlo intervals and a monte_carlo table."""
    out = tmp_path / "world.json"
    res = _run("simulate", "--countries", "MEX,KEN,XXX", "--preset", "ilo-2035", "--out",
               str(out))
    assert res.exit_code == 0, _all(res)
    doc = json.loads(out.read_text(encoding="utf-8"))
    q = {r["id"]: r for r in doc["tables"]["quantities"]}
    assert q["world.countries"]["estimate"] == 2 and "world.jobs.direct_ltc.2035" in q
    assert q["world.jobs.direct_ltc.2035"]["ci_low"] is None and "monte_carlo" not in doc["tables"]
    assert [r["iso3"] for r in doc["tables"]["failures"]] == ["XXX"]
    res = _run("simulate", "--countries", "MEX,KEN", "--preset", "ilo-2035", "--draws", "30",
               "--level", "0.8", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert "80% MC" in " ".join(res.output.split())
    doc = json.loads(out.read_text(encoding="utf-8"))
    jobs = {r["id"]: r for r in doc["tables"]["quantities"]}["world.jobs.direct_ltc.2035"]
    assert jobs["ci_low"] < jobs["estimate"] < jobs["ci_high"] and jobs["level"] == 0.8
    mc = doc["tables"]["monte_carlo"]
    assert {r["name"] for r in mc} >= {"World", "MEX", "KEN"} and mc[0]["draws"] == 30


def test_value_country(tmp_path: Path) -> None:
    """`value --country ISO3` values a country from its SDG 5.4.1 hours (issue 17)."""
    out = tmp_path / "mex.json"
    res = _run("value", "--country", "mex", "--country-method", "replacement_generalist",
               "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert "Unpaid care work in Mexico" in res.output
    q = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["tables"]["quantities"]}
    assert q["value.replacement_generalist.pct_gdp"]["unit"] == "% of GDP"
    assert not any(k.startswith("value.minimum_wage") for k in q)  # only the method asked for
    for args, text in [
        (["--country", "MXX"], "'MXX' is not an ISO3 code of the country database; did you "
                               "mean MEX (Mexico)? List the codes with: carecost countries"),
        (["--country", "MEX", "--world"], "give --country ISO3 or --world, not both"),
        (["--country", "MEX", "--country-method", "magic"], "--country-method 'magic' unknown"),
        (["--country", "MEX", "--method", "hybrid"], "choose methods with --country-method"),
        (["--world", "--year", "1990"], "--world values 2000-2023"),
        (["--year", "2015"], "apply to --country ISO3 or --world"),
    ]:
        res = _run("value", *args)
        assert res.exit_code == EXIT_INPUT, (args, _all(res))
        assert text in " ".join(_all(res).split()), (args, _all(res))


def test_value_world(tmp_path: Path) -> None:
    """`value --world --year 2015 --out world.json`: world and regional totals (issue 17)."""
    out = tmp_path / "world.json"
    res = _run("value", "--world", "--year", "2015", "--draws", "20", "--country-method",
               "minimum_wage", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert "The value of unpaid domestic and care work, the world" in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    q = {r["id"]: r for r in doc["tables"]["quantities"]}
    hours = next(r for k, r in q.items() if k.startswith("world.") and "hours" in k)
    assert hours["ci_low"] < hours["estimate"] < hours["ci_high"]
    assert any(k.startswith("world.") and "minimum_wage" in k for k in q)
    assert not any("opportunity_cost" in k for k in q)
    assert len(doc["tables"]["countries"]) > 150 and doc["tables"]["regions"]


def test_brief_country(tmp_path: Path) -> None:
    """`brief country MEX` writes country-mex.html and .json (issue 17)."""
    out = tmp_path / "briefs"
    res = _run("brief", "country", "MEX", "--out", str(out), "--format", "json")
    assert res.exit_code == 0, _all(res)
    doc = json.loads((out / "country-mex.json").read_text(encoding="utf-8"))
    assert doc["inputs"]["country"] == "MEX"
    assert any(q["id"] == "country.hours_per_day.female" for q in doc["quantities"])
    assert f"wrote JSON {out / 'country-mex.json'}" in " ".join(res.output.split())
    res = _run("brief", "country")
    assert res.exit_code == EXIT_INPUT and "needs an ISO3 code" in _all(res)
    res = _run("brief", "country", "XXY", "--out", str(out))
    assert res.exit_code == EXIT_INPUT and "carecost countries" in _all(res)
    res = _run("brief", "gap", "MEX")
    assert res.exit_code == EXIT_INPUT and "for the country brief" in _all(res)

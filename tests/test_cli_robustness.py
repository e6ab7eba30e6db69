"""Command-line robustness (issue 21, items 10-12): broken input files, atomic outputs that
survive full disks and interrupts, and Ctrl+C at any moment.

Subprocess tests are bounded (timeouts on every process) and send SIGINT at fixed points
(an import hook or an audit hook in a ``sitecustomize`` on ``PYTHONPATH``), so they do not
depend on timing, except one that interrupts a long Monte Carlo once it has started."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

typer_testing = pytest.importorskip("typer.testing")

import carecost.timeuse.atus as atus_module  # noqa: E402
from carecost.cli import (  # noqa: E402
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    STAGE_TAG,
    Staged,
    app,
    main,
)
from carecost.errors import CarecostInputError  # noqa: E402
from carecost.timeuse import TimeUseError, read_table  # noqa: E402
from carecost.timeuse.io import TableReadError, guess_encoding, read_errors  # noqa: E402

runner = typer_testing.CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "atus_official"
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}


def _run(*args: str) -> typer_testing.Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def _all(res: typer_testing.Result) -> str:
    """Standard output then standard error, each once, whitespace normalised."""
    try:
        out = res.stdout + res.stderr
    except ValueError:  # older Click mixes stderr into stdout
        out = res.stdout
    return " ".join(out.split())


def _leftovers(folder: Path) -> list[str]:
    """Temporary output folders or files left in ``folder`` (there must be none)."""
    return sorted(p.name for p in folder.iterdir() if STAGE_TAG in p.name
                  or p.name.endswith(".tmp"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# ============================================================ item 10: broken files
def _parquet_bytes(tmp_path: Path) -> bytes:
    df = pd.DataFrame({"id": np.arange(2000), "sex": ["female", "male"] * 1000})
    df.to_parquet(tmp_path / "good.parquet")
    return (tmp_path / "good.parquet").read_bytes()


def _broken_files(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    """name -> (file, phrases its error message must hold)."""
    good = _parquet_bytes(tmp_path)
    files: dict[str, tuple[bytes, list[str]]] = {
        "truncated.parquet": (good[: len(good) // 2], ["not a Parquet file", "truncated"]),
        # markers intact, metadata zeroed: pyarrow raises OSError ("Couldn't deserialize thrift")
        "corrupt.parquet": (good[:200] + b"\0" * (len(good) - 400) + good[-200:],
                            ["not a readable Parquet file", "damaged"]),
        "empty.parquet": (b"", ["empty (0 bytes)"]),
        "text.parquet": (b"id,sex\n1,female\n", ["not a Parquet file", "looks like a text"]),
        "latin1.csv": ("id,city\n1,Montréal\n2,Québec\n".encode("latin-1"),
                       ["not UTF-8 text", "line 2", "likely latin-1", "encoding='latin-1'"]),
        "windows.csv": ("id,quote\n1,“yes”\n".encode("cp1252"),
                        ["likely cp1252", "encoding='cp1252'"]),
        "empty.csv": (b"", ["empty (0 bytes)"]),
        "blank.csv": (b"\n\n\n", ["no header row"]),
        "semicolon.csv": (b"id;sex;weight\n1;female;2.5\n", ["semicolons", "sep=';'"]),
        "tabs.txt": (b"id\tsex\n1\tfemale\n", ["tabs", "sep='\\t'"]),
        "ragged.csv": (b"a,b\n1,2\n3,4,5\n", ["not a well-formed CSV", "line 3", "sep="]),
        "utf16.csv": ("id,city\n1,Montréal\n".encode("utf-16"), ["likely utf-16"]),
    }
    out = {}
    for name, (raw, phrases) in files.items():
        (tmp_path / name).write_bytes(raw)
        out[name] = (tmp_path / name, phrases)
    (tmp_path / "folder.csv").mkdir()
    out["folder.csv"] = (tmp_path / "folder.csv", ["is a folder, not a"])
    out["missing.csv"] = (tmp_path / "missing.csv", ["file not found"])
    return out


BROKEN = ["truncated.parquet", "corrupt.parquet", "empty.parquet", "text.parquet",
          "latin1.csv", "windows.csv", "empty.csv", "blank.csv", "semicolon.csv", "tabs.txt",
          "ragged.csv", "utf16.csv", "folder.csv", "missing.csv"]


@pytest.mark.parametrize("name", BROKEN)
def test_read_table_names_the_file_the_problem_and_the_fix(tmp_path: Path, name: str) -> None:
    path, phrases = _broken_files(tmp_path)[name]
    with pytest.raises(TableReadError) as info:
        read_table(path)
    err = info.value
    assert isinstance(err, TimeUseError) and isinstance(err, CarecostInputError)
    text = str(err)
    assert text.startswith(str(path)), text
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    assert "permission" not in text.lower()  # a damaged file is never a permissions problem
    assert err.path == str(path) and err.problem and err.hint


def test_the_fixes_the_messages_offer_work(tmp_path: Path) -> None:
    files = _broken_files(tmp_path)
    got = read_table(files["latin1.csv"][0], encoding="latin-1")
    assert got["city"].tolist() == ["Montréal", "Québec"]
    assert read_table(files["windows.csv"][0], encoding="cp1252")["quote"][0] == "“yes”"
    got = read_table(files["semicolon.csv"][0], sep=";")
    assert list(got.columns) == ["id", "sex", "weight"] and got["weight"][0] == 2.5
    assert list(read_table(files["tabs.txt"][0], sep="\t").columns) == ["id", "sex"]
    one = tmp_path / "one.csv"
    one.write_text("a;b\nx;y\n", encoding="utf-8")
    assert read_table(one, sep=",").columns.tolist() == ["a;b"]  # one column, when meant
    with pytest.raises(TableReadError, match="unknown text encoding 'klingon'"):
        read_table(files["latin1.csv"][0], encoding="klingon")
    with pytest.raises(TableReadError, match="not utf-16 text"):
        read_table(files["latin1.csv"][0], encoding="utf-16")
    with pytest.raises(TimeUseError, match="encoding= applies to CSV, Stata and SPSS"):
        read_table(tmp_path / "good.parquet", encoding="latin-1")
    with pytest.raises(TimeUseError, match="sep= applies to CSV text files only"):
        read_table(tmp_path / "good.parquet", sep=";")


def test_guess_encoding() -> None:
    assert guess_encoding("Montréal".encode("latin-1")) == "latin-1"
    assert guess_encoding("“x” – y".encode("cp1252")) == "cp1252"
    assert guess_encoding("Montréal".encode("utf-16")) == "utf-16"
    assert guess_encoding("Montréal".encode("utf-32")) == "utf-32"
    assert guess_encoding("Montréal".encode()) == "utf-8"
    assert guess_encoding("Montréal".encode()[:-2]) == "utf-8"  # cut character


def test_corrupt_labelled_stata_file(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"id": [1, 2, 3], "main": [18, 2, 18]})
    good = tmp_path / "good.dta"
    pyreadstat.write_dta(df, str(good), variable_value_labels={
        "main": {2: "sleep and naps", 18: "food preparation, cooking"}})
    assert read_table(good).attrs["value_labels"]["main"][18] == "food preparation, cooking"
    raw = good.read_bytes()
    for name, data in (("half.dta", raw[: len(raw) // 2]), ("head.dta", raw[:50]),
                       ("noise.dta", b"not stata at all " * 20)):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(TableReadError, match=r"not a readable Stata \.dta file") as info:
            read_table(tmp_path / name)
        assert str(info.value).startswith(str(tmp_path / name))
        assert "export it again from Stata" in str(info.value)
    sav = tmp_path / "good.sav"
    pyreadstat.write_sav(df, str(sav))
    (tmp_path / "half.sav").write_bytes(sav.read_bytes()[:100])
    with pytest.raises(TableReadError, match=r"not a readable SPSS \.sav file"):
        read_table(tmp_path / "half.sav")


def test_unreadable_file_is_a_permissions_problem(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be opened says so (and only then mentions permissions)."""
    f = tmp_path / "locked.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(TableReadError, match="permission denied: the file cannot be opened"):
        read_table(f)


def test_read_errors_for_zip_members(tmp_path: Path) -> None:
    """The translation the ATUS readers use for the members of BLS zip archives."""
    archive = tmp_path / "atusresp_0316.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("atusresp_0316.dat", "TUCASEID,NAME\n1,Montréal\n".encode("latin-1"))
    with pytest.raises(TableReadError) as info, read_errors(
            archive, "csv", member="atusresp_0316.dat"), zipfile.ZipFile(archive) as zf, \
            zf.open("atusresp_0316.dat") as fh:
        pd.read_csv(io.BytesIO(fh.read()))
    text = str(info.value)
    assert text.startswith(f"{archive} (member atusresp_0316.dat): not UTF-8 text")
    assert "encoding='latin-1'" in text
    broken = tmp_path / "atusact_0316.zip"
    broken.write_bytes(archive.read_bytes()[:30])
    with pytest.raises(TableReadError, match="not a readable zip archive") as info2, \
            read_errors(broken, "zip"), zipfile.ZipFile(broken):
        pass
    assert "download the archive again" in str(info2.value)
    with pytest.raises(TableReadError, match="is a folder"), read_errors(tmp_path, "csv"):
        tmp_path.open("rb")
    with pytest.raises(ZeroDivisionError), read_errors(archive, "csv"):  # a bug stays a bug
        _ = 1 / 0


@pytest.mark.parametrize("name", BROKEN)
def test_read_command_reports_broken_files_once(tmp_path: Path, name: str) -> None:
    path, phrases = _broken_files(tmp_path)[name]
    res = _run("read", str(path))
    text = _all(res)
    assert res.exit_code == EXIT_INPUT, text
    assert text.count("error: read:") == 1 and phrases[0] in text, text
    assert "internal error" not in text and "Traceback" not in text
    assert "permission" not in text.lower()


def test_read_command_encoding_and_sep_options(tmp_path: Path) -> None:
    files = _broken_files(tmp_path)
    res = _run("read", str(files["latin1.csv"][0]), "--encoding", "latin-1")
    assert res.exit_code == 0 and "2 rows, 2 columns: id, city" in _all(res), _all(res)
    res = _run("read", str(files["semicolon.csv"][0]), "--sep", ";")
    assert res.exit_code == 0 and "3 columns: id, sex, weight" in _all(res), _all(res)
    res = _run("read", "example", "--encoding", "latin-1")
    assert res.exit_code == EXIT_INPUT and "apply to one table file" in _all(res)


def test_broken_data_set_file_is_reported_once(tmp_path: Path) -> None:
    """A data set whose person file is latin-1: one clear error (it was also logged, so
    Python's last-resort handler printed it a second time)."""
    (tmp_path / "persons.csv").write_bytes(
        "id,sex,weight,care\n1,female,1,30\n2,male,1,é\n".encode("latin-1"))
    spec = tmp_path / "ds.toml"
    spec.write_text('[dataset]\nname = "latin"\nkind = "persons"\npersons = "persons.csv"\n'
                    'activities = ["care"]\nunits = "minutes_per_day"\nweights = "weight"\n',
                    encoding="utf-8")
    res = _run("gap", "--data", str(spec), "--overall")
    text = _all(res)
    assert res.exit_code == EXIT_INPUT, text
    assert text.count("could not be loaded") == 1, text
    assert "persons.csv: not UTF-8 text" in text and "encoding='latin-1'" in text


# ---------------------------------------------------------- ATUS readers (atus.py)
ATUS_USES_IO = hasattr(atus_module, "read_table") and hasattr(atus_module, "read_errors")
needs_atus_patch = pytest.mark.skipif(
    not ATUS_USES_IO, reason="carecost.timeuse.atus does not use carecost.timeuse.io's "
    "read_table/read_errors yet (the diff is in /work/notes/cli.md)")


def _atus_spec(tmp_path: Path, folder: Path) -> Path:
    spec = tmp_path / "atus.toml"
    spec.write_text(f'[dataset]\nname = "atusbad"\nkind = "atus"\npath = "{folder.name}"\n',
                    encoding="utf-8")
    return spec


@needs_atus_patch
def test_atus_abridged_corrupt_parquet_through_gap(tmp_path: Path) -> None:
    folder = tmp_path / "atus"
    folder.mkdir()
    good = _parquet_bytes(tmp_path)
    (folder / "atusact.parquet").write_bytes(good[:200] + b"\0" * (len(good) - 400)
                                             + good[-200:])
    (folder / "atusresp.parquet").write_bytes(good)
    (folder / "atuscps.parquet").write_bytes(b"")
    res = _run("gap", "--data", str(_atus_spec(tmp_path, folder)), "--overall")
    text = _all(res)
    assert res.exit_code == EXIT_INPUT, text
    assert "atusact.parquet: not a readable Parquet file" in text
    assert text.count("could not be loaded") == 1
    assert "permission" not in text.lower() and "internal error" not in text


@needs_atus_patch
@pytest.mark.parametrize(("damage", "phrase"), [
    ("empty_dat", "atusresp_0316.dat: the file is empty (0 bytes)"),
    ("latin1_dat", "atuscps_0316.dat: not UTF-8 text"),
    ("broken_zip", "atusact_0316.zip: not a readable zip archive"),
])
def test_atus_official_broken_files_through_read(tmp_path: Path, damage: str,
                                                 phrase: str) -> None:
    folder = tmp_path / "atus"
    folder.mkdir()
    for f in FIXTURE.glob("*.dat"):
        (folder / f.name).write_bytes(f.read_bytes())
    if damage == "empty_dat":
        (folder / "atusresp_0316.dat").write_bytes(b"")
    elif damage == "latin1_dat":
        cps = folder / "atuscps_0316.dat"
        cps.write_bytes(cps.read_bytes().replace(b"\n", "\né".encode("latin-1"), 1))
    else:
        (folder / "atusact_0316.dat").unlink()
        (folder / "atusact_0316.zip").write_bytes(b"PK\x03\x04 truncated download")
    res = _run("read", str(folder))
    text = _all(res)
    assert res.exit_code == EXIT_INPUT, text
    assert phrase in text and "internal error" not in text


# ============================================================ item 11: atomic outputs
def _can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write in: a read-only tmpfs as root, else mode 0555."""
    d = tmp_path / "ro"
    d.mkdir()
    if os.name != "posix":
        pytest.skip("read-only folders are tested on POSIX systems")
    if os.geteuid() == 0:
        if not _can_mount() or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(d)],
                capture_output=True, check=False, timeout=30).returncode != 0:
            pytest.skip("running as root and cannot mount a read-only tmpfs")
        try:
            yield d
        finally:
            subprocess.run(["umount", str(d)], capture_output=True, check=False, timeout=30)
        return
    d.chmod(0o555)
    try:
        yield d
    finally:
        d.chmod(0o755)


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any reading of data or computing of briefs fails the test (an output check must come
    first)."""
    import carecost.briefs as briefs
    from carecost.briefs import DatasetRegistry

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("work was done before --out was checked")

    monkeypatch.setattr(DatasetRegistry, "survey", forbidden)
    monkeypatch.setattr(briefs, "example_briefs", forbidden)
    monkeypatch.setattr(briefs, "investment_analysis", forbidden)


@pytest.mark.parametrize("args", [
    ["run", "--out", "{ro}/out"],
    ["brief", "gap", "--out", "{ro}/briefs"],
    ["gap", "--out", "{ro}/gap.csv"],
    ["value", "--out", "{ro}/value.xlsx"],
    ["simulate", "--out", "{ro}/sim.json"],
    ["read", "example", "--out", "{ro}/persons.parquet"],
])
def test_read_only_output_fails_before_any_work(readonly_dir: Path, no_work: None,
                                                args: list[str]) -> None:
    res = _run(*(a.format(ro=readonly_dir) for a in args))
    text = _all(res)
    assert res.exit_code == EXIT_OUTPUT, text
    assert f"cannot write in the folder '{readonly_dir}'" in text
    assert "Nothing was computed" in text and "Traceback" not in text
    assert list(readonly_dir.iterdir()) == []


def test_full_disk_names_the_file_and_keeps_the_older_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC while writing the third CSV table (raised without a file name, as a full disk
    raises it on write): the final file is named, the older tables are kept whole."""
    out = tmp_path / "gap.csv"
    old = {name: f"old {name}\n" for name in ("gap-summary.csv", "gap-quantities.csv")}
    for name, text in old.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    calls = []
    to_csv = pd.DataFrame.to_csv

    def filling(self: pd.DataFrame, path: object = None, *args: object, **kw: object) -> object:
        calls.append(path)
        if len(calls) == 3:
            Path(str(path)).write_text("partial", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")
        return to_csv(self, path, *args, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_csv", filling)
    res = _run("gap", "--overall", "--out", str(out))
    text = _all(res)
    assert res.exit_code == EXIT_OUTPUT, text
    third = Path(str(calls[2])).name
    assert f"({tmp_path / third}): No space left on device; the disk is full" in text
    assert STAGE_TAG not in text  # the temporary folder is never shown
    assert "an older output there is left as it was" in text
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == old
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not _can_mount(), reason="mounting a small tmpfs needs root on Linux")
def test_real_full_disk(tmp_path: Path) -> None:
    """A 160 KiB tmpfs holding an older gap brief (~115 KB): writing the new one fails."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(disk)],
                      capture_output=True, check=False, timeout=30).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        out = disk / "briefs"
        res = _run("brief", "gap", "--out", str(out))
        assert res.exit_code == 0, _all(res)
        before = _tree(out)
        assert set(before) == {"gap-brief.html", "gap-brief.json"}
        res = _run("brief", "gap", "--by", "urban", "--out", str(out))
        text = _all(res)
        assert res.exit_code == EXIT_OUTPUT, text
        assert "No space left on device; the disk is full" in text
        assert f"({out}/gap-brief." in text and STAGE_TAG not in text
        assert _tree(out) == before
        assert _leftovers(disk) == [] and _leftovers(out) == []
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, check=False, timeout=30)


def _fake_old_run(out: Path) -> dict[str, bytes]:
    """An older main-job output (the names carecost run writes, marked 'old')."""
    (out / "tables").mkdir(parents=True)
    for name in ("index.html", "gap-brief.html", "gap-brief.json", "value-brief.pdf",
                 "tables/gap.xlsx", "tables/gap-old_table.csv"):
        (out / name).write_text(f"old {name}", encoding="utf-8")
    return _tree(out)


@pytest.fixture(scope="module")
def replaced_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("runs") / "out"
    _fake_old_run(out)
    res = _run("run", "--out", str(out), "--draws", "20", "--tables", "csv")
    assert res.exit_code == 0, _all(res)
    return out, _all(res)


def test_run_replaces_an_older_output_whole(replaced_run: tuple[Path, str]) -> None:
    out, text = replaced_run
    tree = _tree(out)
    assert not any(v.startswith(b"old ") for v in tree.values())
    assert "tables/gap-old_table.csv" not in tree and "value-brief.pdf" not in tree
    assert "tables/gap.xlsx" not in tree  # an older format of the tables is gone too
    assert "tables/gap-quantities.csv" in tree and b"gap-brief.html" in tree["index.html"]
    assert f"wrote {len(tree)} files to {out}/" in text
    assert _leftovers(out.parent) == [] and _leftovers(out) == []


def test_run_refuses_a_folder_with_other_files(tmp_path: Path, no_work: None) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    res = _run("run", "--out", str(out))
    text = _all(res)
    assert res.exit_code == EXIT_OUTPUT, text
    assert "holds files carecost run did not write (notes.txt)" in text
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert _leftovers(tmp_path) == []


def test_brief_replaces_its_files_and_keeps_others(tmp_path: Path) -> None:
    out = tmp_path / "briefs"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / "gap-brief.json").write_text("old", encoding="utf-8")
    res = _run("brief", "gap", "--format", "json", "--out", str(out))
    assert res.exit_code == 0, _all(res)
    assert json.loads((out / "gap-brief.json").read_text(encoding="utf-8"))["kind"] == "gap"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert f"wrote JSON {out / 'gap-brief.json'}" in _all(res)
    assert _leftovers(tmp_path) == [] and _leftovers(out) == []


def test_a_failing_command_leaves_no_partial_output(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An error after the first brief file (here: the second brief fails) writes nothing."""
    import carecost.briefs as briefs

    def failing(*args: object, **kwargs: object) -> None:
        raise briefs.BriefError("the value brief failed")

    monkeypatch.setattr(briefs, "value_brief", failing)
    out = tmp_path / "briefs"
    res = _run("brief", "all", "--format", "json", "--out", str(out))
    assert res.exit_code == EXIT_INPUT and "the value brief failed" in _all(res)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_staged_modes(tmp_path: Path) -> None:
    # file: the table and its CSV siblings appear together; nothing before the end
    out = tmp_path / "t.csv"
    with Staged(out, "file") as stage:
        (stage.dir / "t-a.csv").write_text("new a", encoding="utf-8")
        (stage.dir / "t-b.csv").write_text("new b", encoding="utf-8")
        assert not (tmp_path / "t-a.csv").exists()
    assert [p.name for p in stage.written] == ["t-a.csv", "t-b.csv"]
    assert (tmp_path / "t-b.csv").read_text(encoding="utf-8") == "new b"
    # an interrupt discards everything and keeps the older files
    with pytest.raises(KeyboardInterrupt), Staged(out, "file") as stage:
        (stage.dir / "t-a.csv").write_text("newer a", encoding="utf-8")
        raise KeyboardInterrupt
    assert (tmp_path / "t-a.csv").read_text(encoding="utf-8") == "new a"
    assert _leftovers(tmp_path) == []
    # replace: a new folder, then a swap that drops the older files
    folder = tmp_path / "run"
    for content in ("first", "second"):
        with Staged(folder, "replace") as stage:
            (stage.dir / "tables").mkdir()
            (stage.dir / "tables" / f"gap-{content}.csv").write_text(content, encoding="utf-8")
            (stage.dir / "index.html").write_text(content, encoding="utf-8")
    assert sorted(_tree(folder)) == ["index.html", "tables/gap-second.csv"]
    assert _leftovers(tmp_path) == []
    with pytest.raises(Exception, match="is a file, not a folder"):
        Staged(tmp_path / "t-a.csv", "replace")


def test_write_brief_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carecost.briefs import write_brief
    from carecost.briefs.model import Brief
    from carecost.briefs.output import write_text_atomic

    f = write_text_atomic(tmp_path / "a.txt", "hello")
    assert f.read_text(encoding="utf-8") == "hello"
    umask = os.umask(0)
    os.umask(umask)
    assert f.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file
    res = _run("brief", "gap", "--out", str(tmp_path / "b"))
    assert res.exit_code == 0, _all(res)
    before = _tree(tmp_path / "b")

    from carecost.briefs import DatasetRegistry, gap_brief

    reg = DatasetRegistry.default()
    b = gap_brief(reg.survey("example"), dataset=reg.spec("example"), by="urban")
    fdopen = os.fdopen

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def full(fd: int, *args: object, **kwargs: object) -> io.StringIO:
        fdopen(fd).close()
        return FullDisk()

    monkeypatch.setattr(os, "fdopen", full)
    with pytest.raises(OSError, match="No space left") as info:
        write_brief(b, tmp_path / "b", formats=["html"])
    monkeypatch.undo()
    assert info.value.filename == str(tmp_path / "b" / "gap-brief.html")
    assert _tree(tmp_path / "b") == before  # the older brief, whole; no temporary file

    def broken_html(self: Brief, *args: object, **kwargs: object) -> str:
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(Brief, "to_html", broken_html)
    with pytest.raises(RuntimeError, match="rendering failed"):
        write_brief(b, tmp_path / "b")
    after = _tree(tmp_path / "b")
    assert after["gap-brief.html"] == before["gap-brief.html"]
    assert after["gap-brief.json"] != before["gap-brief.json"]  # by urban: a new JSON
    assert sorted(after) == sorted(before)


# ============================================================ item 12: Ctrl+C
SITECUSTOMIZE = '''
import os, signal, sys
_at = os.environ.get("CC_SIGINT_AT", "")
if _at.startswith("import:"):  # SIGINT when a module is first imported
    _name = _at[len("import:"):]
    class _Finder:
        def find_spec(self, fullname, path=None, target=None):
            if fullname == _name:
                sys.meta_path.remove(self)
                os.kill(os.getpid(), signal.SIGINT)
            return None
    sys.meta_path.insert(0, _Finder())
elif _at.startswith("write:"):  # SIGINT on the N-th file opened for writing under a prefix
    _prefix, _n = _at[len("write:"):].rsplit(":", 1)
    _count = [0]
    def _hook(event, args):
        if event != "open" or isinstance(args[0], int):
            return
        mode, flags = args[1], args[2]
        writing = (any(c in mode for c in "wax+") if isinstance(mode, str)
                   else bool(flags & (os.O_WRONLY | os.O_RDWR)))
        if writing and os.fspath(args[0]).startswith(_prefix):
            _count[0] += 1
            if _count[0] == int(_n):
                os.kill(os.getpid(), signal.SIGINT)
    sys.addaudithook(_hook)
'''


def _carecost(tmp_path: Path, args: list[str], at: str, *, timeout: float = 300
              ) -> subprocess.CompletedProcess[str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**ENV, "PYTHONPATH": str(hooks), "CC_SIGINT_AT": at}
    return subprocess.run([sys.executable, "-m", "carecost", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, check=False)


def _one_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "interrupted" in lines[0]
    return lines[0]


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
@pytest.mark.parametrize("module", ["typer", "rich.progress", "carecost.limits"])
def test_ctrl_c_during_start_up(tmp_path: Path, module: str) -> None:
    out = tmp_path / "gap.json"
    proc = _carecost(tmp_path, ["gap", "--out", str(out)], f"import:{module}", timeout=120)
    assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
    assert _one_line(proc.stderr) == "carecost: interrupted (Ctrl+C); no output was written"
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_when_the_command_starts(tmp_path: Path) -> None:
    out = tmp_path / "gap.json"
    out.write_text("old", encoding="utf-8")
    proc = _carecost(tmp_path, ["gap", "--out", str(out)], "import:carecost.briefs",
                     timeout=120)
    assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
    line = _one_line(proc.stderr)
    assert line == "interrupted (Ctrl+C): gap stopped; no output was written or changed"
    assert out.read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_while_writing_keeps_the_older_output(tmp_path: Path) -> None:
    """Issue 21.11: SIGINT after the first file of `carecost run` left 1 new and 9 old files."""
    out = tmp_path / "out"
    before = _fake_old_run(out)
    prefix = str(tmp_path / f".out{STAGE_TAG}")
    proc = _carecost(tmp_path, ["run", "--out", str(out), "--draws", "20", "--tables", "csv"],
                     f"write:{prefix}:2")
    assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
    assert _one_line(proc.stderr).endswith("run stopped; no output was written or changed")
    assert _tree(out) == before
    assert [p for p in tmp_path.iterdir() if STAGE_TAG in p.name] == []


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_during_computing(tmp_path: Path) -> None:
    """A real SIGINT, sent once the command has begun (its temporary output exists)."""
    out = tmp_path / "sim.json"
    out.write_text("old", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "carecost", "simulate", "--draws", "100000",
                             "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        deadline = time.monotonic() + 120
        while not [p for p in tmp_path.iterdir() if STAGE_TAG in p.name]:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command did not start within 120 s"
            time.sleep(0.02)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert _one_line(stderr).startswith("interrupted (Ctrl+C): simulate stopped")
    assert out.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_keyboard_interrupt_in_process(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import carecost.briefs as briefs

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(briefs, "gap_brief", interrupted)
    res = _run("gap", "--overall")
    assert res.exit_code == EXIT_INTERRUPTED
    assert _all(res).count("interrupted") == 1 and "Traceback" not in _all(res)
    previous = signal.getsignal(signal.SIGINT)
    assert main(["gap", "--overall"]) == EXIT_INTERRUPTED
    assert signal.getsignal(signal.SIGINT) is previous  # restored for a library caller
    assert capsys.readouterr().err.count("interrupted") == 1


def test_importing_the_cli_keeps_the_sigint_handler() -> None:
    """Only the `carecost` program changes SIGINT handling; a library import does not."""
    code = ("import signal, carecost.cli; "
            "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.stdout.strip() == "True", proc.stderr


def test_data_set_file_encoding_and_sep(tmp_path: Path) -> None:
    """`encoding` and `sep` in a data-set file: the fixes the read errors offer (item 10)."""
    rows = ["id;sex;weight;care;city", *(f"{i};{'female' if i % 2 else 'male'};1;{20 + i};Zürich"
                                         for i in range(1, 41))]
    (tmp_path / "persons.csv").write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    spec = tmp_path / "ds.toml"
    base = ('[dataset]\nname = "euro"\nkind = "persons"\npersons = "persons.csv"\n'
            'activities = ["care"]\nunpaid_care = ["care"]\nunits = "minutes_per_day"\n'
            'weights = "weight"\nsdg_population = "all"\n')
    spec.write_text(base, encoding="utf-8")
    res = _run("gap", "--data", str(spec), "--overall")
    assert res.exit_code == EXIT_INPUT, _all(res)
    assert "persons.csv: not UTF-8 text (byte 0xfc at offset 39, line 2)" in _all(res)
    spec.write_text(base + 'encoding = "latin-1"\n', encoding="utf-8")
    res = _run("gap", "--data", str(spec), "--overall")
    assert res.exit_code == EXIT_INPUT and "separated by semicolons" in _all(res), _all(res)
    spec.write_text(base + 'encoding = "latin-1"\nsep = ";"\n', encoding="utf-8")
    res = _run("gap", "--data", str(spec), "--overall")
    assert res.exit_code == 0, _all(res)
    assert "Gap (women minus men)" in _all(res)
    spec.write_text(base + 'encoding = "klingon"\n', encoding="utf-8")
    res = _run("validate", str(spec))
    assert res.exit_code == EXIT_INPUT
    assert "dataset.encoding = 'klingon' is not a text encoding Python knows" in _all(res)

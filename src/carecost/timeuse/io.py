"""Reading time-use tables from CSV, Parquet, Stata (.dta) and SPSS (.sav) files.

Every failure to read a file -- missing, a folder, empty, unreadable, truncated or corrupt,
in another text encoding, with another delimiter -- is a :class:`TableReadError` (a
:class:`~carecost.timeuse.TimeUseError`, so a :class:`~carecost.errors.CarecostInputError`)
whose message names the file, says what is wrong with it and what to do.
:func:`read_errors` gives the same translation to any other reader of a file (the ATUS
readers use it for the members of BLS zip archives).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .survey import TimeUseError

__all__ = ["READERS", "TableReadError", "guess_encoding", "read_errors", "read_table"]

READERS = {".csv": "csv", ".txt": "csv", ".dat": "csv", ".parquet": "parquet", ".pq": "parquet",
           ".dta": "stata", ".sav": "spss", ".zsav": "spss"}
"""File extension -> reader (``csv``, ``parquet``, ``stata``, ``spss``)."""

KIND_NAMES = {"csv": "CSV text", "parquet": "Parquet", "stata": "Stata .dta", "spss": "SPSS .sav",
              "zip": "zip archive", "folder": "folder"}
"""What each reader reads, as named in messages."""

PARQUET_MAGIC = b"PAR1"
"""The 4 bytes that start and end every Parquet file (Apache Parquet format specification)."""

DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
"""Delimiters other than the comma that :func:`read_table` recognises in a one-column read."""

ENCODING_SAMPLE = 8 * 2**20
"""Bytes of a CSV file scanned to locate its first non-UTF-8 byte (8 MiB)."""


class TableReadError(TimeUseError):
    """A data file that cannot be read.

    Attributes
    ----------
    path
        The file (for a member of a zip archive: ``archive.zip (member name)``).
    problem
        What is wrong with it.
    hint
        What to do.
    """

    def __init__(self, path: str | Path, problem: str, hint: str) -> None:
        self.path, self.problem, self.hint = str(path), problem, hint
        super().__init__(f"{path}: {problem}; {hint}")


def guess_encoding(sample: bytes) -> str:
    """The likely text encoding of ``sample`` (a heuristic, not a detector).

    UTF-32 or UTF-16 from a byte-order mark (or, for UTF-16, many NUL bytes); ``utf-8``
    when the sample is valid UTF-8 (a character cut at its end allowed); otherwise
    ``cp1252`` (Windows Western European) when the sample has bytes 0x80-0x9F that cp1252
    maps to characters, otherwise ``latin-1`` (ISO-8859-1).

    Examples
    --------
    >>> guess_encoding("Montréal".encode("latin-1"))
    'latin-1'
    >>> guess_encoding("“quoted”".encode("cp1252"))
    'cp1252'
    >>> guess_encoding("id,sex".encode("utf-16"))
    'utf-16'
    >>> guess_encoding("Montréal".encode("utf-8"))
    'utf-8'
    """
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = sample[:4096]
    if head and head.count(0) >= len(head) // 4:
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 3 and err.reason == "unexpected end of data":
            return "utf-8"
    if any(0x80 <= b <= 0x9F for b in sample):
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"
    return "latin-1"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(c.isprintable() or c in "\r\n\t" for c in text) >= 0.95 * len(text)


def _open_check(p: Path, kind: str) -> tuple[bytes, bytes, int]:
    """Check that ``p`` is a readable, non-empty file; its first 4 KiB, last 4 bytes and size.

    Raises
    ------
    TableReadError
        Missing, a folder, not readable, or empty (0 bytes).
    """
    what = KIND_NAMES.get(kind, "data")
    if p.is_dir():
        raise TableReadError(p, "is a folder, not a file", f"give the {what} file itself")
    try:
        with p.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(4096)
            tail = b""
            if size >= 4:
                fh.seek(-4, os.SEEK_END)
                tail = fh.read(4)
    except FileNotFoundError:
        raise TableReadError(p, "file not found", "check the path and the file name") from None
    except PermissionError:
        raise TableReadError(p, "permission denied: the file cannot be opened for reading",
                             "check its permissions (ls -l) or copy it to a readable "
                             "place") from None
    except OSError as err:
        raise TableReadError(p, f"cannot be opened ({err.strerror or err})",
                             "check that the file and its disk are readable") from None
    if size == 0:
        raise TableReadError(p, "the file is empty (0 bytes)",
                             "it was probably not fully written, copied or downloaded: "
                             f"write or download the {what} file again")
    return head, tail, size


def _encoding_error(p: Path | str, sample: bytes | None, start: int | None,
                    line: int | None, declared: str | None = None) -> TableReadError:
    """The error for text that is not in the encoding it was read with (UTF-8 by default)."""
    read_as = declared or "UTF-8"
    enc = guess_encoding(sample or b"")
    where = ""
    if start is not None and sample is not None and start < len(sample):
        where = f" (byte 0x{sample[start]:02x} at offset {start:,}"
        where += f", line {line:,})" if line is not None else ")"
    likely = f"; it is likely {enc} text" if sample else ""
    return TableReadError(
        p, f"not {read_as} text{where}{likely}",
        f"pass encoding={enc!r} (carecost.timeuse.read_table(path, encoding={enc!r}); "
        f"carecost read --encoding {enc}), or save the file as UTF-8; if the accented "
        "letters then look wrong, try another encoding (cp1252, latin-1, utf-16)")


def _csv_encoding_error(p: Path, encoding: str | None) -> TableReadError:
    """The encoding error of CSV file ``p`` read as ``encoding``, locating its first bad byte."""
    with p.open("rb") as fh:
        raw = fh.read(ENCODING_SAMPLE)
    try:
        raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as err:
        cut = len(raw) == ENCODING_SAMPLE and err.reason == "unexpected end of data"
        if not cut:  # not a character cut by the end of the sample
            return _encoding_error(p, raw, err.start, raw.count(b"\n", 0, err.start) + 1,
                                   encoding)
    return _encoding_error(p, raw, None, None, encoding)


def _broken(p: Path | str, kind: str, detail: str) -> TableReadError:
    """The error for a file its reader rejected as damaged (never a permissions problem)."""
    what = KIND_NAMES.get(kind, "data")
    detail = re.sub(r"^Could not open Parquet input source '[^']*': ", "", detail.strip())
    redo = {"parquet": "write or download it again (a partial download or an interrupted "
                       "copy truncates Parquet files)",
            "stata": "export it again from Stata (save, or saveold for an older Stata)",
            "spss": "export it again from SPSS",
            "zip": "download the archive again"}.get(kind, "write or download it again")
    return TableReadError(p, f"not a readable {what} file: it is truncated or damaged, or in "
                             f"another format ({detail.strip().rstrip('.')})", redo)


@contextlib.contextmanager
def read_errors(path: str | Path, kind: str | None = None, *, member: str | None = None,
                encoding: str | None = None) -> Iterator[None]:
    """Turn any failure of reading ``path`` inside the block into a :class:`TableReadError`.

    Parameters
    ----------
    path
        The file being read (named in the message).
    kind
        ``"csv"``, ``"parquet"``, ``"stata"``, ``"spss"``, ``"zip"`` or ``"folder"``
        (default: from the extension of ``path``, see :data:`READERS`).
    member
        The member of a zip archive being read, named with the archive.
    encoding
        The encoding the block reads text with (``None``: UTF-8), for the messages.

    Raises
    ------
    TableReadError
        For a missing file, a folder, a permissions problem, an encoding or delimiter
        problem, a truncated or corrupt file.  A :class:`TimeUseError` raised inside the
        block, a :class:`MemoryError` and :class:`KeyboardInterrupt` pass unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> with read_errors("no/such/file.csv"):  # doctest: +ELLIPSIS
    ...     pd.read_csv("no/such/file.csv")
    Traceback (most recent call last):
    ...
    carecost.timeuse.io.TableReadError: no/such/file.csv: file not found; check the path ...
    """
    p = Path(path)
    k = kind or READERS.get(p.suffix.lower(), "data")
    name: str | Path = f"{p} (member {member})" if member else p
    try:
        yield
    except (TimeUseError, MemoryError):
        raise
    except FileNotFoundError:
        raise TableReadError(name, "file not found", "check the path and the file name"
                             ) from None
    except IsADirectoryError:
        raise TableReadError(name, "is a folder, not a file",
                             f"give the {KIND_NAMES.get(k, 'data')} file itself") from None
    except NotADirectoryError:
        raise TableReadError(name, "a part of the path is a file, not a folder",
                             "check the path") from None
    except PermissionError:
        raise TableReadError(name, "permission denied: it cannot be opened for reading",
                             "check its permissions (ls -l)") from None
    except UnicodeError as err:  # UnicodeDecodeError, or a UTF-16 stream without its BOM
        obj = getattr(err, "object", None)
        sample = obj if isinstance(obj, bytes) else None
        start = getattr(err, "start", None) if sample else None
        raise _encoding_error(name, sample, start, None, encoding) from None
    except LookupError as err:  # an unknown encoding name
        raise TableReadError(name, f"unknown text encoding {encoding!r} ({err})",
                             "give an encoding Python knows, e.g. 'utf-8', 'cp1252', "
                             "'latin-1' or 'utf-16'") from None
    except pd.errors.EmptyDataError:
        raise TableReadError(name, "holds no header row and no data (an empty CSV file)",
                             "write or download the file again, with a header row") from None
    except pd.errors.ParserError as err:
        detail = re.sub(r"^Error tokenizing data\. C error: ", "", str(err).strip())
        raise TableReadError(name, f"not a well-formed CSV file ({detail})",
                             "check the delimiter (sep=) and the quoting of the rows named"
                             ) from None
    except zipfile.BadZipFile as err:
        raise _broken(name, "zip", str(err)) from None
    except OSError as err:
        if k in ("parquet", "stata", "spss", "zip") and err.errno in (None, 0, errno.EINVAL):
            raise _broken(name, k, str(err)) from None  # the reader's own format error
        raise TableReadError(name, f"cannot be read ({err.strerror or err})",
                             "check that the file and its disk are readable") from None
    except Exception as err:
        if k in ("parquet", "stata", "spss", "zip") or type(err).__module__.startswith(
                ("pyarrow", "pyreadstat", "fastparquet")):
            text = str(err)
            if encoding is not None and "character set" in text.lower():
                raise TableReadError(name, f"unknown or unsupported text encoding "
                                     f"{encoding!r} ({text})", "give another encoding, e.g. "
                                     "'utf-8', 'cp1252' or 'latin-1'") from None
            if "encoding" in text.lower() or "character set" in text.lower():
                raise TableReadError(
                    name, f"its text is not in the encoding the file declares ({text})",
                    "pass the file's real encoding, e.g. encoding='latin-1' or 'cp1252' "
                    "(Stata files before Stata 14 and old SPSS files often use them)"
                    ) from None
            raise _broken(name, k, text) from None
        raise


def read_table(path: str | Path, *, columns: list[str] | None = None, labels: bool = False,
               encoding: str | None = None, sep: str | None = None) -> pd.DataFrame:
    """Read a data file by its extension; labelled Stata/SPSS values stay codes.

    Parameters
    ----------
    path
        ``.csv``/``.dat``/``.txt`` (comma-separated with a header), ``.parquet``,
        ``.dta`` (Stata) or ``.sav``/``.zsav`` (SPSS).  Stata and SPSS files are
        read with pyreadstat (install the ``stata`` extra).
    columns
        Read only these columns (an error names any that are missing).
    labels
        ``False`` (default): labelled values are kept as their **codes**
        (an activity coded 18 stays 18, not "food preparation, cooking",
        which no crosswalk could classify); the value labels are kept in
        ``df.attrs["value_labels"]`` (``{column: {code: label}}``).
        ``True``: labelled values become pandas categoricals of their labels.
    encoding
        Text encoding of a CSV, Stata or SPSS file (default: UTF-8 for CSV, the file's own
        for Stata/SPSS), e.g. ``"cp1252"`` or ``"latin-1"``.  Parquet text is always UTF-8.
    sep
        Delimiter of a CSV file (default ``","``).  With the default, a file read as one
        column whose header holds ``;``, a tab or ``|`` is refused with a message naming
        that delimiter (pass ``sep=","`` to accept a genuine one-column file).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    TableReadError
        When the file cannot be read: the message names the file, what is wrong (missing,
        a folder, empty, truncated or corrupt, another encoding or delimiter) and what to
        do.
    TimeUseError
        For an unknown file type, options that do not apply to it, or missing ``columns``.
    """
    p = Path(path)
    kind = READERS.get(p.suffix.lower())
    if kind is None:
        if not p.exists():
            raise TableReadError(p, "file not found", "check the path and the file name")
        raise TimeUseError(f"{p}: unknown file type {p.suffix!r}; carecost reads "
                           f"{sorted(READERS)}")
    if encoding is not None and kind == "parquet":
        raise TimeUseError(f"{p}: encoding= applies to CSV, Stata and SPSS files; the text in "
                           "Parquet files is always UTF-8")
    if sep is not None and kind != "csv":
        raise TimeUseError(f"{p}: sep= applies to CSV text files only, not to "
                           f"{KIND_NAMES[kind]} files")
    head, tail, _size = _open_check(p, kind)
    if kind == "parquet" and (head[:4] != PARQUET_MAGIC or tail != PARQUET_MAGIC):
        what = ("neither starts nor ends" if head[:4] != PARQUET_MAGIC and tail != PARQUET_MAGIC
                else "does not start" if head[:4] != PARQUET_MAGIC else "does not end")
        looks = ("; it looks like a text file (a CSV file with a .parquet name?)"
                 if _looks_like_text(head) else "")
        raise TableReadError(
            p, f"not a Parquet file: it {what} with 'PAR1', the marker of every Parquet "
               f"file, so it is truncated (an interrupted download or copy) or in another "
               f"format{looks}",
            "write or download it again, or give it the extension of its real format")
    with read_errors(p, kind, encoding=encoding):
        if kind == "csv":
            try:
                df = pd.read_csv(p, encoding=encoding or "utf-8", sep=sep or ",")
            except UnicodeError:  # also a UTF-16 stream without its byte-order mark
                raise _csv_encoding_error(p, encoding) from None
            if sep is None and len(df.columns) == 1:
                _check_delimiter(p, str(df.columns[0]))
        elif kind == "parquet":
            df = pd.read_parquet(p)
        else:
            try:
                import pyreadstat
            except ImportError as err:  # pragma: no cover - depends on the environment
                raise TimeUseError("reading Stata/SPSS files needs pyreadstat: "
                                   "pip install 'carecost[stata]'") from err
            reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
            df, meta = reader(str(p), apply_value_formats=labels, formats_as_category=labels,
                              encoding=encoding)
            value_labels = {col: dict(meta.value_labels[name])
                            for col, name in meta.variable_to_label.items()
                            if name in meta.value_labels}
            df.attrs["value_labels"] = value_labels
    if columns is not None:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise TimeUseError(f"{p}: columns {missing} not found (file has "
                               f"{list(df.columns)[:15]})")
        df = df[columns]
    return df


def _check_delimiter(p: Path, header: str) -> None:
    """Refuse a CSV read as one column whose header holds another delimiter."""
    for sep, name in DELIMITERS.items():
        if sep in header:
            shown = header if len(header) <= 60 else header[:57] + "..."
            raise TableReadError(
                p, f"the columns are separated by {name} ({sep!r}), not commas, so the file "
                   f"was read as one column {shown!r}",
                f"pass sep={sep!r} (carecost.timeuse.read_table(path, sep={sep!r}); carecost "
                f"read --sep {sep!r}), or sep=',' if one column is meant")

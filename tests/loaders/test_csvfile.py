"""CSV exports as offices make them: encodings, delimiters, CRLF, trailing delimiters, unquoted commas."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.loaders.ledgers import col, grids, notes, refused, same_as_clean, write_folder


@pytest.mark.parametrize(("encoding", "delimiter", "suffix", "said"), [
    ("utf-8", ",", ".csv", None),
    ("utf-8-sig", ",", ".csv", None),
    ("gbk", ",", ".csv", "GB18030"),
    ("gb18030", ";", ".csv", "semicolon"),
    ("utf-16", "\t", ".txt", "UTF-16, delimited by tab"),      # Excel's "Unicode 文本"
])
def test_encodings_and_delimiters_give_the_same_findings(tmp_path: Path, encoding: str, delimiter: str,
                                                         suffix: str, said: str | None) -> None:
    folder = write_folder(tmp_path, grids(tmp_path), encoding=encoding, delimiter=delimiter, newline="\r\n",
                          suffix=suffix)
    ds = same_as_clean(tmp_path, folder)
    if said:
        assert any(said in line for line in notes(ds))


def test_trailing_delimiter_the_header_lacks_does_not_shift_columns(tmp_path: Path) -> None:
    files = grids(tmp_path)
    files["grids"] = [files["grids"][0]] + [r + [""] for r in files["grids"][1:]]
    ds = same_as_clean(tmp_path, write_folder(tmp_path, files))
    assert any("grids.csv" in line and "delimiter the header lacks" in line for line in notes(ds))


def test_blank_trailing_columns_are_ignored(tmp_path: Path) -> None:
    files = grids(tmp_path)
    files["people"] = [r + ["", ""] for r in files["people"]]
    same_as_clean(tmp_path, write_folder(tmp_path, files))


def test_unquoted_comma_refuses_that_line_only(tmp_path: Path) -> None:
    files = grids(tmp_path)
    folder = write_folder(tmp_path, files)
    path = folder / "people.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    name = files["people"][4][col("people", "name")]
    lines[4] = lines[4].replace(name, f"{name},张三", 1)       # row 5: a comma in the name, not quoted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = refused(folder)
    own = [p for p in problems if p.file == "people.csv"]
    assert [p.row for p in own] == [5]
    assert "张三" in own[0].value and "unquoted comma" in own[0].en
    pid = files["people"][4][0]       # the line was not read: only references to its person follow from it
    assert all(p.value == pid and "its row was not read" in p.en for p in problems if p not in own)


def test_line_with_fewer_fields_is_refused_not_shifted(tmp_path: Path) -> None:
    files = grids(tmp_path)
    folder = write_folder(tmp_path, files)
    path = folder / "streets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = refused(folder)
    assert [(p.file, p.row) for p in problems if p.file == "streets.csv"] == [("streets.csv", 3)]
    assert all(p.value == files["streets"][2][0] for p in problems if p.file != "streets.csv")


def test_files_named_by_chinese_table_names_with_spaces(tmp_path: Path) -> None:
    from graph.dataformat import BY_NAME

    files = {f" {BY_NAME[t].zh} " if i % 2 else t: rows for i, (t, rows) in enumerate(grids(tmp_path).items())}
    ds = same_as_clean(tmp_path, write_folder(tmp_path, files))
    assert any("网格员" in line and "read as table grid_assignments" in line for line in notes(ds))


def test_two_files_for_one_table_are_refused_naming_both(tmp_path: Path) -> None:
    files = grids(tmp_path)
    files["网格"] = files["grids"]
    problems = refused(write_folder(tmp_path, files))
    assert any("grids.csv" in p.en and "网格.csv" in p.en for p in problems)


def test_unrecognised_file_is_named_in_a_notice(tmp_path: Path) -> None:
    files = grids(tmp_path)
    files["网格员花名册备份"] = files["grid_assignments"]
    folder = write_folder(tmp_path, files)
    (folder / "原始台账.xlsx").write_bytes(b"")
    ds = same_as_clean(tmp_path, folder)
    assert any("网格员花名册备份.csv" in line and "not recognised" in line for line in notes(ds))
    assert any("原始台账.xlsx" in n.file and "not read" in n.en for n in ds.reading.warnings)

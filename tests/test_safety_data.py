"""Issue 10, no silent loss: bad dates, amounts, files and counts are clear errors naming the file; nothing is built."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli
from soyaku.core.japanese import MAX_YEN, parse_date, parse_fiscal_year, parse_yen
from soyaku.loaders.curated import default_data_dir


@pytest.mark.parametrize("text", ["平成40年4月1日", "H31.5.1", "R1.1.1", "S64.1.8", "T15.12.25", "M45.7.30",
                                  "R99999999999999999999.1.1", "S8589934592.6.6"])
def test_dates_outside_their_era_are_refused(text):
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date(text)


@pytest.mark.parametrize(("text", "day"), [("H31.4.30", "2019-04-30"), ("R1.5.1", "2019-05-01"), ("令和元年5月1日", "2019-05-01"),
                                           ("S64.1.7", "1989-01-07"), ("H1.1.8", "1989-01-08")])
def test_the_first_and_last_days_of_an_era_are_accepted(text, day):
    assert parse_date(text).isoformat() == day


@pytest.mark.parametrize("text", ["平成99年度", "平成32年度", "昭和65年度", "大正16年度", "R99999999999999999999"])
def test_fiscal_years_outside_their_era_are_refused(text):
    with pytest.raises(ValueError, match="never existed|out of range|beyond"):
        parse_fiscal_year(text)


def test_the_last_heisei_fiscal_year_is_2019():
    assert parse_fiscal_year("平成31年度") == parse_fiscal_year("令和元年度") == 2019


@pytest.mark.parametrize("text", ["1" + "0" * 32 + "兆円", "9" * 40 + "兆円", "9,300,000兆円", "10000000000000000000円"])
def test_amounts_beyond_int64_are_refused_not_rounded(text):
    with pytest.raises(ValueError, match="too large"):
        parse_yen(text)


def test_the_largest_int64_amount_is_exact():
    assert parse_yen(f"{MAX_YEN}円").yen == MAX_YEN
    assert parse_yen("9,223,372兆0,368億円").yen == 9_223_372_036_800_000_000


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return data


def _build(tmp_path: Path, data: Path, *extra: str):
    return CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "build", "--rdf-only", "--data", str(data), *extra])


@pytest.mark.parametrize("content", ["", "# todo\n", "[]\n"], ids=["empty", "comment-only", "empty-list"])
def test_an_empty_facts_file_is_an_error_naming_it(tmp_path, content):
    data = _copy(tmp_path)
    (data / "004/facts/adoptions.yaml").write_text(content, encoding="utf-8")
    result = _build(tmp_path, data)
    assert result.exit_code == 1
    assert re.search(r"004/facts/adoptions\.yaml: the file holds no records", result.output), result.output
    assert not (tmp_path / "home" / "build").exists()


def test_lost_records_are_refused_unless_allowed(tmp_path):
    data = _copy(tmp_path)
    path = data / "004/facts/adoptions.yaml"
    text = path.read_text(encoding="utf-8")
    records = text.split("\n- ")
    path.write_text("\n- ".join(records[:-3]) + "\n", encoding="utf-8")  # three adoptions fewer, still valid YAML
    result = _build(tmp_path, data)
    assert result.exit_code == 1
    assert re.search(r"record_counts\.yaml \[Adoption\]: 31 Adoption record\(s\), 34 expected", result.output), result.output
    assert _build(tmp_path, data, "--allow-shrink").exit_code == 0


def test_record_counts_file_holds_every_class_of_the_data(compiled):
    """Every class is guarded, and no count is above what the data holds (the build would refuse it)."""
    import yaml

    from soyaku.loaders.expectations import record_counts

    expected = yaml.safe_load((default_data_dir() / "record_counts.yaml").read_text(encoding="utf-8"))
    actual = record_counts(compiled.curated)
    assert set(expected) == set(actual)
    assert all(expected[name] <= actual[name] for name in actual)


@pytest.mark.parametrize(("old", "new"), [("amount: 12億円", "amount: 12.5億円"), ("amount: 12億円", "amount: 約3,500億円")])
def test_an_amount_must_occur_in_its_quote(tmp_path, old, new):
    data = _copy(tmp_path)
    path = data / "001/facts/budget_amounts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = _build(tmp_path, data)
    assert result.exit_code == 1
    assert re.search(r"001/facts/budget_amounts\.yaml:\d+ \[amount\]: the amount '.*' does not occur in the record's quote",
                     result.output), result.output


def test_invalid_utf8_names_file_and_line(tmp_path):
    data = _copy(tmp_path)
    path = data / "004/facts/adoptions.yaml"
    path.write_bytes(b"# ok\n# ok\n- \xff\xfe bad\n" + path.read_bytes())
    result = _build(tmp_path, data)
    assert result.exit_code == 1
    assert re.search(r"004/facts/adoptions\.yaml:3: not UTF-8 text", result.output), result.output
    assert "Traceback" not in result.output


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))


def test_a_yaml_alias_bomb_is_refused_with_bounded_memory(tmp_path):
    data = _copy(tmp_path)
    (data / "004/facts/adoptions.yaml").write_text("- " + ALIAS_BOMB.replace("\n", "\n  "), encoding="utf-8")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
            "from soyaku.cli.main import main; sys.argv[1:] = sys.argv[1:]; main()")
    done = subprocess.run([sys.executable, "-c", code, "--home", str(tmp_path / "home"), "build", "--rdf-only",
                           "--data", str(data)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert re.search(r"004/facts/adoptions\.yaml:\d+: not valid YAML: aliases \(\*name\) are not allowed", done.stderr), done.stderr
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr


def _one_line_per_problem(result) -> str:
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, (RecursionError, MemoryError)), result.exception
    return result.output


def test_deeply_nested_yaml_is_a_problem_with_its_line(tmp_path):
    """Issue 20: a facts file of 100,000 nested `[` was a RecursionError traceback from the YAML reader."""
    data = _copy(tmp_path)
    (data / "004/facts/adoptions.yaml").write_text("# deep\n- " + "[" * 100_000 + "\n", encoding="utf-8")
    output = _one_line_per_problem(_build(tmp_path, data))
    assert re.search(r"004/facts/adoptions\.yaml:2: not valid YAML: .*nesting depth", output), output


def test_a_facts_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    """Issue 20: a 30 MB facts file took minutes to check; over 8 MiB is refused at once (docs/data.md)."""
    from soyaku.loaders.curated_yaml import MAX_BYTES

    data = _copy(tmp_path)
    path = data / "004/facts/adoptions.yaml"
    with open(path, "a", encoding="utf-8") as f:
        f.write(("# " + "x" * 1021 + "\n") * (MAX_BYTES // 1024 + 1))
    output = _one_line_per_problem(_build(tmp_path, data))
    assert re.search(r"004/facts/adoptions\.yaml: larger than 8 MiB \(8 MiB\): split its records", output), output


def test_a_duplicate_among_many_records_is_found_with_its_lines(tmp_path):
    """20,000 budget lines with one duplicate (the reader is linear: libyaml events, cached parsing)."""
    data = _copy(tmp_path)
    path = data / "001/facts/budget_amounts.yaml"
    record = ("- {{for: prog-regen-med-infra, ministries: [mhlw], fiscal_year: {year}年度, budget_type: {kind}, "
              "basis: business_scale, amount: 3億円, sources: [{{quote: \"●再生医療等実用化基盤整備促進事業【厚】 3億円\"}}]}}\n")
    kinds = ["initial", "request", "fund_total", "unstated"]  # the seed's own line is supplementary
    lines = path.read_text(encoding="utf-8").count("\n")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" + "".join(record.format(year=4000 + i // 4, kind=kinds[i % 4]) for i in range(20_000)) +
                record.format(year=4000, kind="initial"))
    output = _one_line_per_problem(_build(tmp_path, data))
    assert f"001/facts/budget_amounts.yaml:{lines + 20_002}: duplicate BudgetLine: same fields as " \
           f"data/001/facts/budget_amounts.yaml:{lines + 2}" in output, output[-2000:]


@pytest.mark.parametrize("text", ['"Tregem\\x01 Biopharma"', '"Tregem\\u0001"', '"Tregem\\x7f"'])
def test_a_control_character_in_text_is_refused_with_file_and_line(tmp_path, text):
    """Issue 20: a name_en holding U+0001 passed, and the GraphML export could not be read back."""
    data = _copy(tmp_path)
    path = data / "001/entities/ministries.yaml"
    source = path.read_text(encoding="utf-8")
    first = re.search(r"^  name_en: .*$", source, re.M)
    path.write_text(source[:first.start()] + f"  name_en: {text}" + source[first.end():], encoding="utf-8")
    line = source[:first.start()].count("\n") + 1
    output = _one_line_per_problem(_build(tmp_path, data))
    assert re.search(rf"001/entities/ministries\.yaml:{line}: not valid YAML: .*control character U\+00(01|7F)", output), output


def test_a_missing_record_counts_file_is_refused_unless_allowed(tmp_path):
    """Issue 20: without data/record_counts.yaml the build ran without its shrink guard and said nothing."""
    data = _copy(tmp_path)
    (data / "record_counts.yaml").unlink()
    result = _build(tmp_path, data)
    assert result.exit_code == 1 and "record_counts.yaml: missing: without it lost records would go unnoticed" \
        in result.output, result.output
    assert not (tmp_path / "home" / "build").exists()
    assert _build(tmp_path, data, "--allow-shrink").exit_code == 0

"""Issue 10: unusable homes and output paths, and bad URIs, give one clear line; a password is never echoed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from soyaku.cli.main import cli


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.output  # progress lines before it are fine
    return errors[0]


@pytest.mark.parametrize("uri", ["bolt://neo4j:s3cret-pw@localhost:1", "neo4j://admin:s3cret-pw@example.invalid:7687"])
def test_a_password_in_the_uri_is_never_printed(uri):
    result = CliRunner().invoke(cli, ["load", "--uri", uri], env={"NEO4J_PASSWORD": "other"})
    line = _one_line_error(result)
    assert "s3cret-pw" not in result.output and "user name or password" in line


@pytest.mark.parametrize("uri", ["bolt://neo4j:pa?ss#wd@127.0.0.1:1", "bolt://neo4j:se/cretPw@127.0.0.1:1",
                                 "neo4j://neo4j:pw%40x@127.0.0.1:1"])
def test_userinfo_however_spelled_is_never_printed(uri):
    """Issue 20: a `?`, `#` or `/` in the password hid the `@` from the check: printed whole, or by the driver."""
    result = CliRunner().invoke(cli, ["load", "--uri", uri], env={"NEO4J_PASSWORD": "other"})
    line = _one_line_error(result)
    assert "user name or password" in line and "127.0.0.1:1" in line
    for secret in ("pa", "ss", "wd", "se", "cretPw", "pw%40x", "neo4j:"):
        assert f"{secret}@" not in result.output and f"neo4j:{secret}" not in result.output


def test_a_port_that_is_not_a_number_is_one_line():
    result = CliRunner().invoke(cli, ["load", "--uri", "bolt://neo4j:se"], env={"NEO4J_PASSWORD": "x"})
    assert "numeric port" in _one_line_error(result)


def test_an_http_uri_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["load", "--uri", "http://localhost:7474"], env={"NEO4J_PASSWORD": "x"})
    line = _one_line_error(result)
    assert "not a Bolt address" in line and "aiohttp" not in result.output


def test_an_unusable_home_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--home", "/proc/soyaku-x", "--no-background", "build"])
    line = _one_line_error(result)
    assert "/proc/soyaku-x" in line


def test_a_missing_output_directory_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "viz", "-o", "/nonexistent/dir/x.html"])
    line = _one_line_error(result)
    assert "/nonexistent/dir" in line


@pytest.mark.parametrize("value", ["99999999999999999999999", "-9223372036854775809", '[1, {"a": 1e2, "b": 10000000000000000000}]'])
def test_a_parameter_beyond_64_bits_is_one_line(tmp_path, value):
    """Issue 20: the driver's OverflowError was a traceback (one-shot and forwarded)."""
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "query", "--cypher", "RETURN $round AS r", "--param",
                                      f"round={value}"])
    assert result.exit_code == 2 and "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert "round: an integer does not fit in 64 bits" in result.output, result.output


@pytest.mark.parametrize("path", ["/bin/ls", "/dev/zero"])
def test_a_query_file_that_is_not_cypher_text_is_one_line(tmp_path, path):
    """Issue 20: `query --file /bin/ls` was a UnicodeDecodeError traceback (and /dev/zero would read for ever)."""
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "query", "--file", path])
    line = _one_line_error(result)
    assert path in line and ("not UTF-8 text" in line or "not a regular file" in line)


def test_a_query_file_header_default_that_is_not_json_is_a_query_error():
    from soyaku.core.errors import QueryError
    from soyaku.queries.library import parse_header

    with pytest.raises(QueryError, match="mine, header line 3: the default 'notjson' is not JSON"):
        parse_header("// name: mine\n// parameters:\n//   a: notjson  -- a value\nRETURN $a AS a\n", "mine")


@pytest.mark.parametrize("heap", ["8m", "127m", "99999999999g"])
def test_a_heap_below_the_floor_or_absurd_is_one_line_before_any_work(tmp_path, heap):
    """Issue 20: SOYAKU_HEAP=8m hung past 120 s (OutOfMemoryError) or ended with only a WAL message."""
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "--no-background", "build"], env={"SOYAKU_HEAP": heap})
    line = _one_line_error(result)
    assert "SOYAKU_HEAP" in line and ("below the 128m" in line or "not a heap size" in line), line
    assert "records" not in result.output and not (tmp_path / "arcadedb").exists()  # said before any work


@pytest.mark.engine  # starts a JVM in a child process
def test_a_jvm_out_of_heap_ends_the_process_at_once():
    """A heap above the floor that a graph outgrows: the JVM ends the process with its one line, never waited on."""
    import subprocess
    import sys

    code = ("import jpype; from soyaku.graph.jvm import prepare_jvm; import tempfile, pathlib;"
            "prepare_jvm(pathlib.Path(tempfile.mkdtemp()), '128m');"
            "jpype.JClass('java.util.ArrayList')().addAll(jpype.JClass('java.util.Collections').nCopies(1, None));"
            "a = jpype.JArray(jpype.JLong)(10**9)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "OutOfMemoryError" in done.stdout + done.stderr, done
    assert "Traceback" not in done.stderr


def test_an_engine_gone_while_answering_is_one_line():
    """The engine stopped (`soyaku stop`, a build) under a one-shot question: a ServiceUnavailable traceback before."""
    import socket

    import neo4j

    from soyaku.core.errors import QueryError
    from soyaku.queries.run import run_cypher

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once the socket is closed
    with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("u", "p"),
                                    connection_acquisition_timeout=5) as driver:
        with pytest.raises(QueryError, match="the graph engine stopped or could not be reached"):
            run_cypher(driver, "kg", "RETURN 1")

"""Tests for the offline Cypher linter in tools/cypher-lint/lint.mjs.

The linter needs Node and `npm ci --prefix tools/cypher-lint`; without them
every test here is skipped with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = "tools/cypher-lint/lint.mjs"  # relative to REPO_ROOT (the cwd)
QUERIES_DIR = REPO_ROOT / "queries"

NODE = shutil.which("node")

pytestmark = [
    pytest.mark.slow,  # Node.js runs Neo4j's Cypher language support
    pytest.mark.skipif(NODE is None, reason="`node` is not on PATH; the Cypher linter needs Node.js"),
    pytest.mark.skipif(
        not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(),
        reason="tools/cypher-lint/node_modules is absent; run `npm ci --prefix tools/cypher-lint`",
    ),
]

VALID_QUERY = """\
// name: person_with_recent_links
// description: a person, whether they know anyone, and their link count.
// params: $person_id (string), $since (ISO date string), $limit (int)
MATCH (p:Person {id: $person_id})
WHERE EXISTS { (p)-[:KNOWS]->(:Person) }
  AND p.updated >= date($since)
CALL {
  WITH p
  MATCH (p)-[r]->(other)
  RETURN count(other) AS links
}
RETURN p.id AS id, links, date() AS today
ORDER BY links DESC
LIMIT $limit
"""


def run_lint(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NODE, LINT_SCRIPT, *(str(p) for p in paths)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_queries_lint_clean(tmp_path: Path) -> None:
    files = sorted(QUERIES_DIR.rglob("*.cypher")) if QUERIES_DIR.is_dir() else []
    targets: list[Path] = [QUERIES_DIR] if files else [write(tmp_path / "sample.cypher", VALID_QUERY)]
    proc = run_lint(*targets)
    assert proc.returncode == 0, output(proc)
    expected = len(files) if files else 1
    assert f"cypher-lint: {expected} files, 0 errors" in proc.stdout, output(proc)


def test_errors_name_file_and_line_and_a_valid_file_beside_them_passes(tmp_path: Path) -> None:
    """One call (a Node start loads the language support, ~2 s): a syntax error, an undefined variable, and a valid
    query with a parameters header and subqueries."""
    broken = write(tmp_path / "broken.cypher", "// name: broken\n// a header line\nMATCH (n RETURN n\n")
    undefined = write(tmp_path / "undefined.cypher", "MATCH (n) RETURN m\n")
    good = write(tmp_path / "good.cypher", VALID_QUERY + "\n// trailing comment\n")
    proc = run_lint(broken, undefined, good)
    assert proc.returncode == 1, output(proc)
    assert "cypher-lint: 3 files, 2 errors" in proc.stdout, output(proc)
    error_lines = [line for line in proc.stdout.splitlines() if ": error: " in line]
    # The syntax error is on line 3 (after the two header comment lines).
    assert any(line.startswith(f"{broken}:3:") for line in error_lines), output(proc)
    assert any(line.startswith(f"{undefined}:1:") and "Variable `m` not defined" in line
               for line in error_lines), output(proc)
    assert not [line for line in error_lines if line.startswith(f"{good}:")], output(proc)  # warnings allowed


def test_several_files_and_directories_in_one_call(tmp_path: Path) -> None:
    write(tmp_path / "dir" / "one.cypher", "// one\nMATCH (n:Person) RETURN n.name AS name;\n")
    write(tmp_path / "dir" / "nested" / "two.cypher", "// two\nMATCH (a)-[r]->(b) RETURN a, r, b\n")
    write(tmp_path / "dir" / "ignored.txt", "this is not cypher (\n")
    three = write(tmp_path / "three.cypher", "UNWIND $rows AS row\nRETURN row.id AS id\n")
    proc = run_lint(tmp_path / "dir", three)
    assert proc.returncode == 0, output(proc)
    assert "cypher-lint: 3 files, 0 errors" in proc.stdout, output(proc)

    bad = write(tmp_path / "bad.cypher", "MATCH (n) RETURN m\n")
    proc = run_lint(tmp_path / "dir", three, bad)
    assert proc.returncode == 1, output(proc)
    assert "cypher-lint: 4 files, 1 errors" in proc.stdout, output(proc)
    assert f"{bad}:1:" in proc.stdout, output(proc)

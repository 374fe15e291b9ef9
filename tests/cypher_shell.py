"""Runs an exported Cypher script the way `cypher-shell -f` does, for the export tests on both engines."""

from __future__ import annotations

from typing import Any


def run_script(session: Any, text: str) -> int:
    """Run a script as `cypher-shell -f` does: each statement in auto-commit, except between `:begin` and `:commit`
    (one explicit transaction). Returns the number of Cypher statements run."""
    tx, count = None, 0
    for chunk in text.split(";\n"):
        lines = chunk.split("\n")
        while lines and (lines[0].startswith((":", "//")) or not lines[0].strip()):
            command = lines.pop(0).strip()
            if command == ":begin":
                tx = session.begin_transaction()
            elif command == ":commit":
                tx.commit()
                tx.close()
                tx = None
        statement = "\n".join(lines).strip()
        if statement:
            (tx or session).run(statement).consume()
            count += 1
    assert tx is None, "the script left a transaction open"
    return count

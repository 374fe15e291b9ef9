"""`soyaku serve --engine neo4j`: the seed graph served by a real Neo4j 5 on localhost, stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import neo4j
import psutil

from soyaku.core.home import QUICK_COMPILER
from soyaku.loaders.cypher_load import graph_counts


def test_serve_engine_neo4j_serves_the_graph_and_stops(neo4j_server, compiled, tmp_path):
    # neo4j_server: skipped (or failed in CI) exactly where Neo4j cannot be had
    home = tmp_path / "home"
    env = {**os.environ, "SOYAKU_HOME": str(home)}
    process = subprocess.Popen([str(Path(sys.executable).with_name("soyaku")), "serve", "--engine", "neo4j"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        line = process.stdout.readline()
        while line and not line.startswith("serving"):
            line = process.stdout.readline()
        assert line.startswith("serving"), "serve --engine neo4j ended before serving"
        uri = line.split(" at ")[1].split()[0]
        credentials = json.loads((home / "neo4j-credentials.json").read_text(encoding="utf-8"))
        assert oct((home / "neo4j-credentials.json").stat().st_mode & 0o777) == "0o600"
        assert credentials["password"] not in line
        block = [process.stdout.readline().rstrip("\n") for _ in range(12)]  # how to connect, as the embedded serve
        assert "Connect with" in block and any(row.startswith("  cypher-shell   ") and uri in row for row in block)
        assert not any(credentials["password"] in row for row in block)
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", credentials["password"])) as driver:
            assert driver.get_server_info().agent.startswith("Neo4j/5.26")
            assert graph_counts(driver, "neo4j") == compiled.graph.counts()
        java = [p.cmdline() for p in psutil.Process(process.pid).children(recursive=True) if "java" in p.name()]
        assert len(java) == 1 and QUICK_COMPILER in java[0]  # the seed graph is small: the quick compiler
        process.send_signal(signal.SIGTERM)
        assert process.wait(90) == 143
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not list(tmp_path.glob("log*")), "nothing written into the current directory"

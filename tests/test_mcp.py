"""`soyaku mcp` with the SDK's own client: a stdio client spawns the server against the session's seed home (its
published engine answers the graph questions; the home's build holds the SPARQL store), lists the tools and asks
each kind of question; every answer carries its sources."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import anyio
import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters


@pytest.fixture(scope="module")
def home(web_home: Path, conn) -> Path:
    """The session's seed home with its build (the SPARQL store), its engine published."""
    return web_home


def _ask(home: Path, calls: list[tuple[str, dict]]) -> tuple[set[str], list[dict], dict]:
    """Start `soyaku mcp`, list its tools, make the calls; the tool names, the JSON answers, one tool's schema."""
    soyaku = Path(sys.executable).with_name("soyaku")
    params = StdioServerParameters(command=str(soyaku), args=["--home", str(home), "mcp", "--timeout", "5"],
                                   env={**os.environ, "SOYAKU_BACKGROUND": "0"})

    async def session() -> tuple[set[str], list[dict], dict]:
        async with Client(params, read_timeout_seconds=120) as client:
            tools = (await client.list_tools()).tools
            answers = []
            for name, arguments in calls:
                result = await client.call_tool(name, arguments)
                answers.append(json.loads(result.content[0].text))
            schema = next(t.input_schema for t in tools if t.name == "query_vc_backed_startups")
            return {t.name for t in tools}, answers, schema

    return anyio.run(session)


def test_mcp_tools_answer_with_sources(home: Path) -> None:
    tools, answers, schema = _ask(home, [
        ("find", {"text": "https://ror.org/02kpeqv85"}),
        ("facts", {"name": "tregem"}),
        ("path", {"source": "橋渡し研究支援プログラム", "target": "創薬ベンチャーエコシステム強化事業", "via": "Startup"}),
        ("query_vc_backed_startups", {"vc": "UTEK", "round": 3}),
        ("cypher", {"query": "MATCH (v:VentureCapital) RETURN count(v) AS n"}),
        ("sparql", {"query": "SELECT ?vc WHERE { ?vc owl:sameAs <https://ror.org/004rtk039> }"}),
        ("cypher", {"query": "CREATE (:Intruder {id: 'x'}) RETURN 1"}),
        ("sparql", {"query": "DELETE WHERE { ?s ?p ?o }"}),
        ("query_trace_startup", {"startup": "トレジェム"}),
    ])
    assert {"find", "facts", "path", "cypher", "sparql", "query_ministry_totals", "query_trace_startup"} <= tools
    assert schema["properties"]["round"]["anyOf"][0]["type"] == "integer"  # typed parameters, described by the header
    assert "only this round" in schema["properties"]["round"]["description"]
    assert "name, English name or alias" in schema["properties"]["vc"]["description"]
    found, facts, path, backed, count, same_as, write, update, trace = answers
    assert found["entities"][0]["id"] == "univ-kyoto" and found["entities"][0]["match"] == "identifier"
    assert found["entities"][0]["sources"] and found["entities"][0]["quotes"]
    assert facts["rows"] and all(r["source"] and r["quote"] for r in facts["rows"])
    assert path["paths"] and any("tregem" in n["id"] for n in path["paths"][0]["nodes"])
    assert backed["rows"] and all(r["round"] == 3 and r["sources"] for r in backed["rows"])
    assert "vc: 'UTEK'" in backed["resolved"][0]
    assert count["rows"] == [{"n": 30}]
    assert same_as["rows"] == [{"vc": "https://w3id.org/soyaku-kg/id/amed"}]
    assert "error" in write and "\n" not in write["error"]
    assert "read-only" in update["error"]
    assert any(r["to_how"] == "adopted in round 4" for r in trace["rows"])

"""How to reach a graph that `soyaku serve` serves: the text it prints for Neo4j tools and drivers."""

from __future__ import annotations

from pathlib import Path

__all__ = ["connection_help", "neo4j_connection_help"]


def connection_help(bolt_uri: str, http_url: str, user: str, database: str, credentials: Path,
                    web_url: str | None = None) -> str:
    """Addresses (with the web explorer's, when it runs), login and one line per tool (Neo4j Browser / Desktop,
    cypher-shell, Python and JS drivers).

    What works from which tool was tried, not assumed: see "From Neo4j tools" in docs/engine.md.
    """
    web = f"\n  Web       {web_url}  (the read-only explorer: search, sources, paths, money; docs/web.md)" if web_url else ""
    ui = f"the explorer {web_url}, or {http_url}" if web_url else http_url
    return f"""\
Soyaku KG graph served by the embedded engine (ArcadeDB; it announces itself as Neo4j 5.26 compatible)
  Bolt      {bolt_uri}  (database {database!r}, also the default)
  HTTP      {http_url}  (ArcadeDB Studio and its HTTP API){web}
  user      {user}
  password  the "password" field of {credentials}
Connect with
  Neo4j Browser / Desktop  not this engine: they speak Bolt over WebSocket, which it does not answer. For a
                           web UI open {ui} (ArcadeDB Studio, Cypher included); for Neo4j Browser load
                           the graph into a Neo4j (`soyaku load --uri`); see docs/engine.md
  cypher-shell             cypher-shell -a {bolt_uri} -u {user} -d {database}   (asks for the password)
  Python (neo4j)           GraphDatabase.driver("{bolt_uri}", auth=("{user}", password)).session(database="{database}")
  JavaScript (neo4j-driver) neo4j.driver("{bolt_uri}", neo4j.auth.basic("{user}", password)).session({{database: "{database}"}})
Named queries for these tools: `soyaku queries`; pass every parameter, null for "any" (docs/engine.md).
Other soyaku commands on this home use this server. Ctrl-C stops it."""


def neo4j_connection_help(bolt_uri: str, http_url: str, database: str, credentials: Path) -> str:
    """The same block for `soyaku serve --engine neo4j`: a real Neo4j 5, so Neo4j Browser works too."""
    return f"""\
  Bolt      {bolt_uri}  (database {database!r})
  HTTP      {http_url}  (Neo4j Browser)
  user      neo4j
  password  the "password" field of {credentials}
Connect with
  Neo4j Browser            open {http_url}, connect to {bolt_uri} as neo4j
  cypher-shell             cypher-shell -a {bolt_uri} -u neo4j -d {database}   (asks for the password)
  Python (neo4j)           GraphDatabase.driver("{bolt_uri}", auth=("neo4j", password)).session(database="{database}")
  JavaScript (neo4j-driver) neo4j.driver("{bolt_uri}", neo4j.auth.basic("neo4j", password)).session({{database: "{database}"}})
Named queries for these tools: `soyaku queries`; pass every parameter, null for "any" (docs/engine.md).
Ctrl-C stops it."""

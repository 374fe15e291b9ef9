"""Where the money goes: ministry → program → fund → VC → startup, with amounts counted by the rule of the named
query ministry-totals (every yen once; its notes say how), for one fiscal year, budget type and basis.

The per-program amounts come from ministry-totals itself (its text up to the per-program choice, then a plain
RETURN), so this picture and that query count the same yen. Funds pass money to VCs and startups in amounts the
sources do not state: those links carry no amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from soyaku.core.errors import QueryError
from soyaku.graph.connect import Connection
from soyaku.queries.library import named_query
from soyaku.queries.run import run_cypher

__all__ = ["Flow", "Link", "MoneyFilter", "counted_lines", "money_flow", "BUDGET_TYPES", "BASES", "STAGES"]

BUDGET_TYPES = ("initial", "supplementary", "request")
BASES = ("business_scale", "national_expenditure", "unstated")
STAGES = ("enacted", "proposed", "requested")
#: The line of ministry-totals after which it adds the chosen amounts up; the per-program rows are taken there.
_CUT = "ORDER BY p.name"
_PER_PROGRAM = """
RETURN ministry, fiscal_year, budget_type, basis, stage, p.id AS target_id, p.name AS target,
       labels(p)[0] AS target_label, chosen.amount_jpy AS jpy, chosen.amount_text AS text,
       reduce(s = head(chosen.sources), x IN tail(chosen.sources) | s + ', ' + x) AS source,
       chosen.documents AS documents, disputed
ORDER BY fiscal_year, budget_type, basis, stage, ministry, jpy DESC
"""
_FINANCED = """
MATCH (f:Fund)-[:FINANCES]->(p:Program) WHERE f.id IN $ids
RETURN f.id AS fund_id, p.id AS program_id, p.name AS program
"""
_DOWNSTREAM = """
MATCH (f:Fund)-[:FINANCES]->(p:Program)-[:HAS_ROUND]->(r:Round)-[:ADOPTED]->(s:Startup)<-[b:BACKED]-(v:VentureCapital)
WHERE p.id IN $programs AND b.round = r.number
RETURN p.id AS program_id, f.id AS fund_id, f.name AS fund, v.id AS vc_id, v.name AS vc, s.id AS startup_id,
       s.name AS startup, r.number AS round, b.sources AS sources
ORDER BY round, vc, startup
"""


@dataclass(frozen=True)
class MoneyFilter:
    """One fiscal year, budget type, basis and stage: amounts of different years, types, bases or stages (a
    proposed 予算案額 beside the enacted budget) never add up."""

    fiscal_year: int
    budget_type: str
    basis: str
    stage: str


@dataclass(frozen=True)
class Link:
    """A flow from one node to the next: its amount in yen (None where no source states one) and how it reads."""

    source: str
    target: str
    jpy: int | None
    text: str = ""
    disputed: bool = False
    sources: str = ""


@dataclass
class Flow:
    """The picture for one filter: nodes by stage (ministry, program, fund, vc, startup) and the links."""

    filter: MoneyFilter
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    def add(self, node_id: str, name: str, stage: str) -> str:
        self.nodes.setdefault(node_id, {"id": node_id, "name": name, "stage": stage})
        return node_id

    @property
    def total_jpy(self) -> int:
        return sum(line["jpy"] for line in self.lines)


def _per_program_query() -> str:
    text = named_query("ministry-totals").text
    head, found, _ = text.partition(_CUT)
    if not found:
        raise QueryError(f"queries/ministry-totals.cypher no longer has the line {_CUT!r} that money_flow cuts at")
    return head + _PER_PROGRAM


def counted_lines(conn: Connection, fiscal_year: int | None = None, budget_type: str | None = None,
                  basis: str | None = None) -> list[dict[str, Any]]:
    """The amounts ministry-totals counts, one row per ministry and program (or fund), with their sources."""
    rows = run_cypher(conn.driver, conn.database, _per_program_query(),
                      {"ministry": None, "fiscal_year": fiscal_year, "budget_type": budget_type, "basis": basis,
                       "stage": None}).rows
    return [r for r in rows if basis is None or r["basis"] == basis]


def choose(rows: list[dict[str, Any]], fiscal_year: int | None, budget_type: str | None,
           basis: str | None, stage: str | None = None) -> MoneyFilter | None:
    """Fill what the user left open with the year, type, basis and stage that count the most money; None if none."""
    totals: dict[tuple[int, str, str, str], int] = {}
    for r in rows:
        key = (r["fiscal_year"], r["budget_type"], r["basis"], r["stage"])
        if all(given is None or given == have for given, have in zip((fiscal_year, budget_type, basis, stage), key)):
            totals[key] = totals.get(key, 0) + r["jpy"]
    if not totals:
        return None
    return MoneyFilter(*max(totals, key=lambda k: (totals[k], k)))


def money_flow(conn: Connection, chosen: MoneyFilter, rows: list[dict[str, Any]] | None = None) -> Flow:
    """The flow picture for `chosen`; `rows` are the counted lines if already fetched."""
    rows = counted_lines(conn, chosen.fiscal_year, chosen.budget_type) if rows is None else rows
    lines = [r for r in rows if (r["fiscal_year"], r["budget_type"], r["basis"], r["stage"]) ==
             (chosen.fiscal_year, chosen.budget_type, chosen.basis, chosen.stage)]
    flow = Flow(chosen, lines=lines)
    funds = [r["target_id"] for r in lines if r["target_label"] == "Fund"]
    financed = run_cypher(conn.driver, conn.database, _FINANCED, {"ids": funds}).rows
    programs_of = {}
    for row in financed:
        programs_of.setdefault(row["fund_id"], []).append(row)
    for r in lines:
        ministry = flow.add(f"ministry:{r['ministry']}", r["ministry"], "ministry")
        target = flow.add(r["target_id"], r["target"], "fund" if r["target_label"] == "Fund" else "program")
        through = programs_of.get(r["target_id"], [])[:1]  # a fund's money reaches it through its program
        link = dict(jpy=r["jpy"], text=r["text"], disputed=r["disputed"], sources=r["source"])
        if through:
            program = flow.add(through[0]["program_id"], through[0]["program"], "program")
            flow.links += [Link(ministry, program, **link), Link(program, target, **link)]
        else:
            flow.links.append(Link(ministry, target, **link))
    programs = [n for n, node in flow.nodes.items() if node["stage"] == "program"]
    seen: set[tuple[str, str]] = set()
    for row in run_cypher(conn.driver, conn.database, _DOWNSTREAM, {"programs": programs}).rows:
        fund = flow.add(row["fund_id"], row["fund"], "fund")
        vc = flow.add(row["vc_id"], row["vc"], "vc")
        startup = flow.add(row["startup_id"], row["startup"], "startup")
        for pair in ((row["program_id"], fund), (fund, vc), (vc, startup)):
            if pair not in seen and not any((l.source, l.target) == pair for l in flow.links):
                seen.add(pair)
                flow.links.append(Link(*pair, None, f"round {row['round']}" if pair[1] == startup else "",
                                       sources=", ".join(row["sources"] or []) if pair[1] == startup else ""))
    return flow

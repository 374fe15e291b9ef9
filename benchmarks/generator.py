"""A seeded synthetic drug-discovery ecosystem shaped like the real seed graph, at any size.

`generate(n_nodes, seed)` returns a `PropertyGraph` with the project's labels and relationship types and about
`edges_per_node` relationships per node:

    Ministry -RESPONSIBLE_FOR-> Program          Ministry -ALLOCATES-> BudgetLine -FUNDS-> Program | Fund
    Fund -FINANCES-> Program                     Program -HAS_ROUND-> Round -ADOPTED-> Startup
    VentureCapital -BACKED-> Startup             VentureCapital -CERTIFIED_FOR-> Program
    Startup -ORIGINATED_FROM-> University        Document -MENTIONS-> any entity

Popularity is skewed like a real ecosystem: which ministry runs a program, which program a budget line or a
round belongs to, which VC invests (BACKED counts per VC follow a Zipf law), which startup attracts investors,
which university spins out startups and which entity documents mention are all Zipf-distributed (investments
and mentions as truncated power laws: see MAX_DEALS_PER_VC). Node and
relationship properties mimic the real ones (id, name, name_ja, name_en, aliases, sources, quotes, search_keys,
amount_jpy beyond 2^31, dates as `datetime.date`). The same (n_nodes, seed) always gives the same graph.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from soyaku.loaders.property_graph import Edge, Node, PropertyGraph

__all__ = ["LABEL_SHARES", "generate", "parse_size", "stream"]

#: Share of the nodes per label (Ministry is a handful whatever the size).
LABEL_SHARES: dict[str, float] = {
    "Program": 0.06,
    "BudgetLine": 0.12,
    "Fund": 0.01,
    "Round": 0.05,
    "Startup": 0.40,
    "VentureCapital": 0.06,
    "University": 0.03,
    "Document": 0.27,
}

_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
_ROMAJI = ["a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu",
           "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo", "ya",
           "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "n"]
_PLACES = ["東京", "京都", "大阪", "東北", "名古屋", "九州", "北海道", "筑波", "千葉", "神戸", "広島", "岡山", "熊本", "金沢"]
_TOPICS = ["創薬", "ワクチン", "再生医療", "遺伝子治療", "感染症", "希少疾患", "がん", "AI創薬", "バイオ医薬品", "橋渡し研究",
           "医療機器", "ゲノム", "免疫", "核酸医薬", "創薬基盤"]
_MINISTRIES = [("cao", "内閣府", "Cabinet Office", "内"), ("mext", "文部科学省", "MEXT", "文"),
               ("mhlw", "厚生労働省", "MHLW", "厚"), ("meti", "経済産業省", "METI", "経"),
               ("mof", "財務省", "Ministry of Finance", "財"), ("cas", "内閣官房", "Cabinet Secretariat", "官"),
               ("mic", "総務省", "MIC", "総"), ("maff", "農林水産省", "MAFF", "農")]
_BUDGET_TYPES = ["initial", "supplementary", "fund_total"]
_BASES = ["business_scale", "appropriation"]
#: Truncated power laws: the Zipf head is cut where real ecosystems stop (the busiest Japanese VCs have made a
#: few hundred investments). Without the cut, one VC of 100k nodes gets ~11,000 investments, an unrealistic super
#: node on which relationship MERGE goes quadratic (see docs/performance.md).
MAX_DEALS_PER_VC = 400
MAX_INVESTORS_PER_STARTUP = 40
MAX_MENTIONS_PER_ENTITY = 500
_REIWA = {2019 + i: f"令和{i + 1}年度" for i in range(8)}


def parse_size(text: str) -> int:
    """'1k' → 1000, '100k' → 100000, '2m' → 2000000, '250' → 250."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


class _Zipf:
    """Draws items with probability ∝ 1 / rank**s (rank 1 = first item)."""

    def __init__(self, items: Sequence[Any], s: float, rng: random.Random):
        self.items = list(items)
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, len(self.items) + 1)))

    def draw(self, k: int = 1) -> list[Any]:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)

    def one(self) -> Any:
        return self.draw(1)[0]


def _key(text: str) -> str:
    return text.lower().replace(" ", "").replace("・", "").replace("-", "")


def _search_keys(*names: Any) -> list[str]:
    return sorted({_key(str(n)) for n in names if n})


class _Ref(NamedTuple):
    """What later draws need of a generated node (the node itself has gone to the consumer)."""

    id: str
    name: str
    number: int | None = None
    announced: date | None = None


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.pending: list[Node | Edge] = []
        self.edge_count = 0
        self.doc_files = [f"{i:03d}_{self.rng.getrandbits(64):016x}.txt" for i in range(12)]

    def drain(self) -> Iterator[Node | Edge]:
        """Hand over the records made since the last call."""
        yield from self.pending
        self.pending.clear()

    def word(self, syllables: int) -> tuple[str, str]:
        """A made-up katakana word and its romanisation."""
        picks = [self.rng.randrange(len(_KATAKANA) - 1) for _ in range(syllables)]
        return "".join(_KATAKANA[p] for p in picks), "".join(_ROMAJI[p] for p in picks).capitalize()

    def provenance(self, name: str, count: int | None = None) -> dict[str, list[str]]:
        count = count or self.rng.choice((1, 1, 1, 2, 2, 3))
        sources = [f"{self.rng.choice(self.doc_files)}#L{self.rng.randint(1, 800)}" for _ in range(count)]
        return {"sources": sources, "quotes": [f"{name} ({i + 1})" for i in range(count)]}

    def node(self, label: str, rid: str, name: str, name_en: str | None, aliases: list[str], **own: Any) -> _Ref:
        props: dict[str, Any] = {"id": rid, "name": name, "name_ja": name, "aliases": aliases}
        if name_en:
            props["name_en"] = name_en
        props.update(own)
        props.update(self.provenance(name))
        props["search_keys"] = _search_keys(rid, name, name_en, *aliases)
        self.pending.append(Node(rid, label, props))
        return _Ref(rid, name, own.get("number"), own.get("announced"))

    def edge(self, kind: str, source: _Ref, target: _Ref, eid: str | None = None, **own: Any) -> None:
        props = {**own, **self.provenance(target.name, 1)}
        eid = eid or f"{source.id}/{kind}/{target.id}"
        if "id" in own or eid.startswith(("adoption-", "certification-", "origin-")):
            props["id"] = eid
        self.pending.append(Edge(eid, kind, source.id, target.id, props))
        self.edge_count += 1


def _counts(n_nodes: int) -> dict[str, int]:
    ministries = min(len(_MINISTRIES), max(3, n_nodes // 500))
    rest = n_nodes - ministries
    counts = {label: max(1, int(rest * share)) for label, share in LABEL_SHARES.items()}
    counts["Document"] += rest - sum(counts.values())  # rounding goes to documents
    return {"Ministry": ministries, **counts}


def generate(n_nodes: int, seed: int = 42, edges_per_node: float = 3.0) -> PropertyGraph:
    """A synthetic ecosystem of `n_nodes` nodes (at least 20) and about `edges_per_node * n_nodes` relationships."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for record in stream(n_nodes, seed, edges_per_node):
        (nodes if isinstance(record, Node) else edges).append(record)
    return PropertyGraph(tuple(nodes), tuple(sorted(edges, key=lambda e: e.id)))


def stream(n_nodes: int, seed: int = 42, edges_per_node: float = 3.0) -> Iterator[Node | Edge]:
    """The records of `generate(n_nodes, seed)` one at a time, each relationship after its endpoints.

    Holds what the draws need (ids, names, counters), not the records, so a consumer that streams them on (the
    native loader) keeps memory bounded. Relationships come in generation order, not sorted by id.
    """
    if n_nodes < 20:
        raise ValueError(f"the synthetic ecosystem needs at least 20 nodes, got {n_nodes}")
    b = _Builder(seed)
    rng = b.rng
    counts = _counts(n_nodes)

    ministries = []
    for rid, name, name_en, code in _MINISTRIES[: counts["Ministry"]]:
        yield from b.drain()
        ministries.append(b.node("Ministry", rid, name, name_en, [name_en], code=code))

    universities = []
    for i in range(counts["University"]):
        yield from b.drain()
        place = _PLACES[i % len(_PLACES)]
        kana, roman = b.word(3)
        name = f"{place}{kana}大学" if i >= len(_PLACES) else f"{place}大学"
        universities.append(b.node("University", f"univ-{i:05d}", name, f"{roman} University", []))

    programs = []
    for i in range(counts["Program"]):
        yield from b.drain()
        topic = rng.choice(_TOPICS)
        kana, roman = b.word(2)
        name = f"{topic}{kana}推進事業"
        programs.append(b.node("Program", f"prog-{i:05d}", name, f"{roman} {topic} programme", [f"{topic}事業{i}"],
                               kind=rng.choice(("measure", "measure", "package", "overview"))))

    funds = []
    for i in range(counts["Fund"]):
        yield from b.drain()
        years = rng.choice((5, 10))
        funds.append(b.node("Fund", f"fund-{i:04d}", f"{rng.choice(_TOPICS)}基金 {i}", f"Fund {i}", [f"基金{i}"],
                            span_years=years, span_text=f"{rng.randint(1, 50) * 100}億円/{years}年"))

    budget_lines = []
    for i in range(counts["BudgetLine"]):
        yield from b.drain()
        year = rng.randint(2019, 2026)
        oku = max(1, int(rng.paretovariate(1.2) * 2))  # a few huge lines, many small ones
        amount = oku * 100_000_000  # 2億円 = 200,000,000; big lines exceed 2^31
        name = f"予算 {i} {_REIWA[year]} {oku}億円"
        budget_lines.append(b.node("BudgetLine", f"budgetline-{rng.getrandbits(48):012x}", name, None, [],
                                   fiscal_year=year, fiscal_year_text=_REIWA[year],
                                   budget_type=rng.choice(_BUDGET_TYPES), basis=rng.choice(_BASES),
                                   amount_jpy=amount, amount_text=f"{oku}億円", amount_approximate=rng.random() < 0.1))

    startups = []
    for i in range(counts["Startup"]):
        yield from b.drain()
        kana, roman = b.word(rng.randint(3, 5))
        startups.append(b.node("Startup", f"su-{i:06d}", f"株式会社{kana}", f"{roman} Inc.", [kana],
                               legal_form="株式会社"))

    vcs = []
    for i in range(counts["VentureCapital"]):
        yield from b.drain()
        kana, roman = b.word(3)
        vcs.append(b.node("VentureCapital", f"vc-{i:05d}", f"{kana}キャピタル", f"{roman} Capital", [roman.upper()]))

    documents = []
    start = date(2019, 4, 1)
    for i in range(counts["Document"]):
        yield from b.drain()
        topic = rng.choice(_TOPICS)
        day = start + timedelta(days=rng.randrange(2600))
        documents.append(b.node("Document", f"doc-{i:06d}", f"{topic}に関する資料 {i}", f"Material on {topic} {i}", [],
                                file=f"{i:06d}_{rng.getrandbits(64):016x}.txt", title=f"{topic}に関する資料 {i}",
                                date=day, date_text=f"{day.year}年{day.month}月{day.day}日"))

    # Rounds belong to a few popular programs (Zipf), numbered per program.
    program_pick = _Zipf(programs, 1.0, rng)
    rounds, per_program = [], {}
    for i in range(counts["Round"]):
        yield from b.drain()
        program = program_pick.one()
        number = per_program[program.id] = per_program.get(program.id, 0) + 1
        opened = start + timedelta(days=rng.randrange(2400))
        node = b.node("Round", f"{program.id}-round-{number}", f"{program.name} 第{number}回", None, [],
                      number=number, application_start=opened, application_end=opened + timedelta(days=40),
                      announced=opened + timedelta(days=rng.randint(80, 140)))
        rounds.append(node)
        b.edge("HAS_ROUND", program, node)

    ministry_pick = _Zipf(ministries, 0.8, rng)
    for program in programs:
        yield from b.drain()
        for ministry in {m.id: m for m in ministry_pick.draw(rng.choice((1, 1, 1, 2)))}.values():
            b.edge("RESPONSIBLE_FOR", ministry, program)
    fund_program_pick = _Zipf(programs, 0.9, rng)
    for fund in funds:
        yield from b.drain()
        for program in {p.id: p for p in fund_program_pick.draw(rng.randint(1, 3))}.values():
            b.edge("FINANCES", fund, program)
    funded_pick = _Zipf(programs, 0.9, rng)
    for line in budget_lines:
        yield from b.drain()
        b.edge("ALLOCATES", ministry_pick.one(), line)
        target = rng.choice(funds) if rng.random() < 0.08 else funded_pick.one()
        b.edge("FUNDS", line, target)
    for vc in vcs:
        yield from b.drain()
        for program in {p.id: p for p in program_pick.draw(rng.randint(1, 3))}.values():
            b.edge("CERTIFIED_FOR", vc, program, f"certification-{vc.id}-{program.id}", certified_by="amed")

    # Adoptions: ~60% of startups adopted once (a few twice) by a round; popular rounds adopt more.
    round_pick = _Zipf(rounds, 0.7, rng)
    for startup in startups:
        yield from b.drain()
        if rng.random() < 0.6:
            for rnd in {r.id: r for r in round_pick.draw(rng.choice((1, 1, 1, 1, 2)))}.values():
                b.edge("ADOPTED", rnd, startup, f"adoption-{rnd.id}-{startup.id}", status="active",
                       round=rnd.number, announced=rnd.announced)
    university_pick = _Zipf(universities, 1.1, rng)
    for startup in startups:
        yield from b.drain()
        if rng.random() < 0.5:
            b.edge("ORIGINATED_FROM", startup, university_pick.one(), f"origin-{startup.id}",
                   relation_text="大学発ベンチャー")

    # The rest of the budget: investments (VC → startup, Zipf over VCs and startups) and document mentions.
    remaining = max(0, int(edges_per_node * n_nodes) - b.edge_count)
    vc_pick = _Zipf(rng.sample(vcs, len(vcs)), 1.0, rng)
    startup_pick = _Zipf(rng.sample(startups, len(startups)), 0.6, rng)
    deals: dict[str, int] = {}
    for i in range(remaining // 2):
        yield from b.drain()
        vc, startup = vc_pick.one(), startup_pick.one()
        while deals.get(vc.id, 0) >= MAX_DEALS_PER_VC or deals.get(startup.id, 0) >= MAX_INVESTORS_PER_STARTUP:
            vc, startup = vc_pick.one(), startup_pick.one()
        deals[vc.id] = deals.get(vc.id, 0) + 1
        deals[startup.id] = deals.get(startup.id, 0) + 1
        number = rng.randint(1, 8)
        b.edge("BACKED", vc, startup, f"backing-{i:07d}", id=f"backing-{i:07d}", status="active", round=number,
               announced=date(2020 + number // 2, 1 + rng.randrange(12), 1 + rng.randrange(28)),
               backed_by_as_written=[vc.name])
    entities = ministries + programs + funds + startups + vcs + universities + rounds
    mention_pick = _Zipf(rng.sample(entities, len(entities)), 0.9, rng)
    seen: set[tuple[str, str]] = set()
    mentioned: dict[str, int] = {}
    target_total = int(edges_per_node * n_nodes)
    possible = len(documents) * len(entities)
    for doc in itertools.cycle(documents):
        yield from b.drain()
        if b.edge_count >= target_total or len(seen) >= possible // 2:
            break
        entity = mention_pick.one()
        if (doc.id, entity.id) in seen or mentioned.get(entity.id, 0) >= MAX_MENTIONS_PER_ENTITY:
            continue
        mentioned[entity.id] = mentioned.get(entity.id, 0) + 1
        seen.add((doc.id, entity.id))
        b.edge("MENTIONS", doc, entity, f"{doc.id}/MENTIONS/{entity.id}")

    yield from b.drain()

// name: trace-startup
// question: Which startups moved from one program to another, and in which years (e.g. Tregem: 橋渡し 2022 → venture ecosystem 2024)?
// question_ja: 事業をまたいで支援を受けたスタートアップと各段階の年
// parameters:
//   startup (Startup): null  -- only this startup, by id (soyaku resolves a name or alias)
// columns: startup, from_program, from_year, from_how, to_program, to_year, to_how, from_sources (list), to_sources (list: document title (publisher, date), seed file#line: 「quote」)
MATCH (s:Startup)
WHERE $startup IS NULL OR s.id = $startup
WITH s,
     [(p:Program)-[e:SUPPORTED]->(s) | {program: p.name, year: e.start_year, how: 'supported from', sources: [i IN range(0, size(e.sources) - 1) | e.documents[i] + ', ' + e.sources[i] + ': 「' + e.quotes[i] + '」']}] +
     [(p:Program)-[:HAS_ROUND]->(r:Round)-[ad:ADOPTED]->(s) | {program: p.name, year: r.announced.year, how: 'adopted in round ' + toString(r.number), sources: [i IN range(0, size(ad.sources) - 1) | ad.documents[i] + ', ' + ad.sources[i] + ': 「' + ad.quotes[i] + '」']}] AS steps
UNWIND steps AS a
UNWIND steps AS b
WITH s, a, b
WHERE a.program <> b.program AND a.year < b.year
RETURN DISTINCT s.name AS startup, a.program AS from_program, a.year AS from_year, a.how AS from_how,
       b.program AS to_program, b.year AS to_year, b.how AS to_how, a.sources AS from_sources, b.sources AS to_sources
ORDER BY startup, from_year, to_year

// name: startups-by-round
// question: Which startups were adopted in each round, with its application window and announcement date?
// question_ja: 各公募回の応募期間・採択公表日と採択スタートアップ
// parameters:
//   program (Program): null  -- only the rounds of this program, by id (soyaku resolves a name or alias)
// columns: round, application_start, application_end, announced, startups (list), sources (list of "document title (publisher, date), seed file#line: 「quote」")
MATCH (p:Program)-[:HAS_ROUND]->(r:Round)
WHERE $program IS NULL OR p.id = $program
OPTIONAL MATCH (r)-[:ADOPTED]->(s:Startup)
WITH r, s ORDER BY s.name
WITH r, collect(s.name) AS startups
RETURN r.number AS round, r.application_start AS application_start, r.application_end AS application_end,
       r.announced AS announced, startups, [i IN range(0, size(r.sources) - 1) | r.documents[i] + ', ' + r.sources[i] + ': 「' + r.quotes[i] + '」'] AS sources
ORDER BY round

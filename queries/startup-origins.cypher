// name: startup-origins
// question: Which universities do startups come from, and where did they expand overseas?
// question_ja: スタートアップの出身大学と海外展開
// parameters: none
// columns: startup, universities (list), expansions (list of "place year kind")
// notes: only startups whose sources name a university of origin or an overseas expansion are listed; for the
//   other startups (`soyaku query startups-by-round` lists every adopted one) the sources name neither, so the
//   graph holds no origin for them rather than an unknown one.
MATCH (s:Startup)
OPTIONAL MATCH (s)-[:ORIGINATED_FROM]->(u)
WITH s, collect(DISTINCT u.name) AS universities
OPTIONAL MATCH (s)-[e:EXPANDED_TO]->(place:Place)
WITH s, universities, e, place ORDER BY e.year
WITH s, universities, collect(place.name + ' ' + toString(e.year) + ' ' + e.kind) AS expansions
WHERE size(universities) > 0 OR size(expansions) > 0
RETURN s.name AS startup, universities, expansions
ORDER BY startup

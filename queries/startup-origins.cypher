// name: startup-origins
// question: Which universities do startups come from, and where did they expand overseas?
// question_ja: スタートアップの出身大学と海外展開
// parameters: none
// columns: startup, universities (list), expansions (list of "place year kind"), sources (list of "document title (publisher, date), seed file#line: 「quote」")
// notes: only startups whose sources name a university of origin or an overseas expansion are listed; for the
//   other startups (`soyaku query startups-by-round` lists every adopted one) the sources name neither, so the
//   graph holds no origin for them rather than an unknown one.
MATCH (s:Startup)
OPTIONAL MATCH (s)-[o:ORIGINATED_FROM]->(u)
WITH s, collect(DISTINCT u.name) AS universities, collect(CASE WHEN o IS NOT NULL THEN [i IN range(0, size(o.sources) - 1) | o.documents[i] + ', ' + o.sources[i] + ': 「' + o.quotes[i] + '」'] END) AS cited
OPTIONAL MATCH (s)-[e:EXPANDED_TO]->(place:Place)
WITH s, universities, cited, e, place ORDER BY e.year
WITH s, universities, cited, collect(place.name + ' ' + toString(e.year) + ' ' + e.kind) AS expansions,
     collect(CASE WHEN e IS NOT NULL THEN [i IN range(0, size(e.sources) - 1) | e.documents[i] + ', ' + e.sources[i] + ': 「' + e.quotes[i] + '」'] END) AS expansion_cited
WITH s, universities, expansions, cited + expansion_cited AS cited
WHERE size(universities) > 0 OR size(expansions) > 0
RETURN s.name AS startup, universities, expansions,
       reduce(acc = [], x IN reduce(flat = [], c IN cited | flat + c) | CASE WHEN x IN acc THEN acc ELSE acc + x END) AS sources
ORDER BY startup

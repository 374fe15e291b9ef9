// name: vc-backed-startups
// question: Which certified VCs backed which startups adopted by the venture ecosystem program, in which round?
// question_ja: どの認定VCが、どの採択スタートアップに、第何回で出資したか
// parameters:
//   vc (VentureCapital): null  -- only this VC, by id (soyaku resolves a name, English name or alias such as UTEK)
//   round (integer): null  -- only this round (1 to 8 in the seed data)
// columns: vc, startup, round, announced (ISO date), status (active | discontinued), sources (list of "document title (publisher, date), seed file#line: 「quote」")
MATCH (v:VentureCapital)-[b:BACKED]->(s:Startup)
WHERE ($vc IS NULL OR v.id = $vc)
  AND ($round IS NULL OR b.round = $round)
RETURN v.name AS vc, s.name AS startup, b.round AS round, b.announced AS announced, b.status AS status,
       [i IN range(0, size(b.sources) - 1) | b.documents[i] + ', ' + b.sources[i] + ': 「' + b.quotes[i] + '」'] AS sources
ORDER BY round, vc, startup

// name: certified-vcs-without-adoption
// question: Which certified VCs have not backed any adopted startup yet?
// question_ja: 採択スタートアップへの出資がまだない認定VCはどこか
// parameters: none
// columns: vc, program, sources (list of "document title (publisher, date), seed file#line: 「quote」")
MATCH (v:VentureCapital)-[c:CERTIFIED_FOR]->(p:Program)
WHERE NOT EXISTS { MATCH (v)-[:BACKED]->(:Startup) }
RETURN v.name AS vc, p.name AS program, [i IN range(0, size(c.sources) - 1) | c.documents[i] + ', ' + c.sources[i] + ': 「' + c.quotes[i] + '」'] AS sources
ORDER BY vc

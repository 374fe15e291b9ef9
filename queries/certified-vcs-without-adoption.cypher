// name: certified-vcs-without-adoption
// question: Which certified VCs have not backed any adopted startup yet?
// question_ja: 採択スタートアップへの出資がまだない認定VCはどこか
// parameters: none
// columns: vc
MATCH (v:VentureCapital)-[:CERTIFIED_FOR]->(:Program)
WHERE NOT EXISTS { MATCH (v)-[:BACKED]->(:Startup) }
RETURN DISTINCT v.name AS vc
ORDER BY vc

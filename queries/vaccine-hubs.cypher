// name: vaccine-hubs
// question: Which hubs form the vaccine R&D hub program, at which university, in which role, led by whom?
// question_ja: ワクチン研究開発拠点の拠点・大学・役割（フラッグシップ／シナジー／サポート）・拠点長
// parameters:
//   program (Program): "prog-vaccine-hubs"  -- the hub program's id (soyaku resolves a name or alias)
// columns: hub, university, role, leader, sources (list of "document title (publisher, date), seed file#line: 「quote」")
MATCH (h)-[r:HUB_OF]->(p:Program)
WHERE p.id = $program
OPTIONAL MATCH (h)-[:HOSTED_BY]->(u)
OPTIONAL MATCH (l:Person)-[:LEADS]->(h)
RETURN h.name AS hub, coalesce(u.name, h.name) AS university, r.role AS role, l.name AS leader,
       [i IN range(0, size(r.sources) - 1) | r.documents[i] + ', ' + r.sources[i] + ': 「' + r.quotes[i] + '」'] AS sources
ORDER BY CASE r.role WHEN 'flagship' THEN 0 WHEN 'synergy' THEN 1 ELSE 2 END, hub

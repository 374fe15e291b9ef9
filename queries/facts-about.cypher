// name: facts-about
// question: What does the graph say about one entity, and which source states each fact?
// question_ja: ある主体についての全ての事実とその出典（引用）
// parameters:
//   name (entity): "su-tregem-biopharma"  -- the entity's id (soyaku resolves a name, alias or English name)
// columns: entity, relationship, direction, other, other_label, document (title (publisher, date)), source (seed file#line), quote
MATCH (n)
WHERE n.id = $name
MATCH (n)-[r]-(o)
WHERE type(r) <> 'MENTIONS'
UNWIND range(0, size(r.sources) - 1) AS i
RETURN n.name AS entity, type(r) AS relationship,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       o.name AS other, labels(o)[0] AS other_label, r.documents[i] AS document, r.sources[i] AS source,
       r.quotes[i] AS quote
ORDER BY relationship, other, source

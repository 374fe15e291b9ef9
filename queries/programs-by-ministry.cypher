// name: programs-by-ministry
// question: Which programs does each ministry fund, with amounts by fiscal year, budget type and basis?
// question_ja: 府省別の事業と年度・予算区分・計上基準ごとの金額
// parameters:
//   ministry (Ministry): null  -- only this ministry's id (soyaku resolves a name or an alias such as 厚労省 or MHLW)
// columns: ministry, program, fiscal_year, budget_type, basis, amount_jpy, amount_text, multi_year, sources (list of "document title (publisher, date), seed file#line: 「quote」")
// notes: a line without its own ministry codes is shown under the ministries responsible for the program (directly
//   or through a bureau or division that is part of one). multi_year marks a total that includes later years'
//   commitments (国庫債務負担行為); it is not one year's money.
MATCH (b:BudgetLine)-[:FUNDS]->(p)
OPTIONAL MATCH (direct:Ministry)-[:ALLOCATES]->(b)
WITH b, p, collect(direct) AS direct
OPTIONAL MATCH (responsible:Ministry)<-[:PART_OF*0..3]-(unit)-[:RESPONSIBLE_FOR]->(p)
WITH b, p, direct, collect(DISTINCT responsible) AS responsible
UNWIND (CASE WHEN size(direct) > 0 THEN direct ELSE responsible END) AS m
WITH m, p, b
WHERE $ministry IS NULL OR m.id = $ministry
RETURN m.name AS ministry, p.name AS program, b.fiscal_year AS fiscal_year, b.budget_type AS budget_type,
       b.basis AS basis, b.amount_jpy AS amount_jpy, b.amount_text AS amount_text, coalesce(b.multi_year, false) AS multi_year,
       [i IN range(0, size(b.sources) - 1) | b.documents[i] + ', ' + b.sources[i] + ': 「' + b.quotes[i] + '」'] AS sources
ORDER BY ministry, fiscal_year, budget_type, program

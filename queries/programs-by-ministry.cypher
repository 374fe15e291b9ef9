// name: programs-by-ministry
// question: Which programs does each ministry fund, with amounts by fiscal year, budget type and basis?
// question_ja: 府省別の事業と年度・予算区分・計上基準ごとの金額
// parameters:
//   ministry (Ministry): null  -- only this ministry's lines, by id (soyaku resolves a name or an alias such as 厚労省 or MHLW)
//   fiscal_year (fiscal_year): null  -- only this fiscal year (its first calendar year: 2025 = 令和7年度)
//   budget_type (budget_type): null  -- only this budget type
//   basis (basis): null  -- only this basis (事業規模 business scale, 国費 national expenditure)
//   stage (stage): null  -- only requested (概算要求), proposed (予算案額) or enacted amounts
// columns: ministry, program, fiscal_year, budget_type, basis, stage (requested: a 概算要求; proposed: the source states a 予算案額; else enacted), amount_jpy, amount_text, multi_year, counted (true when the line enters ministry-totals by its counting rule), sources (list of "document title (publisher, date), seed file#line: 「quote」")
// notes: a line counts for the ministries its codes name (【厚】) or the division its page names is part of (003's
//   生物化学産業課), else for those responsible for the program (directly or through a bureau or division that is
//   part of one); a line naming several counts once, in a joint row. The counted lines of one ministry, year, type,
//   basis and stage add up to ministry-totals' figure. multi_year marks a total that includes later years'
//   commitments (国庫債務負担行為); it is not one year's money.
MATCH (b:BudgetLine)-[:FUNDS]->(p)
WHERE ($fiscal_year IS NULL OR b.fiscal_year = $fiscal_year)
  AND ($budget_type IS NULL OR b.budget_type = $budget_type)
  AND ($basis IS NULL OR b.basis = $basis)
  AND ($stage IS NULL OR coalesce(b.stage, CASE b.budget_type WHEN 'request' THEN 'requested' ELSE 'enacted' END) = $stage)
OPTIONAL MATCH (direct:Ministry)<-[:PART_OF*0..3]-(allocator)-[:ALLOCATES]->(b)
WITH b, p, direct ORDER BY direct.name
WITH b, p, collect(DISTINCT direct) AS direct
OPTIONAL MATCH (responsible:Ministry)<-[:PART_OF*0..3]-(unit)-[:RESPONSIBLE_FOR]->(q:Program)
WHERE q = p OR EXISTS { MATCH (p)-[:FINANCES]->(q) }
WITH b, p, direct, responsible ORDER BY responsible.name
WITH b, p, direct, collect(DISTINCT responsible) AS responsible
WITH b, p, CASE WHEN size(direct) > 0 THEN direct ELSE responsible END AS named
WHERE $ministry IS NULL OR any(m IN named WHERE m.id = $ministry)
WITH b, p, CASE WHEN size(named) = 0 THEN '(no ministry stated)'
                ELSE reduce(s = head(named).name, m IN tail(named) | s + '・' + m.name) END AS ministry
OPTIONAL MATCH (p)-[:PART_OF*1..4]->(:Program)<-[:FUNDS]-(whole:BudgetLine)
WHERE whole.fiscal_year = b.fiscal_year AND whole.budget_type = b.budget_type AND whole.basis = b.basis
  AND whole.multi_year IS NULL
  AND NOT EXISTS { MATCH (whole)-[:ITEMISED_AS]->() }
WITH b, p, ministry, count(whole) AS wholes
WITH b, p, ministry, b.fiscal_year IS NOT NULL AND b.multi_year IS NULL AND wholes = 0
     AND NOT EXISTS { MATCH (b)-[:ITEMISED_AS]->() } AS eligible
WITH ministry, p, b, eligible ORDER BY b.amount_jpy DESC, b.id
WITH ministry, p, b.fiscal_year AS fiscal_year, b.budget_type AS budget_type, b.basis AS basis,
     coalesce(b.stage, CASE b.budget_type WHEN 'request' THEN 'requested' ELSE 'enacted' END) AS stage, collect(b) AS stated, collect(CASE WHEN eligible THEN b END) AS eligible
UNWIND stated AS b
RETURN ministry, p.name AS program, fiscal_year, budget_type, basis, stage, b.amount_jpy AS amount_jpy,
       b.amount_text AS amount_text, coalesce(b.multi_year, false) AS multi_year,
       size(eligible) > 0 AND b.id = head(eligible).id AS counted,
       [i IN range(0, size(b.sources) - 1) | b.documents[i] + ', ' + b.sources[i] + ': 「' + b.quotes[i] + '」'] AS sources
ORDER BY ministry, fiscal_year, budget_type, basis, stage, program, amount_jpy DESC

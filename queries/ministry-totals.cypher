// name: ministry-totals
// question: How much money does each ministry have per fiscal year, budget type and basis, counting every yen once?
// question_ja: 府省別・年度別・予算区分別・計上基準別の合計額（同じ金額は一度だけ数える）
// parameters:
//   ministry (Ministry): null  -- only this ministry's lines, by id (soyaku resolves a name or an alias such as 厚労省 or MHLW)
//   fiscal_year (fiscal_year): null  -- only this fiscal year (its first calendar year: 2025 = 令和7年度)
//   budget_type (budget_type): null  -- only this budget type
//   basis (basis): null  -- only this basis (事業規模 business scale, 国費 national expenditure)
//   stage (stage): null  -- only requested (概算要求), proposed (予算案額) or enacted amounts
// columns: ministry, fiscal_year, budget_type, basis, stage, total_jpy, total_oku_yen, lines, disputed_programs, counted, documents (list: title (publisher, date))
// notes: counting rule: every yen once. (1) A statement of money already stated elsewhere is not counted
//   again: one amount stated in several documents is one BudgetLine with several sources, and an overview line
//   that itemises other lines ([:ITEMISED_AS], e.g. 43億円程度 バイオバンク利活用の推進 = ●…バイオバンクの情報基盤強化
//   43億円; the package's 3,300億円) counts through those lines only. A line of a sub-project is inside its parent's
//   amount: where the parent has a counted line of the same year, type and basis, the sub-project's line is not
//   added (B-cure 43億円 includes its ③ 14億円). (2) Totals including later years' commitments (multi_year, 国庫債務負担行為含め)
//   and amounts without a fiscal year (fund totals, （継続中） amounts) are not one year's money and are left out.
//   (3) Per program, year, type, basis and stage one amount counts: where seeds disagree the larger is counted
//   and the program is listed in disputed_programs, as is a program stated under two bases for one year and type
//   (both are shown, in rows of their basis: amounts of different bases or stages are never added). (4) A line
//   counts for the ministries its codes name (【厚】) or the division its page names is part of, else for the
//   ministries responsible for the program (directly or through a bureau or division that is part of one; for a
//   fund: for the programs it finances); a line naming several ministries counts once, in a joint row
//   (e.g. 文部科学省・厚生労働省), and a line naming none in the row "(no ministry stated)", so the rows of one
//   year, type and basis add up to the whole. counted lists each counted amount with its program and sources (seed file#line).
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
WHERE size(eligible) > 0
OPTIONAL MATCH (p)<-[:FUNDS]-(other:BudgetLine)
WHERE other.fiscal_year = fiscal_year AND other.budget_type = budget_type AND other.basis <> basis
  AND other.multi_year IS NULL AND NOT EXISTS { MATCH (other)-[:ITEMISED_AS]->() }
WITH ministry, p, fiscal_year, budget_type, basis, stage, eligible, head(eligible) AS chosen, count(other) AS other_bases
WITH ministry, fiscal_year, budget_type, basis, stage, p, chosen,
     other_bases > 0 OR size([x IN eligible WHERE x.amount_jpy <> chosen.amount_jpy]) > 0 AS disputed
ORDER BY p.name
WITH ministry, fiscal_year, budget_type, basis, stage, sum(chosen.amount_jpy) AS total_jpy, count(p) AS lines,
     collect(CASE WHEN disputed THEN p.name END) AS disputed_programs,
     collect(chosen.amount_text + ' ' + p.name + ' [' + reduce(s = head(chosen.sources), x IN tail(chosen.sources) | s + ', ' + x) + ']') AS counted,
     reduce(acc = [], x IN reduce(flat = [], d IN collect(chosen.documents) | flat + d) |
            CASE WHEN x IN acc THEN acc ELSE acc + x END) AS documents
RETURN ministry, fiscal_year, budget_type, basis, stage, total_jpy,
       CASE WHEN total_jpy % 100000000 = 0 THEN toString(total_jpy / 100000000)
            ELSE toString(toFloat(total_jpy) / 100000000.0) END + '億円' AS total_oku_yen,
       lines, disputed_programs, counted, documents
ORDER BY fiscal_year, budget_type, basis, stage, ministry

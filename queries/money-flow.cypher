// name: money-flow
// question: How does money flow from a ministry through a program and its fund to VC-backed startups?
// question_ja: 府省 → 事業 → 基金 → VC → スタートアップの資金の流れと金額
// parameters: none
// columns: ministry, program, fund, fund_total_jpy, fund_appropriations (list), round, vc, startup, sources (list of "document title (publisher, date), seed file#line: 「quote」" of the backing and the fund total)
MATCH (m:Ministry)-[:RESPONSIBLE_FOR]->(p:Program)<-[:FINANCES]-(f:Fund)
OPTIONAL MATCH (line:BudgetLine)-[:FUNDS]->(f)
WITH m, p, f, line ORDER BY line.fiscal_year
WITH m, p, f,
     reduce(top = 0, x IN collect(CASE WHEN line.budget_type = 'fund_total' THEN line.amount_jpy END) | CASE WHEN x > top THEN x ELSE top END) AS fund_total_jpy,
     [x IN collect(CASE WHEN line.budget_type <> 'fund_total' THEN line.fiscal_year_text + ' ' + line.budget_type + ' ' + line.amount_text END) WHERE x IS NOT NULL] AS fund_appropriations,
     head([x IN collect(CASE WHEN line.budget_type = 'fund_total' THEN [i IN range(0, size(line.sources) - 1) | line.documents[i] + ', ' + line.sources[i] + ': 「' + line.quotes[i] + '」'] END) WHERE x IS NOT NULL]) AS fund_sources
MATCH (p)-[:HAS_ROUND]->(r:Round)-[:ADOPTED]->(s:Startup)<-[b:BACKED]-(v:VentureCapital)
WHERE b.round = r.number
RETURN m.name AS ministry, p.name AS program, f.name AS fund, fund_total_jpy, fund_appropriations,
       r.number AS round, v.name AS vc, s.name AS startup, [i IN range(0, size(b.sources) - 1) | b.documents[i] + ', ' + b.sources[i] + ': 「' + b.quotes[i] + '」'] + coalesce(fund_sources, []) AS sources
ORDER BY round, vc, startup

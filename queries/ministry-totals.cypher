// name: ministry-totals
// question: How much does each ministry's budget add up to, per fiscal year, budget type and basis?
// question_ja: 府省別・年度別・予算区分別・計上基準別の合計額
// parameters: none
// columns: ministry, fiscal_year, budget_type, basis, total_jpy, programs, disputed_programs
// notes: per program, fiscal year, budget type and basis only ONE amount counts: where the seeds disagree
//   (two different amounts) the larger is counted and the program is listed in disputed_programs. A line of
//   a program whose parts have lines of their own for the same fiscal year and budget type (the package, the
//   overview groups) is left out, so nothing is counted twice; so are fund totals (no fiscal year). A program
//   whose parts carry no amounts counts with its own line. A line names its ministries by their
//   codes (【文】【厚】: it counts in each); a line without codes counts for the program's responsible ministries.
MATCH (b:BudgetLine)-[:FUNDS]->(p)
WHERE b.fiscal_year IS NOT NULL
  AND NOT EXISTS {
    MATCH (part:BudgetLine)-[:FUNDS]->(:Program)-[:PART_OF]->(p)
    WHERE part.fiscal_year = b.fiscal_year AND part.budget_type = b.budget_type
  }
OPTIONAL MATCH (direct:Ministry)-[:ALLOCATES]->(b)
WITH b, p, collect(direct) AS direct
OPTIONAL MATCH (responsible:Ministry)-[:RESPONSIBLE_FOR]->(p)
WITH b, p, direct, collect(responsible) AS responsible
UNWIND (CASE WHEN size(direct) > 0 THEN direct ELSE responsible END) AS m
WITH m, p, b.fiscal_year AS fiscal_year, b.budget_type AS budget_type, b.basis AS basis,
     collect(DISTINCT b.amount_jpy) AS amounts
WITH m, fiscal_year, budget_type, basis, p, amounts,
     reduce(top = 0, a IN amounts | CASE WHEN a > top THEN a ELSE top END) AS counted
WITH m, fiscal_year, budget_type, basis, sum(counted) AS total_jpy, count(p) AS programs,
     [x IN collect(CASE WHEN size(amounts) > 1 THEN p.name END) WHERE x IS NOT NULL] AS disputed_programs
RETURN m.name AS ministry, fiscal_year, budget_type, basis, total_jpy, programs, disputed_programs
ORDER BY ministry, fiscal_year, budget_type, basis

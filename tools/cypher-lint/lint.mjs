#!/usr/bin/env node
// Offline Cypher linter for the Soyaku KG named queries.
//
// Usage: node tools/cypher-lint/lint.mjs PATH...
//   PATH is a .cypher file or a directory (searched recursively for *.cypher).
//   All files are linted in this one node process.
//
// Output: one line per problem, `FILE:LINE:COL: severity: message` (LINE and
// COL are 1-based), then a summary line `cypher-lint: N files, E errors`
// (`, W warnings` is appended when there are warnings).
// Exit status: 0 = no errors (warnings allowed), 1 = at least one error,
// 2 = usage problem (no PATH, or a PATH that does not exist).
//
// Linting is done by @neo4j-cypher/language-support (pinned in package.json)
// with no database: the schema is empty apart from the dialect, so labels,
// properties, functions and procedures are not checked against a database.
// Dialect: Cypher 5 (schema `defaultLanguage: 'CYPHER 5'`); a statement may
// still select another version itself with a `CYPHER 25` prefix.
// Query parameters ($x) are allowed: the "Parameter $x is not defined."
// diagnostics, which the library reports for every parameter not declared in
// the schema, are dropped.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  isNotParamError,
  lintCypherQuery,
} from '@neo4j-cypher/language-support';

const DB_SCHEMA = Object.freeze({ defaultLanguage: 'CYPHER 5' });
const LINT_OPTIONS = Object.freeze({ consoleCommandsEnabled: false });

// LSP DiagnosticSeverity: 1 Error, 2 Warning, 3 Information, 4 Hint.
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function usage(message) {
  if (message) process.stderr.write(`cypher-lint: ${message}\n`);
  process.stderr.write('usage: node tools/cypher-lint/lint.mjs PATH...\n');
  process.exit(2);
}

function collectCypherFiles(dir, out) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      collectCypherFiles(full, out);
    } else if (entry.isFile() && entry.name.endsWith('.cypher')) {
      out.push(full);
    }
  }
}

// The parser reports "Expected any of CYPHER, EXPLAIN, PROFILE or a statement"
// when only comments follow the last `;`, and for a file of comments only.
// Drop comment-only lines (`//` lines, a closing `/* ... */` block) and blank
// space from the end of the text; this changes no position before them.
function stripTrailingComments(text) {
  let out = text;
  for (;;) {
    const trimmed = out.replace(/\s+$/, '');
    const lastLineStart = trimmed.lastIndexOf('\n') + 1;
    const lastLine = trimmed.slice(lastLineStart);
    if (/^\s*\/\//.test(lastLine)) {
      out = trimmed.slice(0, lastLineStart);
      continue;
    }
    if (trimmed.endsWith('*/')) {
      const open = trimmed.lastIndexOf('/*');
      if (open !== -1 && /(^|\n)\s*$/.test(trimmed.slice(0, open))) {
        out = trimmed.slice(0, open);
        continue;
      }
    }
    return trimmed;
  }
}

function oneLine(message) {
  return String(message).replace(/\s*\n\s*/g, ' ').trim();
}

function lintFile(file, display) {
  const problems = [];
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ line: 1, col: 1, severity: 'error', message: `cannot read file: ${err.message}` });
    return problems;
  }
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // BOM: keep columns
  const query = stripTrailingComments(text);
  if (query.length === 0) {
    problems.push({ line: 1, col: 1, severity: 'warning', message: 'file contains no Cypher statement' });
    return problems;
  }
  let diagnostics;
  try {
    ({ diagnostics } = lintCypherQuery(query, DB_SCHEMA, LINT_OPTIONS));
  } catch (err) {
    problems.push({ line: 1, col: 1, severity: 'error', message: `linter crashed: ${oneLine(err && err.message)}` });
    return problems;
  }
  for (const d of diagnostics.filter(isNotParamError)) {
    problems.push({
      line: d.range.start.line + 1,
      col: d.range.start.character + 1,
      severity: SEVERITY[d.severity] ?? 'error',
      message: oneLine(d.message),
    });
  }
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  return problems.map((p) => ({ ...p, file: display }));
}

function main(argv) {
  if (argv.length === 0) usage('no PATH given');
  if (argv.includes('-h') || argv.includes('--help')) usage();
  const files = [];
  for (const arg of argv) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      usage(`no such file or directory: ${arg}`);
    }
    if (st.isDirectory()) collectCypherFiles(arg, files);
    else files.push(arg);
  }
  const seen = new Set();
  let errors = 0;
  let warnings = 0;
  let count = 0;
  for (const file of files) {
    const key = resolve(file);
    if (seen.has(key)) continue;
    seen.add(key);
    count += 1;
    const rel = relative(process.cwd(), key);
    const display = rel && !rel.startsWith('..') ? rel : file;
    for (const p of lintFile(file, display)) {
      if (p.severity === 'error') errors += 1;
      else warnings += 1;
      process.stdout.write(`${display}:${p.line}:${p.col}: ${p.severity}: ${p.message}\n`);
    }
  }
  // Fixed wording (no singular forms) so the line is easy to grep.
  let summary = `cypher-lint: ${count} files, ${errors} errors`;
  if (warnings > 0) summary += `, ${warnings} warnings`;
  process.stdout.write(summary + '\n');
  return errors > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));

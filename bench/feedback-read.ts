// Feedback read bench (issue 9): what the anonymity rule over feedback items costs a request now that it counts
// distinct authors, on 100,000 items (SQLite, generated here: 24 months × the default journey's touchpoints ×
// 4 regions, 40,000 authors of whom many write several items, a tenth without an author reference). Per request
// the verbatims and themes re-read the items' cells (store/feedback.ts loadFeedbackCells) and apply the rule.
// Printed, median of the runs, in the same run: the cells with their authors + the rule (read again, as the first
// request after a feedback write does, and kept per cell version), the naive count (items per cell, as before
// authors were counted) + the rule, and whole themes / verbatims with channel=review. Reuses the database of an
// earlier run of the same size (bench/tmp/), unless --fresh.
//   npx tsx bench/feedback-read.ts [--n 100000] [--runs 7] [--fresh]
import { existsSync, rmSync, mkdirSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/db.ts';
import { createOrganisation } from '../src/store/organisations.ts';
import { createFeedbackSource } from '../src/store/feedback-sources.ts';
import { loadFeedbackCells, storeFeedback } from '../src/store/feedback.ts';
import { feedbackContext } from '../src/store/feedback-context.ts';
import { checkFeedbackItem, type ValidFeedbackItem } from '../src/core/feedback.ts';
import { cut, type CellCount } from '../src/core/anonymity.ts';
import { themesReport } from '../src/reports/themes.ts';
import { listVerbatims } from '../src/reports/verbatims.ts';
import { replaceSegmentDeclarations } from '../src/store/segments.ts';
import { forgetCells } from '../src/store/cell-cache.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' }, fresh: { type: 'boolean', default: false } } });
const N = Number(values.n);
const RUNS = Number(values.runs);
const dir = new URL('./tmp/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
const path = `${dir}feedback-read-${N}.db`;
const reuse = existsSync(path) && !values.fresh;
if (!reuse) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
const store = await openStore(path);
const db = store.db;
const found = reuse ? await db.selectFrom('organisations').select(['id', 'min_responses']).where('name', '=', 'Feedback bench').executeTakeFirst() : undefined;
if (found) console.log(`reusing ${path}`);
const org = found ? { id: found.id, minResponses: Number(found.min_responses) } : await generate();

/** The organisation, its region segment, one review source and N items (seeded: the same every run). */
async function generate(): Promise<{ id: string; minResponses: number }> {
  const org = await createOrganisation(db, { name: 'Feedback bench', industry: 'digital_entertainment_streaming' });
  await replaceSegmentDeclarations(db, org.id, [
    { key: 'region', label: 'Region', public: false, kind: 'values', values: ['EMEA', 'APAC', 'AMER', 'LATAM'].map((v) => ({ value: v, label: v })) },
  ]);
  const source = await createFeedbackSource(db, org.id, 'Trustpilot', 'review');
  const ctx = await feedbackContext(db, org.id);
  const touchpoints = [...ctx.touchpoints];
  const TEXTS = [
    'The refund took three weeks and nobody answered my emails',
    'Delivery was quick and the driver was friendly',
    'The app keeps crashing when I try to pay my bill',
    'Great support on the phone, the agent fixed it in minutes',
    'Prices went up again without any notice',
    'Installation was a mess, the engineer came twice',
  ];
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t0 = performance.now();
  for (let start = 0; start < N; start += 500) {
    const batch: ValidFeedbackItem[] = [];
    for (let i = start; i < Math.min(N, start + 500); i++) {
      const month = 1 + Math.floor(rnd() * 24);
      const occurredAt = `${2023 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-15T10:00:00Z`;
      const author = rnd() < 0.1 ? undefined : `cust-${Math.floor(rnd() ** 2 * 40_000)}`; // skewed: some write many
      const c = checkFeedbackItem(
        { source: source.id, text: `${TEXTS[i % TEXTS.length]} (${i})`, touchpoint: touchpoints[Math.floor(rnd() * touchpoints.length)], segments: { region: ['EMEA', 'APAC', 'AMER', 'LATAM'][Math.floor(rnd() * 4)]! }, occurredAt, ...(author ? { authorRef: author } : {}), rating: { value: 1 + Math.floor(rnd() * 5), min: 1, max: 5 } },
        ctx,
      );
      if (!c.ok) throw new Error(JSON.stringify(c.errors));
      batch.push(c.value);
    }
    await storeFeedback(db, org.id, batch);
  }
  console.log(`stored ${N.toLocaleString('en')} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { id: org.id, minResponses: org.minResponses };
}

/** The count as it was before this change: items per cell. */
async function naiveCells(): Promise<CellCount[]> {
  const rows = await db.selectFrom('feedback_items').select(['month', 'touchpoint', 'segment_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', org.id).where('channel', 'in', ['review']).groupBy(['month', 'touchpoint', 'segment_key']).execute();
  return rows.map((r) => ({ month: r.month, touchpoint: r.touchpoint, segmentKey: r.segment_key, n: Number(r.n) }));
}
const rule = (cells: readonly CellCount[]) => cut(cells, { from: '2024-01' }, { k: 5, stageOf: () => '', withholdRare: true }, ['month']);

const cases: [string, () => Promise<unknown>][] = [
  ['cells by author + rule, first request after a write (cache dropped)', async () => {
    forgetCells(db);
    return rule(await loadFeedbackCells(db, org.id, ['review']));
  }],
  ['cells by author + rule, cached (no write since)', async () => rule(await loadFeedbackCells(db, org.id, ['review']))],
  ['cells by item + rule (naive count, before)', async () => rule(await naiveCells())],
  ['themes channel=review, cache dropped', () => (forgetCells(db), themesReport(db, org.id, { filters: {}, channel: 'review' }))],
  ['themes channel=review, cached', () => themesReport(db, org.id, { filters: {}, channel: 'review' })],
  ['verbatims channel=review (20), cache dropped', () => (forgetCells(db), listVerbatims(db, org.id, org.minResponses, { filters: {}, channel: 'review', limit: 20 }))],
  ['verbatims channel=review (20), cached', () => listVerbatims(db, org.id, org.minResponses, { filters: {}, channel: 'review', limit: 20 })],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cells = await loadFeedbackCells(db, org.id, ['review']);
console.log(`${cells.length} cells; ${new Set(cells.flatMap((c) => c.people ?? [])).size.toLocaleString('en')} distinct authors (an item without a reference counts as one)`);
console.log(`| request | median ms (${RUNS} runs, warm) |\n|---|---|`);
for (const [name, run] of cases) {
  await run(); // warm
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  console.log(`| ${name} | ${median(ms).toFixed(1)} |`);
}
console.log(`(${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} while measuring)`);
await store.close();

// `npm run bench`: the full gap report at 10k, 100k and 1M customer responses (BENCH_SIZES to change,
// e.g. BENCH_SIZES=10000,1000000,10000000) on SQLite and PostgreSQL, against DuckDB computing the same
// aggregates over the same data (Parquet) and against a naive SQLite GROUP BY over the raw answers.
// Prints the tables and writes bench/results/latest.json.
//
// The full report is what a dashboard asks for, through the product's own store functions: the gap
// report; the monthly trend overall and for every segment value (all dimensions × segments × months,
// with intervals); the breakdowns by region, plan and touchpoint (with dimensions); the key drivers of
// both outcomes (excellence, NPS), from src/reports. The report's calls run concurrently,
// as a dashboard's panels do. Timings are warm (database pages cached: two untimed runs, then the median
// of BENCH_RUNS, default 7), but every run starts with the process's cell cache dropped, as after a new
// response, so the respondent counts are read and the anonymity rule applied afresh each time.
//
// Environment: BENCH_SIZES, BENCH_SEED (1), BENCH_RUNS (7), BENCH_ENGINES (sqlite,postgres),
// BENCH_NAIVE_MAX and BENCH_BARE_MAX (largest sizes the naive query and the bare insert loop run at;
// default 1000000), PARALLAX_BENCH_PG_URL.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openStore, type Store } from '../src/store/db.ts';
import { gapReportFor } from '../src/reports/gap.ts';
import { trendFor } from '../src/reports/trend.ts';
import { breakdownFor } from '../src/reports/breakdown.ts';
import { driversFor } from '../src/reports/drivers.ts';
import { forgetCells } from '../src/store/cell-cache.ts';
import type { ReportFilters } from '../src/core/report-filters.ts';
import { ALL_DIMS, CUSTOMER_DIMS, LEADERS, PLANS, REGIONS } from '../src/sample-data/bench-history.ts';
import {
  BENCH_ORG,
  ROOT,
  bareSqliteInsert,
  ensureParquet,
  ensurePostgres,
  ensureSqlite,
  postgresReachable,
  type BuiltDatabase,
} from './generate.ts';

const env = process.env;
const SIZES = (env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map((s) => Number(s.trim()));
const SEED = Number(env.BENCH_SEED ?? 1);
const RUNS = Number(env.BENCH_RUNS ?? 7);
const NAIVE_MAX = Number(env.BENCH_NAIVE_MAX ?? 1_000_000);
const BARE_MAX = Number(env.BENCH_BARE_MAX ?? 1_000_000);
const ENGINES = (env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const log = (s: string) => process.stderr.write(s + '\n');

/** The filters a dashboard typically applies: none, a segment value, a touchpoint, a quarter. */
const SCENARIOS: { name: string; filters: ReportFilters }[] = [
  { name: 'unfiltered', filters: {} },
  { name: 'region=EMEA', filters: { segments: { region: ['EMEA'] } } },
  { name: 'touchpoint=billing', filters: { touchpoints: ['billing'] } },
  { name: '2025-10..2025-12', filters: { from: '2025-10', to: '2025-12' } },
];
const SEGMENTS: Record<string, readonly string[]> = { region: REGIONS, plan: PLANS };

// ---------------------------------------------------------------------------------------------- ours

type AnyFn = (...args: any[]) => Promise<any>;
/** The analytics reports the full dashboard report asks for. */
async function analyticsFunctions(): Promise<Record<string, AnyFn | undefined>> {
  return { trendFor, breakdownFor, driversFor };
}

/** `f` narrowed to one value of a segment (nothing when `f` already excludes that value). */
function withSegment(f: ReportFilters, name: string, value: string): ReportFilters | undefined {
  const current = f.segments?.[name];
  if (current && !current.includes(value)) return undefined;
  return { ...f, segments: { ...(f.segments ?? {}), [name]: [value] } };
}

interface ReportParts {
  calls: number;
  /** Parts the anonymity rule hid (a fast answer that computed nothing would flatter the bench). */
  hidden: string[];
  /** For the cross-check with DuckDB: customers answering `excellent`, and how many said 4–5. */
  customers: { n: number; share: number } | null;
}

async function fullReport(db: Store['db'], f: ReportFilters, a: Record<string, AnyFn | undefined>): Promise<ReportParts> {
  const parts: Promise<[string, any]>[] = [gapReportFor(db, BENCH_ORG, f).then((r) => ['gap', r])];
  if (a.trendFor) {
    parts.push(a.trendFor(db, BENCH_ORG, f, 'month').then((r) => ['trend', r]));
    for (const [name, values] of Object.entries(SEGMENTS)) {
      for (const v of values) {
        const g = withSegment(f, name, v);
        if (g) parts.push(a.trendFor(db, BENCH_ORG, g, 'month').then((r) => [`trend ${name}=${v}`, r]));
      }
    }
  }
  if (a.breakdownFor) {
    for (const by of ['segment:region', 'segment:plan', 'touchpoint']) parts.push(a.breakdownFor(db, BENCH_ORG, f, by, true).then((r) => [`breakdown ${by}`, r]));
  }
  if (a.driversFor) for (const outcome of ['excellent', 'nps']) parts.push(a.driversFor(db, BENCH_ORG, f, outcome).then((r) => [`drivers ${outcome}`, r]));
  const done = await Promise.all(parts);
  const hidden: string[] = [];
  for (const [name, r] of done) {
    // Customer-side parts refused as a whole (leaders per month are routinely below the minimum: not counted).
    for (const h of [r?.hidden, r?.suppressed]) {
      if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) if (typeof v === 'string' && !k.startsWith('leader')) hidden.push(`${name}: ${k}`);
    }
  }
  const gap = done[0]![1];
  const hc = gap?.headline?.customers;
  return { calls: done.length, hidden, customers: hc && !hc.suppressed ? { n: hc.n, share: hc.share } : null };
}

// ---------------------------------------------------------------------------------------------- DuckDB

const ITEM_COLUMNS = ['excellent', 'nps', 'csat', 'ces', 'predict_share', ...ALL_DIMS.map((d) => `d_${d}`)];

function duckWhere(f: ReportFilters): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const period = [f.from ? `month >= ${q(f.from)}` : '', f.to ? `month <= ${q(f.to)}` : ''].filter(Boolean);
  const customer: string[] = [];
  if (f.touchpoints) customer.push(`touchpoint IN (${f.touchpoints.map(q).join(', ')})`);
  for (const [name, values] of Object.entries(f.segments ?? {})) customer.push(`${name} IN (${values.map(q).join(', ')})`);
  const who = customer.length ? `(perspective = 'leader' OR (${customer.join(' AND ')}))` : '';
  return [...period, who].filter(Boolean).join(' AND ') || 'true';
}

/**
 * The same aggregates the full report needs: per perspective × month × region × plan, for every item
 * n, Σx, Σx², and the top-2 / NPS category counts; the same per touchpoint; and for each driver model
 * n, Σx_i, Σx_i·x_j over its complete cases. Results are read back and converted (BigInt → number).
 */
async function duckFull(conn: DuckDBConnection, f: ReportFilters): Promise<{ customers: { n: number; share: number } }> {
  const where = duckWhere(f);
  const stats = ITEM_COLUMNS.map((c) => `count(${c}) AS n_${c}, sum(${c}) AS s_${c}, sum(${c} * ${c}) AS q_${c}`).join(', ');
  const cats = `count_if(excellent >= 4) AS top2_excellent, count_if(csat >= 4) AS top2_csat, count_if(nps >= 9) AS promoters, count_if(nps <= 6) AS detractors`;
  const toNumbers = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  const read = async (text: string) => toNumbers((await conn.runAndReadAll(text)).getRowObjects() as Record<string, unknown>[]);
  const cube = await read(`SELECT perspective, month, region, plan, count(*) AS n, ${stats}, ${cats} FROM t WHERE ${where} GROUP BY ALL`);
  await read(`SELECT touchpoint, count(*) AS n, ${stats}, ${cats} FROM t WHERE perspective = 'customer' AND ${where} GROUP BY ALL`);
  for (const outcome of ['excellent', 'nps']) {
    const vars = [...CUSTOMER_DIMS.map((d) => `d_${d}`), outcome];
    const sums = vars.map((v) => `sum(${v}) AS s_${v}`);
    const cross = vars.flatMap((v, i) => vars.slice(i).map((w) => `sum(${v} * ${w}) AS x_${v}_${w}`));
    await read(`SELECT count(*) AS n, ${[...sums, ...cross].join(', ')} FROM t WHERE perspective = 'customer' AND ${vars.map((v) => `${v} IS NOT NULL`).join(' AND ')} AND ${where}`);
  }
  const c = cube.filter((r) => r.perspective === 'customer');
  const n = c.reduce((s, r) => s + (r.n_excellent as number), 0);
  const top = c.reduce((s, r) => s + (r.top2_excellent as number), 0);
  return { customers: { n, share: n ? top / n : 0 } };
}

// ---------------------------------------------------------------------------------------------- naive

/** The naive design: the report's histograms straight from the raw answers, joined to their responses. */
function naiveReport(sqlite: SQLite.Database, f: ReportFilters): number {
  const params: unknown[] = [BENCH_ORG];
  const where: string[] = [];
  if (f.from) {
    where.push(`r.month >= ?`);
    params.push(f.from);
  }
  if (f.to) {
    where.push(`r.month <= ?`);
    params.push(f.to);
  }
  const customer: string[] = [];
  if (f.touchpoints) {
    customer.push(`r.touchpoint IN (${f.touchpoints.map(() => '?').join(', ')})`);
    params.push(...f.touchpoints);
  }
  for (const [name, values] of Object.entries(f.segments ?? {})) {
    customer.push(`(${values.map(() => `(';' || r.segment_key || ';') LIKE ?`).join(' OR ')})`);
    params.push(...values.map((v) => `%;${name}=${v};%`));
  }
  if (customer.length) where.push(`(r.perspective = 'leader' OR (${customer.join(' AND ')}))`);
  const rows = sqlite
    .prepare(
      // The packed answers (src/store/answers.ts: "code=value,…") unpacked as JSON, one row per answer.
      `SELECT r.perspective, r.month, r.segment_key, j.key AS item, j.value, count(*) AS n
       FROM responses r JOIN answers a ON a.org_id = r.org_id AND a.response_id = r.id,
            json_each('{"' || replace(replace(a.items, '=', '":'), ',', ',"') || '}') j
       WHERE r.org_id = ? ${where.map((w) => `AND ${w}`).join(' ')}
       GROUP BY r.perspective, r.month, r.segment_key, j.key, j.value`,
    )
    .all(...params);
  return rows.length;
}

// ---------------------------------------------------------------------------------------------- timing

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timeWarm<T>(fn: () => Promise<T> | T, runs = RUNS, warmup = 2): Promise<{ ms: number; min: number; result: T }> {
  let result!: T;
  for (let i = 0; i < warmup; i++) result = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), min: Math.min(...times), result };
}

// ---------------------------------------------------------------------------------------------- main

interface ReportResult {
  engine: string;
  size: number;
  scenario: string;
  reportMs: number;
  reportMinMs: number;
  calls: number;
  hidden: string[];
  duckdbMs: number;
  duckdbTableMs: number;
  ratio: number;
  naiveMs: number | null;
  crossCheck: string;
}
interface StorageResult {
  engine: string;
  size: number;
  responses: number;
  ingestPerSecond: number;
  ingestSeconds: number;
  bareSqlitePerSecond: number | null;
  bytes: number;
  bytesPerMillion: number;
  cachedIngest: boolean;
}

const fmt = (x: number | null, d = 1) => (x === null ? '—' : x.toFixed(d));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i < 3 ? pad(c, w[i]!) : lpad(c, w[i]!))).join(' | ') + ' |';
  return [line(headers), '|' + w.map((x, i) => (i < 3 ? '-'.repeat(x + 2) : '-'.repeat(x + 1) + ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

async function main() {
  const engines = ENGINES.filter((e) => e === 'sqlite' || e === 'postgres');
  if (engines.includes('postgres') && !(await postgresReachable())) {
    log('!!! PostgreSQL not reachable: measuring SQLite only');
    engines.splice(engines.indexOf('postgres'), 1);
  }
  const a = await analyticsFunctions();
  log(`full report = gap report${a.trendFor ? ' + trend (overall and per segment value)' : ''}${a.breakdownFor ? ' + breakdowns (region, plan, touchpoint)' : ''}${a.driversFor ? ' + drivers (excellent, nps)' : ''}`);
  const reports: ReportResult[] = [];
  const storage: StorageResult[] = [];

  for (const size of SIZES) {
    log(`\n== ${size.toLocaleString('en')} customer responses (+${LEADERS} leaders), seed ${SEED}`);
    const parquet = await ensureParquet(size, SEED, log);
    const built: BuiltDatabase[] = [];
    for (const e of engines) built.push(e === 'sqlite' ? await ensureSqlite(size, SEED, log) : await ensurePostgres(size, SEED, log));
    const bare = size <= BARE_MAX ? await bareSqliteInsert(size, SEED) : null;

    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const duckTable = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${parquet}')`);
    await duckTable.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${parquet}')`);

    const sqlitePath = built.find((b) => b.engine === 'sqlite')?.url;
    const naiveDb = sqlitePath && size <= NAIVE_MAX ? new SQLite(sqlitePath, { readonly: true }) : undefined;
    naiveDb?.pragma('cache_size = -65536');

    for (const b of built) {
      storage.push({
        engine: b.engine,
        size,
        responses: b.ingest.responses,
        ingestPerSecond: Math.round(b.ingest.perSecond),
        ingestSeconds: Math.round(b.ingest.seconds * 10) / 10,
        bareSqlitePerSecond: bare ? Math.round(bare.perSecond) : null,
        bytes: b.bytes,
        bytesPerMillion: Math.round((b.bytes / (size + LEADERS)) * 1e6),
        cachedIngest: b.cached,
      });
    }

    for (const s of SCENARIOS) {
      const d = await timeWarm(() => duckFull(conn, s.filters));
      const dt = await timeWarm(() => duckFull(duckTable, s.filters));
      let naiveMs: number | null = null;
      if (naiveDb) {
        const big = size >= 1_000_000;
        naiveMs = (await timeWarm(() => naiveReport(naiveDb, s.filters), big ? 1 : 3, big ? 0 : 1)).ms;
      }
      for (const b of built) {
        const store = await openStore(b.url);
        try {
          // Each run starts as after a new response: the process's cell cache (cell-cache.ts) is dropped.
          const r = await timeWarm(() => {
            forgetCells(store.db);
            return fullReport(store.db, s.filters, a);
          });
          const ours = r.result.customers;
          const theirs = d.result.customers;
          const crossCheck = !ours
            ? 'customers hidden'
            : ours.n === theirs.n && Math.abs(ours.share - theirs.share) < 1e-12
              ? 'ok'
              : `MISMATCH: ours n=${ours.n} share=${ours.share}, DuckDB n=${theirs.n} share=${theirs.share}`;
          const row: ReportResult = {
            engine: b.engine,
            size,
            scenario: s.name,
            reportMs: Math.round(r.ms * 10) / 10,
            reportMinMs: Math.round(r.min * 10) / 10,
            calls: r.result.calls,
            hidden: r.result.hidden,
            duckdbMs: Math.round(d.ms * 10) / 10,
            duckdbTableMs: Math.round(dt.ms * 10) / 10,
            ratio: Math.round((r.ms / d.ms) * 100) / 100,
            naiveMs: naiveMs === null ? null : Math.round(naiveMs),
            crossCheck,
          };
          reports.push(row);
          log(`  ${b.engine} ${s.name}: ${fmt(row.reportMs)} ms (${row.calls} calls${row.hidden.length ? `, hidden: ${row.hidden.join(', ')}` : ''}) · DuckDB ${fmt(row.duckdbMs)} ms (table ${fmt(row.duckdbTableMs)}) · ratio ${row.ratio} · naive ${fmt(naiveMs, 0)} ms · check ${crossCheck}`);
        } finally {
          await store.close();
        }
      }
    }
    naiveDb?.close();
    conn.closeSync();
    duckTable.closeSync();
  }

  const reportTable = table(
    ['engine', 'responses', 'filter', 'report ms', 'DuckDB ms', 'ratio', 'DuckDB table ms', 'naive SQLite ms'],
    reports.map((r) => [r.engine, r.size.toLocaleString('en'), r.scenario, fmt(r.reportMs), fmt(r.duckdbMs), r.ratio.toFixed(2), fmt(r.duckdbTableMs), r.naiveMs === null ? '—' : r.naiveMs.toLocaleString('en')]),
  );
  const storageTable = table(
    ['engine', 'responses', 'ingest', 'responses/s', 'bare SQLite/s', 'DB MB', 'MB per million'],
    storage.map((s) => [s.engine, s.size.toLocaleString('en'), 'storeResponses', s.ingestPerSecond.toLocaleString('en'), s.bareSqlitePerSecond?.toLocaleString('en') ?? '—', fmt(s.bytes / 1e6, 0), fmt(s.bytesPerMillion / 1e6, 0)]),
  );
  console.log(`\n${cpus().length} CPUs (${cpus()[0]?.model}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end`);
  console.log('\nFull report (warm median of ' + RUNS + ' runs; ratio = ours / DuckDB over Parquet)\n');
  console.log(reportTable);
  console.log('\nIngest and size\n');
  console.log(storageTable);
  const mismatches = reports.filter((r) => r.crossCheck.startsWith('MISMATCH'));
  const hidden = reports.filter((r) => r.hidden.length);
  if (mismatches.length) console.log(`\n!!! ${mismatches.length} cross-checks against DuckDB failed`);
  if (hidden.length) console.log(`\nNote: the anonymity rule hid parts of ${hidden.length} reports (small cells at small sizes): ${[...new Set(hidden.map((h) => `${h.size} ${h.scenario}`))].join('; ')}`);

  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const duckVersion = (await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll('select version() v')).getRowObjects()[0]?.v;
  const versions = { sqlite: new SQLite(':memory:').prepare('select sqlite_version() v').pluck().get(), duckdb: duckVersion };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  // Sizes measured in an earlier run (with the same seed) are kept, so a separate 10M run adds to the file.
  const out = join(ROOT, 'bench', 'results', 'latest.json');
  const earlier = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
  const keep = <T extends { size: number; date?: string }>(rows: T[] | undefined): T[] =>
    earlier?.seed === SEED ? (rows ?? []).filter((r) => !SIZES.includes(r.size)).map((r) => ({ ...r, date: r.date ?? earlier.date })) : [];
  const date = new Date().toISOString();
  const bySize = <T extends { size: number }>(a: T, b: T) => a.size - b.size;
  writeFileSync(
    out,
    JSON.stringify(
      {
        date,
        seed: SEED,
        runs: RUNS,
        machine,
        loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
        versions,
        scenarios: SCENARIOS,
        reports: [...keep(earlier?.reports), ...reports.map((r) => ({ ...r, date }))].sort(bySize),
        storage: [...keep(earlier?.storage), ...storage.map((r) => ({ ...r, date }))].sort(bySize),
      },
      null,
      2,
    ) + '\n',
  );
  log('\nwrote bench/results/latest.json');
}

await main();

// `npm run bench:dashboard`: every request the dashboard makes for each of its views, timed over HTTP
// against the real server (buildApp on 127.0.0.1, as bench/ingest-http.ts) on the benchmark database of N
// customer responses (bench/generate.ts), logged in as an admin of the bench organisation, one request at
// a time — beside two baselines measured in the same run: a trivial `/healthz` (the HTTP floor: loopback,
// Fastify, the access hook, JSON) and the verbatims search done as a naive substring scan (`LIKE '%…%'`,
// `ILIKE` on PostgreSQL) straight on the database, counting the matches and reading the newest page.
//
// The requests are read off src/web: the shell every page loads (session, organisation, journey,
// framework, filter options, segments), then per view the reports and lists its components ask for, with
// the dashboard's own query strings (no filters). Cold: the first time the process serves that request
// after start (the process's caches empty; database pages may be in the OS cache: the database is a fresh
// copy, see below); warm: p50 and p95 over --runs further rounds of every request. Size: the JSON body as
// sent without compression. Flags every request over the issue's targets (p95 ≤ 100 ms warm, ≤ 100 KB).
//
// The database: the cached bench database of this size and seed (built with bench/generate.ts when there
// is none). A cached copy built for an older schema is used too (the server migrates its copy forward
// at start, said in the output), so a bench run does not wait on a rebuild whenever a migration lands.
// The server runs on a copy (SQLite: a file copy in bench/tmp/; PostgreSQL: CREATE DATABASE … TEMPLATE),
// so the cache never holds the bench's admin, sessions or audit entries.
//
//   npx tsx bench/dashboard-http.ts [--n 1000000] [--engine sqlite|postgres] [--runs 20] [--seed 1] [--q billing] [--skip view,…]
//
// The server runs in this process: a request whose synchronous SQLite query takes minutes holds the
// whole run (the timeout below cannot fire meanwhile); `--skip` leaves such a view out and says so.
//
// Prints the table and writes bench/results/dashboard-<engine>-<n>.json. PARALLAX_BENCH_PG_URL as for
// `npm run bench`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { openStore, type Engine } from '../src/store/db.ts';
import { createUser } from '../src/store/users.ts';
import { addMembership } from '../src/store/memberships.ts';
import { BENCH_ORG, DATA_DIR, PG_ADMIN_URL, ROOT, ensurePostgres, ensureSqlite, pgAdmin, postgresReachable, schemaFingerprint } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'sqlite' },
    runs: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    q: { type: 'string', default: 'billing' },
    skip: { type: 'string', default: '' },
  },
});
const N = Number(args.n);
const ENGINE = args.engine as Engine;
const RUNS = Math.max(3, Number(args.runs));
const SEED = Number(args.seed);
const QUERY = args.q!;
/** Views left out (comma-separated names as in the table), e.g. one whose request would stall the run. */
const SKIP = new Set(args.skip!.split(',').map((v) => v.trim()).filter(Boolean));
if (!Number.isInteger(N) || N < 1) throw new Error('--n: a positive whole number of responses');
if (ENGINE !== 'sqlite' && ENGINE !== 'postgres') throw new Error('--engine: sqlite or postgres');

/** The issue's targets (issue 14). */
const TARGET_MS = 100;
const TARGET_BYTES = 100 * 1024;
const TMP = join(ROOT, 'bench', 'tmp');
const REQUEST_TIMEOUT_MS = 60_000;
const ADMIN = { email: 'bench-admin@bench.example', password: 'bench admin password 1' };
const log = (s: string) => process.stderr.write(s + '\n');

// ------------------------------------------------------------------------------------------ database

interface BenchCopy {
  url: string;
  /** The cached database it was copied from, and whether it was built for the current schema. */
  source: string;
  current: boolean;
  drop: () => Promise<void>;
}

/** The cached SQLite databases of this size and seed, current schema first, then the newest stale one. */
function cachedSqlite(): { path: string; current: boolean } | undefined {
  if (!existsSync(DATA_DIR)) return undefined;
  const current = `n${N}-s${SEED}-${schemaFingerprint()}.db`;
  const built = (f: string) => {
    const meta = join(DATA_DIR, f.replace(/\.db$/, '.json'));
    return existsSync(meta) && 'sqlite' in JSON.parse(readFileSync(meta, 'utf8'));
  };
  const all = readdirSync(DATA_DIR).filter((f) => f.startsWith(`n${N}-s${SEED}-`) && f.endsWith('.db') && !f.endsWith('-bare.db') && built(f));
  if (all.includes(current)) return { path: join(DATA_DIR, current), current: true };
  return all.length ? { path: join(DATA_DIR, all.sort().at(-1)!), current: false } : undefined;
}

async function sqliteCopy(): Promise<BenchCopy> {
  let found = cachedSqlite();
  if (!found) found = { path: (await ensureSqlite(N, SEED, log)).url, current: true };
  mkdirSync(TMP, { recursive: true });
  const copy = join(TMP, `dashboard-${N}.db`);
  const clean = () => {
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  };
  clean();
  log(`copying ${found.path} → ${copy}…`);
  copyFileSync(found.path, copy);
  if (existsSync(`${found.path}-wal`)) copyFileSync(`${found.path}-wal`, `${copy}-wal`);
  return { url: copy, source: found.path, current: found.current, drop: async () => clean() };
}

const pgUrl = (dbName: string) => PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);

async function postgresCopy(): Promise<BenchCopy> {
  if (!(await postgresReachable())) throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}`);
  const prefix = `parallax_bench_n${N}_s${SEED}_`;
  const current = `${prefix}${schemaFingerprint()}`;
  // Databases of this size and seed whose build finished (ensurePostgres writes the meta file last).
  const names = await pgAdmin(async (c) => (await c.query('select datname from pg_database where datname like $1 order by datname', [`${prefix}%`])).rows.map((r) => r.datname as string));
  const built = names.filter((d) => {
    const meta = join(DATA_DIR, `${d.slice('parallax_bench_'.length).replace(/^n(\d+)_s(\d+)_/, 'n$1-s$2-')}.json`);
    return existsSync(meta) && 'postgres' in JSON.parse(readFileSync(meta, 'utf8'));
  });
  let source = built.includes(current) ? current : built.at(-1);
  if (!source) source = new URL((await ensurePostgres(N, SEED, log)).url).pathname.slice(1);
  const copy = `parallax_bench_dashboard_${N}`;
  log(`copying PostgreSQL ${source} → ${copy}…`);
  await pgAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${copy} TEMPLATE ${source}`);
  });
  return {
    url: pgUrl(copy),
    source,
    current: source === current,
    drop: () => pgAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`))),
  };
}

// ------------------------------------------------------------------------------------------ HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  body: string;
}

/** One request over a kept-alive connection; the time runs from sending to the body's last byte. */
function send(port: number, path: string, headers: Record<string, string>, method = 'GET', payload?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = httpRequest({ host: '127.0.0.1', port, path, method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, ms, body: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    // A request that never answers must not stall the bench: it is reported as status 0 after REQUEST_TIMEOUT_MS.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy();
      resolve({ status: 0, bytes: 0, ms: REQUEST_TIMEOUT_MS, body: '' });
    });
    req.end(payload);
  });
}

async function logIn(port: number): Promise<Record<string, string>> {
  const r = await new Promise<{ status: number; cookie: string; body: string }>((resolve, reject) => {
    const payload = JSON.stringify(ADMIN);
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '), body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${r.body}`);
  return { cookie: r.cookie };
}

// ------------------------------------------------------------------------------------------ the dashboard's requests

interface Planned {
  view: string;
  path: string;
}

/**
 * The next page a list's "More" asks for, from its first page: the verbatims' `nextCursor` (as `cursor`),
 * a keyset list's `next` (as `after`). Undefined on a last page or a list that is not paged that way.
 */
function nextPage(path: string, body: string): string | undefined {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const sep = path.includes('?') ? '&' : '?';
  if (typeof j.nextCursor === 'string') return `${path}${sep}cursor=${encodeURIComponent(j.nextCursor)}`;
  if (typeof j.next === 'string' && !path.includes('/audit-log')) return `${path}${sep}after=${encodeURIComponent(j.next)}`;
  return undefined;
}

/** What each view of the dashboard asks for (src/web/views/*, src/web/lib/org.tsx, components/FilterBar.tsx), unfiltered. */
function dashboardRequests(org: string, q: string, surveyIds: string[]): Planned[] {
  const o = (p: string) => `/api/v1/organisations/${org}${p}`;
  const views: [string, string[]][] = [
    // Every page: session (lib/session.tsx), the organisation, its journey, framework and filter options (lib/org.tsx), segments (FilterBar).
    ['shell', ['/api/v1/auth/me', o(''), o('/journey'), o('/framework'), o('/filter-options'), o('/segments')]],
    ['overview', [o('/reports/gap'), o('/reports/trend?period=month'), o('/reports/benchmarks')]],
    ['journey', [o('/reports/breakdown?by=touchpoint')]],
    // Verbatims.tsx: one list of 20; with a search; the side-by-side view of a dimension (a list per perspective + the gap report).
    ['verbatims', [o('/verbatims?limit=20')]],
    ['verbatims search', [o(`/verbatims?q=${encodeURIComponent(q)}&limit=20`)]],
    [
      'verbatims by dimension',
      [o('/verbatims?perspective=customer&dimension=communication&limit=20'), o('/verbatims?perspective=leader&dimension=communication&limit=20'), o('/reports/gap')],
    ],
    ['themes', [o('/reports/themes')]],
    ['drivers', [o('/reports/drivers?outcome=excellent')]],
    ['calibration', [o('/reports/calibration?group=function')]],
    ['breakdown', [o('/reports/breakdown?by=touchpoint&dimensions=true')]],
    ['trends', [o('/reports/trend?period=month')]],
    ['benchmarks', [o('/reports/benchmarks')]],
    // Set-up (views/setup/*): surveys and each survey's definition, leader links, members, invitations, API keys, audit log, segments.
    [
      'set-up',
      [
        o('/surveys'),
        ...surveyIds.map((id) => `/api/v1/surveys/${id}`),
        o('/leader-links'),
        o('/members'),
        o('/invitations'),
        o('/api-keys'),
        o('/audit-log?limit=50'),
        o('/segments'),
        o('/contacts'),
        o('/campaigns'),
      ],
    ],
  ];
  return views.filter(([view]) => !SKIP.has(view)).flatMap(([view, paths]) => paths.map((path) => ({ view, path })));
}

// ------------------------------------------------------------------------------------------ the naive search

/** The verbatims search as a substring scan on the raw comments: the matches counted and the newest 20 read. */
async function naiveSearch(engine: Engine, url: string, q: string): Promise<{ run: () => Promise<number>; close: () => Promise<void> }> {
  const pattern = `%${q}%`;
  if (engine === 'sqlite') {
    const db = new SQLite(url, { readonly: true });
    const count = db.prepare(`SELECT count(*) AS n FROM responses WHERE org_id = ? AND comment LIKE ?`);
    const page = db.prepare(`SELECT id, submitted_at, comment FROM responses WHERE org_id = ? AND comment LIKE ? ORDER BY submitted_at DESC LIMIT 20`);
    return {
      run: async () => {
        const n = (count.get(BENCH_ORG, pattern) as { n: number }).n;
        page.all(BENCH_ORG, pattern);
        return n;
      },
      close: async () => void db.close(),
    };
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return {
    run: async () => {
      const n = Number((await c.query(`SELECT count(*) AS n FROM responses WHERE org_id = $1 AND comment ILIKE $2`, [BENCH_ORG, pattern])).rows[0].n);
      await c.query(`SELECT id, submitted_at, comment FROM responses WHERE org_id = $1 AND comment ILIKE $2 ORDER BY submitted_at DESC LIMIT 20`, [BENCH_ORG, pattern]);
      return n;
    },
    close: () => c.end(),
  };
}

// ------------------------------------------------------------------------------------------ measuring

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : NaN;
};

interface Row {
  view: string;
  path: string;
  status: number;
  bytes: number;
  coldMs: number;
  p50: number;
  p95: number;
  flags: string[];
}

async function main() {
  const t0 = performance.now();
  const copy = ENGINE === 'sqlite' ? await sqliteCopy() : await postgresCopy();
  try {
    if (!copy.current) log(`note: ${copy.source} was built for an older schema; the server migrates the copy forward`);
    // Opening the store runs the migrations (forward, on a stale copy): not part of the cold request.
    const tMig = performance.now();
    const store = await openStore(copy.url);
    const migrateMs = performance.now() - tMig;
    const user = await createUser(store.db, { email: ADMIN.email, name: 'Bench admin', password: ADMIN.password });
    await addMembership(store.db, { orgId: BENCH_ORG, userId: user.id, role: 'admin' });
    const app = await buildApp({ store, rateLimits: { surveyPerMinute: 0, surveyPerAddressPerMinute: 0, loginPerAddressPerMinute: 0 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    try {
      const auth = await logIn(port);
      const surveys = JSON.parse((await send(port, `/api/v1/organisations/${BENCH_ORG}/surveys`, auth)).body) as { surveys: { id: string }[] };
      const plan = dashboardRequests(BENCH_ORG, QUERY, surveys.surveys.map((s) => s.id));

      // Cold: each request's first serving, in the order a person opens the views; the verbatims' second
      // page right after its first, as "More" asks for it.
      const rows = new Map<string, Row>();
      for (let i = 0; i < plan.length; i++) {
        const p = plan[i]!;
        const key = `${p.view} ${p.path}`;
        const a = await send(port, p.path, auth);
        rows.set(key, { view: p.view, path: p.path, status: a.status, bytes: a.bytes, coldMs: a.ms, p50: NaN, p95: NaN, flags: [] });
        log(`  cold ${a.ms.toFixed(1).padStart(8)} ms  ${a.status}  ${p.path}`);
        const more = p.path.includes('/verbatims?') && !p.view.endsWith(', page 2') && a.status === 200 ? nextPage(p.path, a.body) : undefined;
        if (more) plan.splice(i + 1, 0, { view: `${p.view}, page 2`, path: more });
      }
      // Warm: RUNS rounds of every request (a round visits every view once), plus the HTTP floor.
      const times = new Map<string, number[]>([...rows.keys()].map((k) => [k, []]));
      const health: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        health.push((await send(port, '/healthz', {})).ms);
        for (const p of plan) {
          const key = `${p.view} ${p.path}`;
          // A request that got no answer cold is not repeated: it would only stretch the run by the timeout each round.
          if (rows.get(key)!.status) times.get(key)!.push((await send(port, p.path, auth)).ms);
        }
      }
      for (const [key, r] of rows) {
        const t = times.get(key)!;
        r.p50 = quantile(t, 0.5);
        r.p95 = quantile(t, 0.95);
        if (r.status !== 200) r.flags.push(r.status ? `HTTP ${r.status}` : `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`);
        if (r.p95 > TARGET_MS) r.flags.push(`p95 > ${TARGET_MS} ms`);
        if (r.bytes > TARGET_BYTES) r.flags.push('> 100 KB');
      }
      // The naive scan, fewer runs (it takes seconds at scale).
      const naive = await naiveSearch(ENGINE, copy.url, QUERY);
      const naiveMs: number[] = [];
      let naiveMatches = 0;
      for (let i = 0; i < Math.min(RUNS, 5); i++) {
        const s = performance.now();
        naiveMatches = await naive.run();
        naiveMs.push(performance.now() - s);
      }
      await naive.close();

      const all = [...rows.values()];
      const search = all.find((r) => r.view === 'verbatims search');
      const result = {
        date: new Date().toISOString(),
        engine: ENGINE,
        responses: N,
        seed: SEED,
        runs: RUNS,
        query: QUERY,
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg() },
        database: { source: copy.source, currentSchema: copy.current, migrateAtStartMs: Math.round(migrateMs) },
        targets: { p95Ms: TARGET_MS, bytes: TARGET_BYTES },
        baseline: {
          healthz: { p50: quantile(health, 0.5), p95: quantile(health, 0.95) },
          naiveSearch: { p50: quantile(naiveMs, 0.5), p95: quantile(naiveMs, 0.95), runs: naiveMs.length, matches: naiveMatches },
          searchSpeedup: search ? quantile(naiveMs, 0.5) / search.p50 : null,
        },
        requests: all,
        skipped: [...SKIP],
        overTarget: all.filter((r) => r.flags.length).map((r) => `${r.view}: ${shortPath(r.path)} (${r.flags.join(', ')})`),
        seconds: Math.round((performance.now() - t0) / 1000),
      };
      print(result);
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      const out = join(ROOT, 'bench', 'results', `dashboard-${ENGINE}-${N}.json`);
      writeFileSync(out, JSON.stringify(result, null, 2));
      log(`wrote ${out}`);
    } finally {
      agent.destroy();
      await app.close();
      await store.close();
    }
  } finally {
    await copy.drop();
  }
}

/** A path as the table shows it: a page cursor is long and says nothing to a reader. */
const shortPath = (path: string) => path.replace(/(cursor|after)=[^&]+/, '$1=…');
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en'));
const kb = (b: number) => (b / 1024).toFixed(1);

function print(r: {
  engine: string;
  responses: number;
  runs: number;
  query: string;
  machine: { loadavg: number[] };
  database: { currentSchema: boolean; migrateAtStartMs: number };
  baseline: { healthz: { p50: number; p95: number }; naiveSearch: { p50: number; p95: number; runs: number; matches: number }; searchSpeedup: number | null };
  skipped: string[];
  requests: Row[];
  overTarget: string[];
}) {
  const org = `/api/v1/organisations/${BENCH_ORG}`;
  console.log(
    `\nDashboard over HTTP, ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.responses.toLocaleString('en')} customer responses + 1,000 leaders; ` +
      `one request at a time, cold = first serving after start, warm = ${r.runs} rounds; load average at the end ${r.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}` +
      (r.database.currentSchema ? '' : ` (database built for an older schema, migrated forward at start in ${r.database.migrateAtStartMs} ms)`),
  );
  console.log('| view | request | status | cold ms | p50 ms | p95 ms | size KB | over target |');
  console.log('|---|---|---:|---:|---:|---:|---:|---|');
  for (const x of r.requests)
    console.log(`| ${x.view} | \`${shortPath(x.path).replace(org, '…')}\` | ${x.status} | ${ms(x.coldMs)} | ${ms(x.p50)} | ${ms(x.p95)} | ${kb(x.bytes)} | ${x.flags.join(', ') || ''} |`);
  const b = r.baseline;
  console.log(`| baseline | \`/healthz\` (HTTP floor) | 200 | | ${ms(b.healthz.p50)} | ${ms(b.healthz.p95)} | | |`);
  console.log(`| baseline | naive ${r.engine === 'sqlite' ? 'LIKE' : 'ILIKE'} '%${r.query}%' scan: count + newest 20 (${b.naiveSearch.matches.toLocaleString('en')} matches, ${b.naiveSearch.runs} runs) | | | ${ms(b.naiveSearch.p50)} | ${ms(b.naiveSearch.p95)} | | |`);
  console.log(b.searchSpeedup === null ? '\nverbatims search left out (--skip): no ratio to the naive scan' : `\nverbatims search vs the naive scan (p50): ${b.searchSpeedup.toFixed(1)}×`);
  if (r.skipped.length) console.log(`views left out: ${r.skipped.join(', ')}`);
  console.log(r.overTarget.length ? `over target (p95 ≤ ${TARGET_MS} ms warm, ≤ 100 KB): ${r.overTarget.length}\n  ${r.overTarget.join('\n  ')}` : 'every request within the targets');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

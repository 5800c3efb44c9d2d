// The benchmark's data: the reproducible history of src/sample-data/bench-history.ts (N customer responses
// and 1,000 leaders), loaded through the product's own bulk ingest (storeResponses) into SQLite and PostgreSQL,
// and written as Parquet for DuckDB. Generated databases are cached under bench/data/, keyed by size,
// seed and a fingerprint of the schema and ingest code, so a rerun only measures.
//
//   npx tsx bench/generate.ts 100000 [seed]     builds (or finds) the cached SQLite, PostgreSQL and Parquet copies
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { DuckDBInstance } from '@duckdb/node-api';
import { segmentKey } from '../src/core/survey.ts';
import { openStore, type Engine } from '../src/store/db.ts';
import { createOrganisation, replaceFramework } from '../src/store/organisations.ts';
import { surveyFor } from '../src/store/surveys.ts';
import { storeResponses, monthOf, newResponseId, type NewResponse } from '../src/store/responses.ts';
import { ALL_DIMS, BENCH_FRAMEWORK, GENERATOR_VERSION, generate, LEADERS } from '../src/sample-data/bench-history.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = join(ROOT, 'bench', 'data');
export const BENCH_ORG = 'bench';
export const INGEST_BATCH = 100_000;
export const PG_ADMIN_URL = process.env.PARALLAX_BENCH_PG_URL ?? process.env.PARALLAX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fingerprint of what shapes a stored database: the migrations (the schema) and the generator. A
 * cached database built for another schema is rebuilt rather than measured. Changing the ingest code
 * alone keeps the cache: delete bench/data/ (and the parallax_bench_* databases) to re-measure ingest.
 */
export function schemaFingerprint(): string {
  const h = createHash('sha256').update(`generator ${GENERATOR_VERSION}`);
  const migDir = join(ROOT, 'src', 'store', 'migrations');
  for (const f of readdirSync(migDir).sort()) h.update(f).update(readFileSync(join(migDir, f)));
  h.update(readFileSync(join(ROOT, 'src', 'store', 'migrations.ts')));
  return h.digest('hex').slice(0, 10);
}

export interface IngestStats {
  responses: number;
  seconds: number;
  perSecond: number;
}
export interface BuiltDatabase {
  engine: Engine;
  url: string;
  ingest: IngestStats;
  /** Bytes on disk: the SQLite file (+ WAL), or pg_database_size. */
  bytes: number;
  cached: boolean;
}

const cacheName = (size: number, seed: number) => `n${size}-s${seed}-${schemaFingerprint()}`;
const metaPath = (name: string) => join(DATA_DIR, `${name}.json`);

function readMeta(name: string): Record<string, any> {
  return existsSync(metaPath(name)) ? JSON.parse(readFileSync(metaPath(name), 'utf8')) : {};
}
function writeMeta(name: string, patch: Record<string, any>) {
  writeFileSync(metaPath(name), JSON.stringify({ ...readMeta(name), ...patch }, null, 2));
}

export const sqliteBytes = (path: string) =>
  [path, `${path}-wal`].reduce((a, p) => a + (existsSync(p) ? statSync(p).size : 0), 0);

/** Fills a freshly opened store with the history through storeResponses, timing the ingest. */
async function ingest(url: string, size: number, seed: number, log: (s: string) => void): Promise<IngestStats> {
  const store = await openStore(url);
  try {
    await createOrganisation(store.db, { id: BENCH_ORG, name: 'Benchly', industry: 'digital_entertainment_streaming' });
    await replaceFramework(store.db, BENCH_ORG, BENCH_FRAMEWORK);
    const customer = (await surveyFor(store.db, BENCH_ORG, 'customer'))!.id;
    const leader = (await surveyFor(store.db, BENCH_ORG, 'leader'))!.id;
    let done = 0;
    let busy = 0; // time inside storeResponses only: generating the rows is not ingest
    // Batches of 100,000 responses per storeResponses call (one transaction each), as an import would.
    for (const chunk of generate(size, seed, INGEST_BATCH)) {
      const rows: NewResponse[] = chunk.map((c) => ({
        orgId: BENCH_ORG,
        surveyId: c.perspective === 'customer' ? customer : leader,
        perspective: c.perspective,
        submission: c.submission,
        idempotencyKey: c.idempotencyKey,
      }));
      const t0 = performance.now();
      await storeResponses(store.db, rows);
      busy += performance.now() - t0;
      done += rows.length;
      log(`  ${store.engine}: ${done.toLocaleString('en')} / ${(size + LEADERS).toLocaleString('en')} responses, ${Math.round(done / (busy / 1000)).toLocaleString('en')}/s`);
    }
    return { responses: done, seconds: busy / 1000, perSecond: done / (busy / 1000) };
  } finally {
    await store.close();
  }
}

export async function ensureSqlite(size: number, seed: number, log: (s: string) => void = () => {}): Promise<BuiltDatabase> {
  mkdirSync(DATA_DIR, { recursive: true });
  const name = cacheName(size, seed);
  const path = join(DATA_DIR, `${name}.db`);
  const meta = readMeta(name);
  if (existsSync(path) && meta.sqlite) return { engine: 'sqlite', url: path, ingest: meta.sqlite, bytes: sqliteBytes(path), cached: true };
  // Copies of this size and seed built for another schema are stale: remove them.
  for (const f of readdirSync(DATA_DIR)) if (f.startsWith(`n${size}-s${seed}-`) && !f.startsWith(name) && !f.endsWith('.parquet')) rmSync(join(DATA_DIR, f), { force: true });
  const building = `${path}.building`;
  for (const p of [building, `${building}-wal`, `${building}-shm`]) rmSync(p, { force: true });
  log(`building SQLite ${name}…`);
  const stats = await ingest(building, size, seed, log);
  // Checkpoint the WAL into the file so its size is the database's size.
  const db = new SQLite(building);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, path);
  writeMeta(name, { sqlite: stats });
  return { engine: 'sqlite', url: path, ingest: stats, bytes: sqliteBytes(path), cached: false };
}

const pgUrl = (dbName: string) => PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);

/** Runs `fn` on a client of the PostgreSQL server's admin database, then closes it. */
export async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  c.on('error', () => {}); // errors reach the awaiting query
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function postgresReachable(): Promise<boolean> {
  try {
    await pgAdmin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

export async function pgDatabaseBytes(dbName: string): Promise<number> {
  return pgAdmin(async (c) => Number((await c.query('select pg_database_size($1) as b', [dbName])).rows[0].b));
}

export async function ensurePostgres(size: number, seed: number, log: (s: string) => void = () => {}): Promise<BuiltDatabase> {
  const name = cacheName(size, seed);
  const dbName = `parallax_bench_${name.replace(/[^a-z0-9]/g, '_')}`;
  const meta = readMeta(name);
  const exists = await pgAdmin(async (c) => (await c.query('select 1 from pg_database where datname = $1', [dbName])).rowCount! > 0);
  if (exists && meta.postgres) {
    return { engine: 'postgres', url: pgUrl(dbName), ingest: meta.postgres, bytes: await pgDatabaseBytes(dbName), cached: true };
  }
  // Bench databases of other sizes/fingerprints are stale copies: drop them only when they are ours and
  // outdated for this size and seed (other sizes stay cached).
  const prefix = `parallax_bench_n${size}_s${seed}_`;
  await pgAdmin(async (c) => {
    const stale = (await c.query('select datname from pg_database where datname like $1', [`${prefix}%`])).rows.map((r) => r.datname as string);
    for (const d of stale) await c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${dbName}`);
  });
  log(`building PostgreSQL ${dbName}…`);
  const stats = await ingest(pgUrl(dbName), size, seed, log);
  const c = new pg.Client({ connectionString: pgUrl(dbName) });
  await c.connect();
  await c.query('VACUUM ANALYZE');
  await c.end();
  writeMeta(name, { postgres: stats });
  return { engine: 'postgres', url: pgUrl(dbName), ingest: stats, bytes: await pgDatabaseBytes(dbName), cached: false };
}

/** Wide columns, one row per response: what an analyst would export for DuckDB. */
export const PARQUET_COLUMNS = ['perspective', 'month', 'touchpoint', 'region', 'plan', 'excellent', 'nps', 'csat', 'ces', 'predict_share', ...ALL_DIMS.map((d) => `d_${d}`)];

export async function ensureParquet(size: number, seed: number, log: (s: string) => void = () => {}): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  // The generator alone shapes this file, so its key does not depend on the schema.
  const path = join(DATA_DIR, `n${size}-s${seed}-g${GENERATOR_VERSION}.parquet`);
  if (existsSync(path)) return path;
  log(`writing Parquet for ${size.toLocaleString('en')} responses…`);
  const csv = `${path}.csv`;
  const out = createWriteStream(csv);
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  out.write(PARQUET_COLUMNS.join(',') + '\n');
  for (const chunk of generate(size, seed)) {
    const lines = chunk.map((c) => {
      const s = c.submission;
      const a = s.answers;
      const v = (k: string) => (a[k] === undefined ? '' : String(a[k]));
      return [
        c.perspective,
        monthOf(s.submittedAt),
        q(s.touchpoint ?? ''),
        q(s.segments.region ?? ''),
        q(s.segments.plan ?? ''),
        v('excellent'),
        v('nps'),
        v('csat'),
        v('ces'),
        v('predict:excellent_share'),
        ...ALL_DIMS.map((d) => v(`dim:${d}`)),
      ].join(',');
    });
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const types = PARQUET_COLUMNS.map((c, i) => `'${c}': '${i < 5 ? 'VARCHAR' : 'INTEGER'}'`).join(', ');
  await conn.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, columns = {${types}})) TO '${path}.tmp' (FORMAT parquet)`);
  conn.closeSync();
  renameSync(`${path}.tmp`, path);
  rmSync(csv, { force: true });
  return path;
}

/**
 * The same rows, inserted by a bare better-sqlite3 loop (prepared statements, one transaction, WAL and
 * synchronous=FULL like the product) into the product's schema without any cells: the floor that
 * storeResponses' overhead is measured against.
 */
export async function bareSqliteInsert(size: number, seed: number): Promise<IngestStats> {
  const name = cacheName(size, seed);
  const meta = readMeta(name);
  if (meta.bare) return meta.bare;
  const path = join(DATA_DIR, `${name}-bare.db`);
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
  (await openStore(path)).close(); // the product's schema, via its migrations
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.prepare(`INSERT INTO organisations (id, name, industry, min_responses, created_at) VALUES ('bare', 'Bare', 'x', 5, '2026-01-01')`).run();
  const insResp = db.prepare(
    `INSERT INTO responses (org_id, id, survey_id, perspective, respondent_id, submitted_at, month, touchpoint, segment_key, segments, comment, idempotency_key, request_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The answers as the product stores them (src/store/answers.ts): one row per response, "code=value" pairs.
  const insAns = db.prepare(`INSERT INTO answers (org_id, response_id, items) VALUES (?, ?, ?)`);
  const insItem = db.prepare(`INSERT INTO answer_items (org_id, code, item) VALUES (?, ?, ?)`);
  const codes = new Map<string, number>();
  const codeOf = (item: string) => {
    let c = codes.get(item);
    if (c === undefined) {
      codes.set(item, (c = codes.size));
      insItem.run('bare', c, item);
    }
    return c;
  };
  const now = new Date().toISOString();
  let done = 0;
  let busy = 0;
  for (const chunk of generate(size, seed, INGEST_BATCH)) {
    const t0 = performance.now();
    db.transaction(() => {
      for (const c of chunk) {
        const s = c.submission;
        const id = newResponseId();
        insResp.run('bare', id, 's', c.perspective, s.respondentId, s.submittedAt, monthOf(s.submittedAt), s.touchpoint ?? '', segmentKey(s.segments), JSON.stringify(s.segments), s.comment, c.idempotencyKey, null, now);
        const pairs = Object.entries(s.answers).map(([item, value]) => [codeOf(item), value] as const).sort((a, b) => a[0] - b[0]);
        insAns.run('bare', id, pairs.map(([c, v]) => `${c}=${v}`).join(','));
      }
    })();
    busy += performance.now() - t0;
    done += chunk.length;
  }
  db.close();
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
  const stats = { responses: done, seconds: busy / 1000, perSecond: done / (busy / 1000) };
  writeMeta(name, { bare: stats });
  return stats;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  const log = (s: string) => console.log(s);
  const s = await ensureSqlite(size, seed, log);
  console.log(`SQLite ${s.url}: ${Math.round(s.ingest.perSecond)}/s, ${(s.bytes / 1e6).toFixed(1)} MB${s.cached ? ' (cached)' : ''}`);
  if ((process.env.BENCH_ENGINES ?? 'postgres').includes('postgres') && (await postgresReachable())) {
    const p = await ensurePostgres(size, seed, log);
    console.log(`PostgreSQL ${p.url}: ${Math.round(p.ingest.perSecond)}/s, ${(p.bytes / 1e6).toFixed(1)} MB${p.cached ? ' (cached)' : ''}`);
  }
  console.log(`Parquet ${await ensureParquet(size, seed, log)}`);
  const b = await bareSqliteInsert(size, seed);
  console.log(`bare better-sqlite3: ${Math.round(b.perSecond)}/s`);
}

// Bytes per customer response, table by table, for the same data in the answers layout of migration 0010
// (one row per answer) and after migrating it in place to 0011 (one packed row per response, item codes):
// side by side in one run, with the ratio. The 0010 database is built the way main wrote it then (raw rows
// through the 0001–0010 migrations), from bench/generate.ts's customer responses; a copy is migrated by
// opening it as the product does. SQLite: dbstat per table (its indexes included) after VACUUM, and the
// file size; PostgreSQL (skipped with a line when unreachable): pg_total_relation_size after VACUUM.
// The derived tables (cells, roll-ups) are rebuilt after the migration only — 0011 does not touch them,
// so they are measured once and counted in both totals.
//
//   npx tsx bench/storage-size.ts [--responses N] [--seed S] [--no-aggregates] [--engines sqlite,postgres] [--keep]
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import { BENCH_ORG, DATA_DIR, PG_ADMIN_URL, pgAdmin, postgresReachable } from './generate.ts';
import { BENCH_FRAMEWORK, generate } from '../src/sample-data/bench-history.ts';
import { openStore } from '../src/store/db.ts';
import type { Database } from '../src/store/schema.ts';
import { createOrganisation, replaceFramework } from '../src/store/organisations.ts';
import { surveyFor } from '../src/store/surveys.ts';
import { rebuildAggregates } from '../src/store/rebuild.ts';
import { listVerbatims } from '../src/reports/verbatims.ts';
import { readAnswers } from '../src/store/answers.ts';
import { monthOf, newResponseId, storedIdempotencyKey, submissionHash } from '../src/store/responses.ts';
import { segmentKey } from '../src/core/survey.ts';
import * as m0001 from '../src/store/migrations/0001-core.ts';
import * as m0002 from '../src/store/migrations/0002-accounts.ts';
import * as m0003 from '../src/store/migrations/0003-driver-cells.ts';
import * as m0004 from '../src/store/migrations/0004-answer-rollups.ts';
import * as m0005 from '../src/store/migrations/0005-segment-value-rollups.ts';
import * as m0006 from '../src/store/migrations/0006-invitations.ts';
import * as m0007 from '../src/store/migrations/0007-segment-declarations.ts';
import * as m0008 from '../src/store/migrations/0008-leader-links.ts';
import * as m0009 from '../src/store/migrations/0009-audit-log.ts';
import * as m0010 from '../src/store/migrations/0010-idempotency-per-survey.ts';

// ------------------------------------------------------------------------------------------- options

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function intOption(name: string, fallback: number, max: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name}: a whole number from 1 to ${max}, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}
const N = intOption('responses', 200_000, 50_000_000);
const SEED = intOption('seed', 1, 2 ** 31 - 1);
/** Whether the derived tables are rebuilt and counted (off by --no-aggregates, or when the rebuild fails). */
let AGGREGATES = !process.argv.includes('--no-aggregates');
const ENGINES = (option('engines') ?? 'sqlite,postgres').split(',');
/** Keep the built databases (both layouts) for a closer look, instead of removing them. */
const KEEP = process.argv.includes('--keep');
const log = (s: string) => console.log(s);

// ------------------------------------------------------------------------- the database at 0010

/** The migrations as main had them at 0010, under the names src/store/migrations.ts records. */
const AT_0010: Record<string, Migration> = {
  '0001_core': m0001, '0002_accounts': m0002, '0003_driver_cells': m0003, '0004_answer_rollups': m0004,
  '0005_segment_value_rollups': m0005, '0006_invitations': m0006, '0007_segment_declarations': m0007,
  '0008_leader_links': m0008, '0009_audit_log': m0009, '0010_idempotency_per_survey': m0010,
};

/** Schema at 0010 and the benchmark organisation (its framework is set after the migration: today's code needs later tables). */
async function schemaAt0010(db: Kysely<any>): Promise<{ customer: string }> {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => AT_0010 }, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error;
  await createOrganisation(db as Kysely<Database>, { id: BENCH_ORG, name: 'Benchly', industry: 'digital_entertainment_streaming' });
  return { customer: (await surveyFor(db as Kysely<Database>, BENCH_ORG, 'customer'))!.id };
}

/** The customer responses as main stored them at 0010: response rows, and answer rows [response id, item, value]. */
function* rawRows(surveyId: string): Generator<{ responses: unknown[][]; answers: [string, string, number][] }> {
  const now = new Date().toISOString();
  for (const chunk of generate(N, SEED, 20_000)) {
    const responses: unknown[][] = [];
    const answers: [string, string, number][] = [];
    for (const c of chunk) {
      if (c.perspective !== 'customer') continue;
      const s = c.submission;
      const id = newResponseId();
      responses.push([BENCH_ORG, id, surveyId, 'customer', s.respondentId, s.submittedAt, monthOf(s.submittedAt), s.touchpoint ?? '', segmentKey(s.segments), JSON.stringify(s.segments), s.comment, storedIdempotencyKey({ surveyId, idempotencyKey: c.idempotencyKey }), submissionHash(s), now]);
      for (const item in s.answers) answers.push([id, item, s.answers[item]!]);
    }
    if (responses.length) yield { responses, answers };
  }
}

const RESPONSE_COLUMNS = ['org_id', 'id', 'survey_id', 'perspective', 'respondent_id', 'submitted_at', 'month', 'touchpoint', 'segment_key', 'segments', 'comment', 'idempotency_key', 'request_hash', 'created_at'];

/** Answers per response, counted while building. */
let answersWritten = 0;

// ---------------------------------------------------------------------------------------- measuring

interface Sizes {
  /** table → bytes (its indexes included) */
  tables: Map<string, number>;
  /** the responses table's own b-tree/heap and each of its indexes → bytes (where its bytes go) */
  responseParts: Map<string, number>;
  /** the SQLite file, or pg_database_size */
  whole: number;
}

const AGGREGATE_TABLES = ['answer_cells', 'answer_rollups', 'driver_cells', 'driver_rollups'];
const RAW_TABLES = ['responses', 'answers', 'answer_items'];

function sqliteSizes(path: string): Sizes {
  const db = new SQLite(path);
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const owner = new Map((db.prepare(`SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')`).all() as { name: string; tbl_name: string }[]).map((r) => [r.name, r.tbl_name]));
    const tables = new Map<string, number>();
    const responseParts = new Map<string, number>();
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      const t = owner.get(r.name) ?? r.name;
      tables.set(t, (tables.get(t) ?? 0) + r.bytes);
      if (t === 'responses') responseParts.set(r.name, r.bytes);
    }
    return { tables, responseParts, whole: statSync(path).size };
  } finally {
    db.close();
  }
}

async function postgresSizes(url: string, dbName: string): Promise<Sizes> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('VACUUM ANALYZE');
    const rows = (await c.query(`SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'`)).rows;
    const whole = Number((await c.query('SELECT pg_database_size($1) AS b', [dbName])).rows[0].b);
    const parts = (
      await c.query(
        `SELECT 'responses (heap and TOAST)' AS name, pg_table_size('responses') AS bytes
         UNION ALL SELECT i.indexrelid::regclass::text, pg_relation_size(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'responses'::regclass`,
      )
    ).rows;
    return { tables: new Map(rows.map((r) => [r.name as string, Number(r.bytes)])), responseParts: new Map(parts.map((r) => [r.name as string, Number(r.bytes)])), whole };
  } finally {
    await c.end();
  }
}

function report(engine: string, before: Sizes, after: Sizes, migrationSeconds: number): void {
  const per = (b: number) => b / N;
  const fmt = (b: number | undefined) => (b === undefined ? '—' : per(b).toFixed(1)).padStart(10);
  const ratio = (a: number, b: number) => (a > 0 ? `${(b / a).toFixed(3)}×` : '');
  const sum = (s: Sizes, names: string[]) => names.reduce((t, n) => t + (s.tables.get(n) ?? 0), 0);
  log(`\n${engine}: bytes per customer response, ${N.toLocaleString('en')} responses, ${(answersWritten / N).toFixed(2)} answers each; migration 0011 took ${migrationSeconds.toFixed(1)} s`);
  log(`${'table'.padEnd(26)}${'at 0010'.padStart(10)}${'at 0011'.padStart(10)}   ratio`);
  for (const t of RAW_TABLES) log(`${t.padEnd(26)}${fmt(before.tables.get(t))}${fmt(after.tables.get(t))}   ${ratio(before.tables.get(t) ?? 0, after.tables.get(t) ?? 0)}`);
  const rawBefore = sum(before, RAW_TABLES);
  const rawAfter = sum(after, RAW_TABLES);
  log(`${'raw data (the above)'.padEnd(26)}${fmt(rawBefore)}${fmt(rawAfter)}   ${ratio(rawBefore, rawAfter)}`);
  const others = (s: Sizes) => [...s.tables].filter(([n]) => !RAW_TABLES.includes(n) && !AGGREGATE_TABLES.includes(n)).reduce((t, [, b]) => t + b, 0);
  log(`${'other tables'.padEnd(26)}${fmt(others(before))}${fmt(others(after))}`);
  if (AGGREGATES) {
    // Rebuilt after the migration only; 0011 leaves them as they are, so both layouts carry the same.
    const agg = sum(after, AGGREGATE_TABLES);
    for (const t of AGGREGATE_TABLES) log(`${`${t} (both)`.padEnd(26)}${fmt(after.tables.get(t))}${fmt(after.tables.get(t))}`);
    const totalBefore = rawBefore + others(before) + agg;
    const totalAfter = rawAfter + others(after) + agg;
    log(`${'total'.padEnd(26)}${fmt(totalBefore)}${fmt(totalAfter)}   ${ratio(totalBefore, totalAfter)}`);
  } else {
    log(`${'total (no aggregates)'.padEnd(26)}${fmt(rawBefore + others(before))}${fmt(rawAfter + others(after))}   ${ratio(rawBefore + others(before), rawAfter + others(after))}`);
  }
  // Where the responses table's bytes go (unchanged by 0011): what a further layout change would work on.
  log(`  responses, by b-tree: ${[...after.responseParts].map(([n, b]) => `${n} ${per(b).toFixed(1)}`).join(', ')}`);
  log(`${(engine === 'SQLite' ? 'file after VACUUM' : 'pg_database_size').padEnd(26)}${fmt(before.whole)}${fmt(after.whole)}   (0010 side${AGGREGATES ? ' without aggregates' : ''})`);
}

/** Opens the copy as the product does (migrations run), times the migration, rebuilds the aggregates. */
async function migrateCopy(url: string): Promise<number> {
  const t0 = performance.now();
  const store = await openStore(url);
  const seconds = (performance.now() - t0) / 1000;
  try {
    if (AGGREGATES) {
      try {
        await replaceFramework(store.db, BENCH_ORG, BENCH_FRAMEWORK);
        const t1 = performance.now();
        await rebuildAggregates(store.db, BENCH_ORG);
        log(`  aggregates rebuilt in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
        // The readers that join the packed answers, timed on the migrated copy (median of 5 after a warm-up).
        const time = async (fn: () => Promise<unknown>) => {
          await fn();
          const ms: number[] = [];
          for (let i = 0; i < 5; i++) {
            const t = performance.now();
            await fn();
            ms.push(performance.now() - t);
          }
          return ms.sort((a, b) => a - b)[2]!.toFixed(1);
        };
        const verbatims = await time(() => listVerbatims(store.db, BENCH_ORG, 5, { filters: {}, dimension: 'understanding', limit: 50, offset: 100 }));
        const page = (await store.db.selectFrom('responses').select('id').where('org_id', '=', BENCH_ORG).orderBy('id').limit(2000).execute()).map((r) => r.id);
        const answers = await time(() => readAnswers(store.db, BENCH_ORG, page));
        log(`  readers at 0011: verbatims with a dimension filter (count + page 3) ${verbatims} ms; readAnswers of 2,000 responses ${answers} ms`);
      } catch (err) {
        // The raw tables are what this bench is for: a failing rebuild only leaves the derived ones out.
        log(`  the aggregates could not be rebuilt (${err instanceof Error ? err.message : String(err)}): measured without them`);
        AGGREGATES = false;
      }
    }
  } finally {
    await store.close();
  }
  return seconds;
}

// ------------------------------------------------------------------------------------------ engines

async function runSqlite(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `size-n${N}-s${SEED}-0010.db`);
  const migrated = join(DATA_DIR, `size-n${N}-s${SEED}-0011.db`);
  const remove = (p: string) => ['', '-wal', '-shm'].forEach((s) => rmSync(p + s, { force: true }));
  remove(path);
  remove(migrated);
  log(`SQLite: building ${N.toLocaleString('en')} responses at 0010…`);
  const k = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(path) }) });
  const { customer } = await schemaAt0010(k);
  await k.destroy();
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // building, not measuring durability
  const insResponse = db.prepare(`INSERT INTO responses (${RESPONSE_COLUMNS.join(', ')}) VALUES (${RESPONSE_COLUMNS.map(() => '?').join(', ')})`);
  const insAnswer = db.prepare(`INSERT INTO answers (org_id, response_id, item, value) VALUES (?, ?, ?, ?)`);
  answersWritten = 0;
  for (const { responses, answers } of rawRows(customer)) {
    db.transaction(() => {
      for (const r of responses) insResponse.run(...r);
      for (const [id, item, value] of answers) insAnswer.run(BENCH_ORG, id, item, value);
    })();
    answersWritten += answers.length;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  copyFileSync(path, migrated);
  const before = sqliteSizes(path);
  log('SQLite: migrating a copy to 0011…');
  const seconds = await migrateCopy(migrated);
  report('SQLite', before, sqliteSizes(migrated), seconds);
  if (KEEP) log(`kept: ${path} (0010), ${migrated} (0011)`);
  else {
    remove(path);
    remove(migrated);
  }
}

async function runPostgres(): Promise<void> {
  if (!(await postgresReachable())) {
    log(`\nPostgreSQL: not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}, skipped`);
    return;
  }
  const name0 = `parallax_size_n${N}_s${SEED}_0010`;
  const name1 = `parallax_size_n${N}_s${SEED}_0011`;
  const urlOf = (d: string) => PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${d}$1`);
  await pgAdmin(async (c) => {
    for (const d of [name0, name1]) await c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name0}`);
  });
  try {
    log(`\nPostgreSQL: building ${N.toLocaleString('en')} responses at 0010…`);
    const pool = new pg.Pool({ connectionString: urlOf(name0), max: 1 });
    pool.on('error', () => {}); // errors reach the awaiting query
    const k = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    const { customer } = await schemaAt0010(k);
    await k.destroy();
    const c = new pg.Client({ connectionString: urlOf(name0) });
    await c.connect();
    answersWritten = 0;
    const responseArrays = RESPONSE_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ');
    for (const { responses, answers } of rawRows(customer)) {
      await c.query('BEGIN');
      await c.query(`INSERT INTO responses (${RESPONSE_COLUMNS.join(', ')}) SELECT * FROM unnest(${responseArrays})`, RESPONSE_COLUMNS.map((_, j) => responses.map((r) => r[j])));
      await c.query(`INSERT INTO answers (org_id, response_id, item, value) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`, [BENCH_ORG, answers.map((a) => a[0]), answers.map((a) => a[1]), answers.map((a) => a[2])]);
      await c.query('COMMIT');
      answersWritten += answers.length;
    }
    await c.end();
    const before = await postgresSizes(urlOf(name0), name0);
    await pgAdmin((a) => a.query(`CREATE DATABASE ${name1} TEMPLATE ${name0}`));
    log('PostgreSQL: migrating a copy to 0011…');
    const seconds = await migrateCopy(urlOf(name1));
    report('PostgreSQL', before, await postgresSizes(urlOf(name1), name1), seconds);
  } finally {
    if (KEEP) log(`kept: PostgreSQL databases ${name0} (0010), ${name1} (0011)`);
    else {
      await pgAdmin(async (a) => {
        for (const d of [name0, name1]) await a.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
      });
    }
  }
}

if (ENGINES.includes('sqlite')) await runSqlite();
if (ENGINES.includes('postgres')) await runPostgres();

// `npm run bench:ingest`: HTTP ingest of complete customer responses (13 answers, a touchpoint, two
// declared segments, a comment, each with its own Idempotency-Key) through the real server — buildApp on
// 127.0.0.1, SQLite file in bench/tmp/ and PostgreSQL when reachable — with group commit off and on, side
// by side in one run with a naive Fastify route that does one durable better-sqlite3 INSERT per request
// (WAL, synchronous=FULL), the baseline the ratios are taken against. Rate limits off.
//
// The load runs in a worker thread (its own event loop, so it does not take the servers' CPU turns in the
// main thread): N keep-alive connections, each sending its next request when the last is answered, for a
// fixed duration. Prints responses/s, p50 and p99 latency and the ratio to the naive route at the same
// number of connections, and checks that every acknowledged response is stored once.
//
// Environment: BENCH_INGEST_SECONDS (5, at most 10), BENCH_INGEST_CONNECTIONS (10,50), BENCH_ENGINES
// (sqlite,postgres), BENCH_INGEST_GROUP_COMMIT (off,on), PARALLAX_BENCH_PG_URL (an admin URL; the bench creates and drops its own database).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { countResponses } from '../src/store/responses.ts';
import { foldPending } from '../src/store/fold-queue.ts';
import { getSurvey } from '../src/store/surveys.ts';
import { replaceSegmentDeclarations } from '../src/store/segments.ts';
import { makeOrg } from '../test/fixtures.ts';
import { PG_ADMIN_URL, ROOT, pgAdmin, postgresReachable } from './generate.ts';

const SECONDS = Math.min(10, Number(process.env.BENCH_INGEST_SECONDS) || 5);
const CONNECTIONS = (process.env.BENCH_INGEST_CONNECTIONS ?? '10,50').split(',').map(Number).filter((n) => n > 0);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const MODES = (process.env.BENCH_INGEST_GROUP_COMMIT ?? 'off,on').split(',').map((m) => m.trim() === 'on');
const TMP = join(ROOT, 'bench', 'tmp');
const NO_RATE_LIMITS = { surveyPerMinute: 0, surveyPerAddressPerMinute: 0, loginPerAddressPerMinute: 0 };

/** What the load worker needs to build each request's body. */
interface Shape {
  scales: [string, number, number][];
  touchpoints: string[];
  segments: Record<string, string[]>;
}

interface LoadResult {
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  seconds: number;
  p50: number;
  p99: number;
}

// The load driver, as plain JavaScript for a worker thread (no TypeScript loader needed there).
const DRIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, path, connections, seconds, shape, prefix } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const lat = [];
const statuses = {};
let ok = 0, failed = 0, n = 0;
function body(i) {
  const answers = {};
  shape.scales.forEach(([k, lo, hi], j) => { answers[k] = lo + ((i * 7 + j * 3) % (hi - lo + 1)); });
  const segments = {};
  for (const [k, vs] of Object.entries(shape.segments)) segments[k] = vs[i % vs.length];
  return JSON.stringify({ answers, touchpoint: shape.touchpoints[i % shape.touchpoints.length], segments, comment: 'load test comment ' + i });
}
function send(i) {
  const payload = body(i);
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'idempotency-key': prefix + '-' + i } }, (res) => {
      res.resume();
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode === 200 || res.statusCode === 201) { ok++; lat.push(ms); } else failed++;
        resolve();
      });
    });
    req.on('error', () => { statuses.network = (statuses.network || 0) + 1; failed++; resolve(); });
    req.end(payload);
  });
}
(async () => {
  const start = Date.now();
  const end = start + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => { while (Date.now() < end) await send(n++); }));
  const took = (Date.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
  agent.destroy();
  parentPort.postMessage({ ok, failed, statuses, seconds: took, p50: q(0.5), p99: q(0.99) });
})();
`;

function drive(port: number, path: string, connections: number, shape: Shape, prefix: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(DRIVER, { eval: true, workerData: { port, path, connections, seconds: SECONDS, shape, prefix } });
    w.once('message', (m: LoadResult) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

/** The baseline: one durable INSERT of the request body per request, nothing else. */
async function naiveServer(file: string): Promise<{ app: FastifyInstance; port: number; count: () => number }> {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table responses (id integer primary key, idempotency_key text unique, body text not null, created_at text not null)');
  const insert = db.prepare('insert into responses (idempotency_key, body, created_at) values (?, ?, ?)');
  const app = Fastify({ logger: false });
  app.post('/r', async (req, reply) => {
    const info = insert.run(req.headers['idempotency-key'] ?? null, JSON.stringify(req.body), new Date().toISOString());
    return reply.code(201).send({ id: Number(info.lastInsertRowid), created: true });
  });
  app.addHook('onClose', async () => {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { app, port, count: () => (db.prepare('select count(*) as n from responses').get() as { n: number }).n };
}

/** A fresh database per engine: its URL and how to remove it. */
async function freshDatabase(engine: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const file = join(TMP, 'ingest-http.db');
    const clean = () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
    clean();
    return { url: file, drop: async () => clean() };
  }
  const name = 'parallax_bench_ingest_http';
  await pgAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => pgAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}

/** An organisation with two declared public segments; the body shape of its complete customer response. */
async function benchOrg(store: Store): Promise<{ orgId: string; surveyId: string; shape: Shape }> {
  const f = await makeOrg(store);
  const segments = { region: ['EMEA', 'APAC', 'LATAM'], plan: ['basic', 'pro'] };
  await replaceSegmentDeclarations(
    store.db,
    f.org.id,
    Object.entries(segments).map(([key, values]) => ({ key, label: key, public: true, kind: 'values' as const, values: values.map((v) => ({ value: v, label: v })) })),
  );
  const survey = (await getSurvey(store.db, f.customerSurvey))!;
  const scales = survey.definition.questions
    .filter((q) => q.kind !== 'touchpoint' && q.kind !== 'text' && q.kind !== 'predict_share')
    .map((q) => [q.key, q.min!, q.max!] as [string, number, number]);
  const touchpoints = survey.definition.questions.find((q) => q.kind === 'touchpoint')!.options!.map((o) => o.value);
  return { orgId: f.org.id, surveyId: f.customerSurvey, shape: { scales, touchpoints, segments } };
}

/** Write transactions that stored the organisation's responses: a batch stamps its rows with one created_at. */
async function transactions(store: Store, orgId: string): Promise<number> {
  return (await store.db.selectFrom('responses').select('created_at').distinct().where('org_id', '=', orgId).execute()).length;
}

/** Responses still queued for folding (fold-queue.ts) when the load stops, and how long folding them takes. */
async function drainFolds(store: Store, orgId: string): Promise<{ queued: number; ms: number }> {
  const row = await store.db.selectFrom('fold_queue').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst();
  const t0 = performance.now();
  await foldPending(store.db, orgId);
  return { queued: Number(row?.n ?? 0), ms: performance.now() - t0 };
}

interface Row {
  route: string;
  connections: number;
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  ratio?: number;
  /** Responses stored per write transaction (the group commit's batch size). */
  perTransaction?: number;
  /** Responses not yet folded into the aggregates when the load stopped, and the time to fold them. */
  queuedAtEnd?: number;
  drainMs?: number;
}

async function main() {
  mkdirSync(TMP, { recursive: true });
  const rows: Row[] = [];
  const row = (route: string, connections: number, r: LoadResult): Row => ({ route, connections, perSecond: r.ok / r.seconds, p50: r.p50, p99: r.p99, failed: r.failed });

  const naive = await naiveServer(join(TMP, 'ingest-naive.db'));
  const engines = [];
  for (const e of ENGINES) if (e === 'sqlite' || (e === 'postgres' && (await postgresReachable()))) engines.push(e);
  const naiveAt = new Map<number, number>();

  for (const engine of engines) {
    const fresh = await freshDatabase(engine);
    const store = await openStore(fresh.url);
    try {
      for (const groupCommit of MODES) {
        const app = await buildApp({ store, rateLimits: NO_RATE_LIMITS, groupCommit });
        await app.listen({ port: 0, host: '127.0.0.1' });
        const port = (app.server.address() as { port: number }).port;
        for (const connections of CONNECTIONS) {
          const org = await benchOrg(store); // a fresh organisation per run: each starts from empty cells
          if (!naiveAt.has(connections)) {
            const r = row('naive INSERT (SQLite)', connections, await drive(naive.port, '/r', connections, org.shape, `naive-${connections}`));
            naiveAt.set(connections, r.perSecond);
            rows.push(r);
            console.log(fmt(r));
          }
          const label = `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, group commit ${groupCommit ? 'on' : 'off'}`;
          const result = await drive(port, `/api/v1/surveys/${org.surveyId}/responses`, connections, org.shape, `${engine}-${groupCommit}-${connections}`);
          const r: Row = { ...row(label, connections, result), ratio: result.ok / result.seconds / naiveAt.get(connections)! };
          rows.push(r);
          console.log(fmt(r));
          r.perTransaction = result.ok / Math.max(1, await transactions(store, org.orgId));
          const drain = await drainFolds(store, org.orgId);
          r.queuedAtEnd = drain.queued;
          r.drainMs = drain.ms;
          console.log(`  ${r.perTransaction.toFixed(1)} responses per transaction; ${drain.queued} still queued for folding at the end, folded in ${drain.ms.toFixed(0)} ms`);
          const storedCount = (await countResponses(store.db, org.orgId)).customer;
          if (storedCount !== result.ok) console.log(`  !! ${result.ok} acknowledged, ${storedCount} stored`);
          if (result.failed) console.log(`  statuses: ${JSON.stringify(result.statuses)}`);
        }
        await app.close();
      }
    } finally {
      await store.close();
      await fresh.drop();
    }
  }
  await naive.app.close();

  console.log(`\nHTTP ingest, complete customer responses, ${SECONDS} s per run, loopback`);
  console.log('| route | connections | responses/s | p50 ms | p99 ms | vs naive | responses per transaction | queued at end (fold ms) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.route} | ${r.connections} | ${Math.round(r.perSecond).toLocaleString('en')} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.ratio === undefined ? '1×' : `${r.ratio.toFixed(2)}×`} | ${r.perTransaction === undefined ? '' : r.perTransaction.toFixed(1)} | ${r.queuedAtEnd === undefined ? '' : `${r.queuedAtEnd} (${r.drainMs!.toFixed(0)})`} |`,
    );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'ingest-http.json'), JSON.stringify({ seconds: SECONDS, at: new Date().toISOString(), rows }, null, 2));
}

const fmt = (r: Row) =>
  `${r.route.padEnd(34)} ${String(r.connections).padStart(3)} conn  ${Math.round(r.perSecond).toString().padStart(6)}/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms${r.ratio === undefined ? '' : `  ${r.ratio.toFixed(2)}× naive`}${r.failed ? `  (${r.failed} failed)` : ''}`;

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

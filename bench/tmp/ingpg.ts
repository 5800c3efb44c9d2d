import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from '/work/main/src/store/migrations.ts';
import { createOrganisation, replaceFramework } from '/work/main/src/store/organisations.ts';
import { surveyFor } from '/work/main/src/store/surveys.ts';
import { storeResponses } from '/work/main/src/store/responses.ts';
import { generate, BENCH_FRAMEWORK } from '/work/main/bench/generate.ts';
const stats = new Map<string, [number, number]>();
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/parallax_bench_scratch' });
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => { const k = e.query.sql.slice(0, 60); const s = stats.get(k) ?? [0, 0]; s[0]++; s[1] += e.queryDurationMillis; stats.set(k, s); } });
await migrateToLatest(db);
await createOrganisation(db, { id: 'bench', name: 'B', industry: 'x' });
await replaceFramework(db, 'bench', BENCH_FRAMEWORK);
const c = (await surveyFor(db, 'bench', 'customer'))!.id;
const n = Number(process.argv[2] ?? 20000);
let busy = 0;
for (const chunk of generate(n, 7)) {
  const rows = chunk.map((x) => ({ orgId: 'bench', surveyId: c, perspective: x.perspective, submission: x.submission, idempotencyKey: x.idempotencyKey }));
  const t0 = performance.now();
  await storeResponses(db, rows);
  busy += performance.now() - t0;
}
console.log('rate', Math.round((n + 1000) / (busy / 1000)));
for (const [k, [cnt, ms]] of [...stats].sort((a, b) => b[1][1] - a[1][1]).slice(0, 8)) console.log(cnt, Math.round(ms), k);
await db.destroy();

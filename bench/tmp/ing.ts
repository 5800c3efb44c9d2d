import { rmSync } from 'node:fs';
import { openStore } from '/work/main/src/store/db.ts';
import { createOrganisation, replaceFramework } from '/work/main/src/store/organisations.ts';
import { surveyFor } from '/work/main/src/store/surveys.ts';
import { storeResponses } from '/work/main/src/store/responses.ts';
import { generate, BENCH_FRAMEWORK } from '/work/main/bench/generate.ts';
const url = process.argv[2] ?? "/tmp/prof/x.db"; if (url.endsWith("/postgres")) throw new Error("not the admin db");
if (!url.startsWith('postgres')) for (const p of [url, url+'-wal', url+'-shm']) rmSync(p, { force: true });
const store = await openStore(url);
await createOrganisation(store.db, { id: 'bench', name: 'B', industry: 'x' });
await replaceFramework(store.db, 'bench', BENCH_FRAMEWORK);
const c = (await surveyFor(store.db, 'bench', 'customer'))!.id;
const n = Number(process.argv[3] ?? 20000);
let busy = 0;
for (const chunk of generate(n, 7)) {
  const rows = chunk.map((x) => ({ orgId: 'bench', surveyId: c, perspective: x.perspective, submission: x.submission, idempotencyKey: x.idempotencyKey }));
  const t0 = performance.now();
  await storeResponses(store.db, rows);
  busy += performance.now() - t0;
}
console.log('rate', Math.round((n + 1000) / (busy / 1000)));
await store.close();

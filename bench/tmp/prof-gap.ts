import { openStore } from '/work/main/src/store/db.ts';
import { gapReportFor } from '/work/main/src/store/reports.ts';
import * as a from '/work/main/src/store/analytics.ts';
const store = await openStore(process.argv[2]!);
const db = store.db; const O = 'bench';
const which = process.argv[3] ?? 'gap';
for (let i = 0; i < 30; i++) which === 'gap' ? await gapReportFor(db, O, {}) : await a.trendFor(db, O, {}, 'month');
await store.close();

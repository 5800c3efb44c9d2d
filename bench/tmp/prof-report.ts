import { openStore } from '/work/main/src/store/db.ts';
import { gapReportFor } from '/work/main/src/store/reports.ts';
import * as a from '/work/main/src/store/analytics.ts';
const store = await openStore(process.argv[2]!);
const db = store.db; const O = 'bench';
const f = {};
async function full() {
  await Promise.all([gapReportFor(db, O, f), a.trendFor(db, O, f, 'month'), a.breakdownFor(db, O, f, 'segment:region', true), a.driversFor(db, O, f, 'nps'), a.driversFor(db, O, f, 'excellent')]);
}
await full();
const t: Record<string, number> = {};
const time = async (k: string, fn: () => Promise<unknown>) => { const t0 = performance.now(); for (let i = 0; i < 3; i++) await fn(); t[k] = (performance.now() - t0) / 3; };
await time('ctx', () => a.reportContext(db, O));
await time('gap', () => gapReportFor(db, O, f));
await time('trend', () => a.trendFor(db, O, f, 'month'));
await time('trendSeg', () => a.trendFor(db, O, { segments: { region: ['EMEA'] } }, 'month'));
await time('breakdown', () => a.breakdownFor(db, O, f, 'segment:region', true));
await time('drivers', () => a.driversFor(db, O, f, 'nps'));
console.log(t);
await store.close();

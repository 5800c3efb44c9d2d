import { openStore } from '/work/main/src/store/db.ts';
import * as a from '/work/main/src/store/analytics.ts';
const store = await openStore(process.argv[2]!);
await a.calibrationFor(store.db, 'bench', {}, 'function');
const t0 = performance.now();
for (let i = 0; i < 5; i++) await a.calibrationFor(store.db, 'bench', {}, 'function');
console.log('calibration', ((performance.now() - t0) / 5).toFixed(1), 'ms');
await store.close();

import { openStore } from '/work/main/src/store/db.ts';
import * as a from '/work/main/src/store/analytics.ts';
const store = await openStore(process.argv[2]!);
const ctx = (await a.reportContext(store.db, 'bench'))!;
for (const [f, b] of [[{}, []], [{}, ['segment:region']], [{}, ['month']], [{ touchpoints: ['billing'] }, []]] as const) {
  const c = a.customerCut(ctx, f as any, b as any);
  console.log(JSON.stringify(f), b, 'visible', c.visible, c.reason, 'scope', Object.fromEntries(Object.entries(c.scope).map(([k, v]) => [k, (v as string[]).length])), 'withheld', c.withheldRespondents);
}
await store.close();

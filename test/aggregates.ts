// The derived tables of an organisation (answer_cells, answer_rollups, driver_cells, driver_rollups)
// recomputed from its responses and answers alone, and compared with what is stored: the oracle of the
// roll-up, erasure and rebuild tests (src/store/rollups.test.ts, src/store/erasure.test.ts). Live
// submissions reach the derived tables when folded (fold-queue.ts): `stored` folds first.
import { expect } from 'vitest';
import { getFramework } from '../src/store/organisations.ts';
import { ANSWER_GRAINS, DRIVER_GRAINS } from '../src/store/rollups.ts';
import { driverSignature, predictorItems } from '../src/store/driver-cells.ts';
import type { Store } from '../src/store/db.ts';
import { foldPending } from '../src/store/fold-queue.ts';

/** A row key with the summed column last: [...key, total]. */
type Row = (string | number)[];
const canon = (rows: Row[]) => rows.map((r) => r.map(String).join('|')).sort();

function sumInto(out: Map<string, Row>, key: (string | number)[], by: number) {
  const k = key.join('\u0000');
  const row = out.get(k);
  if (row) (row[row.length - 1] as number) += by;
  else out.set(k, [...key, by]);
}

/** Everything the cells should hold, recomputed from the responses and answers tables alone. */
export async function recompute(store: Store, orgId: string) {
  const { db } = store;
  const responses = await db.selectFrom('responses').selectAll().where('org_id', '=', orgId).execute();
  // The packed layout of migration 0011, decoded here on its own ("code=value,…" + the item dictionary).
  const itemOf = new Map((await db.selectFrom('answer_items').select(['code', 'item']).where('org_id', '=', orgId).execute()).map((c) => [Number(c.code), c.item]));
  const answers = await db.selectFrom('answers').select(['response_id', 'items']).where('org_id', '=', orgId).execute();
  const byResponse = new Map<string, Record<string, number>>(responses.map((r) => [r.id, {}]));
  for (const a of answers) for (const [code, value] of a.items.split(',').map((p) => p.split('='))) byResponse.get(a.response_id)![itemOf.get(Number(code))!] = Number(value);

  const cells = new Map<string, Row>();
  for (const r of responses) {
    const base = [orgId, r.perspective, r.month, r.touchpoint, r.segment_key];
    sumInto(cells, [...base, '*', 0], 1);
    for (const [item, value] of Object.entries(byResponse.get(r.id)!)) sumInto(cells, [...base, item, value], 1);
  }
  const answerRollups = new Map<string, Row>();
  for (const [org, perspective, month, tp, seg, item, value, count] of cells.values()) {
    for (const g of ANSWER_GRAINS) {
      // 'v' grains: one row per segment value of the combination.
      const segs = g.includes('v') ? (seg === '' ? [] : String(seg).split(';')) : [g.includes('s') ? seg! : ''];
      for (const s of segs) {
        const key = [org!, g, perspective!, g.includes('t') ? tp! : '', s, g.includes('m') ? month! : '', item!, value!];
        sumInto(answerRollups, key, count as number);
      }
    }
  }

  // Driver cells: n, Σx, Σx·x per answered set (the dimensions left unanswered, `missing`) over the
  // dimensions answered and the outcome: complete cases under '', others when they rated at least two.
  const dims = (await getFramework(db, orgId)).filter((d) => d.customerItem !== null).map((d) => d.key);
  const predictors = predictorItems(dims);
  const signature = driverSignature(predictors);
  const drivers = new Map<string, Row>();
  for (const r of responses) {
    if (r.perspective !== 'customer') continue;
    const a = byResponse.get(r.id)!;
    const answered = predictors.filter((p) => a[p] !== undefined);
    if (answered.length < predictors.length && answered.length < 2) continue;
    const missing = predictors.filter((p) => a[p] === undefined).join(',');
    for (const model of ['excellent', 'nps']) {
      if (a[model] === undefined) continue;
      const vars = [...answered, model].sort();
      const base = [orgId, model, signature, r.month, r.touchpoint, r.segment_key, missing];
      sumInto(drivers, [...base, '', ''], 1);
      vars.forEach((v, i) => {
        sumInto(drivers, [...base, v, ''], a[v]!);
        for (const w of vars.slice(i)) sumInto(drivers, [...base, v, w], a[v]! * a[w]!);
      });
    }
  }
  const driverRollups = new Map<string, Row>();
  for (const [org, model, sig, month, tp, seg, missing, ia, ib, total] of drivers.values()) {
    for (const g of DRIVER_GRAINS) {
      sumInto(driverRollups, [org!, g, model!, sig!, g.includes('t') ? tp! : '', g.includes('s') ? seg! : '', g.includes('m') ? month! : '', missing!, ia!, ib!], total as number);
    }
  }
  return { cells: [...cells.values()], answerRollups: [...answerRollups.values()], drivers: [...drivers.values()], driverRollups: [...driverRollups.values()] };
}

/**
 * Packed driver rows (migration 0030: vars, n, Σx in vars order, Σx·y over the upper triangle row by row),
 * decoded here on their own into one row per item pair: [...key, item_a, item_b, total].
 */
export function unpacked(rows: Record<string, unknown>[], key: string[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const base = key.map((c) => String(r[c]));
    const vars = String(r.vars).split(',');
    const sums = String(r.sums).split(',').map(Number);
    const products = String(r.products).split(',').map(Number);
    out.push([...base, '', '', Number(r.n)]);
    let t = 0;
    vars.forEach((v, i) => {
      out.push([...base, v, '', sums[i]!]);
      for (const w of vars.slice(i)) out.push([...base, v, w, products[t++]!]);
    });
    expect(t).toBe(products.length);
  }
  return out;
}

/** What the derived tables hold once the responses queued for folding are folded, as every report reads them. */
export async function stored(store: Store, orgId: string) {
  const { db } = store;
  await foldPending(db, orgId);
  const num = (rows: Record<string, unknown>[], cols: string[]) => rows.map((r) => cols.map((c) => (typeof r[c] === 'string' ? (r[c] as string) : Number(r[c]))));
  const q = (table: 'answer_cells' | 'answer_rollups' | 'driver_cells' | 'driver_rollups') => db.selectFrom(table).selectAll().where('org_id', '=', orgId).execute();
  return {
    cells: num(await q('answer_cells'), ['org_id', 'perspective', 'month', 'touchpoint', 'segment_key', 'item', 'value', 'count']),
    answerRollups: num(await q('answer_rollups'), ['org_id', 'grain', 'perspective', 'touchpoint', 'segment_key', 'month', 'item', 'value', 'count']),
    drivers: unpacked(await q('driver_cells'), ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'missing']),
    driverRollups: unpacked(await q('driver_rollups'), ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'missing']),
  };
}

export function expectSame(actual: Awaited<ReturnType<typeof stored>>, expected: Awaited<ReturnType<typeof recompute>>) {
  expect(canon(actual.cells)).toEqual(canon(expected.cells));
  expect(canon(actual.answerRollups)).toEqual(canon(expected.answerRollups));
  expect(canon(actual.drivers)).toEqual(canon(expected.drivers));
  expect(canon(actual.driverRollups)).toEqual(canon(expected.driverRollups));
}


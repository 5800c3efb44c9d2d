// Key-driver sufficient statistics, kept as responses are folded in (fold-queue.ts) or bulk-loaded: for
// every customer response that is a complete case of a driver model, n, Σx_i and Σx_i·x_j over the model's
// variables are added to its cell (organisation × month × touchpoint × segment combination), so the drivers report
// sums a few thousand rows instead of loading responses (see core/analytics/drivers.ts for the method).
//
// Models and complete cases. Predictors are the organisation's customer dimensions (dim:<key>, every
// dimension with a customer item); the outcome is `excellent` (model 'excellent') or `nps` (model 'nps').
// A response is a complete case of a model when it answers every predictor and that outcome; it adds to
// each model it completes. Listwise deletion keeps the correlation matrix positive semi-definite and its
// n honest; its cost is that a response skipping one dimension counts for neither model.
// The predictor set is fixed by the framework when the response is folded into the cells (fold-queue.ts;
// moments after it is stored, and a framework change folds the queue first) and recorded as `signature`:
// after the customer dimensions change, reports use the cells of the new set only (responses stored since).
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';
import { addDriverRollups } from './rollups.ts';
import { segmentKey } from '../core/survey.ts';

export const DRIVER_OUTCOMES = ['excellent', 'nps'] as const;
export type DriverOutcome = (typeof DRIVER_OUTCOMES)[number];

/** The predictor items of a framework's customer dimensions, sorted: dim:<key>. */
export const predictorItems = (dimensionKeys: readonly string[]) => dimensionKeys.map((k) => `dim:${k}`).sort();

/** A short, stable name for a predictor set (sha256 of the sorted items). */
export function driverSignature(predictors: readonly string[]): string {
  return createHash('sha256').update([...predictors].sort().join(',')).digest('hex').slice(0, 16);
}

/** A model's variables in storage order: the predictors and the outcome, sorted (so i ≤ j ⇔ item_i ≤ item_j). */
export const modelVariables = (predictors: readonly string[], outcome: DriverOutcome) => [...predictors, outcome].sort();

/** What a stored response contributes; structurally a NewResponse (responses.ts). */
export interface DriverInput {
  orgId: string;
  perspective: 'customer' | 'leader';
  submission: { submittedAt: string; touchpoint: string | null; segments: Record<string, string>; answers: Record<string, number> };
}

interface Accumulator {
  org: string;
  model: DriverOutcome;
  signature: string;
  month: string;
  touchpoint: string;
  segmentKey: string;
  vars: string[];
  n: number;
  sums: Float64Array;
  /** Upper triangle, row-major: (i, j) with i ≤ j at i·p − i(i−1)/2 + (j − i). */
  cross: Float64Array;
}

const COLUMNS: BulkColumn[] = [
  ...['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'item_a', 'item_b'].map((name) => ({ name, type: 'text' as const })),
  { name: 'total', type: 'bigint' },
];
const KEY = ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'item_a', 'item_b'];

/**
 * Driver-cell deltas of a batch (or of a whole bulk load), added with `add` and written once with
 * `write`, in the caller's transaction.
 */
export class DriverDeltas {
  private readonly cells = new Map<string, Accumulator>();
  private readonly predictors = new Map<string, { items: string[]; signature: string }>();

  async add(tx: Transaction<Database>, batch: readonly DriverInput[]): Promise<void> {
    const customers = batch.filter((r) => r.perspective === 'customer');
    const unknown = [...new Set(customers.map((r) => r.orgId))].filter((o) => !this.predictors.has(o));
    if (unknown.length) {
      // Read inside the transaction: the predictor set the response is stored under is the one in force.
      const rows = await tx.selectFrom('dimensions').select(['org_id', 'key']).where('org_id', 'in', unknown).where('customer_item', 'is not', null).execute();
      for (const org of unknown) {
        const items = predictorItems(rows.filter((r) => r.org_id === org).map((r) => r.key));
        this.predictors.set(org, { items, signature: driverSignature(items) });
      }
    }
    for (const r of customers) {
      const { items, signature } = this.predictors.get(r.orgId)!;
      const a = r.submission.answers;
      if (!items.every((i) => a[i] !== undefined)) continue;
      for (const model of DRIVER_OUTCOMES) {
        if (a[model] === undefined) continue;
        const month = r.submission.submittedAt.slice(0, 7);
        const touchpoint = r.submission.touchpoint ?? '';
        const seg = segmentKey(r.submission.segments);
        const key = `${r.orgId}\u0000${model}\u0000${signature}\u0000${month}\u0000${touchpoint}\u0000${seg}`;
        let acc = this.cells.get(key);
        if (!acc) {
          const vars = modelVariables(items, model);
          const p = vars.length;
          acc = { org: r.orgId, model, signature, month, touchpoint, segmentKey: seg, vars, n: 0, sums: new Float64Array(p), cross: new Float64Array((p * (p + 1)) / 2) };
          this.cells.set(key, acc);
        }
        const x = acc.vars.map((v) => a[v]!);
        acc.n += 1;
        let t = 0;
        for (let i = 0; i < x.length; i++) {
          acc.sums[i] += x[i]!;
          for (let j = i; j < x.length; j++) acc.cross[t++] += x[i]! * x[j]!;
        }
      }
    }
  }

  async write(tx: Transaction<Database>): Promise<void> {
    const rows: unknown[][] = [];
    for (const c of this.cells.values()) {
      const base = [c.org, c.model, c.signature, c.month, c.touchpoint, c.segmentKey];
      rows.push([...base, '', '', c.n]);
      let t = 0;
      for (let i = 0; i < c.vars.length; i++) {
        rows.push([...base, c.vars[i], '', c.sums[i]]);
        for (let j = i; j < c.vars.length; j++) rows.push([...base, c.vars[i], c.vars[j], c.cross[t++]]);
      }
    }
    this.cells.clear();
    await bulkWrite(tx, 'driver_cells', COLUMNS, rows, { conflict: KEY, add: ['total'] });
    await addDriverRollups(tx, rows); // the roll-ups the reports read (rollups.ts)
  }
}

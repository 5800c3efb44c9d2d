// Key-driver sufficient statistics, kept as responses are folded in (fold-queue.ts) or bulk-loaded: for
// every customer response that answers a driver model's outcome and rates enough of its predictors, n, Σx_i
// and Σx_i·x_j over the variables it answered are added to its cell (organisation × month × touchpoint ×
// segment combination × answered set), so the drivers report sums a few thousand rows instead of loading
// responses (see core/analytics/drivers.ts for the method). Each cell and answered set is one packed row
// (driver-stats.ts, migration 0030).
//
// Models and answered sets. Predictors are the organisation's customer dimensions (dim:<key>, every
// dimension with a customer item); the outcome is `excellent` (model 'excellent') or `nps` (model 'nps').
// A response that answers the outcome adds to that model's cell of the predictors it left unanswered
// (`missing`: sorted, comma-joined; '' when it rated every one — a complete case, as before migration
// 0028), over the predictors it rated and the outcome; one that rated fewer than two predictors, and is
// not complete, adds nothing (no model can use it). The complete cases of any predictor subset T are then
// exactly the responses of the cells whose `missing` shares nothing with T, and their sums over T's
// variables are those cells' sums (core/analytics/driver-subset.ts chooses T): listwise deletion on T,
// which keeps the correlation matrix positive semi-definite and its n honest.
// The predictor set is fixed by the framework when the response is folded into the cells (fold-queue.ts;
// moments after it is stored, and a framework change folds the queue first) and recorded as `signature`:
// after the customer dimensions change, reports use the cells of the new set only (responses stored since).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { CellScope } from '../core/anonymity.ts';
import { pairKey } from '../core/analytics/drivers.ts';
import type { AnsweredSet } from '../core/analytics/driver-subset.ts';
import { addAnswers, emptyStats, mergeDriverRows, type DriverStats } from './driver-stats.ts';
import { addDriverRollups, readDriverSetTotals } from './rollups.ts';
import { cachedRead, stable } from './cell-cache.ts';
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

/** One cell and answered set of a driver model: a row of driver_cells (packed, migration 0030), or a delta to add to one. */
export interface DriverGroup {
  org: string;
  model: DriverOutcome;
  signature: string;
  month: string;
  touchpoint: string;
  segmentKey: string;
  missing: string;
  stats: DriverStats;
}

/** driver_cells' key (migrations 0028 and 0030): one row per cell and answered set. */
export const DRIVER_CELL_KEY = ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'missing'];

/**
 * The cell a response adds to for predictors `items` (sorted) and an answered outcome: the predictors it
 * answered and the `missing` key, or undefined when it is not complete and rated fewer than two.
 */
export function answeredSetOf(items: readonly string[], answers: Readonly<Record<string, number>>): { answered: string[]; missing: string } | undefined {
  const answered = items.filter((i) => answers[i] !== undefined);
  if (answered.length === items.length) return { answered, missing: '' };
  if (answered.length < 2) return undefined;
  return { answered, missing: items.filter((i) => answers[i] === undefined).join(',') };
}

/** Where a response's driver statistics go: its cell (month, touchpoint, segment combination) of one organisation. */
export interface DriverCellOf {
  orgId: string;
  month: string;
  touchpoint: string;
  segmentKey: string;
}

/**
 * Driver-cell deltas of a batch (or of a whole bulk load, or an erasure's, negated), added with `add` (or
 * `addResponse`) and written once with `write`, in the caller's transaction.
 */
export class DriverDeltas {
  private readonly cells = new Map<string, DriverGroup>();
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
      const set = answeredSetOf(items, a);
      if (!set) continue;
      const cell = { orgId: r.orgId, month: r.submission.submittedAt.slice(0, 7), touchpoint: r.submission.touchpoint ?? '', segmentKey: segmentKey(r.submission.segments) };
      for (const model of DRIVER_OUTCOMES) if (a[model] !== undefined) this.addResponse(cell, model, signature, set, a, 1);
    }
  }

  /** Adds (sign 1) or takes out (−1) one response's answers in its cell of one model, predictor set and answered set. */
  addResponse(cell: DriverCellOf, model: DriverOutcome, signature: string, set: { answered: readonly string[]; missing: string }, answers: Readonly<Record<string, number>>, sign: 1 | -1): void {
    const key = `${cell.orgId}\u0000${model}\u0000${signature}\u0000${cell.month}\u0000${cell.touchpoint}\u0000${cell.segmentKey}\u0000${set.missing}`;
    let group = this.cells.get(key);
    if (!group) {
      group = { org: cell.orgId, model, signature, month: cell.month, touchpoint: cell.touchpoint, segmentKey: cell.segmentKey, missing: set.missing, stats: emptyStats(modelVariables(set.answered, model)) };
      this.cells.set(key, group);
    }
    addAnswers(group.stats, answers, sign);
  }

  /** Adds the deltas into driver_cells and every roll-up grain (rollups.ts); rows whose n reaches 0 go. */
  async write(tx: Transaction<Database>): Promise<void> {
    const groups = [...this.cells.values()];
    this.cells.clear();
    if (groups.length === 0) return;
    await mergeDriverRows(
      tx,
      'driver_cells',
      DRIVER_CELL_KEY,
      groups.map((g) => ({ key: [g.org, g.model, g.signature, g.month, g.touchpoint, g.segmentKey, g.missing], stats: g.stats })),
    );
    await addDriverRollups(tx, groups); // the roll-ups the reports read (rollups.ts)
  }
}

/**
 * One driver model's sums within a scope, per answered set (`missing` → n, Σx, Σx·x over the set's
 * variables): what core/analytics/driver-subset.ts chooses the predictors from. From a roll-up when one
 * holds the scope, else driver_cells (rollups.ts); shared while the cells are unchanged (cell-cache.ts).
 */
export async function loadAnsweredSets(db: Kysely<Database>, orgId: string, model: string, signature: string, scope: CellScope): Promise<AnsweredSet[]> {
  const rows = await cachedRead(db, orgId, stable(['driver sets', model, signature, scope]), () => readDriverSetTotals(db, orgId, model, signature, scope));
  const sets = new Map<string, AnsweredSet>();
  for (const r of rows) {
    let set = sets.get(r.missing);
    if (!set) sets.set(r.missing, (set = { missing: r.missing === '' ? [] : r.missing.split(','), sums: { n: 0, sums: new Map(), cross: new Map() } }));
    const total = Number(r.total);
    if (r.item_a === '' && r.item_b === '') set.sums.n += total;
    else if (r.item_b === '') set.sums.sums.set(r.item_a, (set.sums.sums.get(r.item_a) ?? 0) + total);
    else {
      // Pairs are summed by their unordered key: rows written under another collation's order still add up.
      const key = pairKey(r.item_a, r.item_b);
      set.sums.cross.set(key, (set.sums.cross.get(key) ?? 0) + total);
    }
  }
  return [...sets.values()].sort((a, b) => (a.missing.join(',') < b.missing.join(',') ? -1 : 1));
}

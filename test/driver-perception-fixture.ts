// Seeded data for the driver-perception tests: customers whose true drivers are known (reliability most,
// responsiveness next, the rest barely) and leaders who believe the opposite of part of it — they
// over-weight tangibles, under-weight reliability and rate reliability far above customers.
import type { Store } from '../src/store/db.ts';
import type { OrgFixture } from './fixtures.ts';
import { getFramework } from '../src/store/organisations.ts';
import { storeResponses } from '../src/store/responses.ts';
import { clamp, normal, rng } from '../src/sample-data/random.ts';

export const TRUE_TOP = 'reliability';
export const OVER_WEIGHTED = 'tangibles';

/** Integer points summing to 100 in proportion to xs (largest remainder). */
export function toPoints(xs: number[]): number[] {
  const total = xs.reduce((s, x) => s + x, 0);
  const raw = xs.map((x) => (100 * x) / total);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  const left = 100 - out.reduce((s, x) => s + x, 0);
  for (let t = 0; t < left; t++) out[order[t]![1]]! += 1;
  return out;
}

export interface PerceptionData {
  customers: number;
  /** Leaders per function, e.g. { Operations: 7, Marketing: 6, Finance: 2 }. */
  leaders: Record<string, number>;
  seed: number;
  month?: string;
}

export async function fillPerception(store: Store, f: OrgFixture, d: PerceptionData): Promise<void> {
  const dims = (await getFramework(store.db, f.org.id)).filter((x) => x.customerItem !== null).map((x) => x.key);
  const r = rng(d.seed);
  const at = `${d.month ?? '2025-11'}-10T10:00:00.000Z`;
  const rows = [];
  for (let i = 0; i < d.customers; i++) {
    const z = Object.fromEntries(dims.map((k) => [k, normal(r)]));
    const y = 0.8 * z[TRUE_TOP]! + 0.45 * z.responsiveness! + dims.reduce((s, k) => s + (k === TRUE_TOP || k === 'responsiveness' ? 0 : 0.05 * z[k]!), 0) + 0.6 * normal(r);
    const answers: Record<string, number> = { excellent: clamp(3.2 + 0.9 * y, 1, 5) };
    for (const k of dims) answers[`dim:${k}`] = clamp((k === TRUE_TOP ? 2.7 : 3.5) + 0.9 * z[k]!, 1, 5);
    rows.push({ orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: { respondentId: null, submittedAt: at, touchpoint: null, segments: {}, answers, comment: null } });
  }
  for (const [fn, count] of Object.entries(d.leaders)) {
    for (let i = 0; i < count; i++) {
      const believed = dims.map((k) => Math.max(0.5, (k === OVER_WEIGHTED ? 30 : k === TRUE_TOP ? 4 : k === 'responsiveness' ? 14 : 8) + 2 * normal(r)));
      const points = toPoints(believed);
      const answers: Record<string, number> = { 'predict:excellent_share': 70 };
      dims.forEach((k, j) => {
        answers[`imp:${k}`] = points[j]!;
        answers[`dim:${k}`] = clamp((k === TRUE_TOP ? 4.6 : 3.7) + 0.3 * normal(r), 1, 5);
      });
      rows.push({ orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader' as const, submission: { respondentId: null, submittedAt: at, touchpoint: null, segments: { function: fn }, answers, comment: null } });
    }
  }
  await storeResponses(store.db, rows);
}

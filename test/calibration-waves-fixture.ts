// Seeded history for the calibration-over-time tests: leader waves whose over-confidence shrinks by 4
// points of predicted share a quarter against customers whose excellence share moves about 50 %, plus two
// early waves that must be withheld (one below the minimum, one only so the first cannot be differenced).
import type { Store } from '../src/store/db.ts';
import type { OrgFixture } from './fixtures.ts';
import { getFramework } from '../src/store/organisations.ts';
import { storeResponses } from '../src/store/responses.ts';

/** Each wave: the month it ran in, customers calling the experience excellent (of 60), leaders' predictions. */
export const WAVES: { month: string; excellent: number; predictions: number[]; dims: number[] }[] = [
  { month: '2024-05', excellent: 30, predictions: [80, 84], dims: [4, 4] }, // 2 leaders: withheld
  { month: '2024-08', excellent: 30, predictions: [70, 75, 80, 85, 90], dims: [4, 4, 4, 4, 4] }, // withheld with it
  ...[30, 33, 27, 30, 36].map((excellent, j) => ({
    month: ['2024-11', '2025-02', '2025-05', '2025-08', '2025-11'][j]!,
    excellent,
    // mean 75 − 4j, the same spread every wave (sd √56)
    predictions: [-10, -6, -2, 2, 6, 10].map((o) => 75 - 4 * j + o),
    // dimension predictions: all 4 in the first two shown waves (MAE 1), half 4 half 3 after (MAE 0.5)
    dims: j < 2 ? [4, 4, 4, 4, 4, 4] : [4, 4, 4, 3, 3, 3],
  })),
];
export const CUSTOMERS_PER_WAVE = 60;

export async function fillWaves(store: Store, f: OrgFixture): Promise<void> {
  const dims = (await getFramework(store.db, f.org.id)).filter((x) => x.customerItem !== null).map((x) => x.key);
  const rows = [];
  for (const w of WAVES) {
    const at = `${w.month}-12T10:00:00.000Z`;
    for (let i = 0; i < CUSTOMERS_PER_WAVE; i++) {
      const answers: Record<string, number> = { excellent: i < w.excellent ? 5 : 2 };
      for (const k of dims) answers[`dim:${k}`] = 3;
      rows.push({ orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: { respondentId: null, submittedAt: at, touchpoint: null, segments: {}, answers, comment: null } });
    }
    w.predictions.forEach((p, i) => {
      const answers: Record<string, number> = { excellent: 4, 'predict:excellent_share': p };
      for (const k of dims) answers[`dim:${k}`] = w.dims[i]!;
      rows.push({ orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader' as const, submission: { respondentId: null, submittedAt: at, touchpoint: null, segments: { function: 'Operations' }, answers, comment: null } });
    });
  }
  await storeResponses(store.db, rows);
}

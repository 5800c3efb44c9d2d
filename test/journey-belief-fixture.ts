// Seeded history for leaders' belief by touchpoint (issue 11), for the report's own test
// (src/reports/journey-belief.test.ts, with the scipy reference values) and the browser tests: Product's six
// leaders predict the app (60, 70, 80, 75, 65, 90: mean 73.3 %) where 18 of 50 customers call it
// excellent; Finance's three predictions of billing (3 of 12 customers) are withheld below the minimum
// of 5; nobody predicted the website (4 of 8); the welcome touchpoint has 3 customers, too few to show.
import type { Store } from '../src/store/db.ts';
import type { OrgFixture } from './fixtures.ts';
import { storeResponses, type NewResponse } from '../src/store/responses.ts';

export const BELIEF_AT = '2025-09-10T10:00:00.000Z';

export async function fillJourneyBelief(store: Store, f: OrgFixture): Promise<void> {
  const customers = (touchpoint: string, n: number, top: number): NewResponse[] =>
    Array.from({ length: n }, (_, i) => ({
      orgId: f.org.id,
      surveyId: f.customerSurvey,
      perspective: 'customer' as const,
      submission: { respondentId: null, submittedAt: BELIEF_AT, touchpoint, segments: {}, answers: { excellent: i < top ? (i % 2 ? 4 : 5) : 2 }, comment: null },
    }));
  const leader = (fn: string, answers: Record<string, number>): NewResponse => ({
    orgId: f.org.id,
    surveyId: f.leaderSurvey,
    perspective: 'leader',
    submission: { respondentId: null, submittedAt: BELIEF_AT, touchpoint: null, segments: { function: fn }, answers: { excellent: 5, 'predict:excellent_share': 70, ...answers }, comment: null },
  });
  await storeResponses(store.db, [
    ...customers('app', 50, 18),
    ...customers('billing', 12, 3),
    ...customers('website', 8, 4),
    ...customers('welcome', 3, 3),
    ...[60, 70, 80, 75, 65, 90].map((p) => leader('Product', { 'predict:excellent_share@app': p })),
    ...[50, 55, 60].map((p) => leader('Finance', { 'predict:excellent_share@billing': p })),
    leader('Executive', {}),
    leader('Executive', {}),
  ]);
}

// A seeded change for the initiative tests (API, CLI, browser): six months of customers at billing, app
// and website, where communication at billing rises by exactly 0.5 after 2025-04-01 and nowhere else,
// reliability rises by 0.5 everywhere, and leaders lower their communication belief from 4.4 to 4.0.
import type { OrgFixture } from './fixtures.ts';
import type { NewResponse } from '../src/store/responses.ts';

const BEFORE = ['2025-01', '2025-02', '2025-03'];
const AFTER = ['2025-04', '2025-05', '2025-06'];
// 20 answers per month × touchpoint: mean 3.0, sd > 0. "Raised by 0.5": 10 of the 20 answers one point up.
const BASE = [2, 3, 4, 3, 2, 4, 3, 3, 2, 4, 3, 3, 4, 2, 3, 3, 2, 4, 3, 3];
const raised = BASE.map((v, i) => (i % 2 === 0 ? v + 1 : v));

/** The seeded customers and leaders (6 months × billing, app, website; leaders in February and May). */
export function seededChange(f: OrgFixture): NewResponse[] {
  const out: NewResponse[] = [];
  let id = 0;
  for (const month of [...BEFORE, ...AFTER]) {
    const after = AFTER.includes(month);
    for (const touchpoint of ['billing', 'app', 'website']) {
      BASE.forEach((v, i) => {
        const communication = after && touchpoint === 'billing' ? raised[i]! : v;
        const reliability = after ? raised[i]! : v;
        out.push({
          orgId: f.org.id,
          surveyId: f.customerSurvey,
          perspective: 'customer',
          submission: {
            respondentId: `c${++id}`,
            submittedAt: `${month}-${String(1 + (i % 27)).padStart(2, '0')}T12:00:00.000Z`,
            touchpoint,
            segments: {},
            answers: { 'dim:communication': communication, 'dim:reliability': reliability, excellent: communication },
            comment: null,
          },
        });
      });
    }
  }
  // Leaders: communication believed 4.4 before (4,4,5,4,5 → 4.4) and 4.0 after (4,4,4,3,5 → 4.0).
  const waves: [string, number[]][] = [['2025-02', [4, 4, 5, 4, 5]], ['2025-05', [4, 4, 4, 3, 5]]];
  for (const [month, beliefs] of waves)
    beliefs.forEach((b, i) =>
      out.push({
        orgId: f.org.id,
        surveyId: f.leaderSurvey,
        perspective: 'leader',
        submission: { respondentId: `l${++id}`, submittedAt: `${month}-1${i}T09:00:00.000Z`, touchpoint: null, segments: {}, answers: { 'dim:communication': b, 'dim:reliability': 4, excellent: 5 }, comment: null },
      }),
    );
  return out;
}

export const billingInitiative = {
  title: 'Plain-language bills',
  metric: 'dimension',
  dimension: 'communication',
  touchpoints: ['billing'],
  start: '2025-04-01',
  goal: { measure: 'customers', direction: 'increase', size: 0.3 },
};


// Key drivers on real data (issue 11: "Drivers must work on real data"), on both engines: 800 passengers of a
// real airline satisfaction survey (test/fixtures/airline-passenger-satisfaction, see its SOURCE.md) rate six
// service aspects 1–5, with 0 meaning "not applicable" — stored as not answered, so 64 passengers skip at least
// one. The organisation's framework also has a dimension this survey never asked (empathy). Before answered
// sets, no passenger rated every dimension and there was no model at all; now empathy is left out with its
// reason and the model is the complete-case one on the six aspects, equal to numpy's on exactly those rows.
import { it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { replaceFramework } from '../store/organisations.ts';
import { storeResponses, type NewResponse } from '../store/responses.ts';
import { driversFor } from './drivers.ts';
import type { Dimension } from '../core/framework.ts';

const ASPECTS: [key: string, column: string][] = [
  ['wifi', 'Inflight wifi service'],
  ['schedule', 'Departure/Arrival time convenient'],
  ['booking', 'Ease of Online booking'],
  ['seat', 'Seat comfort'],
  ['cleanliness', 'Cleanliness'],
  ['legroom', 'Leg room service'],
];
const dim = (key: string): Dimension => ({ key, label: key[0]!.toUpperCase() + key.slice(1), customerItem: `How was the ${key}?`, leaderItem: `How is our ${key}, customers say?`, source: 'custom' });

const rows: Record<string, string>[] = parse(readFileSync(new URL('../../test/fixtures/airline-passenger-satisfaction/test-first-800.csv', import.meta.url)), { columns: true });

// Reference: numpy 2.4.6 (scipy 1.17.1 installed) over the same file. Complete cases of the six aspects
// (no 0 in any): 736 of 800. y = 5 if satisfied else 1 (relative weights do not change under a linear
// recoding of y). C = np.corrcoef(np.column_stack([X, y]), rowvar=False); R = C[:6,:6]; rxy = C[:6,6];
// lam, Q = np.linalg.eigh(R); L = Q @ np.diag(np.sqrt(lam)) @ Q.T; beta = np.linalg.solve(L, rxy);
// w = (L**2) @ (beta**2); R² = w.sum() = 0.35667768900003 (= 1 − SSE/SST by np.linalg.lstsq).
const W = [0.10668996996210522, 0.029280831085405804, 0.0320372451080198, 0.05653709081713726, 0.05963070541126143, 0.07250184661610529];

describeEngines('key drivers on a real survey whose passengers skip aspects', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await replaceFramework(ctx().db, f.org.id, [...ASPECTS.map(([k]) => dim(k)), dim('empathy')]);
    const responses: NewResponse[] = rows.map((r, i) => {
      const answers: Record<string, number> = { excellent: r.satisfaction === 'satisfied' ? 5 : 1 };
      for (const [key, column] of ASPECTS) if (r[column] !== '0') answers[`dim:${key}`] = Number(r[column]);
      return {
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer',
        submission: { respondentId: `p${r.id}`, submittedAt: new Date(Date.UTC(2025, 2, 1, 12, i)).toISOString(), touchpoint: null, segments: {}, answers, comment: null },
      };
    });
    await storeResponses(ctx().db, responses);
  });

  it('leaves out the dimension nobody rated and fits the six aspects on their 736 complete cases as numpy does', async () => {
    const r = (await driversFor(ctx().db, f.org.id, {}, 'excellent'))!;
    expect(r.leftOut.map((l) => [l.key, l.answeredBy])).toEqual([['empathy', 0]]);
    expect(r.leftOut[0]!.reason).toMatch(/^rated by 0 of the 800 customers who answered the outcome/);
    expect(r.model).toMatchObject({ completeCases: 736, rSquared: expect.closeTo(0.35667768900003, 9) });
    expect(r.dimensions.map((d) => d.key)).toEqual([...ASPECTS.map(([k]) => k), 'empathy']);
    expect(r.dimensions.map((d) => d.importance)).toEqual([...W.map((w) => expect.closeTo(w, 9)), null]);
    // Wifi has the largest weight in the numpy reference, so it ranks first.
    expect(r.dimensions.find((d) => d.rank === 1)?.key).toBe('wifi');
  });
});

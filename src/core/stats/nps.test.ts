import { describe, it, expect } from 'vitest';
import { npsFromCounts, npsCountsFromScores, npsDifferenceTest } from './nps.ts';

// References: numpy 2.4 / scipy 1.17.1, computed from the responses coded +1/0/−1, not from the
// p + d − (p − d)² shortcut used in the code:
//   coded = lambda P,Pa,D: np.array([1]*P + [0]*Pa + [-1]*D, float)
//   x = coded(P,Pa,D); score = 100*x.mean(); moe = 1.96*100*x.std(ddof=0)/np.sqrt(len(x))
// Adjusted-Wald (Rocks 2016) as a weighted trinomial with pseudo-counts, Z = stats.norm.ppf(0.975):
//   w = np.array([P+0.75, Pa+1.5, D+0.75]); v = np.array([1., 0., -1.])
//   m = np.average(v, weights=w); var = np.average((v-m)**2, weights=w)
//   h = Z*np.sqrt(var/w.sum()); 100*max(-1, m-h), 100*min(1, m+h)

describe('npsFromCounts', () => {
  it('matches the coded-response computation', () => {
    // (45,30,25): score 20.0, moe 15.923115273086484, adjusted (3.7702544118750985, 35.064697044435576)
    const r = npsFromCounts({ promoters: 45, passives: 30, detractors: 25 });
    expect(r.n).toBe(100);
    expect(r.score).toBeCloseTo(20, 12);
    expect(r.moe95).toBeCloseTo(15.923115273086484, 10);
    expect(r.ci95[0]).toBeCloseTo(4.076884726913516, 10);
    expect(r.ci95[1]).toBeCloseTo(35.92311527308648, 10);
    expect(r.adjustedWald[0]).toBeCloseTo(3.7702544118750985, 10);
    expect(r.adjustedWald[1]).toBeCloseTo(35.064697044435576, 10);

    // (30,40,30): score 0, moe 15.182094717133074, adjusted ±14.922734910992745
    const s = npsFromCounts({ promoters: 30, passives: 40, detractors: 30 });
    expect(s.score).toBeCloseTo(0, 12);
    expect(s.moe95).toBeCloseTo(15.182094717133074, 10);
    expect(s.adjustedWald[0]).toBeCloseTo(-14.922734910992745, 10);
    expect(s.adjustedWald[1]).toBeCloseTo(14.922734910992745, 10);
  });

  it('clips to [−100, 100] at small n', () => {
    // (3,1,1): score 40.0, moe 70.1230917743934 -> ci (-30.1230917743934, 100 clipped),
    //   adjusted (-29.782658786036354, 79.78265878603635)
    const r = npsFromCounts({ promoters: 3, passives: 1, detractors: 1 });
    expect(r.score).toBeCloseTo(40, 12);
    expect(r.moe95).toBeCloseTo(70.1230917743934, 10);
    expect(r.ci95[0]).toBeCloseTo(-30.1230917743934, 10);
    expect(r.ci95[1]).toBe(100);
    expect(r.adjustedWald[0]).toBeCloseTo(-29.782658786036354, 10);
    expect(r.adjustedWald[1]).toBeCloseTo(79.78265878603635, 10);
  });

  it('all promoters / all detractors: zero Wald width, adjusted-Wald still informative', () => {
    // (10,0,0): adjusted (47.50355154479022, 100.0) ; (0,0,4): adjusted (-100.0, -6.9441779802720145)
    const top = npsFromCounts({ promoters: 10, passives: 0, detractors: 0 });
    expect(top.score).toBe(100);
    expect(top.moe95).toBe(0);
    expect(top.ci95).toEqual([100, 100]);
    expect(top.adjustedWald[0]).toBeCloseTo(47.50355154479022, 10);
    expect(top.adjustedWald[1]).toBe(100);
    const bottom = npsFromCounts({ promoters: 0, passives: 0, detractors: 4 });
    expect(bottom.score).toBe(-100);
    expect(bottom.ci95).toEqual([-100, -100]);
    expect(bottom.adjustedWald[0]).toBe(-100);
    expect(bottom.adjustedWald[1]).toBeCloseTo(-6.9441779802720145, 10);
  });

  it('n = 0 reports no information without NaN', () => {
    // (0,0,0): adjusted (-80.01519460592183, 80.01519460592183)
    const r = npsFromCounts({ promoters: 0, passives: 0, detractors: 0 });
    expect(r).toMatchObject({ n: 0, score: 0, moe95: 100, ci95: [-100, 100] });
    expect(r.adjustedWald[0]).toBeCloseTo(-80.01519460592183, 10);
    expect(r.adjustedWald[1]).toBeCloseTo(80.01519460592183, 10);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => npsFromCounts({ promoters: -1, passives: 0, detractors: 0 })).toThrow(RangeError);
    expect(() => npsFromCounts({ promoters: 1.5, passives: 0, detractors: 0 })).toThrow(RangeError);
  });
});

describe('npsCountsFromScores', () => {
  it('classifies 0–6 / 7–8 / 9–10', () => {
    expect(npsCountsFromScores([0, 6, 7, 8, 9, 10, 10, 3])).toEqual({ promoters: 3, passives: 2, detractors: 3 });
    expect(npsCountsFromScores([])).toEqual({ promoters: 0, passives: 0, detractors: 0 });
    expect(() => npsCountsFromScores([11])).toThrow(RangeError);
    expect(() => npsCountsFromScores([8.5])).toThrow(RangeError);
  });
});

describe('npsDifferenceTest', () => {
  it('matches the coded-response computation', () => {
    // xa, xb = coded(45,30,25), coded(30,40,30)
    // se = 100*np.sqrt(xa.var()/len(xa) + xb.var()/len(xb)); d = 100*(xa.mean()-xb.mean())
    // z = d/se; p = 2*stats.norm.sf(abs(z))
    //   -> d=20.0, se=11.224972160321824, z=1.7817416127494958, p=0.07479137758694421
    const r = npsDifferenceTest(
      { promoters: 45, passives: 30, detractors: 25 },
      { promoters: 30, passives: 40, detractors: 30 },
    );
    expect(r.diff).toBeCloseTo(20, 12);
    expect(r.se).toBeCloseTo(11.224972160321824, 10);
    expect(r.z).toBeCloseTo(1.7817416127494958, 10);
    expect(r.pValue).toBeCloseTo(0.07479137758694421, 10);

    // coded(3,1,1) vs coded(2,2,3) -> d=54.28571428571429, se=47.65767141095827,
    //   z=1.139076095800014, p=0.25467141673110605
    const s = npsDifferenceTest(
      { promoters: 3, passives: 1, detractors: 1 },
      { promoters: 2, passives: 2, detractors: 3 },
    );
    expect(s.diff).toBeCloseTo(54.28571428571429, 10);
    expect(s.se).toBeCloseTo(47.65767141095827, 10);
    expect(s.z).toBeCloseTo(1.139076095800014, 10);
    expect(s.pValue).toBeCloseTo(0.25467141673110605, 10);
  });

  it('degenerate and empty samples', () => {
    const allPro = { promoters: 5, passives: 0, detractors: 0 };
    expect(npsDifferenceTest(allPro, allPro)).toEqual({ diff: 0, se: 0, z: 0, pValue: 1 });
    const allDet = { promoters: 0, passives: 0, detractors: 5 };
    expect(npsDifferenceTest(allPro, allDet)).toEqual({ diff: 200, se: 0, z: Infinity, pValue: 0 });
    expect(() => npsDifferenceTest(allPro, { promoters: 0, passives: 0, detractors: 0 })).toThrow(RangeError);
  });
});

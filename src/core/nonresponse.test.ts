// The non-response check against scipy. Reference values (python3, scipy 1.17):
//   from scipy.stats import chi2_contingency, chi2; from scipy.special import gammaincc; import numpy as np
//   region: yes=[30,6,4] of invited=[60,30,10] (EMEA, APAC, LATAM); t=np.array([yes, invited-yes])
//   chi2_contingency(t, correction=False) → chi 7.5, p 0.023517745856009114, df 2
//   adjusted residuals (yes-E)/sqrt(E(1-r/n)(1-inv/n)) → 2.5, -2.672612419124244, 0.0
//   weights (inv/n)/(yes/r) → 0.8, 2.0, 1.0
//   plan: [[22,18],[28,32]] → chi 0.6666666666666666, p 0.4142161782425251
//   Holm over the two p → 0.04703549171201823, 0.4142161782425251
//   gammaincc(2.5, 3.7) → 0.1925504330793957; gammaincc(0.5, 10) → 7.744216431044088e-06; chi2.sf(40, 3) → 1.065509033425585e-08
import { describe, it, expect } from 'vitest';
import { chiSquareSurvival, nonResponseCheck, upperGammaQ, type InvitedUnit } from './nonresponse.ts';

function units(): InvitedUnit[] {
  const out: InvitedUnit[] = [];
  const add = (region: string, invited: number, responded: number) => {
    for (let i = 0; i < invited; i++) out.push({ attributes: { region }, responded: i < responded });
  };
  add('EMEA', 60, 30);
  add('APAC', 30, 6);
  add('LATAM', 10, 4);
  // plan: pro for 50 (22 answered), basic for 50 (18 answered), spread over the regions.
  const yes = out.filter((u) => u.responded);
  const no = out.filter((u) => !u.responded);
  yes.forEach((u, i) => ((u.attributes as Record<string, string>).plan = i < 22 ? 'pro' : 'basic'));
  no.forEach((u, i) => ((u.attributes as Record<string, string>).plan = i < 28 ? 'pro' : 'basic'));
  return out;
}

describe('upperGammaQ', () => {
  it('matches scipy on both branches', () => {
    expect(upperGammaQ(2.5, 3.7)).toBeCloseTo(0.1925504330793957, 12);
    expect(upperGammaQ(0.5, 10)).toBeCloseTo(7.744216431044088e-6, 15);
    expect(chiSquareSurvival(40, 3) / 1.065509033425585e-8).toBeCloseTo(1, 9);
  });
});

describe('nonResponseCheck', () => {
  it('tests each attribute, adjusts across them, flags the under-represented and weights', () => {
    const [region, plan] = nonResponseCheck(units(), ['region', 'plan']);
    expect(region!.chiSquare).toBeCloseTo(7.5, 10);
    expect(region!.df).toBe(2);
    expect(region!.pValue).toBeCloseTo(0.023517745856009114, 12);
    expect(region!.holm).toBeCloseTo(0.04703549171201823, 12);
    const byValue = Object.fromEntries(region!.values.map((v) => [v.value, v]));
    expect(byValue.EMEA!.adjustedResidual).toBeCloseTo(2.5, 10);
    expect(byValue.APAC!.adjustedResidual).toBeCloseTo(-2.672612419124244, 10);
    expect(byValue.LATAM!.adjustedResidual).toBeCloseTo(0, 10);
    expect(region!.values.filter((v) => v.underRepresented).map((v) => v.value)).toEqual(['APAC']);
    expect(byValue.EMEA!.weight).toBeCloseTo(0.8, 12);
    expect(byValue.APAC!.weight).toBeCloseTo(2, 12);
    expect(byValue.LATAM!.weight).toBeCloseTo(1, 12);
    expect(plan!.chiSquare).toBeCloseTo(0.6666666666666666, 10);
    expect(plan!.pValue).toBeCloseTo(0.4142161782425251, 12);
    expect(plan!.holm).toBeCloseTo(0.4142161782425251, 12);
    expect(plan!.values.some((v) => v.underRepresented)).toBe(false);
  });

  it('does not test what cannot be tested, and counts a missing value as its own group', () => {
    const [one] = nonResponseCheck([{ attributes: { region: 'EMEA' }, responded: true }, { attributes: { region: 'EMEA' }, responded: false }], ['region']);
    expect(one).toMatchObject({ chiSquare: null, pValue: null, holm: null, df: 0 });
    const [none] = nonResponseCheck([{ attributes: {}, responded: true }, { attributes: { region: 'EMEA' }, responded: false }], ['region']);
    expect(none!.values.map((v) => v.value)).toEqual(['(none)', 'EMEA']);
    expect(nonResponseCheck([], ['region'])[0]!.values).toEqual([]);
  });
});

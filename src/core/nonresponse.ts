// The non-response check (issue 12): do the people who answered a campaign look like the people who were
// asked? Per attribute (each declared segment, the touchpoint), a chi-square test of independence between
// the attribute's value and having answered, over the delivered invitations; p-values adjusted across
// attributes with Holm and Benjamini–Hochberg, as the reports do; a value is under-represented when its
// adjusted residual is below −1.96 and its attribute's Holm-adjusted p is below 0.05. Post-stratification
// weights per attribute (share among those invited ÷ share among respondents) make the respondents'
// distribution match the invited one. Pure: the store hands it one row per delivered invitation.
import jStat from 'jstat';
import { wilsonInterval } from './stats/proportion.ts';
import { benjaminiHochbergAdjust, holmAdjust } from './stats/multiple-comparisons.ts';
import { Z95 } from './stats/distributions.ts';

export interface InvitedUnit {
  /** attribute → value; a missing attribute counts as NO_VALUE. */
  attributes: Readonly<Record<string, string>>;
  responded: boolean;
}

export const NO_VALUE = '(none)';

export interface ValueRow {
  value: string;
  invited: number;
  responded: number;
  responseRate: number;
  responseRateInterval: [number, number];
  /** Share of the invited, and of the respondents, holding this value. */
  shareInvited: number;
  shareRespondents: number;
  /** (observed − expected) / its standard error, for "responded" in this value (≈ N(0,1) under independence). */
  adjustedResidual: number | null;
  underRepresented: boolean;
  /** Post-stratification weight for a respondent with this value; null when none of them responded. */
  weight: number | null;
}

export interface AttributeCheck {
  attribute: string;
  values: ValueRow[];
  chiSquare: number | null;
  df: number;
  pValue: number | null;
  holm: number | null;
  bh: number | null;
}

/** Regularised upper incomplete gamma Q(a, x) (Numerical Recipes' series / continued fraction). */
export function upperGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`upperGammaQ needs a > 0 and x ≥ 0, got ${a}, ${x}`);
  if (x === 0) return 1;
  const lnPre = -x + a * Math.log(x) - jStat.gammaln(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lnPre) * h);
}

/** P(X ≥ x) for a chi-square variable with df degrees of freedom. */
export const chiSquareSurvival = (x: number, df: number) => upperGammaQ(df / 2, x / 2);

export function nonResponseCheck(units: readonly InvitedUnit[], attributes: readonly string[]): AttributeCheck[] {
  const n = units.length;
  const r = units.filter((u) => u.responded).length;
  const checks = attributes.map((attribute): AttributeCheck => {
    const counts = new Map<string, { invited: number; responded: number }>();
    for (const u of units) {
      const v = Object.hasOwn(u.attributes, attribute) ? u.attributes[attribute]! : NO_VALUE;
      const c = counts.get(v) ?? { invited: 0, responded: 0 };
      c.invited++;
      if (u.responded) c.responded++;
      counts.set(v, c);
    }
    const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // The test needs two values, someone who answered and someone who did not.
    const testable = entries.length >= 2 && r > 0 && r < n;
    let chi = 0;
    const values = entries.map(([value, c]): ValueRow => {
      let adj: number | null = null;
      if (testable) {
        const eYes = (c.invited * r) / n;
        const eNo = (c.invited * (n - r)) / n;
        chi += (c.responded - eYes) ** 2 / eYes + (c.invited - c.responded - eNo) ** 2 / eNo;
        adj = (c.responded - eYes) / Math.sqrt(eYes * (1 - r / n) * (1 - c.invited / n));
      }
      const shareInvited = c.invited / n;
      const shareRespondents = r > 0 ? c.responded / r : 0;
      return {
        value,
        invited: c.invited,
        responded: c.responded,
        responseRate: c.responded / c.invited,
        responseRateInterval: wilsonInterval(c.responded, c.invited),
        shareInvited,
        shareRespondents,
        adjustedResidual: adj,
        underRepresented: false,
        weight: c.responded > 0 ? shareInvited / shareRespondents : null,
      };
    });
    const df = testable ? entries.length - 1 : 0;
    return { attribute, values, chiSquare: testable ? chi : null, df, pValue: testable ? chiSquareSurvival(chi, df) : null, holm: null, bh: null };
  });
  const tested = checks.filter((c) => c.pValue !== null);
  const p = tested.map((c) => c.pValue!);
  const holm = holmAdjust(p);
  const bh = benjaminiHochbergAdjust(p);
  tested.forEach((c, i) => {
    c.holm = holm[i]!;
    c.bh = bh[i]!;
    for (const v of c.values) v.underRepresented = c.holm < 0.05 && v.adjustedResidual !== null && v.adjustedResidual < -Z95;
  });
  return checks;
}

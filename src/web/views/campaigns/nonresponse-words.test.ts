// The non-response check in words, over the real check (core/nonresponse.ts) of small campaigns. Reference
// for the first: scipy.stats.chi2_contingency([[7,1],[1,7]], correction=False) → p 0.0027 (significant);
// APAC answered 1 of 8 (Wilson 95 %: 0.0224, 0.4709, python3 as in test/e2e/campaigns.test.ts), weight
// 0.5 / (1/8) = 4.
import { describe, expect, it } from 'vitest';
import { nonResponseCheck, type InvitedUnit } from '../../../core/nonresponse.ts';
import { nonResponseSentences } from './nonresponse-words.ts';

const units = (region: string, invited: number, responded: number): InvitedUnit[] =>
  Array.from({ length: invited }, (_, i) => ({ attributes: { region }, responded: i < responded }));
const words = (u: InvitedUnit[]) =>
  nonResponseSentences({ delivered: u.length, responded: u.filter((x) => x.responded).length, attributes: nonResponseCheck(u, ['region']) }, (a) => (a === 'region' ? 'Region' : a), (_a, v) => v);

describe('the non-response check in words', () => {
  it('names an under-represented group with its shares, rate, interval and weight', () => {
    expect(words([...units('EMEA', 8, 7), ...units('APAC', 8, 1)])).toEqual([
      'Respondents from APAC (region) are under-represented: they are 50% of those invited but 13% of respondents. 13% of them answered (95% CI 2–47%), against 50% overall; ' +
        'weighting each of their answers by 4.00 matches the mix of those invited.',
    ]);
  });

  it('says when no group is under-represented, and when there is nothing to test yet', () => {
    expect(words([...units('EMEA', 8, 4), ...units('APAC', 8, 4)])).toEqual([
      "No group is under-represented: the respondents' region mix is in line with those invited (chi-square tests, Holm-adjusted across 1 attribute).",
    ]);
    expect(words([...units('EMEA', 4, 4), ...units('APAC', 4, 4)])[0]).toMatch(/^Not enough variety yet to test/);
    expect(words(units('EMEA', 4, 0))[0]).toBe('No one has answered yet, so there is nothing to compare.');
    expect(words([])[0]).toBe('Nothing has been delivered yet, so there is nothing to compare.');
  });
});

// The non-response check in plain words, for the campaign page: one sentence per under-represented value
// ("Respondents from APAC (region) are under-represented: …"), or why there is none.
import { fixed, pct, pctInterval } from '../../../core/number-format.ts';
import type { AttributeCheck } from '../../../core/nonresponse.ts';

/** GET …/campaigns/:id/nonresponse. */
export interface NonResponse {
  delivered: number;
  responded: number;
  attributes: AttributeCheck[];
}

/** Plain words for each under-represented value, or why there is none. */
export function nonResponseSentences(nr: NonResponse, labelOf: (attribute: string) => string, valueLabel: (attribute: string, value: string) => string): string[] {
  if (nr.delivered === 0) return ['Nothing has been delivered yet, so there is nothing to compare.'];
  if (nr.responded === 0) return ['No one has answered yet, so there is nothing to compare.'];
  const overall = nr.responded / nr.delivered;
  const out: string[] = [];
  for (const a of nr.attributes)
    for (const v of a.values) {
      if (!v.underRepresented) continue;
      out.push(
        `Respondents from ${valueLabel(a.attribute, v.value)} (${labelOf(a.attribute).toLowerCase()}) are under-represented: they are ${pct(v.shareInvited)} of those invited but ${pct(v.shareRespondents)} of respondents. ` +
          `${pct(v.responseRate)} of them answered (95% CI ${pctInterval(v.responseRateInterval)}), against ${pct(overall)} overall` +
          (v.weight !== null ? `; weighting each of their answers by ${fixed(v.weight, 2)} matches the mix of those invited.` : '.'),
      );
    }
  if (out.length) return out;
  const tested = nr.attributes.filter((a) => a.pValue !== null);
  return [
    tested.length
      ? `No group is under-represented: the respondents' ${tested.map((a) => labelOf(a.attribute).toLowerCase()).join(', ')} mix is in line with those invited (chi-square tests, Holm-adjusted across ${tested.length} ${tested.length === 1 ? 'attribute' : 'attributes'}).`
      : 'Not enough variety yet to test: every attribute has a single value, or everyone (or no one) answered.',
  ];
}

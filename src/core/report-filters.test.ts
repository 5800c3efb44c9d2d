import { describe, it, expect } from 'vitest';
import { parseWhere, FilterError, describeFilters } from './report-filters.ts';

describe('parseWhere', () => {
  it('parses segment, touchpoint, stage and period filters; repeats OR within a name', () => {
    const f = parseWhere(['segment:region=EMEA', 'segment:region=APAC', 'segment:plan=basic', 'touchpoint=billing', 'stage=use', 'from=2025-01', 'to=2025-06']);
    expect(f).toEqual({ segments: { region: ['EMEA', 'APAC'], plan: ['basic'] }, touchpoints: ['billing'], stage: 'use', from: '2025-01', to: '2025-06' });
    expect(describeFilters(f)).toBe('period 2025-01 – 2025-06, stage use, touchpoint billing, region EMEA or APAC, plan basic');
  });
  it('rejects malformed expressions naming the problem', () => {
    expect(() => parseWhere(['region=EMEA'])).toThrow(/unknown filter "region"/);
    expect(() => parseWhere(['segment:region'])).toThrow(FilterError);
    expect(() => parseWhere(['from=2025-13'])).toThrow(/from: must be a month/);
    expect(() => parseWhere(['from=2025-06', 'to=2025-01'])).toThrow(/after/);
  });
});

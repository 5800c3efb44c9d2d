// `parallax report` names the real reason for what it does not show (issue 11): an empty organisation has
// "no responses yet" (not "suppressed"), and customers withheld by the anonymity rule are counted and named.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { storeResponses } from '../store/responses.ts';

describeEngines('parallax report: reasons for what is not shown', (ctx) => {
  it('says "no responses yet" for an empty organisation', async () => {
    const f = await makeOrg(ctx());
    const t = await cli(ctx().location, ['report', '--org', f.org.id]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Responses: customers no responses yet, leaders no responses yet.');
    expect(t.stdout).toMatch(/Customers\s+no responses yet/);
    expect(t.stdout).toContain('NPS       no responses yet');
    expect(t.stdout).not.toContain('suppressed');
  });

  it('counts and names the customers withheld from every report', async () => {
    const f = await makeOrg(ctx());
    // 20 customers with a region in January 2025, and one without: "region not given" holds 1 < 5 customers,
    // within 5% of 21 (1.05), so rule 1 withholds it; 20 are counted.
    const people = [...Array.from({ length: 20 }, () => ({ region: 'EMEA' as string | null })), { region: null }];
    await storeResponses(
      ctx().db,
      people.map((p, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: { respondentId: `c${i}`, submittedAt: '2025-01-10T12:00:00.000Z', touchpoint: 'app', segments: (p.region ? { region: p.region } : {}) as Record<string, string>, answers: { excellent: 4 }, comment: null },
      })),
    );
    const t = await cli(ctx().location, ['report', '--org', f.org.id]);
    expect(t.stdout).toContain('Responses: customers 20, leaders no responses yet.');
    expect(t.stdout).toContain(
      'Not shown: 1 response is not shown in any report: groups of fewer than 5 respondents (region not given: 1) could single someone out, so they count once their group reaches 5.',
    );
  });
});

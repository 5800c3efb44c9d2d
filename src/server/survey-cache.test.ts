// The public routes' survey cache: one read per survey per moment, and a set-up change made in this
// process seen by the very next request (segments, framework, activation).
import { expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { SurveyCache } from './survey-cache.ts';
import { getFramework, replaceFramework } from '../store/organisations.ts';
import { setSurveyActive } from '../store/surveys.ts';

describeEngines('survey cache', (ctx) => {
  it('shares one survey within its lifetime and drops it at once on a set-up change here', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const other = await makeOrg(ctx());
    const cache = new SurveyCache(db, 60_000);
    const first = await cache.get(f.customerSurvey);
    const otherSurvey = await cache.get(other.customerSurvey);
    expect(await cache.get(f.customerSurvey)).toBe(first);
    const framework = await getFramework(db, f.org.id);
    await replaceFramework(db, f.org.id, framework.slice(1));
    const after = (await cache.get(f.customerSurvey))!;
    expect(after).not.toBe(first);
    expect(after.definition.questions.some((q) => q.key === `dim:${framework[0]!.key}`)).toBe(false);
    // Another organisation's entry stays.
    expect(await cache.get(other.customerSurvey)).toBe(otherSurvey);
    await setSurveyActive(db, f.org.id, f.customerSurvey, false);
    expect((await cache.get(f.customerSurvey))!.active).toBe(false);
    expect(await cache.get('no-such-survey')).toBeUndefined();
    cache.close();
  });

  it('reads again once an entry has lived its time (a change made by another server)', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const cache = new SurveyCache(db, 30);
    const first = await cache.get(f.customerSurvey);
    await new Promise((r) => setTimeout(r, 60));
    expect(await cache.get(f.customerSurvey)).not.toBe(first);
    const off = new SurveyCache(db, 0);
    expect(await off.get(f.customerSurvey)).not.toBe(await off.get(f.customerSurvey));
    cache.close();
    off.close();
  });
});

// Declared segments in the store on both engines: replaced as a whole and read back in order, and the
// migration that declares, for data stored before declarations existed, every segment name found.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { getSegmentDeclarations, replaceSegmentDeclarations } from './segments.ts';
import { storeResponses } from './responses.ts';
import { up } from './migrations/0007-segment-declarations.ts';
import type { SegmentDeclaration } from '../core/segments.ts';

const DECLS: SegmentDeclaration[] = [
  { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'Europe, Middle East & Africa' }, { value: 'APAC', label: 'APAC' }] },
  { key: 'account', label: 'Account', public: false, kind: 'text', maxLength: 30 },
];

describeEngines('declared segments (store)', (ctx) => {
  it('a new organisation declares none; replacing stores them in order, and again replaces', async () => {
    const f = await makeOrg(ctx());
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual([]);
    await replaceSegmentDeclarations(ctx().db, f.org.id, DECLS);
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual(DECLS);
    await replaceSegmentDeclarations(ctx().db, f.org.id, [DECLS[1]!]);
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual([DECLS[1]]);
  });

  it('the migration declares the segment names already in the data as public free text (skipping unusable names)', async () => {
    const f = await makeOrg(ctx());
    const g = await makeOrg(ctx());
    const at = '2025-01-01T00:00:00.000Z';
    const row = (segments: Record<string, string>) => ({
      orgId: f.org.id,
      surveyId: f.customerSurvey,
      perspective: 'customer' as const,
      submission: { respondentId: null, submittedAt: at, touchpoint: null, segments, answers: { excellent: 4 }, comment: null },
    });
    // Stored as older versions allowed: any name, including a prototype one.
    await storeResponses(ctx().db, [row({ region: 'EMEA', plan: 'pro' }), row({ region: 'APAC' }), row({ constructor: 'x', Bad: 'y' })]);
    await ctx().db.schema.dropTable('segment_declarations').execute();
    await up(ctx().db);
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual([
      { key: 'plan', label: 'Plan', public: true, kind: 'text', maxLength: 80 },
      { key: 'region', label: 'Region', public: true, kind: 'text', maxLength: 80 },
    ]);
    expect(await getSegmentDeclarations(ctx().db, g.org.id)).toEqual([]);
  });
});

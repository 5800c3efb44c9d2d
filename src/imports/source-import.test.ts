// importSource on both engines with the real telecom NPS history (test/fixtures/nps-verbatims-telecom):
// a dry run writes nothing, the import stores every row once however often it runs, and the gap report
// — the one `parallax report` prints (reports/gap.ts gapReportFor) — computes NPS over those who answered
// it, with its own n, overall and per journey stage. A canonical CSV with NPS only is accepted too.
//
// Reference values, computed independently with python3 (csv module) on verbatim.csv:
//   python3 -c "import csv,collections; rows=list(csv.DictReader(open('verbatim.csv')));
//     nps=lambda xs:(lambda s:(len(s),100*(sum(x>=9 for x in s)-sum(x<=6 for x in s))/len(s)))([int(x) for x in xs if x]);
//     print(nps([r['NPS_SCORE'] for r in rows]));
//     g=collections.defaultdict(list); [g[r['SURVEY_SUB_TYPE']].append(r['NPS_SCORE']) for r in rows];
//     print({k:nps(v) for k,v in g.items()})"
//   → (2353, -24.6919…); Order (962, -9.9792), First Payment (1130, -29.2920), Equipment Received (231, -56.7100),
//     Service in Use (30, -76.6667); 690 promoters, 1271 detractors; 2,385 rows, 32 without a score (all with a comment).
import { it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { gapReportFor } from '../reports/gap.ts';
import { importSource, MappingRefused } from './source-import.ts';
import { importCanonicalCsv, ImportRefused } from './canonical-import.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures');
const TELECOM = readFileSync(join(FIX, 'nps-verbatims-telecom/verbatim.csv'));

describeEngines('importSource (telecom NPS history)', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });
  const nps = async (filters: object = {}) => {
    const r = (await gapReportFor(ctx().db, f.org.id, filters))!;
    if ('suppressed' in r.nps || !('score' in r.nps)) throw new Error(`NPS not reported: ${JSON.stringify(r.nps)}`);
    return { n: r.nps.n, score: Number(r.nps.score.toFixed(4)), promoters: r.nps.promoters, detractors: r.nps.detractors };
  };

  it('a dry run counts what would be imported and writes nothing', async () => {
    const r = await importSource(ctx(), { orgId: f.org.id, format: 'csv', bytes: TELECOM, dryRun: true });
    expect([r.rows, r.validRows, r.invalidRows, r.inserted]).toEqual([2385, 2385, 0, 0]);
    expect(r.counts.items.get('nps')).toBe(2353);
    expect(r.counts.comments).toBe(2385);
    expect(Object.fromEntries(r.counts.touchpoints)).toEqual({ checkout: 971, billing: 1150, welcome: 234, app: 30 });
    expect(r.counts.months.get('2017-12')).toBe(89);
    expect(r.mapping.items).toEqual([{ column: 'NPS_SCORE', item: 'nps' }]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('imports every row once, however often it runs, and reports NPS −24.7 on its own n', async () => {
    const first = await importSource(ctx(), { orgId: f.org.id, format: 'csv', bytes: TELECOM });
    expect([first.inserted, first.skipped]).toEqual([2385, 0]);
    const again = await importSource(ctx(), { orgId: f.org.id, format: 'csv', bytes: TELECOM });
    expect([again.inserted, again.skipped]).toEqual([0, 2385]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 2385, leader: 0 });
    expect(await nps()).toEqual({ n: 2353, score: -24.6919, promoters: 690, detractors: 1271 });
  });

  it('reports NPS by journey stage through the touchpoints the stages were mapped to', async () => {
    expect((await nps({ touchpoints: ['checkout'] })).n).toBe(962);
    expect((await nps({ touchpoints: ['checkout'] })).score).toBe(-9.9792);
    expect(await nps({ touchpoints: ['billing'] })).toMatchObject({ n: 1130, score: -29.292 });
    expect(await nps({ touchpoints: ['welcome'] })).toMatchObject({ n: 231, score: -56.71 });
    expect(await nps({ touchpoints: ['app'] })).toMatchObject({ n: 30, score: -76.6667 });
    // python3: sum(r['CUSTOMER_RESPONSE_DATE'][3:10] == '12/2017' and r['NPS_SCORE'] != '' for r in rows) → 86.
    expect(await nps({ from: '2017-12', to: '2017-12' })).toMatchObject({ n: 86 });
  });

  it('refuses a mapping naming what the file or organisation lacks, and invalid rows, writing nothing', async () => {
    const g = await makeOrg(ctx());
    const e = await importSource(ctx(), {
      orgId: g.org.id,
      format: 'csv',
      bytes: TELECOM,
      mapping: { version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'dmy' }, items: [{ column: 'SCORE', item: 'nps' }], segments: [{ column: 'Qtr', segment: 'quarter' }] },
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MappingRefused);
    expect((e as MappingRefused).problems).toEqual(['items.0.column: no column "SCORE" in this file', 'segments.0.segment: "quarter" is not a segment this organisation declares']);
    // Month-first dates: day 13 and later are not months, so those rows are refused and nothing is stored.
    const rows = await importSource(ctx(), { orgId: g.org.id, format: 'csv', bytes: TELECOM, mapping: { version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'mdy' }, items: [{ column: 'NPS_SCORE', item: 'nps' }] } }).catch((err: unknown) => err);
    expect(rows).toBeInstanceOf(ImportRefused);
    expect((rows as ImportRefused).about).toBe('rows');
    // python3: sum(int(r['CUSTOMER_RESPONSE_DATE'][:2]) > 12 for r in rows) → 1428, the first on data row 6.
    const dateErrors = (rows as ImportRefused).errors.filter((x) => x.column === 'CUSTOMER_RESPONSE_DATE');
    expect(dateErrors.length).toBe(1428);
    expect(dateErrors[0]).toEqual({ row: 6, column: 'CUSTOMER_RESPONSE_DATE', reason: '"21/02/2018 19:39" is not a valid date' });
    // Without the comment mapped, a row without a score holds nothing (row 231 is one of the 32).
    expect((rows as ImportRefused).errors).toContainEqual({ row: 231, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' });
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('imports a Qualtrics Insights export: its −1 "no basis" codes are not answers', async () => {
    const g = await makeOrg(ctx());
    const bytes = readFileSync(join(FIX, 'qualtrics-export/no_basis_for_evaluation_insights.csv'));
    const mapping = { version: 1, date: { column: 'StartDate', format: 'iso' }, respondentId: { column: 'ResponseID' }, items: [{ column: 'Q3_1', item: 'dim:service' }] };
    // python3 csv: Q3_1 holds -1,2,3,-1,1,1,1,3,2,-1,3,2,-1,3,-1 → 10 answers (1–3), 5 "no basis" codes.
    const r = await importSource(ctx(), { orgId: g.org.id, format: 'qualtrics', bytes, mapping, skipInvalid: true });
    expect([r.inserted, r.invalidRows, r.counts.items.get('dim:service')]).toEqual([10, 5, 10]);
    expect(r.errors[0]).toEqual({ row: 1, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' });
    const again = await importSource(ctx(), { orgId: g.org.id, format: 'qualtrics', bytes, mapping, skipInvalid: true });
    expect([again.inserted, again.skipped]).toEqual([0, 10]);
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 10, leader: 0 });
  });

  it('imports a LimeSurvey R export with its syntax file: a 1–7 item onto CES, the mood text as comment', async () => {
    const g = await makeOrg(ctx());
    const bytes = readFileSync(join(FIX, 'limesurvey-export/survey_998192_R_data_file.csv'));
    const syntax = readFileSync(join(FIX, 'limesurvey-export/survey_998192_R_syntax_file.R'), 'utf8');
    const mapping = { version: 1, date: { column: 'datestamp', format: 'iso' }, respondentId: { column: 'id' }, comment: { columns: ['mood'] }, items: [{ column: 'personality_open', item: 'ces' }] };
    // python3 csv: personality_open "", "", 3, "", "", "", 1; mood "", "dgggsdfs", "", "", "", "", "4747647" → rows 2, 3, 7.
    const r = await importSource(ctx(), { orgId: g.org.id, format: 'limesurvey', bytes, syntax, mapping, skipInvalid: true });
    expect([r.inserted, r.invalidRows, r.counts.items.get('ces'), r.counts.comments]).toEqual([3, 4, 2, 2]);
    expect(Object.fromEntries(r.counts.months)).toEqual({ '2021-09': 1, '2021-11': 1, '2022-03': 1 });
  });

  it('accepts a canonical CSV holding only NPS (history needs no required question)', async () => {
    const g = await makeOrg(ctx());
    const csv = 'perspective,submitted_at,nps\n' + [10, 9, 8, 3, 0, 10].map((v, i) => `customer,2024-03-0${i + 1}T10:00:00Z,${v}`).join('\n') + '\n';
    const r = await importCanonicalCsv(ctx(), { orgId: g.org.id, source: csv });
    expect(r.inserted).toBe(6);
    const report = (await gapReportFor(ctx().db, g.org.id, {}))!;
    // 3 promoters, 1 passive, 2 detractors: 100 × (3 − 2) / 6 = 16.67.
    expect(report.nps).toMatchObject({ n: 6, promoters: 3, passives: 1, detractors: 2 });
    expect((report.nps as { score: number }).score).toBeCloseTo(16.6667, 3);
  });
});

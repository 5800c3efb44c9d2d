// The packed answers layout (answers.ts) on both engines: values of any whole number read back as
// written, codes that share digits (1, 11, 21) never mixed up in SQL, items coded once per organisation
// even by concurrent writers, and a half-bad batch writes nothing.
import { it, expect } from 'vitest';
import { sql } from 'kysely';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { answerValueSql, packAnswers, readAnswers, readItemDictionary, unpackAnswers, writeAnswers } from './answers.ts';
import { writeTransaction } from './write-transaction.ts';

const plain = (r: Record<string, number> | undefined) => ({ ...r });

it('packs in code order and unpacks to what was packed', () => {
  const codeOf = new Map([['b', 11], ['a', 1], ['c', 2]]);
  const itemOf = new Map([...codeOf].map(([k, v]) => [v, k]));
  const packed = packAnswers(codeOf, { b: -7, a: 0, c: 9_007_199_254_740_991 });
  expect(packed).toBe('1=0,2=9007199254740991,11=-7');
  expect(plain(unpackAnswers(packed, itemOf))).toEqual({ a: 0, b: -7, c: 9_007_199_254_740_991 });
  expect(Object.getPrototypeOf(unpackAnswers('', itemOf))).toBe(null);
  expect(() => packAnswers(codeOf, { a: 2.5 })).toThrow(/not a whole number/);
  expect(() => packAnswers(codeOf, { zz: 1 })).toThrow(/no code/);
  expect(() => unpackAnswers('1=3,99=4', itemOf)).toThrow(/unknown item code/);
});

describeEngines('packed answers', (ctx) => {
  it('reads back every value, and SQL picks one item out without confusing codes that share digits', async () => {
    const { db } = ctx();
    const { org } = await makeOrg(ctx());
    // 25 items: codes 0..24, so 1, 11 and 21 (and 2, 12, 22) all occur.
    const items = Array.from({ length: 25 }, (_, i) => `item:${String(i).padStart(2, '0')}`);
    const responses = Array.from({ length: 30 }, (_, r) => {
      const answers: Record<string, number> = {};
      items.forEach((item, i) => {
        if ((r + i) % 3 !== 0) answers[item] = (r * 31 + i * 7) % 23 - 11; // negatives, zero, two digits
      });
      return { orgId: org.id, responseId: `r-${r}`, answers };
    });
    responses.push({ orgId: org.id, responseId: 'r-none', answers: {} });
    await writeTransaction(db, (tx) => writeAnswers(tx, responses));

    const back = await readAnswers(db, org.id, [...responses.map((r) => r.responseId), 'r-missing']);
    for (const r of responses) expect(plain(back.get(r.responseId))).toEqual(r.answers);
    expect(plain(back.get('r-missing'))).toEqual({});

    const { codeOf } = await readItemDictionary(db, org.id);
    expect([...codeOf.values()].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    for (const item of ['item:01', 'item:11', 'item:21', 'item:02']) {
      const rows = await db
        .selectFrom('answers as a')
        .select(['a.response_id', answerValueSql(db, 'a.items', codeOf.get(item)).as('v')])
        .where('a.org_id', '=', org.id)
        .execute();
      const got = new Map(rows.map((r) => [r.response_id, r.v === null ? null : Number(r.v)]));
      const want = new Map(responses.filter((r) => Object.keys(r.answers).length).map((r) => [r.responseId, r.answers[item] ?? null]));
      expect(got, item).toEqual(want);
    }
    const unknown = await db.selectFrom('answers as a').select(answerValueSql(db, 'a.items', undefined).as('v')).where('a.org_id', '=', org.id).execute();
    expect(unknown.every((r) => r.v === null)).toBe(true);
  });

  it('gives each new item one code when concurrent transactions bring it', async () => {
    const { db } = ctx();
    const { org } = await makeOrg(ctx());
    // Ten writers at once, each bringing new items, some shared with others.
    await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        writeTransaction(db, (tx) => writeAnswers(tx, [{ orgId: org.id, responseId: `w-${w}`, answers: { shared: w, [`own:${w}`]: w - 20, [`pair:${w >> 1}`]: 1 } }])),
      ),
    );
    const dict = await db.selectFrom('answer_items').select(['code', 'item']).where('org_id', '=', org.id).execute();
    const codes = dict.map((d) => Number(d.code)).sort((a, b) => a - b);
    expect(codes).toEqual(Array.from({ length: 1 + 10 + 5 }, (_, i) => i));
    const back = await readAnswers(db, org.id, Array.from({ length: 10 }, (_, w) => `w-${w}`));
    for (let w = 0; w < 10; w++) expect(plain(back.get(`w-${w}`))).toEqual({ shared: w, [`own:${w}`]: w - 20, [`pair:${w >> 1}`]: 1 });
  });

  it('writes nothing of a batch with a value that is not a whole number', async () => {
    const { db } = ctx();
    const { org } = await makeOrg(ctx());
    await expect(
      writeTransaction(db, (tx) => writeAnswers(tx, [{ orgId: org.id, responseId: 'ok', answers: { fresh: 1 } }, { orgId: org.id, responseId: 'bad', answers: { fresh: 0.5 } }])),
    ).rejects.toThrow(/not a whole number/);
    const left = await sql<{ n: number }>`select count(*) as n from answers where org_id = ${org.id}`.execute(db);
    expect(Number(left.rows[0]!.n)).toBe(0);
    expect((await readItemDictionary(db, org.id)).codeOf.size).toBe(0);
  });
});

// Segment-value roll-ups (src/store/rollups.ts): answer_rollups rows of grain 'v' (all-time) and 'mv'
// (per month) keyed by one segment value ("region=EMEA") instead of a combination of them, so a report on
// one segment value reads its rows instead of summing every combination that holds it. No new table:
// this writes the new grains into 0004's answer_rollups, summed from the answer-count cells already stored. Self-contained: the
// combination format ("name=value;name=value", values free of ';' and '=') is the one responses use.
import { sql, type Kysely } from 'kysely';

const CHUNK = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const cells = await sql<{ org_id: string; perspective: string; month: string; segment_key: string; item: string; value: number; n: number | string }>`
    SELECT org_id, perspective, month, segment_key, item, value, SUM(count) AS n
    FROM answer_cells WHERE segment_key <> ''
    GROUP BY org_id, perspective, month, segment_key, item, value`.execute(db);
  const sums = new Map<string, [string, string, string, string, string, string, string, number, number]>();
  const add = (row: [string, string, string, string, string, string, string, number], n: number) => {
    const k = row.join('\u0000');
    const seen = sums.get(k);
    if (seen) seen[8] += n;
    else sums.set(k, [...row, n]);
  };
  for (const c of cells.rows) {
    for (const pair of c.segment_key.split(';')) {
      add([c.org_id, 'mv', c.perspective, '', pair, c.month, c.item, Number(c.value)], Number(c.n));
      add([c.org_id, 'v', c.perspective, '', pair, '', c.item, Number(c.value)], Number(c.n));
    }
  }
  const rows = [...sums.values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('answer_rollups')
      .values(
        rows.slice(i, i + CHUNK).map(([org_id, grain, perspective, touchpoint, segment_key, month, item, value, count]) => ({
          org_id,
          grain,
          perspective,
          touchpoint,
          segment_key,
          month,
          item,
          value,
          count,
        })),
      )
      .execute();
  }
}

// Answer-cell deltas of responses: what each response adds to (or, erased, takes from) the answer cells,
// gathered per cell (organisation, perspective, month, touchpoint, segment combination) as item → value →
// count, and written by rollups.ts's addAnswerCells into the cells and every roll-up grain. Bulk loads,
// folds (fold-queue.ts), erasure and rebuild all use it. Nested maps keyed by the answers' own (interned)
// item keys and small integers, and one string key per response, not per answer: a million responses add
// ~15 million answers, and building a string per answer would cost more than writing them.

/** What a response adds to (sign 1) or takes from (sign -1) the answer cells. */
export interface CellInput {
  perspective: 'customer' | 'leader';
  month: string;
  touchpoint: string;
  segment_key: string;
  answers: Readonly<Record<string, number>>;
}

interface CellGroup {
  org_id: string;
  perspective: string;
  month: string;
  touchpoint: string;
  segment_key: string;
  counts: Map<string, Map<number, number>>;
}

export class AnswerCellDeltas {
  private readonly cells = new Map<string, CellGroup>();

  get size(): number {
    return this.cells.size;
  }

  /** Adds responses (sign 1) or takes them out (sign -1); item '*' counts the response itself. */
  add(orgId: string, responses: Iterable<CellInput>, sign: 1 | -1 = 1): this {
    for (const r of responses) {
      const k = `${orgId}\u0000${r.perspective}\u0000${r.month}\u0000${r.touchpoint}\u0000${r.segment_key}`;
      let group = this.cells.get(k);
      if (!group) this.cells.set(k, (group = { org_id: orgId, perspective: r.perspective, month: r.month, touchpoint: r.touchpoint, segment_key: r.segment_key, counts: new Map() }));
      bump(group.counts, '*', 0, sign);
      for (const item in r.answers) bump(group.counts, item, r.answers[item]!, sign);
    }
    return this;
  }

  /** [org, perspective, month, touchpoint, segment_key, item, value, ±count], the rows of one cell together (as rollUp expects). */
  rows(): unknown[][] {
    const out: unknown[][] = [];
    for (const c of this.cells.values()) {
      for (const [item, values] of c.counts) for (const [value, n] of values) if (n !== 0) out.push([c.org_id, c.perspective, c.month, c.touchpoint, c.segment_key, item, value, n]);
    }
    return out;
  }

  /** The organisations whose cells the deltas touch. */
  organisations(): string[] {
    return [...new Set([...this.cells.values()].map((c) => c.org_id))];
  }
}

function bump(counts: Map<string, Map<number, number>>, item: string, value: number, by: number) {
  let values = counts.get(item);
  if (!values) counts.set(item, (values = new Map()));
  values.set(value, (values.get(value) ?? 0) + by);
}

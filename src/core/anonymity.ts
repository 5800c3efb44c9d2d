// Anonymity that filters cannot break: which respondents a report may use, and whether it may be shown.
//
// The threat. A viewer may run any report with any filters and subtract one answer from another. The
// plain rule "suppress a group smaller than k" stops no one: two large groups can differ by a single
// respondent — all customers vs all but one touchpoint, region=EMEA vs region=EMEA & plan=basic, up to
// June vs up to May — and the difference of their histograms is that respondent's answers. Checking the
// one-attribute slices of a query (every touchpoint, month and segment value inside it is 0 or ≥ k) stops
// single differences but not two-step ones: for any base Q, inclusion–exclusion
//   n(Q ∧ tp=X ∧ month=m) = n(Q) − n(Q ∧ tp≠X) − n(Q ∧ month≠m) + n(Q ∧ tp≠X ∧ month≠m)
// isolates the (X, m) cell of Q while every one-attribute slice of all four queries is large (with the
// demo's 6,000 responses over 18 months × 10 touchpoints × 4 regions × 3 plans, most such cells hold 1–4).
// Exact answers to every product of filters can always be combined down to single cells this way, so a
// sound rule must limit which attributes may be combined, and do so from the data.
//
// The rule (k = the organisation's minimum group size, default 5):
// 1. Rare values are withheld everywhere. A value of one attribute — a month, a touchpoint, a segment
//    value, "not given" included — held by fewer than k customers is left out of every report, filtered
//    or not (repeated until no rare value is left), as long as the withheld customers are at most 5% of
//    all. This keeps a new month's first few answers (or a stray segment value) from blocking every period
//    filter, and a withheld respondent is in no report, so no difference can reach them.
//    Beyond the cap the rule degrades gracefully instead of switching the attribute off for everyone
//    (which 320 invented months or segment values once did to every period and segment filter): the
//    attribute's remaining rare values are POOLED — treated as one value, "rare", in every table — and a
//    report that filters or breaks down by the attribute leaves the pooled respondents out (no filter can
//    select a pooled value), while reports that do not touch it keep them. That is a coarsening of the
//    attribute, so rules 2 and 3 apply to it unchanged: the pool is a cell of each table that touches the
//    attribute and must hold ≥ k there like any other. Only when the pool itself is smaller than k (a
//    tiny organisation) is the attribute left unusable, as before: its tables are unsafe (rule 2).
// 2. A report is computed from the cells of one table: the attributes its filters and its breakdown
//    touch (a period filter or a monthly trend → month; a quarterly trend → quarter; touchpoint or stage;
//    each filtered segment). It is shown only when every non-empty cell of that table, over all of the
//    organisation's reportable customers (not only the filtered ones), holds at least k respondents —
//    otherwise it is refused as a whole, naming the attributes. Not cell by cell: hiding only the small
//    cells of a table would let a coarser report plus the shown cells give the hidden ones back.
// 3. A shown group (the filtered set, a breakdown row, a trend point) holds at least k respondents.
//
// Why it holds. Every figure is a sum over whole cells of its report's table. When report B's table
// refines report A's (B's attributes include A's), A − B is a signed sum of whole cells of B's table, each
// of ≥ k respondents; the inclusion–exclusion above needs a report restricting both attributes, whose
// table holds the (X, m) cell itself. So no report, and no difference of reports along nested tables,
// isolates fewer than k respondents. With the demo data every one- and two-attribute table is safe, so
// trends filtered by one attribute and breakdowns filtered by one attribute work, while e.g. a monthly
// trend filtered by touchpoint and region (cells of 1–4) is refused.
// Leaders are few and answer at scattered times, so rule 1 would withhold nearly all of them; for them
// there is no withholding: a period-filtered leader view needs their month table to be safe (it usually
// is not, and their side is then suppressed), and groups of leaders (calibration by function) smaller
// than k are pooled together until every block holds ≥ k (see poolSmallGroups).
//
// What it does not claim. (a) Tables over different attribute sets — say {month, touchpoint} and
// {touchpoint, region} — bound the cells of their union table but determine them only in degenerate
// cases (known empty cells); this is the territory of secondary cell suppression and differential
// privacy. (b) Watching a report before and after one new response shows that response's effect, as for
// any live aggregate. (c) A group of ≥ k who all gave the same answer reveals that answer (k-anonymity,
// not l-diversity).
import type { ReportFilters } from './report-filters.ts';
import { parseSegmentKey } from './survey.ts';

/** Respondents in one atomic cell (month × touchpoint × segment combination), from the answer-count cells. */
export interface CellCount {
  month: string;
  touchpoint: string;
  segmentKey: string;
  n: number;
  /**
   * Who the n are, when one person can be in several cells (feedback items: an author writes many, in
   * different months or touchpoints; issue 9). Ids local to one array of cells, n = their number. Every group
   * of such cells — a value, a table's cell, a cut — then counts the distinct people in it, not the sum of n.
   */
  people?: readonly number[];
}

/** The people in a group of cells: the sum of n, or the distinct ids of cells that carry them. */
class Headcount {
  private plain = 0;
  private ids?: Set<number>;
  add(c: CellCount): this {
    if (c.people) for (const id of c.people) (this.ids ??= new Set()).add(id);
    else this.plain += c.n;
    return this;
  }
  get n(): number {
    return this.plain + (this.ids?.size ?? 0);
  }
}
const headcount = (cells: Iterable<CellCount>): number => {
  const h = new Headcount();
  for (const c of cells) h.add(c);
  return h.n;
};

/** An attribute a report can filter or break down by. Quarter is a coarsening of month, stage of touchpoint. */
export type Attribute = 'month' | 'quarter' | 'touchpoint' | 'stage' | `segment:${string}`;

/** Largest share of respondents that rule 1 may withhold. */
export const WITHHOLD_CAP = 0.05;

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

export interface AnonymityOptions {
  k: number;
  /** The stage a touchpoint belongs to ('' when none). */
  stageOf: (touchpoint: string) => string;
  /** Rule 1 (customers: yes; leaders: no, see the module comment). */
  withholdRare: boolean;
}

interface Cell extends CellCount {
  segments: Record<string, string>;
}

export function valueOf(cell: Cell, attr: Attribute, stageOf: (tp: string) => string): string {
  if (attr === 'month') return cell.month;
  if (attr === 'quarter') return quarterOf(cell.month);
  if (attr === 'touchpoint') return cell.touchpoint;
  if (attr === 'stage') return stageOf(cell.touchpoint);
  return cell.segments[attr.slice('segment:'.length)] ?? '';
}

// Performance (bench/): a report applies the rule to the same ~3,000 cells several times (cut() parses
// them, withheldValues() and tableCheck() again), and the store keeps one cells array per data version
// (store/cell-cache.ts). So a parse is remembered per array, and cells already parsed are not re-parsed.
// Both results are shared: read-only.
const parsedCells = new WeakMap<readonly CellCount[], Cell[]>();
const parse = (cells: readonly CellCount[]): Cell[] => {
  let out = parsedCells.get(cells);
  if (!out) {
    out = cells.filter((c) => c.n > 0).map((c) => ('segments' in c ? (c as Cell) : { ...c, segments: parseSegmentKey(c.segmentKey) }));
    parsedCells.set(cells, out);
  }
  return out;
};

/** Attribute values withheld by rule 1, attribute → values. */
export type Withheld = Map<Attribute, Set<string>>;

function isWithheld(cell: Cell, withheld: Withheld, stageOf: (tp: string) => string): boolean {
  for (const [attr, values] of withheld) if (values.has(valueOf(cell, attr, stageOf))) return true;
  return false;
}

/**
 * Rule 1: values of the base attributes (month, touchpoint, every segment name) held by 0 < n < k
 * respondents, withheld while the withheld respondents stay within `cap` of all; repeated until none is
 * rare, since withholding one value can make another rare.
 */
export function withheldValues(cells: readonly CellCount[], k: number, stageOf: (tp: string) => string = () => '', cap = WITHHOLD_CAP): Withheld {
  return ruleOne(cells, k, stageOf, cap).withheld;
}

/**
 * Rule 1 beyond the cap: per base attribute, the rare values pooled into one (see the module comment);
 * reports touching the attribute leave them out, tables count them as one cell.
 */
export function pooledValues(cells: readonly CellCount[], k: number, stageOf: (tp: string) => string = () => '', cap = WITHHOLD_CAP): Withheld {
  return ruleOne(cells, k, stageOf, cap).pooled;
}

interface RuleOne {
  withheld: Withheld;
  pooled: Withheld;
}

function ruleOne(cells: readonly CellCount[], k: number, stageOf: (tp: string) => string, cap: number): RuleOne {
  // Remembered per cells array, k and cap (see parse): stageOf is not keyed because rule 1 only looks at
  // the base attributes (month, touchpoint, segments), never at stages.
  const memoKey = `${k}\u0000${cap}`;
  let memo = withheldMemo.get(cells);
  const hit = memo?.get(memoKey);
  if (hit) return hit;
  if (!memo) withheldMemo.set(cells, (memo = new Map()));
  const result = computeWithheld(cells, k, stageOf, cap);
  memo.set(memoKey, result);
  return result;
}

const withheldMemo = new WeakMap<readonly CellCount[], Map<string, RuleOne>>();

function computeWithheld(cells: readonly CellCount[], k: number, stageOf: (tp: string) => string, cap: number): RuleOne {
  const all = parse(cells);
  const total = headcount(all);
  const names = [...new Set(all.flatMap((c) => Object.keys(c.segments)))].sort();
  const attrs: Attribute[] = ['month', 'touchpoint', ...names.map((n) => `segment:${n}` as const)];
  const withheld: Withheld = new Map();
  const blocked = new Set<Attribute>();
  let withheldN = 0;
  const rareOf = (attr: Attribute, included: readonly Cell[]) => {
    const counts = new Map<string, Headcount>();
    for (const c of included) {
      if (isWithheld(c, withheld, stageOf)) continue; // withheld earlier in this pass
      const v = valueOf(c, attr, stageOf);
      let h = counts.get(v);
      if (!h) counts.set(v, (h = new Headcount()));
      h.add(c);
    }
    return [...counts].map(([v, h]) => [v, h.n] as const).filter(([, n]) => n < k);
  };
  for (let changed = true; changed; ) {
    changed = false;
    const included = all.filter((c) => !isWithheld(c, withheld, stageOf));
    for (const attr of attrs) {
      if (blocked.has(attr)) continue;
      const rare = rareOf(attr, included);
      if (rare.length === 0) continue;
      const n = rare.reduce((s, [, x]) => s + x, 0);
      if (withheldN + n > cap * total) {
        blocked.add(attr); // too many to withhold: pooled below (or, a pool under k, unusable: rule 2)
        continue;
      }
      withheldN += n;
      const set = withheld.get(attr) ?? new Set<string>();
      for (const [v] of rare) set.add(v);
      withheld.set(attr, set);
      changed = true;
    }
  }
  // Pooling removes no one, so it changes no other attribute's counts: one pass after the fixpoint.
  const pooled: Withheld = new Map();
  const included = all.filter((c) => !isWithheld(c, withheld, stageOf));
  for (const attr of blocked) {
    const rare = new Set(rareOf(attr, included).map(([v]) => v));
    // The pool's people counted once each (an author may hold several of its values).
    if (rare.size > 0 && headcount(included.filter((c) => rare.has(valueOf(c, attr, stageOf)))) >= k) pooled.set(attr, rare);
  }
  return { withheld, pooled };
}

/** The base attribute a coarsening is computed from (quarter → month, stage → touchpoint). */
const baseOf = (attr: Attribute): Attribute => (attr === 'quarter' ? 'month' : attr === 'stage' ? 'touchpoint' : attr);

/** The value a cell counts under in a table: its value, or one shared "rare" value when pooled. */
const POOL = '\u0000pooled';
function tableValueOf(cell: Cell, attr: Attribute, stageOf: (tp: string) => string, pooled: Withheld | undefined): string {
  const values = pooled?.get(baseOf(attr));
  if (values && values.has(valueOf(cell, baseOf(attr), stageOf))) return POOL;
  return valueOf(cell, attr, stageOf);
}

/** A quarter table is coarser than a month one, a stage table than a touchpoint one: keep the finer. */
export function normaliseAttributes(attrs: readonly Attribute[]): Attribute[] {
  const set = new Set(attrs);
  if (set.has('month')) set.delete('quarter');
  if (set.has('touchpoint')) set.delete('stage');
  const order = (a: Attribute) => ['month', 'quarter', 'touchpoint', 'stage'].indexOf(a);
  return [...set].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    if (x >= 0 || y >= 0) return (x < 0 ? 9 : x) - (y < 0 ? 9 : y);
    return a.localeCompare(b);
  });
}

/** The attributes a filter touches. */
export function filterAttributes(f: ReportFilters): Attribute[] {
  const out: Attribute[] = [];
  if (f.from || f.to) out.push('month');
  if (f.touchpoints) out.push('touchpoint');
  else if (f.stage) out.push('stage');
  for (const name of Object.keys(f.segments ?? {})) out.push(`segment:${name}`);
  return out;
}

function matches(c: Cell, f: ReportFilters, stageOf: (tp: string) => string): boolean {
  if (f.from && c.month < f.from) return false;
  if (f.to && c.month > f.to) return false;
  if (f.touchpoints && !f.touchpoints.includes(c.touchpoint)) return false;
  if (f.stage && stageOf(c.touchpoint) !== f.stage) return false;
  for (const [name, values] of Object.entries(f.segments ?? {})) if (!values.includes(c.segments[name] ?? '')) return false;
  return true;
}

/** Rule 2 for one table: the smallest non-empty cell, and whether it reaches k. */
export function tableCheck(
  cells: readonly CellCount[],
  attrs: readonly Attribute[],
  k: number,
  stageOf: (tp: string) => string = () => '',
  /** Rule 1's pooled values (pooledValues): each attribute's pool counts as one value. */
  pooled?: Withheld,
): { safe: boolean; smallest: number } {
  // Remembered per cells array (see parse): many reports share a table (every region's monthly trend
  // checks the month × region table). A stage attribute depends on the journey, so it is not remembered.
  // Pooled values are a function of the cells and k, so a flag for whether they were applied suffices.
  const memoKey = attrs.includes('stage') ? undefined : `${k}\u0000${pooled?.size ? 'p' : ''}\u0000${attrs.join('\u0000')}`;
  let memo = tableMemo.get(cells);
  const hit = memoKey === undefined ? undefined : memo?.get(memoKey);
  if (hit) return hit;
  const result = computeTableCheck(cells, attrs, k, stageOf, pooled);
  if (memoKey !== undefined) {
    if (!memo) tableMemo.set(cells, (memo = new Map()));
    memo.set(memoKey, result);
  }
  return result;
}

const tableMemo = new WeakMap<readonly CellCount[], Map<string, { safe: boolean; smallest: number }>>();

function computeTableCheck(
  cells: readonly CellCount[],
  attrs: readonly Attribute[],
  k: number,
  stageOf: (tp: string) => string,
  pooled: Withheld | undefined,
): { safe: boolean; smallest: number } {
  const groups = new Map<string, Headcount>();
  for (const c of parse(cells)) {
    const key = attrs.map((a) => tableValueOf(c, a, stageOf, pooled)).join('\u0000');
    let h = groups.get(key);
    if (!h) groups.set(key, (h = new Headcount()));
    h.add(c);
  }
  const smallest = groups.size ? Math.min(...[...groups.values()].map((h) => h.n)) : 0;
  return { safe: smallest === 0 || smallest >= k, smallest };
}

/** The atomic cells a report aggregates, as the three lists a SQL filter needs (undefined: no restriction). */
export interface CellScope {
  months?: string[];
  touchpoints?: string[];
  segmentKeys?: string[];
}

export interface Cut {
  /** False when the report may not be shown at all (rule 2 or 3); `reason` says why. */
  visible: boolean;
  reason: string | null;
  /** Respondents in the filtered set (after withholding). Only to be shown when visible. */
  respondents: number;
  attributes: Attribute[];
  /** What to aggregate: the filtered cells minus the withheld ones. Empty lists select nothing. */
  scope: CellScope;
  /** The filtered, reportable cells, for grouping by a breakdown attribute. */
  cells: CellCount[];
  /** Respondents withheld by rule 1 across the organisation (not only in this cut). */
  withheldRespondents: number;
}

export const tooFew = (k: number) => `fewer than ${k} respondents`;

export function unsafeTableReason(attrs: readonly Attribute[], k: number, filtered = true): string {
  // Only a report with filters can be helped by fewer filters; a breakdown alone (a tiny organisation's
  // monthly trend) waits for more respondents.
  if (!filtered) return `some ${attrs.join(' × ')} holds fewer than ${k} respondents, so this breakdown waits until each holds at least ${k}`;
  return (
    `combining ${attrs.join(' × ')} leaves groups of fewer than ${k} respondents, which comparing reports could single out; ` +
    'use fewer filters (or drop the breakdown)'
  );
}

/** One value rule 1 withholds, and how many respondents hold it (they are in no report). */
export interface WithheldGroup {
  attribute: Attribute;
  /** '' is "not given" (a response without that segment, e.g. no region). */
  value: string;
  respondents: number;
}

/**
 * What rule 1 leaves out of every report, value by value, so a report can say why its figures do not
 * count some responses. A respondent holding two withheld values counts in both groups; the total
 * withheld is Cut.withheldRespondents.
 */
export function withheldGroups(cells: readonly CellCount[], k: number, stageOf: (tp: string) => string = () => ''): WithheldGroup[] {
  const all = parse(cells);
  const out: WithheldGroup[] = [];
  for (const [attribute, values] of ruleOne(all, k, stageOf, WITHHOLD_CAP).withheld)
    for (const value of [...values].sort())
      out.push({ attribute, value, respondents: headcount(all.filter((c) => valueOf(c, attribute, stageOf) === value)) });
  return out;
}

/**
 * Applies the rule to one report: `filters` restrict it, `breakdown` lists the attributes it groups by
 * (e.g. ['month'] for a monthly trend). The scope excludes withheld values.
 */
export function cut(cells: readonly CellCount[], filters: ReportFilters, opts: AnonymityOptions, breakdown: readonly Attribute[] = []): Cut {
  const { k, stageOf } = opts;
  const all = parse(cells);
  const rule = opts.withholdRare ? ruleOne(all, k, stageOf, WITHHOLD_CAP) : undefined;
  const withheld = rule?.withheld ?? (new Map() as Withheld);
  // Nothing withheld: the parsed array itself, so the table checks below are remembered across cuts.
  const included = withheld.size === 0 ? all : all.filter((c) => !isWithheld(c, withheld, stageOf));
  const withheldRespondents = all.length === included.length ? 0 : headcount(all) - headcount(included);
  const attributes = normaliseAttributes([...filterAttributes(filters), ...breakdown]);
  // Pooled values of the attributes this report touches: left out of it (no filter selects them).
  const used = new Set(attributes.map(baseOf));
  const pooledHere: Withheld = new Map([...(rule?.pooled ?? [])].filter(([a]) => used.has(a)));
  const unfiltered = !filters.from && !filters.to && !filters.touchpoints && !filters.stage && !filters.segments && pooledHere.size === 0;
  const inCut = unfiltered ? included : included.filter((c) => matches(c, filters, stageOf) && !isWithheld(c, pooledHere, stageOf));
  const respondents = headcount(inCut);

  const restricted = (attr: 'month' | 'touchpoint' | 'segments') => {
    const byFilter =
      attr === 'month' ? !!(filters.from || filters.to) : attr === 'touchpoint' ? !!(filters.touchpoints || filters.stage) : !!filters.segments;
    const byRule = [...withheld.keys(), ...pooledHere.keys()].some((a) => (attr === 'segments' ? a.startsWith('segment:') : a === attr));
    return byFilter || byRule;
  };
  const distinct = (f: (c: Cell) => string) => [...new Set(inCut.map(f))].sort();
  const scope: CellScope = {};
  if (restricted('month')) scope.months = distinct((c) => c.month);
  if (restricted('touchpoint')) scope.touchpoints = distinct((c) => c.touchpoint);
  if (restricted('segments')) scope.segmentKeys = distinct((c) => c.segmentKey);

  const table = tableCheck(included, attributes, k, stageOf, rule?.pooled);
  // The plainer reason first: a cut below k is hidden whatever its table.
  let reason: string | null = null;
  if (respondents < k) reason = tooFew(k);
  else if (!table.safe) reason = unsafeTableReason(attributes, k, filterAttributes(filters).length > 0);
  return {
    visible: reason === null,
    reason,
    respondents,
    attributes,
    scope,
    // The parsed cells themselves (CellCounts with their segments): no copy of thousands of cells, and
    // groupCells() need not parse them again. Shared: read-only.
    cells: inCut,
    withheldRespondents,
  };
}

/** Groups a cut's cells by an attribute: value → respondents. */
export function groupCells(cells: readonly CellCount[], attr: Attribute, stageOf: (tp: string) => string = () => ''): Map<string, number> {
  const groups = new Map<string, Headcount>();
  for (const c of parse(cells)) {
    const v = valueOf(c, attr, stageOf);
    let h = groups.get(v);
    if (!h) groups.set(v, (h = new Headcount()));
    h.add(c);
  }
  return new Map([...groups].map(([v, h]) => [v, h.n]));
}

/**
 * Pools groups smaller than k (e.g. leaders by function) so that every block shown holds ≥ k: the small
 * groups together, and while that pool is still short, the next smallest group with them. A partition
 * into blocks of ≥ k whose union is the whole, so the whole minus any shown blocks is again ≥ k (or 0).
 * Returns the blocks (each a list of group keys, sorted), or [] when even all together are fewer than k.
 */
export function poolSmallGroups(groups: readonly { key: string; n: number }[], k: number): string[][] {
  const nonEmpty = groups.filter((g) => g.n > 0).sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  const total = nonEmpty.reduce((s, g) => s + g.n, 0);
  if (total < k || total === 0) return [];
  const pool = nonEmpty.filter((g) => g.n < k);
  const rest = nonEmpty.filter((g) => g.n >= k);
  let pooled = pool.reduce((s, g) => s + g.n, 0);
  while (pool.length > 0 && pooled < k) {
    const next = rest.shift()!; // total ≥ k guarantees one exists
    pool.push(next);
    pooled += next.n;
  }
  const blocks = rest.map((g) => [g.key]);
  if (pool.length) blocks.push(pool.map((g) => g.key).sort());
  return blocks;
}

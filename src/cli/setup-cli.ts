// `parallax journey show|set` and `parallax segments list|set|declare|remove` (issue 9): the journey (stages →
// touchpoints with their owning departments) and the declared segments edited from the command line through
// the API's own path — its body schemas (strict `{ stages }` and `{ segments }`), the same store functions,
// errors naming the field, nothing written on error, and an audit entry like the API's write records.
// A source's stage column is mapped onto touchpoints by the saved import mappings already
// (core/import-mapping.ts `touchpoint.values`), so there is no separate command for that.
// Registered by src/cli/main.ts.
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Store } from '../store/db.ts';
import { CliError, resolveOrg, runCommand } from './cli-common.ts';
import { Journey, type Stage } from '../core/journey.ts';
import { SegmentDeclaration, SegmentDeclarations } from '../core/segments.ts';
import { getJourney, replaceJourney } from '../store/organisations.ts';
import { getSegmentDeclarations, replaceSegmentDeclarations } from '../store/segments.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';

// The bodies of PUT /organisations/:org/journey and …/segments (src/server/routes/setup.ts, segments.ts).
const JourneyBody = z.object({ stages: Journey }).strict();
const SegmentsBody = z.object({ segments: SegmentDeclarations }).strict();

/** A set-up file is a few kilobytes; this only stops a wrong file (a data export) from being read whole. */
const MAX_FILE_BYTES = 1024 * 1024;

type Line = (line: string) => void;

/** zod issues as the API words them (src/server/errors.ts): `field.path: message`, unknown keys named one by one. */
export function fieldErrors(error: z.ZodError, rename: (path: string) => string = (p) => p): string[] {
  return error.issues.flatMap((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${rename(path ? `${path}.${k}` : k)}: is not a known field`);
    return [`${rename(path || 'body')}: ${i.message}`];
  });
}

/** The JSON of a file, or of stdin for "-". */
function readJson(file: string): unknown {
  let text: string;
  try {
    if (file !== '-' && statSync(file).size > MAX_FILE_BYTES) throw new CliError(`${file}: larger than 1 MB; not a set-up file`);
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new CliError(`${file}: not JSON (${(e as Error).message})`);
  }
}

function refuse(errors: string[], err: Line): never {
  for (const e of errors) err(e);
  throw new CliError(`${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}; nothing was written`);
}

// ── journey ──────────────────────────────────────────────────────────────────────────────────────────────

/** The journey as a tree: each stage, and under it each touchpoint with the department that owns it. */
export function journeyTree(stages: Stage[]): string[] {
  return stages.flatMap((s) => [
    `${s.label} [${s.key}]`,
    ...(s.touchpoints.length ? s.touchpoints.map((t, j) => `  ${j === s.touchpoints.length - 1 ? '└─' : '├─'} ${t.label} [${t.key}] (${t.department})`) : ['  (no touchpoints)']),
  ]);
}

export async function journeyShowCommand(store: Store, opts: { org?: string; json?: boolean }, out: Line): Promise<Stage[]> {
  const org = await resolveOrg(store, opts.org);
  const stages = await getJourney(store.db, org.id);
  // --json is the API's GET body, which `journey set` takes back.
  if (opts.json) out(JSON.stringify({ stages }, null, 2));
  else for (const l of journeyTree(stages)) out(l);
  return stages;
}

export interface JourneyChanges {
  stagesAdded: string[];
  stagesRemoved: string[];
  stagesRenamed: string[];
  touchpointsAdded: string[];
  touchpointsRemoved: string[];
  touchpointsRenamed: string[];
  touchpointsMoved: string[];
  departmentsChanged: string[];
  /** Only the order differs (or nothing at all: `unchanged`). */
  reordered: boolean;
  unchanged: boolean;
}

/** What replacing `before` by `after` changes, by key: a touchpoint keeps its key when it is renamed or moved. */
export function journeyChanges(before: Stage[], after: Stage[]): JourneyChanges {
  const tps = (j: Stage[]) => new Map(j.flatMap((s) => s.touchpoints.map((t) => [t.key, { ...t, stage: s.key }] as const)));
  const sb = new Map(before.map((s) => [s.key, s]));
  const sa = new Map(after.map((s) => [s.key, s]));
  const tb = tps(before);
  const ta = tps(after);
  const c: JourneyChanges = {
    stagesAdded: after.filter((s) => !sb.has(s.key)).map((s) => `${s.key} "${s.label}"`),
    stagesRemoved: before.filter((s) => !sa.has(s.key)).map((s) => `${s.key} "${s.label}"`),
    stagesRenamed: after.filter((s) => sb.has(s.key) && sb.get(s.key)!.label !== s.label).map((s) => `${s.key}: "${sb.get(s.key)!.label}" → "${s.label}"`),
    touchpointsAdded: [...ta.values()].filter((t) => !tb.has(t.key)).map((t) => `${t.key} "${t.label}" (${t.department}) in ${t.stage}`),
    touchpointsRemoved: [...tb.values()].filter((t) => !ta.has(t.key)).map((t) => `${t.key} "${t.label}" (${t.department})`),
    touchpointsRenamed: [...ta.values()].filter((t) => tb.has(t.key) && tb.get(t.key)!.label !== t.label).map((t) => `${t.key}: "${tb.get(t.key)!.label}" → "${t.label}"`),
    touchpointsMoved: [...ta.values()].filter((t) => tb.has(t.key) && tb.get(t.key)!.stage !== t.stage).map((t) => `${t.key}: ${tb.get(t.key)!.stage} → ${t.stage}`),
    departmentsChanged: [...ta.values()].filter((t) => tb.has(t.key) && tb.get(t.key)!.department !== t.department).map((t) => `${t.key}: ${tb.get(t.key)!.department} → ${t.department}`),
    reordered: false,
    unchanged: JSON.stringify(before) === JSON.stringify(after),
  };
  c.reordered = !c.unchanged && Object.values(c).every((v) => !Array.isArray(v) || v.length === 0);
  return c;
}

function describeChanges(c: JourneyChanges): string[] {
  if (c.unchanged) return ['no change'];
  const lines: string[] = [];
  const put = (what: string, list: string[]) => list.forEach((x) => lines.push(`${what}: ${x}`));
  put('stage added', c.stagesAdded);
  put('stage removed', c.stagesRemoved);
  put('stage renamed', c.stagesRenamed);
  put('touchpoint added', c.touchpointsAdded);
  put('touchpoint removed', c.touchpointsRemoved);
  put('touchpoint renamed', c.touchpointsRenamed);
  put('touchpoint moved', c.touchpointsMoved);
  put('touchpoint department', c.departmentsChanged);
  if (c.reordered) lines.push('order changed');
  return lines;
}

export interface JourneySetResult {
  changes: JourneyChanges;
  written: boolean;
}

/**
 * `journey set <file|->`: the API's PUT body from a file. Like the API, it allows removing a touchpoint that
 * stored responses carry (they keep its key); it says how many do, so that is not a surprise.
 */
export async function journeySetCommand(store: Store, file: string, opts: { org?: string; dryRun?: boolean }, out: Line, err: Line): Promise<JourneySetResult> {
  const org = await resolveOrg(store, opts.org);
  const parsed = JourneyBody.safeParse(readJson(file));
  if (!parsed.success) refuse(fieldErrors(parsed.error), err);
  const before = await getJourney(store.db, org.id);
  const after = parsed.data.stages;
  const changes = journeyChanges(before, after);
  for (const l of describeChanges(changes)) out(l);
  const removed = [...new Set(before.flatMap((s) => s.touchpoints.map((t) => t.key)))].filter((k) => !after.some((s) => s.touchpoints.some((t) => t.key === k)));
  if (removed.length) {
    const kept = await store.db
      .selectFrom('responses')
      .select(['touchpoint', (eb) => eb.fn.countAll().as('n')])
      .where('org_id', '=', org.id)
      .where('touchpoint', 'in', removed)
      .groupBy('touchpoint')
      .execute();
    for (const k of kept) out(`  ${Number(k.n)} stored response(s) keep touchpoint ${k.touchpoint}; new answers can no longer choose it`);
  }
  if (opts.dryRun || changes.unchanged) {
    out(opts.dryRun ? 'Dry run: nothing was written.' : 'Nothing was written.');
    return { changes, written: false };
  }
  await replaceJourney(store.db, org.id, after);
  await recordAudit(store.db, {
    orgId: org.id, actor: cliActor(), action: 'journey.replace', target: '/journey',
    details: { via: 'cli', fields: ['stages'], added: changes.touchpointsAdded.length, removed: changes.touchpointsRemoved.length },
  });
  out(`Saved the journey of ${org.id}: ${after.length} stages, ${after.reduce((n, s) => n + s.touchpoints.length, 0)} touchpoints.`);
  return { changes, written: true };
}

// ── segments ─────────────────────────────────────────────────────────────────────────────────────────────

/** One line per declared segment: key, label, who may set it, and its values or maximum length. */
export function segmentLine(d: SegmentDeclaration): string {
  const values = d.kind === 'values' ? d.values.map((v) => (v.label === v.value ? v.value : `${v.value}=${v.label}`)).join(', ') : `free text up to ${d.maxLength} characters`;
  return [d.key, d.label, d.public ? 'public' : 'trusted only', values].join('\t');
}

export async function segmentsListCommand(store: Store, opts: { org?: string; json?: boolean }, out: Line): Promise<SegmentDeclaration[]> {
  const org = await resolveOrg(store, opts.org);
  const segments = await getSegmentDeclarations(store.db, org.id);
  if (opts.json) out(JSON.stringify({ segments }, null, 2));
  else if (segments.length === 0) out('no declared segments (parallax segments declare <key> --values a,b,c)');
  else for (const d of segments) out(segmentLine(d));
  return segments;
}

async function saveSegments(store: Store, orgId: string, segments: SegmentDeclaration[], err: Line, details: Record<string, unknown>) {
  const parsed = SegmentsBody.safeParse({ segments });
  if (!parsed.success) refuse(fieldErrors(parsed.error), err);
  await replaceSegmentDeclarations(store.db, orgId, parsed.data.segments);
  await recordAudit(store.db, { orgId, actor: cliActor(), action: 'segments.replace', target: '/segments', details: { via: 'cli', fields: ['segments'], ...details } });
  return getSegmentDeclarations(store.db, orgId);
}

/** `segments set <file|->`: the API's PUT body ({ segments: [...] }), replacing the declarations as a whole. */
export async function segmentsSetCommand(store: Store, file: string, opts: { org?: string; dryRun?: boolean }, out: Line, err: Line): Promise<SegmentDeclaration[]> {
  const org = await resolveOrg(store, opts.org);
  const parsed = SegmentsBody.safeParse(readJson(file));
  if (!parsed.success) refuse(fieldErrors(parsed.error), err);
  const before = new Set((await getSegmentDeclarations(store.db, org.id)).map((d) => d.key));
  const after = parsed.data.segments;
  for (const d of after) out(`${before.has(d.key) ? 'replace' : 'declare'}: ${segmentLine(d)}`);
  for (const k of before) if (!after.some((d) => d.key === k)) out(`remove: ${k}`);
  if (opts.dryRun) {
    out('Dry run: nothing was written.');
    return after;
  }
  const saved = await saveSegments(store, org.id, after, err, { count: after.length });
  out(`Saved ${saved.length} segment declaration(s) of ${org.id}.`);
  return saved;
}

export interface DeclareOptions {
  org?: string;
  label?: string;
  values?: string;
  maxLength?: string;
  public?: boolean;
}

// A declaration's fields as the flags that set them, for error messages.
const FLAG: Record<string, string> = { key: '<key>', label: '--label', values: '--values', maxLength: '--max-length', public: '--public', kind: '--values or --max-length' };

/**
 * `segments declare <key> (--values a,b=Label B,… | --max-length N) [--label] [--public]`: adds a declaration,
 * or replaces the one with that key in place; the whole list is then saved as the API's PUT saves it.
 */
export async function segmentsDeclareCommand(store: Store, key: string, opts: DeclareOptions, out: Line, err: Line): Promise<SegmentDeclaration[]> {
  const org = await resolveOrg(store, opts.org);
  if ((opts.values === undefined) === (opts.maxLength === undefined)) throw new CliError('give either --values a,b,c (a list of allowed values) or --max-length N (free text)');
  const common = { key, label: opts.label ?? key, public: opts.public === true };
  // "value=Label": '=' cannot be in a value (it delimits the stored segment key), so the first one splits.
  const candidate =
    opts.values !== undefined
      ? { ...common, kind: 'values', values: opts.values.split(',').map((v) => { const at = v.indexOf('='); return at < 0 ? { value: v.trim(), label: v.trim() } : { value: v.slice(0, at).trim(), label: v.slice(at + 1).trim() }; }) }
      : { ...common, kind: 'text', maxLength: /^\d+$/.test(opts.maxLength!.trim()) ? Number(opts.maxLength) : opts.maxLength };
  const one = SegmentDeclaration.safeParse(candidate);
  if (!one.success) refuse(fieldErrors(one.error, (p) => { const [head, ...rest] = p.split('.'); return `${FLAG[head!] ?? head}${rest.length ? ` (${rest.join('.')})` : ''}`; }), err);
  const current = await getSegmentDeclarations(store.db, org.id);
  const at = current.findIndex((d) => d.key === key);
  const next = at < 0 ? [...current, one.data] : current.map((d, i) => (i === at ? one.data : d));
  const saved = await saveSegments(store, org.id, next, err, { declared: key });
  out(`${at < 0 ? 'Declared' : 'Replaced'} segment ${segmentLine(one.data)}`);
  return saved;
}

/** `segments remove <key>`: stored responses keep their values; new ones can no longer carry it (as the API's PUT). */
export async function segmentsRemoveCommand(store: Store, key: string, opts: { org?: string }, out: Line, err: Line): Promise<SegmentDeclaration[]> {
  const org = await resolveOrg(store, opts.org);
  const current = await getSegmentDeclarations(store.db, org.id);
  if (!current.some((d) => d.key === key)) throw new CliError(`<key>: no declared segment "${key}" (declared: ${current.map((d) => d.key).join(', ') || 'none'})`);
  const saved = await saveSegments(store, org.id, current.filter((d) => d.key !== key), err, { removed: key });
  out(`Removed segment ${key}; stored responses keep their values.`);
  return saved;
}

// ── registration ─────────────────────────────────────────────────────────────────────────────────────────

const print: Line = (l) => console.log(l);
const printErr: Line = (l) => console.error(l);

export function registerSetupCommands(program: Command): void {
  const journey = program.command('journey').description('the customer journey: stages → touchpoints, each owned by a department');
  journey
    .command('show')
    .description('the journey as a tree (stage → touchpoint (department)); --json gives the body `journey set` takes')
    .option('--org <id>', 'organisation')
    .option('--json', 'as JSON, as the API returns it')
    .action(async (opts) => runCommand(async (store) => void (await journeyShowCommand(store, opts, print))));
  journey
    .command('set <file>')
    .description('replace the journey with a JSON file ({"stages": [...]}, as `journey show --json` prints; - for stdin), saying what changes')
    .option('--org <id>', 'organisation')
    .option('--dry-run', 'say what would change; write nothing')
    .action(async (file: string, opts) => runCommand(async (store) => void (await journeySetCommand(store, file, opts, print, printErr))));

  const segments = program.command('segments').description('declared segments: the respondent attributes reports are cut by (region, plan …)');
  segments
    .command('list')
    .description('the declared segments: key, label, who may set it, allowed values or maximum length')
    .option('--org <id>', 'organisation')
    .option('--json', 'as JSON, as the API returns it')
    .action(async (opts) => runCommand(async (store) => void (await segmentsListCommand(store, opts, print))));
  segments
    .command('set <file>')
    .description('replace all declarations with a JSON file ({"segments": [...]}, as `segments list --json` prints; - for stdin)')
    .option('--org <id>', 'organisation')
    .option('--dry-run', 'say what would change; write nothing')
    .action(async (file: string, opts) => runCommand(async (store) => void (await segmentsSetCommand(store, file, opts, print, printErr))));
  segments
    .command('declare <key>')
    .description('declare a segment (or replace the one with this key): allowed values, or free text up to a length')
    .option('--values <list>', 'allowed values, comma-separated; value=Label to label one')
    .option('--max-length <n>', 'free text up to n characters (1–80) instead of --values')
    .option('--label <label>', 'label shown in the dashboard (default: the key)')
    .option('--public', 'anonymous respondents (the open survey, invitation links) may set it')
    .option('--org <id>', 'organisation')
    .action(async (key: string, opts: DeclareOptions) => runCommand(async (store) => void (await segmentsDeclareCommand(store, key, opts, print, printErr))));
  segments
    .command('remove <key>')
    .description('stop declaring a segment (stored responses keep their values)')
    .option('--org <id>', 'organisation')
    .action(async (key: string, opts) => runCommand(async (store) => void (await segmentsRemoveCommand(store, key, opts, print, printErr))));
}

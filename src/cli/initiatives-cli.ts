// `parallax initiatives list` and `parallax initiatives show <id>` (issue 13): the organisation's
// initiatives, and one initiative with its measured effect (reports/initiative-effect.ts, the same report
// as GET …/initiatives/:id/effect, under the same anonymity rule). Registered by src/cli/main.ts.
import type { Command } from 'commander';
import type { Store } from '../store/db.ts';
import { CliError, resolveOrg, runCommand } from './cli-common.ts';
import { getInitiative, listInitiatives, type Initiative } from '../store/initiatives.ts';
import { initiativeEffectFor, type InitiativeEffectReport } from '../reports/initiative-effect.ts';



const target = (i: Initiative) => `${i.metric === 'excellence' ? 'excellence share' : i.dimension}${i.touchpoints.length ? ` at ${i.touchpoints.join(', ')}` : ''}`;
const goal = (i: Initiative) => {
  const unit = i.metric === 'excellence' ? ' points' : '';
  return i.goal.measure === 'gap' ? `narrow the gap by ${i.goal.size}${unit}` : `${i.goal.direction} customers' figure by ${i.goal.size}${unit}`;
};

/** A figure as the report gives it: a mean to 2 decimals, a share in percent; hidden ones say why. */
function figure(kind: 'mean' | 'share', f: { shown: boolean; reason?: string; estimate?: number; ci95?: [number, number]; n?: number }, signed = false): string {
  if (!f.shown) return `too small (${f.reason})`;
  const v = (x: number, s = false) => (kind === 'share' ? `${s && x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : `${s && x > 0 ? '+' : ''}${x.toFixed(2)}`);
  return `${v(f.estimate!, signed)}  [${v(f.ci95![0])}, ${v(f.ci95![1])}]${f.n !== undefined ? `  n=${f.n}` : ''}`;
}

export function effectText(r: InitiativeEffectReport): string {
  const e = r.effect;
  const k = e.kind;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(30)} ${value}`);
  if (!('reason' in e.windows)) lines.push(`Windows: before ${e.windows.before.from} – ${e.windows.before.to}, after ${e.windows.after.from} – ${e.windows.after.to} (${e.windows.months} months each)`);
  lines.push(`Customers' ${r.metric.label} ${r.target.where} (95% intervals):`);
  row('before', figure(k, e.target.before));
  row('after', figure(k, e.target.after));
  row('change', figure(k, e.target.change, true));
  if (e.comparison.shown) {
    row('comparison change', figure(k, e.comparison.change, true));
    row('difference-in-differences', figure(k, e.comparison.did, true));
  } else row('difference-in-differences', `none (${e.comparison.reason})`);
  lines.push("Leaders' belief:");
  row('before', figure(k, e.leaders.before));
  row('after', figure(k, e.leaders.after));
  row('gap change (leaders − customers)', figure(k, e.gap.change, true));
  const g = e.goal;
  lines.push(`Goal (${g.basis}): ${g.verdict}${g.progress === null ? '' : `, ${(g.progress * 100).toFixed(0)}% of the goal`}`);
  lines.push('', ...e.summary);
  return lines.join('\n');
}

/** `initiatives list`: one line per initiative. */
export async function initiativesListText(store: Store, orgId: string): Promise<string> {
  const all = await listInitiatives(store.db, orgId);
  if (!all.length) return 'No initiatives yet.';
  return all
    .map((i) => `${i.id}  ${i.status.padEnd(9)}  ${i.start}${i.end ? ` – ${i.end}` : '            '}  ${i.title}  (${target(i)}; owner ${i.owner.email ?? 'former member'})`)
    .join('\n');
}

/** `initiatives show <id>`: the initiative and its effect, as text or as the API's JSON. */
export async function initiativeShowText(store: Store, orgId: string, id: string, json = false): Promise<string> {
  const i = await getInitiative(store.db, orgId, id);
  if (!i) throw new CliError(`no initiative "${id}" in ${orgId} (see \`parallax initiatives list\`)`);
  const report = (await initiativeEffectFor(store.db, orgId, i))!;
  if (json) return JSON.stringify({ ...report, initiative: i }, null, 2);
  return [
    `${i.title}  [${i.status}]`,
    `Owner: ${i.owner.name ?? ''} <${i.owner.email ?? 'former member'}>  Target: ${target(i)}  Start: ${i.start}${i.end ? `  End: ${i.end}` : ''}`,
    `Goal: ${goal(i)}`,
    '',
    effectText(report),
  ].join('\n');
}

export function registerInitiativeCommands(program: Command): void {
  const cmd = program.command('initiatives').description('outer-loop initiatives and their measured effect');
  cmd
    .command('list')
    .description("the organisation's initiatives, newest start first")
    .option('--org <id>', 'organisation')
    .action(async (opts: { org?: string }) => runCommand(async (store) => console.log(await initiativesListText(store, (await resolveOrg(store, opts.org)).id))));
  cmd
    .command('show <id>')
    .description('one initiative with its effect: before/after, difference-in-differences, leaders, goal')
    .option('--org <id>', 'organisation')
    .option('--json', "the API's JSON (GET …/initiatives/:id/effect)")
    .action(async (id: string, opts: { org?: string; json?: boolean }) =>
      runCommand(async (store) => console.log(await initiativeShowText(store, (await resolveOrg(store, opts.org)).id, id, opts.json))),
    );
}

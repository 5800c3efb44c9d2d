// `parallax contacts import <file.csv> [--dry-run]` and `parallax campaign send …` / `campaign show <id>`
// (issue 12): the same checks and writes as the API (core/contacts.ts, store/contacts.ts,
// store/campaigns.ts); errors as `row N, column C: reason`. Registered on the program by src/cli/main.ts.
// The messages themselves go out from a running server with SMTP configured (server/mail-runner.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Store } from '../store/db.ts';
import { CliError, resolveOrg, runCommand } from './cli-common.ts';
import { surveyFor } from '../store/surveys.ts';
import { ContactsCsvError, formatContactError, MAX_CONTACTS_CSV_BYTES, parseContactsCsv } from '../core/contacts.ts';
import { contactContext, upsertContacts } from '../store/contacts.ts';
import { CampaignInput, campaignSettings } from '../core/campaigns.ts';
import { campaignStats, createCampaign, getCampaign, TooManyContacts } from '../store/campaigns.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';
import { weightedGapFor, WeightingInputError } from '../reports/weighted-gap.ts';
import { weightedGapTable } from './weighted-gap-table.ts';



/** `--segment region=EMEA,APAC` (repeatable) → { region: ['EMEA', 'APAC'] }. */
function segmentFilter(values: string[]): Record<string, string[]> | undefined {
  if (!values.length) return undefined;
  const out: Record<string, string[]> = Object.create(null);
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (!m) throw new CliError(`--segment: expected name=value[,value…], got "${v}"`);
    out[m[1]!.trim()] = m[2]!.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return out;
}

/** The post-stratified figures of a campaign's respondents (`campaign show --weight-by`), the API's `weighted`. */
async function printWeighted(store: Store, orgId: string, campaignId: string, attributes: string[]): Promise<void> {
  try {
    const r = await weightedGapFor(store.db, orgId, campaignId, attributes, {});
    if (r) console.log(`\n${weightedGapTable(r)}`);
  } catch (e) {
    if (e instanceof WeightingInputError) throw new CliError(`--weight-by: ${e.message}`);
    throw e;
  }
}

export function registerCampaignCommands(program: Command): void {
  const contacts = program.command('contacts').description('the people campaigns invite');
  contacts
    .command('import <file>')
    .description('add or update contacts from a CSV (email, name, language, kind, function, touchpoint, segment:<name>); all rows or none')
    .option('--org <id>', 'organisation')
    .option('--dry-run', 'check every row and say what would change; write nothing')
    .action(async (file: string, opts: { org?: string; dryRun?: boolean }) =>
      runCommand(async (store) => {
        if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
        if (statSync(file).size > MAX_CONTACTS_CSV_BYTES) throw new CliError(`${file} is larger than ${MAX_CONTACTS_CSV_BYTES / 1024 / 1024} MB`);
        const org = await resolveOrg(store, opts.org);
        let parsed;
        try {
          parsed = parseContactsCsv(readFileSync(file, 'utf8'), await contactContext(store.db, org.id));
        } catch (e) {
          if (e instanceof ContactsCsvError) throw new CliError(`${file}: ${e.message}`);
          throw e;
        }
        for (const e of parsed.errors.slice(0, 50)) console.error(formatContactError(e));
        if (parsed.errors.length > 50) console.error(`… and ${parsed.errors.length - 50} more errors`);
        if (parsed.errors.length && !opts.dryRun) throw new CliError(`${parsed.errors.length} row${parsed.errors.length > 1 ? 's have' : ' has'} errors; nothing was imported`);
        const out = await upsertContacts(store.db, org.id, parsed.contacts.map((c) => c.value), { dryRun: !!opts.dryRun });
        if (!opts.dryRun) await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'contacts.import', target: 'contacts', details: { via: 'cli', ...out } });
        console.log(`${opts.dryRun ? 'would add' : 'added'} ${out.created}, ${opts.dryRun ? 'would update' : 'updated'} ${out.updated} (${out.keptInactive} stay unsubscribed or bounced)${parsed.errors.length ? `; ${parsed.errors.length} rows with errors` : ''}`);
      }),
    );

  const campaign = program.command('campaign').description('send a survey to contacts by e-mail');
  campaign
    .command('send')
    .description('queue a campaign; a server with SMTP configured sends it')
    .requiredOption('--name <name>', 'the campaign name')
    .option('--org <id>', 'organisation')
    .option('--leaders', 'send the leader (mirror) survey to leader contacts instead of the customer survey to customers')
    .option('--segment <name=values>', 'only contacts with one of these values (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--touchpoint <key>', 'only contacts of this touchpoint')
    .option('--subject <text>', 'the subject (default says who asks and how long it takes)')
    .option('--body-file <file>', 'the message body, plain text ({name} and {organisation} are filled in)')
    .option('--at <iso>', 'when to send (default now)')
    .option('--remind-after <days>', 'days before a reminder to those who have not answered')
    .option('--reminders <n>', 'at most this many reminders', '0')
    .action(async (opts) =>
      runCommand(async (store) => {
        const org = await resolveOrg(store, opts.org);
        const input = CampaignInput.safeParse({
          name: opts.name,
          perspective: opts.leaders ? 'leader' : 'customer',
          filter: { ...(segmentFilter(opts.segment) ? { segments: segmentFilter(opts.segment) } : {}), ...(opts.touchpoint ? { touchpoint: opts.touchpoint } : {}) },
          ...(opts.subject ? { subject: opts.subject } : {}),
          ...(opts.bodyFile ? { body: readFileSync(opts.bodyFile, 'utf8') } : {}),
          ...(opts.at ? { sendAt: opts.at } : {}),
          ...(opts.remindAfter ? { reminderDays: Number(opts.remindAfter) } : {}),
          maxReminders: Number(opts.reminders),
        });
        const flag: Record<string, string> = { reminderDays: 'remind-after', maxReminders: 'reminders', sendAt: 'at', body: 'body-file', filter: 'segment' };
        if (!input.success) throw new CliError(input.error.issues.map((i) => `--${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
        const c = input.data;
        const survey = await surveyFor(store.db, org.id, c.perspective);
        if (!survey) throw new CliError(`"${org.id}" has no ${c.perspective} survey`);
        try {
          const out = await createCampaign(store.db, org.id, {
            name: c.name,
            surveyId: survey.id,
            perspective: c.perspective,
            filter: c.filter,
            ...campaignSettings(c, org.name),
            createdBy: 'cli',
          });
          await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'campaigns.create', target: `campaigns/${out.campaign.id}`, details: { via: 'cli', invited: out.invited } });
          console.log(out.campaign.id);
          console.error(`${out.invited} contact${out.invited === 1 ? '' : 's'} invited, sending from ${out.campaign.sendAt}`);
        } catch (e) {
          if (e instanceof TooManyContacts) throw new CliError(e.message);
          throw e;
        }
      }),
    );
  campaign
    .command('show <id>')
    .description("a campaign's counts and response rate")
    .option('--org <id>', 'organisation')
    .option('--weight-by <attribute>', 'also the customer figures of its respondents, unweighted and post-stratified by this segment or "touchpoint" (twice: their cross)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (id: string, opts: { org?: string; weightBy: string[] }) =>
      runCommand(async (store) => {
        const org = await resolveOrg(store, opts.org);
        const c = await getCampaign(store.db, org.id, id);
        if (!c) throw new CliError(`no campaign "${id}"`);
        const s = await campaignStats(store.db, org.id, id);
        const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
        console.log(`${c.name}: invited ${s.invited}, sent ${s.sent}, delivered ${s.delivered}, started ${s.started}, completed ${s.completed}, unsubscribed ${s.unsubscribed}, bounced ${s.bounced}`);
        console.log(s.responseRate === null ? 'response rate: nothing delivered yet' : `response rate ${pct(s.responseRate)} (95 % interval ${pct(s.responseRateInterval![0])}–${pct(s.responseRateInterval![1])})`);
        if (opts.weightBy.length) await printWeighted(store, org.id, id, opts.weightBy); // src/reports/weighted-gap.ts
      }),
    );
}

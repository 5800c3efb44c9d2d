// `parallax feedback import <file> --source <id> [--dry-run]` (issue 9): feedback items from a CSV or JSON
// Lines file into one declared source, all rows or none (src/imports/feedback-import.ts), each problem printed
// as `row N, column C: reason`; and `parallax feedback sources`, the organisation's sources (to find an id).
// Registered by src/cli/main.ts.
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Store } from '../store/db.ts';
import { CliError, resolveOrg, runCommand } from './cli-common.ts';
import { feedbackFileText, feedbackFormatOf, FeedbackImportRefused, importFeedback, type FeedbackFileFormat, type FeedbackImportResult } from '../imports/feedback-import.ts';
import { createFeedbackSource, listFeedbackSources } from '../store/feedback-sources.ts';
import { FEEDBACK_CHANNELS, FeedbackChannel } from '../core/feedback.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';

/** Larger files: split them (the import is one transaction; a file is read whole). */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

interface ImportOptions {
  source?: string;
  org?: string;
  dryRun?: boolean;
  format?: string;
}

export async function feedbackImportCommand(store: Store, file: string, opts: ImportOptions, out: (line: string) => void, err: (line: string) => void): Promise<FeedbackImportResult> {
  if (!opts.source) throw new CliError('--source: required (see `parallax feedback sources`)');
  if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'jsonl') throw new CliError('--format: must be csv or jsonl');
  const org = await resolveOrg(store, opts.org);
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new CliError(`${file}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it`);
    text = feedbackFileText(readFileSync(file)); // as the API reads an upload
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  const format = (opts.format as FeedbackFileFormat | undefined) ?? feedbackFormatOf(file, text);
  let r: FeedbackImportResult;
  try {
    r = await importFeedback(store, { orgId: org.id, sourceId: opts.source, text, format, dryRun: opts.dryRun === true });
  } catch (e) {
    if (!(e instanceof FeedbackImportRefused)) throw e;
    for (const p of e.problems.slice(0, 100)) err(`row ${p.row}, column ${p.column}: ${p.reason}`);
    if (e.problems.length > 100) err(`… and ${e.problems.length - 100} more`);
    throw new CliError(e.message);
  }
  if (!r.dryRun)
    await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'feedback.import', target: `feedback-sources/${opts.source}`, details: { via: 'cli', rows: r.rows, created: r.created } });
  out(`${r.dryRun ? 'Dry run: would store' : 'Stored'} ${r.created} of ${r.rows} items (${format}); ${r.duplicates} already held by the source${r.dryRun ? '; nothing was written' : ''}.`);
  return r;
}

export function registerFeedbackCommands(program: Command): void {
  const cmd = program.command('feedback').description('feedback items from every channel (reviews, tickets, chats, interviews…)');
  cmd
    .command('import <file>')
    .description('import feedback items from CSV (header: text, external_id, rating, rating_min, rating_max, touchpoint, author_ref, occurred_at, segment.<name>) or JSON Lines; all rows or none')
    .requiredOption('--source <id>', 'the feedback source the items come from')
    .option('--org <id>', 'organisation')
    .option('--format <f>', 'csv or jsonl (default: from the file name)')
    .option('--dry-run', 'check every row and report, store nothing')
    .action(async (file: string, opts: ImportOptions) => {
      await runCommand(async (store) => {
        await feedbackImportCommand(store, file, opts, (l) => console.log(l), (l) => console.error(l));
      });
    });
  cmd
    .command('add-source <name>')
    .description('declare a feedback source; prints its id and the signing secret of its inbound webhook (shown this once)')
    .requiredOption('--channel <c>', FEEDBACK_CHANNELS.join(' | '))
    .option('--org <id>', 'organisation')
    .action(async (name: string, opts: { channel: string; org?: string }) => {
      await runCommand(async (store) => {
        const org = await resolveOrg(store, opts.org);
        const channel = FeedbackChannel.safeParse(opts.channel);
        if (!channel.success) throw new CliError(`--channel: must be one of ${FEEDBACK_CHANNELS.join(', ')}`);
        const trimmed = name.trim();
        if (!trimmed || trimmed.length > 100) throw new CliError('<name>: 1 to 100 characters');
        const s = await createFeedbackSource(store.db, org.id, trimmed, channel.data);
        await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'feedback-sources.create', target: `feedback-sources/${s.id}`, details: { via: 'cli', channel: s.channel } });
        console.log(`${s.id}\t${s.channel}\t${s.name}`);
        console.log(`webhook: POST /hooks/feedback/${s.id}`);
        console.log(`secret (shown once): ${s.secret}`);
      });
    });
  cmd
    .command('sources')
    .description("the organisation's feedback sources (create them with POST /api/v1/organisations/:org/feedback-sources)")
    .option('--org <id>', 'organisation')
    .action(async (opts: { org?: string }) => {
      await runCommand(async (store) => {
        const org = await resolveOrg(store, opts.org);
        for (const s of await listFeedbackSources(store.db, org.id)) console.log([s.id, s.channel, s.name].join('\t'));
      });
    });
}

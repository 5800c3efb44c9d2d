// `parallax verbatims [--q "app crashed"] [--perspective] [--channel] [--sort] [--limit] [--cursor] [--org] [--original] [--json]`:
// the verbatims page the dashboard shows (reports/verbatims.ts, under the same anonymity rule), one comment a
// line, matched words in bold on a terminal, and the command for the next page on stderr. Audited like the API's
// view. `parallax verbatims --reindex` rebuilds the full-text index (SQLite, after a VACUUM: migration 0018).
// Registered on the program by src/cli/main.ts.
import type { Command } from 'commander';
import type { Store } from '../store/db.ts';
import { CliError, resolveOrg, runCommand } from './cli-common.ts';
import { engineOf } from '../store/bulk.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';
import { listVerbatims, VerbatimQueryError, type Verbatim, type VerbatimPage } from '../reports/verbatims.ts';
import { parseSearchQuery } from '../core/text/search-query.ts';
import { VerbatimQueryString } from '../server/routes/verbatims.ts';


interface Options {
  q?: string;
  perspective?: string;
  channel?: string;
  sort?: string;
  limit?: string;
  cursor?: string;
  org?: string;
  original?: boolean;
  json?: boolean;
  reindex?: boolean;
}

/** The comment with its matched ranges in bold (ANSI), for a terminal. */
export function bold(v: Pick<Verbatim, 'comment' | 'highlights'>): string {
  let out = '';
  let at = 0;
  for (const [s, e] of v.highlights ?? []) {
    out += `${v.comment.slice(at, s)}\x1b[1m${v.comment.slice(s, e)}\x1b[22m`;
    at = e;
  }
  return out + v.comment.slice(at);
}

/** One line per comment: perspective, channel (and source), month, touchpoint, sentiment, text (tabs and newlines in it as spaces). */
export function formatLine(v: Verbatim, tty: boolean): string {
  const text = (tty ? bold(v) : v.comment).replace(/[\t\r\n]+/g, ' ');
  const channel = v.source ? `${v.channel}:${v.source}` : v.channel;
  return [v.perspective, channel, v.submittedAt ?? '-', v.touchpoint ?? '-', v.sentiment.label, text].map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t');
}


export async function verbatimsCommand(store: Store, opts: Options, out: (line: string) => void, err: (line: string) => void, tty = false): Promise<VerbatimPage | undefined> {
  if (opts.reindex) {
    await engineOf(store.db).reindexTextSearch(store.db);
    err('full-text index rebuilt');
    return undefined;
  }
  const org = await resolveOrg(store, opts.org);
  // The API's own schema: the same bounds and messages, options named as flags.
  const parsed = VerbatimQueryString.pick({ q: true, perspective: true, channel: true, sort: true, limit: true, cursor: true }).safeParse({
    q: opts.q, perspective: opts.perspective, channel: opts.channel, sort: opts.sort, limit: opts.limit, cursor: opts.cursor,
  });
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const { q, perspective, channel, sort, limit, cursor } = parsed.data;
  const search = q?.trim() ? parseSearchQuery(q) : undefined;
  if (search && !search.ok) throw new CliError(`--q: ${search.message}`);
  let page: VerbatimPage;
  try {
    page = await listVerbatims(store.db, org.id, org.minResponses, {
      filters: {}, search: search?.query, sort, cursor, perspective, channel, original: opts.original === true, limit,
    });
  } catch (e) {
    if (e instanceof VerbatimQueryError) throw new CliError(`--${e.field}: ${e.message}`);
    throw e;
  }
  await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'verbatims.view', target: 'verbatims', details: { via: 'cli', q: q ?? null, original: opts.original === true } });
  if (opts.json) out(JSON.stringify(page));
  else for (const v of page.items) out(formatLine(v, tty));
  for (const [p, why] of Object.entries(page.suppressed)) err(`${p}: left out (${why})`);
  err(`${page.items.length} of ${page.totalIsApproximate ? 'about ' : page.totalIsEstimate ? 'more than ' : ''}${page.total.toLocaleString('en')}`);
  if (page.nextCursor) err(`next page: --cursor ${page.nextCursor}`);
  return page;
}

export function registerVerbatimsCommands(program: Command): void {
  program
    .command('verbatims')
    .description('open comments, searchable (words, "phrases", bill*, -exclude, OR), under the reports\' anonymity rule')
    .option('--q <search>', 'full-text search, e.g. "app crashed" billing -refund')
    .option('--perspective <p>', 'customer or leader')
    .option('--channel <c>', 'survey, or a feedback channel (review, ticket, social, chat, email, interview, focus_group)')
    .option('--sort <order>', 'relevance (default with --q) or newest')
    .option('--limit <n>', 'comments per page (1–200)', '50')
    .option('--cursor <c>', 'the next page, as printed after the previous one')
    .option('--org <id>', 'organisation')
    .option('--original', 'the original text instead of the redacted one (audited)')
    .option('--json', 'the page as JSON, as the API returns it')
    .option('--reindex', 'rebuild the full-text index (SQLite, after a VACUUM)')
    .action(async (opts: Options) => {
      await runCommand(async (store) => {
        await verbatimsCommand(store, opts, (l) => console.log(l), (l) => console.error(l), process.stdout.isTTY === true);
      });
    });
}

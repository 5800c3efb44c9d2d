// `parallax text score <file.csv> --column <name>`: each row's sentiment label and score, dimension and
// touchpoint tags and redacted text, as CSV on stdout — the same analyseText() that ingest uses, so anyone can
// check the model on their own data. `parallax text backfill [--org <id>] [--rescore] [--retag]`: stores that
// reading for responses stored before migration 0015, with --rescore replaces readings of an older model
// (store/comment-analysis.ts), and with --retag those whose tags the current framework and journey would give
// differently (store/comment-retag.ts). Registered on the program by src/cli/main.ts.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import { analyseText, type TextContext } from '../core/text/analyse.ts';
import { MAX_REDACT_CHARS } from '../core/text/redact.ts';
import { buildVocabulary } from '../core/text/tags.ts';
import { lexiconSentiment } from '../core/text/sentiment-lexicon.ts';
import { neutraliseCell } from '../core/canonical-csv.ts';
import { DEFAULT_FRAMEWORK } from '../core/framework.ts';
import { DEFAULT_JOURNEY } from '../core/journey.ts';
import { loadSentimentModel } from '../text/sentiment-model.ts';
import { loadTagTerms } from '../text/tag-terms.ts';
import { openStore } from '../store/db.ts';
import { getOrganisation, listOrganisations } from '../store/organisations.ts';
import { backfillCommentAnalysis } from '../store/comment-analysis.ts';
import { retagCommentAnalysis } from '../store/comment-retag.ts';

/** One CSV record may not exceed this many characters (a whole comment is far less). */
const MAX_RECORD_CHARS = 1_000_000;

export class TextCliError extends Error {}

export interface ScoreOptions {
  column: string;
  baseline?: boolean;
  delimiter?: string;
  /** Add the tagging words learnt from airline complaint reasons (models/tag-terms.json). */
  learntTags?: boolean;
}

const HEADER = ['row', 'label', 'score', 'p_negative', 'p_neutral', 'p_positive', 'dimensions', 'touchpoints', 'pii', 'redacted_text'];
const BASELINE_HEADER = ['lexicon_label', 'lexicon_score'];

const round = (x: number) => Number(x.toFixed(4));

/**
 * Streams `file` and writes one CSV line per data row to `write`. Rows are numbered as a spreadsheet shows
 * them (the header is row 1). Throws TextCliError naming the row and column on bad input.
 */
export async function scoreCsv(
  file: string,
  opts: ScoreOptions,
  write: (chunk: string) => void | Promise<void>,
  ctx?: TextContext,
): Promise<number> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new TextCliError(`${file}: no such file`);
  const context = ctx ?? {
    model: loadSentimentModel(),
    vocab: buildVocabulary(DEFAULT_FRAMEWORK, DEFAULT_JOURNEY, opts.learntTags ? (loadTagTerms() ?? {}) : {}),
  };
  const parser = createReadStream(file).pipe(
    parse({ columns: true, bom: true, delimiter: opts.delimiter ?? ',', max_record_size: MAX_RECORD_CHARS, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  let row = 1;
  let n = 0;
  try {
    for await (const { record } of parser as AsyncIterable<{ record: Record<string, string | undefined> }>) {
      row++;
      if (n === 0 && !(opts.column in record))
        throw new TextCliError(`column "${opts.column}" not found; the header has: ${Object.keys(record).join(', ')}`);
      if (n === 0) await write(stringify([[...HEADER, ...(opts.baseline ? BASELINE_HEADER : [])]])); // only once the column is known
      const text = record[opts.column] ?? '';
      if (text.length > MAX_REDACT_CHARS) throw new TextCliError(`row ${row}, column ${opts.column}: text longer than ${MAX_REDACT_CHARS} characters`);
      n++;
      if (!text.trim()) {
        await write(stringify([[row, '', '', '', '', '', '', '', '', '', ...(opts.baseline ? ['', ''] : [])]]));
        continue;
      }
      const a = analyseText(context, text);
      const p = a.sentiment.probabilities;
      const base = opts.baseline ? lexiconSentiment(text) : undefined;
      await write(
        stringify([
          [
            row,
            a.sentiment.label,
            round(a.sentiment.score),
            round(p.negative),
            round(p.neutral),
            round(p.positive),
            a.tags.dimensions.join(';'),
            a.tags.touchpoints.join(';'),
            [...new Set(a.pii.map((s) => s.type))].join(';'),
            neutraliseCell(a.redacted), // opened in a spreadsheet: a comment must not run as a formula
            ...(base ? [base.label, round(base.score)] : []),
          ],
        ]),
      );
    }
  } catch (e) {
    if (e instanceof TextCliError) throw e;
    // csv-parse errors carry the line; report them as the row the user can find.
    const err = e as Error & { lines?: number };
    throw new TextCliError(`row ${row + 1}${err.lines ? ` (line ${err.lines})` : ''}: ${err.message}`);
  }
  if (n === 0) throw new TextCliError(`${file}: no data rows`);
  return n;
}

export function registerTextCommands(program: Command): void {
  const text = program.command('text').description('text analytics: sentiment, tags and redaction of customer comments');
  text
    .command('score <file>')
    .description("print each row's sentiment label and score, dimension/touchpoint tags and redacted text as CSV")
    .requiredOption('--column <name>', 'the column that holds the text')
    .option('--baseline', 'add the AFINN lexicon baseline label and score beside the model')
    .option('--delimiter <char>', 'field separator of the input', ',')
    .option('--learnt-tags', 'also tag with the words learnt from airline complaint reasons (more recall, less precision)')
    .action(async (file: string, opts: ScoreOptions) => {
      try {
        if ([...(opts.delimiter ?? ',')].length !== 1) throw new TextCliError('--delimiter: must be one character');
        // `| head` closes the pipe early: stop quietly, as other Unix tools do.
        process.stdout.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'EPIPE') process.exit(0);
          throw e;
        });
        await scoreCsv(file, opts, async (chunk) => {
          if (!process.stdout.write(chunk)) await once(process.stdout, 'drain'); // a big file must not pile up in memory
        });
      } catch (e) {
        if (!(e instanceof TextCliError)) throw e;
        console.error(`parallax: ${e.message}`);
        process.exitCode = 1;
      }
    });
  text
    .command('backfill')
    .description('store sentiment, tags and redacted text for comments stored before text analysis existed, or with --rescore scored by an older model, or with --retag tagged under an older framework or journey (safe to rerun)')
    .option('--org <id>', 'only this organisation (default: every organisation)')
    .option('--rescore', 'also re-analyse comments scored by an older sentiment model than the shipped one')
    .option('--retag', 'also re-analyse comments whose stored tags differ from what the current framework and journey give')
    .action(async (opts: { org?: string; rescore?: boolean; retag?: boolean }) => {
      const store = await openStore();
      try {
        const orgs = opts.org ? [await getOrganisation(store.db, opts.org)] : await listOrganisations(store.db);
        if (orgs[0] === undefined) throw new TextCliError(`no organisation "${opts.org}" (see \`parallax org list\`)`);
        for (const org of orgs) {
          const n = await backfillCommentAnalysis(store.db, org!.id, (done) => process.stderr.write(`\r${org!.id}: ${done} comments analysed`), { rescore: opts.rescore });
          if (n) process.stderr.write('\n');
          console.log(`${org!.id}: ${n} comment${n === 1 ? '' : 's'} analysed`);
          if (opts.retag) {
            const t = await retagCommentAnalysis(store.db, org!.id, (changed, seen) => process.stderr.write(`\r${org!.id}: ${changed} of ${seen} comments retagged`));
            process.stderr.write('\n');
            console.log(`${org!.id}: ${t} comment${t === 1 ? '' : 's'} retagged`);
          }
        }
      } catch (e) {
        if (!(e instanceof TextCliError)) throw e;
        console.error(`parallax: ${e.message}`);
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

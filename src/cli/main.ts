#!/usr/bin/env node
// The `parallax` command: start (demo + serve), serve, demo, import, export, report, backup, org.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { openStore, type Store } from '../store/db.ts';
import { getFramework, listOrganisations, createOrganisation, getOrganisation } from '../store/organisations.ts';
import { listSurveys, surveyFor } from '../store/surveys.ts';
import { storeResponses, countResponses, type NewResponse } from '../store/responses.ts';
import { exportResponses, segmentNames } from '../store/export.ts';
import { gapReportFor } from '../store/reports.ts';
import { checkHeader, exportHeader, exportRow, HeaderError, importKey, parseRow, type RowError } from '../core/canonical-csv.ts';
import { FilterError, parseWhere } from '../core/report-filters.ts';
import { INDUSTRY_KEYS } from '../core/benchmarks.ts';
import type { Perspective, SurveyDefinition } from '../core/survey.ts';
import { buildApp } from '../server/app.ts';
import { createDemo } from './demo.ts';
import { reportTable } from './report-table.ts';

class CliError extends Error {}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** --org, or the only organisation there is. */
async function resolveOrg(store: Store, org?: string) {
  if (org) {
    const o = await getOrganisation(store.db, org);
    if (!o) throw new CliError(`no organisation "${org}" (see \`parallax org list\`)`);
    return o;
  }
  const all = await listOrganisations(store.db);
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new CliError('no organisation yet: run `parallax demo` or `parallax org create <name> --industry <key>`');
  throw new CliError(`several organisations: choose one with --org (${all.map((o) => o.id).join(', ')})`);
}

async function serve(store: Store, opts: { port: string; host: string }) {
  const app = await buildApp({ store });
  const port = Number(opts.port);
  await app.listen({ port, host: opts.host });
  const base = `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${port}`;
  console.log(`\nParallax is running at ${base}  (data: ${store.location})`);
  for (const org of await listOrganisations(store.db)) {
    const surveys = await listSurveys(store.db, org.id);
    console.log(`\n  ${org.name} (${org.id})`);
    for (const s of surveys) console.log(`    ${s.perspective === 'customer' ? 'Customer survey ' : 'Leader mirror   '} ${base}/s/${s.id}`);
    console.log(`    Gap report (JSON) ${base}/api/v1/organisations/${org.id}/reports/gap`);
  }
  console.log(`\n  Dashboard         ${base}/`);
  console.log(`  API (OpenAPI)     ${base}/api/v1/openapi.json`);
  console.log(`  Report in a terminal: npm run parallax -- report\n`);
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const program = new Command()
  .name('parallax')
  .description('Measure and close the customer-experience perception gap.\nData: PARALLAX_DATABASE_URL (postgres://…) or ./data/parallax.db (SQLite).')
  .showHelpAfterError();

const portOpt = () => new Option('-p, --port <port>', 'port').default(process.env.PORT ?? '3000');
const hostOpt = () => new Option('--host <host>', 'address to listen on').default(process.env.HOST ?? '127.0.0.1');

program
  .command('start')
  .description('create the demo organisation on an empty database, then serve')
  .addOption(portOpt())
  .addOption(hostOpt())
  .action(async (opts) => {
    const store = await openStore();
    if ((await listOrganisations(store.db)).length === 0) await createDemo(store, { log: console.log });
    await serve(store, opts);
  });

program
  .command('serve')
  .description('serve the API, survey pages and dashboard')
  .addOption(portOpt())
  .addOption(hostOpt())
  .action(async (opts) => serve(await openStore(), opts));

program
  .command('demo')
  .description('create the demo organisation (Streamly, streaming) with 18 months of history')
  .option('--customers <n>', 'customer responses', '6000')
  .option('--seed <n>', 'random seed', '20251')
  .action(async (opts) =>
    withStore(async (store) => {
      if (await getOrganisation(store.db, 'streamly')) throw new CliError('the demo organisation "streamly" exists already');
      const org = await createDemo(store, { customers: Number(opts.customers), seed: Number(opts.seed), log: console.log });
      const n = await countResponses(store.db, org.id);
      console.log(`Created "${org.name}" (${org.id}): ${n.customer} customer and ${n.leader} leader responses.`);
    }),
  );

const orgCmd = program.command('org').description('organisations');
orgCmd
  .command('list')
  .action(async () =>
    withStore(async (store) => {
      for (const o of await listOrganisations(store.db)) console.log(`${o.id}\t${o.name}\t${o.industry}\tmin ${o.minResponses}`);
    }),
  );
orgCmd
  .command('create <name>')
  .addOption(new Option('--industry <key>', 'industry').choices(INDUSTRY_KEYS).default('other'))
  .action(async (name, opts) =>
    withStore(async (store) => {
      const o = await createOrganisation(store.db, { name, industry: opts.industry });
      for (const s of await listSurveys(store.db, o.id)) console.log(`${s.perspective} survey: /s/${s.id}`);
      console.log(`Created organisation ${o.id}`);
    }),
  );

program
  .command('import <file>')
  .description('import responses from a canonical CSV file (all rows or none, unless --skip-invalid)')
  .option('--org <id>', 'organisation')
  .option('--skip-invalid', 'import the valid rows and report the others')
  .action(async (file: string, opts) =>
    withStore(async (store) => {
      if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
      const org = await resolveOrg(store, opts.org);
      const framework = await getFramework(store.db, org.id);
      const customer = (await surveyFor(store.db, org.id, 'customer'))!;
      const leader = (await surveyFor(store.db, org.id, 'leader'))!;
      const defs: Record<Perspective, SurveyDefinition> = { customer: customer.definition, leader: leader.definition };
      const ids = { customer: customer.id, leader: leader.id };
      const rows: NewResponse[] = [];
      const errors: RowError[] = [];
      let row = 0;
      const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);
      const parser = createReadStream(file).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
      let header: string[] | undefined;
      const tty = process.stderr.isTTY;
      try {
        for await (const rec of parser as AsyncIterable<string[]>) {
          if (!header) {
            header = rec.map((h) => h.trim());
            checkHeader(header, framework);
            continue;
          }
          row++;
          const record = Object.fromEntries(header.map((h, i) => [h, rec[i] ?? '']));
          const parsed = parseRow(record, row, defs);
          if (!parsed.ok) errors.push(...parsed.errors);
          else
            rows.push({
              orgId: org.id,
              surveyId: ids[parsed.value.perspective],
              perspective: parsed.value.perspective,
              submission: parsed.value.submission,
              idempotencyKey: importKey(parsed.value, hash),
            });
          if (tty && row % 10000 === 0) process.stderr.write(`\rread ${row} rows…`);
        }
      } catch (e) {
        if (e instanceof HeaderError) throw new CliError(`${file}: ${e.message}`);
        if ((e as any).code?.startsWith?.('CSV_')) throw new CliError(`${file}: ${(e as Error).message}`);
        throw e;
      }
      if (!header) throw new CliError(`${file}: the file is empty`);
      const badRows = new Set(errors.map((e) => e.row)).size;
      for (const e of errors.slice(0, 50)) console.error(`row ${e.row}, column ${e.column}: ${e.reason}`);
      if (errors.length > 50) console.error(`… and ${errors.length - 50} more errors`);
      if (errors.length && !opts.skipInvalid) {
        throw new CliError(`${badRows} of ${row} rows have errors; nothing was imported (fix them, or use --skip-invalid)`);
      }
      const result = await storeResponses(store.db, rows, (done, total) => {
        if (tty) process.stderr.write(`\rimporting ${done}/${total} (${Math.round((100 * done) / total)}%)`);
      });
      if (tty) process.stderr.write('\n');
      console.log(
        `Imported ${result.inserted} responses into ${org.id}` +
          (result.skipped ? `; ${result.skipped} were already imported` : '') +
          (badRows ? `; skipped ${badRows} invalid rows` : '') +
          '.',
      );
    }),
  );

program
  .command('export')
  .description('write all responses as canonical CSV')
  .option('--org <id>', 'organisation')
  .option('-o, --out <file>', 'output file (default: standard output)')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = await resolveOrg(store, opts.org);
      const header = exportHeader(await getFramework(store.db, org.id), await segmentNames(store.db, org.id));
      const rows = async function* () {
        for await (const r of exportResponses(store.db, org.id)) yield exportRow(header, r);
      };
      await pipeline(rows, stringify({ header: true, columns: header }), opts.out ? createWriteStream(opts.out) : process.stdout);
    }),
  );

program
  .command('report')
  .description('the perception-gap report')
  .option('--org <id>', 'organisation')
  .option('--json', 'print the JSON report (as the API returns it)')
  .option('--from <YYYY-MM>', 'first month')
  .option('--to <YYYY-MM>', 'last month')
  .option('--touchpoint <key...>', 'touchpoint(s)')
  .option('--stage <key>', 'journey stage')
  .option('--where <expr...>', 'filters such as segment:region=EMEA')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = await resolveOrg(store, opts.org);
      let filters;
      try {
        filters = parseWhere([
          ...(opts.where ?? []),
          ...(opts.touchpoint ?? []).map((t: string) => `touchpoint=${t}`),
          ...(opts.stage ? [`stage=${opts.stage}`] : []),
          ...(opts.from ? [`from=${opts.from}`] : []),
          ...(opts.to ? [`to=${opts.to}`] : []),
        ]);
      } catch (e) {
        if (e instanceof FilterError) throw new CliError(e.message);
        throw e;
      }
      const report = (await gapReportFor(store.db, org.id, filters))!;
      console.log(opts.json ? JSON.stringify(report, null, 2) : reportTable(report, filters));
    }),
  );

program
  .command('backup <dest>')
  .description('copy the database: a consistent SQLite file, or pg_dump output for PostgreSQL')
  .action(async (dest: string) =>
    withStore(async (store) => {
      if (existsSync(dest)) throw new CliError(`${dest} exists already`);
      if (store.engine === 'sqlite') {
        const { default: SQLite } = await import('better-sqlite3');
        const db = new SQLite(store.location, { readonly: true });
        await db.backup(dest);
        db.close();
      } else {
        const r = spawnSync('pg_dump', ['--format=custom', '--file', dest, process.env.PARALLAX_DATABASE_URL!], { stdio: 'inherit' });
        if (r.status !== 0) throw new CliError('pg_dump failed (is it installed?)');
      }
      console.log(`Backed up ${store.location} to ${dest}`);
    }),
  );

program.parseAsync().catch((e) => {
  if (e instanceof CliError) {
    console.error(`parallax: ${e.message}`);
    process.exit(1);
  }
  console.error(e);
  process.exit(2);
});

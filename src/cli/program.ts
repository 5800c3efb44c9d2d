// The `parallax` commands (start, serve, demo, import, export, report, backup, org, user, and those the
// *-cli.ts files register), as one commander program that src/cli/main.ts parses. Kept apart from main.ts so
// the tests can run a command in their own process (test/cli.ts) through exactly this program.
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { openStore, type Store } from '../store/db.ts';
import { engineOf } from '../store/bulk.ts';
import { listOrganisations, createOrganisation, getOrganisation } from '../store/organisations.ts';
import { listSurveys, surveyFor } from '../store/surveys.ts';
import { countResponses } from '../store/responses.ts';
import { responseExportCsv } from '../reports/response-export.ts';
import { isSqliteBusy } from '../store/write-transaction.ts';
import { gapReportFor } from '../reports/gap.ts';
import type { RowError } from '../core/canonical-csv.ts';
import { importCanonicalCsv, ImportRefused, type ImportProgress } from '../imports/canonical-import.ts';
import { MappingRefused, MAX_MAPPING_BYTES, SOURCE_FORMATS, type SourceFormat } from '../imports/source-import.ts';
import { importWithSource, saveSourceMapping } from '../imports/source-mappings.ts';
import { SOURCE_NAME, SOURCE_NAME_RULE, TooManyMappings } from '../store/import-mappings.ts';
import { LIMITS as SOURCE_LIMITS } from '../imports/sources/source-table.ts';
import type { MappingJson } from '../core/import-mapping.ts';
import { FilterError, parseWhere } from '../core/report-filters.ts';
import { INDUSTRY_KEYS } from '../core/benchmarks.ts';
import { buildApp } from '../server/app.ts';
import { createDemo, DEMO_ADMIN, DEMO_PASSWORD, DEMO_USERS } from '../sample-data/demo.ts';
import { ROLES, Email, passwordProblem, type Role } from '../core/access.ts';
import { authenticate, createUser, findUserByEmail, generatePassword, setPassword } from '../store/users.ts';
import { addMembership, getMembership, LastAdmin, listMembers, updateMembership } from '../store/memberships.ts';
import { deleteOtherSessions } from '../store/sessions.ts';
import { reportTable } from './report-table.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';
import { analyticsSection, SECTIONS } from './analytics-section.ts';
import { createLeaderLinks } from '../store/leader-links.ts';
import { CreateLeaderLinks, leaderLinkPath } from '../server/routes/leader-links.ts';
import { configuredPublicUrl, PUBLIC_URL_ENV } from '../server/public-url.ts';
import { countErasable, eraseSelected, erasedWording, type ErasureSelector } from '../store/erasure.ts';
import { rebuildAggregates } from '../store/rebuild.ts';
import { CliError, resolveOrg, withStore } from './cli-common.ts';

async function serve(store: Store, opts: { port: string; host: string }) {
  const app = await buildApp({ store, logger: true }); // JSON logs to stdout (src/server/logging.ts)
  // Before listening: a signal that arrives while the banner below is still being put together (it reads the
  // database and checks the demo password, which takes a while on a busy machine) must stop gracefully too.
  stopGracefully(app, store);
  const port = Number(opts.port);
  await app.listen({ port, host: opts.host });
  const base = `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${port}`;
  console.log(`\nParallax is running at ${base}  (data: ${store.location})`);
  for (const org of await listOrganisations(store.db)) {
    const surveys = await listSurveys(store.db, org.id);
    console.log(`\n  ${org.name} (${org.id})`);
    for (const s of surveys)
      console.log(
        s.perspective === 'customer'
          ? `    Customer survey  ${base}/s/${s.id}`
          : `    Leader mirror    personal links only: parallax leader-links create --org ${org.id} --count N`,
      );
    console.log(`    Gap report (JSON) ${base}/api/v1/organisations/${org.id}/reports/gap`);
  }
  console.log(`\n  Dashboard         ${base}/`);
  // Only while the demo password still works: never advertise a login that has been changed.
  if (await authenticate(store.db, DEMO_ADMIN, DEMO_PASSWORD)) {
    console.log(`  Log in as         ${DEMO_ADMIN}  password: ${DEMO_PASSWORD}`);
    console.log(`                    (also ${DEMO_USERS.filter((u) => u.email !== DEMO_ADMIN).map((u) => u.email).join(', ')} — same password)`);
  }
  console.log(`  API (OpenAPI)     ${base}/api/v1/openapi.json`);
  console.log(`  Report in a terminal: npm run parallax -- report\n`);
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (bounded by
 * PARALLAX_SHUTDOWN_TIMEOUT_MS, default 10 s), close the database, exit 0. Every acknowledged response is
 * already committed (a response is durable before it is answered); submissions still queued for group
 * commit are written by the app's onClose (src/store/group-commit.ts) before the store closes. A second
 * signal exits at once.
 */
function stopGracefully(app: Awaited<ReturnType<typeof buildApp>>, store: Store) {
  const limitMs = Number(process.env.PARALLAX_SHUTDOWN_TIMEOUT_MS) || 10_000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`parallax: ${signal} again — exiting now`);
      process.exit(130);
    }
    stopping = true;
    console.error(`parallax: ${signal} — finishing requests in flight, then exiting (a second ${signal} exits at once)`);
    setTimeout(() => {
      console.error(`parallax: requests still running after ${limitMs} ms — exiting`);
      process.exit(1);
    }, limitMs).unref();
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err) => {
          console.error(`parallax: error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
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
      console.log(`Give it an admin: parallax user add <email> --org ${o.id} --role admin`);
    }),
  );

const userCmd = program.command('user').description('users and their roles in organisations');
userCmd
  .command('add <email>')
  .description(
    'give a user a role in an organisation, creating the user if new (a password is generated and printed when --password is not given); ' +
      'for an existing member, changes the role (and the password, with --password)',
  )
  .requiredOption('--org <id>', 'organisation')
  .addOption(new Option('--role <role>', 'role in the organisation').choices(ROLES).makeOptionMandatory())
  .option('--name <name>', 'display name (new users)')
  .option('--department <name>', 'the department an owner owns (required with --role owner)')
  .option('--password <password>', 'password (at least 10 characters); generated when left out')
  .action(async (emailArg: string, opts: { org: string; role: Role; name?: string; department?: string; password?: string }) =>
    withStore(async (store) => {
      const parsed = Email.safeParse(emailArg);
      if (!parsed.success) throw new CliError(`"${emailArg}": ${parsed.error.issues[0]!.message}`);
      const email = parsed.data;
      const org = await resolveOrg(store, opts.org);
      if (opts.role === 'owner' && !opts.department?.trim()) throw new CliError('--department is required with --role owner (the department whose touchpoints they see)');
      if (opts.role !== 'owner' && opts.department) throw new CliError(`--department is only for --role owner, not ${opts.role}`);
      if (opts.password !== undefined) {
        const problem = passwordProblem(opts.password);
        if (problem) throw new CliError(`--password ${problem}`);
      }
      const department = opts.role === 'owner' ? opts.department!.trim() : null;
      let user = await findUserByEmail(store.db, email);
      let generated: string | undefined;
      if (!user) {
        generated = opts.password === undefined ? generatePassword() : undefined;
        user = await createUser(store.db, { email, name: opts.name, password: opts.password ?? generated! });
        console.log(`Created user ${user.email}`);
      } else if (opts.password !== undefined) {
        await setPassword(store.db, user.id, opts.password);
        await deleteOtherSessions(store.db, user.id, null); // a reset after a compromise must also log the intruder out
        console.log(`Set a new password for ${user.email} and ended their sessions`);
      }
      if (await getMembership(store.db, org.id, user.id)) {
        try {
          await updateMembership(store.db, org.id, user.id, { role: opts.role, department });
        } catch (e) {
          if (e instanceof LastAdmin) throw new CliError(e.message);
          throw e;
        }
        console.log(`${user.email} is now ${opts.role}${department ? ` of ${department}` : ''} in ${org.id}`);
      } else {
        await addMembership(store.db, { orgId: org.id, userId: user.id, role: opts.role, department });
        console.log(`Added ${user.email} to ${org.id} as ${opts.role}${department ? ` of ${department}` : ''}`);
      }
      if (generated) console.log(`Password: ${generated}\n(shown only now; they can change it after logging in)`);
    }),
  );
userCmd
  .command('list')
  .description("an organisation's members and their roles")
  .option('--org <id>', 'organisation')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = await resolveOrg(store, opts.org);
      for (const m of await listMembers(store.db, org.id)) console.log(`${m.email}\t${m.name}\t${m.role}${m.department ? `\t${m.department}` : ''}`);
    }),
  );

const leaderLinksCmd = program.command('leader-links').description("leaders' personal, single-use links to the leader survey");
leaderLinksCmd
  .command('create')
  .description('make personal links to the leader survey and print them (once: only a hash of each is kept)')
  .option('--org <id>', 'organisation')
  .option('--count <n>', 'how many links', '1')
  .option('--function <name>', "the leaders' function, e.g. Sales (their group in the calibration report)")
  .option('--days <n>', 'days until the links expire', '30')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = await resolveOrg(store, opts.org);
      const input = CreateLeaderLinks.safeParse({ count: Number(opts.count), days: Number(opts.days), ...(opts.function !== undefined ? { function: opts.function } : {}) });
      if (!input.success) throw new CliError(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const survey = await surveyFor(store.db, org.id, 'leader');
      if (!survey) throw new CliError(`"${org.id}" has no leader survey`);
      const links = await createLeaderLinks(store.db, { orgId: org.id, createdBy: 'cli', function: input.data.function ?? null, count: input.data.count, days: input.data.days });
      await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'leader-links.create', target: 'leader-links', details: { via: 'cli', count: links.length } });
      const base = configuredPublicUrl();
      for (const l of links) console.log(`${base ?? ''}${leaderLinkPath(survey.id, l.token)}`);
      console.error(`${links.length} personal link${links.length === 1 ? '' : 's'}, each for one response, until ${links[0]!.expiresAt.slice(0, 10)}; shown only now.`);
      if (!base) console.error(`(set ${PUBLIC_URL_ENV} to print full links; prefix the paths above with the server's address)`);
    }),
  );

program
  .command('import <file>')
  .description('import responses: a canonical CSV, or with --from a Qualtrics, SurveyMonkey, LimeSurvey, SPSS .sav or plain CSV export as history (all rows or none, unless --skip-invalid)')
  .option('--org <id>', 'organisation')
  .option('--skip-invalid', 'import the valid rows and report the others')
  .addOption(new Option('--from <platform>', "the export's platform; without it the file is a canonical CSV").choices(SOURCE_FORMATS))
  .option('--mapping <file>', '--from: the column mapping (JSON) to use instead of the suggested one')
  .option('--save-mapping <file>', '--from: write the mapping used (or suggested) as JSON, to edit and pass back with --mapping')
  .option('--syntax <file>', '--from limesurvey: the R syntax file, or the survey structure (.lss or the TSV structure export) (default: *_R_syntax_file.R beside the data file, or the .lss beside a .lsr)')
  .option('--dry-run', '--from: show what would be imported and every problem; write nothing')
  .option('--include-previews', '--from: keep the rows marked as survey previews or spam (Qualtrics), which are left out by default')
  .option('--source <name>', '--from: reuse the mapping saved under this source name (unless --mapping), and save the mapping used there after the import')
  .action(async (file: string, opts) =>
    withStore(async (store) => {
      if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
      const org = await resolveOrg(store, opts.org);
      const tty = process.stderr.isTTY;
      const showErrors = (errors: RowError[]) => {
        for (const e of errors.slice(0, 50)) console.error(`row ${e.row}, column ${e.column}: ${e.reason}`);
        if (errors.length > 50) console.error(`… and ${errors.length - 50} more errors`);
      };
      const onProgress = (p: ImportProgress) => {
        if (p.stage === 'waiting') console.error(`parallax: the database is busy; waiting for it (attempt ${p.attempt} of ${p.attempts})…`);
        else if (!tty) return;
        else if (p.stage === 'reading') process.stderr.write(`\rread ${p.rows} rows…`);
        else process.stderr.write(`\rimporting ${p.done}/${p.total} (${Math.round((100 * p.done) / p.total)}%)`);
      };
      if (opts.from) {
        await importFromSource(store, org.id, file, opts, showErrors, onProgress);
        return;
      }
      for (const o of ['mapping', 'saveMapping', 'syntax', 'dryRun', 'source', 'includePreviews'] as const) {
        if (opts[o] !== undefined) throw new CliError(`--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --from (a canonical CSV needs no mapping)`);
      }
      // The import itself is src/imports/canonical-import.ts (the fuzz suite runs the same function); this
      // command only prints: progress on a terminal, the row errors, a one-line refusal (exit 1) or the summary.
      const result = await importCanonicalCsv(store, {
        orgId: org.id,
        source: createReadStream(file),
        skipInvalid: !!opts.skipInvalid,
        onProgress,
      }).catch((e: unknown) => {
        if (!(e instanceof ImportRefused)) throw e;
        showErrors(e.errors);
        throw new CliError(e.about === 'file' ? `${file}: ${e.message}` : e.message);
      });
      if (tty) process.stderr.write('\n');
      showErrors(result.errors);
      console.log(
        `Imported ${result.inserted} responses into ${org.id}` +
          (result.skipped ? `; ${result.skipped} were already imported` : '') +
          (result.invalidRows ? `; skipped ${result.invalidRows} invalid rows` : '') +
          '.',
      );
    }),
  );

/**
 * `import --from …`: the work is src/imports/source-import.ts; this reads the files, prints the table,
 * the mapping's notes, the counts (dry run) and the problems, and saves the mapping when asked.
 */
async function importFromSource(
  store: Store,
  orgId: string,
  file: string,
  opts: { from: SourceFormat; mapping?: string; saveMapping?: string; syntax?: string; dryRun?: boolean; skipInvalid?: boolean; source?: string; includePreviews?: boolean },
  showErrors: (errors: RowError[]) => void,
  onProgress: (p: ImportProgress) => void,
): Promise<void> {
  const readBounded = (path: string, max: number, what: string) => {
    if (!existsSync(path)) throw new CliError(`no such file: ${path}`);
    if (statSync(path).size > max) throw new CliError(`${path}: the ${what} is larger than ${Math.round(max / 1024 / 1024)} MiB`);
    return readFileSync(path);
  };
  if (opts.source !== undefined && !SOURCE_NAME.test(opts.source)) throw new CliError(`--source: ${SOURCE_NAME_RULE}`);
  let mapping: unknown;
  if (opts.mapping !== undefined) {
    try {
      mapping = JSON.parse(readBounded(opts.mapping, MAX_MAPPING_BYTES, 'mapping file').toString('utf8'));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${opts.mapping}: not valid JSON (${(e as Error).message})`);
    }
  }
  let syntax: string | undefined;
  if (opts.from === 'limesurvey') {
    const beside = /\.lsr$/i.test(file) ? file.replace(/\.lsr$/i, '.lss') : file.replace(/_R_data_file\.csv$/i, '_R_syntax_file.R');
    const path = opts.syntax ?? (beside !== file && existsSync(beside) ? beside : undefined);
    if (path) syntax = readBounded(path, MAX_MAPPING_BYTES * 16, 'syntax file').toString('utf8');
  } else if (opts.syntax !== undefined) throw new CliError('--syntax is only for --from limesurvey');
  const save = (m: MappingJson) => {
    if (opts.saveMapping) {
      writeFileSync(opts.saveMapping, `${JSON.stringify(m, null, 2)}\n`);
      console.error(`Mapping written to ${opts.saveMapping} (edit it, then pass it with --mapping).`);
    }
  };
  const result = await importWithSource(store, {
    orgId,
    source: opts.source,
    format: opts.from,
    bytes: readBounded(file, SOURCE_LIMITS.bytes, 'file'),
    syntax,
    mapping,
    dryRun: !!opts.dryRun,
    skipInvalid: !!opts.skipInvalid,
    includePreviews: !!opts.includePreviews,
    onProgress,
  }).catch((e: unknown) => {
    if (!(e instanceof ImportRefused)) throw e;
    if (e instanceof MappingRefused) {
      if (e.suggestion) save(e.suggestion);
      for (const p of e.problems) console.error(`mapping: ${p}`);
      throw new CliError(
        opts.mapping ? `${opts.mapping}: the mapping is not usable; nothing was imported` : e.problems[0]?.startsWith('saved mapping') ? `the mapping saved as "${opts.source}" does not fit this file; nothing was imported (pass --mapping, or save a new one)` : 'the suggested mapping is not usable; nothing was imported',
      );
    }
    showErrors(e.errors);
    throw new CliError(e.about === 'file' ? `${file}: ${e.message}` : e.message);
  });
  if (process.stderr.isTTY && !result.dryRun) process.stderr.write('\n');
  save(result.mapping);
  console.log(`${file}: ${result.table.format}, ${result.table.rows} responses, ${result.table.columns} columns (${result.table.notes.join('; ')})`);
  if (result.suggested) for (const n of result.mappingNotes) console.log(`  mapping: ${n}`);
  if (result.mappingOrigin === 'saved') console.log(`  mapping: the one saved as source "${opts.source}"`);
  for (const l of result.leftOut.slice(0, 50)) console.log(`row ${l.row}: ${l.reason}, left out`);
  if (result.leftOut.length > 50) console.log(`… and ${result.leftOut.length - 50} more rows left out`);
  const leftOut = result.leftOut.length ? `; ${result.leftOut.length} left out as previews or spam (--include-previews keeps them)` : '';
  showErrors(result.errors);
  const list = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
  if (result.dryRun) {
    console.log(`Dry run: ${result.validRows} of ${result.rows} rows would be imported into ${orgId}${result.invalidRows ? ` (${result.invalidRows} ${result.invalidRows === 1 ? 'has' : 'have'} errors${opts.skipInvalid ? ' and would be skipped' : ''})` : ''}${leftOut}; nothing was written.`);
    console.log(`  answers per item: ${list(result.counts.items)}; comments: ${result.counts.comments}`);
    console.log(`  per touchpoint: ${list(result.counts.touchpoints)}`);
    console.log(`  per month: ${list(result.counts.months)}`);
    return;
  }
  await recordAudit(store.db, {
    orgId,
    actor: cliActor(),
    action: 'imports.create',
    target: 'imports',
    details: { via: 'cli', from: opts.from, source: opts.source ?? null, mapping: result.mappingOrigin, rows: result.rows, inserted: result.inserted, skipped: result.skipped, invalidRows: result.invalidRows },
  });
  if (opts.source && result.mappingOrigin !== 'saved') {
    // A reused mapping is already saved as it is; a new or given one is saved for the next file.
    await saveSourceMapping(store, { orgId, source: opts.source, format: opts.from, mapping: result.mapping, savedBy: cliActor().label }).catch((e: unknown) => {
      if (e instanceof TooManyMappings) throw new CliError(`the import is done, but the mapping was not saved: ${e.message}`);
      throw e;
    });
    await recordAudit(store.db, { orgId, actor: cliActor(), action: 'import-mappings.replace', target: `import-mappings/${opts.source}`, details: { via: 'cli', format: opts.from } });
  }
  console.log(
    `Imported ${result.inserted} responses into ${orgId}` +
      (result.skipped ? `; ${result.skipped} were already imported` : '') +
      (result.invalidRows ? `; skipped ${result.invalidRows} invalid rows` : '') +
      leftOut +
      '.' +
      (opts.source ? ` Mapping ${result.mappingOrigin === 'saved' ? 'reused from' : 'saved as'} source "${opts.source}".` : ''),
  );
}

program
  .command('export')
  .description('write all responses as canonical CSV')
  .option('--org <id>', 'organisation')
  .option('-o, --out <file>', 'output file (default: standard output)')
  .option('--original', 'comments as written instead of redacted (an admin\'s export; audited)')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = await resolveOrg(store, opts.org);
      const original = opts.original === true;
      await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action: 'responses.export', target: 'responses', details: { via: 'cli', to: opts.out ? 'file' : 'stdout', original } });
      await pipeline(await responseExportCsv(store.db, org.id, { original }), opts.out ? createWriteStream(opts.out) : process.stdout);
    }),
  );

program
  .command('report')
  .description('the perception-gap report, or one of the analytics sections')
  .option('--org <id>', 'organisation')
  .addOption(new Option('--section <name>', 'which report').choices(SECTIONS).default('gap'))
  .option('--json', 'print the JSON report (as the API returns it)')
  .option('--from <YYYY-MM>', 'first month')
  .option('--to <YYYY-MM>', 'last month')
  .option('--touchpoint <key...>', 'touchpoint(s)')
  .option('--stage <key>', 'journey stage')
  .option('--where <expr...>', 'filters such as segment:region=EMEA')
  .option('--by <attribute>', 'breakdown: touchpoint, stage or segment:<name>', 'touchpoint')
  .option('--dimensions', 'breakdown: each dimension per row too')
  // No commander default: the trend's is month, the calibration waves' quarter (analytics-section.ts).
  .addOption(new Option('--period <period>', 'trend: per month (default) or quarter; calibration, calibration-trend: waves per quarter (default) or month').choices(['month', 'quarter']))
  .addOption(new Option('--outcome <outcome>', 'drivers, driver-perception: the outcome').choices(['excellent', 'nps']).default('excellent'))
  .option('--group <segment>', 'calibration, driver-perception: the leader segment to group by', 'function')
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
      if (opts.section !== 'gap') {
        const out = await analyticsSection(store.db, org.id, opts.section, filters, opts);
        if ('error' in out) throw new CliError(out.error);
        console.log(opts.json ? JSON.stringify(out.report, null, 2) : out.text);
        return;
      }
      const report = (await gapReportFor(store.db, org.id, filters))!;
      console.log(opts.json ? JSON.stringify(report, null, 2) : reportTable(report, filters));
    }),
  );

program
  .command('erase')
  .description("erase a respondent's responses and feedback items (GDPR art. 17) or given responses: answers, comments, texts and their share of every report")
  .option('--org <id>', 'organisation')
  .option('--respondent <id>', 'every response with this respondent id, and every feedback item with it as authorRef')
  .option('--response <id...>', 'these response ids')
  .option('--dry-run', 'print how many responses and feedback items would be erased, erase nothing')
  .action(async (opts) =>
    withStore(async (store) => {
      if ((opts.respondent === undefined) === (opts.response === undefined)) throw new CliError('give either --respondent <id> or --response <id…>');
      const org = await resolveOrg(store, opts.org);
      const selector: ErasureSelector = opts.respondent !== undefined ? { respondentId: opts.respondent } : { responseIds: opts.response };
      const what = opts.respondent !== undefined ? `of respondent "${opts.respondent}"` : `of the ${opts.response.length} response id(s) given`;
      if (opts.dryRun) {
        console.log(`Would erase ${erasedWording(await countErasable(store.db, org.id, selector), 'respondentId' in selector)} ${what} from ${org.id} (dry run: nothing erased).`);
        return;
      }
      const parts = await eraseSelected(store.db, org.id, selector);
      const erased = parts.responses + parts.feedbackItems;
      if (erased > 0) {
        // The same action and target as the API's DELETE (server/routes/erasure.ts), one entry per command.
        const [action, target] = opts.respondent !== undefined ? ['respondents.delete', `/respondents/${opts.respondent}`] : ['responses.delete', `/responses/${opts.response.join(',')}`];
        await recordAudit(store.db, { orgId: org.id, actor: cliActor(), action, target, details: { via: 'cli', erased, ...parts } });
      }
      console.log(`Erased ${erasedWording(parts, 'respondentId' in selector)} ${what} from ${org.id}, with their answers, comments and texts, out of every report.`);
    }),
  );

program
  .command('rebuild')
  .description('recompute every derived table (answer cells, roll-ups, driver cells) from the raw answers')
  .option('--org <id>', 'only this organisation (default: every one)')
  .action(async (opts) =>
    withStore(async (store) => {
      const org = opts.org === undefined ? undefined : (await resolveOrg(store, opts.org)).id;
      for (const r of await rebuildAggregates(store.db, org)) {
        await recordAudit(store.db, { orgId: r.orgId, actor: cliActor(), action: 'aggregates.rebuild', target: 'aggregates', details: { via: 'cli', responses: r.responses } });
        console.log(`Rebuilt the aggregates of ${r.orgId} from ${r.responses} responses.`);
      }
    }),
  );

program
  .command('backup <dest>')
  .description('copy the database: a consistent SQLite file, or pg_dump output for PostgreSQL')
  .action(async (dest: string) =>
    withStore(async (store) => {
      if (existsSync(dest)) throw new CliError(`${dest} exists already`);
      await engineOf(store.db)
        .backup(store.engine === 'postgres' ? process.env.PARALLAX_DATABASE_URL! : store.location, dest)
        .catch((e: Error) => {
          throw new CliError(e.message);
        });
      console.log(`Backed up ${store.location} to ${dest}`);
    }),
  );

(await import('./text-cli.ts')).registerTextCommands(program); // parallax text … (src/cli/text-cli.ts)
(await import('./verbatims-cli.ts')).registerVerbatimsCommands(program); // parallax verbatims (src/cli/verbatims-cli.ts)
(await import('./campaign-cli.ts')).registerCampaignCommands(program); // parallax contacts … / campaign … (src/cli/campaign-cli.ts)
(await import('./initiatives-cli.ts')).registerInitiativeCommands(program); // parallax initiatives list|show (src/cli/initiatives-cli.ts)
(await import('./feedback-cli.ts')).registerFeedbackCommands(program); // parallax feedback import|sources (src/cli/feedback-cli.ts)
(await import('./setup-cli.ts')).registerSetupCommands(program); // parallax journey show|set, segments list|set|declare|remove (src/cli/setup-cli.ts)
export { program };

/** The exit code and stderr line of a command that failed: a CliError or a lock is the user's (1), anything else a bug (2). */
export function failureOf(e: unknown): { code: 1 | 2; message: unknown } {
  if (e instanceof CliError) return { code: 1, message: `parallax: ${e.message}` };
  // Any command that meets a lock held past the busy timeout: one clear line, not a stack trace.
  if (isSqliteBusy(e)) return { code: 1, message: 'parallax: the database is locked by another process; nothing was changed — try again' };
  return { code: 2, message: e };
}

// What the `parallax` commands share: an error that is the user's to fix (one line on stderr, exit 1, no
// stack trace), a store opened for one command and closed after it, and `--org` resolved to an
// organisation (or the only one there is).
import { openStore, type Store } from '../store/db.ts';
import { getOrganisation, listOrganisations } from '../store/organisations.ts';

export class CliError extends Error {}

export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs a command on a fresh store; a CliError becomes `parallax: <message>` and exit code 1. */
export async function runCommand(fn: (store: Store) => Promise<void>): Promise<void> {
  try {
    await withStore(fn);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    console.error(`parallax: ${e.message}`);
    process.exitCode = 1;
  }
}

/** --org, or the only organisation there is. */
export async function resolveOrg(store: Store, org?: string) {
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

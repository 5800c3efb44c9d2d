// The CLI as one ES module for the tests that run it as a subprocess (test/server-process.ts, src/cli/text-cli.test.ts).
// Under tsx's loader every start of `parallax` took ~4 s on our 2-core machines, mostly tsx's hooks
// resolving the packages' own ES modules; the same sources bundled by esbuild (packages left external, so
// they load natively) start in ~1.6 s. bin/parallax.js — what
// users run — is still tested as it is, through tsx (src/cli/bin.test.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
export const CLI_BUNDLE = join(ROOT, 'node_modules/.cache/parallax-test/cli.mjs');

// Modules find their files next to themselves (models/, dist/web, the widget): each keeps its own
// import.meta.url and dirname, as it has when run from source, instead of the bundle's.
const ownLocation: Plugin = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/** Bundles src/cli/main.ts to CLI_BUNDLE (vitest's globalSetup: once per test run). */
export default async function bundleCli(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [ownLocation],
  });
  process.env.PARALLAX_TEST_CLI = CLI_BUNDLE;
}

/** How to start the CLI: the bundle when the run made one, else the sources through tsx. */
export function cliCommand(): string[] {
  const bundle = process.env.PARALLAX_TEST_CLI;
  return bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
}

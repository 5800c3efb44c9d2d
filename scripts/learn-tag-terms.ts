// Learns extra tagging words from labelled data: for each framework key that an airline complaint reason maps
// to, the words most over-represented in tweets with that reason against tweets with the other reasons
// (log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn 2008, z-score > 3), from the
// TRAINING split only. Writes models/tag-terms.json, which src/core/text/tags.ts merges with the seed
// vocabulary; bench/text.ts measures both on the held-out split.
//   npx tsx scripts/learn-tag-terms.ts [--out models/tag-terms.json]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tokenize } from '../src/core/text/features.ts';
import { REASON_TAG } from '../src/core/text/tags.ts';
import { dataAvailable, DATA_DIR, twitterAirline } from '../src/text/datasets.ts';

const MIN_DOCS = 8; // a word must occur in at least this many tweets of the reason
const MIN_Z = 3;
const PER_TAG = 15;
// Words that say nothing about a topic (and tokens from tokenize that are not words).
const STOP = new Set(
  `_user _url 0 the a an and or but to of in on at for with from by is are was were be been am i me my we our you your it its this that they them their he she his her not no so just can will would could get got have has had do did don't what when where why how all any there here now today still again one two time hours hour`.split(
    /\s+/,
  ),
);

const args = process.argv.slice(2);
const outPath = args.includes('--out') ? args[args.indexOf('--out') + 1]! : fileURLToPath(new URL('../models/tag-terms.json', import.meta.url));
if (!dataAvailable()) {
  console.error(`no labelled data at ${DATA_DIR}: nothing to learn from`);
  process.exit(2);
}

const rows = twitterAirline().train.filter((r) => REASON_TAG[r.meta?.negativereason ?? '']);
const docs = rows.map((r) => ({ tag: REASON_TAG[r.meta!.negativereason!]!, words: new Set(tokenize(r.text).filter((w) => /^[a-z][a-z']+$/.test(w) && !STOP.has(w))) }));
const tags = [...new Set(Object.values(REASON_TAG))];

// Document frequencies per tag and overall.
const total = new Map<string, number>();
const byTag = new Map<string, Map<string, number>>(tags.map((t) => [t, new Map()]));
for (const d of docs)
  for (const w of d.words) {
    total.set(w, (total.get(w) ?? 0) + 1);
    const m = byTag.get(d.tag)!;
    m.set(w, (m.get(w) ?? 0) + 1);
  }
const N = docs.length;
const a0 = 100; // prior strength: the prior is the overall rate × a0
const learnt: Record<string, string[]> = {};
for (const tag of tags) {
  const nIn = docs.filter((d) => d.tag === tag).length;
  const nOut = N - nIn;
  const scored: { w: string; z: number }[] = [];
  for (const [w, df] of total) {
    const yi = byTag.get(tag)!.get(w) ?? 0;
    if (yi < MIN_DOCS) continue;
    const yo = df - yi;
    const aw = (a0 * df) / N;
    // Log-odds of "tweet has the word" in and out of the tag, smoothed by the prior, and its variance.
    const d = Math.log((yi + aw) / (nIn - yi + a0 - aw)) - Math.log((yo + aw) / (nOut - yo + a0 - aw));
    const v = 1 / (yi + aw) + 1 / (yo + aw);
    scored.push({ w, z: d / Math.sqrt(v) });
  }
  learnt[tag] = scored
    .filter((s) => s.z > MIN_Z)
    .sort((a, b) => b.z - a.z)
    .slice(0, PER_TAG)
    .map((s) => s.w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  console.error(`${tag}: ${learnt[tag]!.join(', ')}`);
}
const file = {
  header: {
    what: 'extra tagging words learnt from airline complaint reasons (log-odds ratio with informative Dirichlet prior)',
    trainedOn: `twitter-airline training split only (${rows.length} tweets with a reason other than "Can't Tell")`,
    reasonToTag: REASON_TAG,
    minDocs: MIN_DOCS,
    minZ: MIN_Z,
    perTag: PER_TAG,
    learntAt: new Date().toISOString(),
  },
  terms: learnt,
};
writeFileSync(outPath, JSON.stringify(file, null, 1) + '\n');
console.error(`wrote ${outPath}`);

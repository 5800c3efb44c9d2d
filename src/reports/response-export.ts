// The canonical CSV export of an organisation's responses, one function for `parallax export` and
// GET …/responses.csv: the header from its framework, segments and journey, a row per response, text cells
// guarded against spreadsheet formulas, and comments REDACTED unless `original` (admins who asked for it:
// the route and the CLI decide, and audit, who may).
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify';
import type { Database } from '../store/schema.ts';
import { getFramework, getJourney } from '../store/organisations.ts';
import { exportResponses, segmentNames } from '../store/export.ts';
import { exportHeader, exportRow } from '../core/canonical-csv.ts';

export async function responseExportCsv(db: Kysely<Database>, orgId: string, opts: { original?: boolean } = {}): Promise<Readable> {
  // The journey's touchpoints: a column each for leaders' per-touchpoint predictions (issue 11).
  const touchpoints = (await getJourney(db, orgId)).flatMap((s) => s.touchpoints.map((t) => t.key));
  const header = exportHeader(await getFramework(db, orgId), await segmentNames(db, orgId), touchpoints);
  const rows = async function* () {
    for await (const r of exportResponses(db, orgId, { original: opts.original === true })) yield exportRow(header, r);
  };
  const csv = stringify({ header: true, columns: header });
  // A failure part-way destroys `csv`, which its reader sees as an error (a cut-off download), never as an end.
  pipeline(Readable.from(rows()), csv).catch(() => {});
  return csv;
}

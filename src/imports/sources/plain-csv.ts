// A plain CSV (or tab-separated) file with one header row: the column names are both id and question.
// Used for files such as the telecom NPS export (nps-verbatims-telecom) and anything already flattened.
import { buildTable, decode, parseRecords, SourceError, uniqueIds, type SourceTable } from './source-table.ts';

export function readPlainCsv(bytes: Uint8Array): SourceTable {
  const { text, encoding } = decode(bytes);
  const records = parseRecords(text);
  if (!records.length) throw new SourceError('the file is empty');
  const ids = uniqueIds(records[0]!);
  return buildTable('csv (1 header row)', ids.map((id) => ({ id, question: id })), records.slice(1), [`encoding: ${encoding}`]);
}

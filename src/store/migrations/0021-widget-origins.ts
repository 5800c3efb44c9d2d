// The web sites allowed to show an organisation's customer survey in the embeddable widget (issue 12):
// a JSON array of origins ("https://shop.example"), normalised by src/server/widget/origins.ts. The
// survey page is framed only by these, and only in widget mode (src/server/http-headers.ts).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('widget_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

// Opened where measurable (issue 12): when an invitation was first seen opened — its message's tracking
// image loaded (GET /m/<token>/open.gif, server/routes/mail-opens.ts) or its survey link followed. Null
// until then, and for ever when the mail client blocks images and the link is never clicked, so the count
// of opens is a lower bound. The image's token is a third purpose of mail_tokens ('open'), hashed like
// the others; mail_tokens.purpose is free text, so only this column is new.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_invitations').addColumn('opened_at', 'text').execute();
}

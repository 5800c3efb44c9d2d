// The unsubscribe link of every campaign message (issue 12): `/u/<token>`, public. POST unsubscribes at
// once — the mail client's one-click (RFC 8058: List-Unsubscribe-Post) or the page's button — and cancels
// the messages still queued for that contact; an unsubscribed contact stays so, whatever is uploaded later.
// GET shows the page with that one button rather than unsubscribing by itself: mail security scanners
// open every link in a message, and would otherwise unsubscribe people who never asked.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../../store/db.ts';
import { findUnsubscribe } from '../../store/campaigns.ts';
import { deactivateContact } from '../../store/contacts.ts';
import { html } from '../pages/html.ts';
import { messagePage, page } from '../pages/survey-page.ts';

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(body);
}

const NOT_VALID = () => messagePage('Link not valid', 'This unsubscribe link is not valid. Please check the link in the message you were sent.');

export async function unsubscribeRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(async (u) => {
    // Its own scope: a one-click POST carries a small form body ("List-Unsubscribe=One-Click") that is not
    // needed; any body up to 4 KB is read and ignored, here only.
    u.removeAllContentTypeParsers();
    u.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) => done(null, undefined));
    u.get<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const who = req.params.token.length <= 100 ? await findUnsubscribe(store.db, req.params.token) : undefined;
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      const body = html`<main style="padding-top:3rem"><div class="field"><h1>Unsubscribe</h1>
<p>Receive no more survey invitations or reminders from this organisation?</p>
<form method="post" action="/u/${req.params.token}"><button type="submit" style="font:inherit;padding:.6rem 1.2rem">Unsubscribe</button></form></div></main>`;
      return sendHtml(reply, 200, page('Unsubscribe', body));
    });
    u.post<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const who = req.params.token.length <= 100 ? await findUnsubscribe(store.db, req.params.token) : undefined;
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      await deactivateContact(store.db, who.orgId, who.contactId, 'unsubscribed');
      return sendHtml(reply, 200, messagePage('You are unsubscribed', 'You will receive no more survey invitations or reminders from this organisation.'));
    });
  });
}

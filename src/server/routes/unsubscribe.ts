// The unsubscribe link of every campaign message (issue 12): `/u/<token>`, public. POST unsubscribes at
// once — the mail client's one-click (RFC 8058: List-Unsubscribe-Post) or the page's button — and cancels
// the messages still queued for that contact; an unsubscribed contact stays so, whatever is uploaded later.
// GET shows the page with that one button rather than unsubscribing by itself: mail security scanners
// open every link in a message, and would otherwise unsubscribe people who never asked.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/db.ts';
import { findUnsubscribe } from '../../store/campaigns.ts';
import { deactivateContact } from '../../store/contacts.ts';
import { messagePage } from '../pages/survey-page.ts';
import { confirmPage, oneClickScope, sendHtml } from './one-click-pages.ts';

const NOT_VALID = () => messagePage('Link not valid', 'This unsubscribe link is not valid. Please check the link in the message you were sent.');

export async function unsubscribeRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await oneClickScope(app, (u) => {
    u.get<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const who = req.params.token.length <= 100 ? await findUnsubscribe(store.db, req.params.token) : undefined;
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      const body = confirmPage({ title: 'Unsubscribe', question: 'Receive no more survey invitations or reminders from this organisation?', action: `/u/${req.params.token}`, button: 'Unsubscribe' });
      return sendHtml(reply, 200, body);
    });
    u.post<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const who = req.params.token.length <= 100 ? await findUnsubscribe(store.db, req.params.token) : undefined;
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      await deactivateContact(store.db, who.orgId, who.contactId, 'unsubscribed');
      return sendHtml(reply, 200, messagePage('You are unsubscribed', 'You will receive no more survey invitations or reminders from this organisation.'));
    });
  });
}

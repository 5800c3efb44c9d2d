// The weekly digest's one-click opt-out (issue 13): `/digest-off/<token>`, the link in every digest message
// and its List-Unsubscribe header. Public — the token, random and bound to one member of one organisation
// (store/digests.ts), is the credential. GET shows the page with one button; POST — that button, or the
// mail client's one-click (RFC 8058) — turns that member's digest off there and says how to turn it back
// on. An unknown or malformed token, or a member who has left, is a 404 page and changes nothing.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/db.ts';
import { findDigestOptOut, setDigestPreference } from '../../store/digests.ts';
import { html } from '../pages/html.ts';
import { messagePage, page } from '../pages/survey-page.ts';
import { confirmPage, oneClickScope, sendHtml } from './one-click-pages.ts';

const NOT_VALID = () => messagePage('Link not valid', 'This link is not valid, or you are no longer a member of this organisation. You can change your digest in the dashboard under Set-up → Alerts & webhooks.');

export async function digestOptOutRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await oneClickScope(app, (s) => {
    const find = (token: string) => (token.length <= 100 ? findDigestOptOut(store.db, token) : Promise.resolve(undefined));

    s.get<{ Params: { token: string } }>('/digest-off/:token', async (req, reply) => {
      const who = await find(req.params.token);
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      return sendHtml(
        reply,
        200,
        confirmPage({ title: 'Weekly digest', question: `Stop your weekly customer-experience digest from ${who.organisation}?`, action: `/digest-off/${req.params.token}`, button: 'Turn my digest off' }),
      );
    });

    s.post<{ Params: { token: string } }>('/digest-off/:token', async (req, reply) => {
      const who = await find(req.params.token);
      if (!who) return sendHtml(reply, 404, NOT_VALID());
      await setDigestPreference(store.db, who.orgId, who.userId, 'off');
      const settings = `/o/${encodeURIComponent(who.orgId)}/setup/alerts`;
      return sendHtml(
        reply,
        200,
        page(
          'Your digest is off',
          html`<main style="padding-top:3rem" aria-labelledby="page-title"><div class="field" role="status"><h1 id="page-title">Your digest is off</h1>
<p>You will get no more weekly digests from ${who.organisation}.</p>
<p>To turn it back on, log in and switch on “Your weekly digest” under <a href="${settings}">Set-up → Alerts &amp; webhooks</a>.</p></div></main>`,
        ),
      );
    });
  });
}

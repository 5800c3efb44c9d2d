// A real SMTP server for tests (smtp-server on 127.0.0.1, a free port), reading every message back with
// mailparser: what campaign mail is tested against, in the API tests and the browser test alike. It
// refuses recipients whose address starts "bounce" (550, a permanent refusal) and defers those starting
// "slow" once (451, a temporary one), so bounces and retries can be tested without another server.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  to: string;
  mail: ParsedMail;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** The messages received for one address, in order. */
  mailTo(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const deferred = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const a = address.address.toLowerCase();
      if (a.startsWith('bounce')) return cb(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
      if (a.startsWith('slow') && !deferred.has(a)) {
        deferred.add(a);
        return cb(Object.assign(new Error('4.7.1 try again later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          for (const r of session.envelope.rcptTo) received.push({ to: r.address, mail });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    mailTo: (address) => received.filter((r) => r.to === address),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The answer, unsubscribe and tracking-image tokens in a message's text or HTML. */
export const answerTokenIn = (text: string) => /\?i=(pi_[A-Za-z0-9_-]+)/.exec(text)?.[1];
export const unsubscribeTokenIn = (text: string) => /\/u\/(pu_[A-Za-z0-9_-]+)/.exec(text)?.[1];
export const openTokenIn = (html: string) => /\/m\/(po_[A-Za-z0-9_-]+)\/open\.gif/.exec(html)?.[1];

// Mail configuration from the environment: off without SMTP, a bad value refused with the variable named,
// and a real send with plain authentication through a local SMTP server (smtp-server on 127.0.0.1).
import { describe, it, expect } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { mailConfigFromEnv, smtpTransport } from './config.ts';

describe('mailConfigFromEnv', () => {
  it('is off without an SMTP server and reads host settings', () => {
    expect(mailConfigFromEnv({})).toBeUndefined();
    expect(mailConfigFromEnv({ PARALLAX_SMTP_HOST: 'mail.example.com', PARALLAX_SMTP_PORT: '465', PARALLAX_SMTP_SECURE: 'true', PARALLAX_SMTP_USER: 'u', PARALLAX_SMTP_PASS: 'p', PARALLAX_MAIL_FROM: 'cx@example.com', PARALLAX_MAIL_PER_MINUTE: '30' })).toEqual({
      smtp: { host: 'mail.example.com', port: 465, secure: true, auth: { user: 'u', pass: 'p' } },
      from: 'cx@example.com',
      perMinute: 30,
    });
  });
  it('names the variable that is wrong', () => {
    expect(() => mailConfigFromEnv({ PARALLAX_SMTP_HOST: 'h' })).toThrow(/PARALLAX_MAIL_FROM/);
    expect(() => mailConfigFromEnv({ PARALLAX_SMTP_HOST: 'h', PARALLAX_MAIL_FROM: 'a@b.c', PARALLAX_SMTP_PORT: '99999' })).toThrow(/PARALLAX_SMTP_PORT/);
    expect(() => mailConfigFromEnv({ PARALLAX_SMTP_URL: 'http://x', PARALLAX_MAIL_FROM: 'a@b.c' })).toThrow(/PARALLAX_SMTP_URL/);
    expect(() => mailConfigFromEnv({ PARALLAX_SMTP_HOST: 'h', PARALLAX_MAIL_FROM: 'a@b.c', PARALLAX_MAIL_PER_MINUTE: '0' })).toThrow(/PARALLAX_MAIL_PER_MINUTE/);
  });
  it('sends through an SMTP server that needs plain authentication', async () => {
    const got: string[] = [];
    const server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _s, cb) {
        if (auth.username === 'mailer' && auth.password === 's3cret') cb(null, { user: 'mailer' });
        else cb(new Error('bad credentials'));
      },
      onData(stream, _s, cb) {
        simpleParser(stream).then((m) => {
          got.push(m.subject ?? '');
          cb();
        }, cb);
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as { port: number }).port;
    try {
      const send = (pass: string) => {
        const config = mailConfigFromEnv({ PARALLAX_SMTP_HOST: '127.0.0.1', PARALLAX_SMTP_PORT: String(port), PARALLAX_SMTP_USER: 'mailer', PARALLAX_SMTP_PASS: pass, PARALLAX_MAIL_FROM: 'cx@example.com' })!;
        const t = smtpTransport(config);
        return t.sendMail({ from: config.from, to: 'a@example.com', subject: 'hello', text: 'hi' }).finally(() => t.close());
      };
      await expect(send('wrong')).rejects.toMatchObject({ code: 'EAUTH' });
      await send('s3cret');
      expect(got).toEqual(['hello']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

// Mail configuration from the environment: the SMTP server (PARALLAX_SMTP_URL, or PARALLAX_SMTP_HOST /
// _PORT / _SECURE / _USER / _PASS), the sender address (PARALLAX_MAIL_FROM; the display name is each
// campaign's, by default its organisation's) and the throttle (PARALLAX_MAIL_PER_MINUTE). A bad value stops
// the server at start, with the variable named, rather than failing at the first message.
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailConfig {
  /** nodemailer SMTP options or URL. */
  smtp: string | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  from: string;
  perMinute: number;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** The mail configuration, or undefined when no SMTP server is configured (mail is then off). */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | undefined {
  const url = env.PARALLAX_SMTP_URL?.trim();
  const host = env.PARALLAX_SMTP_HOST?.trim();
  if (!url && !host) return undefined;
  const from = env.PARALLAX_MAIL_FROM?.trim() ?? '';
  if (!ADDRESS.test(from)) throw new Error(`PARALLAX_MAIL_FROM must be the sender's address, e.g. surveys@example.com (got "${from}")`);
  const perMinute = Number(env.PARALLAX_MAIL_PER_MINUTE?.trim() || 60);
  if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 100_000) throw new Error(`PARALLAX_MAIL_PER_MINUTE must be a whole number from 1 to 100000`);
  if (url) {
    if (!/^smtps?:\/\//.test(url)) throw new Error('PARALLAX_SMTP_URL must start with smtp:// or smtps://');
    return { smtp: url, from, perMinute };
  }
  const port = Number(env.PARALLAX_SMTP_PORT?.trim() || 587);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('PARALLAX_SMTP_PORT must be a port number');
  const secure = /^(1|true|yes|on)$/i.test(env.PARALLAX_SMTP_SECURE?.trim() ?? '');
  const user = env.PARALLAX_SMTP_USER?.trim();
  const auth = user ? { user, pass: env.PARALLAX_SMTP_PASS ?? '' } : undefined;
  return { smtp: { host: host!, port, secure, ...(auth ? { auth } : {}) }, from, perMinute };
}

/** A pooled SMTP transport (STARTTLS is used when the server offers it, unless secure: TLS from the start). */
export function smtpTransport(config: MailConfig): Transporter {
  return nodemailer.createTransport(config.smtp as Parameters<typeof nodemailer.createTransport>[0]);
}

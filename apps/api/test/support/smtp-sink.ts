import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  /** The SMTP envelope: MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  /** Who logged in. */
  user: unknown;
  headers: string;
  /** With LF line ends. */
  body: string;
}

export interface SmtpSink {
  received: ReceivedEmail[];
  /** With `holdFirst`: resolves once the first message's data is arriving, and held. */
  holding: Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives: plain SMTP (no TLS on loopback),
 * and it takes only the given login, as a relay would. With `holdFirst`, it never answers the
 * first message's data: a sender stuck mid-delivery, until its connection goes.
 */
export async function startSmtpSink(
  port: number,
  login: { user: string; pass: string },
  { holdFirst = false } = {},
): Promise<SmtpSink> {
  const received: ReceivedEmail[] = [];
  let hold = holdFirst;
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      if (hold) {
        hold = false;
        stream.resume();
        held();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8').replaceAll('\r\n', '\n');
        const split = raw.indexOf('\n\n');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((address) => address.address),
          user: session.user,
          headers: raw.slice(0, split),
          body: raw.slice(split + 2),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    received,
    holding,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header's value, e.g. header(email, 'Subject'). */
export const header = (email: ReceivedEmail, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'mi').exec(email.headers)?.[1];

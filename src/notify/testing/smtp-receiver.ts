// A real SMTP server on 127.0.0.1 (the smtp-server package) for email channel tests: records
// each message with its decoded subject and text, and can reject recipients with a chosen code.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** The raw message with quoted-printable soft breaks and escapes undone: good enough to search. */
  decoded: string;
  header(name: string): string | undefined;
}

export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  /** SMTP reply code for the next RCPT TO (e.g. 451 temporary, 550 permanent), then accepted. */
  readonly rejectScript: number[] = [];

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpReceiver> {
    let receiver: SmtpReceiver | undefined = undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        const code = receiver?.rejectScript.shift();
        if (code === undefined) return callback();
        return callback(Object.assign(new Error(`rejected with ${code}`), { responseCode: code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          receiver?.mails.push(
            parseMail(
              raw,
              from,
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        });
      },
    });
    receiver = new SmtpReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  async waitForMails(count: number, timeoutMs = 5_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      if (Date.now() > deadline) throw new Error(`smtp receiver: ${this.mails.length}/${count} mails after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.mails;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const headerText = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return {
    from,
    to,
    raw,
    subject: decodeEncodedWords(headers.get('subject') ?? ''),
    decoded: decodeQuotedPrintable(raw),
    header: (name) => headers.get(name.toLowerCase()),
  };
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// The tls kind: a verified TLS handshake (chain and host name) and a certificate that does not
// expire within `minDaysValid` days. Reports the days left, the issuer and the expiry date.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { connect } from 'node:tls';
import type { TlsCheck } from '../schema.js';
import { remainingMs, type CheckRunner } from './context.js';
import { describeFetchError } from './http-request.js';

const dayMs = 86_400_000;

export const runTlsCheck: CheckRunner<TlsCheck> = (check, ctx) =>
  new Promise((resolve) => {
    const t0 = ctx.now();
    const name = `TLS ${check.host}:${check.port}`;
    let ca: string[] | undefined;
    try {
      ca = check.ca ? [...rootCertificates, readFileSync(check.ca, 'utf8')] : undefined;
    } catch (err) {
      resolve({ steps: [{ name, ok: false, durationMs: 0, error: `cannot read ca ${check.ca}: ${(err as Error).message}`, assertions: [] }], details: {} });
      return;
    }
    const socket = connect({ host: check.host, port: check.port, servername: check.host, ca, rejectUnauthorized: false });
    const finish = (outcome: {
      error?: string;
      assertions?: Array<{ assertion: string; ok: boolean; expected: string; actual: string }>;
      details?: Record<string, string | number | boolean>;
    }): void => {
      clearTimeout(timer);
      socket.destroy();
      const assertions = outcome.assertions ?? [];
      resolve({
        steps: [{ name, ok: !outcome.error && assertions.every((a) => a.ok), durationMs: ctx.now() - t0, error: outcome.error, assertions }],
        details: outcome.details ?? {},
      });
    };
    const timer = setTimeout(() => finish({ error: 'timed out' }), remainingMs(ctx));
    socket.once('error', (err: Error) => finish({ error: describeFetchError(Object.assign(new Error(err.message), { cause: err }), 0) }));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const validTo = Date.parse(cert.valid_to);
      const daysLeft = Math.floor((validTo - ctx.now()) / dayMs);
      const details = {
        daysLeft,
        validTo: new Date(validTo).toISOString(),
        issuer: firstText(cert.issuer?.CN ?? cert.issuer?.O),
        subject: firstText(cert.subject?.CN),
      };
      // The handshake is done without rejecting so the certificate can be read and reported; the
      // verdict on the chain is this assertion.
      const authorized = socket.authorized;
      const reason = String(socket.authorizationError);
      const chainReason = authorized ? 'verified' : describeFetchError(Object.assign(new Error(reason), { cause: { code: reason } }), 0);
      finish({
        assertions: [
          { assertion: 'chain', ok: authorized, expected: 'a certificate chain trusted for this host', actual: chainReason },
          {
            assertion: 'minDaysValid',
            ok: daysLeft >= check.minDaysValid,
            expected: `valid for ≥ ${check.minDaysValid} days`,
            actual: daysLeft < 0 ? `expired ${-daysLeft} days ago` : `${daysLeft} days left`,
          },
        ],
        details,
      });
    });
  });

const firstText = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

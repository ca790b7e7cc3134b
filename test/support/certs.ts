// Test certificates made with the openssl command: a CA, a leaf it signed for localhost (valid,
// or expired via `openssl ca` with past dates), and a self-signed leaf. PEM files in a temp dir.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  caCert: string;
  /** Signed by the CA for localhost and 127.0.0.1, valid for `validDays`. */
  leafKey: string;
  leafCert: string;
  /** Signed by the CA, valid only in January 2020. */
  expiredKey: string;
  expiredCert: string;
  /** Self-signed for localhost. */
  selfKey: string;
  selfCert: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed for TLS tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export function makeTestCerts(validDays = 30): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-certs-'));
  const p = (f: string): string => join(dir, f);
  writeFileSync(p('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Vigil Test CA', '-days', '30'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      String(validDays),
      '-extfile',
      'san.ext',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-subj',
      '/CN=localhost',
      '-days',
      '30',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    dir,
  );
  // `openssl ca` is the one subcommand that takes explicit dates, so an expired certificate can be made.
  writeFileSync(p('index.txt'), '');
  writeFileSync(p('serial'), '01\n');
  writeFileSync(
    p('ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndir = ${dir}\ndatabase = ${p('index.txt')}\nserial = ${p('serial')}\nnew_certs_dir = ${dir}\ncertificate = ${p('ca.pem')}\nprivate_key = ${p('ca.key')}\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\nx509_extensions = ext\n[any]\ncommonName = supplied\n[ext]\nsubjectAltName = DNS:localhost,IP:127.0.0.1\n`,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost'], dir);
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-in',
      'expired.csr',
      '-out',
      'expired.pem',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200201000000Z',
      '-notext',
    ],
    dir,
  );
  return {
    dir,
    caCert: p('ca.pem'),
    leafKey: p('leaf.key'),
    leafCert: p('leaf.pem'),
    expiredKey: p('expired.key'),
    expiredCert: p('expired.pem'),
    selfKey: p('self.key'),
    selfCert: p('self.pem'),
  };
}

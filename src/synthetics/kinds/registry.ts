// Check kinds: a new kind is a new runner file plus one entry here.
import { runBrowserCheck } from './browser.js';
import type { RunnerRegistry } from './context.js';
import { runDnsCheck } from './dns.js';
import { runHeartbeatCheck } from './heartbeat.js';
import { runHttpCheck } from './http.js';
import { runJourneyCheck } from './journey.js';
import { runTcpCheck } from './tcp.js';
import { runTlsCheck } from './tls.js';

export const runners: RunnerRegistry = {
  http: runHttpCheck,
  journey: runJourneyCheck,
  tls: runTlsCheck,
  tcp: runTcpCheck,
  dns: runDnsCheck,
  heartbeat: runHeartbeatCheck,
  browser: runBrowserCheck,
};

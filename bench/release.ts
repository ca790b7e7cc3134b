// bench:release — release validation on simulated traffic, 1,000 deploys per case (issue 24): a 2x
// p95 regression and a 0.2% → 5% error rise on 20% canary traffic must fail with a median time to
// verdict ≤ 3 min of event time; a 1.1x latency difference must not; without a regression the
// false-fail rate must be ≤ 1%. Beside it, on the same data, a fixed-horizon Mann-Whitney test as
// Kayenta runs it (10 min interval): its time to verdict and false-fail rate. A daily peak compares
// the hour before with the same time of day on previous days as the baseline. Runs the pure core.
import { cpus, loadavg } from 'node:os';
import { defaultReleaseConfig } from '../src/release/index.js';
import { defaultRoutes, type TrafficProfile, type VersionProfile } from '../src/release/testing/traffic.js';
import { runDeploy } from '../src/release/testing/deploy-run.js';
import { machineLine, percentile } from './machine.js';
import { kayentaStyleFails } from './mann-whitney.js';

const deploys = Number(process.env.RELEASE_BENCH_DEPLOYS ?? 1000);
const horizonMinutes = 10;
const config = defaultReleaseConfig();
const base = { requestsPerSecond: 20, routes: defaultRoutes, sigma: 0.5, previous: { errorRate: 0.002, latencyFactor: 1 } };

interface Case {
  name: string;
  profile: TrafficProfile;
  /** Whether a fail is the right answer. */
  regression: boolean;
  /** The previous version at the same time of day on previous days (else the hour before only). */
  sameTimeOfDay?: { days: number; previous: VersionProfile };
}

/** A daily peak: every version is 1.8x slower at the deploy's hour than in the quiet hour before it. */
const quiet = { errorRate: 0.002, latencyFactor: 1 };
const peak = { errorRate: 0.002, latencyFactor: 1.8 };

const cases: Case[] = [
  { name: '2x p95, 20% canary', regression: true, profile: { ...base, candidate: { errorRate: 0.002, latencyFactor: 2 }, candidateShare: 0.2 } },
  { name: '0.2% → 5% errors, 20% canary', regression: true, profile: { ...base, candidate: { errorRate: 0.05, latencyFactor: 1 }, candidateShare: 0.2 } },
  { name: '0.2% → 5% errors, full rollout', regression: true, profile: { ...base, candidate: { errorRate: 0.05, latencyFactor: 1 }, candidateShare: 1 } },
  {
    name: '1.1x latency (noise), 20% canary',
    regression: false,
    profile: { ...base, candidate: { errorRate: 0.002, latencyFactor: 1.1 }, candidateShare: 0.2 },
  },
  { name: 'no regression, 20% canary', regression: false, profile: { ...base, candidate: { errorRate: 0.002, latencyFactor: 1 }, candidateShare: 0.2 } },
  { name: 'no regression, full rollout', regression: false, profile: { ...base, candidate: { errorRate: 0.002, latencyFactor: 1 }, candidateShare: 1 } },
  {
    name: 'daily peak, no regression, full rollout: hour before only',
    regression: false,
    profile: { ...base, previous: quiet, candidate: peak, candidateShare: 1 },
  },
  {
    name: 'daily peak, no regression, full rollout: same time of day (3 days)',
    regression: false,
    profile: { ...base, previous: quiet, candidate: peak, candidateShare: 1 },
    sameTimeOfDay: { days: 3, previous: peak },
  },
  {
    name: 'daily peak, 2x p95, full rollout: same time of day (3 days)',
    regression: true,
    profile: { ...base, previous: quiet, candidate: { errorRate: 0.002, latencyFactor: 3.6 }, candidateShare: 1 },
    sameTimeOfDay: { days: 3, previous: peak },
  },
];

console.log(machineLine());
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )} on ${cpus().length} cores; ${deploys} deploys per case, ${base.requestsPerSecond} req/s over ${base.routes.length} routes, window ${config.windowMs / 60_000} min, alpha ${config.alpha}`,
);
console.log(
  '| case | sequential: failed | median / p90 time to fail | verdicts (pass/fail/inconclusive) | median time to pass | Mann-Whitney @10 min: failed | its time to verdict | CPU per deploy |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [ci, c] of cases.entries()) {
  const times: number[] = [];
  const passTimes: number[] = [];
  const counts = { pass: 0, fail: 0, inconclusive: 0, watching: 0 };
  let mwFails = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < deploys; i++) {
    const run = runDeploy(c.profile, ci * 1_000_003 + i + 1, config, {
      baselineMinutes: 30,
      horizonMinutes,
      ...(c.sameTimeOfDay ? { sameTimeOfDay: c.sameTimeOfDay } : {}),
    });
    counts[run.verdict.status]++;
    if (run.verdict.status === 'fail') times.push(run.decidedAfterMs / 1000);
    if (run.verdict.status === 'pass') passTimes.push(run.decidedAfterMs / 1000);
    if (
      c.profile.candidateShare < 1 &&
      kayentaStyleFails(run.minutes.candidate, run.minutes.baseline, {
        alpha: config.alpha,
        latencyTolerance: config.latencyTolerance,
        errorRatioTolerance: config.errorRatioTolerance,
      })
    )
      mwFails++;
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  passTimes.sort((a, b) => a - b);
  const rate = (n: number): string => `${((100 * n) / deploys).toFixed(1)}%`;
  const mw = c.profile.candidateShare < 1 ? rate(mwFails) : 'n/a (no concurrent baseline)';
  console.log(
    `| ${c.name} | ${rate(counts.fail)} | ${times.length ? `${percentile(times, 0.5).toFixed(0)} s / ${percentile(times, 0.9).toFixed(0)} s` : '—'} | ${counts.pass}/${counts.fail}/${counts.inconclusive} | ${passTimes.length ? `${(percentile(passTimes, 0.5) / 60).toFixed(1)} min` : '—'} | ${mw} | ${horizonMinutes * 60} s | ${((cpu.user + cpu.system) / 1000 / deploys).toFixed(1)} ms |`,
  );
}

// The machine a benchmark ran on, printed at the top of every benchmark's output.
import { cpus, totalmem, platform, release } from 'node:os';

export function machineLine(): string {
  const cpu = cpus();
  return `machine: ${cpu[0]?.model ?? 'unknown cpu'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, node ${process.version}`;
}

export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

// Which metrics are a service's resources (CPU, memory, threads, GC, connection pools, queues) and
// whose they are, under OpenTelemetry semantic-convention names and common Prometheus names.
// Pure naming knowledge shared by the resource-shift detector and the root-cause ranking.

export type ResourceClass = 'cpu' | 'memory' | 'threads' | 'gc' | 'pool' | 'queue';

// Order matters: "gc" before "memory" (jvm.gc.* names often mention memory pools).
const CLASSES: Array<[ResourceClass, RegExp]> = [
  ['gc', /(^|[._])gc([._]|$)|garbage/i],
  ['cpu', /cpu/i],
  ['memory', /memory|heap|rss|working_set|resident|(^|_)mem(_|$)/i],
  ['threads', /thread|goroutine/i],
  ['pool', /connection|pool/i],
  ['queue', /queue|backlog|consumer_lag|consumer\.lag|pending/i],
];

/** Limits, capacities and idle shares are not usage: their rise is no symptom. */
const NOT_USAGE = /(^|[._])(limit|max|min|capacity|quota|available|free|committed|allocatable|cores|count_max|idle)([._]|$)/i;
/** Attribute values that mark the idle part of a usage split (state=idle, mode=idle …). */
const IDLE_STATES = new Set(['idle', 'free', 'available', 'cached', 'buffered', 'slab_reclaimable', 'inactive', 'steal', 'nice']);

/** k8s requests (cpu_request, memory.requests) are reservations, not usage. */
const RESERVATION = /(cpu|memory)[._]requests?$/i;

/**
 * A metric name as lower-case words joined by `_`, whatever its convention: dots, dashes, slashes,
 * spaces, units in brackets and camelCase all become word breaks (`PodServerLatencyP90(s)` →
 * `pod_server_latency_p90_s`, `latency-90` → `latency_90`), so one set of word patterns reads
 * semantic-convention, Prometheus and exported-CSV names alike.
 */
export const metricWords = byName((name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, ''),
);

/** Names seen at most this many at a time per reading: a system's metric names are few, a flood of new ones only empties the memory. */
const NAMES_KEPT = 4096;

/**
 * A reading of metric names remembered by name: detectors ask it of every sample on the ingest
 * path, and a handful of names repeat endlessly.
 */
export function byName<T>(read: (name: string) => T): (name: string) => T {
  const known = new Map<string, T>();
  return (name) => {
    if (known.has(name)) return known.get(name) as T;
    if (known.size >= NAMES_KEPT) known.clear();
    const value = read(name);
    known.set(name, value);
    return value;
  };
}

export const resourceClassOf = byName((metric: string): ResourceClass | undefined => {
  const name = metricWords(metric);
  if (RESERVATION.test(name)) return undefined;
  if (NOT_USAGE.test(name.replace(/_total$|_seconds$|_bytes$/g, ''))) return undefined;
  for (const [cls, re] of CLASSES) if (re.test(name)) return cls;
  return undefined;
});

export function isIdlePart(attributes: Readonly<Record<string, string>>): boolean {
  for (const k in attributes) {
    if (!/(^|\.)(state|mode|type)$/.test(k) && k !== 'state' && k !== 'mode') continue;
    if (IDLE_STATES.has(String(attributes[k]).toLowerCase())) return true;
  }
  return false;
}

const OWNER_KEYS = [
  'k8s.deployment.name',
  'k8s.container.name',
  'container',
  'container_name',
  'service',
  'service_name',
  'app',
  'k8s.pod.name',
  'pod',
  'pod_name',
];
const UNNAMED = /^(|unknown_service.*|cadvisor|kubelet|kubernetes-.*|node-exporter|kube-state-metrics|POD)$/;

/** A pod name without its replica-set and pod hashes (cart-7d9f8b6c5-x2k4p → cart). */
function podBase(pod: string): string {
  return pod
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '')
    .replace(/-[a-z0-9]{5}$/, '')
    .replace(/-\d+$/, '');
}

/**
 * The service a resource metric belongs to. A scraper (cAdvisor, kubelet) reports every
 * container under its own name, so the container / deployment / pod labels win over it.
 */
export function resourceOwner(service: string, attributes: Readonly<Record<string, string>>): string {
  const scraped = UNNAMED.test(service);
  for (const key of OWNER_KEYS) {
    const v = attributes[key];
    if (!v || UNNAMED.test(v)) continue;
    if (!scraped && key !== 'k8s.deployment.name' && key !== 'k8s.container.name' && key !== 'container' && key !== 'container_name') continue;
    return key.includes('pod') ? podBase(v) : v;
  }
  return service;
}

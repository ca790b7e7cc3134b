// Who a client span calls: the uninstrumented dependency named by its semantic conventions
// (peer service, db namespace, server address) and what kind of thing it is (db, cache, queue …).

import type { NodeKind, Span } from '../../model/index.js';

const CACHE_SYSTEMS = new Set(['redis', 'memcached', 'valkey', 'hazelcast', 'ehcache', 'aerospike']);

/** True for spans that call out of the service (their duration is time waiting on a peer). */
export function isOutbound(span: Span): boolean {
  return span.kind === 'client' || span.kind === 'producer';
}

/** True for spans that receive work into the service. */
export function isInbound(span: Span): boolean {
  return span.kind === 'server' || span.kind === 'consumer';
}

/** The callee's name as the caller sees it; '' when the span names no peer. */
export function peerName(span: Span): string {
  const a = span.attributes;
  return (
    span.peerService ||
    a['service.peer.name'] ||
    a['peer.service'] ||
    span.dbNamespace ||
    a['messaging.destination.name'] ||
    a['server.address'] ||
    a['net.peer.name'] ||
    span.dbSystem ||
    a['messaging.system'] ||
    ''
  );
}

/** The kind of an uninstrumented callee, from db.system / messaging.system. */
export function peerKind(span: Span): NodeKind {
  const system = span.dbSystem.toLowerCase();
  if (system) return CACHE_SYSTEMS.has(system) ? 'cache' : 'database';
  if (span.attributes['messaging.system'] || span.kind === 'producer') return 'messaging';
  return 'external';
}

/** Where an inbound span says it was served (`host:port` and the bare host), for naming callers' peers. */
export function servedAt(span: Span): string[] {
  const a = span.attributes;
  const host = a['server.address'] || a['net.host.name'] || a['network.local.address'] || a['net.sock.host.addr'] || '';
  const port = a['server.port'] || a['net.host.port'] || a['network.local.port'] || '';
  if (!host) return [];
  return port ? [`${host}:${port}`, host] : [host];
}

/**
 * The address a client span dialled, when its peer name is nothing but that address (no
 * peer.service, database or queue name): `host:port` first, then the bare host.
 */
export function dialledAddress(span: Span): string[] {
  const a = span.attributes;
  const host = a['server.address'] || a['net.peer.name'] || a['network.peer.address'] || a['net.sock.peer.addr'] || '';
  if (!host) return [];
  if (a['service.peer.name'] || a['peer.service'] || span.dbNamespace || a['messaging.destination.name']) return [];
  if (span.peerService && span.peerService !== host && !span.peerService.startsWith(`${host}:`)) return [];
  const port = a['server.port'] || a['net.peer.port'] || a['network.peer.port'] || '';
  return port ? [`${host}:${port}`, host] : [host];
}

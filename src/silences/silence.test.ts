// Silences match by service and kind within their window, cover an incident only when every
// firing symptom is matched, and stop applying at their end or when expired by hand.
import assert from 'node:assert/strict';
import test from 'node:test';
import { silenceInputSchema } from './config.js';
import { silenceMarks, silencesCovering, silenceState, type Silence, type SilenceableIncident } from './silence.js';

const t0 = 1_767_600_000_000;
const minute = 60_000;
const silence = (s: Partial<Silence>): Silence => ({
  id: 's1',
  startsAtMs: t0,
  endsAtMs: t0 + 30 * minute,
  comment: 'maintenance',
  createdBy: 'ops',
  createdAtMs: t0,
  ...s,
});
const sig = (service: string, kind: string, status: 'firing' | 'recovered' = 'firing') => ({
  kind: kind as never,
  subject: { service },
  status,
});
const incident = (...signals: ReturnType<typeof sig>[]): SilenceableIncident => ({
  services: [...new Set(signals.map((s) => s.subject.service))],
  signals,
});

test('a silence is pending, active, then expired; expiring it by hand ends it at once', () => {
  const s = silence({ startsAtMs: t0 + minute });
  assert.equal(silenceState(s, t0), 'pending');
  assert.equal(silenceState(s, t0 + minute), 'active');
  assert.equal(silenceState(s, t0 + 30 * minute), 'expired', 'the end is exclusive');
  assert.equal(silenceState({ ...s, expiredAtMs: t0 + 2 * minute }, t0 + 2 * minute), 'expired');
});

test('an incident is silenced only while every firing signal matches an active silence', () => {
  const byService = silence({ service: 'checkout' });
  const byKind = silence({ id: 's2', kind: 'latency' });
  const inc = incident(sig('checkout', 'error-rate'), sig('cart', 'latency'));
  assert.deepEqual(silencesCovering(inc, [byService], t0 + minute), [], 'the cart latency is not silenced: the incident notifies');
  assert.deepEqual(
    silencesCovering(inc, [byService, byKind], t0 + minute).map((s) => s.id),
    ['s1', 's2'],
  );
  assert.deepEqual(silencesCovering(inc, [byService, byKind], t0 + 31 * minute), [], 'expired silences cover nothing');
  const both = silence({ service: 'checkout', kind: 'slo-burn' });
  assert.deepEqual(silencesCovering(incident(sig('checkout', 'error-rate')), [both], t0 + minute), [], 'both matchers must hold');
  assert.equal(silencesCovering(incident(sig('checkout', 'slo-burn')), [both], t0 + minute).length, 1);
  // A recovered signal no longer counts while another fires; once all recovered, all of them count.
  assert.equal(silencesCovering(incident(sig('cart', 'latency', 'recovered'), sig('checkout', 'error-rate')), [byService], t0 + minute).length, 1);
  assert.deepEqual(silencesCovering(incident(sig('cart', 'latency', 'recovered'), sig('checkout', 'error-rate', 'recovered')), [byService], t0 + minute), []);
});

test('an incident without signals is judged by its services, and only service-only silences cover it', () => {
  const inc: SilenceableIncident = { services: ['checkout'], signals: [] };
  assert.equal(silencesCovering(inc, [silence({ service: 'checkout' })], t0).length, 1);
  assert.deepEqual(silencesCovering(inc, [silence({ service: 'checkout', kind: 'latency' })], t0), []);
  assert.deepEqual(silencesCovering({ services: [], signals: [] }, [silence({ service: 'checkout' })], t0), []);
});

test('input: a silence names what it matches, says why, and always ends', () => {
  const ok = silenceInputSchema.safeParse({ service: 'checkout', duration: '2h', comment: 'db migration' });
  assert.ok(ok.success);
  const bad = silenceInputSchema.safeParse({
    comment: '',
    duration: '2 hours',
    endsAt: '2026-01-01T00:00:00Z',
    extra: 1,
  });
  assert.ok(!bad.success);
  const paths = bad.error.issues.map((i) => i.path.join('.') || i.code).sort();
  assert.deepEqual(paths, ['comment', 'duration', 'endsAt', 'service', 'unrecognized_keys'], 'every problem at once: no matcher, both an end and a length');
  const neither = silenceInputSchema.safeParse({ comment: 'x' });
  assert.ok(!neither.success);
  assert.deepEqual(neither.error.issues.map((i) => i.path.join('.')).sort(), ['endsAt', 'service']);
});

test('marks for the API: which silences cover the incident and which match each signal, as of a time', () => {
  const byService = silence({ service: 'checkout' });
  const byKind = silence({ id: 's2', kind: 'latency', endsAtMs: t0 + 10 * minute });
  const inc = {
    services: ['checkout', 'cart'],
    signals: [
      { id: 'a', ...sig('checkout', 'error-rate') },
      { id: 'b', ...sig('cart', 'latency') },
    ],
  };
  const during = silenceMarks(inc, [byService, byKind], t0 + minute);
  assert.deepEqual(during.coveredBy, ['s1', 's2']);
  assert.deepEqual(
    [...during.bySignal],
    [
      ['a', ['s1']],
      ['b', ['s2']],
    ],
  );
  const later = silenceMarks(inc, [byService, byKind], t0 + 20 * minute);
  assert.deepEqual(later.coveredBy, [], 'the latency silence ended: the incident is no longer silenced');
  assert.deepEqual([...later.bySignal], [['a', ['s1']]], 'the checkout symptom is still matched');
  assert.deepEqual(silenceMarks(inc, [], t0).coveredBy, []);
});

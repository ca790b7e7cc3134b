// Every AnyValue kind flattens to the same attribute string from protobuf and from JSON: strings,
// bools, ints (negative, beyond 2^53), doubles, nested arrays and key-value lists, bytes.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { attributesField } from './json-values.js';
import { defaultIngestLimits } from './limits.js';
import { otlpRoot } from './proto/root.js';
import { WireReader } from './wire.js';
import { readResource } from './wire-values.js';

const values = [
  { key: 's', value: { stringValue: 'héllo' } },
  { key: 'b', value: { boolValue: true } },
  { key: 'i', value: { intValue: -42 } },
  { key: 'big', value: { intValue: '9007199254740993' } },
  { key: 'd', value: { doubleValue: 1.5 } },
  { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 2 }, { arrayValue: { values: [{ boolValue: false }] } }] } } },
  {
    key: 'kv',
    value: {
      kvlistValue: {
        values: [
          { key: 'a', value: { doubleValue: 0.5 } },
          { key: 'n', value: {} },
        ],
      },
    },
  },
  { key: 'bytes', value: { bytesValue: 'AQID' } },
  { key: 'empty', value: {} },
];

const noWarning = (reason: string): never => assert.fail(reason);
const expected = {
  s: 'héllo',
  b: 'true',
  i: '-42',
  big: '9007199254740993',
  d: '1.5',
  arr: '["x",2,[false]]',
  kv: '{"a":0.5,"n":null}',
  bytes: 'AQID',
  empty: '',
};

void it('flattens every AnyValue kind identically from protobuf and JSON', () => {
  const Resource = otlpRoot.lookupType('opentelemetry.proto.resource.v1.Resource');
  const protoValues = values.map((v) => (v.key === 'bytes' ? { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 3]) } } : v));
  const bytes = Buffer.from(Resource.encode(Resource.fromObject({ attributes: protoValues })).finish());
  assert.deepEqual(readResource(new WireReader(bytes), bytes.length, defaultIngestLimits, noWarning), expected);
  assert.deepEqual(attributesField({ attributes: values }, 'attributes', undefined, 'resource', defaultIngestLimits), expected);
});

void it('never confuses attribute keys that share a cache slot, nor non-ASCII keys', () => {
  const Resource = otlpRoot.lookupType('opentelemetry.proto.resource.v1.Resource');
  const read = (keys: string[]): string[] => {
    const bytes = Buffer.from(Resource.encode(Resource.fromObject({ attributes: keys.map((key) => ({ key, value: { stringValue: 'v' } })) })).finish());
    return Object.keys(readResource(new WireReader(bytes), bytes.length, defaultIngestLimits, noWarning));
  };
  // Same length, first, middle and last byte: the same slot, told apart by the byte check.
  assert.deepEqual(read(['aXbcd', 'aYbcd']), ['aXbcd', 'aYbcd']);
  assert.deepEqual(read(['aYbcd', 'aXbcd', 'clé', 'clé']), ['aYbcd', 'aXbcd', 'clé']);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptDataError, devalueCodec, jsonCodec, type SessionEnvelope } from '../src/index.js';

const rich: SessionEnvelope = {
  deadline: 1_800_000_000_000,
  persist: true,
  client: { userAgent: 'test', ip: '127.0.0.1' },
  values: {
    when: new Date('2026-01-02T03:04:05.678Z'),
    big: 12345678901234567890n,
    bytes: new Uint8Array([0, 1, 254, 255]),
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, { b: [1, 2] }],
    ]),
    set: new Set(['x', 'y']),
    nested: { deep: { list: [1, 'two', null, undefined, { three: 3 }] } },
    nan: Number.NaN,
    negativeZero: -0,
  },
};

// "__proto__" keys are refused on purpose (see the next test), so generated values avoid them.
const safeKey = fc.string().filter((key) => key !== '__proto__');

describe('devalueCodec', () => {
  it('refuses to encode objects with a "__proto__" key rather than corrupting them', () => {
    const values = JSON.parse('{"__proto__": {"admin": true}}');
    expect(() => devalueCodec.encode({ deadline: 1, values })).toThrow();
  });

  it('keeps rich values intact', () => {
    const decoded = devalueCodec.decode(devalueCodec.encode(rich));
    expect(decoded).toEqual(rich);
    expect(decoded.values.when).toBeInstanceOf(Date);
    expect(decoded.values.bytes).toBeInstanceOf(Uint8Array);
    expect(decoded.values.map).toBeInstanceOf(Map);
    expect(typeof decoded.values.big).toBe('bigint');
    expect(Object.is(decoded.values.negativeZero, -0)).toBe(true);
  });

  it('round-trips arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          safeKey,
          fc.anything({
            key: safeKey,
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withNullPrototype: false,
          }),
        ),
        (values) => {
          const envelope = { deadline: 1, values };
          expect(devalueCodec.decode(devalueCodec.encode(envelope)).values).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads arbitrary bytes as corrupt, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(() => devalueCodec.decode(bytes)).toThrow(CorruptDataError);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses data with a known prefix but a broken body or envelope', () => {
    const encoder = new TextEncoder();
    for (const text of [
      'hp1:',
      'hp1:[',
      'hp1:[1]',
      'hp1:[{"values":1},2]',
      'hp2:[{}]',
      'hpj1:{}',
    ]) {
      expect(() => devalueCodec.decode(encoder.encode(text))).toThrow(CorruptDataError);
    }
  });
});

describe('jsonCodec', () => {
  it('round-trips JSON values and carries its version prefix', () => {
    const envelope: SessionEnvelope = { deadline: 5, values: { a: [1, { b: 'c' }], n: null } };
    const bytes = jsonCodec.encode(envelope);
    expect(new TextDecoder().decode(bytes)).toMatch(/^hpj1:\{/);
    expect(jsonCodec.decode(bytes)).toEqual(envelope);
  });

  it('does not read the other codec (a changed codec reads old sessions as corrupt, not garbage)', () => {
    expect(() => jsonCodec.decode(devalueCodec.encode({ deadline: 1, values: {} }))).toThrow(
      CorruptDataError,
    );
  });
});

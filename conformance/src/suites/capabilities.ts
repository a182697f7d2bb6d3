import { supports } from '@hallpass/core';
import { expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import type { Capability } from '../types.js';

const CAPABILITIES: readonly Capability[] = ['versioned', 'iterate', 'userIndex', 'touch'];

/** Rule 4: what a store declares is what it implements, and what its author expects. */
export function capabilitiesSuite(ctx: SuiteContext): void {
  ctx.group('capabilities', () => {
    ctx.test('implements the required methods', {}, () => {
      for (const method of ['find', 'create', 'update', 'delete'] as const) {
        expect(typeof ctx.store[method], `store.${method}`).toBe('function');
      }
    });

    ctx.test('declares every capability as a boolean', {}, () => {
      expect(typeof ctx.store.capabilities, 'store.capabilities').toBe('object');
      for (const capability of CAPABILITIES) {
        expect(typeof ctx.store.capabilities[capability], `capabilities.${capability}`).toBe(
          'boolean',
        );
      }
    });

    ctx.test('implements the methods of every capability it declares (supports())', {}, () => {
      for (const capability of CAPABILITIES) {
        if (ctx.store.capabilities[capability]) {
          expect(supports(ctx.store, capability), `declares ${capability}: methods exist`).toBe(
            true,
          );
        }
      }
    });

    const expected = ctx.options.expectCapabilities;
    if (expected && Object.keys(expected).length > 0) {
      ctx.test('declares exactly the expected capabilities (expectCapabilities)', {}, () => {
        for (const capability of CAPABILITIES) {
          const want = expected[capability];
          if (want === undefined) continue;
          expect(ctx.store.capabilities[capability], `capabilities.${capability}`).toBe(want);
        }
      });
    } else {
      it.skip('declares exactly the expected capabilities [skipped: no expectCapabilities given to describeStore]', () => {});
    }
  });
}

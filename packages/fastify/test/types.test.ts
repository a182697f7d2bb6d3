import { type Session, SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';
import type { FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import type { HallpassSessionData } from '../src/index.js';
// The augmentation in support/app.ts declares `user: string` and `visits: number`.
import './support/app.js';

// Checked by `tsc` (the typecheck task): a wrong type here fails the build, not the test run.
describe('@hallpass/fastify types', () => {
  it('types request.session from the HallpassSessionData augmentation', async () => {
    expectTypeOf<FastifyRequest['session']>().toEqualTypeOf<Session<HallpassSessionData>>();
    const store = new MemoryStore({ cleanupIntervalMs: 0 });
    const manager = new SessionManager<HallpassSessionData>({ store });
    const session: FastifyRequest['session'] = await manager.load(undefined);
    expectTypeOf(session.get('visits')).toEqualTypeOf<number | undefined>();
    expectTypeOf(session.get('user')).toEqualTypeOf<string | undefined>();
    // @ts-expect-error visits is a number
    const wrong = () => session.put('visits', 'seven');
    expectTypeOf(wrong).toBeFunction();
  });
});

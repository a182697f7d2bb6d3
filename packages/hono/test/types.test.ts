import type { Session } from '@hallpass/core';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { hallpass } from '../src/index.js';
import { type AppEnv, buildApp, type DemoData } from './support/app.js';

// Checked by `tsc` (the typecheck task): a wrong type here fails the build, not the test run.
describe('@hallpass/hono types', () => {
  it('types c.var.session and c.get("session") from the manager', () => {
    const { manager } = buildApp();
    const app = new Hono<AppEnv>();
    app.use(hallpass(manager));
    app.get('/', (c) => {
      expectTypeOf(c.var.session).toEqualTypeOf<Session<DemoData>>();
      expectTypeOf(c.get('session').get('visits')).toEqualTypeOf<number | undefined>();
      // @ts-expect-error visits is a number
      c.var.session.put('visits', 'seven');
      return c.text('ok');
    });
    expectTypeOf(app).not.toBeAny();
  });
});

import { describe, expect, it } from 'vitest';
import type { Session } from '../src/index.js';
import type { Route } from './support/app.js';
import { routes, startApp } from './support/app.js';

// Any keys: the routes' typed Data does not know what an attacker plants.
const anyKeys = (session: object) => session as Session;

const plant: Route = (m, req, res) => {
  const session = anyKeys(m.session(req));
  session.put('returnTo', 'https://evil.example/phish');
  session.put('isAdmin', true);
  session.put('cart', ['sku-1']);
  res.end('planted');
};
const show: Route = (m, req, res) => {
  const session = anyKeys(m.session(req));
  res.end(
    JSON.stringify({
      user: session.userId,
      returnTo: session.get('returnTo') ?? null,
      isAdmin: session.get('isAdmin') ?? null,
      cart: session.get('cart') ?? null,
    }),
  );
};

describe('signIn and pre-login data', () => {
  it('starts the signed-in session empty: values planted before sign-in do not survive it', async () => {
    const app = await startApp({ ...routes, '/plant': plant, '/show': show });
    // The attacker plants a pre-login session and gets its cookie into the victim's browser.
    const attacker = app.client();
    await attacker.text('/plant');
    const victim = app.client();
    victim.cookie = attacker.cookie;
    await victim.text('/login');
    expect(JSON.parse(await victim.text('/show'))).toEqual({
      user: 'alice',
      returnTo: null,
      isAdmin: null,
      cart: null,
    });
  });

  it('carries over exactly the keys named in keep', async () => {
    const app = await startApp({
      ...routes,
      '/plant': plant,
      '/show': show,
      '/login-keep-cart': async (m, req, res) => {
        await anyKeys(m.session(req)).signIn('alice', { keep: ['cart', 'absent'] });
        res.end('ok');
      },
    });
    const client = app.client();
    await client.text('/plant');
    await client.text('/login-keep-cart');
    expect(JSON.parse(await client.text('/show'))).toEqual({
      user: 'alice',
      returnTo: null,
      isAdmin: null,
      cart: ['sku-1'],
    });
  });
});

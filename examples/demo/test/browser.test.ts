import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../src/server.ts';
import { chromiumAvailable, launchChromium, MISSING_CHROMIUM } from './support/chromium.ts';
import { startTestDemo } from './support/demo.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const CI = process.env.CI === 'true' || process.env.CI === '1';

// Two "devices": distinct user agents, so the sessions page can tell them apart.
const LAPTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

// Outside CI a missing browser skips with the reason; under CI it is a failure that says
// how to install it (the first test below), never a silent skip.
const runBrowser = chromiumAvailable() || CI;
if (!runBrowser) console.warn(`skipping the browser tests: ${MISSING_CHROMIUM}`);

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

async function signIn(page: Page, url: string, user: string, password = 'hallpass-demo') {
  await page.goto(`${url}/signin`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/`);
}

async function sessionCookie(context: BrowserContext, name = '__Host-hallpass') {
  return (await context.cookies()).find((cookie) => cookie.name === name);
}

async function signedInUser(page: Page): Promise<string | null> {
  const user = page.locator('[data-user]');
  return (await user.count()) === 0 ? null : user.textContent();
}

describe.runIf(runBrowser)('demo in headless Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let demo: RunningDemo;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startTestDemo();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('two devices: the first lists both, revokes the second, whose next request is signed out', async () => {
    const laptop = await browser.newContext({ userAgent: LAPTOP_UA });
    const phone = await browser.newContext({ userAgent: PHONE_UA });
    try {
      const laptopPage = await laptop.newPage();
      await laptopPage.goto(`${demo.url}/`);
      await screenshot(laptopPage, '01-home-signed-out');
      await laptopPage.goto(`${demo.url}/signin`);
      await screenshot(laptopPage, '02-sign-in');
      await signIn(laptopPage, demo.url, 'alice');
      expect(await signedInUser(laptopPage)).toBe('Alice Liddell');
      await expect
        .poll(() => laptopPage.locator('[data-flash]').textContent())
        .toContain('Signed in as Alice Liddell');
      await screenshot(laptopPage, '03-home-signed-in');

      const phonePage = await phone.newPage();
      await signIn(phonePage, demo.url, 'alice');
      expect(await signedInUser(phonePage)).toBe('Alice Liddell');

      const phoneToken = (await sessionCookie(phone))?.value;
      expect(phoneToken).toBeDefined();

      await laptopPage.goto(`${demo.url}/sessions`);
      const rows = laptopPage.locator('tbody tr');
      expect(await rows.count()).toBe(2);
      const current = laptopPage.locator('tbody tr[data-current]');
      expect(await current.count()).toBe(1);
      expect(await current.textContent()).toContain('Chrome on Linux');
      const other = laptopPage.locator('tbody tr:not([data-current])');
      expect(await other.textContent()).toContain('Chrome on Android');
      await screenshot(laptopPage, '04-sessions-two-devices');

      await other.getByRole('button', { name: /Revoke/ }).click();
      await laptopPage.waitForURL(`${demo.url}/sessions`);
      expect(await laptopPage.locator('[data-flash]').textContent()).toContain('revoked');
      expect(await laptopPage.locator('tbody tr').count()).toBe(1);
      expect(await laptopPage.locator('tbody tr[data-current]').count()).toBe(1);
      await screenshot(laptopPage, '05-sessions-after-revoke');

      await phonePage.reload();
      expect(await signedInUser(phonePage)).toBeNull();
      expect(await phonePage.locator('[data-flash]').textContent()).toContain(
        'Your session has ended',
      );
      await screenshot(phonePage, '06-revoked-device-signed-out');
      expect(await phonePage.locator('header').getByRole('link', { name: 'Sign in' }).count()).toBe(
        1,
      );
      // The revoked token's cookie was cleared, and no anonymous session replaced it.
      expect(await sessionCookie(phone)).toBeUndefined();
      await phonePage.goto(`${demo.url}/sessions`);
      await phonePage.waitForURL((url) => url.pathname === '/signin');
      expect(await phonePage.locator('[data-flash]').textContent()).toContain('Please sign in');

      // The laptop is untouched by the revocation.
      await laptopPage.goto(`${demo.url}/`);
      expect(await signedInUser(laptopPage)).toBe('Alice Liddell');
    } finally {
      await laptop.close();
      await phone.close();
    }
  });

  it('"sign out everywhere else" ends every other device and keeps this one', async () => {
    const contexts = await Promise.all([
      browser.newContext({ userAgent: LAPTOP_UA }),
      browser.newContext({ userAgent: PHONE_UA }),
      browser.newContext({ userAgent: PHONE_UA }),
    ]);
    try {
      const pages = await Promise.all(contexts.map((context) => context.newPage()));
      for (const page of pages) await signIn(page, demo.url, 'bob');
      const [main, ...others] = pages as [Page, ...Page[]];
      await main.goto(`${demo.url}/sessions`);
      expect(await main.locator('tbody tr').count()).toBe(3);
      await main.getByRole('button', { name: /Sign out everywhere else/ }).click();
      await main.waitForURL(`${demo.url}/sessions`);
      expect(await main.locator('[data-flash]').textContent()).toContain('Signed out 2 other');
      expect(await main.locator('tbody tr').count()).toBe(1);
      for (const page of others) {
        await page.reload();
        expect(await signedInUser(page)).toBeNull();
      }
      await main.reload();
      expect(await signedInUser(main)).toBe('Bob Marley');
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  });

  it('sign-in changes the cookie value, so a planted token is worthless (fixation)', async () => {
    const attacker = await browser.newContext();
    const victim = await browser.newContext();
    try {
      // The demo issues no token to a visitor who has done nothing, so the attacker gets a
      // live one by signing in to its own account...
      const attackerPage = await attacker.newPage();
      await signIn(attackerPage, demo.url, 'bob');
      const planted = await sessionCookie(attacker);
      expect(planted?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // ...and gets it into the victim's browser while the victim has the sign-in form open...
      const victimPage = await victim.newPage();
      await victimPage.goto(`${demo.url}/signin`);
      await victim.addCookies([{ ...(planted as NonNullable<typeof planted>) }]);
      expect((await sessionCookie(victim))?.value).toBe(planted?.value);

      // ...but signing in issues a new token and ends the planted session.
      await victimPage.getByLabel('User name').fill('carol');
      await victimPage.getByLabel('Password').fill('hallpass-demo');
      await victimPage.getByRole('button', { name: 'Sign in' }).click();
      await victimPage.waitForURL(`${demo.url}/`);
      const after = await sessionCookie(victim);
      expect(after?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(after?.value).not.toBe(planted?.value);
      expect(await signedInUser(victimPage)).toBe('Carol Danvers');

      await attackerPage.reload();
      expect(await signedInUser(attackerPage)).toBeNull();
    } finally {
      await attacker.close();
      await victim.close();
    }
  });

  it('the browser holds an HttpOnly, Secure, SameSite=Lax __Host- cookie that page scripts cannot read', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, demo.url, 'alice');
      const cookie = await sessionCookie(context);
      expect(cookie).toBeDefined();
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.secure).toBe(true);
      expect(cookie?.sameSite).toBe('Lax');
      expect(cookie?.path).toBe('/');
      // __Host-: bound to this host only, no Domain attribute.
      expect(cookie?.domain).toBe(new URL(demo.url).hostname);
      expect(await page.evaluate(() => document.cookie)).toBe('');
    } finally {
      await context.close();
    }
  });

  it('with HALLPASS_DEMO_INSECURE_COOKIE the cookie is a plain HttpOnly, SameSite=Lax one', async () => {
    const plain = await startTestDemo({ secureCookie: false });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, plain.url, 'alice');
      const cookie = await sessionCookie(context, 'hallpass');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.secure).toBe(false);
      expect(cookie?.sameSite).toBe('Lax');
      expect(await sessionCookie(context)).toBeUndefined();
    } finally {
      await context.close();
      await plain.close();
    }
  });

  it('an idle session expires: after the idle timeout the next request is signed out', async () => {
    // Long enough for sign-in and its redirect to finish on a busy machine, short enough to wait.
    const idleMs = 5000;
    const quick = await startTestDemo({ idleTimeout: idleMs, lifetime: '1m' });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, quick.url, 'alice');
      expect(await signedInUser(page)).toBe('Alice Liddell');
      expect(await page.locator('[data-deadline="idle"]').textContent()).toContain(
        'idle timeout 5s',
      );
      const token = (await sessionCookie(context))?.value;
      expect(token).toBeDefined();

      await sleep(idleMs + 500);
      // Replay the old token even if the browser dropped the expired cookie: the server must
      // refuse it by itself.
      await context.addCookies([
        {
          name: '__Host-hallpass',
          value: token as string,
          domain: new URL(quick.url).hostname,
          path: '/',
          secure: true,
          httpOnly: true,
          sameSite: 'Lax',
        },
      ]);
      await page.goto(`${quick.url}/sessions`);
      await page.waitForURL((url) => url.pathname === '/signin');
      expect(await signedInUser(page)).toBeNull();
      expect(await page.locator('[data-flash]').textContent()).toContain('Your session has ended');
      await screenshot(page, '07-idle-expired');
    } finally {
      await context.close();
      await quick.close();
    }
  });
});

if (CI && !chromiumAvailable()) {
  describe('browser tests under CI', () => {
    it('need Chromium', () => {
      throw new Error(MISSING_CHROMIUM);
    });
  });
}

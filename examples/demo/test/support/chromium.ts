import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core: `npx playwright install` cannot download
 * browsers on these machines, so the system browser is used. CHROMIUM_PATH overrides it.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const MISSING_CHROMIUM = `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH to a Chromium binary.`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) throw new Error(MISSING_CHROMIUM);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

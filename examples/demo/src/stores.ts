import type { Store } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

export interface OpenedStore {
  store: Store;
  /** What the pages show as "sessions are kept in ...", without credentials. */
  label: string;
  close(): Promise<void>;
}

/** A URL with its password removed, safe to print and to show on a page. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * Opens the store HALLPASS_DEMO_STORE names. Each backend's package is imported only when
 * chosen, so the demo starts without the drivers of the backends it does not use.
 */
export async function openStore(spec: string, dataDir: string): Promise<OpenedStore> {
  if (spec === 'memory') {
    const store = new MemoryStore();
    return { store, label: 'memory (this process)', close: () => store.close() };
  }
  throw new Error(
    `HALLPASS_DEMO_STORE=${redact(spec)} is not supported (${dataDir}): use memory, sqlite, redis://..., postgres://... or mongodb://...`,
  );
}

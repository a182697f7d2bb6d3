// The package ships no types: what the tests use of it.
declare module 'better-sqlite3-session-store' {
  import type { Store } from 'express-session';

  type Options = { client: unknown; expired?: { clear?: boolean; intervalMs?: number } };
  export default function storeFactory(session: {
    Store: typeof Store;
  }): new (
    options: Options,
  ) => Store;
}

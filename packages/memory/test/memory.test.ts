import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeStore, makeRecord, makeUpdate, randomId, sleep } from '@hallpass/conformance';
import { ConfigurationError, RecordTooLargeError, StoreUnavailableError } from '@hallpass/core';
import { expect, it, vi } from 'vitest';
import { DEFAULT_MAX_SESSIONS, MemoryStore, MemoryStoreFullError } from '../src/index.js';
import { memoryConformance } from './support/setup.js';

const run = promisify(execFile);

describeStore({
  ...memoryConformance(),
  additionalTests: (ctx) => {
    it('keeps its own copy of a Buffer passed to create or update (Buffer#slice is a view)', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 0 });
      const id = randomId();
      const created = Buffer.from([1, 2, 3]);
      await store.create(id, makeRecord({ data: created }));
      created.fill(9);
      expect([...((await store.find(id))?.data ?? [])]).toEqual([1, 2, 3]);
      const updated = Buffer.from([4, 5, 6]);
      await store.update(id, makeUpdate({ data: updated }));
      updated.fill(9);
      expect([...((await store.find(id))?.data ?? [])]).toEqual([4, 5, 6]);
      await store.close();
    });

    it("whenFull: 'evict-oldest' evicts the longest-held session first", async () => {
      const store = new MemoryStore({
        maxSessions: 3,
        whenFull: 'evict-oldest',
        cleanupIntervalMs: 0,
      });
      const ids = [randomId(), randomId(), randomId(), randomId()];
      for (const id of ids.slice(0, 3)) await store.create(id, makeRecord());
      expect(store.size).toBe(3);
      await store.create(ids[3]!, makeRecord());
      expect(store.size).toBe(3);
      expect(await store.find(ids[0]!), 'the oldest session').toBeNull();
      for (const id of ids.slice(1)) expect(await store.find(id)).not.toBeNull();
      await store.close();
    });

    it("whenFull: 'evict-oldest' bounds the store under a flood of new sessions", async () => {
      const store = new MemoryStore({
        maxSessions: 100,
        whenFull: 'evict-oldest',
        cleanupIntervalMs: 0,
      });
      const ids = Array.from({ length: 1_000 }, () => randomId());
      for (const id of ids) await store.create(id, makeRecord());
      expect(store.size).toBe(100);
      for (const id of ids.slice(-100)) expect(await store.find(id)).not.toBeNull();
      expect(await store.find(ids[899]!)).toBeNull();
      await store.close();
    });

    it('maxDataBytes refuses larger data with RecordTooLargeError and writes nothing', async () => {
      const store = new MemoryStore({ maxDataBytes: 16, cleanupIntervalMs: 0 });
      const id = randomId();
      await expect(
        store.create(id, makeRecord({ data: new Uint8Array(17) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect(await store.find(id)).toBeNull();
      const record = makeRecord({ data: new Uint8Array(16) });
      expect((await store.create(id, record)).ok).toBe(true);
      await expect(
        store.update(id, makeUpdate({ data: new Uint8Array(17) })),
      ).rejects.toBeInstanceOf(RecordTooLargeError);
      expect((await store.find(id))?.expiresAt).toBe(record.expiresAt);
      await store.close();
    });

    it('size counts the sessions held until a sweep or a read removes the expired ones', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 0, clock: ctx.clock });
      const expiring = randomId();
      await store.create(expiring, makeRecord({ expiresAt: ctx.clock() + 60_000 }));
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 3_600_000 }));
      expect(store.size).toBe(2);
      await ctx.advanceClock(60_001);
      expect(store.size, 'not swept yet').toBe(2);
      expect(await store.find(expiring)).toBeNull();
      expect(store.size, 'the read removed it').toBe(1);
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 100 }));
      await ctx.advanceClock(101);
      expect(store.sweep()).toBe(1);
      expect(store.size).toBe(1);
      await store.close();
    });

    it('is bounded by default: the 100 001st session is refused with MemoryStoreFullError, and nobody is evicted', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 0 });
      const first = randomId();
      await store.create(first, makeRecord());
      for (let i = 1; i < DEFAULT_MAX_SESSIONS; i++) await store.create(randomId(), makeRecord());
      expect(store.size).toBe(100_000);
      const refused = store.create(randomId(), makeRecord());
      await expect(refused).rejects.toBeInstanceOf(MemoryStoreFullError);
      await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(store.size).toBe(100_000);
      expect(await store.find(first), 'the oldest session is kept').not.toBeNull();
      await store.close();
    });

    it('when full, sweeps expired sessions before refusing', async () => {
      const store = new MemoryStore({ maxSessions: 2, cleanupIntervalMs: 0, clock: ctx.clock });
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 100 }));
      await store.create(randomId(), makeRecord());
      await ctx.advanceClock(101);
      const id = randomId();
      expect((await store.create(id, makeRecord())).ok, 'room made by the sweep').toBe(true);
      expect(await store.find(id)).not.toBeNull();
      await expect(store.create(randomId(), makeRecord())).rejects.toBeInstanceOf(
        MemoryStoreFullError,
      );
      expect(store.size).toBe(2);
      await store.close();
    });

    it('while full, sweeps at most once a second: a create refused sooner is not a full scan', async () => {
      const store = new MemoryStore({ maxSessions: 2, cleanupIntervalMs: 0, clock: ctx.clock });
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 3_600_000 }));
      await store.create(randomId(), makeRecord({ expiresAt: ctx.clock() + 500 }));
      const full = store.create(randomId(), makeRecord());
      await expect(full, 'full of live sessions: a sweep finds nothing').rejects.toBeInstanceOf(
        MemoryStoreFullError,
      );
      await ctx.advanceClock(501);
      expect(store.size, 'expired, not swept yet').toBe(2);
      await expect(
        store.create(randomId(), makeRecord()),
        '501 ms after the last sweep: no sweep, still full',
      ).rejects.toBeInstanceOf(MemoryStoreFullError);
      await ctx.advanceClock(499);
      expect((await store.create(randomId(), makeRecord())).ok, '1 s after: swept, room').toBe(
        true,
      );
      expect(store.size).toBe(2);
      await store.close();
    });

    it.each([
      [{ maxSessions: 0 }, 'maxSessions'],
      [{ maxSessions: -1 }, 'maxSessions'],
      [{ maxSessions: 1.5 }, 'maxSessions'],
      [{ maxSessions: Number.NaN }, 'maxSessions'],
      [{ maxSessions: '10' as never }, 'maxSessions'],
      [{ whenFull: 'evict-newest' as never }, 'whenFull'],
    ])('refuses the capacity options %o with a ConfigurationError naming %s', (options, name) => {
      const create = () => new MemoryStore({ cleanupIntervalMs: 0, ...options });
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(name);
    });

    it('takes maxSessions: Infinity (no bound)', async () => {
      const store = new MemoryStore({
        maxSessions: Number.POSITIVE_INFINITY,
        cleanupIntervalMs: 0,
      });
      for (let i = 0; i < 3; i++) await store.create(randomId(), makeRecord());
      expect(store.size).toBe(3);
      await store.close();
    });

    it('sweep() removes expired sessions now and returns how many', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 0, clock: ctx.clock });
      const expiresAt = ctx.clock() + 60_000;
      const live = randomId();
      for (let i = 0; i < 3; i++) await store.create(randomId(), makeRecord({ expiresAt }));
      await store.create(live, makeRecord());
      expect(store.sweep(), 'nothing expired yet').toBe(0);
      await ctx.advanceClock(60_001);
      expect(store.sweep()).toBe(3);
      expect(store.sweep(), 'a second sweep').toBe(0);
      expect(await store.find(live)).not.toBeNull();
      await store.close();
    });

    it('the sweeper runs on its interval, and close() stops it', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 20 });
      const sweep = vi.spyOn(store, 'sweep');
      await vi.waitFor(() => expect(sweep).toHaveBeenCalled(), { timeout: 1_000, interval: 10 });
      await store.close();
      const calls = sweep.mock.calls.length;
      await sleep(100);
      expect(sweep.mock.calls.length, 'sweeps after close()').toBe(calls);
    });

    it('the sweeper, on a real-time timer, removes what the injected clock says has expired', async () => {
      const store = new MemoryStore({ cleanupIntervalMs: 20, clock: ctx.clock });
      const sweep = vi.spyOn(store, 'sweep');
      const id = randomId();
      await store.create(id, makeRecord({ expiresAt: ctx.clock() + 60_000 }));
      await ctx.advanceClock(60_001);
      const calls = sweep.mock.calls.length;
      await vi.waitFor(() => expect(sweep.mock.calls.length).toBeGreaterThan(calls), {
        timeout: 1_000,
        interval: 10,
      });
      expect(sweep.mock.results.at(-1)?.value, 'sessions the sweeper removed').toBe(1);
      expect(await store.find(id)).toBeNull();
      await store.close();
    });

    it('still takes the deprecated sweepIntervalMs, when cleanupIntervalMs is not given', async () => {
      const store = new MemoryStore({ sweepIntervalMs: 20 });
      const sweep = vi.spyOn(store, 'sweep');
      await vi.waitFor(() => expect(sweep).toHaveBeenCalled(), { timeout: 1_000, interval: 10 });
      await store.close();
      const quiet = new MemoryStore({ sweepIntervalMs: 20, cleanupIntervalMs: 0 });
      const none = vi.spyOn(quiet, 'sweep');
      await sleep(100);
      expect(none, 'cleanupIntervalMs 0 wins over sweepIntervalMs').not.toHaveBeenCalled();
      await quiet.close();
    });

    it('refuses a clock that is not a function', () => {
      expect(() => new MemoryStore({ clock: 5 as never })).toThrow(ConfigurationError);
    });

    it('close() releases the sweeper timer, so a process using the store can exit', async () => {
      // A child process loads the store's source (Node strips the types; a resolve hook maps
      // the sources' own `./x.js` imports to `./x.ts`) and counts live timers through async_hooks:
      // the sweeper is unref'd, so exiting alone would prove nothing; what matters is that
      // close() really clears it.
      const source = fileURLToPath(new URL('../src/memory-store.ts', import.meta.url));
      const dir = await mkdtemp(join(tmpdir(), 'hallpass-memory-'));
      const script = join(dir, 'close-check.mjs');
      await writeFile(
        script,
        `import { createHook } from 'node:async_hooks';
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
registerHooks({
  resolve(specifier, context, next) {
    const fromSource = context.parentURL?.endsWith('.ts') && specifier.startsWith('.');
    if (!fromSource || !specifier.endsWith('.js')) return next(specifier, context);
    return next(specifier.replace(/\\.js$/, '.ts'), context);
  },
});
const live = new Set();
createHook({
  init(id, type) { if (type === 'Timeout') live.add(id); },
  destroy(id) { live.delete(id); },
}).enable();
const { MemoryStore } = await import(pathToFileURL(process.argv[2]).href);
const store = new MemoryStore({ cleanupIntervalMs: 10 });
const open = live.size;
await store.close();
await store.close();
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ open, afterClose: live.size }));
`,
      );
      try {
        const { stdout } = await run(
          process.execPath,
          ['--experimental-strip-types', '--no-warnings', script, source],
          { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 10_000 },
        );
        const timers = JSON.parse(stdout.trim()) as { open: number; afterClose: number };
        expect(timers.open, 'timers while the store is open').toBe(1);
        expect(timers.afterClose, 'timers after close()').toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
});

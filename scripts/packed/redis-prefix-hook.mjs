// Preloaded (`node --import`) into a documented example that the checks run: when
// HALLPASS_EXAMPLE_REDIS_PREFIX is set, a RedisStore the example builds without a `prefix` gets
// that one instead of the default `hallpass`, so the examples' sessions land in keys of this run
// only (which the checker deletes afterwards) and never in the machine's `hallpass:*` keyspace.
// The example's code is run as documented: `@hallpass/redis` resolves to a module re-exporting
// the real one, with a RedisStore whose only difference is that default.
import { registerHooks } from 'node:module';

const prefix = process.env.HALLPASS_EXAMPLE_REDIS_PREFIX;
const MARK = 'hallpass-example-redis-prefix';

if (prefix) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (specifier !== '@hallpass/redis' || context.parentURL?.endsWith(MARK)) return resolved;
      return { ...resolved, format: 'module', url: `${resolved.url}?${MARK}` };
    },
    load(url, context, nextLoad) {
      if (!url.endsWith(`?${MARK}`)) return nextLoad(url, context);
      const real = JSON.stringify(url.slice(0, -(MARK.length + 1)));
      return {
        format: 'module',
        shortCircuit: true,
        source: [
          `export * from ${real};`,
          `import { RedisStore as DocumentedRedisStore } from ${real};`,
          'export class RedisStore extends DocumentedRedisStore {',
          `  constructor(options = {}) { super({ prefix: ${JSON.stringify(prefix)}, ...options }); }`,
          '}',
        ].join('\n'),
      };
    },
  });
}

import { packageBuild } from '../../tsup.shared';

// shims: import.meta.url in the CJS build, for the lazy require of ioredis (an optional peer).
export default packageBuild({ shims: true });

import { packageBuild } from '../../tsup.shared';

// Three entry points by audience; shared chunks (splitting, for CJS too) so that an error
// class imported from '@hallpass/core/store' is the same class '@hallpass/core' exports.
export default packageBuild({
  entry: ['src/index.ts', 'src/store.ts', 'src/http.ts'],
  splitting: true,
});

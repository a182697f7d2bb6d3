export { type HallpassFastifyOptions, type HallpassSessionData, hallpass } from './plugin.js';

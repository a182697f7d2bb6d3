export { type HallpassKoaOptions, type HallpassState, hallpass } from './middleware.js';

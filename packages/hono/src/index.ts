export { type HallpassHonoOptions, hallpass, type SessionVariables } from './middleware.js';

import { registerMutants } from './register.js';

registerMutants((_, index) => index % 2 === 1);

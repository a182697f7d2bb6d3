// prelude "app-helpers": what an application brings itself (its user lookup, logger, metrics),
// declared only, so snippets that call them type-check.
declare function checkPassword(email: string, password: string): Promise<{ id: string } | null>;
declare const logger: { warn(details: object, message: string): void };
declare const audit: { info(details: object, message: string): void };
declare const metrics: { increment(name: string): void };

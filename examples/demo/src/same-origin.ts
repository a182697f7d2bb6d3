import type { NextFunction, Request, Response } from 'express';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * CSRF defence for the form posts, on top of the SameSite=Lax cookie: a state-changing
 * request whose Origin (or, failing that, Referer) names another site is refused. Browsers
 * send Origin on every cross-site POST, so this needs no token in the session.
 */
export function sameOriginPosts(req: Request, res: Response, next: NextFunction): void {
  const source = req.get('origin') ?? req.get('referer');
  const safe = req.method === 'GET' || req.method === 'HEAD' || source === undefined;
  if (safe || hostOf(source) === req.get('host')) {
    next();
    return;
  }
  res.status(403).type('text').send('Cross-site form posts are not accepted.');
}

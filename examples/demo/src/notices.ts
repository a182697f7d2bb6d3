import type { Flash } from './views/layout.ts';

/**
 * Notices for visitors without a session, carried in the redirect's query string
 * (`?notice=ended`) instead of a flash in the store: a visitor who has done nothing worth
 * keeping must not cost a session row, or every drive-by request and every bogus cookie
 * would write one. Only these fixed codes are shown, so the query cannot inject text.
 */
const NOTICES = {
  ended: {
    kind: 'error',
    text: 'Your session has ended: it was revoked, signed out or it expired.',
  },
  'sign-in-first': { kind: 'error', text: 'Please sign in first.' },
  'bad-credentials': {
    kind: 'error',
    text: 'That user name and password do not match a demo account.',
  },
  'signed-out': { kind: 'info', text: 'You are signed out.' },
} as const satisfies Record<string, Flash>;

export type NoticeCode = keyof typeof NOTICES;

export function noticeFor(code: unknown): Flash | undefined {
  return typeof code === 'string' && Object.hasOwn(NOTICES, code)
    ? NOTICES[code as NoticeCode]
    : undefined;
}

/** A same-site path with a notice for a visitor who holds no session. */
export function withNotice(path: string, code: NoticeCode): string {
  return `${path}?notice=${code}`;
}

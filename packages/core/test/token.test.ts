import { describe, expect, it } from 'vitest';
import { generateToken, isWellFormedToken, tokenToId } from '../src/index.js';

describe('tokens', () => {
  it('are 43 base64url characters carrying 256 bits', () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('do not repeat', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateToken));
    expect(tokens.size).toBe(10_000);
  });

  it('accepts only the exact shape it issues', () => {
    const token = generateToken();
    expect(isWellFormedToken(token)).toBe(true);
    for (const bad of [
      '',
      token.slice(1),
      `${token}A`,
      `${token.slice(0, 42)}=`,
      `${token.slice(0, 42)}+`,
      ` ${token.slice(1)}`,
      undefined,
      42,
      // Not strings, though they print as a well-formed token.
      [token],
      { toString: () => token },
    ]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('maps to a stable id that is not the token', () => {
    const token = generateToken();
    const id = tokenToId(token);
    expect(id).toBe(tokenToId(token));
    expect(id).not.toBe(token);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenToId(generateToken())).not.toBe(id);
  });
});

import { createHash } from 'node:crypto';

/**
 * The Lua scripts. Each touches exactly one key (KEYS[1]), so every script is valid in Redis
 * Cluster without hash tags and can never raise CROSSSLOT. They read the binary header of
 * layout.ts with Redis's bundled `struct` library; offsets here are 1-based:
 * version 5, createdAt 13, lastSeenAt 21, expiresAt 29, indexBound 37, userId length 45,
 * userId from 47. Liveness is judged by the application's clock (`now`, passed in), the same
 * clock find() uses, so a session is never live for one method and dead for another.
 */

/** Shared prelude: reads and checks the header; `corrupt` is true for values we did not write. */
const HEADER = `
local function header(key)
  local head = redis.pcall('GETRANGE', key, 0, 45)
  if type(head) == 'table' then return nil, true end
  if head == '' then return nil, false end
  if #head < 46 or string.sub(head, 1, 4) ~= 'HP\\1\\0' then return nil, true end
  return head, false
end
local function owner(key, head)
  local len = struct.unpack('>H', head, 45)
  if len == 65535 then return false end
  return redis.call('GETRANGE', key, 46, 45 + len)
end
local function expiry(head) return (struct.unpack('>d', head, 29)) end
`;

export interface ScriptDef {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

function script(name: string, body: string): ScriptDef {
  const lua = HEADER + body;
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Update-only write with optional compare-and-set.
 * ARGV: new value (version and createdAt slots are filled here), expected version or '',
 * PXAT ms or '' to delete instead, now, '1' when the caller has just indexed the new value's
 * user with the bound in the value, '' otherwise.
 * Usually the one round trip of an update: when the stored session already belongs to the
 * new value's user and its stored index bound covers the new expiry, the user's index is
 * known to cover it too (the invariant in user-index.ts), so the value keeps the stored bound
 * and no index work is needed. Otherwise, unless the caller indexed first, it writes nothing
 * and answers {2}: index first, then call again with ARGV[5] = '1'.
 * Returns {1, version, previous userId or nil} | {2} index first | {0} missing |
 * {-1} conflict | {-2} corrupt.
 */
export const UPDATE = script(
  'update',
  `
local head, corrupt = header(KEYS[1])
if corrupt then return {-2} end
if not head or expiry(head) <= tonumber(ARGV[4]) then return {0} end
local version = struct.unpack('>d', head, 5)
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= version then return {-1} end
local previous = owner(KEYS[1], head)
local nextVersion = version + 1
if ARGV[3] == '' then
  redis.call('UNLINK', KEYS[1])
  return {1, nextVersion, previous}
end
local new = ARGV[1]
local bound = string.sub(new, 37, 44)
local len = struct.unpack('>H', new, 45)
if len ~= 65535 and ARGV[5] == '' then
  if previous ~= string.sub(new, 47, 46 + len) then return {2} end
  if struct.unpack('>d', head, 37) < struct.unpack('>d', new, 29) then return {2} end
  bound = string.sub(head, 37, 44)
end
redis.call('SET', KEYS[1],
  string.sub(new, 1, 4) .. struct.pack('>d', nextVersion) .. string.sub(head, 13, 20) ..
  string.sub(new, 21, 36) .. bound .. string.sub(new, 45),
  'PXAT', ARGV[3])
return {1, nextVersion, previous}
`,
);

/**
 * Moves expiry and last-seen in place (SETRANGE keeps data and version untouched).
 * ARGV: expiresAt (8 bytes), lastSeenAt (8 bytes), PXAT ms or '' to delete, now,
 * userId the caller just indexed or '', the index bound it used (8 bytes) or ''.
 * A signed-in session is only extended up to the bound its user index is known to cover;
 * beyond that the script answers {2, userId} and the caller raises the index bound first.
 * Returns {1} touched | {3, userId or nil} deleted | {2, userId} index first | {0} missing |
 * {-2} corrupt.
 */
export const TOUCH = script(
  'touch',
  `
local head, corrupt = header(KEYS[1])
if corrupt then return {-2} end
if not head or expiry(head) <= tonumber(ARGV[4]) then return {0} end
local user = owner(KEYS[1], head)
if ARGV[3] == '' then
  redis.call('UNLINK', KEYS[1])
  return {3, user}
end
if user then
  local bound = struct.unpack('>d', head, 37)
  if ARGV[5] == user then
    local offered = struct.unpack('>d', ARGV[6], 1)
    if offered > bound then
      redis.call('SETRANGE', KEYS[1], 36, ARGV[6])
      bound = offered
    end
  end
  if struct.unpack('>d', ARGV[1], 1) > bound then return {2, user} end
end
redis.call('SETRANGE', KEYS[1], 20, ARGV[2])
redis.call('SETRANGE', KEYS[1], 28, ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return {1}
`,
);

/**
 * Create's slow path, run only when SET NX found a key: that key may hold a session that is
 * dead by the application's clock but not yet by Redis's, or a value that is not a session.
 * ARGV: value, PXAT ms, now. Returns 1 created | 0 a live session has the id.
 */
export const CLAIM = script(
  'claim',
  `
local head = header(KEYS[1])
if head and expiry(head) > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1
`,
);

/** Deletes a session and answers its owner (nil if anonymous or unreadable), for the index. */
export const DELETE = script(
  'delete',
  `
local head = header(KEYS[1])
local user = false
if head then user = owner(KEYS[1], head) end
redis.call('UNLINK', KEYS[1])
return user
`,
);

/**
 * Revoke-all's per-session step: deletes the session only if `userId` still owns it.
 * ARGV: userId, now. Returns 1 deleted a live session | 0 deleted an expired one |
 * -1 no such key | -2 owned by someone else or unreadable (left alone).
 */
export const REVOKE = script(
  'revoke',
  `
local head, corrupt = header(KEYS[1])
if corrupt then return -2 end
if not head then return -1 end
if owner(KEYS[1], head) ~= ARGV[1] then return -2 end
redis.call('UNLINK', KEYS[1])
if expiry(head) > tonumber(ARGV[2]) then return 1 end
return 0
`,
);

/**
 * Adds an id to a user index (a sorted set scored by an upper bound of the session's expiry),
 * never lowering a score, drops members whose bound has passed, and keeps the key's own expiry
 * at its highest score. ARGV: bound, id, now.
 */
export const INDEX_ADD = script(
  'index-add',
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], string.format('%.0f', math.ceil(tonumber(top[2]))))
return 1
`,
);

/** Prunes members whose bound has passed and returns the rest. ARGV: now. */
export const INDEX_READ = script(
  'index-read',
  `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`,
);

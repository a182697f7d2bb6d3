/** Times as the pages show them: an absolute UTC clock time plus how far away it is. */

export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;
}

export function dateTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "in 4m 10s", "12s ago". */
export function relative(epochMs: number, now = Date.now()): string {
  const seconds = Math.round((epochMs - now) / 1000);
  const abs = Math.abs(seconds);
  const text =
    abs >= 3600
      ? `${Math.floor(abs / 3600)}h ${Math.floor((abs % 3600) / 60)}m`
      : abs >= 60
        ? `${Math.floor(abs / 60)}m ${abs % 60}s`
        : `${abs}s`;
  if (seconds === 0) return 'now';
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

/** 900000 -> "15m", for showing the configured timeouts. */
export function durationText(ms: number): string {
  if (ms <= 0) return 'off';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

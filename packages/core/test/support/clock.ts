/** A clock the test moves by hand: timeouts are tested without sleeping. */
export function manualClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** A promise with its resolver: lets a test order steps across concurrent requests. */
export function latch(): { promise: Promise<void>; open(): void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

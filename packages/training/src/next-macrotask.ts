/** A turn of the event loop (a macrotask): lets signals, worker messages and finalizers run. */
export function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (done: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((done) => immediate(done));
  // In browsers and workers: a message, since nested setTimeout(0) is clamped to 4 ms.
  return new Promise((done) => {
    const channel = new MessageChannel();
    (channel.port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {
      channel.port1.close();
      done();
    };
    channel.port2.postMessage(null);
  });
}

// A pair of Comlink endpoints inside one process, for Node's in-process store. A Node MessagePort
// with a listener keeps the process alive forever, so a script that used global state would never
// exit; these deliver on the next macrotask (structured-cloned, in order) and hold nothing open.
import type { Endpoint } from 'comlink';

type Listener = (event: MessageEvent) => void;

class MemoryEndpoint implements Endpoint {
  peer?: MemoryEndpoint;
  private readonly listeners = new Set<Listener>();
  private closed = false;

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (this.closed) return;
    const data = structuredClone(message, { transfer });
    const peer = this.peer;
    setTimeout(() => {
      if (!peer || peer.closed) return;
      for (const listener of peer.listeners) listener({ data } as MessageEvent);
    }, 0);
  }

  addEventListener(_type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners.add(listener as Listener);
  }

  removeEventListener(_type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners.delete(listener as Listener);
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}

export function memoryChannel(): [MemoryEndpoint, MemoryEndpoint] {
  const one = new MemoryEndpoint();
  const two = new MemoryEndpoint();
  one.peer = two;
  two.peer = one;
  return [one, two];
}

// The ordered list of strategies (pubkey/broadcast-channel's method chooser): the first whose
// canBeUsed() is true is tried, and one that fails to connect gives way to the next.
import { GlobalStateTransportError } from './errors.js';
import { InProcessTransport } from './in-process-transport.js';
import { InTabTransport } from './in-tab-transport.js';
import { LeaderTabTransport } from './leader-tab-transport.js';
import type { ClientIdentity } from './protocol.js';
import { SharedWorkerTransport } from './shared-worker-transport.js';
import type { GlobalStoreTransport, StoreLink } from './store-transport.js';
import type { GlobalStateTransportName } from './types.js';

/** One instance of each strategy per JavaScript context: a leader tab must run one store, not several. */
const strategies: Record<LocalTransportName, GlobalStoreTransport> = {
  'shared-worker': new SharedWorkerTransport(),
  'in-process': new InProcessTransport(), // Node only
  'broadcast-channel': new LeaderTabTransport(),
  'in-tab': new InTabTransport(),
};

/** The strategies within one browser; 'server' is chosen by the `server` option instead (state/server/). */
export type LocalTransportName = Exclude<GlobalStateTransportName, 'server'>;

export const transportNames = Object.keys(strategies) as LocalTransportName[];

export function strategyNamed(name: GlobalStateTransportName): GlobalStoreTransport {
  if (name === 'server') throw new TypeError("tabwise: global state transport 'server' needs the \"server\" option (a ws:// or wss:// URL)");
  return strategies[name];
}

export class TransportChooser implements GlobalStoreTransport {
  constructor(private readonly candidates: GlobalStoreTransport[] = Object.values(strategies)) {}

  get name(): GlobalStateTransportName {
    return this.usable()[0]?.name ?? 'in-tab';
  }

  canBeUsed(): boolean {
    return this.usable().length > 0;
  }

  async connect(client: ClientIdentity): Promise<StoreLink> {
    let lastError: unknown;
    for (const strategy of this.usable()) {
      try {
        return await strategy.connect(client);
      } catch (error) {
        lastError = error;
        console.warn(`tabwise: global state could not use ${strategy.name} (${(error as Error).message}); trying the next strategy`);
      }
    }
    throw new GlobalStateTransportError('no strategy could reach a global store', { cause: lastError });
  }

  private usable(): GlobalStoreTransport[] {
    return this.candidates.filter((strategy) => strategy.canBeUsed());
  }
}

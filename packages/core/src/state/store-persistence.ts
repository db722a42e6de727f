// IndexedDB behind persisted keys (through `idb`). Writes are coalesced per key: while one transaction
// is in flight, later commits of a key replace each other and land together in the next one, so a
// burst of updates costs a few transactions, not one each.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { addressKey } from './protocol.js';

export const persistenceDatabaseName = 'tabwise-global-state';
const storeName = 'values';

interface PersistedRecord {
  name: string;
  key: string;
  version: number;
  value: unknown;
}

interface GlobalStateSchema extends DBSchema {
  values: { key: [string, string]; value: PersistedRecord };
}

export type PersistedRead = { found: true; version: number; value: unknown } | { found: false; warning?: string };

export class StorePersistence {
  private database?: Promise<IDBPDatabase<GlobalStateSchema>>;
  private queued = new Map<string, PersistedRecord>();
  private nextFlush?: Promise<string | undefined>;
  private lastFlush: Promise<unknown> = Promise.resolve();

  /** None where IndexedDB is missing (Node): persisted keys then live in memory only. */
  static ifAvailable(): StorePersistence | undefined {
    return typeof indexedDB === 'undefined' ? undefined : new StorePersistence();
  }

  async read(name: string, key: string): Promise<PersistedRead> {
    let record: unknown;
    try {
      record = await (await this.open()).get(storeName, [name, key]);
    } catch (error) {
      return { found: false, warning: warning(key, `could not be read (${describe(error)})`) };
    }
    if (record === undefined) return { found: false };
    const { version, value } = (record ?? {}) as Partial<PersistedRecord>;
    if (!Number.isSafeInteger(version) || (version as number) < 1 || !Object.hasOwn(record as object, 'value')) {
      return { found: false, warning: warning(key, 'is corrupt') };
    }
    return { found: true, version: version as number, value };
  }

  /** Resolves once the record (or a newer one for the key) is committed; to a warning if that failed. */
  write(name: string, key: string, version: number, value: unknown): Promise<string | undefined> {
    this.queued.set(addressKey(name, key), { name, key, version, value });
    if (!this.nextFlush) {
      this.nextFlush = this.lastFlush.then(() => {
        const records = [...this.queued.values()];
        this.queued = new Map();
        this.nextFlush = undefined;
        return this.put(records);
      });
      this.lastFlush = this.nextFlush;
    }
    return this.nextFlush;
  }

  private async put(records: PersistedRecord[]): Promise<string | undefined> {
    try {
      const transaction = (await this.open()).transaction(storeName, 'readwrite');
      await Promise.all([...records.map((record) => transaction.store.put(record)), transaction.done]);
      return undefined;
    } catch (error) {
      return `tabwise: global state ${records.map((r) => `"${r.key}"`).join(', ')} could not be persisted (${describe(error)})`;
    }
  }

  private open(): Promise<IDBPDatabase<GlobalStateSchema>> {
    this.database ??= openDB<GlobalStateSchema>(persistenceDatabaseName, 1, {
      upgrade(database) {
        database.createObjectStore(storeName, { keyPath: ['name', 'key'] });
      },
      // Let another context delete or upgrade the database; reopen on next use.
      blocking: () => this.close(),
      terminated: () => (this.database = undefined),
    });
    this.database.catch(() => (this.database = undefined));
    return this.database;
  }

  private close(): void {
    void this.database?.then((database) => database.close());
    this.database = undefined;
  }
}

/** "QuotaExceededError: …": Chrome's QuotaExceededError has an empty message, so the name says why. */
function describe(error: unknown): string {
  const { name, message } = (error ?? {}) as Partial<Error>;
  return [name, message].filter(Boolean).join(': ') || String(error);
}

function warning(key: string, problem: string): string {
  return `tabwise: the persisted value of global state "${key}" ${problem}; using the default`;
}

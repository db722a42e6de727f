// Values and versions in Redis, so any number of state server processes serve one state. Commits are
// compare-and-set in a Lua script (atomic in Redis) that also publishes the commit; each process
// subscribes to the keys its clients follow. Persistence is Redis's own (run it with AOF).
import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import type { WireCommitResult, WireSnapshot } from '@tabwise/core/server-protocol';
import { commitScript, readScript } from './redis-scripts.js';
import { addressOf, type StateStore, type StoreAddress, type StoreCommit, type StoreEvent } from './state-store.js';

export interface RedisStoreOptions {
  /** `redis://host:port`; default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every Redis key and channel tabwise uses. Default `'tabwise:'`. */
  prefix?: string;
}

/** How long a commit id is remembered to de-duplicate a re-sent commit. */
const commitIdTtlSeconds = 600;

type Reply = [string, number, string | null] | [number, string, number, (string | null)?];

export class RedisStore implements StateStore {
  readonly description: string;
  onResync?: () => void;
  private readonly prefix: string;
  private readonly epochCandidate = randomBytes(16).toString('hex');
  private readonly shas = new Map<string, string>();
  private readonly client: RedisClientType;
  private readonly subscriber: RedisClientType;
  private subscriberReadyOnce = false;

  private constructor({ url = 'redis://127.0.0.1:6379', prefix = 'tabwise:' }: RedisStoreOptions) {
    this.prefix = prefix;
    this.description = `Redis at ${redactedUrl(url)} (values live in Redis; its AOF/RDB settings decide their durability)`;
    this.client = createClient({ url }) as RedisClientType;
    this.subscriber = this.client.duplicate();
    let lastLogged = 0;
    const log = (error: Error) => {
      // Reconnection errors repeat many times a second; one line every 5 s is enough.
      if (Date.now() - lastLogged > 5_000) console.warn(`tabwise state server: Redis: ${error.message}`);
      lastLogged = Date.now();
    };
    this.client.on('error', log);
    this.subscriber.on('error', log);
    // Commits published while the subscriber was cut off never reach it: clients get the latest values instead.
    this.subscriber.on('ready', () => {
      if (this.subscriberReadyOnce) this.onResync?.();
      this.subscriberReadyOnce = true;
    });
  }

  static async connect(options: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(options);
    await Promise.all([store.client.connect(), store.subscriber.connect()]);
    return store;
  }

  async read(address: StoreAddress): Promise<WireSnapshot> {
    const [epoch, version, value] = (await this.run(readScript, [this.prefix + 'epoch', this.valueKey(address)], [this.epochCandidate])) as [string, number, string | null];
    return version === 0 ? { epoch, version } : { epoch, version, value: JSON.parse(value!) };
  }

  async commit(commit: StoreCommit): Promise<WireCommitResult> {
    const blind = commit.expectedVersion === undefined;
    const reply = (await this.run(
      commitScript,
      [this.prefix + 'epoch', this.valueKey(commit), `${this.prefix}commit:${commit.commitId}`],
      [
        this.epochCandidate,
        blind ? '' : (commit.expectedEpoch ?? ''),
        blind ? '' : String(commit.expectedVersion),
        this.channel(commit),
        JSON.stringify(commit.values),
        String(commit.values.length),
        JSON.stringify(commit.values[commit.values.length - 1]),
        String(commitIdTtlSeconds),
        commit.commitId,
      ],
    )) as Reply;
    if (reply[0] === 1) return { ok: true, epoch: reply[1] as string, version: reply[2] as number };
    const [, epoch, version, value] = reply as [number, string, number, string | null];
    return { ok: false, current: version === 0 ? { epoch, version } : { epoch, version, value: JSON.parse(value!) } };
  }

  async subscribe(address: StoreAddress, listener: (event: StoreEvent) => void): Promise<() => Promise<void>> {
    const channel = this.channel(address);
    const onMessage = (message: string) => {
      const [version, epoch, commitId] = message.split('\n', 3);
      const valuesJson = message.slice(version.length + epoch.length + commitId.length + 3);
      listener({ name: address.name, key: address.key, epoch, version: Number(version), valuesJson, commitId });
    };
    await this.subscriber.subscribe(channel, onMessage);
    return () => this.subscriber.unsubscribe(channel, onMessage);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.client.close(), this.subscriber.close()]);
  }

  private valueKey(address: StoreAddress): string {
    return `${this.prefix}value:${addressOf(address)}`;
  }

  private channel(address: StoreAddress): string {
    return `${this.prefix}commits:${addressOf(address)}`;
  }

  /** EVALSHA, loading the script on first use and again after Redis forgot it (a restart). */
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) {
      sha = (await this.client.sendCommand(['SCRIPT', 'LOAD', script])) as string;
      this.shas.set(script, sha);
    }
    try {
      return await this.client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return this.client.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]);
    }
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the given URL';
  }
}

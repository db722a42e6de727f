// A minimal W3C WebDriver (classic) client over HTTP: the handful of commands the WebKit driver needs.
import { EngineHungError } from '../test-page.ts';

export class WebDriverError extends Error {
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`WebDriver ${command}: ${error}: ${message}`);
    this.name = 'WebDriverError';
  }
}

export type ElementReference = Record<string, string>;

/**
 * How long one command may go unanswered. Every command the harness sends answers within seconds even
 * under a load of 19 (scripts report in 100 ms, pages load with strategy 'none'); undici would wait
 * 300 s for the headers, which is how a silent WebKitWebDriver used to cost each test five minutes.
 */
const commandDeadlineMs = 60_000;
/** Creating a session launches MiniBrowser, which can take a while on a loaded machine. */
const sessionDeadlineMs = 120_000;

export class WebDriverSession {
  // Classic WebDriver handles one command at a time per session: commands queue here.
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when a command went unanswered past its deadline: the browser behind the driver is stuck. */
  hung?: EngineHungError;

  private constructor(
    readonly baseUrl: string,
    readonly id: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  static async create(baseUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const value = await send(baseUrl, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, sessionDeadlineMs);
    return new WebDriverSession(baseUrl, value.sessionId, value.capabilities);
  }

  /** Runs `steps` with the session to itself (for switch-window-then-act sequences). */
  exclusive<T>(steps: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(steps, steps);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Marks the session stuck: this and every later command fail with `error`. */
  markHung(error: EngineHungError): EngineHungError {
    this.hung ??= error;
    return this.hung;
  }

  /**
   * A command whose silence is not yet the browser's fault, such as a readiness poll while a page
   * navigates: past `deadlineMs` it rejects with EngineHungError but leaves the session usable.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async poll(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, deadlineMs: number): Promise<any> {
    if (this.hung) throw this.hung;
    return send(this.baseUrl, method, `/session/${this.id}${path}`, body, deadlineMs);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, deadlineMs = commandDeadlineMs): Promise<any> {
    try {
      return await this.poll(method, path, body, deadlineMs);
    } catch (error) {
      throw error instanceof EngineHungError ? this.markHung(error) : error;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function send(baseUrl: string, method: string, path: string, body: unknown, deadlineMs: number): Promise<any> {
  const command = `${method} ${path.replace(/^\/session\/[^/]+/, '')}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
      signal: AbortSignal.timeout(deadlineMs),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new EngineHungError(`[webkit] WebKitWebDriver did not answer WebDriver ${command} in ${deadlineMs / 1000} s`);
    }
    throw error;
  }
  const payload = await response.json().catch(() => ({ value: { error: 'bad response', message: response.statusText } }));
  if (!response.ok) throw new WebDriverError(command, payload.value?.error, payload.value?.message);
  return payload.value;
}

// Fairness for compare-and-set on one key. A tab that just committed hears so first and sends its next
// write before the tabs that lost have heard they lost, so left alone it wins every round while the
// others starve. So tabs that lose form a line: while it is not empty only its head may commit, and
// the others' requests are parked, to be answered (with the value then current) when their turn comes.
// A tab that commits goes to the back of the line, so contenders take turns in rotation.
// Under contention that is one commit per round trip and no request sent in vain.
//
// A turn lasts as long as its tab's round trip, learned from its last turn: the leader tab reaches its
// own store at once while a follower's answer and next request cross a BroadcastChannel, and with one
// fixed length a follower slower than that never committed (Firefox under load: 240 commits to 0).

/** The first turn of a tab, before its round trip is known. */
const firstTurnMs = 50;
/** However slow a tab, a turn it leaves unused holds the others up no longer than this. */
const longestTurnMs = 2_000;

interface InLine {
  clientId: string;
  /** Answers a parked request; absent once answered. */
  wake?: () => void;
  /** Its last turn passed unused: one more and it leaves the line. */
  missed?: boolean;
}

export class CommitTurns {
  private readonly line: InLine[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private turnStarted = 0;
  /** Each contender's turn length, from how long its last turn took to come back with a commit. */
  private readonly turnMs = new Map<string, number>();

  /** Whether `clientId`, which read version it holds is `current` or not, may commit now. */
  mayCommit(clientId: string, current: boolean): boolean {
    return current && (this.line.length === 0 || this.line[0].clientId === clientId);
  }

  /** Resolves when it is `clientId`'s turn to compute again: at once if it is (or can be) the head. */
  waitForTurn(clientId: string): Promise<void> {
    if (this.line.length === 0) this.line.push({ clientId });
    if (this.line[0].clientId === clientId) {
      this.startTurn();
      return Promise.resolve();
    }
    const parked = this.line.find((inLine) => inLine.clientId === clientId);
    return new Promise((resolve) => {
      if (parked) parked.wake = resolve;
      else this.line.push({ clientId, wake: resolve });
    });
  }

  /** `clientId` committed: if it held the turn, it learns its round trip and goes to the back. */
  committed(clientId: string): void {
    if (this.line[0]?.clientId !== clientId) return this.leave(clientId);
    const took = Date.now() - this.turnStarted;
    this.turnMs.set(clientId, Math.min(longestTurnMs, Math.max(firstTurnMs, 2 * took)));
    const head = this.line.shift()!;
    head.missed = false;
    this.line.push(head);
    this.nextTurn();
  }

  /** `clientId` is gone, or let its turns pass: it leaves the line and the next tab's turn starts. */
  leave(clientId: string): void {
    const index = this.line.findIndex((inLine) => inLine.clientId === clientId);
    if (index < 0) return;
    this.line.splice(index, 1);
    if (this.line.length === 0) this.turnMs.clear(); // contention is over: nothing to remember
    if (index === 0) this.nextTurn();
  }

  private nextTurn(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.line[0];
    if (!head) return;
    head.wake?.();
    head.wake = undefined;
    this.startTurn();
  }

  /**
   * A head that doesn't commit in time gives up its turn. Once, it may just be slower than its last
   * turn: it goes to the back with a turn twice as long (up to the cap). Twice in a row, it is done
   * writing (or closed, or its function threw): it leaves the line.
   */
  private startTurn(): void {
    clearTimeout(this.timer);
    const head = this.line[0];
    const length = this.turnMs.get(head.clientId) ?? firstTurnMs;
    this.turnStarted = Date.now();
    this.timer = setTimeout(() => {
      if (this.line[0] !== head) return;
      if (head.missed) return this.leave(head.clientId);
      head.missed = true;
      this.turnMs.set(head.clientId, Math.min(longestTurnMs, 2 * length));
      this.line.push(this.line.shift()!);
      this.nextTurn();
    }, length);
  }
}

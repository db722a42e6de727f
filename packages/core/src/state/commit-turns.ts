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
//
// A turn that passes unused is not always the tab's fault: its answer or its next request may just
// have stalled on the way (a busy tab, a BroadcastChannel behind other messages), while the leader
// tab's client, which reaches its store at once, never misses. Sent to the back for that, a follower
// lost a whole rotation each time (Chromium under load: 102,20,20,20,20,20,19,19 commits per tab).
// So a tab whose turn was answered only a moment ago keeps its place, next after the tab that takes
// over; one that misses after that goes to the back, and one that stays silent leaves the line.

/** The first turn of a tab, before its round trip is known. */
const firstTurnMs = 50;
/** However slow a tab, a turn it leaves unused holds the others up no longer than this. */
const longestTurnMs = 2_000;
/**
 * A head that misses a turn answered less than this ago keeps its place. Longer is fairer and slower:
 * with the unit test's eight stalling clients counting to 240, 500 ms gave 37 commits to the fastest
 * and 27–33 to each of the others in 46 s, 1 s gave 34 and 27–31 in 60 s, and always to the back
 * gave 54 and 24–30.
 */
const keepPlaceMs = 500;

interface InLine {
  clientId: string;
  /** Answers a parked request; absent once answered. */
  wake?: () => void;
  /** When its request was answered with its turn, while no commit from it has come back since. */
  answeredAt?: number;
  /** How many of its turns in a row passed unused. */
  missed: number;
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
    if (this.line.length === 0) this.line.push({ clientId, missed: 0 });
    const head = this.line[0];
    if (head.clientId === clientId) {
      head.answeredAt = Date.now();
      this.startTurn();
      return Promise.resolve();
    }
    const parked = this.line.find((inLine) => inLine.clientId === clientId);
    return new Promise((resolve) => {
      if (parked) parked.wake = resolve;
      else this.line.push({ clientId, wake: resolve, missed: 0 });
    });
  }

  /** `clientId` committed: if it held the turn, it learns its round trip and goes to the back. */
  committed(clientId: string): void {
    if (this.line[0]?.clientId !== clientId) return this.leave(clientId);
    const took = Date.now() - this.turnStarted;
    this.turnMs.set(clientId, Math.min(longestTurnMs, Math.max(firstTurnMs, 2 * took)));
    const head = this.line.shift()!;
    head.missed = 0;
    head.answeredAt = undefined;
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
    if (head.wake) {
      head.wake();
      head.wake = undefined;
      head.answeredAt = Date.now();
    }
    this.startTurn();
  }

  private startTurn(): void {
    clearTimeout(this.timer);
    const head = this.line[0];
    const length = this.turnMs.get(head.clientId) ?? firstTurnMs;
    this.turnStarted = Date.now();
    this.timer = setTimeout(() => this.missedTurn(head, length), length);
  }

  /**
   * The head let its turn pass. If it was answered and has been silent for the longest turn, or it
   * was never answered and missed before, it is done writing (or closed, or its function threw) and
   * leaves. Otherwise it may just be slower than it was: its turn doubles (up to the cap), and it
   * keeps its place if it was answered a moment ago, or else goes to the back.
   */
  private missedTurn(head: InLine, length: number): void {
    if (this.line[0] !== head) return;
    const sinceAnswer = head.answeredAt === undefined ? undefined : Date.now() - head.answeredAt;
    if (sinceAnswer === undefined ? head.missed > 0 : sinceAnswer >= longestTurnMs) return this.leave(head.clientId);
    head.missed++;
    this.turnMs.set(head.clientId, Math.min(longestTurnMs, 2 * length));
    this.line.shift();
    this.line.splice(sinceAnswer !== undefined && sinceAnswer < keepPlaceMs ? 1 : this.line.length, 0, head);
    this.nextTurn();
  }
}

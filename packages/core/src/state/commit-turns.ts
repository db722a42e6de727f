// Fairness for compare-and-set on one key. A tab that just committed hears so first and sends its next
// write before the tabs that lost have heard they lost, so left alone it wins every round while the
// others starve. So tabs that lose form a line: while it is not empty only its head may commit, and
// the others' requests are parked, to be answered (with the value then current) when their turn comes.
// A tab that commits goes to the back of the line, so contenders take turns in rotation.
// Under contention that is one commit per round trip and no request sent in vain.
//
// A tab answered with its turn holds it until it commits, 2 s at most. Its answer and its next request
// may stall on the way (a busy tab, a BroadcastChannel behind other messages), while the leader tab's
// client, which reaches its store at once, never does: a turn cut short by a timer went to the next
// tab, the leader among them, and a stalling follower lost rounds (Chromium at load 37: commits per tab
// 55,27,27,27,26,26,26,26). Fairness costs throughput: while a head's messages stall nobody commits.
// A tab silent for 2 s after its answer is done writing (closed, frozen, or its function threw) and
// leaves the line; a closed tab usually leaves at once (GlobalStore.forgetClient).
//
// A head that was not answered has not asked again since its last commit. It gets as long as its
// round trip, learned from its last turn (with one fixed length, a follower slower than that never
// committed: Firefox under load, 240 commits to 0), then goes to the back; missed twice, it leaves.

/** A turn of a tab that has not asked yet, before its round trip is known. */
const firstTurnMs = 50;
/** However slow a tab, a turn holds the others up no longer than this. */
const longestTurnMs = 2_000;

interface InLine {
  clientId: string;
  /** Answers a parked request; absent once answered. */
  wake?: () => void;
  /** Its request was answered with its turn, and no commit from it has come back since. */
  answered: boolean;
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
    if (this.line.length === 0) this.line.push({ clientId, missed: 0, answered: false });
    const head = this.line[0];
    if (head.clientId === clientId) {
      head.answered = true;
      this.startTurn();
      return Promise.resolve();
    }
    const parked = this.line.find((inLine) => inLine.clientId === clientId);
    return new Promise((resolve) => {
      if (parked) parked.wake = resolve;
      else this.line.push({ clientId, wake: resolve, missed: 0, answered: false });
    });
  }

  /** `clientId` committed: if it held the turn, it learns its round trip and goes to the back. */
  committed(clientId: string): void {
    if (this.line[0]?.clientId !== clientId) return this.leave(clientId);
    const took = Date.now() - this.turnStarted;
    this.turnMs.set(clientId, Math.min(longestTurnMs, Math.max(firstTurnMs, 2 * took)));
    const head = this.line.shift()!;
    head.missed = 0;
    head.answered = false;
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
      head.answered = true;
    }
    this.startTurn();
  }

  private startTurn(): void {
    clearTimeout(this.timer);
    const head = this.line[0];
    const length = head.answered ? longestTurnMs : (this.turnMs.get(head.clientId) ?? firstTurnMs);
    this.turnStarted = Date.now();
    this.timer = setTimeout(() => this.missedTurn(head, length), length);
  }

  /**
   * The head let its turn pass. Answered and silent since, or not asking for the second time, it is
   * done writing and leaves. Not asking the first time, it may just be slower than it was: its turn
   * doubles (up to the cap) and it goes to the back.
   */
  private missedTurn(head: InLine, length: number): void {
    if (this.line[0] !== head) return;
    if (head.answered || head.missed > 0) return this.leave(head.clientId);
    head.missed++;
    this.turnMs.set(head.clientId, Math.min(longestTurnMs, 2 * length));
    this.line.push(this.line.shift()!);
    this.nextTurn();
  }
}

// Fairness for compare-and-set on one key. A tab that just committed hears so first and sends its next
// write before the tabs that lost have heard they lost, so left alone it wins every round while the
// others starve. So tabs that lose form a line: while it is not empty only its head may commit, and
// the others' requests are parked, to be answered (with the value then current) when their turn comes.
// Under contention that is one commit per round trip and no request sent in vain.

/** How long the head of the line may take to commit before the next tab gets the turn. */
const turnMs = 50;

interface InLine {
  clientId: string;
  /** Answers a parked request; absent once answered. */
  wake?: () => void;
}

export class CommitTurns {
  private readonly line: InLine[] = [];
  private timer?: ReturnType<typeof setTimeout>;

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

  /** `clientId` committed (or is gone): it leaves the line and the next tab's turn starts. */
  leave(clientId: string): void {
    const index = this.line.findIndex((inLine) => inLine.clientId === clientId);
    if (index < 0) return;
    this.line.splice(index, 1);
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

  /** A head that doesn't commit in time (a closed tab, a function that threw) gives up its turn. */
  private startTurn(): void {
    clearTimeout(this.timer);
    const head = this.line[0];
    this.timer = setTimeout(() => {
      if (this.line[0] === head) this.leave(head.clientId);
    }, turnMs);
  }
}

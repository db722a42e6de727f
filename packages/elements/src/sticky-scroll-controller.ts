// Keeps a scrolling list pinned to its end while new content streams in, until the user scrolls
// up; then offers a way back (`showJump`) and follows again once they return to the end.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Closer than this to the bottom counts as "at the bottom": new text keeps it in view. */
const stickyScrollPx = 32;

export class StickyScrollController implements ReactiveController {
  /** True while the user has scrolled away from the end: show a "jump to latest" control. */
  showJump = false;
  private following = true;
  /** Where auto-scroll last put the list. */
  private autoScrollTop?: number;
  /** The list's scrollTop at its last scroll event, to tell scrolling up from down. */
  private lastScrollTop = 0;
  /** The highest point (least scrollTop) the list reached since it stopped following. */
  private highestSinceLeft = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly list: () => HTMLElement | null | undefined,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const list = this.list();
    if (!list || !this.following) return;
    // Scroll events arrive a frame late; tokens may come faster. A scrollTop above where we last
    // put it means the user scrolled up in between: stop following instead of pulling them back.
    if (this.autoScrollTop !== undefined && list.scrollTop < this.autoScrollTop - 1 && distanceToEnd(list) >= 1) {
      this.stopFollowing();
      return;
    }
    this.scrollToEnd(list);
  }

  /** Follow the end again (the user sent something, or cleared the list). */
  follow(): void {
    this.following = true;
    this.setShowJump(false);
  }

  /** Follow again and go to the end now. */
  jumpToEnd(): void {
    this.follow();
    const list = this.list();
    if (list) this.scrollToEnd(list);
  }

  /** For the list's `scroll` event. */
  readonly onScroll = (): void => {
    const list = this.list();
    if (!list) return;
    // A wheel or touch scroll is animated: its first frames may still lie within stickyScrollPx of
    // the end. Moving up at all means the user left the end, so never re-follow on the way up.
    const movedUp = list.scrollTop < this.lastScrollTop - 1;
    this.lastScrollTop = list.scrollTop;
    if (!this.following) this.highestSinceLeft = Math.min(this.highestSinceLeft, list.scrollTop);
    if (movedUp && distanceToEnd(list) >= 1) this.stopFollowing();
    else if (distanceToEnd(list) < stickyScrollPx) {
      // A late scroll event of auto-scroll's own last move can come after the user's wheel: only a
      // move back down from where the user went follows again, or the next token cancels their scroll.
      if (this.following || list.scrollTop > this.highestSinceLeft + 1) this.follow();
    } else this.stopFollowing();
  };

  /** For the list's `wheel` event: scrolling up stops following at once. */
  readonly onWheel = (event: WheelEvent): void => {
    if (event.deltaY < 0) this.stopFollowing();
  };

  private stopFollowing(): void {
    const list = this.list();
    if (this.following && list) this.highestSinceLeft = list.scrollTop;
    this.following = false;
    this.autoScrollTop = undefined;
    this.setShowJump(true);
  }

  private scrollToEnd(list: HTMLElement): void {
    list.scrollTop = list.scrollHeight;
    this.autoScrollTop = list.scrollTop;
  }

  private setShowJump(show: boolean): void {
    if (this.showJump === show) return;
    this.showJump = show;
    this.host.requestUpdate();
  }
}

/** How far the end of a scrolled list is below its visible part, in pixels. */
function distanceToEnd(list: HTMLElement): number {
  return list.scrollHeight - list.scrollTop - list.clientHeight;
}

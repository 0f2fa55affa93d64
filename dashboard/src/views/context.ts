// What every view gets: the API, who is signed in, where to render, and a hook to stop timers
// when the view is left.
import type { Api } from "../api.ts";
import type { Identity } from "../session.ts";

export interface ViewContext {
  readonly api: Api;
  readonly identity: Identity;
  readonly root: HTMLElement;
  /** Runs when the view is left (timers, listeners). */
  onLeave(fn: () => void): void;
  /** false once the view was left: async work checks it before rendering. */
  alive(): boolean;
  /** Renders the view again, `flash` (a message) above it. */
  reload(flash?: HTMLElement): void;
}

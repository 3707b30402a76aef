// The renderer's pages: a fixed number of slots, each holding at most one page and the avatar loaded in it.
// A shot takes a free slot (one with its avatar loaded first), renders, and gives it back.
import os from 'node:os';
import type { Page } from 'playwright-core';
import type { PageAvatarInfo } from './protocol.js';
import { RenderError } from './render-error.js';

/** One place for a page; `page` is null until opened and after it crashed, was aborted or its browser left. */
export interface PageSlot {
  page: Page | null;
  /** The avatar loaded in `page`, if any. */
  avatarKey: string | null;
  /** What the page reported when it loaded `avatarKey`. */
  avatarInfo: PageAvatarInfo | null;
  /** Taken by a shot. */
  busy: boolean;
}

/** Pages rendering in parallel: `pages` when given, else half the cores, at least 1, at most 4. */
export function pagePoolSize(pages: number | undefined): number {
  return Math.max(1, Math.floor(pages ?? Math.min(4, Math.max(1, os.availableParallelism() / 2))));
}

/** Forgets the slot's page (it is gone or going): the next shot on the slot opens a new one. */
export function forgetPage(slot: PageSlot): void {
  slot.page = null;
  slot.avatarKey = null;
}

/** Slots handed out one shot at a time; callers wait in order when all are busy. */
export class PagePool {
  /** Every slot, free or busy. */
  readonly slots: readonly PageSlot[];
  private readonly waiters: Array<() => void> = [];
  private readonly isClosed: () => boolean;

  /** `isClosed` tells when to refuse (and wake) callers: the renderer has been closed. */
  constructor(size: number, isClosed: () => boolean) {
    this.slots = Array.from({ length: size }, () => ({
      page: null,
      avatarKey: null,
      avatarInfo: null,
      busy: false,
    }));
    this.isClosed = isClosed;
  }

  /** A free slot, preferring one with `avatarKey` loaded, then one without a page; waits when none is free. */
  async acquire(avatarKey: string, signal?: AbortSignal): Promise<PageSlot> {
    for (;;) {
      if (this.isClosed()) throw new RenderError('closed', 'the renderer has been closed');
      if (signal?.aborted) throw new RenderError('aborted', 'the shot was aborted');
      const free = this.slots.filter((slot) => !slot.busy);
      const chosen =
        free.find((slot) => slot.avatarKey === avatarKey) ??
        free.find((slot) => slot.page === null) ??
        free[0];
      if (chosen) {
        chosen.busy = true;
        return chosen;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Gives a slot back and wakes the longest waiter. */
  release(slot: PageSlot): void {
    slot.busy = false;
    this.waiters.shift()?.();
  }

  /** Forgets every slot's page (their browser is gone). */
  forgetAll(): void {
    for (const slot of this.slots) forgetPage(slot);
  }

  /** Wakes every waiter (after the renderer closed: each then fails with `closed`). */
  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

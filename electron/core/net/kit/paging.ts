import { KeyfleetError } from '../../errors.ts';

export interface PageSource<T> {
  /** One page, counted from 1. */
  page(n: number): Promise<{ items: T[]; next: boolean }>;
  /** What makes two items the same one (rows shift between pages while items are added). */
  id(item: T): string;
  /** A server that keeps saying "next" is broken; stop after this many pages. */
  maxPages: number;
  /** Who and what is being listed, for messages: "Webitel pbx:443: GET /license". */
  what: string;
}

/**
 * Every item of a paged list, first copy of each kept, following `next` page by page. Refuses a
 * server that ignores paging (a page identical to the one before) or never stops.
 */
export async function collectPages<T>(source: PageSource<T>): Promise<T[]> {
  const seen = new Map<string, T>();
  let previous: string | null = null;
  for (let n = 1; ; n++) {
    if (n > source.maxPages) {
      throw new KeyfleetError('BAD_RESPONSE', `${source.what} still said "next" after ${source.maxPages} pages; giving up`);
    }
    const { items, next } = await source.page(n);
    const signature = JSON.stringify(items.map(source.id));
    if (n > 1 && signature === previous) {
      throw new KeyfleetError('BAD_RESPONSE', `${source.what} returned page ${n} identical to page ${n - 1}; the server ignores paging`);
    }
    previous = signature;
    for (const item of items) {
      const id = source.id(item);
      if (!seen.has(id)) seen.set(id, item);
    }
    if (!next) return [...seen.values()];
  }
}

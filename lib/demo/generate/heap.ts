// A binary min-heap of stream heads, ordered by (instant, stream rank, sequence): the merge of many per-account
// streams into one time-ordered history, deterministic in ties.
import type { Timed } from "./summary";

export type Head = { timed: Timed; rank: number; seq: number; rest: Iterator<Timed> };

const before = (a: Head, b: Head) =>
  a.timed.at !== b.timed.at ? a.timed.at < b.timed.at : a.rank !== b.rank ? a.rank < b.rank : a.seq < b.seq;

export class HeadHeap {
  private readonly items: Head[] = [];

  get size() {
    return this.items.length;
  }

  peek(): Head | undefined {
    return this.items[0];
  }

  push(head: Head) {
    const items = this.items;
    items.push(head);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Head | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

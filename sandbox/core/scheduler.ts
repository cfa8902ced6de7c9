// A time-ordered queue of plain-data tasks. Tasks are data rather than closures so the whole queue can be
// written to the state file and restored after a restart.
import type { ManualClock } from "./clock";

export interface Task {
  at: number;
  seq: number;
  kind: string;
  ref: string;
  data?: Record<string, string | number | boolean>;
}

export class Scheduler {
  private heap: Task[] = [];
  private seq = 0;

  constructor(tasks: Task[] = [], seq = 0) {
    this.seq = seq;
    for (const t of tasks) this.push(t);
  }

  get size(): number {
    return this.heap.length;
  }

  snapshot(): { tasks: Task[]; seq: number } {
    return { tasks: [...this.heap].sort(compare), seq: this.seq };
  }

  schedule(at: number, kind: string, ref: string, data?: Task["data"]): Task {
    const task: Task = { at, seq: this.seq++, kind, ref, ...(data ? { data } : {}) };
    this.push(task);
    return task;
  }

  peek(): Task | undefined {
    return this.heap[0];
  }

  /** Runs every task due at or before `until` in time order; tasks scheduled while running are honoured too. */
  runUntil(until: number, run: (task: Task) => void, clock?: ManualClock): number {
    let count = 0;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > until) break;
      this.pop();
      clock?.set(top.at);
      run(top);
      count++;
    }
    clock?.set(until);
    return count;
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      const c = h[i];
      if (!p || !c || compare(p, c) <= 0) break;
      h[parent] = c;
      h[i] = p;
      i = parent;
    }
  }

  private pop(): Task | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const hm = () => h[m] as Task;
        if (l < h.length && compare(h[l] as Task, hm()) < 0) m = l;
        if (r < h.length && compare(h[r] as Task, hm()) < 0) m = r;
        if (m === i) break;
        const tmp = h[i] as Task;
        h[i] = h[m] as Task;
        h[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}

function compare(a: Task, b: Task): number {
  return a.at - b.at || a.seq - b.seq;
}

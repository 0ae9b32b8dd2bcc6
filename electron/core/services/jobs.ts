import { newId } from '../ids.ts';

/** Long-running work the UI can follow (progress events carry the job id) and cancel. */
export class JobRegistry {
  readonly #running = new Map<string, AbortController>();

  start(requestedId?: string): { id: string; signal: AbortSignal; done: () => void } {
    const id = requestedId ?? newId('job');
    const controller = new AbortController();
    this.#running.set(id, controller);
    return { id, signal: controller.signal, done: () => this.#running.delete(id) };
  }

  /**
   * Run `work` as a job: registered under `requestedId` (or a new id) while it runs, so `cancel`
   * reaches it through its signal, and removed when it ends however it ends.
   */
  async run<T>(requestedId: string | undefined, work: (job: { id: string; signal: AbortSignal }) => Promise<T>): Promise<T> {
    const job = this.start(requestedId);
    try {
      return await work(job);
    } finally {
      job.done();
    }
  }

  cancel(id: string): boolean {
    const c = this.#running.get(id);
    if (!c) return false;
    c.abort();
    return true;
  }
}

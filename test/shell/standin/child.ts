import { bootMain } from './boot.ts';

/**
 * Boots the main bundle in a process of its own, as a user's launch does, and reports on stdout
 * one JSON line per thing that happened: an error dialog, the window, the exit. Used for
 * start-up failures, which end the process, and for the single-instance lock.
 */
const opts = JSON.parse(process.env.KEYFLEET_STANDIN ?? '{}');
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const booted = bootMain({
  ...opts,
  onErrorBox: (title, content) => say({ errorBox: { title, content } }),
  onExit: (code) => {
    say({ exit: code });
    process.exit(code);
  },
});
booted.started.then(
  () => {
    if (booted.state.windows.length > 0) say({ window: booted.state.windows[0]!.url });
    // A started app keeps running (its lock held) until told to stop.
    if (process.env.KEYFLEET_STANDIN_STAY !== '1') process.exit(0);
  },
  (e: Error) => {
    say({ stuck: e.message });
    process.exit(3);
  },
);

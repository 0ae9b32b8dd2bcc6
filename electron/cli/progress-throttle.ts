/**
 * Progress for a run over a whole fleet: a line at most every `everyMs`, so thousands of servers
 * do not flood the terminal, but always the ones `force` marks (the last one, a new step).
 */
export function throttledProgress(progress: (line: string) => void, everyMs = 500): (line: string, force: boolean) => void {
  let last = 0;
  return (line, force) => {
    if (!force && Date.now() - last <= everyMs) return;
    last = Date.now();
    progress(line);
  };
}

/** Minimal logger interface; core never writes to the console directly. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function stderrLogger(prefix = 'keyfleet'): Logger {
  const write = (level: string, message: string) => process.stderr.write(`${prefix}: ${level}: ${message}\n`);
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warning', m),
    error: (m) => write('error', m),
  };
}

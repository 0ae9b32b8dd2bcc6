/**
 * How long a QueueMetrics license key is, whether QueueMetrics reports it or Loway's key server
 * issues it: one line of 20–400 printable characters.
 */
export const QM_KEY_MIN_LENGTH = 20;
export const QM_KEY_MAX_LENGTH = 400;

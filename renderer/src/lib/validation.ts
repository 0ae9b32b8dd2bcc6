import { z } from 'zod';

// The page's CSP forbids eval: keep zod from probing for it (the probe is reported as a violation).
z.config({ jitless: true });

/**
 * Client-side mirrors of the contract's input rules, with messages written for a form. The main
 * process validates again with the contract's own schemas; these only make mistakes visible early.
 */
const required = (label: string) => z.string().trim().min(1, `${label} is required`).max(200, `${label} is too long (200 characters at most)`);

export const urlRule = z
  .string()
  .trim()
  .min(1, 'URL is required')
  .refine((u) => /^https?:\/\//i.test(u), 'URL must start with http:// or https://')
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return !parsed.username && !parsed.password && Boolean(parsed.hostname);
    } catch {
      return false;
    }
  }, 'URL is not valid (put user names and passwords in their own fields)');

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const optionalEmail = z
  .string()
  .trim()
  .refine((e) => e === '' || emailShape.test(e), 'Not an e-mail address');
export const requiredEmail = z.string().trim().min(1, 'E-mail is required').refine((e) => emailShape.test(e), 'Not an e-mail address');

export const fingerprintRule = z
  .string()
  .trim()
  .refine((f) => f === '' || /^[0-9A-Fa-f:\s]{64,95}$/.test(f), 'Not a SHA-256 fingerprint (64 hex digits, colons allowed)');

export const ClientFormSchema = z.object({
  name: required('Name'),
  email: optionalEmail,
  notes: z.string().max(10_000, 'Notes are too long'),
  tags: z.array(z.string()),
  reminderStages: z.string().refine((s) => /^[\d\s,;]*$/.test(s), 'Use whole numbers of days, separated by commas'),
});

/**
 * QueueMetrics also takes a bare host:port or dotted host (http, port 8080 when none is given), as
 * its client reads one; the main process writes it out in full. A bare word is a typing mistake.
 */
const bareQueueMetricsHost = /^(?:[A-Za-z0-9.-]+:\d{1,5}|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?:\/\S*)?$/;

export function isUsableInstanceUrl(kind: string, url: string): boolean {
  const u = url.trim();
  return /^https?:\/\/\S+/i.test(u) || (kind === 'queuemetrics' && bareQueueMetricsHost.test(u));
}

export const InstanceFormSchema = z.object({
  name: required('Name'),
  kind: z.enum(['queuemetrics', 'isymphony', 'webitel']),
  url: z.string().trim().min(1, 'URL is required'),
  client: z.string(),
  user: z.string().max(200, 'User is too long'),
  secretMode: z.enum(['own', 'shared', 'none']),
  secret: z.string().max(4096, 'Secret is too long'),
  credential: z.string(),
  coreServer: z.string().max(200),
  domainId: z.string().max(64, 'Domain ID is too long'),
  pinSha256: fingerprintRule,
  tags: z.array(z.string()),
  group: z.string().max(100, 'Group is too long'),
  notes: z.string().max(10_000),
}).superRefine((v, ctx) => {
  if (v.url.trim() === '' || (v.kind === 'queuemetrics' && bareQueueMetricsHost.test(v.url.trim()))) return;
  const checked = urlRule.safeParse(v.url);
  if (!checked.success) ctx.addIssue({ code: 'custom', path: ['url'], message: checked.error.issues[0]?.message ?? 'URL is not valid' });
});

function sourceFormSchema(requireSecret: boolean) {
  return z
    .object({
      name: required('Name'),
      kind: z.enum(['loway-keyserver', 'qlm']),
      url: urlRule,
      email: optionalEmail,
      vendor: z.string(),
      user: z.string(),
      secret: z.string(),
      productId: z.string(),
      major: z.string(),
      minor: z.string(),
      dateFormat: z.string().max(40),
      pinSha256: fingerprintRule,
    })
    .superRefine((v, ctx) => {
      if (v.kind !== 'qlm') return;
      if (!v.vendor.trim()) ctx.addIssue({ code: 'custom', path: ['vendor'], message: 'Vendor (is_vendor) is required for QLM' });
      if (!v.user.trim()) ctx.addIssue({ code: 'custom', path: ['user'], message: 'User (is_user) is required for QLM' });
      if (requireSecret && !v.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'Password (is_pwd) is required for QLM' });
      for (const k of ['productId', 'major', 'minor'] as const) {
        if (v[k].trim() && !/^\d+$/.test(v[k].trim())) ctx.addIssue({ code: 'custom', path: [k], message: 'Must be a whole number' });
      }
    });
}

export const SourceFormSchema = sourceFormSchema(true);
/** Editing a source: an empty password keeps the stored one. */
export const SourceEditSchema = sourceFormSchema(false);

export const CredentialFormSchema = z.object({
  name: required('Name'),
  user: z.string().max(200),
  secret: z.string().min(1, 'Secret is required'),
});

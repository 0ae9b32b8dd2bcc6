import { z } from 'zod';

/** Field schemas several contract areas share, so each field is refused with the same words everywhere. */

export const empty = z.strictObject({}).strict();
export const ref = z.string().trim().min(1, 'is required').max(200);
export const name = z.string().trim().min(1, 'is required').max(200);
export const optionalText = (max: number) => z.string().max(max).optional();
export const tagList = z.array(z.string().trim().min(1).max(60)).max(50);
export const email = z.string().trim().email('is not an e-mail address').max(200);
export const secret = z.string().min(1, 'is required').max(4096);
/** A server address as typed; each vendor's client reads it under its own rules. */
export const serverUrl = z.string().trim().min(1, 'is required').max(2000);
export const fingerprint = z.string().regex(/^[0-9A-Fa-f:\s]{64,95}$/, 'is not a SHA-256 fingerprint');
export const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a job id').optional();
export const isoDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
export const stages = z.array(z.number().int().min(0).max(3650)).max(20);
export const exportFormat = z.enum(['csv', 'json']);
/** A CSV file's text as the app sends it. */
export const csvText = z.string().max(50 * 1024 * 1024);

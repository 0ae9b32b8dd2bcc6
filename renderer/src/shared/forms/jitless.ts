import { z } from 'zod';

// The page's CSP forbids eval: keep zod from probing for it (the probe is reported as a violation).
// Imported for this effect by every module of the page that parses with a contract schema.
z.config({ jitless: true });

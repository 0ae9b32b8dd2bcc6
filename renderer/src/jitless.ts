import { z } from 'zod';

// The page's CSP forbids eval. zod probes for it when it builds its first object schema, and the
// page builds the contract's schemas as it loads: this runs first (main.tsx imports it before
// anything else), so the probe never happens and no violation is reported.
z.config({ jitless: true });

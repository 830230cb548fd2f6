import { z } from 'zod';

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ status: z.enum(['up', 'down']), kind: z.enum(['sqlite', 'mysql']) }),
  version: z.string(),
  mode: z.enum(['production', 'demo', 'test']),
  time: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

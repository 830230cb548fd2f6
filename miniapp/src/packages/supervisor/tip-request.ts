import { createTipRequest } from '@baoxue/shared';
import type { SchemaSource } from '../../hooks/use-form';

/**
 * The schema the tip form validates with before sending. The WeChat build has it at hand (its
 * subpackage carries zod); the H5 build fetches it apart, tip-request.h5.ts.
 */
export const tipRequest: SchemaSource<typeof createTipRequest> = createTipRequest;

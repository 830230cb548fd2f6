import type { createTipRequest } from '@baoxue/shared';
import type { SchemaSource } from '../../hooks/use-form';

/**
 * The schema the tip form validates with before sending. In the browser it comes, with zod (27 KB
 * brotli), in a chunk of its own that the form asks for once it has rendered: off the page's first
 * load on a slow phone (issue 19), and there long before 提交线索 is tapped.
 */
export const tipRequest: SchemaSource<typeof createTipRequest> = () =>
  import(/* webpackChunkName: "tip-request", webpackExports: ["createTipRequest"] */ '@baoxue/shared').then(
    (shared) => shared.createTipRequest,
  );

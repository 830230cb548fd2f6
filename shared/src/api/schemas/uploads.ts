import { z } from 'zod';

/** What a photo is for: a supervisor's evidence, or the document a parent attaches to a deferral application. */
export const UPLOAD_PURPOSES = ['tip_evidence', 'deferral_document', 'leave_note', 'pupil_change_document'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

export const uploadResponse = z.object({
  id: z.string(),
  mime: z.string(),
  bytes: z.number(),
  /** A short-lived link to show the image (images cannot send a token). */
  url: z.string(),
});
export type UploadResponse = z.infer<typeof uploadResponse>;

/** Without a purpose, the caller's own kind of photo (a supervisor's evidence, a parent's document). */
export const uploadQuery = z.object({ purpose: z.enum(UPLOAD_PURPOSES, { error: '上传用途不正确' }).optional() });

export const signedFileQuery = z.object({
  expires: z.coerce.number({ error: '链接无效' }).int(),
  signature: z.string({ error: '链接无效' }).regex(/^[A-Za-z0-9_-]{20,100}$/, '链接无效'),
});

/** The file itself (binary); a placeholder for the contract, never parsed. */
export const fileResponse = z.unknown();

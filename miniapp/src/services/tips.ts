import type { OwnTipView, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call, fileUrl, upload, type UploadInput } from './request';

export type CreatedTip = ResponseOf<'tipsCreate'>;
export type MyTips = ResponseOf<'tipsMine'>;
export type { OwnTipView };

/** Photo links made loadable by <Image> on every platform. */
export function withPhotoUrl<T extends { photoUrl: string | null }>(tip: T): T {
  return tip.photoUrl ? { ...tip, photoUrl: fileUrl(tip.photoUrl) } : tip;
}

export const tipsApi = {
  // Only the outbox (services/tip-outbox.ts) sends tips: it keeps them until the server has them.
  mine: async (query: RequestQuery<'tipsMine'>): Promise<MyTips> => {
    const page = await call('tipsMine', { query });
    return { ...page, items: page.items.map(withPhotoUrl) };
  },
  get: async (id: string): Promise<OwnTipView> => withPhotoUrl(await call('tipsGet', { params: { id } })),
  reveal: (id: string, reason: string) => call('tipsReveal', { params: { id }, body: { reason } }),
  /** An evidence photo: checked by content on the server (JPG, PNG or WebP, at most 8 MB). */
  uploadPhoto: async (file: UploadInput) => {
    const uploaded = await upload('uploadsCreate', file);
    return { ...uploaded, url: fileUrl(uploaded.url) };
  },
};

import { randomUUID } from 'node:crypto';
import type { CreateTipRequest, OwnTipView } from '@baoxue/shared';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { ServedCounty } from '../../server/src/modules/divisions/division.entity';
import type { ApiClient, ApiResponse } from './api';

/** 吴明村, 十里镇, 光山县 — the demo supervisor's village. */
export const WUMING = '411522101203';
export const SHILI = '411522101000';
/** 张围孜村, 寨河镇 — a village of another township. */
export const ZHANGWEIZI = '411522102201';
export const ZHAIHE = '411522102000';

export type TipResponse = ApiResponse<{ tip: OwnTipView; message: string }>;

/** A valid tip about a child of 吴明村; override any part. */
export function tipBody(
  overrides: Omit<Partial<CreateTipRequest>, 'child'> & { child?: Partial<CreateTipRequest['child']> } = {},
): CreateTipRequest {
  const { child, ...rest } = overrides;
  return {
    idempotencyKey: randomUUID(),
    divisionCode: WUMING,
    observation: '这个孩子开学两周都没有去学校，白天在家里带弟弟。',
    ...rest,
    child: { name: '王小红', sex: 'female', age: 11, ...child },
  };
}

export function fileTip(client: ApiClient, overrides: Parameters<typeof tipBody>[0] = {}): Promise<TipResponse> {
  return client.post('/tips', tipBody(overrides) as unknown as Record<string, unknown>);
}

/** Lets the demo supervisors send as many tips as a test needs. */
export async function raiseTipLimit(dataSource: DataSource, countyCode = '411522000000', limit = 10_000): Promise<void> {
  await dataSource.manager.update(ServedCounty, { code: countyCode }, { settings: { tipsPerSupervisorPerDay: limit } });
}

/** A real JPEG with EXIF metadata, including a GPS position, as phones write them. */
export async function photoWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 15', Artist: '李建国' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '32/1 0/1 36/1', GPSLongitudeRef: 'E', GPSLongitude: '114/1 54/1 0/1' },
    })
    .toBuffer();
}

export function imageForm(buffer: Buffer, name = 'photo.jpg', type = 'image/jpeg'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(buffer)], { type }), name);
  return form;
}

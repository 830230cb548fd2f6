import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  formatYuan,
  mayChangePaymentStatus,
  pageLink,
  parseSemesterKey,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  semesterKey,
  semesterLabel,
  type PaymentChannel,
  type PaymentStatus,
  type Term,
} from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { applyScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type ChildRow, type GuardianshipRow } from '../children/child-records';
import { NotificationsService } from '../notifications/notifications.service';
import { wechatTime } from '../notifications/subscribe-templates';
import { parseDateCell } from '../../common/sheets/date-cell';
import { readSheet } from '../../common/sheets/read-sheet';
import { cell, RowErrors, validateRow } from '../../common/sheets/row-schema';
import type { SheetColumn } from '../../common/sheets/sheet-columns';
import { sheetTemplate } from '../../common/sheets/sheet-template';
import { PUPIL_COLUMNS, PupilLookup, SUBSIDY_SHEET } from './pupil-lookup';
import { SubsidyPayment } from './subsidy.entities';
import { mapPayment } from './subsidy.mappers';
import { snapshotTransaction } from '../../database/transaction';

type PaymentColumn =
  'studentNumber' | 'idNumber' | 'name' | 'semester' | 'amount' | 'status' | 'failureReason' | 'channel' | 'card' | 'paidOn' | 'reference';

export const PAYMENT_COLUMNS: ReadonlyArray<SheetColumn<PaymentColumn>> = [
  ...PUPIL_COLUMNS,
  { key: 'semester', header: '学期', required: true, example: '2024年春季学期', note: '如“2024年春季学期”“2024年秋季学期”' },
  {
    key: 'amount',
    header: '金额（元）',
    required: true,
    aliases: ['金额', '发放金额'],
    example: '625',
    note: '本学期发放的金额，最多两位小数',
  },
  {
    key: 'status',
    header: '发放状态',
    required: true,
    aliases: ['状态'],
    example: '已到账',
    note: `${Object.values(PAYMENT_STATUSES).join('、')}之一；已到账的记录不能再改为其他状态`,
  },
  { key: 'failureReason', header: '失败原因', required: false, example: '', note: '发放失败时必填，如“卡号错误”“账户已销户”' },
  {
    key: 'channel',
    header: '发放渠道',
    required: true,
    aliases: ['发放方式'],
    example: '一卡通/社保卡',
    note: `${Object.values(PAYMENT_CHANNELS).join('、')}之一`,
  },
  {
    key: 'card',
    header: '卡号后四位',
    required: false,
    aliases: ['卡号'],
    example: '1234',
    note: '只保存最后四位；填写完整卡号也只保留后四位',
  },
  {
    key: 'paidOn',
    header: '到账日期',
    required: false,
    aliases: ['发放日期'],
    example: '2024-03-20',
    note: '已到账时填写，如“2024-03-20”',
  },
  {
    key: 'reference',
    header: '发放批次号',
    required: false,
    aliases: ['批次号', '凭证号'],
    example: 'GS2024C01',
    note: '同一学生同一学期分几次发放时用来区分；重复导入时按学生、学期和批次号找到同一笔记录',
  },
];

function parseSemester(text: string): string | null {
  const value = text.normalize('NFKC').replace(/\s/g, '');
  if (parseSemesterKey(value)) return value;
  const match = /^(\d{4})年?(春|秋)(?:季)?(?:学期)?$/.exec(value);
  if (!match) return null;
  return semesterKey({ year: Number(match[1]), term: (match[2] === '春' ? 'spring' : 'autumn') as Term });
}

const STATUS_BY_LABEL = new Map<string, PaymentStatus>([
  ...(Object.entries(PAYMENT_STATUSES) as Array<[PaymentStatus, string]>).map(([key, label]) => [label, key] as const),
  ['审批通过', 'approved'],
  ['已发放到卡', 'sent'],
  ['发放中', 'sent'],
  ['到账', 'paid'],
  ['失败', 'failed'],
]);

const CHANNEL_BY_LABEL = new Map<string, PaymentChannel>([
  ...(Object.entries(PAYMENT_CHANNELS) as Array<[PaymentChannel, string]>).map(([key, label]) => [label, key] as const),
  ['一卡通', 'social_security_card'],
  ['社保卡', 'social_security_card'],
  ['惠民惠农一卡通', 'social_security_card'],
  ['餐卡', 'meal_card'],
  ['银行', 'bank_card'],
  ['银行账户', 'bank_card'],
]);

/** Yuan as officials write it (`625`, `1,250.50元`) in fen, or null unless above 0, at most 100,000 and to the fen. */
function parseAmountFen(text: string): number | null {
  const amountText = text.replace(/[元,，\s]/g, '');
  const amount = Number(amountText);
  const fen = Math.round(amount * 100);
  const ok = amountText !== '' && Number.isFinite(amount) && amount > 0 && amount <= 100_000 && Math.abs(fen - amount * 100) < 1e-6;
  return ok ? fen : null;
}

/** A payment row, cell by cell; the rules across cells are in `import`. */
const PAYMENT_ROW = {
  semester: cell.parsed(parseSemester, '学期应为“2024年春季学期”或“2024年秋季学期”的形式'),
  amount: cell.parsed(parseAmountFen, '金额应为大于0的数字，最多两位小数'),
  status: cell.oneOf(STATUS_BY_LABEL, `发放状态应为${Object.values(PAYMENT_STATUSES).join('、')}之一`, (t) => t.replace(/\s/g, '')),
  failureReason: cell.text(100, '失败原因最多100个字'),
  channel: cell.oneOf(CHANNEL_BY_LABEL, `发放渠道应为${Object.values(PAYMENT_CHANNELS).join('、')}之一`, (t) =>
    t.normalize('NFKC').replace(/\s/g, ''),
  ),
  card: cell.optional(cell.parsed((t) => (/^\d{4,30}$/.test(t.replace(/[\s-]/g, '')) ? t.replace(/[\s-]/g, '') : null), '卡号应为数字')),
  paidOn: cell.optional(cell.parsed(parseDateCell, '到账日期格式应为“2024-03-20”')),
  reference: cell.text(40, '发放批次号最多40个字符'),
};

interface ParsedPayment {
  line: number;
  child: ChildRow;
  semester: string;
  amountFen: number;
  status: PaymentStatus;
  failureReason: string | null;
  channel: PaymentChannel;
  cardTail: string | null;
  paidOn: string | null;
  reference: string;
}

/**
 * Payments from the county's sheet: each row is one payment to a pupil for a semester, found again
 * on re-import by pupil, semester and batch number, so importing the same sheet twice changes
 * nothing and a later sheet moves payments on (approved → sent → paid, or failed with a reason).
 * A payment that becomes paid tells the pupil's guardians, in the app and by subscribe message.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly childRecords: ChildRecords,
  ) {}

  template() {
    return sheetTemplate('资助发放表', PAYMENT_COLUMNS);
  }

  async list(caller: Caller, query: { cursor?: string; limit: number; semester?: string; status?: PaymentStatus; schoolId?: string }) {
    const county = requireCountyAccess(caller, 'read_payment');
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(SubsidyPayment, 'p'), caller, 'read_payment', {
      county: 'p.county_code',
    })
      .orderBy('p.id', 'DESC')
      .limit(query.limit + 1);
    if (query.semester) qb.andWhere('p.semester = :semester', { semester: query.semester });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.schoolId) qb.andWhere('p.school_id = :schoolId', { schoolId: query.schoolId });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('p.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const names = await this.childRecords.namesOf(this.dataSource.manager, [...new Set(page.map((p) => p.childId))]);
    await this.audit.record(caller, {
      action: 'subsidy.payments.list',
      targetType: 'county',
      targetId: county,
      placeCode: county,
      details: { rows: page.length },
    });
    return {
      items: page.map((p) => mapPayment(p, names.get(p.childId) ?? '')),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  async import(caller: Caller, buffer: Buffer) {
    const county = requireCountyAccess(caller, 'import_payments');
    const rows = await readSheet(buffer, PAYMENT_COLUMNS, SUBSIDY_SHEET);
    const manager = this.dataSource.manager;
    const pupils = await PupilLookup.load(
      this.childRecords,
      manager,
      county,
      rows.map((r) => r.get('studentNumber')),
      rows.map((r) => r.get('idNumber')),
    );
    const errors = new RowErrors();
    const parsed: ParsedPayment[] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const found = pupils.find(row.get('studentNumber'), row.get('idNumber'), row.get('name'));
      if ('message' in found) errors.add(row.line, found.column, found.message);
      const checked = validateRow(row, PAYMENT_ROW, PAYMENT_COLUMNS, errors);
      if (checked.values.status === 'failed' && !row.get('failureReason')) errors.add(row.line, '失败原因', '发放失败时请填写失败原因');
      if (!checked.ok || !('child' in found)) continue;
      const { semester, amount: amountFen, status, failureReason, channel, card, paidOn } = checked.values;
      const reference = checked.values.reference ?? '';
      const key = `${found.child.id}:${semester}:${reference}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.add(row.line, '学籍号', `与第${first}行是同一学生同一学期同一批次的发放记录`);
        continue;
      }
      seen.set(key, row.line);
      parsed.push({
        line: row.line,
        child: found.child,
        semester,
        amountFen,
        status,
        failureReason: status === 'failed' ? failureReason : null,
        channel,
        // the full card number is never kept
        cardTail: card ? card.slice(-4) : null,
        paidOn: status === 'paid' ? paidOn : null,
        reference,
      });
    }
    const existing = new Map<string, SubsidyPayment>();
    const childIds = [...new Set(parsed.map((p) => p.child.id))];
    for (let i = 0; i < childIds.length; i += 1000)
      for (const p of await manager.findBy(SubsidyPayment, { childId: In(childIds.slice(i, i + 1000)) }))
        existing.set(`${p.childId}:${p.semester}:${p.reference}`, p);
    for (const item of parsed) {
      const before = existing.get(`${item.child.id}:${item.semester}:${item.reference}`);
      if (before && !mayChangePaymentStatus(before.status, item.status))
        errors.add(item.line, '发放状态', `该笔资助已是“${PAYMENT_STATUSES[before.status]}”，不能改为“${PAYMENT_STATUSES[item.status]}”`);
    }
    errors.throwIfAny();

    const counts = { rows: rows.length, created: 0, updated: 0, unchanged: 0, notified: 0 };
    const now = this.clock.now();
    await snapshotTransaction(this.dataSource, async (tx) => {
      const paid: SubsidyPayment[] = [];
      for (const item of parsed) {
        const before = existing.get(`${item.child.id}:${item.semester}:${item.reference}`);
        const values = {
          amountFen: item.amountFen,
          status: item.status,
          failureReason: item.failureReason,
          channel: item.channel,
          cardTail: item.cardTail,
          paidOn: item.paidOn,
        };
        if (before) {
          const same = (Object.keys(values) as Array<keyof typeof values>).every((k) => before[k] === values[k]);
          if (same) {
            counts.unchanged++;
            continue;
          }
          await tx.update(SubsidyPayment, { id: before.id }, { ...values, updatedBy: caller.userId, updatedAt: now });
          counts.updated++;
          if (item.status === 'paid' && before.status !== 'paid') paid.push({ ...before, ...values });
          continue;
        }
        const payment: SubsidyPayment = {
          id: newId(),
          childId: item.child.id,
          countyCode: county,
          schoolId: item.child.schoolId,
          semester: item.semester,
          reference: item.reference,
          ...values,
          updatedBy: caller.userId,
          createdAt: now,
          updatedAt: now,
        };
        await tx.insert(SubsidyPayment, payment);
        counts.created++;
        if (item.status === 'paid') paid.push(payment);
      }
      counts.notified = await this.announcePaid(tx, paid, parsed);
      await this.audit.record(
        caller,
        { action: 'subsidy.payments.import', targetType: 'county', targetId: county, placeCode: county, details: { ...counts } },
        tx,
      );
    });
    return counts;
  }

  /** 资助到账: each guardian bound in the app hears of it, in the app and by subscribe message. */
  private async announcePaid(manager: EntityManager, payments: SubsidyPayment[], parsed: ParsedPayment[]): Promise<number> {
    if (!payments.length) return 0;
    const names = new Map(parsed.map((p) => [p.child.id, p.child.name]));
    const guardians: GuardianshipRow[] = [];
    const childIds = [...new Set(payments.map((p) => p.childId))];
    for (let i = 0; i < childIds.length; i += 1000)
      guardians.push(...(await this.childRecords.guardiansOf(manager, childIds.slice(i, i + 1000))));
    let announced = 0;
    for (const payment of payments) {
      const recipients = guardians.filter((g) => g.childId === payment.childId).map((g) => g.userId);
      if (!recipients.length) continue;
      const name = names.get(payment.childId) ?? '孩子';
      const label = semesterLabel(parseSemesterKey(payment.semester)!);
      await this.notifications.notify(manager, recipients, {
        key: `subsidy-paid:${payment.id}`,
        title: '资助资金已到账',
        body: `${name}${label}的生活补助${formatYuan(payment.amountFen)}已发放到${PAYMENT_CHANNELS[payment.channel]}${payment.cardTail ? `（尾号${payment.cardTail}）` : ''}。如未收到，可在小程序中反映。`,
        link: pageLink('parentSubsidies', { childId: payment.childId }),
        wechat: {
          template: 'subsidy_paid',
          values: {
            thing1: `${label}生活补助`,
            thing2: name,
            amount3: formatYuan(payment.amountFen),
            time4: wechatTime(this.clock.now()),
          },
        },
      });
      announced++;
    }
    return announced;
  }
}

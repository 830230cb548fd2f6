import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { GUARDIAN_RELATIONS, type BoundChildView, type GuardianRelation } from '@baoxue/shared';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { takeTurn } from '../../common/quota/quota';
import { transactionWithRetry } from '../../database/transaction';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { UserRecords } from '../accounts/user-records';
import { AuditService } from '../audit/audit.service';
import { assertGuardian, officialCanSeeChild } from '../children/child-access';
import { nameKeyOf } from '../children/child-matching';
import { ChildRecords, placeOfChild, type ChildRow } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { mapBoundChild } from '../children/child.mappers';
import { schoolNamesOf } from '../children/lookups';
import { DivisionsService } from '../divisions/divisions.service';
import { BindingAttempt } from './binding-attempt.entity';

/** A leaked code should not let a whole village bind one child. */
const MAX_GUARDIANS = 6;

/**
 * Binding a parent to a child (BRIEF §6): the binding code printed on the paper notice plus the
 * child's name, never an ID number alone. Wrong attempts are counted per user in the database and
 * lock binding for a while; a wrong code and a wrong name are answered alike, so neither can be
 * guessed on its own.
 */
@Injectable()
export class BindingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly divisions: DivisionsService,
    private readonly registry: ChildRegistry,
    private readonly childRecords: ChildRecords,
    private readonly userRecords: UserRecords,
  ) {}

  /**
   * Binds a child to the caller. A user's attempts take turns (a claim row per user), so the failures
   * that lock binding are counted after the previous attempt committed: parallel guesses never get
   * more tries than the limit. A wrong attempt is committed, then refused.
   */
  async bind(caller: Caller, input: { bindingCode: string; childName: string; relation: GuardianRelation }): Promise<BoundChildView> {
    const { bindingMaxFailures: max, bindingLockoutMinutes: minutes } = this.config.parents;
    const windowMs = minutes * 60_000;
    const outcome = await transactionWithRetry(this.dataSource, async (manager) => {
      await takeTurn(manager, `binding:${caller.userId}`);
      const now = this.clock.now();
      const failures = await manager.find(BindingAttempt, {
        where: { userId: caller.userId, succeeded: false, at: MoreThan(new Date(now.getTime() - windowMs)) },
        order: { at: 'ASC' },
      });
      // the lock lifts when the oldest of the last `max` failures leaves the window
      if (failures.length >= max) return { kind: 'locked' as const, until: failures[failures.length - max]!.at.getTime() + windowMs, now };
      const printed = await this.childRecords.findByBindingCode(manager, input.bindingCode);
      // a notice printed for a record merged since leads to the surviving record of the child
      const child = printed?.mergedIntoId ? await this.registry.current(manager, printed.id) : printed;
      const nameKey = nameKeyOf(input.childName);
      if (!printed || !child || (printed.nameKey !== nameKey && child.nameKey !== nameKey)) {
        await manager.insert(BindingAttempt, { id: newId(), userId: caller.userId, at: now, succeeded: false, childId: null });
        return { kind: 'invalid' as const, left: max - failures.length - 1 };
      }
      await this.addGuardian(manager, caller, child, input.relation, now);
      return { kind: 'bound' as const, childId: child.id };
    });
    if (outcome.kind === 'locked') {
      const wait = Math.max(1, Math.ceil((outcome.until - outcome.now.getTime()) / 60_000));
      throw new AppError('BINDING_LOCKED', `绑定码或姓名输错次数过多，为保护孩子信息，请${wait}分钟后再试`, {}, undefined, {
        'Retry-After': String(Math.max(1, Math.ceil((outcome.until - outcome.now.getTime()) / 1000))),
      });
    }
    if (outcome.kind === 'invalid')
      throw new AppError(
        'BINDING_INVALID',
        outcome.left > 0
          ? `绑定码或孩子姓名不正确，请核对通知书后重新输入（还可尝试${outcome.left}次）`
          : `绑定码或孩子姓名不正确，输错次数过多，请${minutes}分钟后再试`,
        { bindingCode: '绑定码或孩子姓名不正确', childName: '绑定码或孩子姓名不正确' },
      );
    return (await this.views(this.dataSource.manager, caller.userId, [outcome.childId]))[0]!;
  }

  /** A child's guardians take turns too, so parallel bindings never pass the limit of guardians. */
  private async addGuardian(
    manager: EntityManager,
    caller: Caller,
    child: Pick<ChildRow, 'id' | 'villageCode' | 'countyCode'>,
    relationKey: GuardianRelation,
    now: Date,
  ): Promise<void> {
    const childId = child.id;
    const relation = GUARDIAN_RELATIONS[relationKey];
    const existing = await this.childRecords.findGuardianship(manager, childId, caller.userId);
    if (existing) {
      if (existing.relation !== relation) await this.childRecords.setGuardianRelation(manager, childId, caller.userId, relation);
    } else {
      await takeTurn(manager, `guardians:${childId}`);
      if ((await this.childRecords.countGuardians(manager, childId)) >= MAX_GUARDIANS)
        throw new AppError('GUARDIANS_FULL', `该孩子已绑定${MAX_GUARDIANS}位家长，如需更换请联系学校`);
      await this.childRecords.addGuardianship(manager, { childId, userId: caller.userId, relation, createdAt: now });
    }
    await manager.insert(BindingAttempt, { id: newId(), userId: caller.userId, at: now, succeeded: true, childId });
    await this.audit.record(
      caller,
      {
        action: 'child.bind',
        targetType: 'child',
        targetId: childId,
        childId,
        placeCode: placeOfChild(child),
        details: { relation: relationKey, again: !!existing },
      },
      manager,
    );
  }

  async mine(caller: Caller): Promise<{ items: BoundChildView[] }> {
    return { items: await this.views(this.dataSource.manager, caller.userId, null) };
  }

  async unbind(caller: Caller, id: string): Promise<{ ok: true }> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      // a link to a record merged since leads to the child's surviving record
      const current = await this.registry.current(manager, id);
      const childId = current?.id ?? id;
      await assertGuardian(manager, caller.userId, childId);
      await this.childRecords.removeGuardianship(manager, childId, caller.userId);
      await this.audit.record(
        caller,
        { action: 'child.unbind', targetType: 'child', targetId: childId, childId, placeCode: current ? placeOfChild(current) : null },
        manager,
      );
    });
    return { ok: true };
  }

  /** A child's guardians, for officials in scope: the roster's (with phone numbers, to call them) and the accounts bound in the app. */
  async guardiansOf(caller: Caller, id: string) {
    const manager = this.dataSource.manager;
    const child = await this.registry.current(manager, id);
    if (!child || !officialCanSeeChild(caller, child)) throw AppError.notFound();
    const childId = child.id;
    const [roster, bound, schools, places] = await Promise.all([
      this.childRecords.rosterGuardiansOf(manager, [childId]),
      this.childRecords.guardianshipsOfChild(manager, childId),
      schoolNamesOf(manager, [child.schoolId]),
      child.villageCode ? this.divisions.fullNames([child.villageCode], manager) : Promise.resolve(new Map<string, string>()),
    ]);
    const users = await this.userRecords.displayNames(
      manager,
      bound.map((g) => g.userId),
    );
    await this.audit.record(caller, {
      action: 'child.guardians.read',
      targetType: 'child',
      targetId: childId,
      childId,
      placeCode: placeOfChild(child),
    });
    return {
      child: {
        id: child.id,
        name: child.name,
        schoolName: child.schoolId ? (schools.get(child.schoolId) ?? null) : null,
        place: child.villageCode ? (places.get(child.villageCode) ?? null) : null,
      },
      roster: roster.map((g) => ({ name: g.name, relation: g.relation || null, phone: g.phone })),
      accounts: bound.map((g) => ({
        displayName: users.get(g.userId) ?? '家长',
        relation: g.relation,
        boundAt: g.createdAt.toISOString(),
      })),
    };
  }

  private async views(manager: EntityManager, userId: string, only: string[] | null): Promise<BoundChildView[]> {
    const bound = await this.childRecords.guardianshipsOfUser(manager, userId, only);
    if (!bound.length) return [];
    const children = await this.childRecords.findByIds(
      manager,
      bound.map((g) => g.childId),
    );
    const schools = await schoolNamesOf(
      manager,
      children.map((c) => c.schoolId),
    );
    const byId = new Map(children.map((c) => [c.id, c]));
    return bound.flatMap((g) => {
      const child = byId.get(g.childId);
      if (!child) return [];
      return [mapBoundChild(child, g, schools)];
    });
  }
}

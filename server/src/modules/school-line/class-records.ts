import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { schoolLeaders } from '../accounts/recipients';
import { ChildRecords } from '../children/child-records';
import type { SchoolClassRef } from '../children/class-days';
import { ClassTeacher } from './school-line.entities';

export type { SchoolClassRef } from '../children/class-days';

/** A class of the roster with its size. */
export interface RosterClass {
  grade: number;
  className: string;
  pupils: number;
}

/**
 * Classes and their 班主任 as the school line's services read them: a class is a grade and class
 * name of the school's roster (ChildRecords), its 班主任 are the staff the school's leader named.
 */
@Injectable()
export class ClassRecords {
  constructor(private readonly children: ChildRecords) {}

  /** Whether the user is a 班主任 of the class (what `classTeacher` of a PolicyRecord says). */
  async teachesClass(manager: EntityManager, userId: string, schoolId: string, grade: number, className: string): Promise<boolean> {
    return manager.existsBy(ClassTeacher, { userId, schoolId, grade, className });
  }

  /** The 班主任 of a class (user ids). */
  async teachersOf(manager: EntityManager, schoolId: string, grade: number, className: string): Promise<string[]> {
    const rows = await manager.find(ClassTeacher, { where: { schoolId, grade, className }, order: { assignedAt: 'ASC' } });
    return rows.map((r) => r.userId);
  }

  /** The school's leaders (user ids): told with the 班主任, and they decide for any class. */
  async schoolLeaders(manager: EntityManager, schoolId: string): Promise<string[]> {
    return schoolLeaders(manager, schoolId);
  }

  /** The classes of the school's roster, by grade and name. */
  async classesOf(manager: EntityManager, schoolId: string): Promise<RosterClass[]> {
    return this.children.classesOfSchool(manager, schoolId);
  }

  /** Whether the roster has a class of that name (at least one pupil). */
  async exists(manager: EntityManager, schoolClass: SchoolClassRef): Promise<boolean> {
    return (await this.children.pupilsOfClass(manager, schoolClass)).length > 0;
  }

  /** Every 班主任 assignment of the school's classes. */
  async assignmentsOf(manager: EntityManager, schoolId: string): Promise<ClassTeacher[]> {
    return manager.find(ClassTeacher, { where: { schoolId }, order: { assignedAt: 'ASC' } });
  }

  /** The classes a user is a 班主任 of, in their school. */
  async classesTaughtBy(manager: EntityManager, userId: string, schoolId: string): Promise<SchoolClassRef[]> {
    const rows = await manager.find(ClassTeacher, { where: { userId, schoolId } });
    return rows.map((r) => ({ schoolId: r.schoolId, grade: r.grade, className: r.className }));
  }

  /** Names the 班主任 of a class: those not listed stop being one, those listed are (kept from when first named). */
  async setTeachers(manager: EntityManager, schoolClass: SchoolClassRef, userIds: string[], by: string, at: Date): Promise<void> {
    const current = await this.teachersOf(manager, schoolClass.schoolId, schoolClass.grade, schoolClass.className);
    const removed = current.filter((id) => !userIds.includes(id));
    if (removed.length) await manager.delete(ClassTeacher, { ...schoolClass, userId: In(removed) });
    const added = userIds.filter((id) => !current.includes(id));
    if (added.length)
      await manager
        .createQueryBuilder()
        .insert()
        .into(ClassTeacher)
        .values(added.map((userId) => ({ ...schoolClass, userId, assignedBy: by, assignedAt: at })))
        .orIgnore()
        .execute();
  }
}

import { randomUUID } from 'node:crypto';
import type { AbsenceReason, RollCallView } from '@baoxue/shared';
import type { ApiClient, ApiResponse } from './api';
import { createPupil } from './pupils';
import type { TestServer } from './server';

/** Moves the server's clock so that it is `chinaTime` (`2026-11-18T10:00`) in China now. */
export function setChinaTime(server: Pick<TestServer, 'clock'>, chinaTime: string): void {
  const target = Date.parse(`${chinaTime}:00+08:00`);
  server.clock.advance(target - server.clock.now().getTime());
}

/** A class of `size` pupils on the school's roster (名 1…size), returned in the roll-call sheet's order (by name). */
export async function createClass(
  server: Pick<TestServer, 'dataSource'>,
  spec: { schoolId: string; grade: number; className: string; size: number; prefix: string },
): Promise<Array<{ id: string; name: string }>> {
  const pupils: Array<{ id: string; name: string }> = [];
  for (let i = 1; i <= spec.size; i++) {
    const child = await createPupil(server.dataSource, {
      name: `${spec.prefix}${String(i).padStart(2, '0')}`,
      schoolId: spec.schoolId,
      grade: spec.grade,
      className: spec.className,
      bindingCode: null,
      guardian: null,
    });
    pupils.push({ id: child.id, name: child.name });
  }
  return pupils;
}

/** The school's leader names the 班主任 of a class. */
export function setClassTeachers(leader: ApiClient, grade: number, className: string, userIds: string[]): Promise<ApiResponse> {
  return leader.request('PUT', '/classes/teachers', { grade, className, userIds });
}

export interface RollCallResult {
  rollCall: RollCallView;
  newAlerts: number;
}

/** Submits a roll call (a fresh idempotency key unless given). */
export function submitRollCall(
  client: ApiClient,
  input: { grade: number; className: string; day: string; marks?: Array<{ childId: string; reason: AbsenceReason }>; clientKey?: string },
): Promise<ApiResponse<RollCallResult>> {
  return client.post<RollCallResult>('/roll-calls', { marks: [], ...input, clientKey: input.clientKey ?? randomUUID() });
}

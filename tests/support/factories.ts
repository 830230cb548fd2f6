import type { Position, Role } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { SessionsService } from '../../server/src/modules/auth/sessions.service';
import { Division, ServedCounty } from '../../server/src/modules/divisions/division.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { api, type ApiClient } from './api';
import type { TestServer } from './server';

/** 罗山县, the neighbouring county: a second served county for scope tests (real NBS codes). */
export const OTHER_COUNTY = {
  code: '411521000000',
  township: '411521100000',
  village: '411521100001',
};

export async function seedOtherCounty(dataSource: DataSource): Promise<{ schoolId: string }> {
  await dataSource.manager.insert(Division, [
    { code: OTHER_COUNTY.code, name: '罗山县', level: 'county', parentCode: '411500000000' },
    { code: OTHER_COUNTY.township, name: '周党镇', level: 'township', parentCode: OTHER_COUNTY.code },
    { code: OTHER_COUNTY.village, name: '周党村民委员会', level: 'village', parentCode: OTHER_COUNTY.township },
  ]);
  await dataSource.manager.insert(ServedCounty, { code: OTHER_COUNTY.code, settings: {} });
  const schoolId = newId();
  await dataSource.manager.insert(School, {
    id: schoolId,
    name: '罗山县周党镇中心小学',
    stage: 'primary',
    code: null,
    countyCode: OTHER_COUNTY.code,
    townshipCode: OTHER_COUNTY.township,
    villageCode: null,
    address: null,
  });
  return { schoolId };
}

export interface UserSpec {
  role: Role;
  position?: Position | null;
  unitDivisionCode?: string | null;
  unitSchoolId?: string | null;
  countyCode?: string | null;
  displayName?: string;
  openid?: string | null;
}

export async function createUser(dataSource: DataSource, spec: UserSpec): Promise<User> {
  const user = dataSource.manager.create(User, {
    id: newId(),
    openid: spec.openid ?? null,
    demoAccount: null,
    role: spec.role,
    displayName: spec.displayName ?? '测试用户',
    position: spec.position ?? null,
    unitDivisionCode: spec.unitDivisionCode ?? null,
    unitSchoolId: spec.unitSchoolId ?? null,
    countyCode: spec.countyCode ?? null,
    disabled: false,
  });
  return dataSource.manager.save(User, user);
}

/** A signed-in client for a user created directly in the database. */
export async function clientFor(server: TestServer, user: User): Promise<ApiClient> {
  const { token } = await server.app.get(SessionsService).issue(user.id);
  return api(server, token);
}

import type { SchoolCalendar } from '@baoxue/shared';
import { SchoolCalendars } from '../../server/src/modules/school-calendar/school-calendars';
import type { TestServer } from './server';

/**
 * A county's school calendar as the server counts school days (its terms and days, the national
 * holidays and 调休): tests that plant absences on "the last N school days" take their days from it,
 * so they hold in a holiday week or a vacation too.
 */
export function countyCalendar(server: TestServer, countyCode = '411522000000'): Promise<SchoolCalendar> {
  return server.app.get(SchoolCalendars).of(server.dataSource.manager, countyCode);
}

import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../server/dist/database/data-source';
import { Child } from '../server/dist/modules/children/child.entity';
import { newId, newReadableCode } from '../server/dist/common/ids';

async function main() {
  const ds = new DataSource(dataSourceOptions({ kind: 'sqlite', file: ':memory:' } as never));
  await ds.initialize();
  const now = new Date();
  const rows = Array.from({ length: 20000 }, (_, i) => ({ id: newId(), name: '王小明', nameKey: '王小明', sex: 'male', idNumber: '411522201503011234', birthDate: '2015-03-01', birthYear: 2015, birthYearExact: true, schoolId: newId(), grade: 3, className: '1班', boarding: false, villageCode: '411522101203', countyCode: '411522000000', studentNumber: `G${i}`, priorityGroups: [], bindingCode: newReadableCode(8), createdAt: now, updatedAt: now }) as unknown as Child);
  for (const chunk of [500, 100, 50, 20]) {
    const t = performance.now();
    for (let i = 0; i < rows.length; i += chunk) ds.createQueryBuilder().insert().into(Child).values(rows.slice(i, i + chunk) as never).updateEntity(false).getQueryAndParameters();
    console.log(chunk, ((performance.now() - t) / rows.length * 1000).toFixed(1), 'µs/row');
  }
  await ds.destroy();
}
main();

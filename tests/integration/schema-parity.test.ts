import { createDataSource } from '../../server/src/database/data-source';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('create exactly the schema the entities describe', async () => {
    const dataSource = await createDataSource(db.config);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('can be reverted and applied again', async () => {
    const dataSource = await createDataSource(db.config);
    await dataSource.initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(true);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});

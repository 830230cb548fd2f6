import type { DataSource, EntityManager } from 'typeorm';

/** Whether the database speaks MySQL's dialect (MySQL or MariaDB) rather than SQLite's. */
export function isMysql(db: EntityManager | DataSource): boolean {
  const type = ('connection' in db ? db.connection : db).driver.options.type;
  return type === 'mysql' || type === 'mariadb';
}

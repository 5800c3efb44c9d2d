import { Kysely, SqliteDialect, SqliteAdapter, PostgresAdapter } from 'kysely';
import SQLite from 'better-sqlite3';
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
console.log(db.getExecutor().adapter instanceof SqliteAdapter, db.getExecutor().adapter instanceof PostgresAdapter);
const s = new SQLite(':memory:'); console.log(s.prepare('select sqlite_version() v').get(), s.prepare("pragma compile_options").all().filter((r:any)=>/MAX_VAR|MAX_SQL/.test(r.compile_options)));

import SQLite from 'better-sqlite3';
const db = new SQLite(process.argv[2]!, { readonly: true });
const sql = `select r.id, r.respondent_id, r.submitted_at, a.item, a.value from responses as r inner join answers as a on a.org_id = r.org_id and a.response_id = r.id where r.org_id = ? and r.perspective = ? and r.respondent_id is not null`;
console.log(db.prepare('explain query plan ' + sql).all('bench', 'leader'));
const st = db.prepare(sql); const t0 = performance.now(); const r = st.all('bench', 'leader'); console.log(performance.now() - t0, r.length);

import SQLite from 'better-sqlite3';
const db = new SQLite(process.argv[2]!, { readonly: true });
const q = (sql: string, ...p: unknown[]) => { const st = db.prepare(sql); st.all(...p); const t0 = performance.now(); let r: any; for (let i = 0; i < 50; i++) r = st.all(...p); console.log(((performance.now() - t0) / 50).toFixed(2), 'ms', r.length, sql.slice(0, 90)); };
q(`select item, value, count as n, segment_key from answer_rollups where org_id = ? and grain = ? and perspective = ?`, 'bench', 's', 'customer');
q(`select count(*) from answer_rollups where org_id = ? and grain = ? and perspective = ?`, 'bench', 's', 'customer');
q(`select month, touchpoint, segment_key, count from answer_rollups where org_id = ? and grain = 'mts' and perspective = ? and item = '*'`, 'bench', 'customer');
console.log(db.prepare(`explain query plan select item, value, count as n, segment_key from answer_rollups where org_id = ? and grain = ? and perspective = ?`).all('bench', 's', 'customer'));
console.log(db.prepare(`explain query plan select month, touchpoint, segment_key, count from answer_rollups where org_id = ? and grain = 'mts' and perspective = ? and item = '*'`).all('bench', 'customer'));

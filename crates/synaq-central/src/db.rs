//! Central's schema, for SQLite (WAL) and for PostgreSQL. One migration a step; never edit a
//! released step. The two lists differ in history (PostgreSQL started at SQLite's sixth step)
//! but not in shape: the same tables and columns, in the same order, with `BIGINT` for
//! SQLite's `INTEGER` and `BYTEA` for `BLOB`, so a backup (a SQLite file) restores into
//! either.

use std::path::Path;
use std::sync::Mutex;

use rusqlite_migration::{Migrations, M};

use crate::pg::Pg;
use crate::sql::{Conn, Db, OptionalExtension as _, SqlError};
use crate::CentralError;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE branches (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE enroll_codes (
            code_hash TEXT PRIMARY KEY,
            branch TEXT NOT NULL REFERENCES branches (code),
            expires INTEGER NOT NULL,
            used_by TEXT
        );
        CREATE TABLE kiosks (
            id TEXT PRIMARY KEY,
            branch TEXT NOT NULL REFERENCES branches (code),
            ed25519 BLOB NOT NULL,
            public_toml TEXT NOT NULL,
            enrolled INTEGER NOT NULL,
            revoked INTEGER,
            rev INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE nonces (
            kiosk TEXT NOT NULL,
            nonce TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (kiosk, nonce)
        ) WITHOUT ROWID;
        CREATE TABLE banks (
            series TEXT NOT NULL,
            version INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            published INTEGER NOT NULL,
            revoked INTEGER,
            rev INTEGER NOT NULL,
            PRIMARY KEY (series, version)
        );
        CREATE TABLE kiosk_banks (
            kiosk TEXT NOT NULL,
            series TEXT NOT NULL,
            version INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            rev INTEGER NOT NULL,
            PRIMARY KEY (kiosk, series, version)
        );
        CREATE TABLE staff (
            branch TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'proctor')),
            active INTEGER NOT NULL,
            rev INTEGER NOT NULL,
            PRIMARY KEY (branch, id)
        );
        CREATE TABLE roster (
            id INTEGER PRIMARY KEY,
            branch TEXT NOT NULL,
            iin TEXT NOT NULL,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            oo_bin TEXT NOT NULL,
            oo_name TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            allowed_from TEXT NOT NULL,
            allowed_to TEXT NOT NULL,
            rev INTEGER NOT NULL
        );
        CREATE INDEX roster_person ON roster (iin, category);
        CREATE TABLE results (
            attempt TEXT PRIMARY KEY,
            kiosk TEXT NOT NULL,
            digest TEXT NOT NULL,
            iin TEXT NOT NULL,
            category TEXT NOT NULL,
            roster_attempt INTEGER NOT NULL,
            oo_bin TEXT NOT NULL,
            passed INTEGER NOT NULL,
            started INTEGER NOT NULL,
            finished INTEGER NOT NULL,
            received INTEGER NOT NULL,
            result TEXT NOT NULL,
            receipt TEXT NOT NULL
        );
        CREATE INDEX results_person ON results (iin, category);
        CREATE TABLE certificates (
            number TEXT PRIMARY KEY,
            attempt TEXT NOT NULL UNIQUE,
            iin TEXT NOT NULL,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            category_kk TEXT NOT NULL,
            category_ru TEXT NOT NULL,
            issued TEXT NOT NULL,
            valid_until TEXT,
            status TEXT NOT NULL,
            branch TEXT NOT NULL,
            rev INTEGER NOT NULL
        );
        CREATE INDEX certificates_branch ON certificates (branch, rev);
        CREATE TABLE oo_stats (
            oo_bin TEXT NOT NULL,
            year INTEGER NOT NULL,
            passed INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            PRIMARY KEY (oo_bin, year)
        );",
        ),
        // 2: completed evidence uploads and their signed receipts (files under evidence/).
        M::up(
            "CREATE TABLE evidence (
            attempt TEXT PRIMARY KEY REFERENCES results (attempt),
            kiosk TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            received INTEGER NOT NULL,
            receipt TEXT NOT NULL
        );",
        ),
        // 3: verdicts (state and hold reasons per result), the review journal, revocations
        // of certificates and kiosks "since", and the enrollment failure counter per address.
        M::up(
            "ALTER TABLE results ADD COLUMN state TEXT NOT NULL DEFAULT 'certified';
        UPDATE results SET state = CASE WHEN passed THEN 'certified' ELSE 'failed' END;
        ALTER TABLE results ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE results ADD COLUMN branch TEXT NOT NULL DEFAULT '';
        ALTER TABLE results ADD COLUMN name TEXT NOT NULL DEFAULT '';
        CREATE INDEX results_state ON results (state);
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            attempt TEXT NOT NULL,
            action TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            reason TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        ALTER TABLE certificates ADD COLUMN revoked_reason TEXT;
        ALTER TABLE kiosks ADD COLUMN held_since TEXT;
        CREATE TABLE enroll_failures (
            ip TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            until INTEGER NOT NULL
        );",
        ),
        // 4: each result's place in its kiosk's chain of results (`chain_seq`, with `digest`
        // what the next result names as its predecessor; `kiosk_chain`: up to where every result of a
        // kiosk has arrived), and its journal run as it came
        // (JSON rows, for the reviewer's timeline).
        M::up(
            "ALTER TABLE results ADD COLUMN chain_seq INTEGER;
        ALTER TABLE results ADD COLUMN journal TEXT;
        CREATE INDEX results_chain ON results (kiosk, chain_seq);
        CREATE TABLE kiosk_chain (
            kiosk TEXT PRIMARY KEY,
            tip INTEGER NOT NULL
        );",
        ),
        // 5: the paper certificate. Each certificate has a short check code printed on the
        // paper (typed on the public page, it shows the holder's name), and its PDF as ЕУМЦ
        // rendered it, the original and the reprint marked as a copy, with their SHA-256 (the
        // kiosk checks what it downloads against the hash in the signed pull). Certificates
        // issued before get a code here and their PDFs when first asked for.
        M::up(
            "ALTER TABLE certificates ADD COLUMN check_code TEXT;
        UPDATE certificates SET check_code = upper(hex(randomblob(3)));
        CREATE TABLE certificate_pdfs (
            number TEXT NOT NULL REFERENCES certificates (number),
            copy INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            pdf BLOB NOT NULL,
            PRIMARY KEY (number, copy)
        );",
        ),
        // 6: ЕУМЦ's settings for every kiosk (the minimum kiosk version).
        M::up("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"),
        // 7: the ЕУМЦ portal: accounts with roles (an ОО's bound to its БИН), sessions (the
        // token's hash and the form token), login failures, the list of training
        // organisations with their status, every portal action journalled, and registrations'
        // payment reference and who made them.
        M::up(
            "CREATE TABLE accounts (
            login TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('oo', 'registrar', 'reviewer', 'analyst', 'admin')),
            oo_bin TEXT,
            password TEXT NOT NULL,
            active INTEGER NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            login TEXT NOT NULL REFERENCES accounts (login),
            csrf TEXT NOT NULL,
            created INTEGER NOT NULL,
            expires INTEGER NOT NULL
        );
        CREATE TABLE login_failures (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            until INTEGER NOT NULL
        );
        CREATE TABLE oos (
            bin TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'excluded')),
            reason TEXT NOT NULL,
            changed INTEGER NOT NULL
        );
        CREATE TABLE portal_journal (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            login TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        ALTER TABLE roster ADD COLUMN payment TEXT NOT NULL DEFAULT '';
        ALTER TABLE roster ADD COLUMN registered_by TEXT NOT NULL DEFAULT '';
        CREATE INDEX roster_oo ON roster (oo_bin, id);",
        ),
        // 8: each training organisation's lecturers, each with the category-6 certificate
        // central found for them.
        M::up(
            "CREATE TABLE lecturers (
            oo_bin TEXT NOT NULL,
            iin TEXT NOT NULL,
            name TEXT NOT NULL,
            certificate TEXT NOT NULL,
            added INTEGER NOT NULL,
            PRIMARY KEY (oo_bin, iin)
        );
        CREATE INDEX certificates_person ON certificates (iin, category);",
        ),
        // 9: a registration an ОО made waits for ЕУМЦ's registrar (payment checked) before
        // kiosks see it; those made before, and by ЕУМЦ itself, are confirmed.
        M::up(
            "ALTER TABLE roster ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX roster_pending ON roster (confirmed, id);",
        ),
    ])
}

/// PostgreSQL's steps (`schema_migrations` records those applied).
const PG_MIGRATIONS: &[&str] = &[
    // 1: SQLite's steps 1 to 6.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
    CREATE TABLE branches (code TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE enroll_codes (
        code_hash TEXT PRIMARY KEY,
        branch TEXT NOT NULL REFERENCES branches (code),
        expires BIGINT NOT NULL,
        used_by TEXT
    );
    CREATE TABLE kiosks (
        id TEXT PRIMARY KEY,
        branch TEXT NOT NULL REFERENCES branches (code),
        ed25519 BYTEA NOT NULL,
        public_toml TEXT NOT NULL,
        enrolled BIGINT NOT NULL,
        revoked BIGINT,
        rev BIGINT NOT NULL DEFAULT 0,
        held_since TEXT
    );
    CREATE TABLE nonces (
        kiosk TEXT NOT NULL,
        nonce TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (kiosk, nonce)
    );
    CREATE TABLE banks (
        series TEXT NOT NULL,
        version BIGINT NOT NULL,
        bytes BYTEA NOT NULL,
        published BIGINT NOT NULL,
        revoked BIGINT,
        rev BIGINT NOT NULL,
        PRIMARY KEY (series, version)
    );
    CREATE TABLE kiosk_banks (
        kiosk TEXT NOT NULL,
        series TEXT NOT NULL,
        version BIGINT NOT NULL,
        bytes BYTEA NOT NULL,
        rev BIGINT NOT NULL,
        PRIMARY KEY (kiosk, series, version)
    );
    CREATE TABLE staff (
        branch TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'proctor')),
        active BIGINT NOT NULL,
        rev BIGINT NOT NULL,
        PRIMARY KEY (branch, id)
    );
    CREATE TABLE roster (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        branch TEXT NOT NULL,
        iin TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        oo_bin TEXT NOT NULL,
        oo_name TEXT NOT NULL,
        attempt BIGINT NOT NULL,
        allowed_from TEXT NOT NULL,
        allowed_to TEXT NOT NULL,
        rev BIGINT NOT NULL
    );
    CREATE INDEX roster_person ON roster (iin, category);
    CREATE INDEX roster_branch ON roster (branch, rev);
    CREATE TABLE results (
        attempt TEXT PRIMARY KEY,
        kiosk TEXT NOT NULL,
        digest TEXT NOT NULL,
        iin TEXT NOT NULL,
        category TEXT NOT NULL,
        roster_attempt BIGINT NOT NULL,
        oo_bin TEXT NOT NULL,
        passed BIGINT NOT NULL,
        started BIGINT NOT NULL,
        finished BIGINT NOT NULL,
        received BIGINT NOT NULL,
        result TEXT NOT NULL,
        receipt TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'certified',
        reasons TEXT NOT NULL DEFAULT '[]',
        branch TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        chain_seq BIGINT,
        journal TEXT
    );
    CREATE INDEX results_person ON results (iin, category);
    CREATE INDEX results_state ON results (state);
    CREATE INDEX results_chain ON results (kiosk, chain_seq);
    CREATE TABLE certificates (
        number TEXT PRIMARY KEY,
        attempt TEXT NOT NULL UNIQUE,
        iin TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        category_kk TEXT NOT NULL,
        category_ru TEXT NOT NULL,
        issued TEXT NOT NULL,
        valid_until TEXT,
        status TEXT NOT NULL,
        branch TEXT NOT NULL,
        rev BIGINT NOT NULL,
        revoked_reason TEXT,
        check_code TEXT
    );
    CREATE INDEX certificates_branch ON certificates (branch, rev);
    CREATE TABLE oo_stats (
        oo_bin TEXT NOT NULL,
        year BIGINT NOT NULL,
        passed BIGINT NOT NULL,
        failed BIGINT NOT NULL,
        PRIMARY KEY (oo_bin, year)
    );
    CREATE TABLE evidence (
        attempt TEXT PRIMARY KEY REFERENCES results (attempt),
        kiosk TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        bytes BIGINT NOT NULL,
        received BIGINT NOT NULL,
        receipt TEXT NOT NULL
    );
    CREATE TABLE reviews (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        attempt TEXT NOT NULL,
        action TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        reason TEXT NOT NULL,
        at BIGINT NOT NULL
    );
    CREATE INDEX reviews_attempt ON reviews (attempt);
    CREATE TABLE enroll_failures (
        ip TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        until BIGINT NOT NULL
    );
    CREATE TABLE kiosk_chain (
        kiosk TEXT PRIMARY KEY,
        tip BIGINT NOT NULL
    );
    CREATE TABLE certificate_pdfs (
        number TEXT NOT NULL REFERENCES certificates (number),
        copy BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        pdf BYTEA NOT NULL,
        PRIMARY KEY (number, copy)
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: SQLite's step 7 (the portal).
    "CREATE TABLE accounts (
        login TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('oo', 'registrar', 'reviewer', 'analyst', 'admin')),
        oo_bin TEXT,
        password TEXT NOT NULL,
        active BIGINT NOT NULL,
        created BIGINT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        login TEXT NOT NULL REFERENCES accounts (login),
        csrf TEXT NOT NULL,
        created BIGINT NOT NULL,
        expires BIGINT NOT NULL
    );
    CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        until BIGINT NOT NULL
    );
    CREATE TABLE oos (
        bin TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'excluded')),
        reason TEXT NOT NULL,
        changed BIGINT NOT NULL
    );
    CREATE TABLE portal_journal (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        login TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    ALTER TABLE roster ADD COLUMN payment TEXT NOT NULL DEFAULT '';
    ALTER TABLE roster ADD COLUMN registered_by TEXT NOT NULL DEFAULT '';
    CREATE INDEX roster_oo ON roster (oo_bin, id);",
    // 3: SQLite's step 8 (lecturers).
    "CREATE TABLE lecturers (
        oo_bin TEXT NOT NULL,
        iin TEXT NOT NULL,
        name TEXT NOT NULL,
        certificate TEXT NOT NULL,
        added BIGINT NOT NULL,
        PRIMARY KEY (oo_bin, iin)
    );
    CREATE INDEX certificates_person ON certificates (iin, category);",
    // 4: SQLite's step 9 (registrations confirmed by ЕУМЦ).
    "ALTER TABLE roster ADD COLUMN confirmed BIGINT NOT NULL DEFAULT 1;
    CREATE INDEX roster_pending ON roster (confirmed, id);",
];

/// Central's tables, parents before children (backup and restore copy them in this order).
pub const TABLES: &[&str] = &[
    "meta",
    "settings",
    "branches",
    "enroll_codes",
    "kiosks",
    "nonces",
    "banks",
    "kiosk_banks",
    "staff",
    "roster",
    "results",
    "certificates",
    "oo_stats",
    "evidence",
    "reviews",
    "enroll_failures",
    "kiosk_chain",
    "certificate_pdfs",
    "accounts",
    "sessions",
    "login_failures",
    "oos",
    "portal_journal",
    "lecturers",
];

/// Opens (creating or migrating) central's SQLite database.
pub fn open(path: &Path) -> Result<Db, CentralError> {
    let mut conn = rusqlite::Connection::open(path).map_err(SqlError::from)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(SqlError::from)?;
    // A receipt is promised only after its commit is on disk.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(SqlError::from)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(SqlError::from)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(SqlError::from)?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|e| CentralError::Db(format!("migrating {}: {e}", path.display())))?;
    Ok(Db::Sqlite(Mutex::new(conn)))
}

/// Connects to central's PostgreSQL database and brings it to the latest step. Processes
/// starting together migrate one after another (under the writers' lock).
pub fn open_postgres(url: &str) -> Result<Db, CentralError> {
    let db = Db::Postgres(Pg::connect(url)?);
    {
        let mut conn = db.conn();
        let tx = conn.transaction()?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)",
        )?;
        let done: i64 = tx.query_row(
            "SELECT CAST(coalesce(max(version), 0) AS BIGINT) FROM schema_migrations",
            (),
            |r| r.get(0),
        )?;
        if done > PG_MIGRATIONS.len() as i64 {
            return Err(CentralError::Db(format!(
                "{} is at schema step {done}, newer than this central's {}: upgrade synaq-central",
                db_identity(&db),
                PG_MIGRATIONS.len()
            )));
        }
        for (i, step) in PG_MIGRATIONS.iter().enumerate().skip(done as usize) {
            tx.execute_batch(step)
                .map_err(|e| SqlError::Migration(format!("step {}: {e}", i + 1)))?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [i as i64 + 1],
            )?;
        }
        tx.commit()?;
    }
    Ok(db)
}

fn db_identity(db: &Db) -> String {
    match db {
        Db::Sqlite(_) => "sqlite".into(),
        Db::Postgres(pg) => pg.identity().to_owned(),
    }
}

/// Copies every row of central's tables from `from` to `to` (a backup's SQLite file to
/// PostgreSQL, or back), parents first; the columns are those of the SQLite side. Returns the
/// rows copied. Run it inside transactions on both sides.
pub fn copy_tables(from: &Conn<'_>, to: &Conn<'_>) -> crate::sql::Result<u64> {
    let sqlite = if from.is_postgres() { to } else { from };
    let mut copied = 0;
    for table in TABLES {
        let columns: Vec<String> = sqlite
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
            .query_map([*table], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let list = columns.join(", ");
        let rows: Vec<crate::sql::Row> = from
            .prepare(&format!("SELECT {list} FROM {table}"))?
            .query_map((), |r| Ok(r.clone()))?
            .collect::<Result<_, _>>()?;
        // Several rows a statement, within both databases' limits on parameters.
        let per = (30_000 / columns.len()).clamp(1, 500);
        for chunk in rows.chunks(per) {
            let mut values = Vec::with_capacity(chunk.len() * columns.len());
            let mut tuples = Vec::with_capacity(chunk.len());
            for row in chunk {
                let first = values.len();
                values.extend(row.0.iter().cloned());
                let marks: Vec<String> = (first + 1..=values.len())
                    .map(|i| format!("?{i}"))
                    .collect();
                tuples.push(format!("({})", marks.join(", ")));
            }
            to.execute(
                &format!("INSERT INTO {table} ({list}) VALUES {}", tuples.join(", ")),
                values,
            )?;
        }
        copied += rows.len() as u64;
    }
    if to.is_postgres() {
        // Rows came with their ids: the next ids follow them.
        for table in ["roster", "reviews", "portal_journal"] {
            to.query_row(
                &format!(
                    "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'),
                        coalesce(max(id), 0) + 1, false) AS BIGINT) FROM {table}"
                ),
                (),
                |_| Ok(()),
            )?;
        }
    }
    Ok(copied)
}

/// Whether every one of central's tables is empty (a database a backup may be restored into).
pub fn is_empty(conn: &Conn<'_>) -> crate::sql::Result<bool> {
    for table in TABLES {
        let any: Option<i64> = conn
            .query_row(&format!("SELECT 1 FROM {table} LIMIT 1"), (), |r| r.get(0))
            .optional()?;
        if any.is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The next value of a named counter (`rev`, `cert-2026`, …).
pub fn next(conn: &Conn<'_>, key: &str) -> crate::sql::Result<i64> {
    conn.query_row(
        "INSERT INTO meta (key, value) VALUES (?1, 1)
         ON CONFLICT (key) DO UPDATE SET value = meta.value + 1 RETURNING value",
        [key],
        |r| r.get(0),
    )
}

/// One of ЕУМЦ's settings, if set.
pub fn setting(conn: &Conn<'_>, key: &str) -> crate::sql::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// The current value of a named counter (0 if never used).
pub fn current(conn: &Conn<'_>, key: &str) -> crate::sql::Result<i64> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}

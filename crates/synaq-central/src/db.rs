//! Central's SQLite schema (WAL). One migration a step; never edit a released step.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _};
use rusqlite_migration::{Migrations, M};

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
    ])
}

/// Opens (creating or migrating) central's database.
pub fn open(path: &Path) -> Result<Connection, CentralError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A receipt is promised only after its commit is on disk.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|e| CentralError::Db(format!("migrating {}: {e}", path.display())))?;
    Ok(conn)
}

/// The next value of a named counter (`rev`, `cert-2026`, …).
pub fn next(conn: &Connection, key: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, 1)
         ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value",
    )?
    .query_row([key], |r| r.get(0))
}

/// One of ЕУМЦ's settings, if set.
pub fn setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// The current value of a named counter (0 if never used).
pub fn current(conn: &Connection, key: &str) -> rusqlite::Result<i64> {
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

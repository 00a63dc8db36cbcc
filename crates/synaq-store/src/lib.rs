//! The kiosk's durable store and exam engine.
//!
//! SQLite in WAL mode with `synchronous=FULL`: a command that records an answer returns only
//! after the answer, the attempt's active time and its journal row are committed together.
//! The engine ([`engine::Engine`]) is the one API the app, the tests and the crash loop use.
#![forbid(unsafe_code)]

pub mod certificate;
pub mod clock;
pub mod engine;
pub mod identity;
pub mod journal;
pub mod outbox;
pub mod result;
pub mod staff;
#[doc(hidden)]
pub mod testing;

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

pub use certificate::StoredCertificate;
pub use clock::{Clock, FakeClock, SystemClock};
pub use engine::{Admission, Engine, ExamBank, StoreError};
pub use result::{IncidentRecord, ResultRecord, SignedResult};

/// The schema, one migration a step. Never edit a released step: add one.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE attempts (
            id TEXT PRIMARY KEY,
            iin TEXT NOT NULL,
            category TEXT NOT NULL,
            proctor TEXT NOT NULL,
            bank_series TEXT NOT NULL,
            bank_version INTEGER NOT NULL,
            paper TEXT NOT NULL,
            state TEXT NOT NULL,
            limit_ms INTEGER NOT NULL,
            active_ms INTEGER NOT NULL,
            started_wall INTEGER NOT NULL,
            finished_wall INTEGER,
            finish_reason TEXT,
            passed INTEGER
        );
        CREATE INDEX attempts_person ON attempts (iin, category);
        CREATE TABLE answers (
            attempt TEXT NOT NULL REFERENCES attempts (id),
            position INTEGER NOT NULL,
            options TEXT NOT NULL,
            flagged INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (attempt, position)
        );
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            attempt TEXT NOT NULL,
            at_wall INTEGER NOT NULL,
            at_active_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE TABLE outbox (
            attempt TEXT PRIMARY KEY REFERENCES attempts (id),
            result TEXT NOT NULL,
            created INTEGER NOT NULL,
            delivered INTEGER
        );",
        ),
        // 2: branch staff (argon2id password hashes) and kiosk settings.
        M::up(
            "CREATE TABLE staff (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'proctor')),
            password_hash TEXT NOT NULL,
            created INTEGER NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );",
        ),
        // 3: what ЕУМЦ answered for each queued result: a signed delivery receipt, or a refusal.
        M::up(
            "CREATE TABLE receipts (
            attempt TEXT PRIMARY KEY REFERENCES outbox (attempt),
            state TEXT NOT NULL CHECK (state IN ('delivered', 'refused')),
            receipt TEXT,
            reason_code TEXT,
            reason TEXT,
            at INTEGER NOT NULL
        );",
        ),
        // 4: ЕУМЦ's signed receipt for each result's sealed evidence (the evidence directory
        // is deleted only after it is stored), and the certificates ЕУМЦ issued (from pull).
        M::up(
            "CREATE TABLE evidence (
            attempt TEXT PRIMARY KEY REFERENCES outbox (attempt),
            receipt TEXT NOT NULL,
            at_ms INTEGER NOT NULL
        );
        CREATE TABLE certificates (
            number TEXT PRIMARY KEY,
            attempt TEXT NOT NULL,
            name TEXT NOT NULL,
            iin_masked TEXT NOT NULL,
            category TEXT NOT NULL,
            issued TEXT NOT NULL,
            valid_until TEXT,
            status TEXT NOT NULL,
            qr TEXT NOT NULL
        );
        CREATE INDEX certificates_attempt ON certificates (attempt);",
        ),
        // 5: the journal is append-only in SQLite itself, and its tip (the last row's number
        // and hash) is kept in a row of its own, moved in the same transaction as every append
        // and only ever one row forward, so deleting the last rows of the chain is detected.
        // A signed result's text cannot be changed either.
        M::up(
            "CREATE TABLE journal_tip (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL
        );
        INSERT INTO journal_tip (id, seq, hash)
            SELECT 1, coalesce(max(seq), 0),
                   coalesce((SELECT hash FROM journal ORDER BY seq DESC LIMIT 1), zeroblob(32))
            FROM journal;
        CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN
            SELECT RAISE(ABORT, 'the journal is append-only: its rows cannot be changed');
        END;
        CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN
            SELECT RAISE(ABORT, 'the journal is append-only: its rows cannot be deleted');
        END;
        CREATE TRIGGER journal_tip_no_delete BEFORE DELETE ON journal_tip
        BEGIN
            SELECT RAISE(ABORT, 'the journal tip cannot be deleted');
        END;
        CREATE TRIGGER journal_tip_forward BEFORE UPDATE ON journal_tip
        WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM journal WHERE seq = NEW.seq AND hash = NEW.hash)
        BEGIN
            SELECT RAISE(ABORT, 'the journal tip only moves to the row appended after it');
        END;
        CREATE TRIGGER outbox_result_fixed BEFORE UPDATE OF attempt, result ON outbox
        BEGIN
            SELECT RAISE(ABORT, 'a signed result cannot be changed');
        END;",
        ),
        // 6: the webcam evidence's segment heads belong to the attempt (space-separated, in
        // segment order, the text the signed result's `evidence_head` carries). Kiosks kept
        // them in a settings key `evidence_heads:<attempt>` before: moved here.
        M::up(
            "ALTER TABLE attempts ADD COLUMN evidence_heads TEXT;
        UPDATE attempts SET evidence_heads =
            (SELECT value FROM settings WHERE key = 'evidence_heads:' || attempts.id);
        DELETE FROM settings WHERE key LIKE 'evidence_heads:%';",
        ),
        // 7: the tip is signed with the kiosk key (`sig`), so that someone with the file but not
        // the key cannot rewrite the open attempt's rows and recompute their hashes. The tip may
        // now also be updated in place to add its signature (same row, same hash).
        M::up(
            "ALTER TABLE journal_tip ADD COLUMN sig BLOB;
        DROP TRIGGER journal_tip_forward;
        CREATE TRIGGER journal_tip_forward BEFORE UPDATE ON journal_tip
        WHEN NEW.id IS NOT OLD.id
            OR NOT ((NEW.seq IS OLD.seq + 1 AND EXISTS (
                        SELECT 1 FROM journal WHERE seq = NEW.seq AND hash = NEW.hash))
                    OR (NEW.seq IS OLD.seq AND NEW.hash IS OLD.hash))
        BEGIN
            SELECT RAISE(ABORT, 'the journal tip only moves to the row appended after it');
        END;",
        ),
        // 8: the certificate's PDF as ЕУМЦ rendered it (the original and the reprint marked as
        // a copy), announced by its SHA-256 in the signed pull and kept only when it matches.
        M::up(
            "ALTER TABLE certificates ADD COLUMN pdf_sha256 TEXT;
        ALTER TABLE certificates ADD COLUMN copy_sha256 TEXT;
        CREATE TABLE certificate_pdfs (
            number TEXT NOT NULL REFERENCES certificates (number),
            copy INTEGER NOT NULL,
            pdf BLOB NOT NULL,
            PRIMARY KEY (number, copy)
        );",
        ),
    ])
}

/// The schema version of the database at `path` before any migration (0 when new).
pub(crate) fn schema_version(path: &Path) -> Result<i64, StoreError> {
    if !path.exists() {
        return Ok(0);
    }
    let conn = Connection::open(path)?;
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// The schema step that began signing the journal's tip.
pub(crate) const SIGNED_TIP_VERSION: i64 = 7;

/// Opens (creating or migrating) the kiosk database with the durability settings.
pub fn open_db(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Checkpoints run when the examinee is idle (Engine::tick), never inside an answer's commit.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|e| StoreError::Db(format!("migrating {}: {e}", path.display())))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// Kiosks before migration 6 kept an attempt's evidence heads in a settings key: an
    /// attempt open across the upgrade keeps them, now in its own row.
    #[test]
    fn evidence_heads_move_from_the_settings_into_the_attempt() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let m = super::migrations();
        m.to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO attempts (id, iin, category, proctor, bank_series, bank_version, paper,
                 state, limit_ms, active_ms, started_wall)
             VALUES ('k-1', '900101300017', 'cat-1', 'p1', 'DEMO', 1, '{}', 'running', 1, 0, 0),
                    ('k-2', '900101300017', 'cat-1', 'p1', 'DEMO', 1, '{}', 'running', 1, 0, 0);
             INSERT INTO settings (key, value) VALUES
                 ('evidence_heads:k-1', '3:ab 1:cd'), ('kiosk_name', 'K');",
        )
        .unwrap();
        m.to_latest(&mut conn).unwrap();
        let heads = |id: &str| -> Option<String> {
            conn.query_row(
                "SELECT evidence_heads FROM attempts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(heads("k-1").as_deref(), Some("3:ab 1:cd"));
        assert_eq!(heads("k-2"), None);
        let keys: Vec<String> = conn
            .prepare("SELECT key FROM settings ORDER BY key")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys, ["kiosk_name"]);
    }
}

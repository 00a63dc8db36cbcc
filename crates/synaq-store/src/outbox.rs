//! Delivery state of the outbox: what ЕУМЦ answered for each signed result.
//!
//! A result is **queued** until central answers. A signed delivery receipt makes it
//! **delivered** (the receipt is kept verbatim, as central signed it, so it can be shown or
//! checked again later); a refusal makes it **refused** with central's reason code and message,
//! and it is no longer pushed until an admin requeues it (e.g. after ЕУМЦ fixed the roster).
//! The receipt is opaque here: `synaq-sync` verifies it before calling
//! [`Engine::mark_delivered`], so this crate does not depend on the protocol.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension as _};

use crate::engine::{Engine, StoreError};
use crate::result::SignedResult;

/// Where one result stands on its way to ЕУМЦ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// In the outbox, not yet answered by central.
    Queued,
    /// Central accepted it and signed a receipt.
    Delivered {
        /// The signed receipt, as central sent it (JSON).
        receipt: String,
        /// When the kiosk stored the receipt (Unix milliseconds).
        at_ms: i64,
    },
    /// Central refused it; it is not pushed again until [`Engine::requeue`].
    Refused {
        /// Central's stable reason code (e.g. `not-on-roster`).
        code: String,
        /// Central's message, for the admin screen.
        reason: String,
        /// When the refusal arrived (Unix milliseconds).
        at_ms: i64,
    },
}

/// One row of the admin's "sync state" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The attempt id.
    pub attempt: String,
    /// When the result was signed (wall clock, Unix milliseconds).
    pub created_ms: i64,
    /// Its delivery state.
    pub delivery: Delivery,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn not_queued(attempt: &str) -> StoreError {
    StoreError::Db(format!(
        "attempt {attempt} is not in this kiosk's outbox: only results finished on this kiosk can be marked"
    ))
}

impl Engine {
    /// Records central's signed receipt for `attempt`. Returns `false` (and keeps the first
    /// receipt) when the result was already delivered: a retried push is harmless.
    pub fn mark_delivered(&self, attempt: &str, receipt: &str) -> Result<bool, StoreError> {
        let tx = self.connection().unchecked_transaction()?;
        let known: Option<Option<i64>> = tx
            .query_row(
                "SELECT delivered FROM outbox WHERE attempt = ?1",
                [attempt],
                |r| r.get(0),
            )
            .optional()?;
        match known {
            None => return Err(not_queued(attempt)),
            Some(Some(_)) => return Ok(false),
            Some(None) => {}
        }
        let at = now_ms();
        tx.execute(
            "INSERT INTO receipts (attempt, state, receipt, at) VALUES (?1, 'delivered', ?2, ?3)
             ON CONFLICT (attempt) DO UPDATE SET state = 'delivered', receipt = excluded.receipt,
                reason_code = NULL, reason = NULL, at = excluded.at",
            params![attempt, receipt, at],
        )?;
        tx.execute(
            "UPDATE outbox SET delivered = ?2 WHERE attempt = ?1",
            params![attempt, at],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Records that central refused `attempt`, with its reason. A delivered result stays
    /// delivered (a late refusal of a retry cannot undo a receipt).
    pub fn mark_refused(&self, attempt: &str, code: &str, reason: &str) -> Result<(), StoreError> {
        let tx = self.connection().unchecked_transaction()?;
        let known: Option<Option<i64>> = tx
            .query_row(
                "SELECT delivered FROM outbox WHERE attempt = ?1",
                [attempt],
                |r| r.get(0),
            )
            .optional()?;
        match known {
            None => return Err(not_queued(attempt)),
            Some(Some(_)) => return Ok(()),
            Some(None) => {}
        }
        tx.execute(
            "INSERT INTO receipts (attempt, state, reason_code, reason, at) VALUES (?1, 'refused', ?2, ?3, ?4)
             ON CONFLICT (attempt) DO UPDATE SET state = 'refused', receipt = NULL,
                reason_code = excluded.reason_code, reason = excluded.reason, at = excluded.at",
            params![attempt, code, reason, now_ms()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts a refused result back in the queue (after ЕУМЦ fixed what it refused for).
    /// Returns `false` when it was not refused.
    pub fn requeue(&self, attempt: &str) -> Result<bool, StoreError> {
        let n = self.connection().execute(
            "DELETE FROM receipts WHERE attempt = ?1 AND state = 'refused'",
            [attempt],
        )?;
        Ok(n > 0)
    }

    /// Results still to push: queued, neither delivered nor refused, oldest first.
    pub fn pending(&self) -> Result<Vec<SignedResult>, StoreError> {
        pending_on(self.connection())
    }

    /// Every result this kiosk signed and its delivery state, oldest first (the admin screen).
    pub fn outbox_status(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.connection().prepare(
            "SELECT o.attempt, o.created, r.state, r.receipt, r.reason_code, r.reason, r.at
             FROM outbox o LEFT JOIN receipts r ON r.attempt = o.attempt
             ORDER BY o.created, o.attempt",
        )?;
        let rows = stmt.query_map([], |r| {
            let state: Option<String> = r.get(2)?;
            let at: Option<i64> = r.get(6)?;
            let delivery = match state.as_deref() {
                Some("delivered") => Delivery::Delivered {
                    receipt: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    at_ms: at.unwrap_or(0),
                },
                Some(_) => Delivery::Refused {
                    code: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    reason: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    at_ms: at.unwrap_or(0),
                },
                None => Delivery::Queued,
            };
            Ok(OutboxEntry {
                attempt: r.get(0)?,
                created_ms: r.get(1)?,
                delivery,
            })
        })?;
        rows.map(|r| r.map_err(StoreError::from)).collect()
    }

    /// The stored receipt for `attempt`, if it was delivered.
    pub fn receipt(&self, attempt: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .query_row(
                "SELECT receipt FROM receipts WHERE attempt = ?1 AND state = 'delivered'",
                [attempt],
                |r| r.get(0),
            )
            .optional()?)
    }
}

fn pending_on(conn: &Connection) -> Result<Vec<SignedResult>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT o.result FROM outbox o LEFT JOIN receipts r ON r.attempt = o.attempt
         WHERE o.delivered IS NULL AND r.attempt IS NULL ORDER BY o.created, o.attempt",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|r| serde_json::from_str(&r?).map_err(|e| StoreError::Db(e.to_string())))
        .collect()
}

/// The results still to push ([`Engine::pending`]), read from the kiosk database file `db`
/// (`kiosk.sqlite3`) without opening the engine: no bank, no key, no recovery, nothing
/// written. For the admin tool's removable-media export, safe while the kiosk app runs.
pub fn pending_in(db: &Path) -> Result<Vec<SignedResult>, StoreError> {
    if !db.is_file() {
        return Err(StoreError::Db(format!(
            "{} does not exist: give the kiosk's data directory",
            db.display()
        )));
    }
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    pending_on(&conn)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use synaq_core::{CategoryId, Iin};

    use super::Delivery;
    use crate::engine::{Engine, FinishReason};
    use crate::{testing, FakeClock};

    fn finished(dir: &std::path::Path, n: usize) -> (Engine, Vec<String>) {
        let bank = testing::demo_bank();
        let mut e = Engine::open(dir, Arc::new(FakeClock::new(1_780_000_000_000)), bank).unwrap();
        let iin = Iin::parse("900101300017").unwrap();
        let cat = CategoryId::new("cat-1").unwrap();
        let mut ids = Vec::new();
        for i in 0..n {
            let id = e
                .admit_with_seed(&iin, &cat, "proctor-1", i as u64)
                .unwrap();
            e.answer(0, BTreeSet::new()).unwrap();
            e.finish(FinishReason::Submitted).unwrap();
            ids.push(id);
        }
        (e, ids)
    }

    #[test]
    fn queued_then_delivered_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (e, ids) = finished(dir.path(), 2);
        assert_eq!(e.pending().unwrap().len(), 2);
        assert!(e.mark_delivered(&ids[0], "{\"r\":1}").unwrap());
        assert!(
            !e.mark_delivered(&ids[0], "{\"r\":2}").unwrap(),
            "first receipt kept"
        );
        assert_eq!(e.receipt(&ids[0]).unwrap().as_deref(), Some("{\"r\":1}"));
        assert_eq!(e.pending().unwrap().len(), 1);
        assert_eq!(e.outbox().unwrap().len(), 1, "Engine::outbox agrees");
        let st = e.outbox_status().unwrap();
        let of = |id: &str| &st.iter().find(|x| x.attempt == id).unwrap().delivery;
        assert!(matches!(of(&ids[0]), Delivery::Delivered { .. }));
        assert_eq!(of(&ids[1]), &Delivery::Queued);
    }

    #[test]
    fn refused_leaves_the_queue_until_requeued() {
        let dir = tempfile::tempdir().unwrap();
        let (e, ids) = finished(dir.path(), 1);
        e.mark_refused(&ids[0], "not-on-roster", "not registered")
            .unwrap();
        assert!(e.pending().unwrap().is_empty());
        assert!(matches!(
            &e.outbox_status().unwrap()[0].delivery,
            Delivery::Refused { code, .. } if code == "not-on-roster"
        ));
        assert!(e.requeue(&ids[0]).unwrap());
        assert_eq!(e.pending().unwrap().len(), 1);
        assert!(e.mark_delivered("nope", "{}").is_err());
    }

    #[test]
    fn pending_reads_from_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (e, ids) = finished(dir.path(), 3);
        e.mark_delivered(&ids[0], "{}").unwrap();
        e.mark_refused(&ids[1], "not-on-roster", "not registered")
            .unwrap();
        let db = dir.path().join("kiosk.sqlite3");
        let read = super::pending_in(&db).unwrap();
        assert_eq!(read, e.pending().unwrap(), "while the engine is open");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].record.attempt_id, ids[2]);
        drop(e);
        assert_eq!(super::pending_in(&db).unwrap().len(), 1, "after it closed");
        assert!(super::pending_in(&dir.path().join("nope.sqlite3")).is_err());
    }
}

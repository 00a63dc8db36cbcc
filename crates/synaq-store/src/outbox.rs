//! Delivery state of the outbox: what ЕУМЦ answered for each signed result.
//!
//! A result is **queued** until central answers. A signed delivery receipt makes it
//! **delivered** (the receipt is kept verbatim, as central signed it, so it can be shown or
//! checked again later); a refusal makes it **refused** with central's reason code and message,
//! and it is no longer pushed until an admin requeues it (e.g. after ЕУМЦ fixed the roster).
//! The receipt is opaque here: `synaq-sync` verifies it before calling
//! [`Engine::mark_delivered`], so this crate does not depend on the protocol.
//!
//! A delivered result whose record carries an `evidence_head` then waits for its sealed
//! evidence to be uploaded: [`EvidenceState::Queued`] until ЕУМЦ's signed evidence receipt is
//! stored with [`Engine::mark_evidence_delivered`] (only then may the kiosk delete the
//! evidence directory).
//!
//! Every operation also exists as a free function over a [`Connection`], so the admin tool can
//! apply a receipts bundle to `kiosk.sqlite3` without opening the engine (no bank needed).
//!
//! Stored results are checked whenever they are read to be handed on: the [`Engine`] methods
//! check each signature with the kiosk's own key; the free functions, which have no key, check
//! it with the key the result names ([`verify_with_key`] checks with a known key). A record
//! changed in the database is refused with [`StoreError::Tampered`] naming its attempt.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
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

/// Where one result's sealed webcam evidence stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceState {
    /// The result has no `evidence_head`: there is no evidence to deliver.
    None,
    /// Evidence waits for upload (before or after the result itself was delivered).
    Queued,
    /// ЕУМЦ signed a receipt for the evidence; the kiosk may delete its copy.
    Delivered {
        /// When the kiosk stored the evidence receipt (Unix milliseconds).
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
    /// Its evidence's delivery state.
    pub evidence: EvidenceState,
    /// The certificate number, once a pull brought the certificate for this attempt.
    pub certificate: Option<String>,
    /// Whose exam it was: the full ИИН (the screen masks it), the category, the score and the
    /// finish, as the signed result says.
    pub iin: String,
    pub category: String,
    pub percent_milli: u32,
    pub passed: bool,
    pub finished_wall_ms: i64,
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

/// Records central's signed receipt for `attempt` (see [`Engine::mark_delivered`]).
pub fn mark_delivered(conn: &Connection, attempt: &str, receipt: &str) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
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

/// Records that central refused `attempt` (see [`Engine::mark_refused`]).
pub fn mark_refused(
    conn: &Connection,
    attempt: &str,
    code: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
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
    let same: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM receipts WHERE attempt = ?1 AND state = 'refused'
               AND reason_code = ?2 AND reason = ?3",
            params![attempt, code, reason],
            |r| r.get(0),
        )
        .optional()?;
    if same.is_some() {
        // The same refusal again (a receipts bundle imported twice): nothing changes.
        return Ok(());
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

/// The result `attempt` as signed, if it is in the outbox (its signature checked with the key
/// it names).
pub fn result_of(conn: &Connection, attempt: &str) -> Result<Option<SignedResult>, StoreError> {
    let json: Option<String> = conn
        .query_row(
            "SELECT result FROM outbox WHERE attempt = ?1",
            [attempt],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| parse_self_signed(attempt, &j)).transpose()
}

/// Records ЕУМЦ's signed evidence receipt for `attempt` (see
/// [`Engine::mark_evidence_delivered`]).
pub fn mark_evidence_delivered(
    conn: &Connection,
    attempt: &str,
    receipt: &str,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let Some(result) = result_of(&tx, attempt)? else {
        return Err(not_queued(attempt));
    };
    if result.record.evidence_head.is_none() {
        return Err(StoreError::Db(format!(
            "the result of attempt {attempt} has no webcam evidence: there is nothing to mark as delivered"
        )));
    }
    let n = tx.execute(
        "INSERT INTO evidence (attempt, receipt, at_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (attempt) DO NOTHING",
        params![attempt, receipt, now_ms()],
    )?;
    tx.commit()?;
    Ok(n == 1)
}

/// The stored evidence receipt for `attempt`, if its evidence was delivered.
pub fn evidence_receipt(conn: &Connection, attempt: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT receipt FROM evidence WHERE attempt = ?1",
            [attempt],
            |r| r.get(0),
        )
        .optional()?)
}

/// Delivered results whose evidence still waits for upload, oldest first (signatures checked
/// with the key each result names).
pub fn evidence_queue(conn: &Connection) -> Result<Vec<SignedResult>, StoreError> {
    let mut out = Vec::new();
    for (attempt, json) in evidence_rows(conn)? {
        let res = parse_self_signed(&attempt, &json)?;
        if res.record.evidence_head.is_some() {
            out.push(res);
        }
    }
    Ok(out)
}

fn evidence_rows(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT o.attempt, o.result FROM outbox o LEFT JOIN evidence e ON e.attempt = o.attempt
         WHERE o.delivered IS NOT NULL AND e.attempt IS NULL ORDER BY o.created, o.attempt",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every result this kiosk signed and its delivery state (see [`Engine::outbox_status`]).
pub fn status(conn: &Connection) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT o.attempt, o.created, r.state, r.receipt, r.reason_code, r.reason, r.at,
                o.result, e.at_ms,
                (SELECT min(c.number) FROM certificates c WHERE c.attempt = o.attempt)
         FROM outbox o LEFT JOIN receipts r ON r.attempt = o.attempt
              LEFT JOIN evidence e ON e.attempt = o.attempt
         ORDER BY o.created, o.attempt",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
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
        let record = parse_result(&r.get::<_, String>(7)?)?.record;
        let has_head = record.evidence_head.is_some();
        let evidence = match (has_head, r.get::<_, Option<i64>>(8)?) {
            (false, _) => EvidenceState::None,
            (true, None) => EvidenceState::Queued,
            (true, Some(at_ms)) => EvidenceState::Delivered { at_ms },
        };
        out.push(OutboxEntry {
            attempt: r.get(0)?,
            created_ms: r.get(1)?,
            delivery,
            evidence,
            certificate: r.get(9)?,
            iin: record.iin,
            category: record.category,
            percent_milli: record.score.percent_milli,
            passed: record.score.passed,
            finished_wall_ms: record.finished_wall_ms,
        });
    }
    Ok(out)
}

fn parse_result(json: &str) -> Result<SignedResult, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Db(format!("a stored result does not parse: {e}")))
}

fn tampered(attempt: &str, what: &str) -> StoreError {
    StoreError::Tampered(format!(
        "the stored result of attempt {attempt} {what}: it was changed after the kiosk signed it"
    ))
}

/// Checks a stored result against the kiosk's Ed25519 key: it must belong to the row's
/// `attempt`, name that key, and carry a valid signature by it.
pub fn verify_with_key(
    attempt: &str,
    result: &SignedResult,
    kiosk_ed25519: &[u8; 32],
) -> Result<(), StoreError> {
    if result.record.attempt_id != attempt {
        return Err(tampered(attempt, "names another attempt"));
    }
    if result.kiosk_ed25519 != B64.encode(kiosk_ed25519) {
        return Err(tampered(attempt, "names another kiosk key"));
    }
    result
        .verify(kiosk_ed25519)
        .map_err(|_| tampered(attempt, "does not match its signature"))
}

/// Parses a stored result and checks it with the kiosk's key ([`verify_with_key`]).
pub(crate) fn parse_signed(
    attempt: &str,
    json: &str,
    kiosk_ed25519: &[u8; 32],
) -> Result<SignedResult, StoreError> {
    let result = serde_json::from_str(json).map_err(|_| tampered(attempt, "does not parse"))?;
    verify_with_key(attempt, &result, kiosk_ed25519)?;
    Ok(result)
}

/// Parses a stored result and checks it with the key it names (no kiosk key at hand).
fn parse_self_signed(attempt: &str, json: &str) -> Result<SignedResult, StoreError> {
    let result: SignedResult =
        serde_json::from_str(json).map_err(|_| tampered(attempt, "does not parse"))?;
    let key: [u8; 32] = B64
        .decode(&result.kiosk_ed25519)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| tampered(attempt, "names no valid kiosk key"))?;
    verify_with_key(attempt, &result, &key)?;
    Ok(result)
}

/// Checks every stored result, delivered or not, with the kiosk's key.
pub(crate) fn verify_all(conn: &Connection, kiosk_ed25519: &[u8; 32]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT attempt, result FROM outbox ORDER BY created, attempt")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        parse_signed(
            &r.get::<_, String>(0)?,
            &r.get::<_, String>(1)?,
            kiosk_ed25519,
        )?;
    }
    Ok(())
}

impl Engine {
    /// Records central's signed receipt for `attempt`. Returns `false` (and keeps the first
    /// receipt) when the result was already delivered: a retried push is harmless.
    pub fn mark_delivered(&self, attempt: &str, receipt: &str) -> Result<bool, StoreError> {
        mark_delivered(self.connection(), attempt, receipt)
    }

    /// Records that central refused `attempt`, with its reason. A delivered result stays
    /// delivered (a late refusal of a retry cannot undo a receipt).
    pub fn mark_refused(&self, attempt: &str, code: &str, reason: &str) -> Result<(), StoreError> {
        mark_refused(self.connection(), attempt, code, reason)
    }

    /// Records ЕУМЦ's signed receipt for `attempt`'s sealed evidence (JSON, verified by the
    /// caller). Returns `false` (and keeps the first receipt) when it was already stored.
    /// Only after this returns may the kiosk delete the evidence directory.
    pub fn mark_evidence_delivered(
        &self,
        attempt: &str,
        receipt: &str,
    ) -> Result<bool, StoreError> {
        mark_evidence_delivered(self.connection(), attempt, receipt)
    }

    /// The stored evidence receipt for `attempt`, if its evidence was delivered.
    pub fn evidence_receipt(&self, attempt: &str) -> Result<Option<String>, StoreError> {
        evidence_receipt(self.connection(), attempt)
    }

    /// Delivered results with an `evidence_head` whose evidence has no receipt yet (each
    /// signature checked with this kiosk's key).
    pub fn evidence_queue(&self) -> Result<Vec<SignedResult>, StoreError> {
        let key = self.kiosk_ed25519();
        let mut out = Vec::new();
        for (attempt, json) in evidence_rows(self.connection())? {
            let res = parse_signed(&attempt, &json, &key)?;
            if res.record.evidence_head.is_some() {
                out.push(res);
            }
        }
        Ok(out)
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

    /// Results still to push: queued, neither delivered nor refused, oldest first (each
    /// signature checked with this kiosk's key).
    pub fn pending(&self) -> Result<Vec<SignedResult>, StoreError> {
        let key = self.kiosk_ed25519();
        pending_rows(self.connection())?
            .into_iter()
            .map(|(attempt, json)| parse_signed(&attempt, &json, &key))
            .collect()
    }

    /// Every result this kiosk signed with its delivery state, its evidence's state and its
    /// certificate number, oldest first (the admin screen).
    pub fn outbox_status(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        status(self.connection())
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

fn pending_rows(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT o.attempt, o.result FROM outbox o LEFT JOIN receipts r ON r.attempt = o.attempt
         WHERE o.delivered IS NULL AND r.attempt IS NULL ORDER BY o.created, o.attempt",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn pending_on(conn: &Connection) -> Result<Vec<SignedResult>, StoreError> {
    pending_rows(conn)?
        .into_iter()
        .map(|(attempt, json)| parse_self_signed(&attempt, &json))
        .collect()
}

/// The results still to push ([`Engine::pending`]), read from the kiosk database file `db`
/// (`kiosk.sqlite3`) without opening the engine: no bank, no key, no recovery, nothing
/// written. For the admin tool's removable-media export, safe while the kiosk app runs.
/// Signatures are checked with the key each result names; check them against the kiosk's
/// own key with [`verify_with_key`].
pub fn pending_in(db: &Path) -> Result<Vec<SignedResult>, StoreError> {
    pending_on(&open_read_only(db)?)
}

/// Pending results on an open connection (see [`pending_in`]; signatures checked with the key
/// each result names).
pub fn pending(conn: &Connection) -> Result<Vec<SignedResult>, StoreError> {
    pending_on(conn)
}

/// Opens the kiosk database file `db` read-only (it must exist).
pub fn open_read_only(db: &Path) -> Result<Connection, StoreError> {
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
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use synaq_core::{CategoryId, Iin};

    use super::{Delivery, EvidenceState};
    use crate::engine::{Engine, FinishReason, StoreError};
    use crate::StoredCertificate;
    use crate::{testing, FakeClock};

    fn finished(dir: &std::path::Path, n: usize) -> (Engine, Vec<String>) {
        let bank = testing::demo_bank();
        let mut e = Engine::open(dir, Arc::new(FakeClock::new(1_780_000_000_000)), bank).unwrap();
        let iin = Iin::parse("900101300017").unwrap();
        let cat = CategoryId::new("cat-1").unwrap();
        let mut ids = Vec::new();
        for i in 0..n {
            let id = e
                .admit(
                    crate::Admission::new(&iin, &cat, "proctor-1")
                        .started()
                        .seed(i as u64),
                )
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
        assert!(
            matches!(e.mark_delivered("nope", "{}"), Err(StoreError::Db(m)) if m.contains("not in this kiosk's outbox"))
        );
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

    #[test]
    fn incidents_are_signed_into_the_result_and_old_results_sign_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let bank = testing::demo_bank();
        let mut e = Engine::open(
            dir.path(),
            Arc::new(FakeClock::new(1_780_000_000_000)),
            bank,
        )
        .unwrap();
        let iin = Iin::parse("900101300017").unwrap();
        let cat = CategoryId::new("cat-1").unwrap();
        e.admit(
            crate::Admission::new(&iin, &cat, "proctor-1")
                .started()
                .seed(1),
        )
        .unwrap();
        e.incident("proctor-1", "phone", "a phone on the desk")
            .unwrap();
        e.incident("camera", "camera-no-face", "frame=ab12")
            .unwrap();
        let signed = e.finish(FinishReason::Submitted).unwrap();
        let inc = &signed.record.incidents;
        assert_eq!(inc.len(), 2);
        assert_eq!(
            (
                inc[0].by.as_str(),
                inc[0].kind.as_str(),
                inc[0].note.as_str()
            ),
            ("proctor-1", "phone", "a phone on the desk")
        );
        assert_eq!(inc[1].kind, "camera-no-face");
        assert_eq!(inc[0].at_ms, 1_780_000_000_000);
        signed.verify(&e.kiosk_ed25519()).unwrap();
        let json = serde_json::to_string(&signed.record).unwrap();
        assert!(json.contains("\"incidents\":[{\"at_ms\""), "{json}");
        // Without incidents the field is left out entirely: the bytes an older kiosk signed.
        let mut plain = signed.record.clone();
        plain.incidents.clear();
        let j = serde_json::to_string(&plain).unwrap();
        assert!(!j.contains("incidents"), "{j}");
        let back: crate::ResultRecord = serde_json::from_str(&j).unwrap();
        assert!(back.incidents.is_empty());
        // Incidents of another attempt do not leak into the next result.
        e.admit(
            crate::Admission::new(&iin, &cat, "proctor-1")
                .started()
                .seed(2),
        )
        .unwrap();
        let next = e.finish(FinishReason::Submitted).unwrap();
        assert!(next.record.incidents.is_empty());
    }

    #[test]
    fn evidence_waits_for_its_receipt_after_the_result() {
        let dir = tempfile::tempdir().unwrap();
        let bank = testing::demo_bank();
        let mut e = Engine::open(
            dir.path(),
            Arc::new(FakeClock::new(1_780_000_000_000)),
            bank,
        )
        .unwrap();
        let iin = Iin::parse("900101300017").unwrap();
        let cat = CategoryId::new("cat-1").unwrap();
        let with = e
            .admit(
                crate::Admission::new(&iin, &cat, "proctor-1")
                    .started()
                    .seed(1),
            )
            .unwrap();
        e.record_evidence_heads([
            format!("3:{}", "ab".repeat(32)),
            format!("1:{}", "cd".repeat(32)),
        ])
        .unwrap();
        e.finish(FinishReason::Submitted).unwrap();
        let without = e
            .admit(
                crate::Admission::new(&iin, &cat, "proctor-1")
                    .started()
                    .seed(2),
            )
            .unwrap();
        e.finish(FinishReason::Submitted).unwrap();
        let state = |e: &Engine, id: &str| {
            e.outbox_status()
                .unwrap()
                .into_iter()
                .find(|x| x.attempt == id)
                .unwrap()
        };
        assert_eq!(state(&e, &with).evidence, EvidenceState::Queued);
        assert_eq!(state(&e, &without).evidence, EvidenceState::None);
        assert!(e.evidence_queue().unwrap().is_empty(), "result first");
        e.mark_delivered(&with, "{}").unwrap();
        e.mark_delivered(&without, "{}").unwrap();
        let q = e.evidence_queue().unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].record.attempt_id, with);
        assert!(e.mark_evidence_delivered(&with, "{\"e\":1}").unwrap());
        assert!(!e.mark_evidence_delivered(&with, "{\"e\":2}").unwrap());
        assert_eq!(
            e.evidence_receipt(&with).unwrap().as_deref(),
            Some("{\"e\":1}")
        );
        assert!(matches!(
            state(&e, &with).evidence,
            EvidenceState::Delivered { .. }
        ));
        assert!(e.evidence_queue().unwrap().is_empty());
        assert!(
            matches!(e.mark_evidence_delivered(&without, "{}"), Err(StoreError::Db(m)) if m.contains("has no webcam evidence")),
            "no evidence to mark"
        );
        assert!(
            matches!(e.mark_evidence_delivered("nope", "{}"), Err(StoreError::Db(m)) if m.contains("not in this kiosk's outbox"))
        );
    }

    #[test]
    fn certificates_are_upserted_and_shown_with_their_attempt() {
        let sha = |b: &[u8]| hex::encode(ring::digest::digest(&ring::digest::SHA256, b));
        let dir = tempfile::tempdir().unwrap();
        let (e, ids) = finished(dir.path(), 2);
        let cert = |status: &str| StoredCertificate {
            number: "KZOT-2026-000007".into(),
            attempt: ids[0].clone(),
            name: "Иван Смирнов".into(),
            iin_masked: "********0017".into(),
            category: "cat-1".into(),
            issued: "2026-05-01".into(),
            valid_until: Some("2029-04-30".into()),
            status: status.into(),
            qr: "https://x/v/KZOT-2026-000007#SQ1.x".into(),
            pdf_sha256: Some(sha(b"%PDF original")),
            copy_sha256: Some(sha(b"%PDF copy")),
        };
        assert_eq!(e.store_certificates(&[cert("valid")]).unwrap(), 1);
        // Its PDFs: announced by hash, kept only when they match.
        use crate::certificate::{missing_pdfs, pdf, store_pdf};
        let conn = e.connection();
        assert_eq!(missing_pdfs(conn).unwrap().len(), 2, "original and copy");
        let err = store_pdf(conn, "KZOT-2026-000007", false, b"%PDF forged").unwrap_err();
        assert!(
            matches!(&err, StoreError::Tampered(m) if m.contains("not the one ЕУМЦ announced")),
            "{err}"
        );
        assert_eq!(pdf(conn, "KZOT-2026-000007", false).unwrap(), None);
        store_pdf(conn, "KZOT-2026-000007", false, b"%PDF original").unwrap();
        store_pdf(conn, "KZOT-2026-000007", true, b"%PDF copy").unwrap();
        assert!(missing_pdfs(conn).unwrap().is_empty());
        assert_eq!(
            e.certificate_pdf("KZOT-2026-000007", true)
                .unwrap()
                .as_deref(),
            Some(&b"%PDF copy"[..])
        );
        e.store_certificates(&[cert("revoked")]).unwrap();
        let all = e.certificates().unwrap();
        assert_eq!(all.len(), 1, "upsert by number");
        assert_eq!(all[0].status, "revoked");
        assert_eq!(
            e.certificate_for(&ids[0]).unwrap().unwrap(),
            cert("revoked")
        );
        let st = e.outbox_status().unwrap();
        let of = |id: &str| {
            st.iter()
                .find(|x| x.attempt == id)
                .unwrap()
                .certificate
                .clone()
        };
        assert_eq!(of(&ids[0]).as_deref(), Some("KZOT-2026-000007"));
        assert_eq!(of(&ids[1]), None);
    }
}

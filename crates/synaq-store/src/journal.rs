//! The append-only, hash-chained journal.
//!
//! Each row's hash is SHA-256 over the previous row's hash and the row's own fields, so
//! editing a row breaks its hash, deleting a row leaves a gap, and reordering rows breaks the
//! chain. Rows are written in the same transaction as the state they describe.
//!
//! The chain's end is anchored twice, so that cutting rows off the end is detected too:
//! - the **tip** (`journal_tip`: the last row's number and hash) is moved in the same
//!   transaction as every append, and [`verify`] compares the walked chain's end with it;
//! - every **signed result** in the outbox names the hash of its attempt's `finished` row,
//!   and [`verify`] finds that row in the chain (the kiosk key, not the file, vouches for it).
//!
//! SQLite itself refuses to change or delete journal rows (triggers, migration 5), and moves
//! the tip only one row forward. Someone with the file can drop the triggers; then the hashes,
//! the tip and the signed results are what give them away.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension as _};
use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Admitted,
    /// The examinee pressed start after the identity and rules screens: the clock starts here
    /// (journals of older kiosks have none: their clock started at the admission).
    Started,
    Shown,
    Answered,
    Flagged,
    Paused,
    Resumed,
    Extended,
    ClockJump,
    Suspended,
    Interrupted,
    Incident,
    Finished,
    /// A staff member printed a certificate (not part of any exam: attempt `""`).
    Printed,
    // Staff actions, none part of an exam (attempt `""`): who did what, for the branch's audit.
    /// First start: the kiosk named and its first admin made.
    SetupDone,
    /// An admin gave someone an account on this kiosk.
    StaffAdded,
    /// An admin disabled an account.
    StaffDisabled,
    /// An admin enabled an account again.
    StaffEnabled,
    /// An admin set a new password for an account.
    PasswordReset,
    /// A bank was checked and put to use (from removable media or a pull).
    BankImported,
    /// A roster was checked and put to use.
    RosterImported,
    /// A file from removable media was refused (with the reason's code).
    ImportRefused,
    /// The admin saved the kiosk's settings.
    SettingsSaved,
    /// A sync with ЕУМЦ started.
    SyncStarted,
    /// A sync with ЕУМЦ ended (what it delivered and pulled, or why not).
    SyncFinished,
    /// Something was written to removable media (the journal, results for ЕУМЦ, a request).
    Exported,
    /// ЕУМЦ's receipts were read from removable media.
    ReceiptsImported,
    /// The kiosk was enrolled with ЕУМЦ.
    Enrolled,
    /// An admin let the kiosk close (shut down).
    ExitAllowed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Admitted => "admitted",
            Kind::Started => "started",
            Kind::Shown => "shown",
            Kind::Answered => "answered",
            Kind::Flagged => "flagged",
            Kind::Paused => "paused",
            Kind::Resumed => "resumed",
            Kind::Extended => "extended",
            Kind::ClockJump => "clock_jump",
            Kind::Suspended => "suspended",
            Kind::Interrupted => "interrupted",
            Kind::Incident => "incident",
            Kind::Finished => "finished",
            Kind::Printed => "printed",
            Kind::SetupDone => "setup_done",
            Kind::StaffAdded => "staff_added",
            Kind::StaffDisabled => "staff_disabled",
            Kind::StaffEnabled => "staff_enabled",
            Kind::PasswordReset => "password_reset",
            Kind::BankImported => "bank_imported",
            Kind::RosterImported => "roster_imported",
            Kind::ImportRefused => "import_refused",
            Kind::SettingsSaved => "settings_saved",
            Kind::SyncStarted => "sync_started",
            Kind::SyncFinished => "sync_finished",
            Kind::Exported => "exported",
            Kind::ReceiptsImported => "receipts_imported",
            Kind::Enrolled => "enrolled",
            Kind::ExitAllowed => "exit_allowed",
        }
    }

    /// Every kind, in the order the admin's filter lists them.
    pub const ALL: [Kind; 28] = [
        Kind::Admitted,
        Kind::Shown,
        Kind::Answered,
        Kind::Flagged,
        Kind::Paused,
        Kind::Resumed,
        Kind::Extended,
        Kind::ClockJump,
        Kind::Suspended,
        Kind::Interrupted,
        Kind::Incident,
        Kind::Finished,
        Kind::Printed,
        Kind::SetupDone,
        Kind::StaffAdded,
        Kind::StaffDisabled,
        Kind::StaffEnabled,
        Kind::PasswordReset,
        Kind::BankImported,
        Kind::RosterImported,
        Kind::ImportRefused,
        Kind::SettingsSaved,
        Kind::SyncStarted,
        Kind::SyncFinished,
        Kind::Exported,
        Kind::ReceiptsImported,
        Kind::Enrolled,
        Kind::ExitAllowed,
    ];

    /// Whether rows of this kind are staff actions outside any exam (attempt `""`).
    pub fn is_staff_action(self) -> bool {
        !matches!(
            self,
            Kind::Admitted
                | Kind::Shown
                | Kind::Answered
                | Kind::Flagged
                | Kind::Paused
                | Kind::Resumed
                | Kind::Extended
                | Kind::ClockJump
                | Kind::Suspended
                | Kind::Interrupted
                | Kind::Incident
                | Kind::Finished
        )
    }
}

/// The chain's end: the last row's number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Head {
    pub fn genesis() -> Head {
        Head {
            seq: 0,
            hash: [0; 32],
        }
    }

    pub fn hex(&self) -> String {
        hex::encode(self.hash)
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TamperError {
    #[error("journal row {0} is missing (deleted)")]
    Missing(i64),
    #[error("journal row {0} does not follow the row before it (reordered or replaced)")]
    Broken(i64),
    #[error("journal row {0} was changed after it was written")]
    Edited(i64),
    /// The chain ends before the recorded tip: its last rows were deleted.
    #[error("the journal ends at row {last} but its tip is row {tip}: the last rows were deleted")]
    Truncated { last: i64, tip: i64 },
    /// The chain does not end where the recorded tip says (rows added behind its back, or the
    /// tip was changed).
    #[error("the journal ends at row {last}, which is not its recorded tip (row {tip}): rows were added or the tip was changed")]
    TipMismatch { last: i64, tip: i64 },
    /// The recorded tip is gone.
    #[error("the journal's tip record is missing (deleted)")]
    TipMissing,
    /// A signed result names a journal head that is not its attempt's `finished` row.
    #[error("the signed result of attempt {0} names a journal row that is not in the journal (rows were deleted or replaced)")]
    ResultNotInJournal(String),
    /// The journal records a finished attempt whose signed result is not in the outbox.
    #[error("attempt {0} finished (journal row {1}) but its signed result is missing from the outbox (deleted)")]
    ResultMissing(String, i64),
    /// A stored result cannot be read.
    #[error("the stored result of attempt {0} cannot be read: it was changed")]
    ResultUnreadable(String),
}

/// The row hash the chain uses: the same function central checks journals with.
use synaq_wire::journal::row_hash as hash;

fn head_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Head> {
    let hash: Vec<u8> = r.get(1)?;
    Ok(Head {
        seq: r.get(0)?,
        hash: hash.try_into().unwrap_or([0; 32]),
    })
}

/// The recorded tip, if its row exists.
pub fn tip(conn: &Connection) -> rusqlite::Result<Option<Head>> {
    conn.query_row(
        "SELECT seq, hash FROM journal_tip WHERE id = 1",
        [],
        head_of,
    )
    .optional()
}

fn tip_message(head: &Head) -> Vec<u8> {
    let mut m = b"synaq journal tip v1\0".to_vec();
    m.extend_from_slice(&head.seq.to_be_bytes());
    m.extend_from_slice(&head.hash);
    m
}

/// Signs the tip (`head`, just appended) with the kiosk key. Call in the append's transaction.
pub fn sign_tip(
    conn: &Connection,
    key: &synaq_seal::KioskSecret,
    head: &Head,
) -> rusqlite::Result<()> {
    let sig = key.ed25519().sign(&tip_message(head));
    conn.execute(
        "UPDATE journal_tip SET sig = ?1 WHERE id = 1 AND seq = ?2",
        params![sig.as_ref(), head.seq],
    )?;
    Ok(())
}

/// Whether the tip is signed by the kiosk key: `Some(true)` valid, `Some(false)` signed by
/// someone else or changed, `None` not signed (no tip, or a tip from before signing began).
pub fn tip_signed_by(
    conn: &Connection,
    kiosk_ed25519: &[u8; 32],
) -> rusqlite::Result<Option<bool>> {
    let row: Option<(i64, Vec<u8>, Option<Vec<u8>>)> = conn
        .query_row(
            "SELECT seq, hash, sig FROM journal_tip WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((seq, hash, Some(sig))) = row else {
        return Ok(None);
    };
    let head = Head {
        seq,
        hash: hash.try_into().unwrap_or([0; 32]),
    };
    let key = ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, kiosk_ed25519);
    Ok(Some(key.verify(&tip_message(&head), &sig).is_ok()))
}

/// The current head: the recorded tip (the last row, when the tip record is gone).
///
/// New rows follow the tip, not the last row left in the table: after the last rows were cut
/// off, the next row leaves a gap [`verify`] reports, instead of quietly closing it.
pub fn head(conn: &Connection) -> rusqlite::Result<Head> {
    if let Some(tip) = tip(conn)? {
        return Ok(tip);
    }
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            head_of,
        )
        .optional()?
        .unwrap_or_else(Head::genesis))
}

/// Appends one row after `prev` and returns the new head. Call inside a transaction.
pub fn append(
    conn: &Connection,
    prev: &Head,
    attempt: &str,
    wall: i64,
    active_ms: u64,
    kind: Kind,
    data: &serde_json::Value,
) -> rusqlite::Result<Head> {
    let seq = prev.seq + 1;
    let data = data.to_string();
    let active = active_ms as i64;
    let h = hash(&prev.hash, seq, attempt, wall, active, kind.as_str(), &data);
    conn.execute(
        "INSERT INTO journal (seq, attempt, at_wall, at_active_ms, kind, data, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            attempt,
            wall,
            active,
            kind.as_str(),
            data,
            &prev.hash[..],
            &h[..]
        ],
    )?;
    conn.execute(
        "INSERT INTO journal_tip (id, seq, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![seq, &h[..]],
    )?;
    Ok(Head { seq, hash: h })
}

/// The journal head each stored result was signed with, by attempt.
fn result_heads(conn: &Connection) -> Result<HashMap<String, String>, VerifyError> {
    let mut stmt = conn.prepare("SELECT attempt, result FROM outbox")?;
    let mut rows = stmt.query([])?;
    let mut heads = HashMap::new();
    while let Some(r) = rows.next()? {
        let attempt: String = r.get(0)?;
        let json: String = r.get(1)?;
        let head = serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| {
                let rec = v.get("record")?;
                (rec.get("attempt_id")?.as_str()? == attempt)
                    .then(|| rec.get("journal_head")?.as_str().map(str::to_owned))?
            });
        match head {
            Some(h) => heads.insert(attempt, h),
            None => return Err(TamperError::ResultUnreadable(attempt).into()),
        };
    }
    Ok(heads)
}

/// Walks the whole chain; returns its head, or where it breaks.
///
/// Besides each row's hash and link: the chain must end at the recorded tip, and every signed
/// result in the outbox must name its attempt's `finished` row (and every `finished` row must
/// have its result). The result's signature itself is checked by the engine, which holds the
/// kiosk key ([`crate::Engine::verify_journal`]).
pub fn verify(conn: &Connection) -> Result<Head, VerifyError> {
    // One snapshot for the outbox, the rows and the tip, whatever other connections write.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut results = result_heads(conn)?;
    let mut stmt = conn.prepare(
        "SELECT seq, attempt, at_wall, at_active_ms, kind, data, prev_hash, hash FROM journal ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut head = Head::genesis();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let prev: Vec<u8> = r.get(6)?;
        let stored: Vec<u8> = r.get(7)?;
        if seq != head.seq + 1 {
            return Err(TamperError::Missing(head.seq + 1).into());
        }
        if prev != head.hash {
            return Err(TamperError::Broken(seq).into());
        }
        let attempt: String = r.get(1)?;
        let kind: String = r.get(4)?;
        let h = hash(
            &head.hash,
            seq,
            &attempt,
            r.get(2)?,
            r.get(3)?,
            &kind,
            &r.get::<_, String>(5)?,
        );
        if stored != h {
            return Err(TamperError::Edited(seq).into());
        }
        if kind == Kind::Finished.as_str() {
            match results.remove(&attempt) {
                Some(signed) if signed == hex::encode(h) => {}
                Some(_) => return Err(TamperError::ResultNotInJournal(attempt).into()),
                None => return Err(TamperError::ResultMissing(attempt, seq).into()),
            }
        }
        head = Head { seq, hash: h };
    }
    match tip(conn)? {
        None => return Err(TamperError::TipMissing.into()),
        Some(tip) if tip.seq > head.seq => {
            return Err(TamperError::Truncated {
                last: head.seq,
                tip: tip.seq,
            }
            .into())
        }
        Some(tip) if tip != head => {
            return Err(TamperError::TipMismatch {
                last: head.seq,
                tip: tip.seq,
            }
            .into())
        }
        Some(_) => {}
    }
    if let Some(attempt) = results.into_keys().min() {
        return Err(TamperError::ResultNotInJournal(attempt).into());
    }
    Ok(head)
}

/// A journal row as the audit view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub seq: i64,
    pub attempt: String,
    pub at_wall: i64,
    pub kind: String,
    pub data: String,
}

/// The newest `limit` rows, optionally only of `kind`, newest first.
pub fn rows(conn: &Connection, kind: Option<&str>, limit: u32) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT seq, attempt, at_wall, kind, data FROM journal
         WHERE ?1 IS NULL OR kind = ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![kind, limit], |r| {
        Ok(Row {
            seq: r.get(0)?,
            attempt: r.get(1)?,
            at_wall: r.get(2)?,
            kind: r.get(3)?,
            data: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The rows that travel with an attempt's result: every row from the attempt's first row to
/// its last, in chain order, exactly as hashed (central checks and replays them).
pub fn run_of(conn: &Connection, attempt: &str) -> rusqlite::Result<Vec<synaq_wire::JournalRow>> {
    wire_rows(
        conn,
        "SELECT seq, attempt, at_wall, at_active_ms, kind, data, prev_hash, hash FROM journal
         WHERE seq BETWEEN (SELECT min(seq) FROM journal WHERE attempt = ?1)
                       AND (SELECT max(seq) FROM journal WHERE attempt = ?1)
         ORDER BY seq",
        [attempt],
    )
}

/// Every row after row `seq`, in chain order, exactly as hashed.
pub fn rows_after(conn: &Connection, seq: i64) -> rusqlite::Result<Vec<synaq_wire::JournalRow>> {
    wire_rows(
        conn,
        "SELECT seq, attempt, at_wall, at_active_ms, kind, data, prev_hash, hash FROM journal
         WHERE seq > ?1 ORDER BY seq",
        [seq],
    )
}

fn wire_rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<synaq_wire::JournalRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok(synaq_wire::JournalRow {
            seq: r.get(0)?,
            attempt: r.get(1)?,
            at_wall: r.get(2)?,
            at_active_ms: r.get(3)?,
            kind: r.get(4)?,
            data: r.get(5)?,
            prev_hash: hex::encode(r.get::<_, Vec<u8>>(6)?),
            hash: hex::encode(r.get::<_, Vec<u8>>(7)?),
        })
    })?;
    rows.collect()
}

/// Verification failed: tampering, or the database could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    #[error(transparent)]
    Tampered(#[from] TamperError),
    #[error("cannot read the journal: {0}")]
    Db(#[from] rusqlite::Error),
}

//! The append-only, hash-chained journal.
//!
//! Each row's hash is SHA-256 over the previous row's hash and the row's own fields, so
//! editing a row breaks its hash, deleting a row leaves a gap, and reordering rows breaks the
//! chain. Rows are written in the same transaction as the state they describe.

use ring::digest::{Context, SHA256};
use rusqlite::{params, Connection, OptionalExtension as _};
use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Admitted,
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
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Admitted => "admitted",
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
        }
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
}

fn hash(
    prev: &[u8; 32],
    seq: i64,
    attempt: &str,
    wall: i64,
    active: i64,
    kind: &str,
    data: &str,
) -> [u8; 32] {
    let mut c = Context::new(&SHA256);
    c.update(b"synaq journal v1\0");
    c.update(prev);
    c.update(&seq.to_be_bytes());
    for field in [attempt, kind, data] {
        c.update(&(field.len() as u64).to_be_bytes());
        c.update(field.as_bytes());
    }
    c.update(&wall.to_be_bytes());
    c.update(&active.to_be_bytes());
    c.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// The current head, read from the last row.
pub fn head(conn: &Connection) -> rusqlite::Result<Head> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                let hash: Vec<u8> = r.get(1)?;
                Ok(Head {
                    seq: r.get(0)?,
                    hash: hash.try_into().unwrap_or([0; 32]),
                })
            },
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
    Ok(Head { seq, hash: h })
}

/// Walks the whole chain; returns its head, or where it breaks.
pub fn verify(conn: &Connection) -> Result<Head, VerifyError> {
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
        let h = hash(
            &head.hash,
            seq,
            &r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
        );
        if stored != h {
            return Err(TamperError::Edited(seq).into());
        }
        head = Head { seq, hash: h };
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

/// Verification failed: tampering, or the database could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    #[error(transparent)]
    Tampered(#[from] TamperError),
    #[error("cannot read the journal: {0}")]
    Db(#[from] rusqlite::Error),
}

//! Certificates ЕУМЦ issued for this branch's examinees (they arrive with a pull), kept on the
//! kiosk for the paper copy and the admin's list. The row type is defined here so the store
//! does not depend on the protocol; `synaq-sync` converts its `CertificateInfo` into it.

use rusqlite::{params, Connection, OptionalExtension as _};

use crate::engine::{Engine, StoreError};

/// A certificate as the kiosk keeps it (no full ИИН).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// `KZOT-YYYY-NNNNNN`.
    pub number: String,
    /// The attempt it was issued for.
    pub attempt: String,
    /// The holder's full name.
    pub name: String,
    /// `********1234`.
    pub iin_masked: String,
    /// Category id.
    pub category: String,
    /// Issue date, `YYYY-MM-DD`.
    pub issued: String,
    /// Last valid day, `YYYY-MM-DD`, or none (no expiry).
    pub valid_until: Option<String>,
    /// `valid` or `revoked`.
    pub status: String,
    /// The QR text for the paper copy.
    pub qr: String,
}

/// Inserts or updates certificates by number (a later pull may revoke one). Returns how many
/// rows were written.
pub fn store(conn: &Connection, certs: &[StoredCertificate]) -> Result<usize, StoreError> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO certificates (number, attempt, name, iin_masked, category, issued,
                valid_until, status, qr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (number) DO UPDATE SET attempt = excluded.attempt, name = excluded.name,
                iin_masked = excluded.iin_masked, category = excluded.category,
                issued = excluded.issued, valid_until = excluded.valid_until,
                status = excluded.status, qr = excluded.qr",
        )?;
        for c in certs {
            stmt.execute(params![
                c.number,
                c.attempt,
                c.name,
                c.iin_masked,
                c.category,
                c.issued,
                c.valid_until,
                c.status,
                c.qr
            ])?;
        }
    }
    tx.commit()?;
    Ok(certs.len())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCertificate> {
    Ok(StoredCertificate {
        number: r.get(0)?,
        attempt: r.get(1)?,
        name: r.get(2)?,
        iin_masked: r.get(3)?,
        category: r.get(4)?,
        issued: r.get(5)?,
        valid_until: r.get(6)?,
        status: r.get(7)?,
        qr: r.get(8)?,
    })
}

const COLUMNS: &str =
    "number, attempt, name, iin_masked, category, issued, valid_until, status, qr";

/// The certificate issued for `attempt`, if the kiosk has it.
pub fn for_attempt(
    conn: &Connection,
    attempt: &str,
) -> Result<Option<StoredCertificate>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM certificates WHERE attempt = ?1 ORDER BY number LIMIT 1"
            ),
            [attempt],
            from_row,
        )
        .optional()?)
}

/// Every stored certificate, by number.
pub fn all(conn: &Connection) -> Result<Vec<StoredCertificate>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM certificates ORDER BY number"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|r| r.map_err(StoreError::from)).collect()
}

impl Engine {
    /// Stores certificates from a pull (upsert by number). Returns how many were written.
    pub fn store_certificates(&self, certs: &[StoredCertificate]) -> Result<usize, StoreError> {
        store(self.connection(), certs)
    }

    /// The certificate issued for `attempt`, if it came with a pull.
    pub fn certificate_for(&self, attempt: &str) -> Result<Option<StoredCertificate>, StoreError> {
        for_attempt(self.connection(), attempt)
    }

    /// Every certificate the kiosk has, by number.
    pub fn certificates(&self) -> Result<Vec<StoredCertificate>, StoreError> {
        all(self.connection())
    }
}

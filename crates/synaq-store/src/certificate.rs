//! Certificates ЕУМЦ issued for this branch's examinees (they arrive with a pull), kept on the
//! kiosk for the paper copy and the admin's list. The row type is defined here so the store
//! does not depend on the protocol; `synaq-sync` converts its `CertificateInfo` into it.

use rusqlite::{params, Connection, OptionalExtension as _};

use crate::engine::{Engine, StoreError};

/// A certificate as the kiosk keeps it (no full ИИН).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// `KZOT-YYYY-XXXX-XXXX`.
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
    /// SHA-256 (hex) of the PDF ЕУМЦ announced for it, if any.
    pub pdf_sha256: Option<String>,
    /// SHA-256 (hex) of the reprint's PDF.
    pub copy_sha256: Option<String>,
}

/// A certificate PDF the kiosk should have and does not: what to download and what it must
/// hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingPdf {
    /// The certificate.
    pub number: String,
    /// The reprint rather than the original.
    pub copy: bool,
    /// The SHA-256 (hex) the signed pull announced.
    pub sha256: String,
}

/// Inserts or updates certificates by number (a later pull may revoke one). Returns how many
/// rows were written.
pub fn store(conn: &Connection, certs: &[StoredCertificate]) -> Result<usize, StoreError> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO certificates (number, attempt, name, iin_masked, category, issued,
                valid_until, status, qr, pdf_sha256, copy_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (number) DO UPDATE SET attempt = excluded.attempt, name = excluded.name,
                iin_masked = excluded.iin_masked, category = excluded.category,
                issued = excluded.issued, valid_until = excluded.valid_until,
                status = excluded.status, qr = excluded.qr,
                pdf_sha256 = coalesce(excluded.pdf_sha256, pdf_sha256),
                copy_sha256 = coalesce(excluded.copy_sha256, copy_sha256)",
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
                c.qr,
                c.pdf_sha256,
                c.copy_sha256
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
        pdf_sha256: r.get(9)?,
        copy_sha256: r.get(10)?,
    })
}

const COLUMNS: &str = "number, attempt, name, iin_masked, category, issued, valid_until, status,
    qr, pdf_sha256, copy_sha256";

/// The PDFs announced for valid certificates that the kiosk has not downloaded yet.
pub fn missing_pdfs(conn: &Connection) -> Result<Vec<MissingPdf>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT number, 0, pdf_sha256 FROM certificates c WHERE status = 'valid'
            AND pdf_sha256 IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM certificate_pdfs p WHERE p.number = c.number AND p.copy = 0)
         UNION ALL
         SELECT number, 1, copy_sha256 FROM certificates c WHERE status = 'valid'
            AND copy_sha256 IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM certificate_pdfs p WHERE p.number = c.number AND p.copy = 1)
         ORDER BY 1, 2",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MissingPdf {
            number: r.get(0)?,
            copy: r.get(1)?,
            sha256: r.get(2)?,
        })
    })?;
    rows.map(|r| r.map_err(StoreError::from)).collect()
}

/// Keeps a downloaded PDF, when it hashes to what the pull announced for it.
pub fn store_pdf(
    conn: &Connection,
    number: &str,
    copy: bool,
    pdf: &[u8],
) -> Result<(), StoreError> {
    let column = if copy { "copy_sha256" } else { "pdf_sha256" };
    let announced: Option<String> = conn
        .query_row(
            &format!("SELECT {column} FROM certificates WHERE number = ?1"),
            [number],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let actual = hex::encode(ring::digest::digest(&ring::digest::SHA256, pdf));
    if announced.as_deref() != Some(actual.as_str()) {
        return Err(StoreError::Tampered(format!(
            "the PDF received for certificate {number} is not the one ЕУМЦ announced; it was not kept"
        )));
    }
    conn.execute(
        "INSERT INTO certificate_pdfs (number, copy, pdf) VALUES (?1, ?2, ?3)
         ON CONFLICT (number, copy) DO UPDATE SET pdf = excluded.pdf",
        params![number, copy, pdf],
    )?;
    Ok(())
}

/// The stored PDF of certificate `number` (`copy`: the reprint).
pub fn pdf(conn: &Connection, number: &str, copy: bool) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT pdf FROM certificate_pdfs WHERE number = ?1 AND copy = ?2",
            params![number, copy],
            |r| r.get(0),
        )
        .optional()?)
}

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

    /// How many times certificate `number` was sent to a printer here (journalled prints).
    pub fn prints_of(&self, number: &str) -> Result<u32, StoreError> {
        Ok(self.connection().query_row(
            "SELECT count(*) FROM journal WHERE kind = 'printed' AND attempt = ''
                AND json_extract(data, '$.number') = ?1",
            [number],
            |r| r.get(0),
        )?)
    }

    /// Journals that `staff` sent certificate `number` (`copy`: the reprint) to `printer`,
    /// queued as CUPS job `job`.
    pub fn record_print(
        &mut self,
        staff: &str,
        number: &str,
        copy: bool,
        printer: &str,
        job: &str,
    ) -> Result<(), StoreError> {
        self.journal_staff_action(
            crate::journal::Kind::Printed,
            &serde_json::json!({
                "staff": staff,
                "number": number,
                "copy": copy,
                "printer": printer,
                "job": job,
            }),
        )
    }

    /// The stored PDF of certificate `number` (`copy`: the reprint).
    pub fn certificate_pdf(&self, number: &str, copy: bool) -> Result<Option<Vec<u8>>, StoreError> {
        pdf(self.connection(), number, copy)
    }
}

//! The certificate as a document: its number and check code, its PDF (the original and the
//! reprint marked as a copy), who may have them, and the public check's per-address limit.
//!
//! - Numbers are `KZOT-YYYY-XXXX-XXXX`: eight random Crockford base-32 characters (40 bits),
//!   so counting through numbers finds nothing.
//! - The check code (`XXXX-XX`, 30 bits) is printed on the paper; typed on the public page it
//!   shows the holder's name. Without it (or the QR's signed token, checked in the browser)
//!   the page shows only the status.
//! - PDFs are rendered by `synaq-paper` when first needed (a pull, a kiosk's or a staff
//!   member's request), never during ingest, and kept with their SHA-256: the pull carries the
//!   hashes, signed, so a kiosk keeps only the bytes ЕУМЦ made.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::sql::{params, Conn, OptionalExtension as _};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::rand::{SecureRandom as _, SystemRandom};
use synaq_core::{time, CategoryId, Iin, Lang};
use synaq_paper::{Bilingual, CertificateDoc, Paper};
use synaq_sync::proto::{CertificateInfo, CertificatePdf, CertificatePdfRequest};
use synaq_sync::qr;
use synaq_wire::SignedResult;

use crate::ingest::Refusal;
use crate::pull::CERT_COLUMNS;
use crate::{Central, CentralError};

/// Crockford's base 32: no I, L, O, U, so nothing reads as another character.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_chars(n: usize) -> Result<String, CentralError> {
    let mut bytes = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| CentralError::Invalid("the system's random source failed".into()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A fresh certificate number for `year`: `KZOT-2026-7QK4-M2XD`.
pub(crate) fn new_number(year: i32) -> Result<String, CentralError> {
    let r = random_chars(8)?;
    Ok(format!("KZOT-{year}-{}-{}", &r[..4], &r[4..]))
}

/// A fresh check code: `7QK4-M2`.
pub(crate) fn new_check_code() -> Result<String, CentralError> {
    let r = random_chars(6)?;
    Ok(format!("{}-{}", &r[..4], &r[4..]))
}

/// A check code as typed, in its canonical form: upper case, no dashes or spaces, and the
/// letters people mistake for digits read as those digits (O → 0, I and L → 1).
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// Whether `typed` is the stored check code (compared in constant time).
fn code_matches(stored: &str, typed: &str) -> bool {
    let (a, b) = (normalise_code(stored), normalise_code(typed));
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// How many `/v/` pages one address may load per minute.
pub const VERIFY_PER_MINUTE: u32 = 30;

/// A fixed-window counter per client address.
#[derive(Debug, Default)]
pub struct RateLimit {
    seen: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

impl RateLimit {
    /// Counts one request from `ip` at `now` (Unix seconds); `false` once the address made
    /// [`VERIFY_PER_MINUTE`] requests in the current minute.
    pub fn allow(&self, ip: IpAddr, now: i64) -> bool {
        let window = now.div_euclid(60);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, (w, _)| *w == window);
        }
        let entry = seen.entry(ip).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        entry.1 <= VERIFY_PER_MINUTE
    }
}

/// What the public page may show for a number.
#[derive(Debug, Clone)]
pub struct PublicCheck {
    /// The certificate (the page shows its name only when `code_ok`).
    pub cert: CertificateInfo,
    /// The check code given matched the one printed on the paper.
    pub code_ok: bool,
}

impl Central {
    fn paper(&self) -> Result<&Paper, CentralError> {
        if let Some(p) = self.paper.get() {
            return Ok(p);
        }
        let p =
            Paper::new().map_err(|e| CentralError::Invalid(format!("the PDF renderer: {e}")))?;
        Ok(self.paper.get_or_init(|| p))
    }

    /// What the paper of certificate `number` shows. The bank of its exam must be open
    /// (cached) already: see [`Central::ensure_pdfs`]. Takes `conn`, never the lock.
    fn doc_of(&self, conn: &Conn<'_>, number: &str) -> Result<CertificateDoc, CentralError> {
        // What the registry's row gives (names, dates, QR), and what only the paper needs.
        let info = conn.query_row(
            &format!("SELECT {CERT_COLUMNS} FROM certificates WHERE number = ?1"),
            [number],
            |r| self.cert_from_row(r),
        )?;
        let (iin, result, code, place): (String, String, String, String) = conn.query_row(
            "SELECT c.iin, r.result, coalesce(c.check_code, ''), coalesce(b.name, c.branch)
             FROM certificates c JOIN results r ON r.attempt = c.attempt
             LEFT JOIN branches b ON b.code = c.branch WHERE c.number = ?1",
            [number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let bad = |what: &str| CentralError::Db(format!("certificate {number}: {what}"));
        let sr: SignedResult =
            serde_json::from_str(&result).map_err(|e| bad(&format!("stored result: {e}")))?;
        let category_number = self
            .bank(&sr.record.bank_series, sr.record.bank_version)?
            .and_then(|b| {
                let id = CategoryId::new(info.category.clone()).ok()?;
                b.profile.category(&id).map(|c| c.number)
            })
            .ok_or_else(|| bad("its exam's bank or category is gone"))?;
        let date = |s: &str| time::parse_iso(s).map_err(|_| bad("a date does not parse"));
        let issuer = |lang| crate::page::L10N.text(lang, "paper-issuer-name");
        Ok(CertificateDoc {
            number: number.to_owned(),
            holder: info.name,
            iin: Iin::parse(&iin).map_err(|_| bad("the stored ИИН is invalid"))?,
            category_number,
            category: Bilingual::new(info.category_kk, info.category_ru),
            checked_on: self.office_zone().date_of_ms(sr.record.finished_wall_ms),
            place: Bilingual::new(place.clone(), place),
            issued_on: date(&info.issued)?,
            valid_until: info.valid_until.as_deref().map(date).transpose()?,
            issuer: Bilingual::new(issuer(Lang::Kk), issuer(Lang::Ru)),
            verify_url: format!("{}/v/{number}", self.base_url()),
            qr_text: info.qr,
            check_code: code,
            copy: false,
        })
    }

    /// Renders and keeps the PDFs (original and copy) of the certificates among `numbers`
    /// that have none yet. Rendering happens outside the database lock.
    pub fn ensure_pdfs(&self, numbers: &[String]) -> Result<(), CentralError> {
        for number in numbers {
            let (has, attempt): (bool, Option<String>) = {
                let conn = self.db();
                let has = conn
                    .query_row(
                        "SELECT 1 FROM certificate_pdfs WHERE number = ?1 AND copy = 1",
                        [number],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                let attempt = conn
                    .query_row(
                        "SELECT attempt FROM certificates WHERE number = ?1",
                        [number],
                        |r| r.get(0),
                    )
                    .optional()?;
                (has, attempt)
            };
            let Some(attempt) = attempt.filter(|_| !has) else {
                continue;
            };
            self.warm_bank(&attempt)?;
            let doc = self.doc_of(&self.db(), number)?;
            let paper = self.paper()?;
            let mut rendered = Vec::with_capacity(2);
            for copy in [false, true] {
                let pdf = paper
                    .render(&CertificateDoc {
                        copy,
                        ..doc.clone()
                    })
                    .map_err(|e| CentralError::Invalid(format!("certificate {number}: {e}")))?;
                rendered.push((
                    copy,
                    hex::encode(ring::digest::digest(&ring::digest::SHA256, &pdf)),
                    pdf,
                ));
            }
            let conn = self.db();
            for (copy, sha, pdf) in rendered {
                conn.execute(
                    "INSERT INTO certificate_pdfs (number, copy, sha256, pdf) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    params![number, copy, sha, pdf],
                )?;
            }
        }
        Ok(())
    }

    /// The PDF of certificate `number` (`copy`: the reprint), rendered if it was not yet:
    /// for ЕУМЦ staff (`synaq-central certificate pdf`) and the branch's kiosks.
    pub fn certificate_pdf(
        &self,
        number: &str,
        copy: bool,
    ) -> Result<Option<(Vec<u8>, String)>, CentralError> {
        self.ensure_pdfs(&[number.to_owned()])?;
        Ok(self
            .db()
            .query_row(
                "SELECT pdf, sha256 FROM certificate_pdfs WHERE number = ?1 AND copy = ?2",
                params![number, copy],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// `POST /v1/certificate/pdf`: the PDF, for a kiosk of the branch where the exam was taken.
    pub fn certificate_pdf_for(
        &self,
        kiosk: &str,
        req: &CertificatePdfRequest,
    ) -> Result<CertificatePdf, Refusal> {
        let branch_of_kiosk = self
            .kiosk(kiosk)
            .map_err(Refusal::unavailable)?
            .map(|k| k.branch);
        let branch_of_cert: Option<String> = self
            .db()
            .query_row(
                "SELECT branch FROM certificates WHERE number = ?1",
                [&req.number],
                |r| r.get(0),
            )
            .optional()
            .map_err(Refusal::db)?;
        let Some(branch) = branch_of_cert else {
            return Err(Refusal::CertificateNotFound);
        };
        if branch_of_kiosk.as_deref() != Some(branch.as_str()) {
            return Err(Refusal::CertificateOtherBranch {
                number: req.number.clone(),
            });
        }
        let (pdf, sha256) = self
            .certificate_pdf(&req.number, req.copy)
            .map_err(Refusal::unavailable)?
            .ok_or(Refusal::CertificateNotFound)?;
        Ok(CertificatePdf {
            number: req.number.clone(),
            copy: req.copy,
            sha256,
            pdf: B64.encode(pdf),
        })
    }

    /// The public check of `number`: the certificate, and whether `code` is its check code.
    pub fn public_check(
        &self,
        number: &str,
        code: Option<&str>,
    ) -> Result<Option<PublicCheck>, CentralError> {
        let Some(cert) = self.certificate(number)? else {
            return Ok(None);
        };
        let stored = self.check_code(number)?;
        let code_ok = matches!((stored, code), (Some(s), Some(c)) if code_matches(&s, c));
        Ok(Some(PublicCheck { cert, code_ok }))
    }

    /// The check code printed on certificate `number`'s paper (for ЕУМЦ staff answering a
    /// holder, and tests).
    pub fn check_code(&self, number: &str) -> Result<Option<String>, CentralError> {
        Ok(self
            .db()
            .query_row(
                "SELECT check_code FROM certificates WHERE number = ?1",
                [number],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The host the QR codes point at (signed into every token).
    pub(crate) fn verify_host(&self) -> Option<String> {
        qr::host_of(self.base_url()).map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_codes_are_random_crockford() {
        let a = new_number(2026).unwrap();
        let b = new_number(2026).unwrap();
        assert_ne!(a, b);
        assert!(
            a.starts_with("KZOT-2026-") && a.len() == "KZOT-2026-XXXX-XXXX".len(),
            "{a}"
        );
        let code = new_check_code().unwrap();
        assert_eq!(code.len(), 7, "{code}");
        assert!(code
            .chars()
            .all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn a_typed_code_matches_with_lower_case_spaces_and_look_alikes() {
        assert!(code_matches("7QK4-M201", "7qk4 m2o1"));
        assert!(code_matches("1QK4-M2", "lqk4m2"));
        assert!(!code_matches("7QK4-M2", "7QK4-M3"));
        assert!(!code_matches("7QK4-M2", "7QK4-M"));
        assert!(!code_matches("7QK4-M2", ""));
    }

    #[test]
    fn the_rate_limit_counts_per_address_per_minute() {
        let l = RateLimit::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..VERIFY_PER_MINUTE {
            assert!(l.allow(a, 600));
        }
        assert!(!l.allow(a, 659), "the 31st in the minute");
        assert!(l.allow(b, 659), "another address");
        assert!(l.allow(a, 660), "the next minute");
    }
}

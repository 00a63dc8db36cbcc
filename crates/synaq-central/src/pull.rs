//! Pull (what a kiosk needs since a cursor), the certificate registry, and bundle import.

use crate::sql::{params, OptionalExtension as _, Row};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::NaiveDate;
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::bank;
use synaq_seal::roster::{self, Roster, RosterEntry};
use synaq_sync::bundle::{
    self, EvidenceOutcome, ReceiptsBody, ReceiptsBundle, ResultsBundle, RECEIPTS_KIND,
};
use synaq_sync::proto::{BankDelivery, CertificateInfo, PullResponse, Revocation, StaffMember};
use synaq_sync::qr::{self, QrClaims};
use synaq_sync::{Signed, PROTOCOL_VERSION};
use synaq_wire::SignedResult;

use crate::ingest::Refusal;
use crate::{db, Central, CentralError};

/// How long a roster served by pull is valid on the kiosk.
pub const ROSTER_DAYS: i64 = 30;

/// The columns [`Central::cert_from_row`] reads, the PDFs' hashes last.
pub(crate) const CERT_COLUMNS: &str =
    "number, name, iin, category, category_kk, category_ru, issued, valid_until, status, attempt, branch,
     (SELECT sha256 FROM certificate_pdfs p WHERE p.number = certificates.number AND p.copy = 0),
     (SELECT sha256 FROM certificate_pdfs p WHERE p.number = certificates.number AND p.copy = 1)";

impl Central {
    pub(crate) fn cert_from_row(&self, r: &Row) -> crate::sql::Result<CertificateInfo> {
        let iin: String = r.get(2)?;
        let masked = Iin::parse(&iin)
            .map(|i| i.masked())
            .unwrap_or_else(|_| "************".into());
        let mut c = CertificateInfo {
            number: r.get(0)?,
            name: r.get(1)?,
            iin_masked: masked.clone(),
            category: r.get(3)?,
            category_kk: r.get(4)?,
            category_ru: r.get(5)?,
            issued: r.get(6)?,
            valid_until: r.get(7)?,
            status: r.get(8)?,
            attempt_id: r.get(9)?,
            branch: r.get(10)?,
            qr: String::new(),
            pdf_sha256: r.get(11)?,
            copy_sha256: r.get(12)?,
        };
        c.qr = qr::qr_text(
            &self.base_url,
            &QrClaims {
                n: c.number.clone(),
                nm: c.name.clone(),
                c: c.category.clone(),
                i: c.issued.clone(),
                u: c.valid_until.clone(),
                m: masked[masked.len().saturating_sub(4)..].to_owned(),
                h: self.verify_host(),
            },
            self.key.ed25519(),
        );
        Ok(c)
    }

    /// A certificate by number (public JSON; no full ИИН).
    pub fn certificate(&self, number: &str) -> Result<Option<CertificateInfo>, CentralError> {
        let conn = self.db();
        Ok(conn
            .query_row(
                &format!("SELECT {CERT_COLUMNS} FROM certificates WHERE number = ?1"),
                [number],
                |r| self.cert_from_row(r),
            )
            .optional()?)
    }

    /// Every certificate as CSV for ЕУМЦ staff (ИИН masked).
    pub fn certificates_csv(&self) -> Result<String, CentralError> {
        let conn = self.db();
        let mut stmt = conn.prepare(&format!(
            "SELECT {CERT_COLUMNS} FROM certificates ORDER BY rev"
        ))?;
        let rows = stmt.query_map((), |r| self.cert_from_row(r))?;
        let certs = rows.collect::<Result<Vec<_>, _>>()?;
        certificates_to_csv(&certs)
            .map_err(|e| CentralError::Invalid(format!("certificates CSV: {e}")))
    }

    /// Everything for kiosk `kiosk_id` changed since `since`. Banks published since the
    /// kiosk last pulled are re-wrapped for it first.
    pub fn pull(&self, kiosk_id: &str, since: u64, now: i64) -> Result<PullResponse, Refusal> {
        self.pull_inner(kiosk_id, since, now).map_err(|e| match e {
            CentralError::Refused(r) => r,
            e => Refusal::unavailable(e),
        })
    }

    fn pull_inner(
        &self,
        kiosk_id: &str,
        since: u64,
        now: i64,
    ) -> Result<PullResponse, CentralError> {
        let row = self.kiosk(kiosk_id)?.ok_or_else(|| {
            CentralError::Refused(Refusal::KioskNotEnrolled {
                kiosk: kiosk_id.to_owned(),
            })
        })?;
        let kiosk_pub = {
            let t: String = self.db().query_row(
                "SELECT public_toml FROM kiosks WHERE id = ?1",
                [kiosk_id],
                |r| r.get(0),
            )?;
            synaq_seal::KioskPublic::from_toml(&t)?
        };
        // Banks not yet wrapped for this kiosk.
        let missing: Vec<(String, i64, Vec<u8>)> = {
            let conn = self.db();
            let mut stmt = conn.prepare(
                "SELECT b.series, b.version, b.bytes FROM banks b
                 WHERE b.revoked IS NULL AND NOT EXISTS (SELECT 1 FROM kiosk_banks k
                   WHERE k.kiosk = ?1 AND k.series = b.series AND k.version = b.version)",
            )?;
            let rows = stmt.query_map([kiosk_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (series, version, bytes) in missing {
            let wrapped = bank::add_recipient(&bytes, &self.key, &kiosk_pub)?;
            let conn = self.db();
            let rev = db::next(&conn, "rev")?;
            conn.execute(
                "INSERT INTO kiosk_banks (kiosk, series, version, bytes, rev) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                params![kiosk_id, series, version, wrapped, rev],
            )?;
        }
        // The PDFs of the branch's new certificates, so the pull carries their hashes.
        let unrendered: Vec<String> = {
            let conn = self.db();
            let mut stmt = conn.prepare(
                "SELECT number FROM certificates c WHERE branch = ?1 AND rev > ?2 AND NOT EXISTS
                   (SELECT 1 FROM certificate_pdfs p WHERE p.number = c.number AND p.copy = 1)",
            )?;
            let rows = stmt.query_map(params![row.branch, since as i64], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        self.ensure_pdfs(&unrendered)?;
        let conn = self.db();
        let since = since as i64;
        let cursor = db::current(&conn, "rev")?;
        let mut banks = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT series, version, bytes FROM kiosk_banks WHERE kiosk = ?1 AND rev > ?2 AND rev <= ?3",
            )?;
            let rows = stmt.query_map(params![kiosk_id, since, cursor], |r| {
                Ok(BankDelivery {
                    series: r.get(0)?,
                    version: r.get::<_, i64>(1)? as u64,
                    bank: B64.encode(r.get::<_, Vec<u8>>(2)?),
                })
            })?;
            for b in rows {
                banks.push(b?);
            }
        }
        let branch = &row.branch;
        let roster_rev: i64 = conn.query_row(
            "SELECT coalesce(max(rev), 0) FROM roster
             WHERE branch = ?1 AND rev <= ?2 AND confirmed = 1",
            params![branch, cursor],
            |r| r.get(0),
        )?;
        let roster = if roster_rev > since {
            let mut stmt = conn.prepare(
                "SELECT iin, name, category, oo_bin, oo_name, attempt, allowed_from, allowed_to
                 FROM roster WHERE branch = ?1 AND rev <= ?2 AND confirmed = 1
                 ORDER BY attempt, id",
            )?;
            let rows = stmt.query_map(params![branch, cursor], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?;
            let mut failed = conn.prepare_cached(
                "SELECT result FROM results WHERE iin = ?1 AND category = ?2 AND passed = 0",
            )?;
            let mut entries = Vec::new();
            let mut at = std::collections::HashMap::new();
            for row in rows {
                let (iin, name, cat, bin, oo_name, attempt, from, to) = row?;
                // What the person was shown in failed attempts, at any kiosk: a retake draws
                // other questions.
                let mut seen = std::collections::BTreeSet::new();
                for result in failed.query_map(params![iin, cat], |r| r.get::<_, String>(0))? {
                    let sr: SignedResult = serde_json::from_str(&result?)
                        .map_err(|e| CentralError::Db(format!("a stored result: {e}")))?;
                    seen.extend(sr.record.items.into_iter().map(|i| i.question));
                }
                let bad = |w: &str| CentralError::Db(format!("roster row has an invalid {w}"));
                let key = (iin.clone(), cat.clone());
                let entry = RosterEntry {
                    iin: Iin::parse(&iin).map_err(|_| bad("ИИН"))?,
                    name,
                    category: CategoryId::new(cat).map_err(|_| bad("category"))?,
                    oo_bin: Bin::parse(&bin).map_err(|_| bad("БИН"))?,
                    oo_name,
                    attempt,
                    allowed_from: from.parse::<NaiveDate>().map_err(|_| bad("date"))?,
                    allowed_to: to.parse::<NaiveDate>().map_err(|_| bad("date"))?,
                    seen: seen.into_iter().collect(),
                };
                // A retake's registration replaces the earlier one: a roster lists a person
                // once per category (kiosks refuse one that does not).
                match at.entry(key) {
                    std::collections::hash_map::Entry::Occupied(i) => entries[*i.get()] = entry,
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(entries.len());
                        entries.push(entry);
                    }
                }
            }
            let r = Roster {
                series: branch.clone(),
                version: roster_rev as u64,
                created: now,
                not_before: now - 86_400,
                not_after: now + ROSTER_DAYS * 86_400,
                branch: branch.clone(),
                entries,
            };
            Some(B64.encode(roster::build(&r, &self.key)))
        } else {
            None
        };
        let staff_rev: i64 = conn.query_row(
            "SELECT coalesce(max(rev), 0) FROM staff WHERE branch = ?1 AND rev <= ?2",
            params![branch, cursor],
            |r| r.get(0),
        )?;
        let staff = if staff_rev > since {
            let mut stmt = conn.prepare(
                "SELECT id, name, role, active FROM staff WHERE branch = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([branch], |r| {
                Ok(StaffMember {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    active: r.get(3)?,
                })
            })?;
            Some(rows.collect::<Result<Vec<_>, _>>()?)
        } else {
            None
        };
        let mut revocations = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT id, revoked FROM kiosks WHERE revoked IS NOT NULL AND rev > ?1 AND rev <= ?2",
            )?;
            let rows = stmt.query_map(params![since, cursor], |r| {
                Ok(Revocation {
                    kind: "kiosk".into(),
                    id: r.get(0)?,
                    at: r.get(1)?,
                })
            })?;
            for x in rows {
                revocations.push(x?);
            }
            let mut stmt = conn.prepare(
                "SELECT series, version, revoked FROM banks WHERE revoked IS NOT NULL AND rev > ?1 AND rev <= ?2",
            )?;
            let rows = stmt.query_map(params![since, cursor], |r| {
                Ok(Revocation {
                    kind: "bank".into(),
                    id: format!("{}:{}", r.get::<_, String>(0)?, r.get::<_, i64>(1)?),
                    at: r.get(2)?,
                })
            })?;
            for x in rows {
                revocations.push(x?);
            }
        }
        let mut certificates = Vec::new();
        {
            let mut stmt = conn.prepare(&format!(
                "SELECT {CERT_COLUMNS} FROM certificates WHERE branch = ?1 AND rev > ?2 AND rev <= ?3 ORDER BY rev"
            ))?;
            let rows = stmt.query_map(params![branch, since, cursor], |r| self.cert_from_row(r))?;
            for c in rows {
                certificates.push(c?);
            }
        }
        Ok(PullResponse {
            v: PROTOCOL_VERSION,
            cursor: cursor as u64,
            banks,
            roster,
            staff,
            revocations,
            certificates,
            min_kiosk_version: db::setting(&conn, "min_kiosk_version")?,
        })
    }

    /// Imports a results bundle from removable media given as bytes: see
    /// [`Central::import_bundle_in`]. Evidence listed in it is refused (`evidence-missing`):
    /// use [`Central::import_bundle_file`], which finds it next to the file.
    pub fn import_bundle(&self, bytes: &[u8], now: i64) -> Result<ReceiptsBundle, CentralError> {
        self.import_bundle_in(bytes, None, now)
    }

    /// Imports the results bundle file `file` (`synaq-central import`), with the evidence
    /// directory [`bundle::evidence_dir_name`] next to it.
    pub fn import_bundle_file(
        &self,
        file: &std::path::Path,
        now: i64,
    ) -> Result<ReceiptsBundle, CentralError> {
        let bytes = std::fs::read(file).map_err(|source| CentralError::Io {
            path: file.display().to_string(),
            source,
        })?;
        let beside = file
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    std::path::Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(std::path::Path::new("."));
        self.import_bundle_in(&bytes, Some(beside), now)
    }

    /// Imports a results bundle: the bundle's signature (by an enrolled kiosk), then every
    /// result with the same checks as a push, then the evidence of every manifest it lists
    /// with the checks of an upload ([`Central::import_evidence`]), read from the directory
    /// [`bundle::evidence_dir_name`] inside `beside` (the directory holding the bundle file).
    /// Returns the receipts bundle to carry back: an outcome per result and per evidence
    /// manifest, the same receipts every time the same bundle is imported. A failure of
    /// central's own disk or database ends the import with an error (import again).
    pub fn import_bundle_in(
        &self,
        bytes: &[u8],
        beside: Option<&std::path::Path>,
        now: i64,
    ) -> Result<ReceiptsBundle, CentralError> {
        let b: ResultsBundle =
            bundle::parse(bytes).map_err(|e| CentralError::Invalid(e.to_string()))?;
        let kiosk_id = b.body.kiosk_id.clone();
        let row = self.kiosk(&kiosk_id)?.ok_or_else(|| {
            CentralError::Refused(Refusal::KioskNotEnrolled {
                kiosk: kiosk_id.clone(),
            })
        })?;
        let body = b
            .verify(&row.ed25519)
            .map_err(|_| CentralError::Refused(Refusal::BadBundleSignature))?;
        if body.kind != bundle::RESULTS_KIND || body.v != PROTOCOL_VERSION {
            return Err(CentralError::Invalid(format!(
                "not a version-{PROTOCOL_VERSION} results bundle"
            )));
        }
        let outcomes = self.ingest(Some(&kiosk_id), &body.results, &body.journals, now)?;
        let from = beside.map(|d| d.join(bundle::evidence_dir_name(&kiosk_id, body.created)));
        let mut evidence = Vec::with_capacity(body.evidence.len());
        for m in &body.evidence {
            match self.import_evidence(&kiosk_id, &m.attempt_id, &m.files, from.as_deref(), now) {
                Ok(receipt) => evidence.push(EvidenceOutcome::Delivered { receipt }),
                Err(r) if r.code() == "central-unavailable" => {
                    return Err(CentralError::Refused(r))
                }
                Err(r) => evidence.push(EvidenceOutcome::Refused {
                    attempt_id: m.attempt_id.clone(),
                    code: r.code().to_owned(),
                    message: r.to_string(),
                }),
            }
        }
        Ok(Signed::sign(
            ReceiptsBody {
                kind: RECEIPTS_KIND.into(),
                v: PROTOCOL_VERSION,
                kiosk_id,
                created: now,
                outcomes,
                evidence,
            },
            self.key.ed25519(),
        ))
    }
}

/// Certificates as CSV (RFC 4180 quoting, `\n` line ends), one header row.
fn certificates_to_csv(certs: &[CertificateInfo]) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "number",
        "name",
        "iin_masked",
        "category",
        "issued",
        "valid_until",
        "status",
        "branch",
        "attempt_id",
    ])?;
    for c in certs {
        out.write_record([
            &c.number,
            &c.name,
            &c.iin_masked,
            &c.category,
            &c.issued,
            c.valid_until.as_deref().unwrap_or_default(),
            &c.status,
            &c.branch,
            &c.attempt_id,
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("the fields are UTF-8"))
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn certificates_csv_quotes_only_what_needs_it() {
        let c = CertificateInfo {
            number: "KZOT-2026-000001".into(),
            name: "Иванов, Иван \"Ваня\"".into(),
            iin_masked: "********0017".into(),
            category: "B".into(),
            category_kk: String::new(),
            category_ru: String::new(),
            issued: "2026-12-04".into(),
            valid_until: None,
            status: "valid".into(),
            attempt_id: "a-1".into(),
            branch: "ALM-01".into(),
            qr: String::new(),
            pdf_sha256: None,
            copy_sha256: None,
        };
        assert_eq!(
            certificates_to_csv(&[c]).unwrap(),
            "number,name,iin_masked,category,issued,valid_until,status,branch,attempt_id\n\
             KZOT-2026-000001,\"Иванов, Иван \"\"Ваня\"\"\",********0017,B,2026-12-04,,valid,ALM-01,a-1\n"
        );
    }
}

//! Certification after the verdict: evidence checks when the sealed evidence arrives, the
//! review queue (list, show, approve, reject, each decision journalled in `reviews`), and
//! revocations of certificates and kiosks.
//!
//! **Evidence at central.** Central checks what it can without the evidence key: the heads
//! name one segment each and each segment holds exactly its `N` frame files (the upload's own
//! checks), every segment header (clear JSON) was written for this attempt, segment 1 has a
//! frame 0 (the reference photo), and the frame count covers the active time at the
//! profile's capture interval ([`crate::verdict::coverage`]). When central also holds the
//! evidence key (`<data>/evidence.key`, [`EVIDENCE_KEY_FILE`]) it opens every segment and
//! verifies its chain against the signed head (a swapped, reordered or replaced frame fails),
//! checks that frame 0 was captured within [`REFERENCE_PHOTO_MS`] of the start and that no
//! two consecutive frames are more than [`MAX_GAP_INTERVALS`] capture intervals apart
//! unless a journalled incident falls in the gap. Without the key the chain, the frames'
//! pictures and their timestamps are left to the reviewer (`review show --key`).

use std::path::Path;

use crate::sql::{params, Conn, OptionalExtension as _};
use serde::Serialize;
use synaq_core::{time, CategoryId};
use synaq_proctor::{EvidenceReader, EvidenceSecret};
use synaq_wire::SignedResult;

use crate::evidence::segment_heads;
use crate::verdict::{coverage, HoldReason, GAP_INCIDENTS, MAX_GAP_INTERVALS, REFERENCE_PHOTO_MS};
use crate::{certificate, db, Central, CentralError};

/// Central's own copy of the evidence key, if ЕУМЦ puts one in the data directory: with it,
/// evidence chains are verified when they arrive.
pub const EVIDENCE_KEY_FILE: &str = "evidence.key";

/// One result in the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queued {
    /// The attempt.
    pub attempt: String,
    /// Its kiosk.
    pub kiosk: String,
    /// Masked ИИН.
    pub iin_masked: String,
    /// Category.
    pub category: String,
    /// Passed.
    pub passed: bool,
    /// `held` or `awaiting-evidence`.
    pub state: String,
    /// Why it is held.
    pub reasons: Vec<HoldReason>,
}

/// One decision of the review journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewEntry {
    /// The attempt.
    pub attempt: String,
    /// `approve`, `reject`, `revoke-certificate`, `revoke-kiosk`.
    pub action: String,
    /// Who decided.
    pub reviewer: String,
    /// Why.
    pub reason: String,
    /// Unix seconds.
    pub at: i64,
}

fn masked(iin: &str) -> String {
    synaq_core::Iin::parse(iin)
        .map(|i| i.masked())
        .unwrap_or_else(|_| "************".into())
}

impl Central {
    pub(crate) fn evidence_secret(&self) -> Result<Option<EvidenceSecret>, CentralError> {
        let p = self.dir().join(EVIDENCE_KEY_FILE);
        if !p.exists() {
            return Ok(None);
        }
        synaq_sync::evidence::load_secret(&p)
            .map(Some)
            .map_err(|e| CentralError::Invalid(format!("{}: {e}", p.display())))
    }

    /// The state and hold reasons of `attempt` at central.
    pub fn verdict(
        &self,
        attempt: &str,
    ) -> Result<Option<(String, Vec<HoldReason>)>, CentralError> {
        let row: Option<(String, String)> = self
            .db()
            .query_row(
                "SELECT state, reasons FROM results WHERE attempt = ?1",
                [attempt],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(s, r)| {
            serde_json::from_str(&r)
                .map(|r| (s, r))
                .map_err(|e| CentralError::Db(format!("reasons of {attempt}: {e}")))
        })
        .transpose()
    }

    /// Opens (and caches) the bank of a stored result before a transaction needs it: the
    /// cache is filled through the database, which a transaction holds.
    pub(crate) fn warm_bank(&self, attempt: &str) -> Result<(), CentralError> {
        if let Some((_, sr)) = self.stored_result(attempt)? {
            self.bank(&sr.record.bank_series, sr.record.bank_version)?;
        }
        Ok(())
    }

    /// Issues the certificate of a stored passed result (exam date, validity from the
    /// bank's profile), or returns the one it has. Call in a transaction.
    fn issue_certificate(&self, tx: &Conn<'_>, attempt: &str) -> Result<String, CentralError> {
        if let Some(n) = tx
            .query_row(
                "SELECT number FROM certificates WHERE attempt = ?1",
                [attempt],
                |r| r.get::<_, String>(0),
            )
            .optional()?
        {
            let rev = db::next(tx, "rev")?;
            tx.execute(
                "UPDATE certificates SET status = 'valid', revoked_reason = NULL, rev = ?2 WHERE number = ?1",
                params![n, rev],
            )?;
            return Ok(n);
        }
        let (json, name, branch): (String, String, String) = tx.query_row(
            "SELECT result, name, branch FROM results WHERE attempt = ?1",
            [attempt],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let sr: SignedResult = serde_json::from_str(&json)
            .map_err(|e| CentralError::Db(format!("stored result of {attempt}: {e}")))?;
        let rec = &sr.record;
        let bank = self
            .bank(&rec.bank_series, rec.bank_version)?
            .ok_or_else(|| CentralError::NotFound(format!("bank {}", rec.bank_series)))?;
        let category = CategoryId::new(rec.category.clone())
            .ok()
            .and_then(|c| bank.profile.category(&c).cloned())
            .ok_or_else(|| CentralError::NotFound(format!("category {}", rec.category)))?;
        let date = self.office_zone().date_of_ms(rec.finished_wall_ms);
        let year = chrono::Datelike::year(&date);
        let number = loop {
            let n = certificate::new_number(year)?;
            let taken = tx
                .query_row("SELECT 1 FROM certificates WHERE number = ?1", [&n], |_| {
                    Ok(())
                })
                .optional()?
                .is_some();
            if !taken {
                break n;
            }
        };
        let valid_until = category
            .certificate_validity_years
            .and_then(|y| time::valid_until(date, y));
        let rev = db::next(tx, "rev")?;
        tx.execute(
            "INSERT INTO certificates (number, attempt, iin, name, category, category_kk,
                category_ru, issued, valid_until, status, branch, rev, check_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'valid', ?10, ?11, ?12)",
            params![
                number,
                attempt,
                rec.iin,
                name,
                rec.category,
                category.name.kk,
                category.name.ru,
                time::format_iso(date),
                valid_until.map(time::format_iso),
                branch,
                rev,
                certificate::new_check_code()?
            ],
        )?;
        Ok(number)
    }

    /// After the evidence of `attempt` was received and checked against the signed heads:
    /// a result awaiting it is certified when the evidence covers the exam, held otherwise.
    /// Returns the new state (or the unchanged one).
    pub fn check_evidence(&self, attempt: &str) -> Result<String, CentralError> {
        let Some((state, mut reasons)) = self.verdict(attempt)? else {
            return Err(CentralError::NotFound(format!("no result {attempt}")));
        };
        if state != "awaiting-evidence" {
            return Ok(state);
        }
        let (_, sr) = self
            .stored_result(attempt)?
            .ok_or_else(|| CentralError::NotFound(format!("no result {attempt}")))?;
        reasons.extend(self.evidence_reasons(&sr)?);
        self.warm_bank(attempt)?;
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let state = if reasons.is_empty() {
            self.issue_certificate(&tx, attempt)?;
            "certified"
        } else {
            "held"
        };
        tx.execute(
            "UPDATE results SET state = ?2, reasons = ?3 WHERE attempt = ?1",
            params![
                attempt,
                state,
                serde_json::to_string(&reasons).expect("reasons serialize")
            ],
        )?;
        tx.commit()?;
        Ok(state.to_owned())
    }

    /// The evidence checks (module docs) of a stored result whose evidence was received.
    fn evidence_reasons(&self, sr: &SignedResult) -> Result<Vec<HoldReason>, CentralError> {
        let rec = &sr.record;
        let attempt = rec.attempt_id.as_str();
        let mut out = Vec::new();
        let invalid = |detail: String| HoldReason::EvidenceInvalid { detail };
        let Some(heads) = rec
            .evidence_head
            .as_deref()
            .and_then(|h| segment_heads(h).ok())
        else {
            out.push(invalid("the evidence head does not read".into()));
            return Ok(out);
        };
        let interval = self
            .bank(&rec.bank_series, rec.bank_version)?
            .and_then(|b| {
                CategoryId::new(rec.category.clone())
                    .ok()
                    .and_then(|c| b.profile.category(&c).map(|c| c.capture_interval_secs))
            })
            .unwrap_or(synaq_core::profile::DEFAULT_CAPTURE_INTERVAL_SECS);
        let view = self.evidence_store().view(attempt)?;
        let dir = view.path();
        for n in 1..=heads.len() {
            let p = dir.join(n.to_string()).join("evidence.json");
            let header: Option<serde_json::Value> = std::fs::read(&p)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok());
            let written_for = header
                .as_ref()
                .and_then(|h| h.get("attempt"))
                .and_then(|a| a.as_str())
                .map(str::to_owned);
            if written_for.as_deref() != Some(attempt) {
                out.push(invalid(format!(
                    "segment {n} was written for attempt {}",
                    written_for.unwrap_or_else(|| "(unreadable header)".into())
                )));
            }
        }
        if heads[0].frames == 0 {
            out.push(HoldReason::NoReferencePhoto {
                detail: "segment 1 has no frame 0".into(),
            });
        }
        let frames: u64 = heads.iter().map(|h| h.frames).sum();
        let gap_incidents = rec
            .incidents
            .iter()
            .filter(|i| GAP_INCIDENTS.contains(&i.kind.as_str()))
            .count() as u64;
        let span_ms = u64::try_from(rec.finished_wall_ms - rec.started_wall_ms).unwrap_or(0);
        if let Err(detail) = coverage(
            frames,
            heads.len() as u64,
            rec.active_ms,
            span_ms,
            interval,
            gap_incidents,
        ) {
            out.push(HoldReason::EvidenceCoverage {
                frames,
                active_ms: rec.active_ms,
                interval_secs: interval,
                detail,
            });
        }
        let Some(secret) = self.evidence_secret()? else {
            return Ok(out);
        };
        for (i, expected) in heads.iter().enumerate() {
            let n = i + 1;
            let reader = match EvidenceReader::open(&dir.join(n.to_string()), &secret) {
                Ok(r) => r,
                Err(e) => {
                    out.push(invalid(format!("segment {n}: {e}")));
                    continue;
                }
            };
            if let Err(e) = reader.verify_head(expected) {
                out.push(invalid(format!("segment {n}: {e}")));
                continue;
            }
            let ms: Vec<i64> = reader
                .frames()
                .iter()
                .map(|f| {
                    f.frame
                        .captured_at
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_millis() as i64)
                        .unwrap_or(0)
                })
                .collect();
            if n == 1 {
                if let Some(&first) = ms.first() {
                    if (first - rec.started_wall_ms).abs() > REFERENCE_PHOTO_MS {
                        out.push(HoldReason::NoReferencePhoto {
                            detail: format!(
                                "frame 0 was captured {} s from the start",
                                (first - rec.started_wall_ms) / 1000
                            ),
                        });
                    }
                }
            }
            let max_gap = MAX_GAP_INTERVALS * i64::from(interval) * 1000;
            for w in ms.windows(2) {
                let explained = rec
                    .incidents
                    .iter()
                    .any(|i| i.at_ms >= w[0] - 1000 && i.at_ms <= w[1] + 1000);
                if w[1] - w[0] > max_gap && !explained {
                    out.push(HoldReason::EvidenceCoverage {
                        frames,
                        active_ms: rec.active_ms,
                        interval_secs: interval,
                        detail: format!(
                            "segment {n}: a gap of {} s with no incident",
                            (w[1] - w[0]) / 1000
                        ),
                    });
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Results awaiting a reviewer (`held`) or their evidence, oldest first.
    pub fn review_queue(&self) -> Result<Vec<Queued>, CentralError> {
        let conn = self.db();
        let mut stmt = conn.prepare(
            "SELECT attempt, kiosk, iin, category, passed, state, reasons FROM results
             WHERE state IN ('held', 'awaiting-evidence') ORDER BY received, attempt",
        )?;
        let rows = stmt.query_map((), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (attempt, kiosk, iin, category, passed, state, reasons) = row?;
            out.push(Queued {
                reasons: serde_json::from_str(&reasons)
                    .map_err(|e| CentralError::Db(format!("reasons of {attempt}: {e}")))?,
                attempt,
                kiosk,
                iin_masked: masked(&iin),
                category,
                passed,
                state,
            });
        }
        Ok(out)
    }

    /// The review journal of `attempt` (every attempt when `None`).
    pub fn review_journal(&self, attempt: Option<&str>) -> Result<Vec<ReviewEntry>, CentralError> {
        let conn = self.db();
        let mut stmt = conn.prepare(
            "SELECT attempt, action, reviewer, reason, at FROM reviews
             WHERE CAST(?1 AS TEXT) IS NULL OR attempt = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([attempt], |r| {
            Ok(ReviewEntry {
                attempt: r.get(0)?,
                action: r.get(1)?,
                reviewer: r.get(2)?,
                reason: r.get(3)?,
                at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn journal_review(
        tx: &Conn<'_>,
        attempt: &str,
        action: &str,
        reviewer: &str,
        reason: &str,
        now: i64,
    ) -> Result<(), CentralError> {
        if reviewer.trim().is_empty() || reason.trim().is_empty() {
            return Err(CentralError::Invalid(
                "a decision needs --reviewer ID and --reason TEXT".into(),
            ));
        }
        tx.execute(
            "INSERT INTO reviews (attempt, action, reviewer, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![attempt, action, reviewer, reason, now],
        )?;
        Ok(())
    }

    /// A reviewer approves a held (or awaiting) result: a pass gets its certificate (it
    /// reaches the kiosk in its next pull), a fail is kept as a fail. Returns the certificate
    /// number for a pass.
    pub fn review_approve(
        &self,
        attempt: &str,
        reviewer: &str,
        reason: &str,
        now: i64,
    ) -> Result<Option<String>, CentralError> {
        self.warm_bank(attempt)?;
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let (state, passed) = Self::queued(&tx, attempt)?;
        let _ = state;
        Self::journal_review(&tx, attempt, "approve", reviewer, reason, now)?;
        let (number, state) = if passed {
            (Some(self.issue_certificate(&tx, attempt)?), "certified")
        } else {
            (None, "failed")
        };
        tx.execute(
            "UPDATE results SET state = ?2 WHERE attempt = ?1",
            params![attempt, state],
        )?;
        tx.commit()?;
        Ok(number)
    }

    /// A reviewer rejects a held (or awaiting) result: no certificate; one it had is revoked.
    pub fn review_reject(
        &self,
        attempt: &str,
        reviewer: &str,
        reason: &str,
        now: i64,
    ) -> Result<(), CentralError> {
        let mut conn = self.db();
        let tx = conn.transaction()?;
        Self::queued(&tx, attempt)?;
        Self::journal_review(&tx, attempt, "reject", reviewer, reason, now)?;
        tx.execute(
            "UPDATE results SET state = 'rejected' WHERE attempt = ?1",
            [attempt],
        )?;
        let rev = db::next(&tx, "rev")?;
        tx.execute(
            "UPDATE certificates SET status = 'revoked', revoked_reason = ?2, rev = ?3 WHERE attempt = ?1",
            params![attempt, format!("rejected on review: {reason}"), rev],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn queued(tx: &Conn<'_>, attempt: &str) -> Result<(String, bool), CentralError> {
        let row: Option<(String, bool)> = tx
            .query_row(
                "SELECT state, passed FROM results WHERE attempt = ?1",
                [attempt],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            None => Err(CentralError::NotFound(format!(
                "central has no result of attempt {attempt}"
            ))),
            Some((s, p)) if s == "held" || s == "awaiting-evidence" => Ok((s, p)),
            Some((s, _)) => Err(CentralError::Invalid(format!(
                "attempt {attempt} is {s}, not in the review queue"
            ))),
        }
    }

    /// Revokes a certificate: it shows as revoked on `/v/{number}`, in the registry and in
    /// the next pull of its branch's kiosks. Journalled.
    pub fn revoke_certificate(
        &self,
        number: &str,
        reviewer: &str,
        reason: &str,
        now: i64,
    ) -> Result<(), CentralError> {
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let attempt: String = tx
            .query_row(
                "SELECT attempt FROM certificates WHERE number = ?1",
                [number],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| CentralError::NotFound(format!("no certificate {number}")))?;
        Self::journal_review(&tx, &attempt, "revoke-certificate", reviewer, reason, now)?;
        let rev = db::next(&tx, "rev")?;
        tx.execute(
            "UPDATE certificates SET status = 'revoked', revoked_reason = ?2, rev = ?3 WHERE number = ?1",
            params![number, reason, rev],
        )?;
        tx.execute(
            "UPDATE results SET state = 'rejected' WHERE attempt = ?1",
            [&attempt],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Revokes a kiosk as of the office date `since`: its requests and new results are
    /// refused (`kiosk-revoked`, as [`Central::revoke_kiosk`]); its certificates for exams
    /// finished on or after `since` are suspended (`under-review`, shown as not valid) and
    /// their results go back to the review queue with [`HoldReason::KioskRevoked`].
    /// Returns how many results went back to review.
    pub fn revoke_kiosk_since(
        &self,
        kiosk: &str,
        since: chrono::NaiveDate,
        reviewer: &str,
        reason: &str,
        now: i64,
    ) -> Result<usize, CentralError> {
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let rev = db::next(&tx, "rev")?;
        let n = tx.execute(
            "UPDATE kiosks SET revoked = coalesce(revoked, ?2), held_since = ?3, rev = ?4 WHERE id = ?1",
            params![kiosk, now, since.to_string(), rev],
        )?;
        if n == 0 {
            return Err(CentralError::NotFound(format!("no enrolled kiosk {kiosk}")));
        }
        let zone = self.office_zone();
        let rows: Vec<(String, i64, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT attempt, finished, state, reasons FROM results WHERE kiosk = ?1
                 AND state IN ('certified', 'awaiting-evidence', 'held', 'failed')",
            )?;
            let rows = stmt.query_map([kiosk], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut moved = 0;
        for (attempt, finished, _state, reasons) in rows {
            if zone.date_of_ms(finished) < since {
                continue;
            }
            let mut reasons: Vec<HoldReason> = serde_json::from_str(&reasons)
                .map_err(|e| CentralError::Db(format!("reasons of {attempt}: {e}")))?;
            reasons.push(HoldReason::KioskRevoked {
                kiosk: kiosk.to_owned(),
                since: since.to_string(),
            });
            tx.execute(
                "UPDATE results SET state = 'held', reasons = ?2 WHERE attempt = ?1",
                params![attempt, serde_json::to_string(&reasons).expect("reasons")],
            )?;
            let rev = db::next(&tx, "rev")?;
            tx.execute(
                "UPDATE certificates SET status = 'under-review', revoked_reason = ?2, rev = ?3
                 WHERE attempt = ?1 AND status = 'valid'",
                params![attempt, format!("kiosk {kiosk} revoked: {reason}"), rev],
            )?;
            moved += 1;
        }
        Self::journal_review(&tx, kiosk, "revoke-kiosk", reviewer, reason, now)?;
        tx.commit()?;
        Ok(moved)
    }

    /// `review show`: the stored result's timeline as text lines (times in the office zone),
    /// its state and reasons, and the review journal.
    pub fn review_show(&self, attempt: &str) -> Result<Vec<String>, CentralError> {
        let (kiosk, sr) = self.stored_result(attempt)?.ok_or_else(|| {
            CentralError::NotFound(format!("central has no result of attempt {attempt}"))
        })?;
        let (state, reasons) = self.verdict(attempt)?.unwrap_or_default();
        let z = self.office_zone();
        let r = &sr.record;
        let mut out = vec![
            format!("attempt {attempt} (kiosk {kiosk}), state {state}"),
            format!(
                "examinee {} category {} score {} ‰ {}",
                masked(&r.iin),
                r.category,
                r.score.percent_milli / 100,
                if r.score.passed { "passed" } else { "failed" }
            ),
            format!("proctor {} finish reason {}", r.proctor, r.finish_reason),
        ];
        for h in &reasons {
            out.push(format!("held: {}: {h}", h.code()));
        }
        out.push(format!(
            "{}  started",
            z.format_datetime_ms(r.started_wall_ms)
        ));
        for i in &r.incidents {
            out.push(format!(
                "{}  incident {} by {}: {}",
                z.format_datetime_ms(i.at_ms),
                i.kind,
                i.by,
                i.note
            ));
        }
        out.push(format!(
            "{}  finished (active {} s of {} s)",
            z.format_datetime_ms(r.finished_wall_ms),
            r.active_ms / 1000,
            r.limit_ms / 1000
        ));
        out.push(format!(
            "evidence: {}",
            r.evidence_head.as_deref().unwrap_or("none")
        ));
        for e in self.review_journal(Some(attempt))? {
            out.push(format!(
                "{}  {} by {}: {}",
                z.format_datetime_ms(e.at * 1000),
                e.action,
                e.reviewer,
                e.reason
            ));
        }
        Ok(out)
    }

    /// Whether `dir` holds central's evidence key (tests).
    #[doc(hidden)]
    pub fn has_evidence_key(dir: &Path) -> bool {
        dir.join(EVIDENCE_KEY_FILE).exists()
    }
}

//! Ingest of signed results (from a push or a bundle): every check has its own refusal code;
//! an accepted result gets a signed delivery receipt, the same one every time it is pushed.
//!
//! Checks, in order: format → the pushing kiosk is the signer (`wrong-kiosk`) → kiosk enrolled
//! (`kiosk-not-enrolled`) → signature (`bad-signature`) → already ingested (same content: the
//! stored receipt; other content: `attempt-conflict`) → kiosk not revoked (`kiosk-revoked`) →
//! bank issued to that kiosk (`bank-not-issued`) → category in the bank's profile
//! (`unknown-category`) → examinee on the roster for that category on the exam's date
//! (`not-on-roster`) → journal head present (`journal-head-missing`) → score recomputed from
//! the bank (`score-mismatch`) → rules: no second pass for one registration
//! (`already-certified`), a retake only within the profile's window after a fail, across all
//! branches (`retake-window-closed`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::sql::{params, Conn, OptionalExtension as _};
use chrono::Datelike as _;
use synaq_core::time;
use synaq_core::{
    assemble, score, Answers, Category, CategoryId, ExamBank, Iin, Paper, QuestionId,
};
use synaq_sync::proto::{Decision, Outcome, ReceiptBody};
use synaq_sync::sign::sha256_hex;
use synaq_sync::{Receipt, Signed, PROTOCOL_VERSION};
use synaq_wire::journal::{compare, replay, verify_run};
use synaq_wire::{AttemptJournal, JournalRow, ResultRecord, SignedResult};

use crate::verdict::{HoldReason, ACTIVE_GRACE_MS, CLOCK_SKEW_MS, MAX_RESULT_AGE_DAYS};
use crate::{Central, CentralError};

/// Every code a result can be refused with (the kiosk translates each as `refusal-<code>`).
pub const RESULT_REFUSALS: [&str; 14] = [
    "already-certified",
    "attempt-conflict",
    "bad-signature",
    "bank-not-issued",
    "certificate-still-valid",
    "journal-head-missing",
    "kiosk-not-enrolled",
    "kiosk-revoked",
    "not-on-roster",
    "retake-window-closed",
    "score-mismatch",
    "unknown-category",
    "unsupported-format",
    "wrong-kiosk",
];

pub use crate::refusal::Refusal;

/// Per training organisation and calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OoStats {
    /// БИН.
    pub oo_bin: String,
    /// Calendar year.
    pub year: i32,
    /// Learners who passed.
    pub passed: u32,
    /// Learners who failed.
    pub failed: u32,
    /// More than 50 % failed: the ОО is to be excluded from the list.
    pub flagged: bool,
}

struct Ctx<'a> {
    via: Option<&'a str>,
    /// The journal run that came with each result, by attempt.
    journals: HashMap<&'a str, &'a [JournalRow]>,
    banks: &'a HashMap<(String, u64), Arc<ExamBank>>,
    /// Each bank's `not_before` (Unix seconds).
    not_before: HashMap<(String, u64), i64>,
    now: i64,
}

struct VerifyCtx<'a> {
    kiosk_branch: &'a str,
    roster_branch: &'a str,
    allowed_from: &'a str,
    held_since: Option<&'a str>,
}

fn valid_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) && s.bytes().any(|b| b != b'0')
}

impl Central {
    /// Ingests `results` in one transaction. `via` is the kiosk that pushed them over the
    /// network (it must be their signer); `None` for a bundle (its signature was checked).
    /// A database error aborts the whole batch (nothing stored: the kiosk retries).
    pub fn ingest(
        &self,
        via: Option<&str>,
        results: &[SignedResult],
        journals: &[AttemptJournal],
        now: i64,
    ) -> Result<Vec<Outcome>, CentralError> {
        let mut banks = HashMap::new();
        for r in results {
            let k = (r.record.bank_series.clone(), r.record.bank_version);
            if let std::collections::hash_map::Entry::Vacant(v) = banks.entry(k) {
                let (series, version) = v.key();
                if let Some(b) = self.bank(series, *version)? {
                    v.insert(b);
                }
            }
        }
        let mut not_before = HashMap::new();
        for (series, version) in banks.keys() {
            let bytes: Option<Vec<u8>> = self
                .db()
                .query_row(
                    "SELECT bytes FROM banks WHERE series = ?1 AND version = ?2",
                    params![series, *version as i64],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some((_, h)) =
                bytes.and_then(|b| synaq_seal::bank::read_header_unverified(&b).ok())
            {
                not_before.insert((series.clone(), *version), h.not_before);
            }
        }
        let ctx = Ctx {
            via,
            journals: journals
                .iter()
                .map(|j| (j.attempt.as_str(), j.rows.as_slice()))
                .collect(),
            banks: &banks,
            not_before,
            now,
        };
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            out.push(self.ingest_one(&tx, &ctx, r)?);
        }
        tx.commit()?;
        Ok(out)
    }

    fn ingest_one(
        &self,
        tx: &Conn<'_>,
        ctx: &Ctx<'_>,
        sr: &SignedResult,
    ) -> Result<Outcome, CentralError> {
        let rec = &sr.record;
        let refuse = |r: Refusal| {
            Ok(Outcome::Refused {
                attempt_id: rec.attempt_id.clone(),
                code: r.code().to_owned(),
                message: r.to_string(),
            })
        };
        if rec.format != 1 {
            return refuse(Refusal::UnsupportedFormat { format: rec.format });
        }
        if let Some(via) = ctx.via {
            if via != rec.kiosk_id {
                return refuse(Refusal::WrongKiosk {
                    via: via.to_owned(),
                    signer: rec.kiosk_id.clone(),
                });
            }
        }
        type KioskRow = (Vec<u8>, Option<i64>, String, Option<String>);
        let kiosk: Option<KioskRow> = tx
            .prepare_cached(
                "SELECT ed25519, revoked, branch, held_since FROM kiosks WHERE id = ?1",
            )?
            .query_row([&rec.kiosk_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((ed, revoked, branch, held_since)) = kiosk else {
            return refuse(Refusal::KioskNotEnrolled {
                kiosk: rec.kiosk_id.clone(),
            });
        };
        let ed: [u8; 32] = ed.try_into().unwrap_or([0; 32]);
        // The kiosk's own check (`synaq_wire`); the record is serialized once, for the
        // signature and for the stored copy and its digest (what `result_digest` hashes).
        let Ok(verified) = sr.check(&ed) else {
            return refuse(Refusal::BadResultSignature {
                attempt: rec.attempt_id.clone(),
                kiosk: rec.kiosk_id.clone(),
            });
        };
        let json = verified.to_json();
        let digest = sha256_hex(json.as_bytes());
        let stored: Option<(String, String)> = tx
            .prepare_cached("SELECT digest, receipt FROM results WHERE attempt = ?1")?
            .query_row([&rec.attempt_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((d, receipt)) = stored {
            if d == digest {
                let receipt: Receipt = serde_json::from_str(&receipt)
                    .map_err(|e| CentralError::Db(format!("stored receipt: {e}")))?;
                return Ok(Outcome::Delivered { receipt });
            }
            return refuse(Refusal::AttemptConflict {
                attempt: rec.attempt_id.clone(),
            });
        }
        if revoked.is_some() {
            return refuse(Refusal::KioskRevoked {
                kiosk: rec.kiosk_id.clone(),
            });
        }
        let issued: Option<i64> = tx.prepare_cached("SELECT 1 FROM kiosk_banks k JOIN banks b ON b.series = k.series AND b.version = k.version
                 WHERE k.kiosk = ?1 AND k.series = ?2 AND k.version = ?3 AND b.revoked IS NULL")?.query_row(
                params![rec.kiosk_id, rec.bank_series, rec.bank_version as i64],
                |r| r.get(0),
            )
            .optional()?;
        // A bank also counts as issued to a kiosk that was a recipient when ЕУМЦ built it
        // (it reached the kiosk on removable media before its first pull).
        let issued = match issued {
            Some(i) => Some(i),
            None => tx
                .prepare_cached(
                    "SELECT bytes FROM banks WHERE series = ?1 AND version = ?2 AND revoked IS NULL",
                )?
                .query_row(
                    params![rec.bank_series, rec.bank_version as i64],
                    |r| r.get::<_, Vec<u8>>(0),
                )
                .optional()?
                .and_then(|bytes| synaq_seal::bank::read_header_unverified(&bytes).ok())
                .filter(|(_, h)| h.stanzas.iter().any(|s| s.recipient == rec.kiosk_id))
                .map(|_| 1),
        };
        let bank = ctx.banks.get(&(rec.bank_series.clone(), rec.bank_version));
        let (Some(_), Some(bank)) = (issued, bank) else {
            return refuse(Refusal::BankNotIssued {
                series: rec.bank_series.clone(),
                version: rec.bank_version,
                kiosk: rec.kiosk_id.clone(),
            });
        };
        let Ok(iin) = Iin::parse(&rec.iin) else {
            return refuse(Refusal::InvalidIin);
        };
        let category = CategoryId::new(rec.category.clone())
            .ok()
            .and_then(|c| bank.profile.category(&c).cloned());
        let Some(category) = category else {
            return refuse(Refusal::UnknownCategory {
                category: rec.category.clone(),
                series: rec.bank_series.clone(),
                version: rec.bank_version,
            });
        };
        let date = self.office_zone().date_of_ms(rec.finished_wall_ms);
        let entry: Option<(String, String, i64, String, String)> = tx
            .prepare_cached(
                "SELECT name, oo_bin, attempt, branch, allowed_from FROM roster
                 WHERE iin = ?1 AND category = ?2 AND allowed_from <= ?3 AND allowed_to >= ?3
                   AND confirmed = 1
                 ORDER BY branch = ?4 DESC, attempt DESC, id DESC LIMIT 1",
            )?
            .query_row(
                params![iin.as_str(), rec.category, date.to_string(), branch],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((name, oo_bin, roster_attempt, roster_branch, allowed_from)) = entry else {
            return refuse(Refusal::NotOnRoster {
                iin_masked: iin.masked(),
                category: rec.category.clone(),
                date,
            });
        };
        if !valid_hex64(&rec.journal_head) {
            return refuse(Refusal::JournalHeadMissing {
                attempt: rec.attempt_id.clone(),
            });
        }
        let paper = Paper {
            seed: rec.seed,
            category: category.id.clone(),
            items: rec.items.clone(),
        };
        let answers: Answers = rec
            .answers
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.is_empty())
            .map(|(i, a)| (i, a.iter().cloned().collect::<BTreeSet<_>>()))
            .collect();
        let rescored = score(&paper, |id| bank.question(id), &answers, &category);
        if rescored != rec.score || rec.answers.len() != rec.items.len() {
            return refuse(Refusal::ScoreMismatch {
                attempt: rec.attempt_id.clone(),
                series: rec.bank_series.clone(),
                version: rec.bank_version,
                rescored_permille: rescored.percent_milli / 100,
                claimed_permille: rec.score.percent_milli / 100,
            });
        }
        // Rules across all branches: this person's earlier results in this category.
        let mut prior: Vec<(bool, i64, i64, String)> = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT passed, roster_attempt, finished, state FROM results WHERE iin = ?1 AND category = ?2",
            )?;
            let rows = stmt.query_map(params![iin.as_str(), rec.category], |r| {
                Ok((r.get::<_, bool>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            for row in rows {
                prior.push(row?);
            }
        }
        let passed = rec.score.passed;
        if passed {
            // A valid certificate in the category, not yet within its re-certification window.
            let certs: Vec<(String, Option<String>)> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT number, valid_until FROM certificates
                     WHERE iin = ?1 AND category = ?2 AND status = 'valid'",
                )?;
                let rows = stmt.query_map(params![iin.as_str(), rec.category], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
                rows.collect::<Result<_, _>>()?
            };
            for (number, until) in certs {
                let blocks = match until.as_deref().map(str::parse::<chrono::NaiveDate>) {
                    None => true,
                    Some(Ok(u)) => {
                        date < u
                            && (u - date).num_days() > i64::from(category.recertify_window_days)
                    }
                    Some(Err(_)) => true,
                };
                if blocks {
                    return refuse(Refusal::CertificateStillValid {
                        iin_masked: iin.masked(),
                        category: rec.category.clone(),
                        number,
                        valid_until: until.unwrap_or_else(|| "never expires".into()),
                        window_days: category.recertify_window_days,
                    });
                }
            }
        }
        if prior
            .iter()
            .any(|p| p.0 && p.1 == roster_attempt && p.3 != "rejected")
        {
            return refuse(Refusal::AlreadyCertified {
                iin_masked: iin.masked(),
                category: rec.category.clone(),
            });
        }
        let window_ms = i64::from(category.retake_window_days) * 86_400_000;
        // The retake month counts from the first fail after the person's last pass: further
        // fails inside it do not extend it.
        let last_pass = prior.iter().filter(|p| p.0).map(|p| p.2).max();
        let first_fail = prior
            .iter()
            .filter(|p| !p.0 && last_pass.is_none_or(|lp| p.2 > lp))
            .map(|p| p.2)
            .min();
        let is_retake = roster_attempt > 1 || prior.iter().any(|p| !p.0 && p.1 == roster_attempt);
        if is_retake && first_fail.is_none_or(|f| rec.started_wall_ms > f + window_ms) {
            return refuse(Refusal::RetakeWindowClosed {
                iin_masked: iin.masked(),
                category: rec.category.clone(),
                days: category.retake_window_days,
            });
        }
        // Accepted: central's own checks decide between certificate and review.
        let mut reasons = self.verify(
            tx,
            ctx,
            rec,
            &category,
            &VerifyCtx {
                kiosk_branch: &branch,
                roster_branch: &roster_branch,
                allowed_from: &allowed_from,
                held_since: held_since.as_deref(),
            },
        )?;
        let zone = self.office_zone();
        if passed {
            if let Some(fail) = prior
                .iter()
                .filter(|p| !p.0 && p.2 > rec.finished_wall_ms)
                .map(|p| p.2)
                .max()
            {
                reasons.push(HoldReason::PassBeforeFail {
                    pass_ms: rec.finished_wall_ms,
                    fail_ms: fail,
                });
            }
        } else {
            let fails = 1 + prior
                .iter()
                .filter(|p| !p.0 && zone.date_of_ms(p.2) == date)
                .count() as u32;
            if fails > category.max_fails_per_day {
                reasons.push(HoldReason::TooManyFails {
                    fails,
                    date: time::format_iso(date),
                    max: category.max_fails_per_day,
                });
            }
        }
        let state = match (passed, reasons.is_empty()) {
            (_, false) => "held",
            (false, true) => "failed",
            (true, true) => "awaiting-evidence",
        };
        let decision = if passed {
            Decision::Pending {
                state: state.to_owned(),
                reasons: reasons.iter().map(|r| r.code().to_owned()).collect(),
            }
        } else {
            let until = category.retake_until(date);
            Decision::Failed {
                retake_until: time::format_iso(until),
            }
        };
        let receipt = Signed::sign(
            ReceiptBody {
                v: PROTOCOL_VERSION,
                attempt_id: rec.attempt_id.clone(),
                kiosk_id: rec.kiosk_id.clone(),
                result_sha256: digest.clone(),
                received_at: ctx.now,
                decision,
            },
            self.key.ed25519(),
        );
        tx.prepare_cached(
            "INSERT INTO results (attempt, kiosk, digest, iin, category, roster_attempt, oo_bin,
                passed, started, finished, received, result, receipt, state, reasons, branch, name,
                chain_seq, journal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19)",
        )?
        .execute(params![
            rec.attempt_id,
            rec.kiosk_id,
            digest,
            iin.as_str(),
            rec.category,
            roster_attempt,
            oo_bin,
            passed,
            rec.started_wall_ms,
            rec.finished_wall_ms,
            ctx.now,
            json,
            serde_json::to_string(&receipt).expect("receipts serialize"),
            state,
            serde_json::to_string(&reasons).expect("reasons serialize"),
            branch,
            name,
            rec.chain.as_ref().map(|c| c.seq as i64),
            ctx.journals
                .get(rec.attempt_id.as_str())
                .map(|rows| serde_json::to_string(rows).expect("journal rows serialize")),
        ])?;
        if let Some(link) = &rec.chain {
            self.advance_chain(tx, &rec.kiosk_id, link.seq)?;
        }
        tx.prepare_cached(
            "INSERT INTO oo_stats (oo_bin, year, passed, failed) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (oo_bin, year) DO UPDATE SET passed = oo_stats.passed + excluded.passed,
                failed = oo_stats.failed + excluded.failed",
        )?
        .execute(params![
            oo_bin,
            date.year(),
            passed as i64,
            (!passed) as i64
        ])?;
        Ok(Outcome::Delivered { receipt })
    }

    /// Central's own checks of an accepted result (time, people, finish and camera); every
    /// failure is a [`HoldReason`]. Evidence is checked when it arrives
    /// ([`Central::check_evidence`]); retakes by the caller.
    fn verify(
        &self,
        tx: &Conn<'_>,
        ctx: &Ctx<'_>,
        rec: &ResultRecord,
        category: &Category,
        v: &VerifyCtx<'_>,
    ) -> Result<Vec<HoldReason>, CentralError> {
        let mut reasons = Vec::new();
        let zone = self.office_zone();
        let received_ms = ctx.now * 1000;
        // Time.
        let wall_ms = rec.finished_wall_ms - rec.started_wall_ms;
        if wall_ms < 0 {
            reasons.push(HoldReason::FinishBeforeStart {
                started_ms: rec.started_wall_ms,
                finished_ms: rec.finished_wall_ms,
            });
        }
        let started = zone.date_of_ms(rec.started_wall_ms);
        if let Ok(from) = v.allowed_from.parse::<chrono::NaiveDate>() {
            if started < from {
                reasons.push(HoldReason::StartBeforeRegistration {
                    started: time::format_iso(started),
                    allowed_from: v.allowed_from.to_owned(),
                });
            }
        }
        if let Some(nb) = ctx
            .not_before
            .get(&(rec.bank_series.clone(), rec.bank_version))
        {
            if rec.started_wall_ms < nb * 1000 {
                reasons.push(HoldReason::StartBeforeBank {
                    started_ms: rec.started_wall_ms,
                    not_before_ms: nb * 1000,
                });
            }
        }
        if rec.finished_wall_ms > received_ms + CLOCK_SKEW_MS {
            reasons.push(HoldReason::FinishedAfterReceipt {
                finished_ms: rec.finished_wall_ms,
                received_ms,
                skew_ms: CLOCK_SKEW_MS,
            });
        }
        let age_days = (received_ms - rec.finished_wall_ms) / 86_400_000;
        if age_days > MAX_RESULT_AGE_DAYS {
            reasons.push(HoldReason::TooOld {
                days: age_days,
                max_days: MAX_RESULT_AGE_DAYS,
            });
        }
        if wall_ms >= 0 && rec.active_ms as i64 > wall_ms {
            reasons.push(HoldReason::ActiveExceedsWall {
                active_ms: rec.active_ms,
                wall_ms,
            });
        }
        if rec.active_ms > rec.limit_ms + ACTIVE_GRACE_MS {
            reasons.push(HoldReason::ActiveExceedsLimit {
                active_ms: rec.active_ms,
                limit_ms: rec.limit_ms,
            });
        }
        // The journal: it verifies against the signed head and replays to the result, the
        // limit is the profile's plus the extensions it records, no answer after the time.
        let profile_ms = category.time_limit().as_millis() as u64;
        let mut journal_proctors = BTreeSet::new();
        match ctx.journals.get(rec.attempt_id.as_str()) {
            None => reasons.push(HoldReason::JournalMissing),
            Some(rows) => match verify_run(rows, &rec.journal_head) {
                Err(e) => reasons.push(HoldReason::JournalBroken {
                    detail: e.to_string(),
                }),
                Ok(()) => match replay(rows, profile_ms) {
                    Err(e) => reasons.push(HoldReason::JournalBroken {
                        detail: e.to_string(),
                    }),
                    Ok(j) => {
                        for m in compare(rec, &j) {
                            let synaq_wire::Mismatch::Field { field, .. } = m else {
                                continue;
                            };
                            reasons.push(HoldReason::JournalMismatch {
                                field: field.to_owned(),
                            });
                        }
                        if rec.limit_ms != profile_ms + j.extra_ms {
                            reasons.push(HoldReason::LimitExtended {
                                limit_ms: rec.limit_ms,
                                profile_ms: profile_ms + j.extra_ms,
                            });
                        }
                        if !j.answered_before_start.is_empty() {
                            reasons.push(HoldReason::AnsweredBeforeStart {
                                count: j.answered_before_start.len() as u32,
                            });
                        }
                        // The clock starts at the examinee's start row (older journals: at
                        // the admission, checked above).
                        if let Some(started) = j.started_wall_ms {
                            let since_start = rec.finished_wall_ms - started;
                            let active = rec.active_ms as i64;
                            // (Beyond the admission's span it is held above already.)
                            if wall_ms >= 0 && active > since_start && active <= wall_ms {
                                reasons.push(HoldReason::ActiveExceedsWall {
                                    active_ms: rec.active_ms,
                                    wall_ms: since_start,
                                });
                            }
                        }
                        if !j.answered_after_time.is_empty() {
                            reasons.push(HoldReason::AnsweredAfterTime {
                                count: j.answered_after_time.len() as u32,
                            });
                        }
                        journal_proctors = j.proctors;
                    }
                },
            },
        }
        // The paper: drawn again from the bank with the seed, avoiding what this person saw in
        // the failed attempts of the category ЕУМЦ knows of.
        if let Some(bank) = ctx.banks.get(&(rec.bank_series.clone(), rec.bank_version)) {
            let seen = self.seen_before(tx, rec)?;
            let drawn = assemble(bank.questions(), category, rec.seed, &seen);
            if drawn.map(|p| p.items) != Ok(rec.items.clone()) {
                reasons.push(HoldReason::PaperNotDrawn);
            }
        }
        // The kiosk's chain of results.
        reasons.extend(self.chain_reasons(tx, rec)?);
        let answered = rec.answers.iter().filter(|a| !a.is_empty()).count() as u64;
        if answered > 0
            && rec.active_ms < answered * u64::from(category.min_seconds_per_answer) * 1000
        {
            reasons.push(HoldReason::TooFast {
                active_ms: rec.active_ms,
                answered,
                min_secs: category.min_seconds_per_answer,
            });
        }
        // People.
        let staff = |id: &str| -> Result<Option<bool>, CentralError> {
            Ok(tx
                .prepare_cached("SELECT active FROM staff WHERE branch = ?1 AND id = ?2")?
                .query_row(params![v.kiosk_branch, id], |r| r.get::<_, bool>(0))
                .optional()?)
        };
        match staff(&rec.proctor)? {
            None => reasons.push(HoldReason::ProctorUnknown {
                proctor: rec.proctor.clone(),
                branch: v.kiosk_branch.to_owned(),
            }),
            Some(false) => reasons.push(HoldReason::ProctorInactive {
                proctor: rec.proctor.clone(),
                branch: v.kiosk_branch.to_owned(),
            }),
            Some(true) => {}
        }
        let mut named = BTreeSet::new();
        // Everyone who acted on the exam: incidents, and the journal's pauses and extensions.
        let acting = rec
            .incidents
            .iter()
            .map(|i| i.by.as_str())
            .chain(journal_proctors.iter().map(String::as_str));
        for by in acting {
            if by != "camera" && by != rec.proctor && named.insert(by) && staff(by)? != Some(true) {
                reasons.push(HoldReason::IncidentStaffUnknown {
                    by: by.to_owned(),
                    branch: v.kiosk_branch.to_owned(),
                });
            }
        }
        if v.roster_branch != v.kiosk_branch {
            reasons.push(HoldReason::RosterOtherBranch {
                roster_branch: v.roster_branch.to_owned(),
                kiosk_branch: v.kiosk_branch.to_owned(),
            });
        }
        // Finish and camera.
        if rec.finish_reason == "violation" {
            reasons.push(HoldReason::EndedForViolation);
        }
        if rec.evidence_head.is_none() {
            reasons.push(HoldReason::NoCamera {
                detail: "no evidence head".into(),
            });
        } else if rec.incidents.iter().any(|i| i.kind == "no-camera") {
            reasons.push(HoldReason::NoCamera {
                detail: "no-camera incident".into(),
            });
        }
        let flags = rec
            .incidents
            .iter()
            .filter(|i| i.by == "camera" || i.kind.starts_with("camera-"))
            .count() as u32;
        if flags > category.max_camera_flags {
            reasons.push(HoldReason::CameraFlags {
                flags,
                max: category.max_camera_flags,
            });
        }
        if let Some(since) = v.held_since {
            if zone.date_of_ms(rec.finished_wall_ms).to_string().as_str() >= since {
                reasons.push(HoldReason::KioskRevoked {
                    kiosk: rec.kiosk_id.clone(),
                    since: since.to_owned(),
                });
            }
        }
        Ok(reasons)
    }

    /// The questions this person saw in the failed attempts of the category ЕУМЦ holds,
    /// started before this one: what the kiosk's draw had to avoid.
    fn seen_before(
        &self,
        tx: &Conn<'_>,
        rec: &ResultRecord,
    ) -> Result<HashSet<QuestionId>, CentralError> {
        let mut stmt = tx.prepare_cached(
            "SELECT result FROM results WHERE iin = ?1 AND category = ?2 AND passed = 0
             AND started < ?3",
        )?;
        let rows = stmt.query_map(params![rec.iin, rec.category, rec.started_wall_ms], |r| {
            r.get::<_, String>(0)
        })?;
        let mut seen = HashSet::new();
        for json in rows {
            if let Ok(r) = serde_json::from_str::<SignedResult>(&json?) {
                seen.extend(r.record.items.into_iter().map(|i| i.question));
            }
        }
        Ok(seen)
    }

    /// Where the result stands in its kiosk's chain: missing, after a gap, or forking.
    fn chain_reasons(
        &self,
        tx: &Conn<'_>,
        rec: &ResultRecord,
    ) -> Result<Vec<HoldReason>, CentralError> {
        let Some(link) = &rec.chain else {
            return Ok(vec![HoldReason::ChainMissing]);
        };
        let mut out = Vec::new();
        let taken: Option<String> = tx
            .prepare_cached("SELECT digest FROM results WHERE kiosk = ?1 AND chain_seq = ?2")?
            .query_row(params![rec.kiosk_id, link.seq as i64], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            out.push(HoldReason::ChainFork { seq: link.seq });
        }
        // The kiosk's contiguous tip: every result 1..=tip has arrived. A result beyond a gap is
        // held, and so is every later one, until the missing ones arrive or ЕУМЦ resolves it.
        let tip: i64 = tx
            .prepare_cached("SELECT tip FROM kiosk_chain WHERE kiosk = ?1")?
            .query_row([&rec.kiosk_id], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        if link.seq > 1 && (tip as u64) + 1 < link.seq {
            out.push(HoldReason::ChainGap {
                from: tip as u64 + 1,
                to: link.seq - 1,
            });
        }
        if link.seq > 1 {
            let prev: Option<String> = tx
                .prepare_cached("SELECT digest FROM results WHERE kiosk = ?1 AND chain_seq = ?2")?
                .query_row(params![rec.kiosk_id, (link.seq - 1) as i64], |r| r.get(0))
                .optional()?;
            match prev {
                Some(d) if Some(&d) != link.prev.as_ref() => {
                    out.push(HoldReason::ChainFork { seq: link.seq });
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Records that result `seq` of `kiosk` arrived, moving the kiosk's contiguous tip over
    /// every result that now follows without a gap.
    fn advance_chain(&self, tx: &Conn<'_>, kiosk: &str, seq: u64) -> Result<(), CentralError> {
        let mut tip: i64 = tx
            .prepare_cached("SELECT tip FROM kiosk_chain WHERE kiosk = ?1")?
            .query_row([kiosk], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        if seq as i64 != tip + 1 {
            return Ok(());
        }
        loop {
            tip += 1;
            let next: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM results WHERE kiosk = ?1 AND chain_seq = ?2")?
                .query_row(params![kiosk, tip + 1], |r| r.get(0))
                .optional()?;
            if next.is_none() {
                break;
            }
        }
        tx.prepare_cached(
            "INSERT INTO kiosk_chain (kiosk, tip) VALUES (?1, ?2)
             ON CONFLICT (kiosk) DO UPDATE SET tip = excluded.tip",
        )?
        .execute(params![kiosk, tip])?;
        Ok(())
    }

    /// Pass/fail counts per training organisation and year, flagged above 50 % failures.
    pub fn oo_stats(&self) -> Result<Vec<OoStats>, CentralError> {
        let conn = self.db();
        let mut stmt = conn
            .prepare("SELECT oo_bin, year, passed, failed FROM oo_stats ORDER BY year, oo_bin")?;
        let rows = stmt.query_map((), |r| {
            let passed: u32 = r.get(2)?;
            let failed: u32 = r.get(3)?;
            Ok(OoStats {
                oo_bin: r.get(0)?,
                year: r.get(1)?,
                passed,
                failed,
                flagged: failed * 2 > passed + failed,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many results central stored (tests and monitoring).
    pub fn result_count(&self) -> Result<u64, CentralError> {
        Ok(self
            .db()
            .query_row("SELECT count(*) FROM results", (), |r| r.get::<_, i64>(0))?
            as u64)
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::Refusal;

    /// Each refusal a result can get (a variant built in `ingest_one`) has its code listed in
    /// [`super::RESULT_REFUSALS`], and each listed code is some refusal's code.
    #[test]
    fn every_refusal_code_is_listed() {
        let src = include_str!("ingest.rs");
        let mut found = std::collections::BTreeSet::new();
        for r in Refusal::examples() {
            let name = format!("{r:?}");
            let name: String = name
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if src.contains(&format!("refuse(Refusal::{name}")) {
                found.insert(r.code());
            }
        }
        assert!(found.len() >= 10, "{found:?}");
        for code in &found {
            assert!(
                super::RESULT_REFUSALS.contains(code),
                "{code} is not listed"
            );
        }
        for code in super::RESULT_REFUSALS {
            assert!(found.contains(code), "{code} is listed but never refused");
        }
    }
}

//! Why central refuses a request, a result or evidence: one variant per situation, each with
//! its wire-stable [`Refusal::code`] (several situations may share a code), its HTTP status
//! ([`Refusal::status`]) and a message for the operator (`Display`) that says what to do.
//!
//! Codes are part of the protocol (`docs/protocol/README.md`) and of the kiosk's catalogs
//! (`refusal-<code>` in `assets/i18n/*/synaq.ftl` for the result codes): never rename one.
//! No message contains a full ИИН (only [`synaq_core::Iin::masked`]).

use axum::http::StatusCode;
use chrono::NaiveDate;

/// A refusal. The wire carries `code()` and the message; the HTTP answer has `status()`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    // --- A whole request ---
    /// The request lacks the `x-synaq-*` signature headers.
    #[error("the request is not signed (x-synaq-* headers missing): update the kiosk")]
    Unsigned,
    /// The request body is not the JSON of the expected message.
    #[error("the request does not parse: {error}")]
    Malformed {
        /// The parser's words.
        error: String,
    },
    /// The kiosk's public key file in an enrollment does not read.
    #[error("the kiosk's public key file: {error}")]
    BadKioskKey {
        /// Why it does not read.
        error: String,
    },
    /// A push with more results than central takes at once.
    #[error("at most {max} results per push")]
    TooManyResults {
        /// The most one push may carry.
        max: usize,
    },
    /// The protocol version of the message is not central's.
    #[error("protocol version {got} is not supported (central speaks {speaks}): update the kiosk")]
    UnsupportedVersion {
        /// The message's version.
        got: u32,
        /// Central's version.
        speaks: u32,
    },
    /// The request's time is too far from central's clock.
    #[error("the request's time is {skew_secs} s away from ЕУМЦ's clock (at most {max_secs} s allowed): set the kiosk's clock")]
    StaleRequest {
        /// Request time minus central's time.
        skew_secs: i64,
        /// The most allowed.
        max_secs: i64,
    },
    /// The request's signature does not verify with the kiosk's key.
    #[error("the request's signature does not verify with this kiosk's enrolled key")]
    BadRequestSignature,
    /// The request's nonce was seen before.
    #[error("this request was already received (same nonce): a replay is refused")]
    ReplayedRequest,
    /// No certificate with the number asked for.
    #[error("no certificate with this number in the registry")]
    CertificateNotFound,
    /// The certificate's PDF goes only to the branch where the exam was taken.
    #[error("certificate {number} was issued for an exam at another branch: its PDF goes to that branch's kiosks (ЕУМЦ staff can export it)")]
    CertificateOtherBranch {
        /// The certificate.
        number: String,
    },
    /// Central's database or disk failed; the kiosk retries later.
    #[error("{reason}: retry later")]
    Unavailable {
        /// What failed.
        reason: String,
    },
    /// Central could not use an evidence file (its own disk); the kiosk retries later.
    #[error("central could not use the evidence file {path} ({error}): retry later")]
    EvidenceIo {
        /// The file.
        path: String,
        /// The I/O error.
        error: String,
    },

    // --- Enrollment ---
    /// The enrollment code is not known.
    #[error("this enrollment code is not known to ЕУМЦ: check it, or ask ЕУМЦ for a new one")]
    EnrollCodeUnknown,
    /// The enrollment code belongs to another branch.
    #[error("this enrollment code is not for branch {branch}: check the branch code")]
    EnrollCodeOtherBranch {
        /// The branch the request named.
        branch: String,
    },
    /// The enrollment code was used by another kiosk.
    #[error("this enrollment code was already used by another kiosk: ask ЕУМЦ for a new one")]
    EnrollCodeUsed,
    /// The enrollment code has expired.
    #[error("this enrollment code has expired: ask ЕУМЦ for a new one")]
    EnrollCodeExpired,

    // --- A kiosk (request, bundle or result) ---
    /// The kiosk is not enrolled.
    #[error(
        "kiosk {kiosk} is not enrolled with ЕУМЦ: enroll it with a code from ЕУМЦ, then sync again"
    )]
    KioskNotEnrolled {
        /// The kiosk's id.
        kiosk: String,
    },
    /// The kiosk was revoked.
    #[error("kiosk {kiosk} was revoked by ЕУМЦ: its requests and results are not accepted; contact ЕУМЦ")]
    KioskRevoked {
        /// The kiosk's id.
        kiosk: String,
    },
    /// A results bundle's signature does not verify with its kiosk's key.
    #[error("the bundle's signature does not verify with its kiosk's enrolled key: it was altered; export it again")]
    BadBundleSignature,

    // --- One result (`Outcome::Refused`; codes in `RESULT_REFUSALS`) ---
    /// The result's format number is unknown.
    #[error("result format {format} is not known to this central: update central")]
    UnsupportedFormat {
        /// The record's format.
        format: u32,
    },
    /// A kiosk pushed a result another kiosk signed.
    #[error("kiosk {via} pushed a result signed by kiosk {signer}: each kiosk pushes its own results; use a bundle to carry another kiosk's")]
    WrongKiosk {
        /// The pushing kiosk.
        via: String,
        /// The signing kiosk.
        signer: String,
    },
    /// The result does not verify with its kiosk's enrolled key.
    #[error("the result of attempt {attempt} does not verify with kiosk {kiosk}'s enrolled key: it was altered after the kiosk signed it")]
    BadResultSignature {
        /// The attempt.
        attempt: String,
        /// The kiosk.
        kiosk: String,
    },
    /// The attempt was ingested before with other content.
    #[error("attempt {attempt} was already ingested with different content: the kiosk's record was changed; report this to ЕУМЦ security")]
    AttemptConflict {
        /// The attempt.
        attempt: String,
    },
    /// The bank was not issued to the kiosk (or was revoked).
    #[error("bank {series} v{version} was not issued to kiosk {kiosk} by ЕУМЦ (or was revoked): exams must use a bank ЕУМЦ issued to this kiosk")]
    BankNotIssued {
        /// The bank's series.
        series: String,
        /// The bank's version.
        version: u64,
        /// The kiosk.
        kiosk: String,
    },
    /// The category is not in the bank's exam profile.
    #[error("category {category} is not in bank {series} v{version}'s profile")]
    UnknownCategory {
        /// The result's category.
        category: String,
        /// The bank's series.
        series: String,
        /// The bank's version.
        version: u64,
    },
    /// The result's ИИН is not a valid ИИН, so it cannot be on the roster.
    #[error("the result's ИИН is not a valid ИИН: it cannot be on the roster")]
    InvalidIin,
    /// The examinee is not on the roster for the category on the exam's date.
    #[error("examinee {iin_masked} is not on the roster for category {category} on {date}: the training organisation must register them, then the admin requeues the result")]
    NotOnRoster {
        /// The masked ИИН.
        iin_masked: String,
        /// The category.
        category: String,
        /// The exam's date at the office.
        date: NaiveDate,
    },
    /// The result has no journal head.
    #[error("the result of attempt {attempt} has no journal head: the kiosk's exam journal is missing; send the kiosk's database to ЕУМЦ")]
    JournalHeadMissing {
        /// The attempt.
        attempt: String,
    },
    /// The claimed score differs from the answers re-scored with the bank.
    #[error("the score of attempt {attempt} does not match its answers re-scored with bank {series} v{version} ({rescored_permille} ‰ vs {claimed_permille} ‰ claimed)")]
    ScoreMismatch {
        /// The attempt.
        attempt: String,
        /// The bank's series.
        series: String,
        /// The bank's version.
        version: u64,
        /// Central's score, per mille.
        rescored_permille: u32,
        /// The kiosk's score, per mille.
        claimed_permille: u32,
    },
    /// The examinee already passed this category for this registration.
    #[error("examinee {iin_masked} already passed category {category} for this registration: a second pass is not certified")]
    AlreadyCertified {
        /// The masked ИИН.
        iin_masked: String,
        /// The category.
        category: String,
    },
    /// A pass of a person who holds a valid certificate in the category that is not yet
    /// within the profile's re-certification window before its expiry.
    #[error("examinee {iin_masked} holds certificate {number} in category {category}, valid until {valid_until}: a new one is issued only within {window_days} days before it expires")]
    CertificateStillValid {
        /// The masked ИИН.
        iin_masked: String,
        /// The category.
        category: String,
        /// The valid certificate.
        number: String,
        /// Its last valid day (`never expires` when it does not).
        valid_until: String,
        /// The profile's re-certification window.
        window_days: u32,
    },
    /// Too many wrong enrollment codes from this address: try again later.
    #[error("too many wrong enrollment codes from this address: wait {retry_after_secs} s, then check the code with ЕУМЦ")]
    EnrollThrottled {
        /// Seconds until the next attempt is considered.
        retry_after_secs: i64,
    },
    /// A retake outside the window after a failed attempt.
    #[error("examinee {iin_masked} has no failed attempt in category {category} within the last {days} days: a retake is allowed only within the window; the training organisation must register a new first attempt")]
    RetakeWindowClosed {
        /// The masked ИИН.
        iin_masked: String,
        /// The category.
        category: String,
        /// The category's retake window.
        days: u32,
    },

    // --- Evidence (upload or removable media) ---
    /// The attempt id is not one a kiosk makes.
    #[error("the attempt id is not one a kiosk makes: check the kiosk's version")]
    EvidenceBadAttempt,
    /// Central holds no result of the attempt from this kiosk.
    #[error("ЕУМЦ has no result of attempt {attempt} from this kiosk: deliver the result first (sync again); evidence is accepted only from the kiosk that delivered the result")]
    EvidenceNoResult {
        /// The attempt.
        attempt: String,
    },
    /// The signed result names no webcam evidence.
    #[error("the signed result of attempt {attempt} names no webcam evidence: there is nothing to upload")]
    EvidenceNotExpected {
        /// The attempt.
        attempt: String,
    },
    /// The signed result's evidence head does not read.
    #[error("the signed result of attempt {attempt} has an unreadable evidence head ({error}): report it to ЕУМЦ")]
    EvidenceBadHead {
        /// The attempt.
        attempt: String,
        /// Why it does not read.
        error: String,
    },
    /// A file of a segment the signed result does not name.
    #[error("{path} is in segment {segment}, but the signed result names {segments} segment(s): nothing was stored")]
    EvidenceSegmentUnknown {
        /// The file.
        path: String,
        /// Its segment.
        segment: usize,
        /// How many the result names.
        segments: usize,
    },
    /// The files' segments and frames do not match the signed heads.
    #[error("{detail}")]
    EvidenceSegments {
        /// Which segment or frame does not match.
        detail: String,
    },
    /// A path that is not an evidence file path.
    #[error("{path:?} is not an evidence file path (only N/evidence.json and N/frames/NNNNNNNN.sef are): nothing was stored; update the kiosk")]
    EvidenceBadPath {
        /// The path.
        path: String,
    },
    /// A chunk's data is not base64 of at most 512 KiB.
    #[error("a chunk's data must be base64 of at most 512 KiB: update the kiosk")]
    BadChunk,
    /// The evidence manifest is not sorted or repeats a path.
    #[error("the evidence manifest must be sorted by path, without repeats: update the kiosk")]
    UnsortedManifest,
    /// A file larger than any sealed frame.
    #[error("{path} would exceed {max_mib} MiB, far more than a sealed frame: nothing was stored; report it to ЕУМЦ")]
    EvidenceTooLarge {
        /// The file.
        path: String,
        /// The limit in MiB.
        max_mib: u64,
    },
    /// The evidence was received completely already.
    #[error("the evidence of attempt {attempt} was already received completely: ask for its receipt (status)")]
    EvidenceDone {
        /// The attempt.
        attempt: String,
    },
    /// A chunk's offset is not the stored size.
    #[error("central holds {have} bytes of {path}, not {offset}: resume from byte {have}")]
    EvidenceOffset {
        /// The file.
        path: String,
        /// What central holds.
        have: u64,
        /// The chunk's offset.
        offset: u64,
    },
    /// The evidence is not on the removable media beside the bundle.
    #[error("the evidence of attempt {attempt} is not on the removable media ({detail}): copy the whole synaq-evidence-… directory next to the .synaqout file and import again; the kiosk keeps its copy")]
    EvidenceMissing {
        /// The attempt.
        attempt: String,
        /// What is missing.
        detail: String,
    },
    /// An evidence file on the removable media cannot be read.
    #[error("cannot read the evidence file {path} on the removable media ({error}): nothing was accepted; copy the evidence directory again and import again")]
    EvidenceUnreadable {
        /// The file.
        path: String,
        /// The I/O error.
        error: String,
    },
    /// A file on the media that the signed manifest does not list.
    #[error("{path} of attempt {attempt} is on the removable media but not in the kiosk's signed manifest: the evidence was altered on the way; nothing was accepted; export again from the kiosk")]
    EvidenceExtraOnMedia {
        /// The attempt.
        attempt: String,
        /// The file.
        path: String,
    },
    /// A file on the media differs from the signed manifest.
    #[error("the evidence file {path} of attempt {attempt} on the removable media ({size} bytes) differs from the kiosk's signed manifest ({expected_size} bytes, SHA-256 {expected_sha256}): it was altered or damaged on the way; nothing was accepted; export again from the kiosk")]
    EvidenceMediaMismatch {
        /// The attempt.
        attempt: String,
        /// The file.
        path: String,
        /// Its size on the media.
        size: u64,
        /// Its size in the manifest.
        expected_size: u64,
        /// Its SHA-256 in the manifest.
        expected_sha256: String,
    },
    /// Evidence completed before with another manifest.
    #[error("the evidence of attempt {attempt} was already received with other files: the kiosk's copy changed; report it to ЕУМЦ security")]
    EvidenceOtherManifest {
        /// The attempt.
        attempt: String,
    },
    /// What central stored does not match the manifest.
    #[error("the evidence of attempt {attempt} at ЕУМЦ does not match the kiosk's manifest ({detail}): nothing was accepted; the kiosk keeps its copy")]
    EvidenceMismatch {
        /// The attempt.
        attempt: String,
        /// Which file differs and how.
        detail: String,
    },
}

impl Refusal {
    /// A failure of central itself (database, task), as `central-unavailable`.
    pub fn unavailable(reason: impl std::fmt::Display) -> Refusal {
        Refusal::Unavailable {
            reason: reason.to_string(),
        }
    }

    /// A database failure, as a refusal (HTTP 503: retry later).
    pub fn db(e: crate::sql::SqlError) -> Refusal {
        Refusal::unavailable(format!("central's database failed ({e})"))
    }

    /// The stable code (`docs/protocol/README.md`).
    pub fn code(&self) -> &'static str {
        use Refusal::*;
        match self {
            Unsigned | Malformed { .. } | BadKioskKey { .. } | TooManyResults { .. } => {
                "bad-request"
            }
            BadChunk | UnsortedManifest => "bad-request",
            UnsupportedVersion { .. } => "unsupported-version",
            StaleRequest { .. } => "stale-request",
            BadRequestSignature | BadBundleSignature | BadResultSignature { .. } => "bad-signature",
            ReplayedRequest => "replayed-request",
            CertificateNotFound => "not-found",
            CertificateOtherBranch { .. } => "certificate-other-branch",
            Unavailable { .. } | EvidenceIo { .. } => "central-unavailable",
            EnrollCodeUnknown | EnrollCodeOtherBranch { .. } => "enroll-code-invalid",
            EnrollCodeUsed => "enroll-code-used",
            EnrollCodeExpired => "enroll-code-expired",
            KioskNotEnrolled { .. } => "kiosk-not-enrolled",
            KioskRevoked { .. } => "kiosk-revoked",
            UnsupportedFormat { .. } => "unsupported-format",
            WrongKiosk { .. } => "wrong-kiosk",
            AttemptConflict { .. } => "attempt-conflict",
            BankNotIssued { .. } => "bank-not-issued",
            UnknownCategory { .. } => "unknown-category",
            InvalidIin | NotOnRoster { .. } => "not-on-roster",
            JournalHeadMissing { .. } => "journal-head-missing",
            ScoreMismatch { .. } => "score-mismatch",
            AlreadyCertified { .. } => "already-certified",
            RetakeWindowClosed { .. } => "retake-window-closed",
            CertificateStillValid { .. } => "certificate-still-valid",
            EnrollThrottled { .. } => "enroll-throttled",
            EvidenceBadAttempt | EvidenceNoResult { .. } => "evidence-no-result",
            EvidenceNotExpected { .. } => "evidence-not-expected",
            EvidenceBadHead { .. } | EvidenceSegmentUnknown { .. } | EvidenceSegments { .. } => {
                "evidence-segments"
            }
            EvidenceBadPath { .. } => "evidence-bad-path",
            EvidenceTooLarge { .. } => "evidence-too-large",
            EvidenceDone { .. } => "evidence-done",
            EvidenceOffset { .. } => "evidence-offset",
            EvidenceMissing { .. } | EvidenceUnreadable { .. } => "evidence-missing",
            EvidenceExtraOnMedia { .. }
            | EvidenceMediaMismatch { .. }
            | EvidenceOtherManifest { .. }
            | EvidenceMismatch { .. } => "evidence-mismatch",
        }
    }

    /// The HTTP status of an answer that is this refusal. A result's own refusals travel
    /// inside a `200` push answer (`Outcome::Refused`) and `evidence-missing` only inside a
    /// receipts bundle; were they ever sent alone they would be `422`.
    pub fn status(&self) -> StatusCode {
        match self.code() {
            "bad-request" | "unsupported-version" | "evidence-bad-path" => StatusCode::BAD_REQUEST,
            "stale-request" | "bad-signature" | "replayed-request" | "kiosk-not-enrolled" => {
                StatusCode::UNAUTHORIZED
            }
            "kiosk-revoked"
            | "certificate-other-branch"
            | "enroll-code-invalid"
            | "enroll-code-used"
            | "enroll-code-expired" => StatusCode::FORBIDDEN,
            "not-found" | "evidence-no-result" => StatusCode::NOT_FOUND,
            "central-unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            "evidence-offset"
            | "evidence-done"
            | "evidence-mismatch"
            | "evidence-segments"
            | "evidence-not-expected" => StatusCode::CONFLICT,
            "evidence-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
            "enroll-throttled" => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// One of each variant with representative values (tests: every code is listed,
    /// translated and has a status).
    #[doc(hidden)]
    pub fn examples() -> Vec<Refusal> {
        let s = || "x".to_owned();
        let date = NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
        vec![
            Refusal::Unsigned,
            Refusal::Malformed { error: s() },
            Refusal::BadKioskKey { error: s() },
            Refusal::TooManyResults { max: 500 },
            Refusal::UnsupportedVersion { got: 9, speaks: 1 },
            Refusal::StaleRequest {
                skew_secs: 400,
                max_secs: 300,
            },
            Refusal::BadRequestSignature,
            Refusal::ReplayedRequest,
            Refusal::CertificateNotFound,
            Refusal::CertificateOtherBranch { number: s() },
            Refusal::unavailable("disk"),
            Refusal::EvidenceIo {
                path: s(),
                error: s(),
            },
            Refusal::EnrollCodeUnknown,
            Refusal::EnrollCodeOtherBranch { branch: s() },
            Refusal::EnrollCodeUsed,
            Refusal::EnrollCodeExpired,
            Refusal::KioskNotEnrolled { kiosk: s() },
            Refusal::KioskRevoked { kiosk: s() },
            Refusal::BadBundleSignature,
            Refusal::UnsupportedFormat { format: 2 },
            Refusal::WrongKiosk {
                via: s(),
                signer: s(),
            },
            Refusal::BadResultSignature {
                attempt: s(),
                kiosk: s(),
            },
            Refusal::AttemptConflict { attempt: s() },
            Refusal::BankNotIssued {
                series: s(),
                version: 1,
                kiosk: s(),
            },
            Refusal::UnknownCategory {
                category: s(),
                series: s(),
                version: 1,
            },
            Refusal::InvalidIin,
            Refusal::NotOnRoster {
                iin_masked: s(),
                category: s(),
                date,
            },
            Refusal::JournalHeadMissing { attempt: s() },
            Refusal::ScoreMismatch {
                attempt: s(),
                series: s(),
                version: 1,
                rescored_permille: 500,
                claimed_permille: 900,
            },
            Refusal::AlreadyCertified {
                iin_masked: s(),
                category: s(),
            },
            Refusal::RetakeWindowClosed {
                iin_masked: s(),
                category: s(),
                days: 30,
            },
            Refusal::EvidenceBadAttempt,
            Refusal::EvidenceNoResult { attempt: s() },
            Refusal::EvidenceNotExpected { attempt: s() },
            Refusal::EvidenceBadHead {
                attempt: s(),
                error: s(),
            },
            Refusal::EvidenceSegmentUnknown {
                path: s(),
                segment: 3,
                segments: 2,
            },
            Refusal::EvidenceSegments { detail: s() },
            Refusal::EvidenceBadPath { path: s() },
            Refusal::BadChunk,
            Refusal::UnsortedManifest,
            Refusal::EvidenceTooLarge {
                path: s(),
                max_mib: 64,
            },
            Refusal::EvidenceDone { attempt: s() },
            Refusal::EvidenceOffset {
                path: s(),
                have: 1,
                offset: 2,
            },
            Refusal::EvidenceMissing {
                attempt: s(),
                detail: s(),
            },
            Refusal::EvidenceUnreadable {
                path: s(),
                error: s(),
            },
            Refusal::EvidenceExtraOnMedia {
                attempt: s(),
                path: s(),
            },
            Refusal::EvidenceMediaMismatch {
                attempt: s(),
                path: s(),
                size: 1,
                expected_size: 2,
                expected_sha256: s(),
            },
            Refusal::EvidenceOtherManifest { attempt: s() },
            Refusal::EvidenceMismatch {
                attempt: s(),
                detail: s(),
            },
            Refusal::CertificateStillValid {
                iin_masked: s(),
                category: s(),
                number: s(),
                valid_until: s(),
                window_days: 90,
            },
            Refusal::EnrollThrottled {
                retry_after_secs: 8,
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statuses `docs/protocol/README.md` lists for whole requests, unchanged.
    #[test]
    fn each_code_keeps_its_documented_status() {
        let want = [
            ("bad-request", 400),
            ("unsupported-version", 400),
            ("stale-request", 401),
            ("bad-signature", 401),
            ("replayed-request", 401),
            ("kiosk-not-enrolled", 401),
            ("kiosk-revoked", 403),
            ("certificate-other-branch", 403),
            ("enroll-code-invalid", 403),
            ("enroll-code-used", 403),
            ("enroll-code-expired", 403),
            ("not-found", 404),
            ("central-unavailable", 503),
            ("evidence-no-result", 404),
            ("evidence-bad-path", 400),
            ("evidence-offset", 409),
            ("evidence-done", 409),
            ("evidence-mismatch", 409),
            ("evidence-segments", 409),
            ("evidence-not-expected", 409),
            ("evidence-too-large", 413),
            ("enroll-throttled", 429),
        ];
        let all = Refusal::examples();
        for (code, status) in want {
            let of_code: Vec<_> = all.iter().filter(|r| r.code() == code).collect();
            assert!(!of_code.is_empty(), "no refusal has code {code}");
            for r in of_code {
                assert_eq!(r.status().as_u16(), status, "{r:?}");
            }
        }
        for r in &all {
            if crate::ingest::RESULT_REFUSALS.contains(&r.code())
                && !want.iter().any(|(c, _)| *c == r.code())
            {
                assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{r:?}");
            }
        }
    }

    /// Exhaustive: a new variant does not compile here until it has a number, and the test
    /// below then fails until [`Refusal::examples`] has one of it.
    fn ordinal(r: &Refusal) -> usize {
        match r {
            Refusal::Unsigned => 0,
            Refusal::Malformed { .. } => 1,
            Refusal::BadKioskKey { .. } => 2,
            Refusal::TooManyResults { .. } => 3,
            Refusal::UnsupportedVersion { .. } => 4,
            Refusal::StaleRequest { .. } => 5,
            Refusal::BadRequestSignature => 6,
            Refusal::ReplayedRequest => 7,
            Refusal::CertificateNotFound => 8,
            Refusal::Unavailable { .. } => 9,
            Refusal::EvidenceIo { .. } => 10,
            Refusal::EnrollCodeUnknown => 11,
            Refusal::EnrollCodeOtherBranch { .. } => 12,
            Refusal::EnrollCodeUsed => 13,
            Refusal::EnrollCodeExpired => 14,
            Refusal::KioskNotEnrolled { .. } => 15,
            Refusal::KioskRevoked { .. } => 16,
            Refusal::BadBundleSignature => 17,
            Refusal::UnsupportedFormat { .. } => 18,
            Refusal::WrongKiosk { .. } => 19,
            Refusal::BadResultSignature { .. } => 20,
            Refusal::AttemptConflict { .. } => 21,
            Refusal::BankNotIssued { .. } => 22,
            Refusal::UnknownCategory { .. } => 23,
            Refusal::InvalidIin => 24,
            Refusal::NotOnRoster { .. } => 25,
            Refusal::JournalHeadMissing { .. } => 26,
            Refusal::ScoreMismatch { .. } => 27,
            Refusal::AlreadyCertified { .. } => 28,
            Refusal::RetakeWindowClosed { .. } => 29,
            Refusal::EvidenceBadAttempt => 30,
            Refusal::EvidenceNoResult { .. } => 31,
            Refusal::EvidenceNotExpected { .. } => 32,
            Refusal::EvidenceBadHead { .. } => 33,
            Refusal::EvidenceSegmentUnknown { .. } => 34,
            Refusal::EvidenceSegments { .. } => 35,
            Refusal::EvidenceBadPath { .. } => 36,
            Refusal::BadChunk => 37,
            Refusal::UnsortedManifest => 38,
            Refusal::EvidenceTooLarge { .. } => 39,
            Refusal::EvidenceDone { .. } => 40,
            Refusal::EvidenceOffset { .. } => 41,
            Refusal::EvidenceMissing { .. } => 42,
            Refusal::EvidenceUnreadable { .. } => 43,
            Refusal::EvidenceExtraOnMedia { .. } => 44,
            Refusal::EvidenceMediaMismatch { .. } => 45,
            Refusal::EvidenceOtherManifest { .. } => 46,
            Refusal::EvidenceMismatch { .. } => 47,
            Refusal::CertificateStillValid { .. } => 48,
            Refusal::EnrollThrottled { .. } => 49,
            Refusal::CertificateOtherBranch { .. } => 50,
        }
    }

    #[test]
    fn the_examples_cover_every_variant() {
        let seen: std::collections::BTreeSet<usize> =
            Refusal::examples().iter().map(ordinal).collect();
        assert_eq!(seen, (0..51).collect());
    }

    /// The kiosk shows a result's refusal as `refusal-<code>` from the catalogs.
    #[test]
    fn every_result_code_is_in_the_kiosks_catalogs() {
        let l10n = synaq_i18n::Localizer::new().unwrap();
        for code in crate::ingest::RESULT_REFUSALS {
            for lang in synaq_core::Lang::ALL {
                let key = format!("refusal-{code}");
                assert!(l10n.has(lang, &key), "{key} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn messages_have_no_placeholders_left() {
        for r in Refusal::examples() {
            let m = r.to_string();
            assert!(!m.contains('{') && !m.is_empty(), "{r:?}: {m}");
        }
    }
}

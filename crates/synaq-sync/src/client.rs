//! The kiosk's HTTPS client: enrollment, pull, push with retries (`backon`), applying
//! central's outcomes to the kiosk's outbox, and the resumable upload of sealed evidence
//! ([`sync_all`]). TLS trusts only the pinned central certificate ([`crate::tls`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use backon::{ExponentialBuilder, Retryable as _};
use rusqlite::Connection;
use serde::{de::DeserializeOwned, Serialize};
use synaq_seal::{IssuerPublic, KioskSecret};
use synaq_store::outbox::{self, EvidenceState};
use synaq_store::{Engine, SignedResult};
use synaq_wire::AttemptJournal;

use crate::evidence::{
    check_receipt, encode_chunk, local_manifest, ChunkAck, EvidenceChunk, EvidenceComplete,
    EvidenceFile, EvidenceReceipt, EvidenceStatus, EvidenceStatusRequest, MAX_CHUNK,
};
use crate::proto::{
    result_digest, CertificateInfo, CertificatePdf, CertificatePdfRequest, CertificateRequest,
    EnrollRequest, ErrorBody, KioskCertificate, Outcome, PullRequest, PullResponse, PushRequest,
    PushResponse,
};
use crate::sign::{
    response_message, verify_b64, RequestAuth, H_KIOSK, H_NONCE, H_SIGNATURE, H_TIME,
};
use crate::tls::{self, CentralPin};
use crate::{SyncError, PROTOCOL_VERSION};

/// Unix seconds now.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// How pushes are retried when central is unreachable or answers 5xx.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// First delay.
    pub min: Duration,
    /// Longest delay.
    pub max: Duration,
    /// Retries after the first try.
    pub times: usize,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            min: Duration::from_millis(500),
            max: Duration::from_secs(30),
            times: 8,
        }
    }
}

/// A connection to central for one enrolled (or enrolling) kiosk.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    key: Arc<KioskSecret>,
    central: IssuerPublic,
    pin: CentralPin,
    backoff: Backoff,
}

/// What [`sync_outbox`] or [`sync_all`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Results that got a receipt in this run.
    pub delivered: usize,
    /// Results central refused in this run.
    pub refused: usize,
    /// Results still queued (central unreachable).
    pub remaining: usize,
    /// Attempts whose evidence got a verified receipt (and was deleted) in this run.
    pub evidence_delivered: usize,
    /// Evidence bytes sent in this run (bytes central already held are not sent again).
    pub evidence_bytes_sent: u64,
    /// Attempts whose evidence could not be delivered, each with its reason; their evidence
    /// is kept on the kiosk.
    pub evidence_failed: Vec<EvidenceFailure>,
}

/// One attempt whose evidence was not delivered in a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFailure {
    /// The attempt.
    pub attempt: String,
    /// Stable code (a Fluent message id on the kiosk), e.g. `evidence-missing`.
    pub code: String,
    /// What happened and what to do.
    pub message: String,
}

/// Which part of [`sync_all`] a [`Progress`] report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Pushing results: `done`/`total` count results.
    Results,
    /// Uploading evidence: `done`/`total` count bytes.
    Evidence,
}

/// Progress of [`sync_all`], reported after each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Done so far in this stage.
    pub done: u64,
    /// The stage's total.
    pub total: u64,
}

impl Client {
    /// A client for central at `base_url` (`https://…`, e.g. `https://127.0.0.1:8440`),
    /// trusting only the TLS certificate pinned by `pin` (its fingerprint, from the enrollment
    /// sheet or bundle) and only answers signed by `central`.
    pub fn new(
        base_url: &str,
        key: Arc<KioskSecret>,
        central: IssuerPublic,
        pin: CentralPin,
    ) -> Result<Client, SyncError> {
        if !base_url
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        {
            return Err(SyncError::Format(format!(
                "the central address {base_url:?} must start with https://"
            )));
        }
        Ok(Client {
            base: base_url.trim_end_matches('/').to_owned(),
            http: tls::http_client(pin)?,
            key,
            central,
            pin,
            backoff: Backoff::default(),
        })
    }

    /// Sets the retry policy for [`Client::push_with_retry`].
    pub fn with_backoff(mut self, backoff: Backoff) -> Client {
        self.backoff = backoff;
        self
    }

    /// The central base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The pinned central certificate.
    pub fn pin(&self) -> CentralPin {
        self.pin
    }

    fn network_error(&self, url: &str, e: reqwest::Error) -> SyncError {
        match tls::wrong_central(&e) {
            Some(w) => SyncError::WrongCentral {
                url: url.to_owned(),
                expected: w.expected,
                presented: w.presented,
            },
            None => SyncError::Network {
                url: url.to_owned(),
                detail: error_chain(&e),
            },
        }
    }

    /// One signed request, one verified answer. No retry.
    pub async fn call<Q: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        request: &Q,
    ) -> Result<R, SyncError> {
        let body = serde_json::to_vec(request).expect("requests serialize");
        let auth = RequestAuth::sign(&self.key, "POST", path, unix_now(), &body);
        let url = format!("{}{path}", self.base);
        let net = |e: reqwest::Error| self.network_error(&url, e);
        let resp = self
            .http
            .post(&url)
            .header(H_KIOSK, &auth.kiosk)
            .header(H_TIME, auth.time.to_string())
            .header(H_NONCE, &auth.nonce)
            .header(H_SIGNATURE, &auth.signature)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(net)?;
        let status = resp.status().as_u16();
        let sig = resp
            .headers()
            .get(H_SIGNATURE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = resp.bytes().await.map_err(net)?;
        let signed = sig.is_some_and(|s| {
            verify_b64(
                &self.central.ed25519,
                &response_message(&auth.nonce, status, &bytes),
                &s,
            )
        });
        if !signed {
            // A proxy's 502 page or a foreign server: not central's word. Retryable as a
            // network fault when it is a 5xx; otherwise an error the admin must see.
            if status >= 500 {
                return Err(SyncError::Network {
                    url,
                    detail: format!("unsigned answer with HTTP {status}"),
                });
            }
            return Err(SyncError::UnsignedAnswer { url, status });
        }
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| {
                SyncError::Format(format!("central's answer to {path} does not parse: {e}"))
            });
        }
        let err: ErrorBody = serde_json::from_slice(&bytes).unwrap_or(ErrorBody {
            code: "unknown".into(),
            message: String::from_utf8_lossy(&bytes).into_owned(),
        });
        Err(SyncError::Refused {
            status,
            code: err.code,
            message: err.message,
        })
    }

    /// Enrolls this kiosk: returns the kiosk certificate, checked against the central key.
    pub async fn enroll(&self, branch: &str, code: &str) -> Result<KioskCertificate, SyncError> {
        let cert: KioskCertificate = self
            .call(
                "/v1/enroll",
                &EnrollRequest {
                    v: PROTOCOL_VERSION,
                    branch: branch.to_owned(),
                    code: code.to_owned(),
                    kiosk_public: self.key.public().to_toml(),
                },
            )
            .await?;
        check_certificate(&cert, &self.central, &self.key, branch)?;
        Ok(cert)
    }

    /// Everything for this kiosk since `since`.
    pub async fn pull(&self, since: u64) -> Result<PullResponse, SyncError> {
        self.call(
            "/v1/pull",
            &PullRequest {
                v: PROTOCOL_VERSION,
                since,
            },
        )
        .await
    }

    /// A certificate of the registry (any enrolled kiosk may ask).
    pub async fn certificate(&self, number: &str) -> Result<CertificateInfo, SyncError> {
        self.call(
            "/v1/certificate",
            &CertificateRequest {
                v: PROTOCOL_VERSION,
                number: number.to_owned(),
            },
        )
        .await
    }

    /// The PDF of certificate `number` (`copy`: the reprint), returned only when it is the
    /// one the signed pull announced: its SHA-256 must be `sha256`.
    pub async fn certificate_pdf(
        &self,
        number: &str,
        copy: bool,
        sha256: &str,
    ) -> Result<Vec<u8>, SyncError> {
        let answer: CertificatePdf = self
            .call(
                "/v1/certificate/pdf",
                &CertificatePdfRequest {
                    v: PROTOCOL_VERSION,
                    number: number.to_owned(),
                    copy,
                },
            )
            .await?;
        check_pdf(number, copy, sha256, &answer)
    }

    /// Pushes results once, without their journals. Central answers each with an outcome.
    pub async fn push(&self, results: &[SignedResult]) -> Result<PushResponse, SyncError> {
        self.push_with_journals(results, &[]).await
    }

    /// Pushes results once with their journal runs ([`journals_of`]).
    pub async fn push_with_journals(
        &self,
        results: &[SignedResult],
        journals: &[AttemptJournal],
    ) -> Result<PushResponse, SyncError> {
        let resp: PushResponse = self
            .call(
                "/v1/push",
                &PushRequest {
                    v: PROTOCOL_VERSION,
                    results: results.to_vec(),
                    journals: journals.to_vec(),
                },
            )
            .await?;
        if resp.outcomes.len() != results.len() {
            return Err(SyncError::Format(format!(
                "central answered {} outcomes for {} results",
                resp.outcomes.len(),
                results.len()
            )));
        }
        Ok(resp)
    }

    /// [`Client::call`], retried like [`Client::push_with_retry`] while central is unreachable
    /// or failing (5xx). Each try is signed afresh.
    pub async fn call_with_retry<Q: Serialize + Sync, R: DeserializeOwned>(
        &self,
        path: &str,
        request: &Q,
    ) -> Result<R, SyncError> {
        let b = self.backoff;
        (|| self.call(path, request))
            .retry(
                ExponentialBuilder::default()
                    .with_min_delay(b.min)
                    .with_max_delay(b.max)
                    .with_max_times(b.times)
                    .with_jitter(),
            )
            .when(SyncError::is_transient)
            .await
    }

    /// How much of `attempt`'s evidence central holds, and its receipt once completed.
    pub async fn evidence_status(&self, attempt: &str) -> Result<EvidenceStatus, SyncError> {
        self.call_with_retry(
            "/v1/evidence/status",
            &EvidenceStatusRequest {
                v: PROTOCOL_VERSION,
                attempt_id: attempt.to_owned(),
            },
        )
        .await
    }

    /// The kiosk's key id.
    pub fn kiosk_id(&self) -> String {
        self.key.id().to_string()
    }

    /// The central key answers and receipts are checked with.
    pub fn central(&self) -> &IssuerPublic {
        &self.central
    }

    /// [`Client::push`], retried with exponential backoff and jitter while central is
    /// unreachable or failing (5xx). Each try is signed afresh (new time and nonce).
    pub async fn push_with_retry(
        &self,
        results: &[SignedResult],
        journals: &[AttemptJournal],
    ) -> Result<PushResponse, SyncError> {
        let b = self.backoff;
        (|| self.push_with_journals(results, journals))
            .retry(
                ExponentialBuilder::default()
                    .with_min_delay(b.min)
                    .with_max_delay(b.max)
                    .with_max_times(b.times)
                    .with_jitter(),
            )
            .when(SyncError::is_transient)
            .await
    }
}

/// `e` and its sources, `: `-separated (reqwest's own message hides the cause).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// Checks a kiosk certificate: central's signature, this kiosk's keys, the branch.
pub fn check_certificate(
    cert: &KioskCertificate,
    central: &IssuerPublic,
    key: &KioskSecret,
    branch: &str,
) -> Result<(), SyncError> {
    let body = cert.verify(&central.ed25519)?;
    if body.kiosk_id != key.id().to_string() || body.branch != branch {
        return Err(SyncError::Format(format!(
            "the kiosk certificate is for kiosk {} of branch {}, not this kiosk ({}) of {branch}",
            body.kiosk_id,
            body.branch,
            key.id()
        )));
    }
    Ok(())
}

/// The bytes of a downloaded certificate PDF, when they are what the signed pull announced:
/// certificate `number`, the original or the reprint as asked, hashing to `sha256`.
pub fn check_pdf(
    number: &str,
    copy: bool,
    sha256: &str,
    answer: &CertificatePdf,
) -> Result<Vec<u8>, SyncError> {
    use base64::Engine as _;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(&answer.pdf)
        .map_err(|_| SyncError::Format(format!("the PDF of certificate {number} is damaged")))?;
    let actual = hex::encode(ring::digest::digest(&ring::digest::SHA256, &pdf));
    if answer.number != number || answer.copy != copy || actual != sha256 {
        return Err(SyncError::Format(format!(
            "the PDF received for certificate {number} is not the one ЕУМЦ announced (SHA-256 {actual}, expected {sha256}); it was not kept"
        )));
    }
    Ok(pdf)
}

/// Applies central's outcomes for `sent` to the outbox: each receipt is checked (central's
/// signature, the attempt, the digest of exactly the result sent) before it is stored.
pub fn apply_outcomes(
    engine: &Engine,
    central: &IssuerPublic,
    sent: &[SignedResult],
    outcomes: &[Outcome],
) -> Result<SyncReport, SyncError> {
    apply_outcomes_on(engine.connection(), central, sent, outcomes)
}

/// [`apply_outcomes`] on the kiosk database itself (`synaq import-receipts` has no engine).
pub fn apply_outcomes_on(
    conn: &Connection,
    central: &IssuerPublic,
    sent: &[SignedResult],
    outcomes: &[Outcome],
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    for (result, outcome) in sent.iter().zip(outcomes) {
        let attempt = &result.record.attempt_id;
        if outcome.attempt_id() != attempt {
            return Err(SyncError::BadReceipt(format!(
                "an outcome for {} came back for attempt {attempt}",
                outcome.attempt_id()
            )));
        }
        match outcome {
            Outcome::Delivered { receipt } => {
                let body = receipt.verify(&central.ed25519)?;
                if body.result_sha256 != result_digest(result) {
                    return Err(SyncError::BadReceipt(format!(
                        "the receipt for {attempt} is for other content than this kiosk sent"
                    )));
                }
                outbox::mark_delivered(
                    conn,
                    attempt,
                    &serde_json::to_string(receipt).expect("receipts serialize"),
                )?;
                report.delivered += 1;
            }
            Outcome::Refused { code, message, .. } => {
                outbox::mark_refused(conn, attempt, code, message)?;
                report.refused += 1;
            }
        }
    }
    Ok(report)
}

/// The journal run of each result, read from the kiosk's chain, to travel beside it.
pub fn journals_of(
    conn: &Connection,
    results: &[SignedResult],
) -> Result<Vec<AttemptJournal>, SyncError> {
    results
        .iter()
        .map(|r| {
            let attempt = r.record.attempt_id.clone();
            let rows = synaq_store::journal::run_of(conn, &attempt)
                .map_err(synaq_store::StoreError::from)?;
            Ok(AttemptJournal { attempt, rows })
        })
        .collect()
}

/// Pushes everything queued, `batch` results per request, with retries; stores each receipt
/// or refusal. Stops at the first error (what was stored before it stays stored).
pub async fn sync_outbox(
    engine: &Engine,
    client: &Client,
    batch: usize,
) -> Result<SyncReport, SyncError> {
    let mut total = SyncReport::default();
    let pending = engine.pending()?;
    for chunk in pending.chunks(batch.max(1)) {
        let journals = journals_of(engine.connection(), chunk)?;
        let resp = client.push_with_retry(chunk, &journals).await?;
        let r = apply_outcomes(engine, &client.central, chunk, &resp.outcomes)?;
        total.delivered += r.delivered;
        total.refused += r.refused;
    }
    total.remaining = engine.pending()?.len();
    Ok(total)
}

/// Pushes every queued result (as [`sync_outbox`]), then delivers the sealed evidence of every
/// delivered result that names one (`evidence_head`) and has no evidence receipt yet: status →
/// upload the missing bytes in chunks of at most [`MAX_CHUNK`] → complete → verify the receipt
/// (central's signature, the attempt, exactly the local files) → store it → **only then**
/// delete `evidence_root/<attempt>`.
///
/// Central unreachable (after retries), a foreign server, or the kiosk's store failing ends
/// the sync with an error (what was stored before stays stored; the next sync resumes where
/// this one stopped, byte for byte). A problem with one attempt's evidence (its directory
/// missing, a refusal) is reported in [`SyncReport::evidence_failed`] and the sync goes on.
pub async fn sync_all(
    engine: &Engine,
    client: &Client,
    evidence_root: &Path,
    batch: usize,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    sync_all_on(engine.connection(), client, evidence_root, batch, progress).await
}

/// [`sync_all`] on a connection to the kiosk database (`synaq_store::open_db`), for a sync
/// that runs beside the engine (e.g. on another thread of the kiosk app).
pub async fn sync_all_on(
    conn: &Connection,
    client: &Client,
    evidence_root: &Path,
    batch: usize,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let pending = outbox::pending(conn)?;
    let total = pending.len() as u64;
    let mut done = 0u64;
    progress(Progress {
        stage: Stage::Results,
        done,
        total,
    });
    for chunk in pending.chunks(batch.max(1)) {
        let journals = journals_of(conn, chunk)?;
        let resp = client.push_with_retry(chunk, &journals).await?;
        let r = apply_outcomes_on(conn, &client.central, chunk, &resp.outcomes)?;
        report.delivered += r.delivered;
        report.refused += r.refused;
        done += chunk.len() as u64;
        progress(Progress {
            stage: Stage::Results,
            done,
            total,
        });
    }
    report.remaining = outbox::pending(conn)?.len();
    sync_evidence(conn, client, evidence_root, progress, &mut report).await?;
    Ok(report)
}

/// Whether an evidence error concerns only that attempt (the sync goes on with the next).
fn attempt_only(e: &SyncError) -> bool {
    match e {
        SyncError::Refused { code, status, .. } => code.starts_with("evidence-") && *status < 500,
        SyncError::Evidence { .. }
        | SyncError::BadReceipt(_)
        | SyncError::BadSignature(_)
        | SyncError::Format(_) => true,
        _ => false,
    }
}

pub(crate) fn failure(attempt: &str, e: &SyncError) -> EvidenceFailure {
    EvidenceFailure {
        attempt: attempt.to_owned(),
        code: e.code().to_owned(),
        message: e.to_string(),
    }
}

async fn sync_evidence(
    conn: &Connection,
    client: &Client,
    root: &Path,
    progress: &mut (dyn FnMut(Progress) + Send),
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    // Evidence whose receipt is stored but whose directory is still there (a delete that failed
    // before): it is ЕУМЦ's now, so it goes.
    for e in outbox::status(conn)? {
        if matches!(e.evidence, EvidenceState::Delivered { .. }) {
            let dir = root.join(&e.attempt);
            if dir.exists() {
                if let Err(err) = std::fs::remove_dir_all(&dir) {
                    report
                        .evidence_failed
                        .push(purge_failure(&e.attempt, &dir, &err));
                }
            }
        }
    }
    let mut work = Vec::new();
    for r in outbox::evidence_queue(conn)? {
        let attempt = r.record.attempt_id;
        let dir = root.join(&attempt);
        match local_manifest(&dir) {
            Ok(files) => work.push((attempt, dir, files)),
            Err(e) => report.evidence_failed.push(failure(&attempt, &e)),
        }
    }
    let total: u64 = work.iter().flat_map(|w| w.2.iter().map(|f| f.size)).sum();
    let mut base = 0u64;
    progress(Progress {
        stage: Stage::Evidence,
        done: 0,
        total,
    });
    for (attempt, dir, files) in work {
        let size: u64 = files.iter().map(|f| f.size).sum();
        let mut report_at = |done: u64| {
            progress(Progress {
                stage: Stage::Evidence,
                done: base + done,
                total,
            })
        };
        let r = upload_one(
            client,
            &attempt,
            &dir,
            &files,
            &mut report_at,
            &mut report.evidence_bytes_sent,
        )
        .await;
        match r {
            Ok(receipt) => {
                outbox::mark_evidence_delivered(
                    conn,
                    &attempt,
                    &serde_json::to_string(&receipt).expect("receipts serialize"),
                )?;
                report.evidence_delivered += 1;
                if let Err(err) = std::fs::remove_dir_all(&dir) {
                    report
                        .evidence_failed
                        .push(purge_failure(&attempt, &dir, &err));
                }
            }
            Err(e) if attempt_only(&e) => report.evidence_failed.push(failure(&attempt, &e)),
            Err(e) => return Err(e),
        }
        base += size;
        progress(Progress {
            stage: Stage::Evidence,
            done: base,
            total,
        });
    }
    Ok(())
}

pub(crate) fn purge_failure(attempt: &str, dir: &Path, err: &std::io::Error) -> EvidenceFailure {
    EvidenceFailure {
        attempt: attempt.to_owned(),
        code: "evidence-purge-failed".into(),
        message: format!(
            "ЕУМЦ confirmed the evidence of {attempt}, but {} could not be deleted ({err}): delete it by hand; the next sync tries again",
            dir.display()
        ),
    }
}

fn changed(path: &str, attempt: &str) -> SyncError {
    SyncError::Evidence {
        code: "evidence-mismatch",
        message: format!(
            "the evidence file {path} of attempt {attempt} changed on this kiosk during the upload: nothing was deleted; report it to ЕУМЦ"
        ),
    }
}

fn read_at(path: &Path, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len);
    f.take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// One attempt: status → missing bytes → complete → the verified receipt.
async fn upload_one(
    client: &Client,
    attempt: &str,
    dir: &Path,
    files: &[EvidenceFile],
    progress: &mut (dyn FnMut(u64) + Send),
    sent: &mut u64,
) -> Result<EvidenceReceipt, SyncError> {
    let kiosk_id = client.kiosk_id();
    let central = client.central.ed25519;
    let status = client.evidence_status(attempt).await?;
    if let Some(receipt) = status.receipt {
        // Completed before (the answer was lost): the receipt must match the local files.
        check_receipt(&receipt, &central, &kiosk_id, attempt, files)?;
        return Ok(receipt);
    }
    let mut stored: HashMap<String, u64> =
        status.files.into_iter().map(|f| (f.path, f.size)).collect();
    let mut before = 0u64;
    for f in files {
        let mut off = stored.remove(&f.path).unwrap_or(0);
        let mut resyncs = 0;
        loop {
            if off > f.size {
                return Err(changed(&f.path, attempt));
            }
            progress(before + off);
            if off == f.size {
                break;
            }
            let want = usize::try_from(f.size - off)
                .unwrap_or(MAX_CHUNK)
                .min(MAX_CHUNK);
            let data = read_at(&dir.join(&f.path), off, want).map_err(|e| SyncError::Evidence {
                code: "evidence-missing",
                message: format!(
                    "cannot read the evidence file {} of attempt {attempt}: {e}",
                    f.path
                ),
            })?;
            if data.len() != want {
                return Err(changed(&f.path, attempt));
            }
            let chunk = EvidenceChunk {
                v: PROTOCOL_VERSION,
                attempt_id: attempt.to_owned(),
                path: f.path.clone(),
                offset: off,
                data: encode_chunk(&data),
            };
            match client
                .call_with_retry::<_, ChunkAck>("/v1/evidence/chunk", &chunk)
                .await
            {
                Ok(ack) => {
                    if ack.path != f.path || ack.size != off + data.len() as u64 {
                        return Err(SyncError::Format(format!(
                            "central acknowledged {} bytes of {} instead of {}",
                            ack.size,
                            f.path,
                            off + data.len() as u64
                        )));
                    }
                    *sent += data.len() as u64;
                    off = ack.size;
                }
                // Central holds another size (e.g. a retried chunk that had arrived): resume
                // from what it holds.
                Err(SyncError::Refused { code, .. })
                    if code == "evidence-offset" && resyncs < 3 =>
                {
                    resyncs += 1;
                    off = client
                        .evidence_status(attempt)
                        .await?
                        .files
                        .into_iter()
                        .find(|s| s.path == f.path)
                        .map_or(0, |s| s.size);
                }
                Err(e) => return Err(e),
            }
        }
        before += f.size;
    }
    let receipt: EvidenceReceipt = client
        .call_with_retry(
            "/v1/evidence/complete",
            &EvidenceComplete {
                v: PROTOCOL_VERSION,
                attempt_id: attempt.to_owned(),
                files: files.to_vec(),
            },
        )
        .await?;
    check_receipt(&receipt, &central, &kiosk_id, attempt, files)?;
    Ok(receipt)
}

#[cfg(test)]
mod pdf_tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn a_certificate_pdf_is_kept_only_when_it_is_the_one_announced() {
        let pdf = b"%PDF-1.7 the certificate".to_vec();
        let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, &pdf));
        let answer = |number: &str, copy: bool, bytes: &[u8]| CertificatePdf {
            number: number.into(),
            copy,
            sha256: sha.clone(),
            pdf: base64::engine::general_purpose::STANDARD.encode(bytes),
        };
        let n = "KZOT-2026-7QK4-M2XD";
        assert_eq!(
            check_pdf(n, false, &sha, &answer(n, false, &pdf)).unwrap(),
            pdf
        );
        for (what, a) in [
            ("other bytes", answer(n, false, b"%PDF-1.7 another holder")),
            (
                "another certificate",
                answer("KZOT-2026-0000-0000", false, &pdf),
            ),
            ("the copy for the original", answer(n, true, &pdf)),
        ] {
            let e = check_pdf(n, false, &sha, &a).unwrap_err();
            assert!(
                matches!(&e, SyncError::Format(m) if m.contains("not the one ЕУМЦ announced")),
                "{what}: {e}"
            );
        }
    }
}

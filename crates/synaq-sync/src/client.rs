//! The kiosk's HTTPS client: enrollment, pull, push with retries (`backon`), and applying
//! central's outcomes to the kiosk's outbox. TLS trusts only the pinned central certificate
//! ([`crate::tls`]).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use backon::{ExponentialBuilder, Retryable as _};
use serde::{de::DeserializeOwned, Serialize};
use synaq_seal::{IssuerPublic, KioskSecret};
use synaq_store::{Engine, SignedResult};

use crate::proto::{
    result_digest, EnrollRequest, ErrorBody, KioskCertificate, Outcome, PullRequest, PullResponse,
    PushRequest, PushResponse,
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

/// What [`sync_outbox`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Results that got a receipt in this run.
    pub delivered: usize,
    /// Results central refused in this run.
    pub refused: usize,
    /// Results still queued (central unreachable).
    pub remaining: usize,
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

    /// Pushes results once. Central answers each with an outcome.
    pub async fn push(&self, results: &[SignedResult]) -> Result<PushResponse, SyncError> {
        let resp: PushResponse = self
            .call(
                "/v1/push",
                &PushRequest {
                    v: PROTOCOL_VERSION,
                    results: results.to_vec(),
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

    /// [`Client::push`], retried with exponential backoff and jitter while central is
    /// unreachable or failing (5xx). Each try is signed afresh (new time and nonce).
    pub async fn push_with_retry(
        &self,
        results: &[SignedResult],
    ) -> Result<PushResponse, SyncError> {
        let b = self.backoff;
        (|| self.push(results))
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

/// Applies central's outcomes for `sent` to the outbox: each receipt is checked (central's
/// signature, the attempt, the digest of exactly the result sent) before it is stored.
pub fn apply_outcomes(
    engine: &Engine,
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
                engine.mark_delivered(
                    attempt,
                    &serde_json::to_string(receipt).expect("receipts serialize"),
                )?;
                report.delivered += 1;
            }
            Outcome::Refused { code, message, .. } => {
                engine.mark_refused(attempt, code, message)?;
                report.refused += 1;
            }
        }
    }
    Ok(report)
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
        let resp = client.push_with_retry(chunk).await?;
        let r = apply_outcomes(engine, &client.central, chunk, &resp.outcomes)?;
        total.delivered += r.delivered;
        total.refused += r.refused;
    }
    total.remaining = engine.pending()?.len();
    Ok(total)
}

//! The HTTPS API (axum over rustls, [`crate::tls`]). Every answer, errors included, is signed with the central key over
//! the request's nonce, the status and the body (see `synaq_sync::sign`). Kiosk requests are
//! authenticated by the extractors [`SignedKiosk`] and [`Enrolling`], never in a handler.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use synaq_seal::KioskPublic;
use synaq_sync::evidence::{EvidenceChunk, EvidenceComplete, EvidenceStatusRequest};
use synaq_sync::proto::{
    CertificatePdfRequest, CertificateRequest, EnrollRequest, ErrorBody, PullRequest, PushRequest,
    PushResponse,
};
use synaq_sync::sign::{
    response_message, sign_b64, RequestAuth, H_KIOSK, H_NONCE, H_SIGNATURE, H_TIME, MAX_SKEW_SECS,
};
use synaq_sync::PROTOCOL_VERSION;

use crate::ingest::Refusal;
use crate::tls::TlsListener;
use crate::{page, unix_now, Central};

/// Most results accepted in one push.
pub const MAX_PUSH: usize = 500;

type Shared = Arc<Central>;

/// The router: `/v1/enroll`, `/v1/pull`, `/v1/push`, `/v1/evidence/{status,chunk,complete}`,
/// `/v1/certificate` and `/v1/certificate/pdf` (enrolled kiosks only), `/v1/central.pub`, and
/// the public verification page `/v/{number}` (rate-limited per address); `/healthz` (the
/// process answers) and `/readyz` (the database and the evidence directory can be used).
pub fn router(central: Arc<Central>) -> Router {
    Router::new()
        .route("/v1/enroll", post(enroll))
        .route("/v1/pull", post(pull))
        .route("/v1/push", post(push))
        .route("/v1/evidence/status", post(evidence_status))
        .route("/v1/evidence/chunk", post(evidence_chunk))
        .route("/v1/evidence/complete", post(evidence_complete))
        .route("/v1/certificate", post(certificate_json))
        .route("/v1/certificate/pdf", post(certificate_pdf))
        .route("/v1/central.pub", get(central_pub))
        .route("/v/{number}", get(verify_page))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::portal::web::router())
        .layer(axum::middleware::from_fn(request_log))
        .with_state(central)
}

/// The request id header: kept when the caller sent a sane one, made here otherwise, and
/// returned on the answer so a kiosk's report and central's log line can be matched.
pub const H_REQUEST_ID: &str = "x-request-id";

/// One JSON line per request on stderr: time, request id, method, path (never the query: a
/// check code stays out of logs, and no route carries an ИИН), status, milliseconds, kiosk.
async fn request_log(mut req: Request, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let id = header(req.headers(), H_REQUEST_ID)
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map_or_else(new_request_id, str::to_owned);
    let value = HeaderValue::from_str(&id).expect("checked ascii");
    req.headers_mut().insert(H_REQUEST_ID, value.clone());
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let kiosk = header(req.headers(), H_KIOSK).map(str::to_owned);
    let mut res = next.run(req).await;
    res.headers_mut().insert(H_REQUEST_ID, value);
    eprintln!(
        "{}",
        log_line(
            unix_now(),
            &id,
            &method,
            &path,
            res.status().as_u16(),
            started.elapsed().as_millis(),
            kiosk.as_deref(),
        )
    );
    res
}

fn new_request_id() -> String {
    use ring::rand::SecureRandom as _;
    let mut b = [0u8; 8];
    // A failed random source still gets the request served, with a time-based id.
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        b = (unix_now() as u64).to_be_bytes();
    }
    hex::encode(b)
}

/// The log line of one request, as JSON.
fn log_line(
    at: i64,
    id: &str,
    method: &str,
    path: &str,
    status: u16,
    ms: u128,
    kiosk: Option<&str>,
) -> String {
    serde_json::json!({
        "at": at,
        "request": id,
        "method": method,
        "path": path,
        "status": status,
        "ms": ms,
        "kiosk": kiosk,
    })
    .to_string()
}

/// Serves HTTPS on `listener` with `tls` (see [`crate::tls::TlsIdentity::server_config`])
/// until the task is dropped.
pub async fn serve(
    central: Arc<Central>,
    listener: tokio::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
) -> std::io::Result<()> {
    axum::serve(
        TlsListener::new(listener, tls)?,
        router(central).into_make_service_with_connect_info::<crate::tls::PeerAddr>(),
    )
    .await
}

fn signed(c: &Central, nonce: &str, status: StatusCode, ctype: &str, body: Vec<u8>) -> Response {
    let sig = sign_b64(
        c.key().ed25519(),
        &response_message(nonce, status.as_u16(), &body),
    );
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_str(ctype).expect("ascii"));
    h.insert(H_SIGNATURE, HeaderValue::from_str(&sig).expect("base64"));
    r
}

fn json<T: serde::Serialize>(c: &Central, nonce: &str, value: &T) -> Response {
    signed(
        c,
        nonce,
        StatusCode::OK,
        "application/json",
        serde_json::to_vec(value).expect("answers serialize"),
    )
}

fn refuse(c: &Central, nonce: &str, r: Refusal) -> Response {
    signed(
        c,
        nonce,
        r.status(),
        "application/json",
        serde_json::to_vec(&ErrorBody {
            code: r.code().to_owned(),
            message: r.to_string(),
        })
        .expect("errors serialize"),
    )
}

/// The answer to a kiosk: the value as JSON, or the refusal with its status; signed either way.
fn reply<T: serde::Serialize>(c: &Central, nonce: &str, r: Result<T, Refusal>) -> Response {
    match r {
        Ok(v) => json(c, nonce, &v),
        Err(e) => refuse(c, nonce, e),
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn parse_auth(h: &HeaderMap) -> Result<RequestAuth, Refusal> {
    let missing = || Refusal::Unsigned;
    Ok(RequestAuth {
        kiosk: header(h, H_KIOSK).ok_or_else(missing)?.to_owned(),
        time: header(h, H_TIME)
            .and_then(|t| t.parse().ok())
            .ok_or_else(missing)?,
        nonce: header(h, H_NONCE).ok_or_else(missing)?.to_owned(),
        signature: header(h, H_SIGNATURE).ok_or_else(missing)?.to_owned(),
    })
}

/// Checks time, signature (with `ed25519`) and nonce, in that order.
fn check_auth(
    c: &Central,
    auth: &RequestAuth,
    ed25519: &[u8; 32],
    path: &str,
    body: &[u8],
    now: i64,
) -> Result<(), Refusal> {
    if (auth.time - now).abs() > MAX_SKEW_SECS {
        return Err(Refusal::StaleRequest {
            skew_secs: auth.time - now,
            max_secs: MAX_SKEW_SECS,
        });
    }
    if auth.nonce.len() != 32 || !auth.verify(ed25519, "POST", path, body) {
        return Err(Refusal::BadRequestSignature);
    }
    match c.use_nonce(&auth.kiosk, &auth.nonce, now) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Refusal::ReplayedRequest),
        Err(e) => Err(Refusal::unavailable(e)),
    }
}

/// Authenticates an enrolled kiosk's request; returns its id.
fn authenticate(
    c: &Central,
    auth: &RequestAuth,
    path: &str,
    body: &[u8],
    now: i64,
) -> Result<String, Refusal> {
    let row = c
        .kiosk(&auth.kiosk)
        .map_err(Refusal::unavailable)?
        .ok_or_else(|| Refusal::KioskNotEnrolled {
            kiosk: auth.kiosk.clone(),
        })?;
    check_auth(c, auth, &row.ed25519, path, body, now)?;
    if row.revoked {
        return Err(Refusal::KioskRevoked {
            kiosk: auth.kiosk.clone(),
        });
    }
    Ok(auth.kiosk.clone())
}

fn version_ok(v: u32) -> Result<(), Refusal> {
    if v != PROTOCOL_VERSION {
        return Err(Refusal::UnsupportedVersion {
            got: v,
            speaks: PROTOCOL_VERSION,
        });
    }
    Ok(())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| Refusal::Malformed {
        error: e.to_string(),
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(Refusal::unavailable(e)))
}

/// A protocol message with a version field.
pub trait Versioned {
    /// The message's protocol version.
    fn version(&self) -> u32;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> u32 {
                self.v
            }
        }
    )*};
}
versioned!(
    EnrollRequest,
    PullRequest,
    PushRequest,
    EvidenceStatusRequest,
    EvidenceChunk,
    EvidenceComplete,
    CertificateRequest,
    CertificatePdfRequest
);

/// A refused request, answered signed over its nonce (the extractors' rejection).
#[derive(Debug)]
pub struct Refused {
    central: Shared,
    nonce: String,
    refusal: Refusal,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        refuse(&self.central, &self.nonce, self.refusal)
    }
}

/// The parts every signed request has: its nonce (for the answer's signature), its auth
/// headers and its raw body (what the signature covers), and central's time.
struct RawSigned {
    central: Shared,
    nonce: String,
    auth: Result<RequestAuth, Refusal>,
    path: String,
    body: Bytes,
    now: i64,
}

impl RawSigned {
    async fn read(req: Request, central: &Shared) -> Result<RawSigned, Response> {
        let (parts, body) = req.into_parts();
        let nonce = header(&parts.headers, H_NONCE).unwrap_or("").to_owned();
        let auth = parse_auth(&parts.headers);
        let path = parts.uri.path().to_owned();
        let req = Request::from_parts(parts, body);
        // Too large or cut off: axum's own (unsigned) answer, as before.
        let body = Bytes::from_request(req, central)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(RawSigned {
            central: Arc::clone(central),
            nonce,
            auth,
            path,
            body,
            now: unix_now(),
        })
    }

    fn refused(&self, refusal: Refusal) -> Response {
        Refused {
            central: Arc::clone(&self.central),
            nonce: self.nonce.clone(),
            refusal,
        }
        .into_response()
    }
}

/// A request from an enrolled, unrevoked kiosk: signed with its enrolled key within
/// [`MAX_SKEW_SECS`] of central's clock, with a fresh nonce, whose body parses as `T` of
/// central's protocol version. Checks in that order; a failure is answered signed, with the
/// refusal's status.
#[derive(Debug)]
pub struct SignedKiosk<T> {
    /// The kiosk's id.
    pub kiosk: String,
    /// The parsed body.
    pub body: T,
    /// The request's nonce (the answer is signed over it).
    pub nonce: String,
    /// Central's time when the request arrived (Unix seconds).
    pub now: i64,
}

impl<T> FromRequest<Shared> for SignedKiosk<T>
where
    T: for<'de> Deserialize<'de> + Versioned + Send + 'static,
{
    type Rejection = Response;

    async fn from_request(req: Request, central: &Shared) -> Result<Self, Response> {
        let raw = RawSigned::read(req, central).await?;
        let (c, auth, path, body, now) = (
            Arc::clone(&raw.central),
            raw.auth.clone(),
            raw.path.clone(),
            raw.body.clone(),
            raw.now,
        );
        let checked = blocking(move || {
            let kiosk = authenticate(&c, &auth?, &path, &body, now)?;
            let req: T = parse(&body)?;
            version_ok(req.version())?;
            Ok((kiosk, req))
        })
        .await;
        match checked {
            Ok((kiosk, body)) => Ok(SignedKiosk {
                kiosk,
                body,
                nonce: raw.nonce,
                now,
            }),
            Err(r) => Err(raw.refused(r)),
        }
    }
}

/// An enrollment: signed with the new kiosk's own key (proof of possession, the key is in
/// the body), within the clock skew, with a fresh nonce, of central's protocol version.
#[derive(Debug)]
pub struct Enrolling {
    /// The request.
    pub request: EnrollRequest,
    /// The request's nonce.
    pub nonce: String,
    /// Central's time (Unix seconds).
    pub now: i64,
    /// The peer's IP address (wrong codes are counted per address).
    pub ip: String,
}

impl FromRequest<Shared> for Enrolling {
    type Rejection = Response;

    async fn from_request(req: Request, central: &Shared) -> Result<Self, Response> {
        let ip = req
            .extensions()
            .get::<axum::extract::ConnectInfo<crate::tls::PeerAddr>>()
            .map(|c| c.0 .0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        let raw = RawSigned::read(req, central).await?;
        let (c, auth, path, body, now) = (
            Arc::clone(&raw.central),
            raw.auth.clone(),
            raw.path.clone(),
            raw.body.clone(),
            raw.now,
        );
        let checked = blocking(move || {
            let auth = auth?;
            let req: EnrollRequest = parse(&body)?;
            version_ok(req.version())?;
            let public =
                KioskPublic::from_toml(&req.kiosk_public).map_err(|e| Refusal::BadKioskKey {
                    error: e.to_string(),
                })?;
            check_auth(&c, &auth, &public.ed25519, &path, &body, now)?;
            Ok(req)
        })
        .await;
        match checked {
            Ok(request) => Ok(Enrolling {
                request,
                nonce: raw.nonce,
                now,
                ip,
            }),
            Err(r) => Err(raw.refused(r)),
        }
    }
}

async fn enroll(State(c): State<Shared>, e: Enrolling) -> Response {
    let c2 = Arc::clone(&c);
    let r = blocking(move || c2.enroll_from(&e.ip, &e.request, e.now)).await;
    reply(&c, &e.nonce, r)
}

async fn pull(State(c): State<Shared>, k: SignedKiosk<PullRequest>) -> Response {
    let c2 = Arc::clone(&c);
    let SignedKiosk {
        kiosk,
        body,
        nonce,
        now,
    } = k;
    let r = blocking(move || {
        c2.prune_nonces(now).map_err(Refusal::unavailable)?;
        c2.pull(&kiosk, body.since, now)
    })
    .await;
    reply(&c, &nonce, r)
}

async fn push(State(c): State<Shared>, k: SignedKiosk<PushRequest>) -> Response {
    let c2 = Arc::clone(&c);
    let SignedKiosk {
        kiosk,
        body,
        nonce,
        now,
    } = k;
    let r = blocking(move || {
        if body.results.len() > MAX_PUSH {
            return Err(Refusal::TooManyResults { max: MAX_PUSH });
        }
        let outcomes = c2
            .ingest(Some(&kiosk), &body.results, &body.journals, now)
            .map_err(Refusal::unavailable)?;
        Ok(PushResponse {
            v: PROTOCOL_VERSION,
            outcomes,
        })
    })
    .await;
    reply(&c, &nonce, r)
}

async fn evidence_status(
    State(c): State<Shared>,
    k: SignedKiosk<EvidenceStatusRequest>,
) -> Response {
    let c2 = Arc::clone(&c);
    let r = blocking(move || c2.evidence_status(&k.kiosk, &k.body.attempt_id)).await;
    reply(&c, &k.nonce, r)
}

async fn evidence_chunk(State(c): State<Shared>, k: SignedKiosk<EvidenceChunk>) -> Response {
    let c2 = Arc::clone(&c);
    let (kiosk, nonce) = (k.kiosk, k.nonce);
    let body = k.body;
    let r = blocking(move || c2.evidence_chunk(&kiosk, &body)).await;
    reply(&c, &nonce, r)
}

async fn evidence_complete(State(c): State<Shared>, k: SignedKiosk<EvidenceComplete>) -> Response {
    let c2 = Arc::clone(&c);
    let (kiosk, nonce, now) = (k.kiosk, k.nonce, k.now);
    let body = k.body;
    let r = blocking(move || c2.evidence_complete(&kiosk, &body, now)).await;
    reply(&c, &nonce, r)
}

async fn certificate_json(State(c): State<Shared>, k: SignedKiosk<CertificateRequest>) -> Response {
    let c2 = Arc::clone(&c);
    let number = k.body.number;
    let r = blocking(move || {
        c2.certificate(&number)
            .map_err(Refusal::unavailable)?
            .ok_or(Refusal::CertificateNotFound)
    })
    .await;
    reply(&c, &k.nonce, r)
}

async fn certificate_pdf(
    State(c): State<Shared>,
    k: SignedKiosk<CertificatePdfRequest>,
) -> Response {
    let c2 = Arc::clone(&c);
    let (kiosk, body) = (k.kiosk, k.body);
    let r = blocking(move || c2.certificate_pdf_for(&kiosk, &body)).await;
    reply(&c, &k.nonce, r)
}

async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

async fn readyz(State(c): State<Shared>) -> Response {
    let c2 = Arc::clone(&c);
    match blocking(move || c2.ready().map_err(Refusal::unavailable)).await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}\n")).into_response(),
    }
}

async fn central_pub(State(c): State<Shared>) -> Response {
    signed(
        &c,
        "",
        StatusCode::OK,
        "text/plain; charset=utf-8",
        c.public().to_toml().into_bytes(),
    )
}

/// The client's address (`0.0.0.0` when served without connection info, as in tests).
pub(crate) struct PeerIp(pub(crate) std::net::IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(PeerIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<crate::tls::PeerAddr>>()
                .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0 .0.ip()),
        ))
    }
}

#[cfg(test)]
mod log_tests {
    #[test]
    fn a_log_line_is_json_with_the_path_only() {
        let line = super::log_line(1, "ab12", "GET", "/v/KZOT-2026-7QK4-M2XD", 200, 3, None);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["request"], "ab12");
        assert_eq!(v["path"], "/v/KZOT-2026-7QK4-M2XD");
        assert_eq!(v["status"], 200);
        assert!(v["kiosk"].is_null());
        assert_eq!(super::new_request_id().len(), 16);
    }
}

#[derive(Deserialize)]
struct PageQuery {
    lang: Option<String>,
    /// The check code printed on the paper, typed by the person checking.
    c: Option<String>,
}

async fn verify_page(
    State(c): State<Shared>,
    Path(number): Path<String>,
    Query(q): Query<PageQuery>,
    PeerIp(ip): PeerIp,
) -> Response {
    let now = unix_now();
    let html_of = |status: StatusCode, html: String| {
        signed(
            &c,
            "",
            status,
            "text/html; charset=utf-8",
            html.into_bytes(),
        )
    };
    if !c.verify_limit.allow(ip, now) {
        return html_of(StatusCode::TOO_MANY_REQUESTS, page::too_many());
    }
    let c2 = Arc::clone(&c);
    let today = c.office_zone().today();
    let number2 = number.clone();
    let code = q.c.clone();
    let key = page::PageKey {
        ed25519: c.public().ed25519,
    };
    match blocking(move || {
        c2.public_check(&number2, code.as_deref())
            .map_err(Refusal::unavailable)
    })
    .await
    {
        Ok(Some(check)) => html_of(
            StatusCode::OK,
            page::certificate(&check, today, q.lang.as_deref(), q.c.is_some(), &key),
        ),
        Ok(None) => html_of(StatusCode::NOT_FOUND, page::not_found(&number)),
        Err(_) => html_of(StatusCode::SERVICE_UNAVAILABLE, page::unavailable()),
    }
}

//! The HTTPS API (axum over rustls, [`crate::tls`]). Every answer, errors included, is signed with the central key over
//! the request's nonce, the status and the body (see `synaq_sync::sign`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use synaq_seal::KioskPublic;
use synaq_sync::evidence::{EvidenceChunk, EvidenceComplete, EvidenceStatusRequest};
use synaq_sync::proto::{EnrollRequest, ErrorBody, PullRequest, PushRequest, PushResponse};
use synaq_sync::sign::{
    response_message, sign_b64, RequestAuth, H_KIOSK, H_NONCE, H_SIGNATURE, H_TIME, MAX_SKEW_SECS,
};
use synaq_sync::PROTOCOL_VERSION;

use crate::ingest::Refusal;
use crate::tls::TlsListener;
use crate::{page, unix_now, Central, CentralError};

/// Most results accepted in one push.
pub const MAX_PUSH: usize = 500;

type Shared = Arc<Central>;

/// The router: `/v1/enroll`, `/v1/pull`, `/v1/push`, `/v1/evidence/{status,chunk,complete}`,
/// `/v1/certificates/{number}`,
/// `/v1/central.pub`, and the public verification page `/v/{number}`.
pub fn router(central: Arc<Central>) -> Router {
    Router::new()
        .route("/v1/enroll", post(enroll))
        .route("/v1/pull", post(pull))
        .route("/v1/push", post(push))
        .route("/v1/evidence/status", post(evidence_status))
        .route("/v1/evidence/chunk", post(evidence_chunk))
        .route("/v1/evidence/complete", post(evidence_complete))
        .route("/v1/certificates/{number}", get(certificate_json))
        .route("/v1/central.pub", get(central_pub))
        .route("/v/{number}", get(verify_page))
        .with_state(central)
}

/// Serves HTTPS on `listener` with `tls` (see [`crate::tls::TlsIdentity::server_config`])
/// until the task is dropped.
pub async fn serve(
    central: Arc<Central>,
    listener: tokio::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
) -> std::io::Result<()> {
    axum::serve(TlsListener::new(listener, tls)?, router(central)).await
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

fn status_of(code: &str) -> StatusCode {
    match code {
        "bad-request" | "unsupported-version" => StatusCode::BAD_REQUEST,
        "kiosk-revoked" | "enroll-code-used" | "enroll-code-expired" | "enroll-code-invalid" => {
            StatusCode::FORBIDDEN
        }
        "central-unavailable" => StatusCode::SERVICE_UNAVAILABLE,
        "not-found" | "evidence-no-result" => StatusCode::NOT_FOUND,
        "evidence-bad-path" => StatusCode::BAD_REQUEST,
        "evidence-offset"
        | "evidence-done"
        | "evidence-mismatch"
        | "evidence-segments"
        | "evidence-not-expected" => StatusCode::CONFLICT,
        "evidence-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNAUTHORIZED,
    }
}

fn refuse(c: &Central, nonce: &str, r: Refusal) -> Response {
    let status = status_of(&r.code);
    signed(
        c,
        nonce,
        status,
        "application/json",
        serde_json::to_vec(&ErrorBody {
            code: r.code,
            message: r.message,
        })
        .expect("errors serialize"),
    )
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn parse_auth(h: &HeaderMap) -> Result<RequestAuth, Refusal> {
    let missing = || {
        Refusal::new(
            "bad-request",
            "the request is not signed (x-synaq-* headers missing): update the kiosk",
        )
    };
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
        return Err(Refusal::new(
            "stale-request",
            format!(
                "the request's time is {} s away from ЕУМЦ's clock (at most {MAX_SKEW_SECS} s allowed): set the kiosk's clock",
                auth.time - now
            ),
        ));
    }
    if auth.nonce.len() != 32 || !auth.verify(ed25519, "POST", path, body) {
        return Err(Refusal::new(
            "bad-signature",
            "the request's signature does not verify with this kiosk's enrolled key",
        ));
    }
    match c.use_nonce(&auth.kiosk, &auth.nonce, now) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Refusal::new(
            "replayed-request",
            "this request was already received (same nonce): a replay is refused",
        )),
        Err(e) => Err(Refusal::new("central-unavailable", e.to_string())),
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
        .map_err(|e| Refusal::new("central-unavailable", e.to_string()))?
        .ok_or_else(|| {
            Refusal::new(
                "kiosk-not-enrolled",
                format!(
                    "kiosk {} is not enrolled with ЕУМЦ: enroll it with a code from ЕУМЦ",
                    auth.kiosk
                ),
            )
        })?;
    check_auth(c, auth, &row.ed25519, path, body, now)?;
    if row.revoked {
        return Err(Refusal::new(
            "kiosk-revoked",
            format!("kiosk {} was revoked by ЕУМЦ: contact ЕУМЦ", auth.kiosk),
        ));
    }
    Ok(auth.kiosk.clone())
}

fn version_ok(v: u32) -> Result<(), Refusal> {
    if v != PROTOCOL_VERSION {
        return Err(Refusal::new(
            "unsupported-version",
            format!("protocol version {v} is not supported (central speaks {PROTOCOL_VERSION}): update the kiosk"),
        ));
    }
    Ok(())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body)
        .map_err(|e| Refusal::new("bad-request", format!("the request does not parse: {e}")))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(Refusal::new("central-unavailable", e.to_string())))
}

async fn enroll(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    let nonce = header(&h, H_NONCE).unwrap_or("").to_owned();
    let c2 = Arc::clone(&c);
    let r = blocking(move || {
        let auth = parse_auth(&h)?;
        let req: EnrollRequest = parse(&body)?;
        version_ok(req.v)?;
        let public = KioskPublic::from_toml(&req.kiosk_public)
            .map_err(|e| Refusal::new("bad-request", format!("the kiosk's public key: {e}")))?;
        let now = unix_now();
        check_auth(&c2, &auth, &public.ed25519, "/v1/enroll", &body, now)?;
        c2.enroll(&req, now)
    })
    .await;
    match r {
        Ok(cert) => json(&c, &nonce, &cert),
        Err(e) => refuse(&c, &nonce, e),
    }
}

async fn pull(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    let nonce = header(&h, H_NONCE).unwrap_or("").to_owned();
    let c2 = Arc::clone(&c);
    let r = blocking(move || {
        let auth = parse_auth(&h)?;
        let now = unix_now();
        let kiosk = authenticate(&c2, &auth, "/v1/pull", &body, now)?;
        let req: PullRequest = parse(&body)?;
        version_ok(req.v)?;
        c2.prune_nonces(now)
            .map_err(|e| Refusal::new("central-unavailable", e.to_string()))?;
        c2.pull(&kiosk, req.since, now)
    })
    .await;
    match r {
        Ok(p) => json(&c, &nonce, &p),
        Err(e) => refuse(&c, &nonce, e),
    }
}

async fn push(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    let nonce = header(&h, H_NONCE).unwrap_or("").to_owned();
    let c2 = Arc::clone(&c);
    let r = blocking(move || {
        let auth = parse_auth(&h)?;
        let now = unix_now();
        let kiosk = authenticate(&c2, &auth, "/v1/push", &body, now)?;
        let req: PushRequest = parse(&body)?;
        version_ok(req.v)?;
        if req.results.len() > MAX_PUSH {
            return Err(Refusal::new(
                "bad-request",
                format!("at most {MAX_PUSH} results per push"),
            ));
        }
        let outcomes = c2
            .ingest(Some(&kiosk), &req.results, now)
            .map_err(|e| Refusal::new("central-unavailable", format!("{e}: retry later")))?;
        Ok(PushResponse {
            v: PROTOCOL_VERSION,
            outcomes,
        })
    })
    .await;
    match r {
        Ok(p) => json(&c, &nonce, &p),
        Err(e) => refuse(&c, &nonce, e),
    }
}

/// One authenticated kiosk request: auth, parse, version, then `f` with the kiosk id.
async fn kiosk_call<Q, R>(
    c: Shared,
    h: HeaderMap,
    body: Bytes,
    path: &'static str,
    version: fn(&Q) -> u32,
    f: fn(&Central, &str, Q, i64) -> Result<R, Refusal>,
) -> Response
where
    Q: for<'de> Deserialize<'de> + Send + 'static,
    R: serde::Serialize + Send + 'static,
{
    let nonce = header(&h, H_NONCE).unwrap_or("").to_owned();
    let c2 = Arc::clone(&c);
    let r = blocking(move || {
        let auth = parse_auth(&h)?;
        let now = unix_now();
        let kiosk = authenticate(&c2, &auth, path, &body, now)?;
        let req: Q = parse(&body)?;
        version_ok(version(&req))?;
        f(&c2, &kiosk, req, now)
    })
    .await;
    match r {
        Ok(v) => json(&c, &nonce, &v),
        Err(e) => refuse(&c, &nonce, e),
    }
}

async fn evidence_status(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    kiosk_call(
        c,
        h,
        body,
        "/v1/evidence/status",
        |q: &EvidenceStatusRequest| q.v,
        |c, kiosk, q, _| c.evidence_status(kiosk, &q.attempt_id),
    )
    .await
}

async fn evidence_chunk(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    kiosk_call(
        c,
        h,
        body,
        "/v1/evidence/chunk",
        |q: &EvidenceChunk| q.v,
        |c, kiosk, q, _| c.evidence_chunk(kiosk, &q),
    )
    .await
}

async fn evidence_complete(State(c): State<Shared>, h: HeaderMap, body: Bytes) -> Response {
    kiosk_call(
        c,
        h,
        body,
        "/v1/evidence/complete",
        |q: &EvidenceComplete| q.v,
        |c, kiosk, q, now| c.evidence_complete(kiosk, &q, now),
    )
    .await
}

fn lookup(c: &Central, number: &str) -> Result<Option<synaq_sync::CertificateInfo>, Refusal> {
    c.certificate(number)
        .map_err(|e: CentralError| Refusal::new("central-unavailable", e.to_string()))
}

async fn certificate_json(State(c): State<Shared>, Path(number): Path<String>) -> Response {
    let c2 = Arc::clone(&c);
    match blocking(move || lookup(&c2, &number)).await {
        Ok(Some(cert)) => json(&c, "", &cert),
        Ok(None) => refuse(
            &c,
            "",
            Refusal::new(
                "not-found",
                "no certificate with this number in the registry",
            ),
        ),
        Err(e) => refuse(&c, "", e),
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

#[derive(Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

async fn verify_page(
    State(c): State<Shared>,
    Path(number): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let c2 = Arc::clone(&c);
    let today = crate::local_date(unix_now() * 1000);
    let (status, html) = match blocking(move || lookup(&c2, &number).map(|x| (x, number))).await {
        Ok((Some(cert), _)) => (
            StatusCode::OK,
            page::certificate(&cert, today, q.lang.as_deref()),
        ),
        Ok((None, number)) => (StatusCode::NOT_FOUND, page::not_found(&number)),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, page::not_found(&e.message)),
    };
    signed(
        &c,
        "",
        status,
        "text/html; charset=utf-8",
        html.into_bytes(),
    )
}

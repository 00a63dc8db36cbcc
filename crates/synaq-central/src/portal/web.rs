//! The portal's pages: server-rendered HTML (minijinja, every value escaped), labels from the
//! Fluent catalogs (`portal-*`), one stylesheet and one small script (the ИИН checked while it
//! is typed), no third-party anything. Glue only: the decisions are in [`super`].
//!
//! - Every page but the public ones and the login needs a session (`__Host-synaq-session`:
//!   Secure, HttpOnly, SameSite=Strict); without one a page sends the browser to the login.
//! - Every form carries the session's form token (the login form a token of its own in a
//!   cookie of its own); a POST without the right one changes nothing (403).
//! - Each route names the roles it serves ([`ROUTES`]); any other role gets 403.
//! - Answers carry a strict Content-Security-Policy (only this server's style and script, no
//!   framing) and are not cached.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use synaq_core::{Code, Lang};

use super::sheet::{self, SheetKind};
use super::{Account, Batch, LearnerRow, NewSession, OoStatus, PasswordLogin, PortalError, Role};
use crate::page::L10N;
use crate::{unix_now, Central};

type Shared = Arc<Central>;

/// The session cookie.
pub const SESSION_COOKIE: &str = "__Host-synaq-session";
/// The login form's own token cookie.
const LOGIN_COOKIE: &str = "__Host-synaq-login";
const LANG_COOKIE: &str = "synaq-lang";

/// Every page and action, with the roles it serves (empty: everyone, signed in or not).
pub const ROUTES: &[(&str, &str, &[Role])] = &[
    ("GET", "/portal/oo", &[Role::Oo]),
    ("GET", "/portal/oo/register", &[Role::Oo]),
    ("POST", "/portal/oo/register", &[Role::Oo]),
    ("POST", "/portal/oo/upload", &[Role::Oo]),
    ("GET", "/portal/oo/certificate/{number}", &[Role::Oo]),
    ("GET", "/portal/oo/lecturers", &[Role::Oo]),
    ("POST", "/portal/oo/lecturers", &[Role::Oo]),
    ("POST", "/portal/oo/lecturers/remove", &[Role::Oo]),
    ("GET", "/portal/registrar", &[Role::Registrar, Role::Admin]),
    (
        "POST",
        "/portal/registrar/oo",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/oo/status",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "GET",
        "/portal/registrar/registrations",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/registrations",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "GET",
        "/portal/registrar/branches",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/branches",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/branches/code",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/kiosks/revoke",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/staff",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "GET",
        "/portal/registrar/banks",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/banks",
        &[Role::Registrar, Role::Admin],
    ),
    (
        "POST",
        "/portal/registrar/banks/revoke",
        &[Role::Registrar, Role::Admin],
    ),
    ("GET", "/portal/review", &[Role::Reviewer, Role::Admin]),
    (
        "GET",
        "/portal/review/{attempt}",
        &[Role::Reviewer, Role::Admin],
    ),
    (
        "POST",
        "/portal/review/{attempt}/decide",
        &[Role::Reviewer, Role::Admin],
    ),
    (
        "POST",
        "/portal/review/revoke",
        &[Role::Reviewer, Role::Admin],
    ),
    ("GET", "/portal/analyst", &[Role::Analyst, Role::Admin]),
    ("GET", "/portal/journal", &[Role::Admin]),
    ("GET", "/portal/login", &[]),
    ("POST", "/portal/login", &[]),
    ("POST", "/portal/logout", &[]),
    ("GET", "/portal", &[]),
    ("GET", "/registry/oo", &[]),
    ("GET", "/registry/lecturers", &[]),
];

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, text) in [
        ("base.html", include_str!("templates/base.html")),
        ("login.html", include_str!("templates/login.html")),
        ("oo.html", include_str!("templates/oo.html")),
        ("register.html", include_str!("templates/register.html")),
        ("registrar.html", include_str!("templates/registrar.html")),
        ("journal.html", include_str!("templates/journal.html")),
        ("public_oos.html", include_str!("templates/public_oos.html")),
        ("message.html", include_str!("templates/message.html")),
        (
            "review_queue.html",
            include_str!("templates/review_queue.html"),
        ),
        (
            "review_case.html",
            include_str!("templates/review_case.html"),
        ),
        ("analyst.html", include_str!("templates/analyst.html")),
        ("lecturers.html", include_str!("templates/lecturers.html")),
        ("branches.html", include_str!("templates/branches.html")),
        (
            "registrations.html",
            include_str!("templates/registrations.html"),
        ),
        ("banks.html", include_str!("templates/banks.html")),
        (
            "public_lecturers.html",
            include_str!("templates/public_lecturers.html"),
        ),
    ] {
        env.add_template(name, text)
            .expect("the portal's templates parse");
    }
    env
});

const CSS: &str = include_str!("static/portal.css");
const JS: &str = include_str!("static/portal.js");

/// The portal's routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/portal", get(home))
        .route("/portal/login", get(login_page).post(login))
        .route("/portal/logout", post(logout))
        .route("/portal/oo", get(oo_cabinet))
        .route("/portal/oo/register", get(register_page).post(register_one))
        .route(
            "/portal/oo/upload",
            // Larger than the spreadsheet limit, so that a too large file gets its message.
            post(upload).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
        )
        .route("/portal/oo/certificate/{number}", get(oo_certificate))
        .route(
            "/portal/oo/lecturers",
            get(lecturers_page).post(lecturer_add),
        )
        .route("/portal/oo/lecturers/remove", post(lecturer_remove))
        .route("/registry/lecturers", get(public_lecturers))
        .route("/portal/registrar", get(registrar_page))
        .route("/portal/registrar/oo", post(registrar_add))
        .route("/portal/registrar/oo/status", post(registrar_status))
        .route(
            "/portal/registrar/registrations",
            get(registrations_page).post(registrations_decide),
        )
        .route(
            "/portal/registrar/branches",
            get(branches_page).post(branch_add),
        )
        .route("/portal/registrar/branches/code", post(branch_code))
        .route("/portal/registrar/kiosks/revoke", post(kiosk_revoke))
        .route("/portal/registrar/staff", post(staff_set))
        .route(
            "/portal/registrar/banks",
            get(banks_page)
                .post(bank_publish)
                .layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/portal/registrar/banks/revoke", post(bank_revoke))
        .route("/portal/review", get(review_queue))
        .route("/portal/review/revoke", post(review_revoke))
        .route("/portal/review/{attempt}", get(review_case))
        .route("/portal/review/{attempt}/decide", post(review_decide))
        .route("/portal/analyst", get(analyst_page))
        .route("/portal/journal", get(journal_page))
        .route("/registry/oo", get(public_oos))
        .route("/portal/static/portal.css", get(css))
        .route("/portal/static/portal.js", get(js))
}

// ---- requests ----

fn cookie<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language: `?lang=`, else the cookie, else Kazakh.
fn lang_of(h: &HeaderMap, q: &HashMap<String, String>) -> Lang {
    let pick = |s: &str| match s {
        "ru" => Some(Lang::Ru),
        "kk" => Some(Lang::Kk),
        "en" => Some(Lang::En),
        _ => None,
    };
    q.get("lang")
        .and_then(|l| pick(l))
        .or_else(|| cookie(h, LANG_COOKIE).and_then(pick))
        .unwrap_or(Lang::Kk)
}

fn lang_code(l: Lang) -> &'static str {
    match l {
        Lang::Kk => "kk",
        Lang::Ru => "ru",
        Lang::En => "en",
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Who is asking: the session's account and form token.
struct Who {
    account: Account,
    csrf: String,
}

async fn who(c: &Shared, h: &HeaderMap) -> Result<Option<Who>, PortalError> {
    let Some(token) = cookie(h, SESSION_COOKIE).map(str::to_owned) else {
        return Ok(None);
    };
    let c = Arc::clone(c);
    let found = blocking(move || c.session(&token, unix_now())).await?;
    Ok(found.map(|(account, csrf)| Who { account, csrf }))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, PortalError> + Send + 'static,
) -> Result<T, PortalError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(PortalError::Central(crate::CentralError::Db(e.to_string()))))
}

/// The account of a request to `path`, if its role may use the route; otherwise the answer
/// (the login for no session, 403 for another role).
async fn guard(
    c: &Shared,
    h: &HeaderMap,
    lang: Lang,
    method: &str,
    path: &str,
) -> Result<Who, Response> {
    let roles = ROUTES
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map_or(&[][..], |r| r.2);
    match who(c, h).await {
        Err(e) => Err(error_page(lang, None, &e)),
        Ok(None) => Err(redirect("/portal/login")),
        Ok(Some(w)) if roles.iter().any(|r| w.account.may(*r)) => Ok(w),
        Ok(Some(w)) => Err(error_page(lang, Some(&w), &PortalError::Forbidden)),
    }
}

/// [`guard`] for a form: the form token must be the session's.
async fn guard_form(
    c: &Shared,
    h: &HeaderMap,
    lang: Lang,
    path: &str,
    csrf: Option<&str>,
) -> Result<Who, Response> {
    let w = guard(c, h, lang, "POST", path).await?;
    if csrf.is_some_and(|t| constant_eq(t, &w.csrf)) {
        Ok(w)
    } else {
        Err(error_page(lang, Some(&w), &PortalError::FormExpired))
    }
}

// ---- answers ----

fn harden(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (k, v) in [
        (
            "content-security-policy",
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    h.entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    r
}

fn redirect(to: &str) -> Response {
    harden(
        (
            StatusCode::SEE_OTHER,
            [(LOCATION, HeaderValue::from_str(to).expect("a path"))],
        )
            .into_response(),
    )
}

#[derive(Serialize)]
struct NavItem {
    href: &'static str,
    label: String,
}

#[derive(Serialize)]
struct LangLink {
    code: &'static str,
    label: &'static str,
    current: bool,
}

fn nav(lang: Lang, w: Option<&Who>) -> Vec<NavItem> {
    let t = |k: &str| L10N.text(lang, k);
    let mut items = Vec::new();
    if let Some(w) = w {
        if w.account.may(Role::Oo) {
            items.push(NavItem {
                href: "/portal/oo",
                label: t("portal-nav-learners"),
            });
            items.push(NavItem {
                href: "/portal/oo/register",
                label: t("portal-nav-register"),
            });
            items.push(NavItem {
                href: "/portal/oo/lecturers",
                label: t("portal-nav-lecturers"),
            });
        }
        if w.account.may(Role::Registrar) {
            items.push(NavItem {
                href: "/portal/registrar",
                label: t("portal-nav-oos"),
            });
        }
        if w.account.may(Role::Reviewer) {
            items.push(NavItem {
                href: "/portal/review",
                label: t("portal-nav-review"),
            });
        }
        if w.account.may(Role::Analyst) {
            items.push(NavItem {
                href: "/portal/analyst",
                label: t("portal-nav-analyst"),
            });
        }
        if w.account.role == Role::Admin {
            items.push(NavItem {
                href: "/portal/journal",
                label: t("portal-nav-journal"),
            });
        }
    }
    items.push(NavItem {
        href: "/registry/oo",
        label: t("portal-nav-registry"),
    });
    items.push(NavItem {
        href: "/registry/lecturers",
        label: t("portal-nav-registry-lecturers"),
    });
    items
}

/// Renders `template` in the page layout, with `status`.
fn page(
    template: &str,
    status: StatusCode,
    lang: Lang,
    w: Option<&Who>,
    title_key: &str,
    extra: Value,
) -> Response {
    let t = Value::from_function(move |key: String| L10N.text(lang, &key));
    let langs: Vec<LangLink> = [
        (Lang::Kk, "Қазақша"),
        (Lang::Ru, "Русский"),
        (Lang::En, "English"),
    ]
    .into_iter()
    .map(|(l, label)| LangLink {
        code: lang_code(l),
        label,
        current: l == lang,
    })
    .collect();
    let ctx = context! {
        lang => lang_code(lang),
        t => t,
        title => L10N.text(lang, title_key),
        nav => Value::from(Serde(nav(lang, w))),
        langs => Value::from(Serde(langs)),
        account => w.map(|w| context! { name => w.account.name.clone(), login => w.account.login.clone() }),
        csrf => w.map(|w| w.csrf.clone()),
        ..extra
    };
    let (status, html) = match TEMPLATES.get_template(template).and_then(|t| t.render(ctx)) {
        Ok(html) => (status, html),
        Err(e) => {
            // A bug of this server, never of the visitor: said plainly, logged.
            eprintln!("synaq-central: portal template {template}: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                L10N.text(lang, "portal-error-central"),
            )
        }
    };
    let mut r = (status, html).into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let mut r = harden(r);
    // The language chosen sticks.
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Secure; SameSite=Lax; Max-Age=31536000",
        lang_code(lang)
    );
    r.headers_mut()
        .append(SET_COOKIE, HeaderValue::from_str(&cookie).expect("ascii"));
    r
}

fn status_of(e: &PortalError) -> StatusCode {
    match e {
        PortalError::BadLogin | PortalError::SignedOut => StatusCode::UNAUTHORIZED,
        PortalError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        PortalError::Forbidden | PortalError::FormExpired => StatusCode::FORBIDDEN,
        PortalError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        PortalError::Central(_) => StatusCode::SERVICE_UNAVAILABLE,
        PortalError::OoUnknown { .. } | PortalError::NotFound => StatusCode::NOT_FOUND,
        PortalError::NotLecturer => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The message of `code` in `lang`, its arguments formatted.
fn say(lang: Lang, code: &Code) -> String {
    let mut code = code.clone();
    // A field's name is itself a label.
    if let Some(synaq_core::code::Arg::Text(f)) = code.args.get("field").cloned() {
        code.args.insert(
            "field".into(),
            synaq_core::code::Arg::Text(L10N.text(lang, &f)),
        );
    }
    if let Some(synaq_core::code::Arg::Text(s)) = code.args.get("status").cloned() {
        code.args.insert(
            "status".into(),
            synaq_core::code::Arg::Text(L10N.text(lang, &format!("portal-oo-status-{s}"))),
        );
    }
    L10N.message(lang, &code)
}

fn error_page(lang: Lang, w: Option<&Who>, e: &PortalError) -> Response {
    page(
        "message.html",
        status_of(e),
        lang,
        w,
        "portal-error-title",
        context! { error => say(lang, &e.code()) },
    )
}

// ---- pages ----

async fn css() -> Response {
    let mut r = ([(CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    harden(r)
}

async fn js() -> Response {
    let mut r = ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], JS).into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    harden(r)
}

fn home_of(a: &Account) -> &'static str {
    match a.role {
        Role::Oo => "/portal/oo",
        Role::Registrar | Role::Admin => "/portal/registrar",
        Role::Reviewer => "/portal/review",
        Role::Analyst => "/portal/analyst",
    }
}

async fn home(State(c): State<Shared>, h: HeaderMap) -> Response {
    match who(&c, &h).await {
        Ok(Some(w)) => redirect(home_of(&w.account)),
        _ => redirect("/portal/login"),
    }
}

fn random_token() -> String {
    super::random_hex(16)
}

fn login_form(lang: Lang, status: StatusCode, error: Option<String>, login: &str) -> Response {
    let token = random_token();
    let mut r = page(
        "login.html",
        status,
        lang,
        None,
        "portal-login-title",
        context! { form_token => token.clone(), error => error, login => login },
    );
    let cookie = format!("{LOGIN_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict");
    r.headers_mut()
        .append(SET_COOKIE, HeaderValue::from_str(&cookie).expect("hex"));
    r
}

async fn login_page(h: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    login_form(lang_of(&h, &q), StatusCode::OK, None, "")
}

async fn login(
    State(c): State<Shared>,
    h: HeaderMap,
    crate::http::PeerIp(ip): crate::http::PeerIp,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let token_ok = cookie(&h, LOGIN_COOKIE).is_some_and(|t| constant_eq(t, field("form_token")));
    if !token_ok {
        return login_form(
            lang,
            StatusCode::FORBIDDEN,
            Some(say(lang, &PortalError::FormExpired.code())),
            field("login"),
        );
    }
    let (login, password) = (field("login").to_owned(), field("password").to_owned());
    let c2 = Arc::clone(&c);
    let l2 = login.clone();
    let done =
        blocking(move || c2.login(&PasswordLogin, &l2, &password, &ip.to_string(), unix_now()))
            .await;
    match done {
        Ok(NewSession { token, account, .. }) => {
            let mut r = redirect(home_of(&account));
            let cookie = format!(
                "{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
                super::SESSION_SECS
            );
            r.headers_mut()
                .append(SET_COOKIE, HeaderValue::from_str(&cookie).expect("hex"));
            r
        }
        Err(e) => login_form(lang, status_of(&e), Some(say(lang, &e.code())), &login),
    }
}

async fn logout(
    State(c): State<Shared>,
    h: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &HashMap::new());
    let w = match who(&c, &h).await {
        Ok(Some(w)) => w,
        _ => return redirect("/portal/login"),
    };
    if !f.get("csrf").is_some_and(|t| constant_eq(t, &w.csrf)) {
        return error_page(lang, Some(&w), &PortalError::FormExpired);
    }
    if let Some(token) = cookie(&h, SESSION_COOKIE).map(str::to_owned) {
        let c2 = Arc::clone(&c);
        let _ = blocking(move || c2.logout(&token, unix_now())).await;
    }
    let mut r = redirect("/portal/login");
    r.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_static(
            "__Host-synaq-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    r
}

#[derive(Serialize)]
struct LearnerView {
    name: String,
    iin: String,
    category: String,
    branch: String,
    window: String,
    payment: String,
    state: String,
    state_class: &'static str,
    note: String,
    certificate: Option<String>,
}

fn dmy(iso: &str) -> String {
    synaq_core::time::parse_iso(iso).map_or_else(|_| iso.to_owned(), synaq_core::time::format_dmy)
}

async fn oo_cabinet(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/oo").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let bin = w.account.oo_bin.clone().unwrap_or_default();
    let c2 = Arc::clone(&c);
    let b2 = bin.clone();
    let data = blocking(move || {
        let oo = c2.oo(&b2)?;
        let learners = c2.learners(&b2, 500)?;
        let categories = c2.categories()?;
        let stats: Vec<_> = c2
            .oo_stats()?
            .into_iter()
            .filter(|s| s.oo_bin == b2)
            .collect();
        Ok((oo, learners, stats, categories))
    })
    .await;
    let (oo, learners, stats, categories) = match data {
        Ok(d) => d,
        Err(e) => return error_page(lang, Some(&w), &e),
    };
    let t = |k: &str| L10N.text(lang, k);
    let learners: Vec<LearnerView> = learners
        .into_iter()
        .map(|l| LearnerView {
            name: l.name,
            iin: l.iin_masked,
            category: category_name(lang, &categories, &l.category),
            branch: l.branch,
            window: format!("{} – {}", dmy(&l.window.0), dmy(&l.window.1)),
            payment: l.payment,
            state: t(&format!("portal-learner-{}", l.state.as_str())),
            state_class: match l.state {
                super::LearnerState::Passed => "ok",
                super::LearnerState::Failed | super::LearnerState::Rejected => "bad",
                _ => "",
            },
            note: l.retake_until.map_or_else(String::new, |d| {
                let mut a = fluent_bundle::FluentArgs::new();
                a.set("date", dmy(&d));
                L10N.format(lang, "portal-learner-retake-until", Some(&a))
            }),
            certificate: l.certificate,
        })
        .collect();
    let ratings: Vec<_> = stats
        .iter()
        .map(|s| {
            let total = s.passed + s.failed;
            context! {
                year => s.year,
                passed => s.passed,
                failed => s.failed,
                share => (s.failed * 100).checked_div(total).unwrap_or(0),
                flagged => s.flagged,
            }
        })
        .collect();
    let (oo_name, status, reason) = oo
        .map_or((bin.clone(), "active".to_owned(), String::new()), |o| {
            (o.name, o.status.as_str().to_owned(), o.reason)
        });
    page(
        "oo.html",
        StatusCode::OK,
        lang,
        Some(&w),
        "portal-oo-title",
        context! {
            oo_name => oo_name,
            bin => bin,
            status => status.clone(),
            status_label => t(&format!("portal-oo-status-{status}")),
            reason => reason,
            learners => Value::from(Serde(&learners)),
            ratings => ratings,
            notice => q.get("done").and_then(|n| n.parse::<i64>().ok()).map(|n| {
                let mut a = fluent_bundle::FluentArgs::new();
                a.set("count", n);
                L10N.format(lang, "portal-register-done", Some(&a))
            }),
        },
    )
}

#[derive(Serialize)]
struct RowErrorView {
    row: usize,
    message: String,
}

/// The registration page with the choices, what was typed, and the errors.
async fn register_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    fields: &HashMap<String, String>,
    error: Option<&PortalError>,
) -> Response {
    let c2 = Arc::clone(c);
    let choices = blocking(move || Ok((c2.categories()?, c2.branch_list()?))).await;
    let (categories, branches) = match choices {
        Ok(x) => x,
        Err(e) => return error_page(lang, Some(w), &e),
    };
    let categories: Vec<_> = categories
        .into_iter()
        .map(|c| {
            let name = if lang == Lang::Kk { c.kk } else { c.ru };
            context! { id => c.id, name => name }
        })
        .collect();
    let branches: Vec<_> = branches
        .into_iter()
        .map(|(code, name)| context! { code => code, name => name })
        .collect();
    let rows: Vec<RowErrorView> = match error {
        Some(PortalError::Rows(rows)) => rows
            .iter()
            .map(|r| RowErrorView {
                row: r.row,
                message: say(lang, &r.code),
            })
            .collect(),
        _ => Vec::new(),
    };
    let today = crate::local_date(unix_now() * 1000);
    page(
        "register.html",
        status,
        lang,
        Some(w),
        "portal-register-title",
        context! {
            categories => categories,
            branches => branches,
            f => Value::from(Serde(fields)),
            today => today.to_string(),
            error => error.map(|e| say(lang, &e.code())),
            rows => Value::from(Serde(&rows)),
        },
    )
}

async fn register_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/oo/register").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    register_form(&c, lang, &w, StatusCode::OK, &HashMap::new(), None).await
}

fn batch_of(f: &HashMap<String, String>) -> Result<Batch, PortalError> {
    let field = |k: &str| f.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let date = |k: &str| {
        field(k)
            .parse::<chrono::NaiveDate>()
            .map_err(|_| PortalError::Invalid {
                field: "portal-field-window",
            })
    };
    Ok(Batch {
        category: field("category"),
        branch: field("branch"),
        from: date("from")?,
        to: date("to")?,
    })
}

async fn registered(
    c: &Shared,
    lang: Lang,
    w: Who,
    fields: HashMap<String, String>,
    rows: Result<Vec<LearnerRow>, PortalError>,
) -> Response {
    let batch = batch_of(&fields);
    let (c2, account) = (Arc::clone(c), w.account.clone());
    let done = blocking(move || {
        let batch = batch?;
        let rows = rows?;
        c2.register_learners(&account, &batch, &rows, unix_now())
    })
    .await;
    match done {
        Ok(n) => redirect(&format!("/portal/oo?done={n}")),
        Err(e) => {
            let status = status_of(&e);
            register_form(c, lang, &w, status, &fields, Some(&e)).await
        }
    }
}

async fn register_one(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/oo/register",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let row = sheet::check_row(1, field("iin"), field("name"), field("payment"))
        .map(|r| vec![r])
        .map_err(|e| PortalError::Rows(vec![e]));
    registered(&c, lang, w, f, row).await
}

async fn upload(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    m: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang_of(&h, &q);
    let Ok(mut m) = m else {
        // Not a file upload at all: the guard's answer, or the form is expired.
        return match guard(&c, &h, lang, "POST", "/portal/oo/upload").await {
            Ok(w) => error_page(lang, Some(&w), &PortalError::FormExpired),
            Err(r) => r,
        };
    };
    let mut fields = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    loop {
        match m.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or("").to_owned();
                if name == "file" {
                    let file_name = part.file_name().unwrap_or("").to_owned();
                    match part.bytes().await {
                        Ok(b) => file = Some((file_name, b.to_vec())),
                        Err(_) => too_large = true,
                    }
                } else if let Ok(text) = part.text().await {
                    fields.insert(name, text);
                }
            }
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/oo/upload",
        fields.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let rows = match file {
        _ if too_large => Err(PortalError::TooLarge {
            max_mb: (sheet::MAX_BYTES / 1024 / 1024) as u32,
        }),
        Some((name, bytes)) => match SheetKind::of(&name) {
            Some(kind) => sheet::parse(&bytes, kind).map_err(PortalError::Rows),
            None => Err(PortalError::Invalid {
                field: "portal-field-file",
            }),
        },
        None => Err(PortalError::Invalid {
            field: "portal-field-file",
        }),
    };
    registered(&c, lang, w, fields, rows).await
}

async fn oo_certificate(
    State(c): State<Shared>,
    h: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/oo/certificate/{number}").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let bin = w.account.oo_bin.clone().unwrap_or_default();
    let c2 = Arc::clone(&c);
    let n2 = number.clone();
    let pdf = blocking(move || {
        if !c2.certificate_of_oo(&n2, &bin)? {
            return Err(PortalError::NotFound);
        }
        Ok(c2.certificate_pdf(&n2, false)?)
    })
    .await;
    match pdf {
        Ok(Some((bytes, _))) => {
            let disposition = format!("attachment; filename=\"{number}.pdf\"");
            harden(
                (
                    [
                        (CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                        (
                            axum::http::header::CONTENT_DISPOSITION,
                            HeaderValue::from_str(&disposition)
                                .unwrap_or(HeaderValue::from_static("attachment")),
                        ),
                    ],
                    bytes,
                )
                    .into_response(),
            )
        }
        Ok(None) => error_page(lang, Some(&w), &PortalError::NotFound),
        Err(e) => error_page(lang, Some(&w), &e),
    }
}

#[derive(Serialize)]
struct OoView {
    bin: String,
    name: String,
    status: String,
    status_label: String,
    reason: String,
    changed: String,
}

fn oo_views(lang: Lang, oos: Vec<super::Oo>) -> Vec<OoView> {
    oos.into_iter()
        .map(|o| OoView {
            status_label: L10N.text(lang, &format!("portal-oo-status-{}", o.status.as_str())),
            status: o.status.as_str().to_owned(),
            bin: o.bin,
            name: o.name,
            reason: o.reason,
            changed: chrono::DateTime::from_timestamp(o.changed, 0)
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
        })
        .collect()
}

async fn registrar_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    notice: Option<String>,
) -> Response {
    let c2 = Arc::clone(c);
    let oos = match blocking(move || c2.oos()).await {
        Ok(o) => o,
        Err(e) => return error_page(lang, Some(w), &e),
    };
    page(
        "registrar.html",
        status,
        lang,
        Some(w),
        "portal-registrar-title",
        context! {
            oos => Value::from(Serde(oo_views(lang, oos))),
            error => error.map(|e| say(lang, &e.code())),
            notice => notice,
        },
    )
}

async fn registrar_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/registrar").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    registrar_form(&c, lang, &w, StatusCode::OK, None, None).await
}

async fn registrar_add(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/registrar/oo",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let (c2, account, bin, name) = (
        Arc::clone(&c),
        w.account.clone(),
        field("bin"),
        field("name"),
    );
    match blocking(move || c2.oo_add(&account, &bin, &name, unix_now())).await {
        Ok(()) => redirect("/portal/registrar"),
        Err(e) => registrar_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn registrar_status(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/registrar/oo/status",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let Some(status) = OoStatus::parse(&field("status")) else {
        let e = PortalError::Invalid {
            field: "portal-field-status",
        };
        return registrar_form(&c, lang, &w, status_of(&e), Some(&e), None).await;
    };
    let (c2, account, bin, reason) = (
        Arc::clone(&c),
        w.account.clone(),
        field("bin"),
        field("reason"),
    );
    match blocking(move || c2.oo_set_status(&account, &bin, status, &reason, unix_now())).await {
        Ok(()) => redirect("/portal/registrar"),
        Err(e) => registrar_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

/// A hold reason's label, and its values (in English, as central states them) for the
/// English page only.
fn hold_reason(lang: Lang, r: &crate::verdict::HoldReason) -> (String, String) {
    let label = L10N.text(lang, &format!("hold-{}", r.code()));
    let detail = if lang == Lang::En && r.to_string() != label {
        r.to_string()
    } else {
        String::new()
    };
    (label, detail)
}

/// A result's state at central, in words.
fn state_word(lang: Lang, state: &str) -> String {
    let key = format!("portal-state-{state}");
    if L10N.has(lang, &key) {
        L10N.text(lang, &key)
    } else {
        state.to_owned()
    }
}

/// A category's name in `lang` (its id when the bank no longer has it).
fn category_name(lang: Lang, categories: &[super::CategoryChoice], id: &str) -> String {
    categories.iter().find(|c| c.id == id).map_or_else(
        || id.to_owned(),
        |c| {
            if lang == Lang::Kk {
                c.kk.clone()
            } else {
                c.ru.clone()
            }
        },
    )
}

fn result_word(lang: Lang, passed: bool) -> (String, &'static str) {
    if passed {
        (L10N.text(lang, "portal-learner-passed"), "ok")
    } else {
        (L10N.text(lang, "portal-learner-failed"), "bad")
    }
}

async fn review_queue(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/review").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    review_queue_page(&c, lang, &w, StatusCode::OK, None, q.get("done").cloned()).await
}

async fn review_queue_page(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    done: Option<String>,
) -> Response {
    let c2 = Arc::clone(c);
    let (queue, categories) =
        match blocking(move || Ok((c2.review_queue()?, c2.categories()?))).await {
            Ok(q) => q,
            Err(e) => return error_page(lang, Some(w), &e),
        };
    let queue: Vec<_> = queue
        .into_iter()
        .map(|q| {
            let (result, result_class) = result_word(lang, q.passed);
            context! {
                attempt => q.attempt,
                iin => q.iin_masked,
                category => category_name(lang, &categories, &q.category),
                result => result,
                result_class => result_class,
                state => state_word(lang, &q.state),
                reasons => q.reasons.iter().map(|r| hold_reason(lang, r).0).collect::<Vec<_>>(),
            }
        })
        .collect();
    page(
        "review_queue.html",
        status,
        lang,
        Some(w),
        "portal-review-title",
        context! {
            queue => queue,
            error => error.map(|e| say(lang, &e.code())),
            notice => done.map(|d| L10N.text(lang, &format!("portal-review-done-{d}"))),
        },
    )
}

async fn review_case(
    State(c): State<Shared>,
    h: HeaderMap,
    Path(attempt): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/review/{attempt}").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    review_case_page(&c, lang, &w, &attempt, StatusCode::OK, None).await
}

async fn review_case_page(
    c: &Shared,
    lang: Lang,
    w: &Who,
    attempt: &str,
    status: StatusCode,
    error: Option<&PortalError>,
) -> Response {
    let (c2, a2) = (Arc::clone(c), attempt.to_owned());
    let found = blocking(move || {
        let case = c2.review_case(&a2)?;
        let frames = match &case {
            Some(_) => Some(c2.review_frames(&a2)?),
            None => None,
        };
        Ok((case, frames, c2.office_zone(), c2.categories()?))
    })
    .await;
    let (case, frames, zone, categories) = match found {
        Ok((Some(case), Some(frames), zone, categories)) => (case, frames, zone, categories),
        Ok(_) => return error_page(lang, Some(w), &PortalError::NotFound),
        Err(e) => return error_page(lang, Some(w), &e),
    };
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let t = |k: &str| L10N.text(lang, k);
    let (frames, frames_note) = match frames {
        super::review::Frames::Shown(f) => (
            f.iter()
                .enumerate()
                .map(|(i, f)| {
                    let mut a = fluent_bundle::FluentArgs::new();
                    a.set("segment", f.segment);
                    a.set("index", f.index);
                    let caption = if i == 0 {
                        t("portal-review-reference")
                    } else {
                        L10N.format(lang, "portal-review-frame", Some(&a))
                    };
                    context! { mime => f.mime, b64 => b64.encode(&f.bytes), caption => caption }
                })
                .collect::<Vec<_>>(),
            String::new(),
        ),
        super::review::Frames::NoKey => (Vec::new(), t("portal-review-no-key")),
        super::review::Frames::NotHere(_) => (Vec::new(), t("portal-review-no-evidence")),
    };
    let at = |ms: i64| zone.format_datetime_ms(ms);
    let mut timeline =
        vec![context! { at => at(case.started_ms), what => t("portal-review-started") }];
    for i in &case.incidents {
        timeline.push(
            context! { at => at(i.at_ms), what => format!("{} · {}: {}", i.kind, i.by, i.note) },
        );
    }
    timeline.push(context! { at => at(case.finished_ms), what => t("portal-review-finished") });
    let (result, result_class) = result_word(lang, case.passed);
    let decidable = matches!(case.state.as_str(), "held" | "awaiting-evidence");
    let view = context! {
        attempt => case.attempt.clone(),
        kiosk => case.kiosk,
        iin => case.iin_masked,
        category => category_name(lang, &categories, &case.category),
        result => result,
        result_class => result_class,
        percent => case.percent,
        state => state_word(lang, &case.state),
        proctor => case.proctor,
        time_used => {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("used", case.active_ms / 60_000);
            a.set("limit", case.limit_ms / 60_000);
            L10N.format(lang, "portal-review-minutes", Some(&a))
        },
        reasons => case.reasons.iter().map(|r| {
            let (label, detail) = hold_reason(lang, r);
            context! { label => label, detail => detail }
        }).collect::<Vec<_>>(),
        timeline => timeline,
        journal => case.journal.iter().map(|j| context! {
            at => at(j.at * 1000), action => j.action.clone(), reviewer => j.reviewer.clone(), reason => j.reason.clone(),
        }).collect::<Vec<_>>(),
    };
    page(
        "review_case.html",
        status,
        lang,
        Some(w),
        "portal-review-case-title",
        context! {
            case => view,
            frames => frames,
            frames_note => frames_note,
            decidable => decidable,
            error => error.map(|e| say(lang, &e.code())),
        },
    )
}

async fn review_decide(
    State(c): State<Shared>,
    h: HeaderMap,
    Path(attempt): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/review/{attempt}/decide",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let reason = f.get("reason").cloned().unwrap_or_default();
    let decision = f.get("decision").cloned().unwrap_or_default();
    let (c2, a2, login) = (Arc::clone(&c), attempt.clone(), w.account.login.clone());
    let done = blocking(move || {
        let reason = sheet::clean_text(&reason, 500).ok_or(PortalError::Invalid {
            field: "portal-field-reason",
        })?;
        if c2.review_case(&a2)?.is_none() {
            return Err(PortalError::NotFound);
        }
        let now = unix_now();
        match decision.as_str() {
            "approve" => {
                c2.review_approve(&a2, &login, &reason, now)?;
            }
            "reject" => c2.review_reject(&a2, &login, &reason, now)?,
            _ => {
                return Err(PortalError::Invalid {
                    field: "portal-field-decision",
                })
            }
        }
        c2.portal_journal(
            &login,
            &format!("review-{decision}"),
            &format!("{a2} {reason}"),
            now,
        )?;
        Ok(decision)
    })
    .await;
    match done {
        Ok(d) => redirect(&format!("/portal/review?done={d}")),
        Err(e) => review_case_page(&c, lang, &w, &attempt, status_of(&e), Some(&e)).await,
    }
}

async fn review_revoke(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/review/revoke",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let number = f
        .get("number")
        .map(|n| n.trim().to_owned())
        .unwrap_or_default();
    let reason = f.get("reason").cloned().unwrap_or_default();
    let (c2, login) = (Arc::clone(&c), w.account.login.clone());
    let done = blocking(move || {
        let reason = sheet::clean_text(&reason, 500).ok_or(PortalError::Invalid {
            field: "portal-field-reason",
        })?;
        if c2.certificate(&number)?.is_none() {
            return Err(PortalError::Invalid {
                field: "portal-field-certificate",
            });
        }
        let now = unix_now();
        c2.revoke_certificate(&number, &login, &reason, now)?;
        c2.portal_journal(
            &login,
            "certificate-revoke",
            &format!("{number} {reason}"),
            now,
        )
    })
    .await;
    match done {
        Ok(()) => redirect("/portal/review?done=revoke"),
        Err(e) => review_queue_page(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

/// Colours a reader can tell apart (Okabe–Ito).
const COLOURS: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
];

/// The last `n` calendar months up to `today`'s, as `YYYY-MM`.
fn last_months(today: chrono::NaiveDate, n: u32) -> Vec<String> {
    (0..n)
        .rev()
        .filter_map(|back| today.checked_sub_months(chrono::Months::new(back)))
        .map(|d| d.format("%Y-%m").to_string())
        .collect()
}

/// The chart of monthly pass rates: geometry for the template, and the same numbers as text.
fn chart(
    series: &[super::analysis::Series],
    months: &[String],
    label_of: impl Fn(&str) -> String,
) -> Value {
    let (width, height, left, right, top, bottom) = (720.0, 280.0, 44.0, 708.0, 14.0, 244.0);
    let x = |i: usize| left + (right - left) * (i as f64 + 0.5) / months.len().max(1) as f64;
    let y = |pct: f64| bottom - (bottom - top) * pct / 100.0;
    let grid: Vec<Value> = [0.0, 25.0, 50.0, 70.0, 100.0]
        .iter()
        .map(|p| {
            context! {
                y => format!("{:.1}", y(*p)),
                ly => format!("{:.1}", y(*p) + 4.0),
                lx => format!("{:.1}", left - 6.0),
                label => format!("{p} %"),
                class => if (*p - 70.0).abs() < f64::EPSILON { "pass" } else { "" },
            }
        })
        .collect();
    let month_labels: Vec<Value> = months
        .iter()
        .enumerate()
        .map(|(i, m)| context! { x => format!("{:.1}", x(i)), label => format!("{}.{}", &m[5..7], &m[2..4]) })
        .collect();
    let lines: Vec<Value> = series
        .iter()
        .zip(COLOURS.iter().cycle())
        .map(|(s, colour)| {
            let mut points = Vec::new();
            let mut dots = Vec::new();
            let mut cells = Vec::new();
            for (i, m) in months.iter().enumerate() {
                match s.months.get(m) {
                    Some((passes, exams)) if *exams > 0 => {
                        let pct = f64::from(*passes) * 100.0 / f64::from(*exams);
                        let (px, py) = (format!("{:.1}", x(i)), format!("{:.1}", y(pct)));
                        points.push(format!("{px},{py}"));
                        dots.push(context! { x => px, y => py });
                        cells.push(format!("{:.0} % ({passes}/{exams})", pct));
                    }
                    _ => cells.push("—".into()),
                }
            }
            context! {
                label => label_of(&s.group),
                color => *colour,
                points => points.join(" "),
                dots => dots,
                cells => cells,
            }
        })
        .collect();
    context! {
        width => width, height => height, left => left, right => right,
        month_y => height - 8.0,
        grid => grid, months => month_labels, series => lines,
    }
}

async fn analyst_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    use super::analysis::By;
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/analyst").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let today = c.office_zone().today();
    let by = By::parse(q.get("by").map_or("category", String::as_str));
    let year: i32 = q
        .get("year")
        .and_then(|y| y.parse().ok())
        .unwrap_or(chrono::Datelike::year(&today));
    let months = last_months(today, 12);
    let since = chrono::NaiveDate::parse_from_str(&format!("{}-01", months[0]), "%Y-%m-%d")
        .unwrap_or(today)
        .and_hms_opt(0, 0, 0)
        .map_or(0, |d| d.and_utc().timestamp_millis())
        - i64::from(c.office_zone().utc_offset_minutes()) * 60_000;
    // One view at a time: the ratings (the page people open most), the chart, the watch
    // list; only its data is computed.
    let view = match q.get("view").map(String::as_str) {
        Some("chart") => "chart",
        Some("watch") => "watch",
        _ => "ratings",
    };
    let c2 = Arc::clone(&c);
    let data = blocking(move || {
        Ok((
            if view == "ratings" {
                c2.ratings(year)?
            } else {
                Vec::new()
            },
            c2.rating_years()?,
            if view == "chart" {
                c2.pass_rates(by, since, COLOURS.len())?
            } else {
                Vec::new()
            },
            if view == "watch" {
                c2.watch_list(since)?
            } else {
                Vec::new()
            },
            c2.categories()?,
        ))
    })
    .await;
    let (ratings, mut years, series, watch, categories) = match data {
        Ok(d) => d,
        Err(e) => return error_page(lang, Some(&w), &e),
    };
    if !years.contains(&year) {
        years.insert(0, year);
    }
    let t = |k: &str| L10N.text(lang, k);
    let at = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default()
    };
    let ratings: Vec<Value> = ratings
        .into_iter()
        .map(|r| {
            let total = r.passed + r.failed;
            context! {
                name => r.name,
                bin => r.bin,
                passed => r.passed,
                failed => r.failed,
                share => (r.failed * 100).checked_div(total).unwrap_or(0),
                flagged => r.flagged,
                status => r.status.clone(),
                status_label => if r.status.is_empty() { String::new() } else { t(&format!("portal-oo-status-{}", r.status)) },
                decisions => r.decisions.into_iter().map(|(when, login, action, detail)| context! {
                    at => at(when),
                    login => login,
                    action => t(&format!("portal-decision-{action}")),
                    reason => detail.split_once(' ').map_or(String::new(), |(_, rest)| rest.to_owned()),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let by_label = t(&format!("portal-analyst-by-{}", by.as_str()));
    let chart = chart(&series, &months, |g| match by {
        By::Category => category_name(lang, &categories, g),
        _ => g.to_owned(),
    });
    let watch: Vec<Value> = watch
        .into_iter()
        .map(|x| {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("minutes", x.mean_minutes);
            context! {
                kiosk => x.kiosk,
                branch => x.branch,
                exams => x.exams,
                pass_pct => x.pass_pct,
                held_pct => x.held_pct,
                median => L10N.format(lang, "portal-analyst-minutes", Some(&a)),
                flags => x.flags.iter().map(|f| t(f)).collect::<Vec<_>>(),
            }
        })
        .collect();
    page(
        "analyst.html",
        StatusCode::OK,
        lang,
        Some(&w),
        "portal-analyst-title",
        context! {
            view => view,
            year => year,
            years => years.into_iter().map(|y| context! { year => y, current => y == year }).collect::<Vec<_>>(),
            by => by.as_str(),
            by_label => by_label,
            bys => [By::Category, By::Branch, By::Kiosk].map(|b| context! {
                by => b.as_str(),
                label => t(&format!("portal-analyst-by-{}", b.as_str())),
                current => b == by,
            }).to_vec(),
            ratings => ratings,
            chart => chart,
            watch => watch,
        },
    )
}

fn lecturer_views(lecturers: Vec<super::lecturers::Lecturer>) -> Vec<Value> {
    lecturers
        .into_iter()
        .map(|l| {
            context! {
                name => l.name,
                iin => l.iin_masked,
                oo_name => l.oo_name,
                certificate => l.certificate,
                valid => l.valid,
            }
        })
        .collect()
}

async fn lecturers_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    notice: Option<String>,
) -> Response {
    let c2 = Arc::clone(c);
    let bin = w.account.oo_bin.clone().unwrap_or_default();
    let today = c.office_zone().today();
    match blocking(move || c2.lecturers(Some(&bin), today)).await {
        Ok(list) => page(
            "lecturers.html",
            status,
            lang,
            Some(w),
            "portal-lecturers-title",
            context! {
                lecturers => lecturer_views(list),
                error => error.map(|e| say(lang, &e.code())),
                notice => notice,
            },
        ),
        Err(e) => error_page(lang, Some(w), &e),
    }
}

async fn lecturers_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/oo/lecturers").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    lecturers_form(&c, lang, &w, StatusCode::OK, None, None).await
}

async fn lecturer_add(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/oo/lecturers",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (c2, account, iin) = (
        Arc::clone(&c),
        w.account.clone(),
        f.get("iin").cloned().unwrap_or_default(),
    );
    match blocking(move || c2.lecturer_add(&account, &iin, unix_now())).await {
        Ok(_) => redirect("/portal/oo/lecturers"),
        Err(e) => lecturers_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn lecturer_remove(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/oo/lecturers/remove",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (c2, account, number) = (
        Arc::clone(&c),
        w.account.clone(),
        f.get("certificate").cloned().unwrap_or_default(),
    );
    match blocking(move || c2.lecturer_remove(&account, &number, unix_now())).await {
        Ok(()) => redirect("/portal/oo/lecturers"),
        Err(e) => lecturers_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn public_lecturers(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = who(&c, &h).await.ok().flatten();
    let c2 = Arc::clone(&c);
    let today = c.office_zone().today();
    match blocking(move || c2.lecturers(None, today)).await {
        Ok(list) => page(
            "public_lecturers.html",
            StatusCode::OK,
            lang,
            w.as_ref(),
            "portal-registry-lecturers-title",
            context! { lecturers => lecturer_views(list) },
        ),
        Err(e) => error_page(lang, w.as_ref(), &e),
    }
}

fn date_of(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

async fn branches_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    code: Option<(String, String)>,
) -> Response {
    let c2 = Arc::clone(c);
    let branches = match blocking(move || c2.branches_overview()).await {
        Ok(b) => b,
        Err(e) => return error_page(lang, Some(w), &e),
    };
    let t = |k: &str| L10N.text(lang, k);
    let branches: Vec<Value> = branches
        .into_iter()
        .map(|b| {
            context! {
                code => b.code,
                name => b.name,
                kiosks => b.kiosks.into_iter().map(|k| context! {
                    id => k.id, enrolled => date_of(k.enrolled), revoked => k.revoked,
                }).collect::<Vec<_>>(),
                staff => b.staff.into_iter().map(|s| context! {
                    id => s.id,
                    name => s.name,
                    role_label => t(&format!("portal-staff-{}", s.role)),
                    active => s.active,
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let (code, code_note) = match code {
        Some((branch, code)) => {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("branch", branch);
            a.set("hours", crate::ENROLL_CODE_HOURS);
            (
                Some(code),
                L10N.format(lang, "portal-branches-code-note", Some(&a)),
            )
        }
        None => (None, String::new()),
    };
    page(
        "branches.html",
        status,
        lang,
        Some(w),
        "portal-branches-title",
        context! {
            branches => branches,
            code => code,
            code_note => code_note,
            error => error.map(|e| say(lang, &e.code())),
        },
    )
}

async fn branches_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    match guard(&c, &h, lang, "GET", "/portal/registrar/branches").await {
        Ok(w) => branches_form(&c, lang, &w, StatusCode::OK, None, None).await,
        Err(r) => r,
    }
}

/// A registrar's form on the branches page: `act` with the form's fields, then the page again
/// (or `redirect` on success).
async fn branches_act<T: Send + 'static>(
    c: Shared,
    h: HeaderMap,
    q: HashMap<String, String>,
    f: HashMap<String, String>,
    path: &str,
    act: impl FnOnce(&Central, &Account, &HashMap<String, String>) -> Result<T, PortalError>
        + Send
        + 'static,
    then: impl FnOnce(T) -> Option<(String, String)>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(&c, &h, lang, path, f.get("csrf").map(String::as_str)).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (c2, account) = (Arc::clone(&c), w.account.clone());
    match blocking(move || act(&c2, &account, &f)).await {
        Ok(v) => match then(v) {
            Some(code) => branches_form(&c, lang, &w, StatusCode::OK, None, Some(code)).await,
            None => redirect("/portal/registrar/branches"),
        },
        Err(e) => branches_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

fn field(f: &HashMap<String, String>, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

async fn branch_add(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    branches_act(
        c,
        h,
        q,
        f,
        "/portal/registrar/branches",
        |c, a, f| c.portal_add_branch(a, &field(f, "code"), &field(f, "name"), unix_now()),
        |()| None,
    )
    .await
}

async fn branch_code(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    branches_act(
        c,
        h,
        q,
        f,
        "/portal/registrar/branches/code",
        |c, a, f| {
            let branch = field(f, "branch");
            let code = c.portal_enrollment_code(a, &branch, unix_now())?;
            Ok((branch, code))
        },
        Some,
    )
    .await
}

async fn kiosk_revoke(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    branches_act(
        c,
        h,
        q,
        f,
        "/portal/registrar/kiosks/revoke",
        |c, a, f| c.portal_revoke_kiosk(a, &field(f, "kiosk"), unix_now()),
        |()| None,
    )
    .await
}

async fn staff_set(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    branches_act(
        c,
        h,
        q,
        f,
        "/portal/registrar/staff",
        |c, a, f| {
            c.portal_set_staff(
                a,
                &super::branches::StaffForm {
                    branch: &field(f, "branch"),
                    id: &field(f, "id"),
                    name: &field(f, "name"),
                    role: &field(f, "role"),
                    active: field(f, "active") == "1",
                },
                unix_now(),
            )
        },
        |()| None,
    )
    .await
}

async fn banks_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    notice: Option<String>,
) -> Response {
    let c2 = Arc::clone(c);
    let banks = match blocking(move || c2.banks_overview()).await {
        Ok(b) => b,
        Err(e) => return error_page(lang, Some(w), &e),
    };
    let banks: Vec<Value> = banks
        .into_iter()
        .map(|b| {
            context! {
                series => b.series, version => b.version,
                published => date_of(b.published), revoked => b.revoked,
            }
        })
        .collect();
    page(
        "banks.html",
        status,
        lang,
        Some(w),
        "portal-banks-title",
        context! { banks => banks, error => error.map(|e| say(lang, &e.code())), notice => notice },
    )
}

async fn banks_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    match guard(&c, &h, lang, "GET", "/portal/registrar/banks").await {
        Ok(w) => banks_form(&c, lang, &w, StatusCode::OK, None, None).await,
        Err(r) => r,
    }
}

async fn bank_publish(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    m: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang_of(&h, &q);
    let Ok(mut m) = m else {
        return match guard(&c, &h, lang, "POST", "/portal/registrar/banks").await {
            Ok(w) => error_page(lang, Some(&w), &PortalError::FormExpired),
            Err(r) => r,
        };
    };
    let (mut csrf, mut file) = (None, None);
    while let Ok(Some(part)) = m.next_field().await {
        match part.name() {
            Some("csrf") => csrf = part.text().await.ok(),
            Some("file") => file = part.bytes().await.ok(),
            _ => {}
        }
    }
    let w = match guard_form(&c, &h, lang, "/portal/registrar/banks", csrf.as_deref()).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (c2, account) = (Arc::clone(&c), w.account.clone());
    let done = blocking(move || {
        let bytes = file.ok_or(PortalError::Invalid {
            field: "portal-field-bank-file",
        })?;
        c2.portal_publish_bank(&account, &bytes, unix_now())
    })
    .await;
    match done {
        Ok((series, version)) => {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("series", series);
            a.set("version", version);
            let note = L10N.format(lang, "portal-banks-published", Some(&a));
            banks_form(&c, lang, &w, StatusCode::OK, None, Some(note)).await
        }
        Err(e) => banks_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn bank_revoke(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/registrar/banks/revoke",
        f.get("csrf").map(String::as_str),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (c2, account) = (Arc::clone(&c), w.account.clone());
    let done = blocking(move || {
        let version = field(&f, "version")
            .parse()
            .map_err(|_| PortalError::NotFound)?;
        c2.portal_revoke_bank(&account, &field(&f, "series"), version, unix_now())
    })
    .await;
    match done {
        Ok(()) => redirect("/portal/registrar/banks"),
        Err(e) => banks_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn registrations_form(
    c: &Shared,
    lang: Lang,
    w: &Who,
    status: StatusCode,
    error: Option<&PortalError>,
    notice: Option<String>,
) -> Response {
    let c2 = Arc::clone(c);
    let data = blocking(move || Ok((c2.pending_registrations(1000)?, c2.categories()?))).await;
    let (pending, categories) = match data {
        Ok(d) => d,
        Err(e) => return error_page(lang, Some(w), &e),
    };
    let pending: Vec<Value> = pending
        .into_iter()
        .map(|p| {
            context! {
                id => p.id,
                oo_name => p.oo_name,
                name => p.name,
                iin => p.iin_masked,
                category => category_name(lang, &categories, &p.category),
                branch => p.branch,
                window => format!("{} – {}", dmy(&p.window.0), dmy(&p.window.1)),
                payment => p.payment,
            }
        })
        .collect();
    page(
        "registrations.html",
        status,
        lang,
        Some(w),
        "portal-registrations-title",
        context! {
            pending => pending,
            error => error.map(|e| say(lang, &e.code())),
            notice => notice,
        },
    )
}

async fn registrations_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    match guard(&c, &h, lang, "GET", "/portal/registrar/registrations").await {
        Ok(w) => {
            let notice = q.get("done").map(|n| {
                let mut a = fluent_bundle::FluentArgs::new();
                a.set("count", n.parse::<i64>().unwrap_or(0));
                L10N.format(lang, "portal-registrations-done", Some(&a))
            });
            registrations_form(&c, lang, &w, StatusCode::OK, None, notice).await
        }
        Err(r) => r,
    }
}

async fn registrations_decide(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let one = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let w = match guard_form(
        &c,
        &h,
        lang,
        "/portal/registrar/registrations",
        one("csrf").as_deref(),
    )
    .await
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let ids: Vec<i64> = f
        .iter()
        .filter(|(n, _)| n == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let (action, reason) = (
        one("action").unwrap_or_default(),
        one("reason").unwrap_or_default(),
    );
    let (c2, account) = (Arc::clone(&c), w.account.clone());
    let done = blocking(move || {
        if ids.is_empty() {
            return Err(PortalError::Invalid {
                field: "portal-field-learners",
            });
        }
        match action.as_str() {
            "confirm" => c2.confirm_registrations(&account, &ids, unix_now()),
            "refuse" => c2.refuse_registrations(&account, &ids, &reason, unix_now()),
            _ => Err(PortalError::Invalid {
                field: "portal-field-decision",
            }),
        }
    })
    .await;
    match done {
        Ok(n) => redirect(&format!("/portal/registrar/registrations?done={n}")),
        Err(e) => registrations_form(&c, lang, &w, status_of(&e), Some(&e), None).await,
    }
}

async fn journal_page(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = match guard(&c, &h, lang, "GET", "/portal/journal").await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let c2 = Arc::clone(&c);
    let rows = match blocking(move || c2.portal_journal_rows(500)).await {
        Ok(r) => r,
        Err(e) => return error_page(lang, Some(&w), &e),
    };
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(at, login, action, detail)| {
            context! {
                at => chrono::DateTime::from_timestamp(at, 0)
                    .map(|d| d.format("%d.%m.%Y %H:%M:%S UTC").to_string())
                    .unwrap_or_default(),
                login => login,
                action => action,
                detail => detail,
            }
        })
        .collect();
    page(
        "journal.html",
        StatusCode::OK,
        lang,
        Some(&w),
        "portal-journal-title",
        context! { rows => rows },
    )
}

async fn public_oos(
    State(c): State<Shared>,
    h: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&h, &q);
    let w = who(&c, &h).await.ok().flatten();
    let c2 = Arc::clone(&c);
    match blocking(move || c2.oos()).await {
        Ok(oos) => page(
            "public_oos.html",
            StatusCode::OK,
            lang,
            w.as_ref(),
            "portal-registry-title",
            context! { oos => Value::from(Serde(oo_views(lang, oos))) },
        ),
        Err(e) => error_page(lang, w.as_ref(), &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_TEMPLATES: &[&str] = &[
        include_str!("templates/base.html"),
        include_str!("templates/login.html"),
        include_str!("templates/oo.html"),
        include_str!("templates/register.html"),
        include_str!("templates/registrar.html"),
        include_str!("templates/journal.html"),
        include_str!("templates/public_oos.html"),
        include_str!("templates/message.html"),
        include_str!("templates/review_queue.html"),
        include_str!("templates/review_case.html"),
        include_str!("templates/analyst.html"),
        include_str!("templates/lecturers.html"),
        include_str!("templates/public_lecturers.html"),
        include_str!("templates/branches.html"),
        include_str!("templates/banks.html"),
        include_str!("templates/registrations.html"),
    ];

    #[test]
    fn every_page_template_is_registered() {
        for name in [
            "login.html",
            "oo.html",
            "register.html",
            "registrar.html",
            "journal.html",
            "public_oos.html",
            "message.html",
            "review_queue.html",
            "review_case.html",
            "analyst.html",
            "lecturers.html",
            "public_lecturers.html",
            "branches.html",
            "banks.html",
            "registrations.html",
        ] {
            // Registered and parsed; the HTTP tests render each with its values.
            TEMPLATES
                .get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn every_label_the_templates_use_is_in_every_catalog() {
        LazyLock::force(&TEMPLATES);
        let mut keys = Vec::new();
        for text in ALL_TEMPLATES {
            for part in text.split("t(\"").skip(1) {
                keys.push(part.split('"').next().unwrap().to_owned());
            }
        }
        assert!(keys.len() > 40, "{keys:?}");
        for key in keys {
            for lang in [Lang::Kk, Lang::Ru, Lang::En] {
                assert!(L10N.has(lang, &key), "{key} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn every_portal_message_formats_with_its_values_in_every_language() {
        let mut codes: Vec<Code> = PortalError::examples()
            .iter()
            .map(PortalError::code)
            .collect();
        codes.extend(
            [
                "portal-row-iin",
                "portal-row-name",
                "portal-row-payment",
                "portal-row-already-registered",
                "portal-sheet-not-utf8",
                "portal-sheet-unreadable",
                "portal-sheet-empty",
            ]
            .map(Code::new),
        );
        codes.push(Code::new("portal-row-duplicate").arg("first", 3i64));
        codes.push(Code::new("portal-sheet-too-large").arg("max", 2i64));
        codes.push(Code::new("portal-sheet-too-many").arg("max", 5000i64));
        for status in ["active", "suspended", "excluded"] {
            codes.push(Code::new(format!("portal-oo-status-{status}")));
        }
        for code in codes {
            for lang in [Lang::Kk, Lang::Ru, Lang::En] {
                assert!(
                    L10N.has(lang, code.id()),
                    "{} missing in {lang:?}",
                    code.id()
                );
                let text = say(lang, &code);
                assert!(
                    !text.contains('{') && !text.is_empty(),
                    "{} in {lang:?}: {text}",
                    code.id()
                );
            }
        }
        // The field's name is shown as its label, the status as a word.
        let e = PortalError::OoNotActive {
            bin: "080840001239".into(),
            status: "excluded".into(),
            reason: "R".into(),
        };
        assert!(say(Lang::Ru, &e.code()).contains("исключена"));
        let e = PortalError::Invalid {
            field: "portal-field-window",
        };
        assert!(say(Lang::Kk, &e.code()).contains("Рұқсат етілген күндер"));
    }
}

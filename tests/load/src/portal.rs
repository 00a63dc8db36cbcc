//! `cargo xtask load portal`: the ЕУМЦ portal's heaviest pages under a registry at national
//! size. A million certificates, one training organisation with 50,000 learners (half of them
//! sat), 200,000 more results over the year on 200 kiosks and 2,000 organisations with three
//! years of statistics; then, over real HTTPS to a `synaq-central serve` process, the ОО's
//! learner list and the analyst's rating page, each asked many times by several signed-in
//! clients at once: p50, p95 and p99; and, fewer times, the analyst's chart and watch list,
//! which read the year's results.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;
use synaq_central::portal::{Account, Role};

use crate::central::{CentralCommand, CentralProcess};
use crate::preload;
use crate::report::Latency;

/// The portal benchmark's settings.
#[derive(Debug, Clone)]
pub struct PortalOptions {
    /// Certificates preloaded.
    pub certificates: u64,
    /// Learners of the one ОО.
    pub learners: u64,
    /// Requests per page.
    pub requests: usize,
    /// Clients asking at once.
    pub clients: usize,
}

/// What the portal benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct PortalReport {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Certificates preloaded.
    pub certificates: u64,
    /// Learners of the ОО.
    pub learners: u64,
    /// Seconds the preload took.
    pub preload_secs: f64,
    /// The ОО's learner list (`/portal/oo`).
    pub oo_learners: Latency,
    /// p95 of the learner list, ms.
    pub oo_learners_p95_ms: f64,
    /// The analyst's page (`/portal/analyst`).
    pub analyst: Latency,
    /// p95 of the analyst's page, ms.
    pub analyst_p95_ms: f64,
    /// The analyst's monthly chart (`?view=chart`) over a year of results.
    pub analyst_chart: Latency,
    /// The analyst's kiosks to watch (`?view=watch`).
    pub analyst_watch: Latency,
    /// Answers that were not 200.
    pub errors: usize,
}

const BIN: &str = "080840001239";
const PASSWORD: &str = "load benchmark password";

fn p95(samples: &mut [Duration]) -> f64 {
    samples.sort();
    let i = ((0.95 * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[i - 1].as_secs_f64() * 1000.0
}

/// A signed-in client: its session cookie.
async fn sign_in(http: &reqwest::Client, base: &str, login: &str) -> anyhow::Result<String> {
    let page = http.get(format!("{base}/portal/login")).send().await?;
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-synaq-login="))
        .and_then(|v| v.split(';').next())
        .context("the login form's cookie")?
        .to_owned();
    let token = cookie
        .split_once('=')
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    let r = http
        .post(format!("{base}/portal/login"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "form_token={token}&login={login}&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .send()
        .await?;
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-synaq-session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .context("no session: the sign-in failed")
}

/// `requests` GETs of `path` by `clients` clients at once, each signed in as `login`.
async fn hammer(
    base: &str,
    pin: synaq_sync::CentralPin,
    login: &str,
    path: &str,
    requests: usize,
    clients: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut tasks = Vec::new();
    let per = requests.div_ceil(clients);
    for _ in 0..clients {
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(synaq_sync::tls::client_config(pin)?)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let session = sign_in(&http, base, login).await?;
        let url = format!("{base}{path}");
        tasks.push(tokio::spawn(async move {
            let (mut times, mut errors) = (Vec::new(), 0);
            for _ in 0..per {
                let t = Instant::now();
                let ok = match http.get(&url).header("cookie", &session).send().await {
                    Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                times.push(t.elapsed());
                errors += usize::from(!ok);
            }
            (times, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (times, e) = t.await?;
        all.extend(times);
        errors += e;
    }
    Ok((all, errors))
}

/// Runs the portal benchmark on the database of `o` (SQLite in its data directory, or
/// `o.database`).
pub async fn run(
    o: &crate::Options,
    p: &PortalOptions,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<PortalReport> {
    if o.data.exists() {
        std::fs::remove_dir_all(&o.data)?;
    }
    std::fs::create_dir_all(&o.data)?;
    let t = Instant::now();
    let central = crate::open_central(o)?;
    central.add_branch(synaq_loop::BRANCH, "Алматы")?;
    central.add_branch(preload::PRELOAD_BRANCH, "Жүктеме")?;
    central.publish_bank(&synaq_loop::build_bank(&central, "demo", 1))?;
    let admin = Account {
        login: "load".into(),
        name: "load".into(),
        role: Role::Admin,
        oo_bin: None,
    };
    let now = synaq_central::unix_now();
    central
        .oo_add(&admin, BIN, "«Қауіпсіз Еңбек» ЖШС", now)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for (login, role) in [("oo", Role::Oo), ("analyst", Role::Analyst)] {
        let bin = (role == Role::Oo).then_some(BIN);
        central
            .add_account(login, login, role, bin, PASSWORD, now)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    preload::preload(
        &central.db(),
        p.certificates,
        "cat-1",
        "2026-01-15",
        "2029-01-15",
    )?;
    preload::preload_portal(
        &central.db(),
        BIN,
        p.learners,
        2_000,
        200_000,
        200,
        "cat-1",
        now * 1000,
    )?;
    let pin = synaq_central::tls::TlsIdentity::load_or_create(&o.data, &[])?.pin();
    drop(central);
    let preload_secs = t.elapsed().as_secs_f64();
    progress(&format!(
        "portal: {} certificates, {} learners of one ОО, 200000 results, 2000 ОО preloaded in {preload_secs:.1} s",
        p.certificates, p.learners
    ));
    let cmd = CentralCommand {
        bin: o.central_bin.clone(),
        data: o.data.clone(),
        database: o.database.clone(),
        evidence: o.evidence.clone(),
    };
    let process = CentralProcess::start(&cmd, o.data.join("portal-central.log"), pin)?;
    let base = Arc::new(process.base());
    // Warm both pages once (bank opened, statements prepared).
    hammer(&base, pin, "oo", "/portal/oo", 1, 1).await?;
    hammer(&base, pin, "analyst", "/portal/analyst", 1, 1).await?;
    let (mut learners, e1) = hammer(&base, pin, "oo", "/portal/oo", p.requests, p.clients).await?;
    progress(&format!("portal: {} learner lists", learners.len()));
    let (mut analyst, e2) = hammer(
        &base,
        pin,
        "analyst",
        "/portal/analyst",
        p.requests,
        p.clients,
    )
    .await?;
    let few = (p.requests / 4).max(p.clients);
    let (chart, e3) = hammer(
        &base,
        pin,
        "analyst",
        "/portal/analyst?view=chart",
        few,
        p.clients,
    )
    .await?;
    let (watch, e4) = hammer(
        &base,
        pin,
        "analyst",
        "/portal/analyst?view=watch",
        few,
        p.clients,
    )
    .await?;
    process.stop()?;
    Ok(PortalReport {
        backend: if o.database.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
        .into(),
        certificates: p.certificates,
        learners: p.learners,
        preload_secs,
        oo_learners_p95_ms: p95(&mut learners),
        oo_learners: Latency::of(learners),
        analyst_p95_ms: p95(&mut analyst),
        analyst: Latency::of(analyst),
        analyst_chart: Latency::of(chart),
        analyst_watch: Latency::of(watch),
        errors: e1 + e2 + e3 + e4,
    })
}

//! `cargo xtask load`: central under load, measured (issue 15's load benchmark).
//!
//! 1. **Set-up** (not timed): a fresh data directory with the demo bank, a branch, a proctor,
//!    ЕУМЦ's evidence key (so central opens and checks every sealed frame), the kiosks enrolled
//!    with their banks pulled, everyone registered; every result and its sealed evidence made
//!    ([`fleet`]); a million certificates preloaded in one statement ([`preload`]).
//! 2. **Ingest** (timed): two `synaq-central serve` processes on the data directory
//!    ([`central`]); every kiosk at once pushes its results and uploads their evidence over
//!    HTTPS, kiosk `i` to process `i mod 2` ([`push`]).
//! 3. **Public check** (timed): `/v/{number}` from many concurrent clients ([`check`]).
//! 4. **Verification**: every result is at central in the state it must have (a pass
//!    certified, a fail failed, no hold reason), the bytes the database and the evidence
//!    store grew by; [`Report`].
#![forbid(unsafe_code)]

pub mod central;
pub mod check;
pub mod fleet;
pub mod portal;
pub mod preload;
pub mod push;
pub mod report;

pub use report::{Latency, Report};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use synaq_central::store::{EvidenceStore, S3Config};
use synaq_central::Central;

use crate::central::{Answers, CentralCommand, CentralProcess};
use crate::fleet::SimKiosk;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Simulated kiosks.
    pub kiosks: usize,
    /// Results each kiosk pushes.
    pub per_kiosk: usize,
    /// Certificates preloaded before the timed phases.
    pub certificates: u64,
    /// Central processes.
    pub centrals: usize,
    /// Public-check pages to load.
    pub checks: u64,
    /// Concurrent public-check clients.
    pub check_clients: u64,
    /// `--database URL` for central (`None`: SQLite in the data directory).
    pub database: Option<String>,
    /// `--evidence local|s3://BUCKET[/PREFIX]` for central (S3 settings from `SYNAQ_S3_*`).
    pub evidence: String,
    /// The `synaq-central` binary.
    pub central_bin: PathBuf,
    /// Central's data directory (emptied first).
    pub data: PathBuf,
    /// Where the simulated kiosks keep their files (a RAM disk keeps their set-up quick).
    pub work: PathBuf,
}

impl Options {
    /// `sqlite-local`, `postgres-s3`, …: the report's name.
    pub fn backend(&self) -> String {
        let db = match &self.database {
            Some(url) if url.starts_with("postgres") => "postgres",
            Some(_) => "other",
            None => "sqlite",
        };
        let ev = if self.evidence.starts_with("s3://") {
            "s3"
        } else {
            "local"
        };
        format!("{db}-{ev}")
    }
}

/// The in-process central the set-up and the verification use (the processes are not
/// running then). The one place that opens the database.
pub(crate) fn open_central(o: &Options) -> anyhow::Result<Central> {
    let database = synaq_central::sql::Database::parse(o.database.as_deref().unwrap_or(""))
        .map_err(anyhow::Error::msg)?;
    let store = match o.evidence.as_str() {
        "local" => EvidenceStore::local(o.data.join(synaq_central::evidence::EVIDENCE_DIR)),
        url => {
            let (bucket, prefix) = synaq_central::store::parse_s3_url(url)?;
            let (access_key_id, secret_access_key) = synaq_central::store::s3_credentials(
                std::env::var_os("SYNAQ_S3_CREDENTIALS_FILE")
                    .as_deref()
                    .map(Path::new),
            )?;
            EvidenceStore::s3(&S3Config {
                bucket,
                prefix,
                endpoint: std::env::var("SYNAQ_S3_ENDPOINT").ok(),
                region: std::env::var("SYNAQ_S3_REGION").unwrap_or_else(|_| "us-east-1".into()),
                access_key_id,
                secret_access_key,
            })?
        }
    };
    Ok(Central::open_on(
        &o.data,
        "https://127.0.0.1:8440",
        store,
        &database,
    )?)
}

/// Bytes of the database: the SQLite file with its WAL, or PostgreSQL's database size.
fn database_bytes(o: &Options) -> Option<u64> {
    if o.database.is_some() {
        let central = open_central(o).ok()?;
        return preload::postgres_bytes(&central.db()).ok();
    }
    let db = o.data.join(synaq_central::DB_FILE);
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    Some(size(&db) + size(&db.with_extension("sqlite3-wal")))
}

/// Runs the whole benchmark; `progress` gets a line per step.
pub async fn run(o: &Options, progress: &mut dyn FnMut(&str)) -> anyhow::Result<Report> {
    let started = Instant::now();
    anyhow::ensure!(
        o.kiosks > 0 && o.per_kiosk > 0,
        "at least one kiosk and result"
    );
    anyhow::ensure!(o.centrals > 0, "at least one central process");
    if o.data.exists() {
        std::fs::remove_dir_all(&o.data)
            .with_context(|| format!("emptying {}", o.data.display()))?;
    }
    std::fs::create_dir_all(&o.data)?;
    std::fs::create_dir_all(&o.work)?;
    let work = tempfile::tempdir_in(&o.work)?;
    // ЕУМЦ's evidence key: central opens every sealed frame and checks its time.
    std::fs::write(
        o.data.join(synaq_central::review::EVIDENCE_KEY_FILE),
        synaq_sync::evidence::secret_to_toml(&synaq_loop::evidence_key()).as_bytes(),
    )?;

    // ---- set-up ----
    let t = Instant::now();
    let central = open_central(o)?;
    central.add_branch(synaq_loop::BRANCH, "Алматы")?;
    central.add_branch(preload::PRELOAD_BRANCH, "Жүктеме")?;
    central.set_staff(
        synaq_loop::BRANCH,
        "proctor-1",
        "Айгүл Нұрланова",
        "proctor",
        true,
    )?;
    central.publish_bank(&synaq_loop::build_bank(&central, "demo", 1))?;
    let pin = synaq_central::tls::TlsIdentity::load_or_create(&o.data, &[])?.pin();
    let total = o.kiosks * o.per_kiosk;
    let people = fleet::people(total + 2);
    synaq_loop::register_all(&central, &people);
    let templates = fleet::templates(&central, work.path(), &people[..2])?;
    let evidence_pub = synaq_loop::evidence_key().public();
    let mut fleet: Vec<SimKiosk> = Vec::with_capacity(o.kiosks);
    for k in 0..o.kiosks {
        let kiosk = fleet::enrolled_kiosk(&central, work.path())?;
        let first = 2 + k * o.per_kiosk;
        let exams = fleet::exams(
            &kiosk,
            (&templates.0, &templates.1),
            &people[first..first + o.per_kiosk],
            first - 2,
            &evidence_pub,
        )?;
        fleet.push(SimKiosk { kiosk, exams });
    }
    let setup = t.elapsed();
    progress(&format!(
        "set-up: {} kiosks enrolled, {total} results with sealed evidence made in {:.1} s",
        o.kiosks,
        setup.as_secs_f64()
    ));
    let t = Instant::now();
    let today = central.office_zone().today();
    let preloaded = preload::preload(
        &central.db(),
        o.certificates,
        synaq_loop::CATEGORY,
        &today.to_string(),
        &(today + chrono::Months::new(36)).to_string(),
    )?;
    anyhow::ensure!(preloaded as u64 == o.certificates, "preloaded {preloaded}");
    let preload_time = t.elapsed();
    progress(&format!(
        "preload: {preloaded} certificates in {:.1} s",
        preload_time.as_secs_f64()
    ));
    let central_pub = central.public();
    drop(central);
    let db_before = database_bytes(o);

    // ---- the central processes ----
    let cmd = CentralCommand {
        bin: o.central_bin.clone(),
        data: o.data.clone(),
        database: o.database.clone(),
        evidence: o.evidence.clone(),
    };
    let mut processes = Vec::with_capacity(o.centrals);
    for n in 0..o.centrals {
        let log = o.data.with_file_name(format!(
            "{}-central-{n}.log",
            o.data
                .file_name()
                .map_or("load".into(), |f| f.to_string_lossy())
        ));
        processes.push(CentralProcess::start(&cmd, log, pin)?);
    }
    let bases: Vec<String> = processes.iter().map(CentralProcess::base).collect();
    progress(&format!("central processes: {}", bases.join(" ")));

    // ---- ingest ----
    let fleet = Arc::new(fleet);
    let cpu_before: Option<f64> = processes.iter().map(CentralProcess::cpu_seconds).sum();
    let load_cpu_before = central::cpu_seconds(std::process::id());
    let t = Instant::now();
    let mut tasks = Vec::with_capacity(o.kiosks);
    for k in 0..o.kiosks {
        let client = fleet[k]
            .kiosk
            .client(&bases[k % bases.len()], &central_pub, pin);
        let fleet = Arc::clone(&fleet);
        let started = Instant::now();
        tasks.push(tokio::spawn(async move {
            let run = push::sync(&fleet[k], &client).await;
            (run, started.elapsed())
        }));
    }
    let mut pushes = Vec::new();
    let mut evidence = Vec::new();
    let mut syncs = Vec::new();
    let mut errors = Vec::new();
    let (mut requests, mut evidence_sent) = (0, 0);
    for task in tasks {
        let (run, took) = task.await?;
        pushes.extend(run.push);
        evidence.extend(run.evidence);
        syncs.push(took);
        requests += run.requests;
        evidence_sent += run.evidence_bytes;
        errors.extend(run.errors);
    }
    let ingest_time = t.elapsed();
    let answered = |processes: &[CentralProcess]| -> anyhow::Result<Answers> {
        let mut sum = Answers::default();
        for p in processes {
            sum.add(&p.log)?;
        }
        Ok(sum)
    };
    let cpu = |processes: &[CentralProcess]| -> Option<f64> {
        processes.iter().map(CentralProcess::cpu_seconds).sum()
    };
    let after_ingest = answered(&processes)?;
    let central_cpu_ingest = cpu(&processes).zip(cpu_before).map(|(a, b)| a - b);
    let load_cpu_ingest = central::cpu_seconds(std::process::id())
        .zip(load_cpu_before)
        .map(|(a, b)| a - b);
    progress(&format!(
        "ingest: {total} results with evidence in {:.1} s, {} errors",
        ingest_time.as_secs_f64(),
        errors.len()
    ));

    // ---- public check ----
    let t = Instant::now();
    let per_client = o.checks.div_ceil(o.check_clients.max(1));
    let mut tasks = Vec::new();
    for w in 0..o.check_clients.max(1) {
        let base = bases[w as usize % bases.len()].clone();
        let count = per_client.min(o.checks.saturating_sub(w * per_client));
        let certificates = o.certificates;
        tasks.push(tokio::spawn(async move {
            check::checks(&base, pin, w, count, certificates).await
        }));
    }
    let mut pages = Vec::new();
    let mut rate_limited = 0;
    let mut check_errors = Vec::new();
    for task in tasks {
        let run = task.await?;
        pages.extend(run.latencies);
        rate_limited += run.rate_limited;
        check_errors.extend(run.errors);
    }
    let check_time = t.elapsed();
    let after_checks = answered(&processes)?;
    progress(&format!(
        "public check: {} pages in {:.1} s, {rate_limited} rate-limited, {} errors",
        pages.len(),
        check_time.as_secs_f64(),
        check_errors.len()
    ));
    for p in processes {
        p.stop()?;
    }

    // ---- verification ----
    let central = open_central(o)?;
    let (mut certified, mut failed, mut stored_bytes) = (0u64, 0u64, 0u64);
    for exam in fleet.iter().flat_map(|k| &k.exams) {
        let attempt = &exam.result.record.attempt_id;
        match central.verdict(attempt)? {
            Some((state, reasons)) if reasons.is_empty() && state == "certified" && exam.pass => {
                certified += 1
            }
            Some((state, reasons)) if reasons.is_empty() && state == "failed" && !exam.pass => {
                failed += 1
            }
            other => errors.push(format!("{attempt}: at central {other:?}")),
        }
        stored_bytes += central
            .evidence_store()
            .files(attempt, synaq_central::store::Area::Upload)?
            .values()
            .sum::<u64>();
    }
    drop(central);
    let db_after = database_bytes(o);

    let mut all_errors = errors;
    all_errors.extend(check_errors);
    Ok(Report {
        backend: o.backend(),
        kiosks: o.kiosks,
        results: total as u64,
        centrals: o.centrals,
        certificates_preloaded: o.certificates,
        setup_s: setup.as_secs_f64(),
        preload_s: preload_time.as_secs_f64(),
        ingest_s: ingest_time.as_secs_f64(),
        results_per_s: total as f64 / ingest_time.as_secs_f64(),
        requests,
        requests_per_s: requests as f64 / ingest_time.as_secs_f64(),
        ingest_retried_5xx: after_ingest.server_errors,
        central_cpu_s: central_cpu_ingest,
        load_tool_cpu_s: load_cpu_ingest,
        central_mean_ms: after_checks
            .routes
            .iter()
            .map(|(route, (n, ms))| (route.clone(), *ms as f64 / (*n).max(1) as f64))
            .collect(),
        push: Latency::of(pushes),
        evidence_upload: Latency::of(evidence),
        kiosk_sync: Latency::of(syncs),
        certified,
        failed,
        expected_certified: fleet
            .iter()
            .flat_map(|k| &k.exams)
            .filter(|e| e.pass)
            .count() as u64,
        expected_failed: fleet
            .iter()
            .flat_map(|k| &k.exams)
            .filter(|e| !e.pass)
            .count() as u64,
        database_bytes_per_result: match (db_before, db_after) {
            (Some(b), Some(a)) => Some(a.saturating_sub(b) as f64 / total as f64),
            _ => None,
        },
        database_bytes_after: db_after,
        evidence_sent_per_exam: evidence_sent as f64 / total as f64,
        evidence_stored_per_exam: stored_bytes as f64 / total as f64,
        checks: pages.len() as u64,
        check_clients: o.check_clients,
        check_s: check_time.as_secs_f64(),
        checks_per_s: pages.len() as f64 / check_time.as_secs_f64(),
        check: Latency::of(pages),
        rate_limited,
        check_5xx: after_checks.server_errors - after_ingest.server_errors,
        errors: all_errors.len() as u64,
        first_errors: all_errors.into_iter().take(10).collect(),
        total_s: started.elapsed().as_secs_f64(),
    })
}

/// The default kiosk work directory: the RAM disk when there is one (the kiosks' side is not
/// what is measured, and sealing their frames durably on disk would take minutes).
pub fn default_work() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.join("synaq-load")
    } else {
        std::env::temp_dir().join("synaq-load")
    }
}

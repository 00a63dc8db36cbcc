//! `synaq-load`: the load benchmark (see the library's documentation). Prints the table and
//! one JSON line, writes the JSON to `OUT/report-<backend>.json`, and exits non-zero when
//! anything went wrong (an error, a result not where it must be).
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "synaq-load",
    about = "Central under load: two processes, a million certificates, hundreds of kiosks"
)]
struct Cli {
    /// Simulated kiosks, all pushing at once.
    #[arg(long, default_value_t = 500)]
    kiosks: usize,
    /// Results (each with its sealed evidence) per kiosk.
    #[arg(long, default_value_t = 2)]
    per_kiosk: usize,
    /// Certificates preloaded before the timed phases.
    #[arg(long, default_value_t = 1_000_000)]
    certificates: u64,
    /// Central processes sharing the data directory.
    #[arg(long, default_value_t = 2)]
    centrals: usize,
    /// Public-check pages (`/v/{number}`) to load.
    #[arg(long, default_value_t = 20_000)]
    checks: u64,
    /// Concurrent public-check clients.
    #[arg(long, default_value_t = 200)]
    check_clients: u64,
    /// Central's database (`postgres://…`), passed to every central process; the data
    /// directory's SQLite file when not given.
    #[arg(long, env = "SYNAQ_DATABASE")]
    database: Option<String>,
    /// Central's evidence store: `local` or `s3://BUCKET[/PREFIX]` (with SYNAQ_S3_ENDPOINT,
    /// SYNAQ_S3_REGION, SYNAQ_S3_ACCESS_KEY_ID and SYNAQ_S3_SECRET_ACCESS_KEY, which the
    /// central processes inherit).
    #[arg(long, env = "SYNAQ_EVIDENCE", default_value = "local")]
    evidence: String,
    /// Start a temporary PostgreSQL 15 cluster (Debian's, as the tests do) and give central
    /// a database in it (instead of --database).
    #[arg(long, conflicts_with = "database")]
    with_postgres: bool,
    /// Start a three-node Garage cluster (the binary `cargo xtask setup` caches) and keep the
    /// evidence in a bucket there (instead of --evidence).
    #[arg(long, conflicts_with = "evidence")]
    with_garage: bool,
    /// The portal benchmark instead: the ОО's learner list and the analyst's page over a
    /// registry of national size (`cargo xtask load portal`).
    #[arg(long)]
    portal: bool,
    /// Learners of the one training organisation (--portal).
    #[arg(long, default_value_t = 50_000)]
    learners: u64,
    /// Requests per page (--portal).
    #[arg(long, default_value_t = 400)]
    requests: usize,
    /// Signed-in clients asking at once (--portal).
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// The `synaq-central` binary (default: next to this one).
    #[arg(long)]
    central_bin: Option<PathBuf>,
    /// Central's data directory, emptied first (default: OUT/data-<backend>).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Where the simulated kiosks keep their files (default: /dev/shm when there is one).
    #[arg(long)]
    work: Option<PathBuf>,
    /// Where the report goes.
    #[arg(long, default_value = "target/load")]
    out: PathBuf,
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("synaq-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let cli = Cli::parse();
    let central_bin = match cli.central_bin {
        Some(b) => b,
        None => std::env::current_exe()?
            .with_file_name("synaq-central")
            .with_extension(std::env::consts::EXE_EXTENSION),
    };
    anyhow::ensure!(
        central_bin.is_file(),
        "no central binary at {}: build it (`cargo build --release -p synaq-central`) or give --central-bin",
        central_bin.display()
    );
    // Kept alive until the run ends: dropping them stops the servers.
    let postgres = cli
        .with_postgres
        .then(synaq_loop::postgres::Postgres::start);
    let garage = cli.with_garage.then(synaq_loop::EvidenceBackend::garage);
    let database = match &postgres {
        Some(pg) => Some(pg.create_database("central")),
        None => cli.database,
    };
    let evidence = match &garage {
        Some(g) => {
            // The central processes and the in-process set-up read the store's settings
            // from the environment, as `synaq-central` does.
            for (k, v) in g.env() {
                std::env::set_var(k, v);
            }
            format!("s3://{}", g.bucket)
        }
        None => cli.evidence,
    };
    let mut o = synaq_load::Options {
        kiosks: cli.kiosks,
        per_kiosk: cli.per_kiosk,
        certificates: cli.certificates,
        centrals: cli.centrals,
        checks: cli.checks,
        check_clients: cli.check_clients,
        database,
        evidence,
        central_bin,
        data: PathBuf::new(),
        work: cli.work.unwrap_or_else(synaq_load::default_work),
    };
    o.data = cli
        .data
        .unwrap_or_else(|| cli.out.join(format!("data-{}", o.backend())));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if cli.portal {
        let p = synaq_load::portal::PortalOptions {
            certificates: cli.certificates,
            learners: cli.learners,
            requests: cli.requests,
            clients: cli.clients,
        };
        let r = rt.block_on(synaq_load::portal::run(&o, &p, &mut |l| eprintln!("{l}")))?;
        let json = serde_json::to_string(&r)?;
        println!(
            "portal on {}: {} certificates, {} learners of one ОО\n\
             ОО learner list   p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  ({} requests)\n\
             analyst's page    p50 {:.1} ms  p95 {:.1} ms  p99 {:.1} ms  ({} requests)\n\
             analyst's chart   p50 {:.1} ms  p99 {:.1} ms  ({} requests)\n\
             kiosks to watch   p50 {:.1} ms  p99 {:.1} ms  ({} requests)\n\
             errors {}",
            r.backend,
            r.certificates,
            r.learners,
            r.oo_learners.p50_ms,
            r.oo_learners_p95_ms,
            r.oo_learners.p99_ms,
            r.oo_learners.count,
            r.analyst.p50_ms,
            r.analyst_p95_ms,
            r.analyst.p99_ms,
            r.analyst.count,
            r.analyst_chart.p50_ms,
            r.analyst_chart.p99_ms,
            r.analyst_chart.count,
            r.analyst_watch.p50_ms,
            r.analyst_watch.p99_ms,
            r.analyst_watch.count,
            r.errors
        );
        println!("{json}");
        std::fs::create_dir_all(&cli.out)?;
        let path = cli.out.join(format!("report-portal-{}.json", r.backend));
        std::fs::write(&path, format!("{json}\n"))?;
        drop((garage, postgres));
        return Ok(r.errors == 0);
    }
    let report = rt.block_on(synaq_load::run(&o, &mut |line| eprintln!("{line}")))?;
    println!("{}", report.table());
    let json = serde_json::to_string(&report)?;
    println!("{json}");
    std::fs::create_dir_all(&cli.out)?;
    let path = cli.out.join(format!("report-{}.json", report.backend));
    std::fs::write(&path, format!("{json}\n")).with_context(|| path.display().to_string())?;
    eprintln!("report written to {}", path.display());
    drop((garage, postgres));
    Ok(report.ok())
}

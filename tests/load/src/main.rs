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
    let mut o = synaq_load::Options {
        kiosks: cli.kiosks,
        per_kiosk: cli.per_kiosk,
        certificates: cli.certificates,
        centrals: cli.centrals,
        checks: cli.checks,
        check_clients: cli.check_clients,
        database: cli.database,
        evidence: cli.evidence,
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
    let report = rt.block_on(synaq_load::run(&o, &mut |line| eprintln!("{line}")))?;
    println!("{}", report.table());
    let json = serde_json::to_string(&report)?;
    println!("{json}");
    std::fs::create_dir_all(&cli.out)?;
    let path = cli.out.join(format!("report-{}.json", report.backend));
    std::fs::write(&path, format!("{json}\n")).with_context(|| path.display().to_string())?;
    eprintln!("report written to {}", path.display());
    Ok(report.ok())
}

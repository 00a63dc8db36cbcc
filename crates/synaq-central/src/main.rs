//! `synaq-central`: the reference ЕУМЦ service and its admin commands.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use synaq_central::sql::Database;
use synaq_central::store::{parse_s3_url, s3_credentials, EvidenceStore, S3Config};
use synaq_central::tls::TlsIdentity;
use synaq_central::{unix_now, Central, KeyInstall, NewRosterEntry};
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::roster::RosterSource;

#[derive(Parser)]
#[command(
    name = "synaq-central",
    version,
    about = "ЕУМЦ central service for Synaq kiosks"
)]
struct Cli {
    /// Data directory (keys, SQLite database).
    #[arg(long, global = true, default_value = "central-data")]
    data: PathBuf,
    /// Public base URL written into certificates' QR codes.
    #[arg(long, global = true, default_value = "https://127.0.0.1:8440")]
    base_url: String,
    /// Another name (DNS name or IP address) for the TLS certificate, besides 127.0.0.1 and
    /// localhost; repeatable. Used only when the certificate is made (first `serve`).
    #[arg(long = "tls-name", global = true, value_name = "NAME")]
    tls_names: Vec<String>,
    /// The offices' time zone, for the dates of exams, certificates and retake windows:
    /// `Asia/Almaty` (UTC+5, Kazakhstan's single zone since 2024-03-01) or an offset such as
    /// `UTC+05:00`.
    #[arg(long, global = true, default_value = "Asia/Almaty")]
    office_zone: synaq_core::OfficeZone,
    /// Where central keeps its records: `sqlite` (`central.sqlite3` in the data directory) or
    /// a PostgreSQL database, `postgres://USER[:PASSWORD]@HOST[:PORT]/NAME`, which several
    /// central processes may serve together (each with a copy of the data directory's keys
    /// and the same evidence store). A data directory keeps the database it was first used
    /// with.
    #[arg(
        long,
        global = true,
        env = "SYNAQ_DATABASE",
        default_value = "sqlite",
        value_name = "sqlite|postgres://…",
        hide_env_values = true
    )]
    database: String,
    /// Where sealed webcam evidence is kept: `local` (`evidence/` in the data directory) or
    /// `s3://BUCKET[/PREFIX]` (any S3-compatible store). The S3 access key is read from
    /// SYNAQ_S3_ACCESS_KEY_ID and SYNAQ_S3_SECRET_ACCESS_KEY, or from --s3-credentials; it is
    /// never logged nor stored. A data directory keeps the store it was first used with:
    /// give the same option to `serve`, `evidence show`, `review`, `admin backup`,
    /// `admin prune-evidence` and `admin restore` (the store restored into).
    #[arg(
        long,
        global = true,
        env = "SYNAQ_EVIDENCE",
        default_value = "local",
        value_name = "local|s3://BUCKET[/PREFIX]"
    )]
    evidence: String,
    /// The S3 endpoint, e.g. `http://127.0.0.1:3900` (Garage, MinIO); AWS when not given.
    #[arg(long, global = true, env = "SYNAQ_S3_ENDPOINT", value_name = "URL")]
    s3_endpoint: Option<String>,
    /// The S3 region (Garage's default is `garage`).
    #[arg(
        long,
        global = true,
        env = "SYNAQ_S3_REGION",
        default_value = "us-east-1"
    )]
    s3_region: String,
    /// A file with the S3 access key: `access_key_id = "…"` and `secret_access_key = "…"`
    /// (instead of SYNAQ_S3_ACCESS_KEY_ID and SYNAQ_S3_SECRET_ACCESS_KEY).
    #[arg(
        long,
        global = true,
        env = "SYNAQ_S3_CREDENTIALS_FILE",
        value_name = "FILE"
    )]
    s3_credentials: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the API over HTTPS with the data directory's self-signed certificate (made on
    /// first use; kiosks pin its SHA-256 fingerprint, printed at start).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8440")]
        listen: String,
        /// Delete the webcam evidence of certified exams this many days after it arrived
        /// (checked every hour; held, rejected and revoked exams keep theirs).
        #[arg(long)]
        evidence_days: Option<u32>,
    },
    /// Import a kiosk's results bundle from removable media, with the evidence directory
    /// next to it (`synaq-evidence-<kiosk>-<time>/`); writes the receipts bundle.
    Import {
        /// The `.synaqout` file.
        file: PathBuf,
        /// Where to write the `.synaqin` receipts bundle.
        #[arg(long)]
        out: PathBuf,
    },
    /// Administration.
    #[command(subcommand)]
    Admin(Admin),
    /// Sealed webcam evidence (for ЕУМЦ's reviewers).
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// The review queue: results central held (or that await their evidence).
    #[command(subcommand)]
    Review(ReviewCmd),
}

#[derive(Subcommand)]
enum ReviewCmd {
    /// List held and awaiting results with their reasons.
    List,
    /// Show one result: state, reasons, timeline, review journal; with --key and --out,
    /// also open its evidence (as `evidence show`).
    Show {
        attempt: String,
        #[arg(long, requires = "out")]
        key: Option<PathBuf>,
        #[arg(long, requires = "key")]
        out: Option<PathBuf>,
    },
    /// Approve: a pass gets its certificate (journalled).
    Approve {
        attempt: String,
        #[arg(long)]
        reviewer: String,
        #[arg(long)]
        reason: String,
    },
    /// Reject: no certificate (journalled).
    Reject {
        attempt: String,
        #[arg(long)]
        reviewer: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
enum EvidenceCmd {
    /// Opens an attempt's evidence with the evidence key, verifies every segment's chain
    /// against the head in the signed result, and writes the frames and incidents to DIR.
    Show {
        /// The attempt id.
        attempt: String,
        /// The evidence secret key file (`synaq keys gen --role evidence`).
        #[arg(long)]
        key: PathBuf,
        /// Where to write `seg-<n>/<index>.jpg|png`, `incidents.txt` and `incidents.json`.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum Admin {
    /// Install a given issuer key as central's key (`central.key`) in a new data directory;
    /// the same key again changes nothing, a different key already there is refused.
    Init {
        /// The issuer secret key file (e.g. from `synaq keys gen --role issuer`).
        #[arg(long)]
        issuer_key: PathBuf,
    },
    /// Add every entry of a roster source file (`roster.toml`, docs/formats/roster.md) to the
    /// roster of its branch; entries already there are skipped.
    RosterImport { file: PathBuf },
    /// Enroll a kiosk from its request file (removable media); writes the certificate file
    /// to carry back, holding central's URL and TLS fingerprint too.
    EnrollOffline {
        /// The kiosk's request file (`synaq enroll request`).
        request: PathBuf,
        /// Where to write the certificate file.
        #[arg(long)]
        out: PathBuf,
        /// The address kiosks reach this central at (default: --base-url).
        #[arg(long)]
        url: Option<String>,
    },
    /// Create or rename a branch (territorial office).
    BranchAdd { code: String, name: String },
    /// Issue a one-time enrollment code for a branch.
    EnrollCode { branch: String },
    /// Write an enrollment file for one kiosk of a branch: central's address, its TLS
    /// fingerprint, the branch and a fresh one-time code, signed by the central key. Carry it
    /// to the office on removable media; the admin picks it on the kiosk and types nothing.
    EnrollFile {
        branch: String,
        /// Where to write it (`….synaqjoin`).
        #[arg(long)]
        out: PathBuf,
        /// The address kiosks reach this central at (default: --base-url).
        #[arg(long)]
        url: Option<String>,
    },
    /// Print the SHA-256 fingerprint of central's TLS certificate (making it if needed): give
    /// it to kiosks with their enrollment code.
    TlsFingerprint,
    /// Add or update a staff member of a branch.
    StaffAdd {
        branch: String,
        id: String,
        name: String,
        #[arg(long, default_value = "proctor")]
        role: String,
        /// Mark the person as no longer working there.
        #[arg(long)]
        inactive: bool,
    },
    /// Add a registration to the roster.
    RosterAdd {
        #[arg(long)]
        branch: String,
        #[arg(long)]
        iin: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        oo_bin: String,
        #[arg(long)]
        oo_name: String,
        #[arg(long, default_value_t = 1)]
        attempt: u32,
        /// First allowed day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last allowed day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
    },
    /// Publish a bank built with this central's key (`central.key`).
    PublishBank { file: PathBuf },
    /// Revoke a kiosk; with --since DATE its certificates for exams since then go back to
    /// review (suspended) and its results since then are held.
    RevokeKiosk {
        id: String,
        /// First office day whose results go back to review (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        #[arg(long, default_value = "admin")]
        reviewer: String,
        #[arg(long, default_value = "kiosk revoked")]
        reason: String,
    },
    /// Revoke a certificate: shown as revoked on /v/NUMBER and to kiosks.
    RevokeCertificate {
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "admin")]
        reviewer: String,
    },
    /// Revoke a bank: results made with it are refused; kiosks stop admitting with it.
    RevokeBank { series: String, version: u64 },
    /// Set the oldest kiosk version ЕУМЦ accepts (e.g. 0.2.0): kiosks learn it at their next
    /// pull, and an older one admits nobody and tells its admin to update. `--clear` removes it.
    MinKioskVersion {
        #[arg(required_unless_present = "clear")]
        version: Option<String>,
        #[arg(long, conflicts_with = "version")]
        clear: bool,
    },
    /// Add a portal account (or replace its name, role and password); the password is read
    /// from the first line of standard input, never from the command line.
    AccountAdd {
        login: String,
        #[arg(long)]
        name: String,
        /// oo, registrar, reviewer, analyst or admin.
        #[arg(long)]
        role: String,
        /// The БИН of the training organisation (role oo); it must be on the list.
        #[arg(long)]
        oo_bin: Option<String>,
    },
    /// Put a training organisation on ЕУМЦ's list (the portal's registrar does it too).
    OoAdd {
        bin: String,
        #[arg(long)]
        name: String,
    },
    /// Print the certificate registry as CSV (ИИН masked).
    CertificatesCsv,
    /// Back up this instance (database snapshot, keys, TLS identity, evidence) into a new or
    /// empty directory, with a manifest of SHA-256s.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Delete the webcam evidence of certified exams older than DAYS (journalled).
    PruneEvidence {
        #[arg(long)]
        days: u32,
    },
    /// Restore a backup into this (new or empty) data directory; every file is checked first.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Write a certificate's PDF (the one kiosks print) to a file.
    CertificatePdf {
        number: String,
        #[arg(long)]
        out: PathBuf,
        /// The reprint, marked as a copy.
        #[arg(long)]
        copy: bool,
    },
    /// Print pass/fail counts per training organisation and year (flag: > 50 % fail).
    Stats,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Cmd::Admin(Admin::Restore { from }) = &cli.cmd {
        // Into a new or empty data directory: before any open, which would make keys there.
        let r = Central::restore_on(
            from,
            &cli.data,
            &cli.base_url,
            evidence_store(&cli)?,
            &database(&cli)?,
        )
        .with_context(|| format!("restoring {} into {}", from.display(), cli.data.display()))?;
        println!(
            "restored {} files ({} bytes) into {}: {} certificates, {} results",
            r.files,
            r.bytes,
            cli.data.display(),
            r.certificates,
            r.results
        );
        return Ok(());
    }
    if let Cmd::Admin(Admin::Init { issuer_key }) = &cli.cmd {
        // Before the first open, which would make a random key.
        let what = Central::install_issuer_key(&cli.data, issuer_key)?;
        let central = Central::open_on(
            &cli.data,
            &cli.base_url,
            evidence_store(&cli)?,
            &database(&cli)?,
        )
        .with_context(|| format!("opening {}", cli.data.display()))?;
        match what {
            KeyInstall::Installed => println!(
                "installed central key {} in {}",
                central.public().id(),
                cli.data.display()
            ),
            KeyInstall::AlreadyThere => println!(
                "central key {} already installed in {}: nothing changed",
                central.public().id(),
                cli.data.display()
            ),
        }
        return Ok(());
    }
    let central = Central::open_on(
        &cli.data,
        &cli.base_url,
        evidence_store(&cli)?,
        &database(&cli)?,
    )
    .with_context(|| format!("opening {}", cli.data.display()))?
    .with_office_zone(cli.office_zone);
    match cli.cmd {
        Cmd::Serve {
            listen,
            evidence_days,
        } => {
            let identity = tls_identity(&cli.data, &cli.tls_names)?;
            let tls = identity.server_config()?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let l = tokio::net::TcpListener::bind(&listen)
                    .await
                    .with_context(|| format!("cannot listen on {listen}"))?;
                eprintln!(
                    "synaq-central: serving https://{} (central key {})\n\
                     TLS certificate SHA-256 fingerprint (kiosks pin it): {}\n\
                     evidence kept in {}",
                    l.local_addr()?,
                    central.public().id(),
                    identity.pin(),
                    central.evidence_store().describe()
                );
                // One line for scripts: `listening on URL fingerprint PIN`.
                {
                    use std::io::Write as _;
                    let mut out = std::io::stdout().lock();
                    writeln!(
                        out,
                        "listening on https://{} fingerprint {}",
                        l.local_addr()?,
                        identity.pin()
                    )?;
                    out.flush()?;
                }
                let central = Arc::new(central);
                if let Some(days) = evidence_days {
                    let c = Arc::clone(&central);
                    tokio::spawn(async move {
                        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
                        loop {
                            every.tick().await;
                            let c = Arc::clone(&c);
                            let pruned = tokio::task::spawn_blocking(move || {
                                c.prune_evidence(days, unix_now())
                            })
                            .await;
                            match pruned {
                                Ok(Ok(0)) => {}
                                Ok(Ok(n)) => eprintln!("synaq-central: retention: deleted the evidence of {n} certified exam(s) older than {days} days"),
                                Ok(Err(e)) => eprintln!("synaq-central: retention failed: {e}"),
                                Err(e) => eprintln!("synaq-central: retention failed: {e}"),
                            }
                        }
                    });
                }
                synaq_central::http::serve(central, l, tls).await?;
                anyhow::Ok(())
            })?;
        }
        Cmd::Import { file, out } => {
            let receipts = central.import_bundle_file(&file, unix_now())?;
            let (mut ok, mut refused) = (0, 0);
            for o in &receipts.body.outcomes {
                match o {
                    synaq_sync::Outcome::Delivered { .. } => ok += 1,
                    synaq_sync::Outcome::Refused {
                        attempt_id,
                        code,
                        message,
                    } => {
                        refused += 1;
                        eprintln!("refused {attempt_id}: {code}: {message}");
                    }
                }
            }
            let (mut ev_ok, mut ev_refused) = (0, 0);
            for o in &receipts.body.evidence {
                match o {
                    synaq_sync::bundle::EvidenceOutcome::Delivered { .. } => ev_ok += 1,
                    synaq_sync::bundle::EvidenceOutcome::Refused {
                        attempt_id,
                        code,
                        message,
                    } => {
                        ev_refused += 1;
                        eprintln!("evidence of {attempt_id} refused: {code}: {message}");
                    }
                }
            }
            synaq_sync::files::write_durably(&out, &synaq_sync::bundle::to_bytes(&receipts))
                .with_context(|| format!("writing {}", out.display()))?;
            println!(
                "{ok} delivered, {refused} refused; evidence of {ev_ok} attempt(s) received, {ev_refused} refused; receipts in {} (carry it back to the kiosk)",
                out.display()
            );
        }
        Cmd::Admin(a) => admin(&central, &cli.data, &cli.tls_names, &cli.base_url, a)?,
        Cmd::Review(r) => review(&central, r)?,
        Cmd::Evidence(EvidenceCmd::Show { attempt, key, out }) => {
            show_evidence(&central, &attempt, &key, &out)?;
        }
    }
    Ok(())
}

/// The evidence store the options name (credentials from the environment or a file).
fn database(cli: &Cli) -> anyhow::Result<Database> {
    Database::parse(&cli.database).map_err(anyhow::Error::msg)
}

fn evidence_store(cli: &Cli) -> anyhow::Result<EvidenceStore> {
    if cli.evidence == "local" {
        return Ok(EvidenceStore::local(cli.data.join("evidence")));
    }
    let (bucket, prefix) = parse_s3_url(&cli.evidence)?;
    let (access_key_id, secret_access_key) = s3_credentials(cli.s3_credentials.as_deref())?;
    Ok(EvidenceStore::s3(&S3Config {
        bucket,
        prefix,
        endpoint: cli.s3_endpoint.clone(),
        region: cli.s3_region.clone(),
        access_key_id,
        secret_access_key,
    })?)
}

fn review(central: &Central, r: ReviewCmd) -> anyhow::Result<()> {
    match r {
        ReviewCmd::List => {
            for q in central.review_queue()? {
                let codes: Vec<&str> = q.reasons.iter().map(|r| r.code()).collect();
                println!(
                    "{}  {}  {}  {}  {}  {}  {}",
                    q.attempt,
                    q.kiosk,
                    q.iin_masked,
                    q.category,
                    if q.passed { "passed" } else { "failed" },
                    q.state,
                    codes.join(",")
                );
            }
        }
        ReviewCmd::Show { attempt, key, out } => {
            for l in central.review_show(&attempt)? {
                println!("{l}");
            }
            if let (Some(key), Some(out)) = (key, out) {
                show_evidence(central, &attempt, &key, &out)?;
            }
        }
        ReviewCmd::Approve {
            attempt,
            reviewer,
            reason,
        } => match central.review_approve(&attempt, &reviewer, &reason, unix_now())? {
            Some(n) => println!("approved {attempt}: certificate {n}"),
            None => println!("approved {attempt} (a fail: no certificate)"),
        },
        ReviewCmd::Reject {
            attempt,
            reviewer,
            reason,
        } => {
            central.review_reject(&attempt, &reviewer, &reason, unix_now())?;
            println!("rejected {attempt}");
        }
    }
    Ok(())
}

fn show_evidence(central: &Central, attempt: &str, key: &Path, out: &Path) -> anyhow::Result<()> {
    {
        {
            let secret = synaq_sync::evidence::load_secret(key)?;
            let shown = central.show_evidence(attempt, &secret, out)?;
            println!("attempt {} (kiosk {})", shown.attempt, shown.kiosk);
            println!("result signature verified with the kiosk's enrolled key");
            for s in &shown.segments {
                println!(
                    "segment {}: {} frames, chain verified against the signed head {}",
                    s.number, s.frames, s.head
                );
            }
            println!("incidents: {}", shown.incidents.len());
            for i in &shown.incidents {
                println!(
                    "  {}  {}  {}  {}",
                    central.office_zone().format_datetime_ms(i.at_ms),
                    i.by,
                    i.kind,
                    i.note
                );
            }
            println!("written to {}", out.display());
        }
    }
    Ok(())
}

/// The data directory's TLS identity, made on first use; warns about names it lacks.
fn tls_identity(dir: &Path, names: &[String]) -> anyhow::Result<TlsIdentity> {
    let id = TlsIdentity::load_or_create(dir, names)?;
    if id.created() {
        eprintln!(
            "synaq-central: made a TLS certificate for {} in {}",
            id.names().join(", "),
            dir.join(synaq_central::tls::IDENTITY_FILE).display()
        );
    }
    let missing = id.missing_names(names);
    if !missing.is_empty() {
        eprintln!(
            "synaq-central: warning: the TLS certificate in {} was made for {}, not for {}; \
             kiosks pin it, so it is kept (move it away to make a new one, then give every \
             kiosk the new fingerprint)",
            dir.display(),
            id.names().join(", "),
            missing.join(", ")
        );
    }
    Ok(id)
}

fn admin(
    c: &Central,
    dir: &Path,
    tls_names: &[String],
    base_url: &str,
    a: Admin,
) -> anyhow::Result<()> {
    match a {
        Admin::Init { .. } => unreachable!("handled before the data directory is opened"),
        Admin::RosterImport { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let src = match RosterSource::from_toml(&text) {
                Ok(src) => src,
                Err(e) => {
                    for p in &e.0 {
                        eprintln!("{}: {p}", file.display());
                    }
                    bail!(
                        "{} problems in {}: nothing was imported",
                        e.0.len(),
                        file.display()
                    );
                }
            };
            let (added, skipped) = c.import_roster(&src)?;
            println!(
                "roster {}: {added} entries added, {skipped} already there",
                src.branch
            );
        }
        Admin::EnrollOffline { request, out, url } => {
            let bytes = std::fs::read(&request)
                .with_context(|| format!("reading {}", request.display()))?;
            let pin = tls_identity(dir, tls_names)?.pin();
            let url = url.unwrap_or_else(|| base_url.to_owned());
            let file = c.enroll_offline(&bytes, &url, pin, unix_now())?;
            synaq_seal::fs::write_atomic(&out, &file)
                .with_context(|| format!("writing {}", out.display()))?;
            println!(
                "kiosk enrolled; certificate file {} (carry it back to the kiosk: `synaq enroll import`)",
                out.display()
            );
        }
        Admin::BranchAdd { code, name } => c.add_branch(&code, &name)?,
        Admin::EnrollCode { branch } => println!("{}", c.enrollment_code(&branch)?),
        Admin::EnrollFile { branch, out, url } => {
            let pin = tls_identity(dir, tls_names)?.pin();
            let url = url.unwrap_or_else(|| base_url.to_owned());
            let file = c.enrollment_file(&branch, &url, pin)?;
            synaq_seal::fs::write_atomic(&out, &file)
                .with_context(|| format!("writing {}", out.display()))?;
            println!(
                "enrollment file for branch {branch}: {} (one kiosk; the code in it expires like `enroll-code`'s)",
                out.display()
            );
        }
        Admin::TlsFingerprint => println!("{}", tls_identity(dir, tls_names)?.pin()),
        Admin::StaffAdd {
            branch,
            id,
            name,
            role,
            inactive,
        } => c.set_staff(&branch, &id, &name, &role, !inactive)?,
        Admin::RosterAdd {
            branch,
            iin,
            name,
            category,
            oo_bin,
            oo_name,
            attempt,
            from,
            to,
        } => {
            let Ok(iin) = Iin::parse(iin.trim()) else {
                bail!("the ИИН is not valid: check its 12 digits");
            };
            let id = c.add_roster_entry(&NewRosterEntry {
                branch,
                iin,
                name,
                category: CategoryId::new(category)?,
                oo_bin: Bin::parse(oo_bin.trim()).context("the БИН is not valid")?,
                oo_name,
                attempt,
                allowed_from: from.parse().context("--from must be YYYY-MM-DD")?,
                allowed_to: to.parse().context("--to must be YYYY-MM-DD")?,
            })?;
            println!("roster entry {id}");
        }
        Admin::PublishBank { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (series, version) = c.publish_bank(&bytes)?;
            println!("published {series} v{version}");
        }
        Admin::RevokeKiosk {
            id,
            since,
            reviewer,
            reason,
        } => match since {
            None => c.revoke_kiosk(&id)?,
            Some(d) => {
                let d = d.parse().context("--since must be YYYY-MM-DD")?;
                let n = c.revoke_kiosk_since(&id, d, &reviewer, &reason, unix_now())?;
                println!("kiosk {id} revoked; {n} result(s) since {d} back to review");
            }
        },
        Admin::RevokeCertificate {
            number,
            reason,
            reviewer,
        } => {
            c.revoke_certificate(&number, &reviewer, &reason, unix_now())?;
            println!("certificate {number} revoked");
        }
        Admin::RevokeBank { series, version } => c.revoke_bank(&series, version)?,
        Admin::MinKioskVersion { version, .. } => {
            c.set_min_kiosk_version(version.as_deref())?;
            match version {
                Some(v) => println!("kiosks older than {v} admit nobody after their next pull"),
                None => println!("no minimum kiosk version"),
            }
        }
        Admin::AccountAdd {
            login,
            name,
            role,
            oo_bin,
        } => {
            let role = synaq_central::portal::Role::parse(&role).with_context(|| {
                format!("--role {role:?}: oo, registrar, reviewer, analyst or admin")
            })?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            c.add_account(&login, &name, role, oo_bin.as_deref(), password, unix_now())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("account {login} ({}) ready", role.as_str());
        }
        Admin::OoAdd { bin, name } => {
            let admin = synaq_central::portal::Account {
                login: "admin-cli".into(),
                name: "synaq-central admin".into(),
                role: synaq_central::portal::Role::Admin,
                oo_bin: None,
            };
            c.oo_add(&admin, &bin, &name, unix_now())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("training organisation {bin} is on the list");
        }
        Admin::CertificatesCsv => print!("{}", c.certificates_csv()?),
        Admin::Backup { out } => {
            let r = c.backup(&out, unix_now())?;
            println!(
                "backed up {} files ({} bytes) into {}: {} certificates, {} results",
                r.files,
                r.bytes,
                out.display(),
                r.certificates,
                r.results
            );
        }
        Admin::PruneEvidence { days } => {
            let n = c.prune_evidence(days, unix_now())?;
            println!("deleted the evidence of {n} certified exam(s) older than {days} days");
        }
        Admin::Restore { .. } => anyhow::bail!("restore runs before the data directory is opened"),
        Admin::CertificatePdf { number, out, copy } => {
            let (pdf, sha256) = c
                .certificate_pdf(&number, copy)?
                .with_context(|| format!("no certificate {number} in the registry"))?;
            synaq_seal::fs::write_atomic(&out, &pdf)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{} ({} bytes, SHA-256 {sha256})", out.display(), pdf.len());
        }
        Admin::Stats => {
            println!("oo_bin,year,passed,failed,flagged");
            for s in c.oo_stats()? {
                println!(
                    "{},{},{},{},{}",
                    s.oo_bin, s.year, s.passed, s.failed, s.flagged
                );
            }
        }
    }
    Ok(())
}

//! `synaq`: the admin tool for ЕУМЦ and branch admins.
//!
//! ```text
//! synaq keys gen --role issuer|kiosk|evidence --out DIR [--name NAME]
//! synaq bank build --source DIR --issuer-key KEY --recipient KIOSK.pub ... --series S --version N --valid-days D --out FILE
//! synaq bank inspect FILE
//! synaq bank preview SOURCE --out DIR
//! synaq bank diff OLD NEW [--issuer-pub PUB --kiosk-key KEY]
//! synaq bank verify FILE --issuer-pub PUB [--kiosk-key KEY]
//! synaq bank add-recipient FILE --issuer-key KEY --recipient KIOSK.pub
//! synaq roster build --source roster.toml --issuer-key KEY --series S --version N --valid-days D --out FILE
//! synaq roster verify FILE --issuer-pub PUB [--list]
//! synaq export --data DIR --to OUTDIR
//! synaq import-receipts FILE --data DIR [--issuer-pub PUB]
//! synaq enroll --data DIR --central URL --pin FINGERPRINT --branch B --code C --issuer-pub PUB
//! synaq enroll request --data DIR --branch B --code C --out REQ
//! synaq enroll import CERT --data DIR --issuer-pub PUB
//! synaq verify-qr TEXT --central-pub PUB
//! ```
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use synaq_core::time::{self, OfficeZone};
use synaq_seal::bank::{self, BankContent, BankMeta};
use synaq_seal::keys::write_secret;
use synaq_seal::roster::{self, RosterSource};
use synaq_seal::{FileTrustStore, IssuerPublic, IssuerSecret, KioskPublic, KioskSecret, NoMarks};
use synaq_sync::enrollment::{self, Enrollment};
use synaq_sync::{bundle, qr, CentralPin, Client};

#[derive(Parser)]
#[command(
    name = "synaq",
    version,
    about = "Synaq admin tool: keys, question banks and rosters"
)]
struct Cli {
    /// The offices' time zone, for the dates shown: `Asia/Almaty` (UTC+5, Kazakhstan's single
    /// zone since 2024-03-01) or an offset such as `UTC+05:00`.
    #[arg(long, global = true, default_value = "Asia/Almaty")]
    office_zone: OfficeZone,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Key pairs.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Sealed question banks.
    #[command(subcommand)]
    Bank(BankCmd),
    /// Signed rosters of examinees for a territorial office (personal data: handle with care).
    #[command(subcommand)]
    Roster(RosterCmd),
    /// Writes the results a kiosk has not yet delivered to one signed bundle for removable
    /// media, and the sealed webcam evidence not yet confirmed by ЕУМЦ to a directory next to
    /// it (personal data: full ИИН and answers).
    Export {
        /// The kiosk's data directory (kiosk.sqlite3 and kiosk.key).
        #[arg(long)]
        data: PathBuf,
        /// Where to write the bundle (e.g. the USB stick).
        #[arg(long)]
        to: PathBuf,
    },
    /// Applies a receipts bundle (`.synaqin`, from `synaq-central import`) to the kiosk's
    /// outbox: each receipt is verified as after a network push, each evidence receipt as
    /// after an upload (then that evidence is deleted). Importing twice changes nothing.
    ImportReceipts {
        /// The `.synaqin` file.
        file: PathBuf,
        /// The kiosk's data directory (kiosk.sqlite3 and kiosk.key).
        #[arg(long)]
        data: PathBuf,
        /// The ЕУМЦ central public key (default: $SYNAQ_ISSUER_PUB, else the DEMO key).
        #[arg(long)]
        issuer_pub: Option<PathBuf>,
    },
    /// Enrolls the kiosk with ЕУМЦ over the network (or, with `request`/`import`, on
    /// removable media) and stores the enrollment in the kiosk's database.
    Enroll(EnrollArgs),
    /// Checks a certificate's QR text (URL or bare SQ1. token) offline with the ЕУМЦ public key.
    VerifyQr {
        /// The text the QR code holds.
        text: String,
        /// The ЕУМЦ central public key (central.pub).
        #[arg(long)]
        central_pub: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Role {
    Issuer,
    Kiosk,
    /// ЕУМЦ's evidence key (X25519): kiosks seal webcam frames to `evidence.pub`;
    /// `synaq-central evidence show` opens them with `evidence.key`.
    Evidence,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct EnrollArgs {
    #[command(subcommand)]
    cmd: Option<EnrollCmd>,
    /// The kiosk's data directory (kiosk.sqlite3, kiosk.key; the key is made if missing).
    #[arg(long, required = true)]
    data: Option<PathBuf>,
    /// Central's address, `https://HOST:PORT`.
    #[arg(long, required = true)]
    central: Option<String>,
    /// Central's TLS certificate fingerprint (from the enrollment sheet).
    #[arg(long, required = true)]
    pin: Option<String>,
    /// The branch code, e.g. ALM-01.
    #[arg(long, required = true)]
    branch: Option<String>,
    /// The one-time enrollment code from ЕУМЦ.
    #[arg(long, required = true)]
    code: Option<String>,
    /// The ЕУМЦ central public key (central.pub).
    #[arg(long, required = true)]
    issuer_pub: Option<PathBuf>,
}

#[derive(Subcommand)]
enum EnrollCmd {
    /// Writes a signed enrollment request for removable media (no network).
    Request {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        branch: String,
        #[arg(long)]
        code: String,
        /// Where to write the request file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Imports the certificate file ЕУМЦ made from the request (`synaq-central admin
    /// enroll-offline`) and stores the enrollment.
    Import {
        /// The certificate file.
        cert: PathBuf,
        #[arg(long)]
        data: PathBuf,
        /// The ЕУМЦ central public key (central.pub).
        #[arg(long)]
        issuer_pub: PathBuf,
        /// The branch the kiosk asked for (default: the one in the certificate).
        #[arg(long)]
        branch: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCmd {
    /// Generates a key pair: NAME.key (secret, mode 0600) and NAME.pub.
    Gen {
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        out: PathBuf,
        /// File name without extension (default: the role).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum BankCmd {
    /// Builds, signs and encrypts a bank from a source directory.
    Build {
        #[arg(long)]
        source: PathBuf,
        #[arg(long)]
        issuer_key: PathBuf,
        /// A kiosk public key to issue the bank to (repeat for more kiosks).
        #[arg(long = "recipient", required = true)]
        recipients: Vec<PathBuf>,
        #[arg(long)]
        series: String,
        #[arg(long)]
        version: u64,
        #[arg(long)]
        valid_days: u32,
        #[arg(long)]
        out: PathBuf,
    },
    /// Shows a bank's header: validity, recipients and counts (no key needed; not verified).
    Inspect { file: PathBuf },
    /// Verifies the signature and validity window and, with a kiosk key, decrypts and checks
    /// the content.
    Verify {
        file: PathBuf,
        #[arg(long)]
        issuer_pub: PathBuf,
        #[arg(long)]
        kiosk_key: Option<PathBuf>,
    },
    /// Writes DIR/index.html: every question of a source with its options, correct marks,
    /// image, topic and categories, Kazakh and Russian side by side, and every finding next
    /// to its question, for a methodologist to read before the bank is built.
    Preview {
        source: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Lists the questions added, removed and changed between two versions of a bank: each a
    /// source directory or a sealed bank (which needs --issuer-pub and --kiosk-key).
    /// Fails when a change of wording or scoring kept its version.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long)]
        issuer_pub: Option<PathBuf>,
        #[arg(long)]
        kiosk_key: Option<PathBuf>,
    },
    /// Issues an existing bank to one more kiosk without re-encrypting it.
    AddRecipient {
        file: PathBuf,
        #[arg(long)]
        issuer_key: PathBuf,
        #[arg(long)]
        recipient: PathBuf,
    },
}

#[derive(Subcommand)]
enum RosterCmd {
    /// Builds and signs a roster from a roster.toml source.
    Build {
        #[arg(long)]
        source: PathBuf,
        #[arg(long)]
        issuer_key: PathBuf,
        /// The roster series, usually the branch code (ALM-01).
        #[arg(long)]
        series: String,
        #[arg(long)]
        version: u64,
        #[arg(long)]
        valid_days: u32,
        #[arg(long)]
        out: PathBuf,
    },
    /// Verifies a roster's signature and validity and shows its counts (ИИН masked).
    Verify {
        file: PathBuf,
        #[arg(long)]
        issuer_pub: PathBuf,
        /// Also list every entry (ИИН masked).
        #[arg(long)]
        list: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synaq: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The offices' time zone (`--office-zone`), set once at start.
static OFFICE_ZONE: std::sync::OnceLock<OfficeZone> = std::sync::OnceLock::new();

fn office_zone() -> OfficeZone {
    OFFICE_ZONE.get().copied().unwrap_or_default()
}

/// The office's date (ISO) at the instant `t` (Unix seconds).
fn date(t: i64) -> String {
    time::format_iso(office_zone().date_of_secs(t))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes `bytes` to `path` atomically and durably (`synaq_seal::fs`).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    synaq_seal::fs::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn run(cli: Cli) -> Result<()> {
    OFFICE_ZONE.get_or_init(|| cli.office_zone);
    match cli.command {
        Command::Keys(KeysCmd::Gen { role, out, name }) => keys_gen(role, &out, name),
        Command::Bank(BankCmd::Build {
            source,
            issuer_key,
            recipients,
            series,
            version,
            valid_days,
            out,
        }) => {
            let issuer = IssuerSecret::load(&issuer_key)?;
            let recipients = recipients
                .iter()
                .map(|p| KioskPublic::load(p).with_context(|| p.display().to_string()))
                .collect::<Result<Vec<_>>>()?;
            let meta = BankMeta {
                series,
                version,
                created: now(),
                not_before: now(),
                not_after: now() + i64::from(valid_days) * 86_400,
            };
            bank_build(&source, &issuer, &recipients, &meta, &out)
        }
        Command::Bank(BankCmd::Inspect { file }) => inspect(&read(&file)?),
        Command::Bank(BankCmd::Preview { source, out }) => preview(&source, &out),
        Command::Bank(BankCmd::Diff {
            old,
            new,
            issuer_pub,
            kiosk_key,
        }) => bank_diff(&old, &new, issuer_pub.as_deref(), kiosk_key.as_deref()),
        Command::Bank(BankCmd::Verify {
            file,
            issuer_pub,
            kiosk_key,
        }) => verify(&read(&file)?, &issuer_pub, kiosk_key.as_deref()),
        Command::Bank(BankCmd::AddRecipient {
            file,
            issuer_key,
            recipient,
        }) => {
            let bytes = read(&file)?;
            let issuer = IssuerSecret::load(&issuer_key)?;
            let kiosk = KioskPublic::load(&recipient)?;
            let more = bank::add_recipient(&bytes, &issuer, &kiosk)?;
            write_atomic(&file, &more)?;
            println!("added kiosk {} to {}", kiosk.id(), file.display());
            Ok(())
        }
        Command::Roster(RosterCmd::Build {
            source,
            issuer_key,
            series,
            version,
            valid_days,
            out,
        }) => roster_build(
            &source,
            &IssuerSecret::load(&issuer_key)?,
            &series,
            version,
            valid_days,
            &out,
        ),
        Command::Roster(RosterCmd::Verify {
            file,
            issuer_pub,
            list,
        }) => roster_verify(&read(&file)?, &IssuerPublic::load(&issuer_pub)?, list),
        Command::Export { data, to } => export(&data, &to),
        Command::ImportReceipts {
            file,
            data,
            issuer_pub,
        } => import_receipts(&file, &data, issuer_pub.as_deref()),
        Command::Enroll(args) => enroll(args),
        Command::VerifyQr { text, central_pub } => {
            verify_qr(&text, &IssuerPublic::load(&central_pub)?)
        }
    }
}

fn keys_gen(role: Role, out: &Path, name: Option<String>) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let (default, secret, public, id) = match role {
        Role::Issuer => {
            let k = IssuerSecret::generate()?;
            ("issuer", k.to_toml(), k.public().to_toml(), k.id())
        }
        Role::Kiosk => {
            let k = KioskSecret::generate()?;
            ("kiosk", k.to_toml(), k.public().to_toml(), k.id())
        }
        Role::Evidence => {
            let k = synaq_sync::evidence::EvidenceSecret::generate()?;
            let p = k.public();
            let t = synaq_sync::evidence::secret_to_toml(&k);
            let id = p.id();
            ("evidence", t, synaq_sync::evidence::public_to_toml(&p), id)
        }
    };
    let name = name.unwrap_or_else(|| default.to_owned());
    let key = out.join(format!("{name}.key"));
    let public_path = out.join(format!("{name}.pub"));
    if key.exists() || public_path.exists() {
        bail!(
            "{} already exists: refusing to overwrite a key",
            key.display()
        );
    }
    write_secret(&key, &secret)?;
    write_atomic(&public_path, public.as_bytes())?;
    println!("key id {id}");
    println!("secret: {} (mode 0600)", key.display());
    println!("public: {}", public_path.display());
    Ok(())
}

fn bank_build(
    source: &Path,
    issuer: &IssuerSecret,
    recipients: &[KioskPublic],
    meta: &BankMeta,
    out: &Path,
) -> Result<()> {
    let (src, warnings) = match synaq_author::load_source_dir(source) {
        Ok(ok) => ok,
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            let also = if warnings == 0 {
                String::new()
            } else {
                format!(" (and {})", count(warnings, "warning", "warnings"))
            };
            bail!(
                "{}{also} in {}: the bank was not built",
                count(errors, "error", "errors"),
                source.display()
            );
        }
    };
    for w in &warnings {
        eprintln!("{w}");
    }
    let content = BankContent {
        profile_toml: src.profile_toml,
        questions: src.questions,
        media: src.media,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("sealing {bar:40} {bytes}/{total_bytes} {eta}")
            .expect("a valid template"),
    );
    let bytes = bank::build(&content, meta, issuer, recipients, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done.min(total));
    })?;
    bar.finish_and_clear();
    write_atomic(out, &bytes)?;
    println!(
        "built {}: series {} version {}, {} questions, {} media files, {} recipients, {} bytes",
        out.display(),
        meta.series,
        meta.version,
        content.questions.len(),
        content.media.len(),
        recipients.len(),
        bytes.len()
    );
    Ok(())
}

fn preview(source: &Path, out: &Path) -> Result<()> {
    let draft = synaq_author::load_draft(source);
    let empty = std::collections::BTreeMap::new();
    let (questions, origins, media, title) = match &draft.source {
        Some(s) => (
            &s.questions[..],
            &s.origins[..],
            &s.media,
            format!("{} · {}", s.profile.title.ru, source.display()),
        ),
        None => (
            &draft.questions[..],
            &[][..],
            &empty,
            source.display().to_string(),
        ),
    };
    let html = synaq_author::preview::render(&synaq_author::preview::PreviewInput {
        title: &title,
        questions,
        origins,
        media,
        diagnostics: &draft.diagnostics,
    });
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let page = out.join("index.html");
    write_atomic(&page, html.as_bytes())?;
    let errors = draft.diagnostics.iter().filter(|d| d.is_error()).count();
    println!(
        "wrote {}: {}, {}, {}",
        page.display(),
        count(questions.len(), "question", "questions"),
        count(errors, "error", "errors"),
        count(draft.diagnostics.len() - errors, "warning", "warnings")
    );
    Ok(())
}

/// The questions of a source directory, or of a sealed bank opened with the keys.
fn bank_questions(
    path: &Path,
    issuer_pub: Option<&Path>,
    kiosk_key: Option<&Path>,
) -> Result<Vec<synaq_core::Question>> {
    if path.is_dir() {
        return match synaq_author::load_source_dir(path) {
            Ok((s, _)) => Ok(s.questions),
            Err(diags) => {
                for d in &diags {
                    eprintln!("{d}");
                }
                let errors = diags.iter().filter(|d| d.is_error()).count();
                bail!(
                    "{} in {}: nothing compared",
                    count(errors, "error", "errors"),
                    path.display()
                )
            }
        };
    }
    let (Some(issuer_pub), Some(kiosk_key)) = (issuer_pub, kiosk_key) else {
        bail!(
            "{} is a sealed bank: give --issuer-pub and --kiosk-key to open it",
            path.display()
        );
    };
    let bytes = read(path)?;
    let issuer = IssuerPublic::load(issuer_pub)?;
    let kiosk = KioskSecret::load(kiosk_key)?;
    let header = bank::verify(&bytes, &issuer)?;
    // An old version may have expired: open it as of its own start, the signature still checked.
    let dir = std::env::temp_dir().join(format!("synaq-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let trust = FileTrustStore::open(&dir.join("trust.json"))?;
    let opened = bank::open_unrecorded(&bytes, &issuer, &kiosk, header.not_before, &trust);
    std::fs::remove_dir_all(&dir).ok();
    Ok(opened?.content.questions)
}

fn bank_diff(
    old: &Path,
    new: &Path,
    issuer_pub: Option<&Path>,
    kiosk_key: Option<&Path>,
) -> Result<()> {
    let a = bank_questions(old, issuer_pub, kiosk_key)?;
    let b = bank_questions(new, issuer_pub, kiosk_key)?;
    let d = synaq_author::diff::diff(&a, &b);
    println!("{d}");
    let unversioned = d.unversioned().count();
    if unversioned > 0 {
        bail!(
            "{} changed what the examinee sees or how it is scored without raising the \
             version: raise it, so results of the old and the new wording stay apart",
            count(unversioned, "question", "questions")
        );
    }
    Ok(())
}

fn inspect(bytes: &[u8]) -> Result<()> {
    let (issuer, h) = bank::read_header_unverified(bytes)?;
    println!("UNVERIFIED header (use `synaq bank verify` to check the signature)");
    println!("series       {}", h.series);
    println!("version      {}", h.version);
    println!("issuer key   {issuer}");
    println!("created      {}", date(h.created));
    println!(
        "valid        {} .. {}{}",
        date(h.not_before),
        date(h.not_after),
        if now() > h.not_after {
            "  (EXPIRED)"
        } else {
            ""
        }
    );
    println!("profile      sha256:{}", h.profiles_digest);
    println!("questions    {}", h.counts.questions);
    println!("media        {}", h.counts.media);
    for (cat, n) in &h.counts.per_category {
        println!("  category {cat:<10} {n}");
    }
    for (topic, n) in &h.counts.per_topic {
        println!("  topic    {topic:<16} {n}");
    }
    println!("recipients   {}", h.stanzas.len());
    for s in &h.stanzas {
        println!("  {:?} {}", s.role, s.recipient);
    }
    Ok(())
}

fn verify(bytes: &[u8], issuer_pub: &Path, kiosk_key: Option<&Path>) -> Result<()> {
    let issuer = IssuerPublic::load(issuer_pub)?;
    let header = bank::verify(bytes, &issuer)?;
    println!(
        "signature OK: series {} version {} by issuer {}",
        header.series,
        header.version,
        issuer.id()
    );
    // The validity window needs no kiosk key: an expired bank is refused either way.
    bank::check_validity(&header, now()).with_context(|| {
        format!(
            "valid {} .. {} (UTC)",
            date(header.not_before),
            date(header.not_after)
        )
    })?;
    if let Some(path) = kiosk_key {
        let kiosk = KioskSecret::load(path)?;
        // A throwaway trust store: verifying never moves a kiosk's high-water mark.
        let dir = std::env::temp_dir().join(format!("synaq-verify-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let trust = FileTrustStore::open(&dir.join("trust.json"))?;
        let opened = bank::open_unrecorded(bytes, &issuer, &kiosk, now(), &trust);
        std::fs::remove_dir_all(&dir).ok();
        let opened = opened?;
        println!(
            "content OK for kiosk {}: {} questions, {} media files, profile {} v{} ({} categories)",
            kiosk.id(),
            opened.content.questions.len(),
            opened.content.media.len(),
            opened.profile.id,
            opened.profile.version,
            opened.profile.categories.len()
        );
    }
    Ok(())
}

fn roster_build(
    source: &Path,
    issuer: &IssuerSecret,
    series: &str,
    version: u64,
    valid_days: u32,
    out: &Path,
) -> Result<()> {
    let text = String::from_utf8(read(source)?)
        .with_context(|| format!("{} is not UTF-8", source.display()))?;
    // Every ИИН, БИН and category of every examinee first: the source parser stops at the
    // first one it cannot read, and the promise is every problem with its line.
    let mut problems = roster_field_problems(&text);
    let src = match RosterSource::from_toml(&text) {
        Ok(src) if problems.is_empty() => Some(src),
        Ok(_) => None,
        Err(e) => {
            for p in e.0 {
                let line = p.split(':').next().unwrap_or_default().to_string();
                if !line.starts_with("line ") || !problems.iter().any(|q| q.starts_with(&line)) {
                    problems.push(p);
                }
            }
            None
        }
    };
    let Some(src) = src else {
        for p in &problems {
            eprintln!("{}: {p}", source.display());
        }
        bail!(
            "{} in {}: the roster was not built",
            count(problems.len(), "problem", "problems"),
            source.display()
        );
    };
    let t = now();
    let r = src.to_roster(series, version, t, t, t + i64::from(valid_days) * 86_400);
    r.validate()?;
    let bytes = roster::build(&r, issuer);
    write_atomic(out, &bytes)?;
    println!(
        "built {}: roster {} version {} for branch {}, {} entries for {} people, valid {} .. {}, {} bytes",
        out.display(),
        r.series,
        r.version,
        r.branch,
        r.entries.len(),
        r.people(),
        date(r.not_before),
        date(r.not_after),
        bytes.len()
    );
    Ok(())
}

/// `1 problem`, `2 problems`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `900101300018` → `********0018`: a value that may be a (wrong) ИИН, shown without its
/// first digits, as any ИИН in a message.
fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = if chars.len() > 4 { 4 } else { 0 };
    let mut out: String = "*".repeat(chars.len() - keep);
    out.extend(&chars[chars.len() - keep..]);
    out
}

/// The ИИН, БИН and category of every `[[examinee]]` of a roster source that cannot be read,
/// each as `line N (ИИН ********0018): what is wrong`, in file order. Nothing when the TOML
/// itself cannot be read (the source parser reports that).
fn roster_field_problems(text: &str) -> Vec<String> {
    use serde::Deserialize;
    use toml::Spanned;
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        examinee: Vec<LooseExaminee>,
    }
    #[derive(Deserialize)]
    struct LooseExaminee {
        iin: Option<Spanned<toml::Value>>,
        oo: Option<Spanned<toml::Value>>,
        category: Option<Spanned<toml::Value>>,
    }
    let Ok(loose) = toml::from_str::<Loose>(text) else {
        return Vec::new();
    };
    let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let as_text = |v: &toml::Value| match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = Vec::new();
    for x in loose.examinee {
        let Some(iin) = x.iin else { continue };
        let value = as_text(iin.get_ref());
        let at = format!("line {} (ИИН {})", line(iin.span().start), mask(&value));
        if let Err(e) = synaq_core::Iin::parse(&value) {
            out.push(format!("{at}: {e}"));
        }
        if let Some(oo) = x.oo {
            if let Err(e) = synaq_core::Bin::parse(&as_text(oo.get_ref())) {
                out.push(format!("line {}: oo (БИН): {e}", line(oo.span().start)));
            }
        }
        if let Some(c) = x.category {
            if let Err(e) = synaq_core::CategoryId::new(as_text(c.get_ref())) {
                out.push(format!("line {}: {e}", line(c.span().start)));
            }
        }
    }
    out
}

fn roster_verify(bytes: &[u8], issuer: &IssuerPublic, list: bool) -> Result<()> {
    let r = roster::verify(bytes, issuer)?;
    println!(
        "signature OK: roster {} version {} by issuer {}",
        r.series,
        r.version,
        issuer.id()
    );
    println!("branch       {}", r.branch);
    println!("created      {}", date(r.created));
    println!(
        "valid        {} .. {}",
        date(r.not_before),
        date(r.not_after)
    );
    println!("entries      {}", r.entries.len());
    println!("people       {}", r.people());
    println!(
        "retakes      {}",
        r.entries.iter().filter(|e| e.attempt > 1).count()
    );
    for (cat, n) in r.per_category() {
        println!("  category {:<10} {n}", cat.as_str());
    }
    let mut per_oo = std::collections::BTreeMap::new();
    for e in &r.entries {
        *per_oo
            .entry((e.oo_bin.as_str(), &e.oo_name))
            .or_insert(0usize) += 1;
    }
    for ((bin, name), n) in per_oo {
        println!("  ОО {bin} {n:>4}  {name}");
    }
    if list {
        for e in &r.entries {
            println!(
                "  {}  {:<6} attempt {}  {} .. {}  {}",
                e.iin.masked(),
                e.category.as_str(),
                e.attempt,
                e.allowed_from,
                e.allowed_to,
                e.name
            );
        }
    }
    roster::open_unrecorded(bytes, issuer, now(), &NoMarks)?;
    println!("valid now");
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file, flushed to the device before the rename:
/// a stick pulled out right after the message holds the whole file or none of it.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes)
}

fn export(data: &Path, to: &Path) -> Result<()> {
    let key = KioskSecret::load(&data.join(synaq_store::identity::KEY_FILE))?;
    // Read-only: the kiosk app may be running; nothing on the kiosk changes.
    let conn = synaq_store::outbox::open_read_only(&data.join("kiosk.sqlite3"))?;
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template("evidence {bar:40} {bytes}/{total_bytes} {eta}")
            .expect("a valid template"),
    );
    let mut shown = false;
    let r =
        bundle::export_to_with_progress(&conn, &key, &data.join("evidence"), to, now(), &mut |p| {
            // Only worth a bar for a large copy.
            if !shown && p.total > 8 << 20 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.set_length(p.total);
                shown = true;
            }
            bar.set_position(p.done);
        });
    bar.finish_and_clear();
    let r = r?;
    for f in &r.evidence_failed {
        eprintln!(
            "evidence of {} not exported: {}: {}",
            f.attempt, f.code, f.message
        );
    }
    let Some(path) = &r.path else {
        println!(
            "no results or evidence waiting for delivery in {}: nothing written",
            data.display()
        );
        return Ok(());
    };
    if r.evidence_attempts == 0 {
        println!("exported {} results to {}", r.results, path.display());
    } else {
        println!(
            "exported {} results and the evidence of {} attempt(s) ({} bytes in all) to {}",
            r.results,
            r.evidence_attempts,
            r.bytes,
            path.display()
        );
    }
    if let Some(dir) = &r.evidence_dir {
        println!(
            "evidence in {}: carry that directory together with the bundle",
            dir.display()
        );
    }
    println!("the results and evidence stay on the kiosk until ЕУМЦ's receipts are imported");
    println!("personal data (full ИИН and answers): delete the files from the stick after import");
    Ok(())
}

fn verify_qr(text: &str, central: &IssuerPublic) -> Result<()> {
    let c = qr::verify(text, &central.ed25519).context("REFUSED")?;
    // The claims carry the last four digits only; never print more, whatever was signed.
    if c.m.len() != 4 || !c.m.bytes().all(|b| b.is_ascii_digit()) {
        bail!("REFUSED: the QR's ИИН field is not four digits");
    }
    println!("signature OK: signed by ЕУМЦ key {}", central.id());
    println!("number       {}", c.n);
    println!("holder       {}", c.nm);
    println!(
        "ИИН          ********{}  (compare with the ID card shown)",
        c.m
    );
    println!("category     {}", c.c);
    println!("issued       {}", c.i);
    println!("valid until  {}", c.u.as_deref().unwrap_or("no expiry"));
    let today = office_zone().today();
    let expired = |u: &&str| time::parse_iso(u).map_or(true, |d| d < today);
    if let Some(u) = c.u.as_deref().filter(expired) {
        bail!("REFUSED: certificate {} expired on {u}", c.n);
    }
    println!("VALID (offline check: revocation shows only on the online verification page)");
    Ok(())
}

/// The kiosk database of a data directory (migrated to this version); it must exist unless
/// `create`.
fn kiosk_db(data: &Path, create: bool) -> Result<rusqlite::Connection> {
    let path = data.join("kiosk.sqlite3");
    if !create && !path.is_file() {
        bail!(
            "{} does not exist: give the kiosk's data directory (the one holding kiosk.sqlite3 and kiosk.key)",
            path.display()
        );
    }
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    Ok(synaq_store::open_db(&path)?)
}

const DEMO_ISSUER_PUB: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");

/// `--issuer-pub`, else `$SYNAQ_ISSUER_PUB`, else the demo key (as the kiosk app does).
fn issuer_pub(given: Option<&Path>) -> Result<IssuerPublic> {
    if let Some(p) = given {
        return Ok(IssuerPublic::load(p)?);
    }
    if let Some(p) = std::env::var_os("SYNAQ_ISSUER_PUB").filter(|v| !v.is_empty()) {
        return Ok(IssuerPublic::load(Path::new(&p))?);
    }
    eprintln!("synaq: no --issuer-pub and no SYNAQ_ISSUER_PUB: using the DEMO issuer key");
    Ok(IssuerPublic::from_toml(DEMO_ISSUER_PUB)?)
}

fn import_receipts(file: &Path, data: &Path, issuer: Option<&Path>) -> Result<()> {
    let central = issuer_pub(issuer)?;
    let key = KioskSecret::load(&data.join(synaq_store::identity::KEY_FILE))?;
    let conn = kiosk_db(data, false)?;
    let r = bundle::import_receipts_from(
        &conn,
        &central,
        &key.id().to_string(),
        &data.join("evidence"),
        file,
    )?;
    println!(
        "{} delivered, {} refused, {} unchanged (already applied){}",
        r.delivered,
        r.refused,
        r.unchanged,
        if r.unknown > 0 {
            format!(", {} for results this kiosk does not hold", r.unknown)
        } else {
            String::new()
        }
    );
    if r.evidence_delivered + r.evidence_unchanged + r.evidence_failed.len() > 0 {
        println!(
            "evidence: {} confirmed by ЕУМЦ and deleted from the kiosk, {} already confirmed, {} not confirmed (kept)",
            r.evidence_delivered,
            r.evidence_unchanged,
            r.evidence_failed.len()
        );
    }
    for f in &r.evidence_failed {
        eprintln!("evidence of {}: {}: {}", f.attempt, f.code, f.message);
    }
    Ok(())
}

fn enroll(args: EnrollArgs) -> Result<()> {
    match args.cmd {
        Some(EnrollCmd::Request {
            data,
            branch,
            code,
            out,
        }) => {
            std::fs::create_dir_all(&data)
                .with_context(|| format!("cannot create {}", data.display()))?;
            let key = synaq_store::identity::load_or_create(&data)?;
            write_synced(&out, &enrollment::request_file(&key, &branch, &code))?;
            println!(
                "enrollment request for kiosk {} of branch {branch} written to {}",
                key.id(),
                out.display()
            );
            println!("carry it to ЕУМЦ (`synaq-central admin enroll-offline`), then import the certificate file with `synaq enroll import`");
            Ok(())
        }
        Some(EnrollCmd::Import {
            cert,
            data,
            issuer_pub,
            branch,
        }) => {
            let central = IssuerPublic::load(&issuer_pub)?;
            let key = KioskSecret::load(&data.join(synaq_store::identity::KEY_FILE))
                .context("the kiosk key is missing: the request must be written from this data directory first")?;
            let bytes = read(&cert)?;
            let branch = match branch {
                Some(b) => b,
                None => {
                    // The branch in the file, checked against the signature below.
                    let peek: synaq_sync::Signed<enrollment::CertificateFileBody> =
                        serde_json::from_slice(&bytes).context(
                            "the certificate file does not parse: copy it again from ЕУМЦ",
                        )?;
                    peek.body.certificate.body.branch.clone()
                }
            };
            let e = enrollment::read_certificate_file(&bytes, &central, &key, &branch)?;
            let conn = kiosk_db(&data, true)?;
            e.save(&conn)?;
            println!(
                "kiosk {} enrolled with branch {}; central {} (TLS {})",
                e.kiosk_id(),
                e.branch(),
                e.url,
                e.pin
            );
            Ok(())
        }
        None => {
            let need =
                |o: Option<String>, n: &str| o.ok_or_else(|| anyhow::anyhow!("--{n} is required"));
            let data = args.data.context("--data is required")?;
            let url = need(args.central, "central")?;
            let pin = CentralPin::parse(&need(args.pin, "pin")?)?;
            let branch = need(args.branch, "branch")?;
            let code = need(args.code, "code")?;
            let central =
                IssuerPublic::load(&args.issuer_pub.context("--issuer-pub is required")?)?;
            std::fs::create_dir_all(&data)
                .with_context(|| format!("cannot create {}", data.display()))?;
            let key = std::sync::Arc::new(synaq_store::identity::load_or_create(&data)?);
            let client = Client::new(&url, std::sync::Arc::clone(&key), central, pin)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let certificate = rt.block_on(client.enroll(branch.trim(), code.trim()))?;
            let e = Enrollment {
                url: client.base_url().to_owned(),
                pin,
                certificate,
                cursor: 0,
            };
            e.save(&kiosk_db(&data, true)?)?;
            println!(
                "kiosk {} enrolled with branch {} at {}; the enrollment is stored in {}",
                e.kiosk_id(),
                e.branch(),
                e.url,
                data.join("kiosk.sqlite3").display()
            );
            Ok(())
        }
    }
}

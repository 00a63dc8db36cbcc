//! What the kiosk binary does without a window, for the people who install and check a PC:
//! `--version`, `--help`, `--self-check`, `--new-key`. `--demo` opens the window on the demo.

use std::io::Write as _;
use std::path::Path;

use synaq_station::load;

/// The usage text (the man page `synaq-kiosk(1)` says the same).
pub const USAGE: &str = "\
usage: synaq-kiosk [--demo | --self-check | --new-key | --version | --help]

The ЕУМЦ exam kiosk. Without options it opens the kiosk window (fullscreen).

  --demo        open the window on the demo bank, roster and keys built into the binary
                (training only: the demo keys' secrets are public)
  --self-check  check the built-in interface and catalogs, ЕУМЦ's public keys, the kiosk's
                own key and its data directory; one line per check, exit 0 when all pass
  --new-key     print a new kiosk secret key on standard output (to be sealed at once:
                `synaq-kiosk --new-key | systemd-creds encrypt --name=synaq-kiosk-key - FILE`)
  --version     print the version
  --help        print this help

Environment: SYNAQ_DATA_DIR (the kiosk's data, default ~/.local/share/synaq),
CREDENTIALS_DIRECTORY (systemd: the sealed key `synaq-kiosk-key`), SYNAQ_ISSUER_PUB and
SYNAQ_EVIDENCE_PUB (default /etc/synaq/issuer.pub and /etc/synaq/evidence.pub),
SYNAQ_CAMERA, SYNAQ_MEDIA_ROOTS, CUPS_SERVER.
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Args {
    /// Open the window (`demo`: on the demo material).
    Window { demo: bool },
    /// Do this and exit with the code it returns.
    Headless(fn() -> u8),
    /// Not understood: the usage, exit 2.
    Unknown(String),
}

/// Reads the command line (without the program name).
pub fn parse(args: &[String]) -> Args {
    match args {
        [] => Args::Window { demo: false },
        [a] if a == "--demo" => Args::Window { demo: true },
        [a] if a == "--version" || a == "-V" => Args::Headless(version),
        [a] if a == "--help" || a == "-h" => Args::Headless(help),
        [a] if a == "--self-check" => Args::Headless(self_check),
        [a] if a == "--new-key" => Args::Headless(new_key),
        other => Args::Unknown(other.join(" ")),
    }
}

fn version() -> u8 {
    println!("synaq-kiosk {}", env!("CARGO_PKG_VERSION"));
    0
}

fn help() -> u8 {
    print!("{USAGE}");
    0
}

fn new_key() -> u8 {
    match synaq_seal::KioskSecret::generate() {
        Ok(key) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(key.to_toml().as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                eprintln!("synaq-kiosk: cannot write the key to standard output");
                return 1;
            }
            eprintln!("synaq-kiosk: new kiosk key {}", key.id());
            0
        }
        Err(e) => {
            eprintln!("synaq-kiosk: cannot make a key: {e}");
            1
        }
    }
}

/// One line per check; 0 when every check passed.
fn self_check() -> u8 {
    println!("synaq-kiosk {} self-check", env!("CARGO_PKG_VERSION"));
    let checks = checks(&load::data_dir(), &load::KeyEnv::read());
    let failed = checks.iter().filter(|c| c.result.is_err()).count();
    for c in &checks {
        match &c.result {
            Ok(what) => println!("ok    {}: {what}", c.name),
            Err(why) => println!("FAIL  {}: {why}", c.name),
        }
    }
    if failed == 0 {
        println!("all {} checks passed", checks.len());
        0
    } else {
        println!("{failed} of {} checks failed", checks.len());
        1
    }
}

/// A check of [`self_check`]: what was checked, and what was found or why it failed.
#[derive(Debug)]
pub struct Check {
    pub name: &'static str,
    pub result: Result<String, String>,
}

/// The self-check's checks for a kiosk with data in `dir` and keys as `env` says.
pub fn checks(dir: &Path, env: &load::KeyEnv) -> Vec<Check> {
    let keys = load::Keys::resolve_read_only(dir, env);
    let ui = crate::context();
    let assets = ui.assets();
    vec![
        Check {
            name: "interface",
            result: match assets.get(&"index.html".into()) {
                Some(page) if !page.is_empty() => {
                    Ok(format!("built in ({} files)", assets.iter().count()))
                }
                _ => Err("index.html is not built into this binary".into()),
            },
        },
        Check {
            name: "languages",
            result: synaq_i18n::check_catalogs()
                .and_then(|()| synaq_i18n::Localizer::new().map(|_| ()))
                .map(|()| "kk, ru and en catalogs parse and agree".into())
                .map_err(|e| e.to_string()),
        },
        Check {
            name: "ЕУМЦ issuer key",
            result: keys
                .issuer()
                .map(|k| format!("{}", k.id()))
                .map_err(|e| e.detail),
        },
        Check {
            name: "ЕУМЦ evidence key",
            result: keys
                .evidence()
                .map(|_| "readable".into())
                .map_err(|e| e.detail),
        },
        Check {
            name: "kiosk key",
            result: keys
                .kiosk()
                .map(|k| format!("{} from {}", k.id(), keys.kiosk_source))
                .map_err(|e| e.detail),
        },
        Check {
            name: "data directory",
            result: writable(dir),
        },
        Check {
            name: "exams",
            result: store(dir, &keys),
        },
    ]
}

/// The kiosk's store, as the kiosk will find it: its journal verifies under the kiosk's key
/// (chain, signed tip, signed results), and an exam left open is said with its answers (after
/// an upgrade or a crash it waits for a proctor, every answer kept).
fn store(dir: &Path, keys: &load::Keys) -> Result<String, String> {
    let db = dir.join("kiosk.sqlite3");
    if !db.exists() {
        return Ok("none yet".into());
    }
    let key = keys
        .kiosk()
        .map_err(|e| format!("cannot check without the key: {}", e.detail))?;
    let clock = std::sync::Arc::new(synaq_store::SystemClock);
    let engine = synaq_store::Engine::open_store_with_key(dir, clock, key)
        .map_err(|e| format!("{}: {e}", db.display()))?;
    let head = engine
        .verify_journal()
        .map_err(|e| format!("the journal does not verify: {e}"))?;
    let open = match engine.unfinished().map_err(|e| e.to_string())? {
        Some((attempt, state, answers)) => {
            format!("; exam {attempt} is open ({state}), {answers} answers kept")
        }
        None => "; no exam open".into(),
    };
    Ok(format!(
        "the journal verifies ({} rows, signed by this kiosk){open}",
        head.seq
    ))
}

/// Whether the kiosk can write in `dir` (a probe file, removed at once), or will make it.
fn writable(dir: &Path) -> Result<String, String> {
    if !dir.exists() {
        return Ok(format!("{} (made at first start)", dir.display()));
    }
    let probe = dir.join(".self-check");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map(|()| format!("{} (writable)", dir.display()))
        .map_err(|e| format!("{}: {e}", dir.display()))
}

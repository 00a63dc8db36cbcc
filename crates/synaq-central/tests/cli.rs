//! `synaq-central` as the demo script runs it: init with a given issuer key, roster import,
//! and the one parseable `listening on … fingerprint …` line of `serve`.

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn central(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synaq-central"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("synaq-central runs")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = central(data, args);
    assert!(
        out.status.success(),
        "synaq-central {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const DEMO_KEY: &str = include_str!("../../../assets/demo/keys/demo-issuer.key");
const DEMO_PUB: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
const ROSTER: &str = "../../assets/demo/roster.toml";

#[test]
fn init_roster_import_and_serve_for_the_demo() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("central");
    let key = tmp.path().join("issuer.key");
    std::fs::write(&key, DEMO_KEY).unwrap();
    let k = key.display().to_string();
    let out = ok(&data, &["admin", "init", "--issuer-key", &k]);
    assert!(out.contains("installed central key"), "{out}");
    let out = ok(&data, &["admin", "init", "--issuer-key", &k]);
    assert!(out.contains("nothing changed"), "{out}");
    assert_eq!(
        std::fs::read_to_string(data.join("central.pub")).unwrap(),
        synaq_seal::IssuerPublic::from_toml(DEMO_PUB)
            .unwrap()
            .to_toml()
    );
    // A different key is refused, and the key in place stays.
    let other = tmp.path().join("other");
    ok(&other, &["admin", "tls-fingerprint"]);
    let o = central(
        &data,
        &[
            "admin",
            "init",
            "--issuer-key",
            &other.join("central.key").display().to_string(),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("refusing to replace"));

    // The roster needs its branch first; then importing twice adds nothing.
    let o = central(&data, &["admin", "roster-import", ROSTER]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("branch-add"));
    ok(&data, &["admin", "branch-add", "ALM-01", "Алматы"]);
    let first = ok(&data, &["admin", "roster-import", ROSTER]);
    assert!(
        first.contains("13 entries added, 0 already there"),
        "{first}"
    );
    let second = ok(&data, &["admin", "roster-import", ROSTER]);
    assert!(
        second.contains("0 entries added, 13 already there"),
        "{second}"
    );
    let out = ok(
        &data,
        &["admin", "publish-bank", "../../assets/demo/demo.synaqbank"],
    );
    assert!(out.starts_with("published "), "{out}");

    // serve prints one line a script can parse.
    let fp = ok(&data, &["admin", "tls-fingerprint"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_synaq-central"))
        .arg("--data")
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().ok();
    child.wait().ok();
    let parts: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(parts.len(), 5, "{line:?}");
    assert_eq!(
        (parts[0], parts[1], parts[3]),
        ("listening", "on", "fingerprint")
    );
    assert!(parts[2].starts_with("https://127.0.0.1:") && !parts[2].ends_with(":0"));
    let pin = synaq_sync::CentralPin::parse(parts[4]).unwrap();
    assert_eq!(pin, synaq_sync::CentralPin::parse(fp.trim()).unwrap());
}

/// The branch admin enrolls from a file instead of typing the 95-character fingerprint:
/// `admin enroll-file BRANCH --out FILE` writes central's address, its TLS fingerprint, the
/// branch and a one-time code, signed by the central key.
#[test]
fn enroll_file_writes_what_a_kiosk_needs_signed_by_the_central_key() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("central");
    let key = tmp.path().join("issuer.key");
    std::fs::write(&key, DEMO_KEY).unwrap();
    ok(
        &data,
        &["admin", "init", "--issuer-key", &key.display().to_string()],
    );
    let out = tmp.path().join("alm.synaqjoin");
    let o = central(
        &data,
        &[
            "admin",
            "enroll-file",
            "ALM-01",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(!o.status.success(), "no such branch yet");
    assert!(!out.exists());
    ok(&data, &["admin", "branch-add", "ALM-01", "Алматы"]);
    let said = ok(
        &data,
        &[
            "admin",
            "enroll-file",
            "ALM-01",
            "--out",
            &out.display().to_string(),
            "--url",
            "https://eumc.example.kz:8440/",
        ],
    );
    assert!(said.contains("alm.synaqjoin"), "{said}");
    let fp = ok(&data, &["admin", "tls-fingerprint"]);
    let issuer = synaq_seal::IssuerPublic::from_toml(DEMO_PUB).unwrap();
    let invite =
        synaq_sync::enrollment::read_invite_file(&std::fs::read(&out).unwrap(), &issuer).unwrap();
    assert_eq!(invite.url, "https://eumc.example.kz:8440");
    assert_eq!(invite.branch, "ALM-01");
    assert_eq!(
        invite.pin,
        synaq_sync::CentralPin::parse(fp.trim()).unwrap()
    );
    assert_eq!(invite.code.len(), 10, "a one-time code like enroll-code's");
    // Each file carries its own code.
    let second = tmp.path().join("second.synaqjoin");
    ok(
        &data,
        &[
            "admin",
            "enroll-file",
            "ALM-01",
            "--out",
            &second.display().to_string(),
        ],
    );
    let other = synaq_sync::enrollment::read_invite_file(&std::fs::read(&second).unwrap(), &issuer)
        .unwrap();
    assert_ne!(other.code, invite.code);
}

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

fn central_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synaq-central"));
    for k in [
        "SYNAQ_EVIDENCE",
        "SYNAQ_S3_ENDPOINT",
        "SYNAQ_S3_REGION",
        "SYNAQ_S3_CREDENTIALS_FILE",
        "SYNAQ_S3_ACCESS_KEY_ID",
        "SYNAQ_S3_SECRET_ACCESS_KEY",
    ] {
        c.env_remove(k);
    }
    c.arg("--data")
        .arg(data)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("synaq-central runs")
}

/// S3 evidence is chosen by options; the access key comes from the environment or a file and
/// lands in no file of the data directory; a data directory stays bound to the store it was
/// first used with. (Talking to a real S3 store is `tests/loop/tests/object_store.rs`.)
#[test]
fn the_evidence_store_is_chosen_by_options_and_a_data_directory_keeps_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("central");
    let s3 = [
        "--evidence",
        "s3://evidence/central",
        "--s3-endpoint",
        "http://127.0.0.1:9",
        "--s3-region",
        "garage",
    ];
    let prune = ["admin", "prune-evidence", "--days", "30"];
    let args = |extra: &[&str]| -> Vec<String> {
        s3.iter()
            .chain(extra)
            .chain(prune.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let v = args(&[]);
    let argv: Vec<&str> = v.iter().map(String::as_str).collect();
    // No key: refused with what to set, before anything is opened.
    let o = central_env(&data, &argv, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("SYNAQ_S3_ACCESS_KEY_ID") && err.contains("--s3-credentials"),
        "{err}"
    );
    assert!(!data.exists(), "nothing was opened");
    // From the environment (pruning nothing sends no request).
    let secret = "s3cr3t-value-never-stored";
    let o = central_env(
        &data,
        &argv,
        &[
            ("SYNAQ_S3_ACCESS_KEY_ID", "GKenv"),
            ("SYNAQ_S3_SECRET_ACCESS_KEY", secret),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("deleted the evidence of 0"));
    // From a file.
    let creds = tmp.path().join("s3.toml");
    std::fs::write(
        &creds,
        format!("access_key_id = \"GKfile\"\nsecret_access_key = \"{secret}\"\n"),
    )
    .unwrap();
    let v = args(&["--s3-credentials", &creds.display().to_string()]);
    let argv: Vec<&str> = v.iter().map(String::as_str).collect();
    let o = central_env(&data, &argv, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Without the option (or with another bucket): refused, naming the store it keeps.
    for other in [
        &["admin", "prune-evidence", "--days", "30"][..],
        &{
            let mut a = vec![
                "--evidence",
                "s3://elsewhere",
                "--s3-endpoint",
                "http://127.0.0.1:9",
            ];
            a.extend(prune);
            a
        }[..],
    ] {
        let o = central_env(
            &data,
            other,
            &[
                ("SYNAQ_S3_ACCESS_KEY_ID", "GKenv"),
                ("SYNAQ_S3_SECRET_ACCESS_KEY", secret),
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{other:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("keeps its evidence in s3://evidence/central/ at http://127.0.0.1:9"),
            "{err}"
        );
        assert!(!err.contains(secret), "{err}");
    }
    // The key is in no file of the data directory (the database included).
    let mut stack = vec![data.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{} holds the S3 secret",
                    p.display()
                );
            }
        }
    }
}

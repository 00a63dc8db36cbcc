//! The `synaq` tool as an admin runs it: keys, build, inspect, verify, add-recipient.

use std::path::Path;
use std::process::{Command, Output};

const PROFILE: &str = include_str!("../../../assets/demo/profile.toml");

fn synaq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synaq"))
        .args(args)
        .output()
        .expect("synaq runs")
}

fn ok(args: &[&str]) -> String {
    let out = synaq(args);
    assert!(
        out.status.success(),
        "synaq {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = synaq(args);
    assert!(!out.status.success(), "synaq {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn question(id: &str, cats: &str) -> String {
    format!(
        r#"
[[question]]
id = "{id}"
version = 1
topic = "fire"
categories = [{cats}]
kind = "single"
text.kk = "Өрт шыққанда алдымен не істеу керек?"
text.ru = "Что нужно сделать в первую очередь при пожаре?"

[[question.options]]
id = "a"
text.kk = "Өрт туралы хабарлау"
text.ru = "Сообщить о пожаре"
correct = true

[[question.options]]
id = "b"
text.kk = "Жұмысты жалғастыру"
text.ru = "Продолжить работу"
"#
    )
}

/// A source with a profile that asks for 2 questions per category and enough questions.
fn source(dir: &Path) {
    let profile = PROFILE
        .lines()
        .map(|l| {
            if l.starts_with("question_count") {
                "question_count = 2".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::create_dir_all(dir.join("questions")).unwrap();
    std::fs::write(dir.join("profile.toml"), profile).unwrap();
    let all = r#""cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6""#;
    let qs: String = (1..=3)
        .map(|i| question(&format!("fire-{i:03}"), all))
        .collect();
    std::fs::write(dir.join("questions/fire.toml"), qs).unwrap();
}

#[test]
fn build_inspect_verify_and_add_a_recipient() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    source(&d.join("src"));
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "kiosk",
        "--out",
        &p("keys"),
        "--name",
        "kiosk-a",
    ]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "kiosk",
        "--out",
        &p("keys"),
        "--name",
        "kiosk-b",
    ]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(d.join("keys/issuer.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let err = fails(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    assert!(err.contains("refusing to overwrite"), "{err}");

    let built = ok(&[
        "bank",
        "build",
        "--source",
        &p("src"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk-a.pub"),
        "--series",
        "test",
        "--version",
        "3",
        "--valid-days",
        "30",
        "--out",
        &p("bank.synaqbank"),
    ]);
    assert!(built.contains("3 questions"), "{built}");

    let shown = ok(&["bank", "inspect", &p("bank.synaqbank")]);
    assert!(shown.contains("version      3"), "{shown}");
    assert!(shown.contains("category cat-4      3"), "{shown}");
    assert!(shown.contains("topic    fire             3"), "{shown}");

    let verified = ok(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-a.key"),
    ]);
    assert!(verified.contains("signature OK"), "{verified}");
    assert!(verified.contains("content OK"), "{verified}");

    let err = fails(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-b.key"),
    ]);
    assert!(err.contains("was not issued to this kiosk"), "{err}");

    ok(&[
        "bank",
        "add-recipient",
        &p("bank.synaqbank"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk-b.pub"),
    ]);
    ok(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
        "--kiosk-key",
        &p("keys/kiosk-b.key"),
    ]);

    // A flipped byte: refused with the reason, never a panic.
    let mut bytes = std::fs::read(d.join("bank.synaqbank")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(d.join("bad.synaqbank"), bytes).unwrap();
    let err = fails(&[
        "bank",
        "verify",
        &p("bad.synaqbank"),
        "--issuer-pub",
        &p("keys/issuer.pub"),
    ]);
    assert!(err.contains("signature is invalid"), "{err}");
    // A kiosk key given where the issuer's is expected.
    let err = fails(&[
        "bank",
        "verify",
        &p("bank.synaqbank"),
        "--issuer-pub",
        &p("keys/kiosk-a.pub"),
    ]);
    assert!(err.contains("synaq-kiosk-public-v1 file"), "{err}");
}

#[test]
fn a_source_with_problems_is_not_built() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    source(&d.join("src"));
    // A duplicate id and a Latin "I" inside a Kazakh word.
    std::fs::write(
        d.join("src/questions/more.toml"),
        question("fire-001", r#""cat-1""#).replace("Өрт шыққанда", "Өрт шыққанда Iшкі"),
    )
    .unwrap();
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&["keys", "gen", "--role", "kiosk", "--out", &p("keys")]);
    let err = fails(&[
        "bank",
        "build",
        "--source",
        &p("src"),
        "--issuer-key",
        &p("keys/issuer.key"),
        "--recipient",
        &p("keys/kiosk.pub"),
        "--series",
        "test",
        "--version",
        "1",
        "--valid-days",
        "30",
        "--out",
        &p("bank.synaqbank"),
    ]);
    assert!(err.contains("fire-001"), "{err}");
    assert!(err.contains("more.toml"), "{err}");
    assert!(err.contains("the bank was not built"), "{err}");
    assert!(!d.join("bank.synaqbank").exists());
}

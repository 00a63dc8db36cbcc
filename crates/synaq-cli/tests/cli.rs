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

/// A roster source with the domain's synthetic ИИН (computed, not real people).
const ROSTER: &str = r#"branch = "ALM-01"
allowed_from = 2026-01-01
allowed_to = 2036-12-31

[[oo]]
bin = "080840001239"
name = "«Қауіпсіз Еңбек» оқу орталығы ЖШС"

[[examinee]]
iin = "900101300017"
name = "Иван Петрович Смирнов"
category = "cat-1"
oo = "080840001239"

[[examinee]]
iin = "850715401236"
name = "Әлия Нұрланқызы Сейітова"
category = "cat-2"
oo = "080840001239"

[[examinee]]
iin = "880315300511"
name = "Ерлан Серікұлы Төлеуов"
category = "cat-2"
oo = "080840001239"
attempt = 2
"#;

/// The source's ИИН, and the invalid one a test puts in it.
const ROSTER_IINS: [&str; 4] = [
    "900101300017",
    "850715401236",
    "880315300511",
    "850715401237",
];

/// Runs synaq and returns stdout and stderr together, checking that no full ИИН is in either.
fn run_masked(args: &[&str]) -> (bool, String) {
    let out = synaq(args);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for iin in ROSTER_IINS {
        assert!(
            !all.contains(iin),
            "synaq {args:?} printed a full ИИН: {all}"
        );
    }
    (out.status.success(), all)
}

#[test]
fn roster_build_verify_and_refuse_a_tampered_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name).display().to_string();
    std::fs::write(d.join("roster.toml"), ROSTER).unwrap();
    ok(&["keys", "gen", "--role", "issuer", "--out", &p("keys")]);
    ok(&[
        "keys",
        "gen",
        "--role",
        "issuer",
        "--out",
        &p("keys"),
        "--name",
        "other",
    ]);
    let build = |source: &str, out: &str| {
        run_masked(&[
            "roster",
            "build",
            "--source",
            source,
            "--issuer-key",
            &p("keys/issuer.key"),
            "--series",
            "ALM-01",
            "--version",
            "2",
            "--valid-days",
            "30",
            "--out",
            out,
        ])
    };
    let (success, built) = build(&p("roster.toml"), &p("alm.synaqroster"));
    assert!(success, "{built}");
    assert!(built.contains("3 entries for 3 people"), "{built}");

    let verify = |file: &str, key: &str, list: bool| {
        let mut args = vec!["roster", "verify", file, "--issuer-pub", key];
        if list {
            args.push("--list");
        }
        run_masked(&args)
    };
    let (success, shown) = verify(&p("alm.synaqroster"), &p("keys/issuer.pub"), true);
    assert!(success, "{shown}");
    assert!(
        shown.contains("signature OK: roster ALM-01 version 2"),
        "{shown}"
    );
    assert!(shown.contains("category cat-1      1"), "{shown}");
    assert!(shown.contains("category cat-2      2"), "{shown}");
    assert!(shown.contains("retakes      1"), "{shown}");
    assert!(
        shown.contains("********0017"),
        "masked ИИН are listed: {shown}"
    );
    assert!(shown.contains("valid now"), "{shown}");

    // A tampered copy (one name changed inside the signed body) is refused.
    let bytes = std::fs::read(d.join("alm.synaqroster")).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let at = text.find("Иван").expect("the body is readable JSON");
    let mut tampered = bytes.clone();
    tampered[at..at + "Иван".len()].copy_from_slice("Илья".as_bytes());
    std::fs::write(d.join("bad.synaqroster"), &tampered).unwrap();
    let (success, err) = verify(&p("bad.synaqroster"), &p("keys/issuer.pub"), true);
    assert!(!success);
    assert!(err.contains("signature is invalid"), "{err}");
    // Cut short, and signed by an issuer this kiosk does not trust.
    std::fs::write(d.join("short.synaqroster"), &bytes[..bytes.len() - 10]).unwrap();
    let (success, err) = verify(&p("short.synaqroster"), &p("keys/issuer.pub"), false);
    assert!(!success && err.contains("truncated"), "{err}");
    let (success, err) = verify(&p("alm.synaqroster"), &p("keys/other.pub"), false);
    assert!(
        !success && err.contains("this kiosk trusts issuer key"),
        "{err}"
    );

    // A source with an invalid ИИН, then one with a duplicate: not built, and says why, masked.
    std::fs::write(
        d.join("broken.toml"),
        ROSTER.replacen("850715401236", "850715401237", 1),
    )
    .unwrap();
    let (success, err) = build(&p("broken.toml"), &p("broken.synaqroster"));
    assert!(!success);
    assert!(err.contains("line 16: control digit"), "{err}");
    assert!(err.contains("the roster was not built"), "{err}");
    std::fs::write(
        d.join("broken.toml"),
        ROSTER.replacen("880315300511", "850715401236", 1),
    )
    .unwrap();
    let (success, err) = build(&p("broken.toml"), &p("broken.synaqroster"));
    assert!(!success);
    assert!(
        err.contains("ИИН ********1236 is listed twice for category cat-2"),
        "{err}"
    );
    assert!(!d.join("broken.synaqroster").exists());
}

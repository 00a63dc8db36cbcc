//! Test support: a sample certificate, the external tools, temp files.

use std::process::Command;

use chrono::NaiveDate;
use synaq_core::Iin;
use synaq_paper::{Bilingual, CertificateDoc};

/// Where the tests leave the rendered page for a person to look at.
pub const TEST_OUT: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/paper");

/// A certificate with the longest category of the seed and Kazakh letters in the name.
pub fn sample() -> CertificateDoc {
    let number = "KZOT-2026-7QK4-M2XD";
    let url = format!("https://verify.eumc.kz/v/{number}");
    // A QR text shaped like central's: the URL and a signed token in the fragment.
    let token = format!(
        "SQ1.{}.{}",
        "eyJ2IjoxLCJuIjoiS1pPVC0yMDI2LTAwMDAwMSIsImkiOiIqKioqKioqKjAwMTciLCJjIjoiY2F0MiIsImQiOiIyMDI2LTAzLTE2IiwieCI6IjIwMjktMDMtMTMifQ",
        "q0Jm3nY1tq9cG9hO2k7V0y9WlYcJb1t0y3f0bVxqg2v8q1fJ3m2Yt7q9WZkq8bP0n3x4cV2s1a0Qm9w8e7r6tA"
    );
    CertificateDoc {
        number: number.into(),
        holder: "Әбілқасымова Гүлнұр Өтегенқызы".into(),
        iin: Iin::parse("900101300017").unwrap(),
        category_number: 2,
        category: Bilingual::new(
            "Еңбекті қорғау қызметінің басшысы мен мамандары; еңбекті қорғауға жауапты маман; құрылымдық бөлімшенің басшысы; өндірістік кеңестің төрағасы және еңбекті қорғау жөніндегі жұмыс топтарының басшылары",
            "Руководитель и специалисты службы охраны труда; специалист, ответственный за охрану труда; руководитель структурного подразделения; председатель производственного совета и руководители рабочих групп по охране труда",
        ),
        checked_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        place: Bilingual::new(
            "ЕУМЦ-нің Алматы қаласы бойынша аумақтық өкілдігі",
            "Территориальное представительство ЕУМЦ по городу Алматы",
        ),
        issued_on: NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2029, 3, 13),
        issuer: Bilingual::new(
            "Бірыңғай оқу-әдістемелік орталық (ЕУМЦ)",
            "Единый учебно-методический центр (ЕУМЦ)",
        ),
        qr_text: format!("{url}#t={token}"),
        verify_url: url,
        check_code: "7QK4-M2".into(),
        copy: false,
    }
}

/// Collapses every run of whitespace to one space, so wrapped lines compare as text.
pub fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `bytes` to `certificate.pdf` in a fresh temp dir.
pub fn pdf_in_temp(bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

/// Runs `tool` and returns its stdout; fails naming the Debian package when it is missing.
pub fn run_tool(tool: &str, package: &str, args: &[&str]) -> String {
    let out = match Command::new(tool).args(args).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` is not installed: install the Debian package `{package}` (`cargo xtask setup` does)"
        ),
        Err(e) => panic!("`{tool}` did not start: {e}"),
    };
    assert!(
        out.status.success(),
        "`{tool} {}` failed ({}):\n{}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

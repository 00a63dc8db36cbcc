//! The kiosk in its real window: language choice, categories in Kazakh, Russian and English,
//! and a tampered bank that gives a translated error instead of a crash.

use std::path::Path;

use synaq_core::{ExamProfile, Lang};
use synaq_e2e::{Kiosk, Result};

const DEMO: &str = include_str!("../../../assets/demo/profile.toml");
const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");

fn names(lang: Lang) -> Vec<String> {
    let p = ExamProfile::from_toml(DEMO).expect("demo profile");
    p.names(lang).into_iter().map(str::to_owned).collect()
}

/// Runs a scenario and keeps a screenshot of where it stood when it failed.
fn scenario(name: &str, env: &[(&str, &Path)], f: impl FnOnce(&Kiosk) -> Result<()>) {
    let kiosk = Kiosk::start(env).unwrap_or_else(|e| panic!("{name}: kiosk did not start: {e}"));
    if let Err(e) = f(&kiosk) {
        let shot = kiosk.screenshot(&format!("FAILED-{name}"));
        panic!("{name}: {e} (screenshot: {shot:?})");
    }
}

#[test]
fn languages_and_categories() {
    let data = tempfile::tempdir().unwrap();
    scenario("languages", &[("SYNAQ_DATA_DIR", data.path())], |k| {
        let buttons = k.wait_texts("[data-testid^=lang-]", "language buttons", |t| t.len() == 3)?;
        assert_eq!(buttons, ["Қазақша", "Русский", "English"]);
        k.screenshot("01-language-choice")?;

        k.click("[data-testid=lang-kk]")?;
        let kk = names(Lang::Kk);
        k.wait_texts("[data-testid=category-name]", "Kazakh names", |t| t == kk)?;
        let lang = k.script("return document.documentElement.lang")?;
        assert_eq!(lang, "kk-KZ");
        let first = k.wait_texts("[data-testid=category-time]", "time limits", |t| {
            t.len() == 6
        })?;
        assert_eq!(first[0], "60 минут");
        assert_eq!(first[3], "240 минут");
        k.screenshot("02-categories-kk")?;

        k.click("[data-testid=switch-lang-ru]")?;
        let ru = names(Lang::Ru);
        k.wait_texts("[data-testid=category-name]", "Russian names", |t| t == ru)?;
        let counts = k.wait_texts("[data-testid=category-questions]", "counts", |t| {
            t.len() == 6
        })?;
        assert_eq!(counts[0], "30 вопросов");
        assert_eq!(counts[3], "120 вопросов");
        // The bank's counts, read from the decrypted demo bank by the kiosk.
        let (_, header) = synaq_seal::bank::read_header_unverified(DEMO_BANK).unwrap();
        let in_bank = k.wait_texts("[data-testid=category-bank]", "bank counts", |t| {
            t.len() == 6
        })?;
        for (i, text) in in_bank.iter().enumerate() {
            let n = header.counts.per_category[&format!("cat-{}", i + 1)];
            assert!(text.starts_with(&format!("В банке: {n} ")), "{text} vs {n}");
        }
        k.screenshot("03-categories-ru")?;

        k.click("[data-testid=switch-lang-en]")?;
        let en = names(Lang::En);
        k.wait_texts("[data-testid=category-name]", "English names", |t| t == en)?;
        k.screenshot("04-categories-en")?;

        // The Kazakh letters are drawn with the bundled Noto Sans (@font-face from the app,
        // not a system font): its regular faces for latin, cyrillic and cyrillic-ext
        // (U+0460–052F: Ә Ғ Қ Ң Ө Ұ Ү Һ) are loaded, and they cover the Kazakh letters.
        let fonts = k.script(
            "return document.fonts.ready.then(() => ({
                loaded: [...document.fonts].filter(f => f.family.includes('Noto Sans')
                    && f.weight === '400' && f.status === 'loaded').length,
                kazakh: document.fonts.check('16px Noto Sans', 'ӘҒҚҢӨҰҮҺІ әғқңөұүһі'),
            }))",
        )?;
        assert_eq!(fonts["loaded"], 3, "{fonts}");
        assert_eq!(fonts["kazakh"], true, "{fonts}");
        Ok(())
    });
}

#[test]
fn a_tampered_bank_shows_a_translated_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("tampered.synaqbank");
    let mut bytes = DEMO_BANK.to_vec();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&bad, bytes).unwrap();
    let env = [
        ("SYNAQ_BANK", bad.as_path()),
        ("SYNAQ_DATA_DIR", dir.path()),
    ];
    scenario("tampered-bank", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_texts("[data-testid=error] p", "Kazakh error", |t| {
            t.first()
                .is_some_and(|m| m.starts_with("Банктің қолтаңбасы жарамсыз"))
        })?;
        k.screenshot("05-tampered-bank-kk")?;
        k.click("[data-testid=switch-lang-ru]")?;
        k.wait_texts("[data-testid=error] p", "Russian error", |t| {
            t.first()
                .is_some_and(|m| m.starts_with("Подпись банка недействительна"))
        })?;
        k.screenshot("06-tampered-bank-ru")?;
        Ok(())
    });
    assert!(
        !dir.path().join("trust.json").exists(),
        "a refused bank is never trusted"
    );
}

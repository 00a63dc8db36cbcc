//! The kiosk in its real window, as people use it: language choice and categories; a proctor
//! admitting an examinee who answers a whole exam and submits; an exam that times out on its
//! own; a kiosk killed mid-exam and resumed by a proctor; a tampered bank; and the lockdown.
//! Every screen is saved under `target/e2e/`, in Kazakh and Russian.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use synaq_core::{ExamProfile, Lang};
use synaq_e2e::{Kiosk, Result};
use synaq_seal::bank::{self, BankMeta};
use synaq_seal::{IssuerSecret, KioskPublic};
use synaq_store::staff::{self, StaffRole};

const DEMO: &str = include_str!("../../../assets/demo/profile.toml");
const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
const EXAMINEE: &str = "900101300017";

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

/// A data directory with a branch admin and a proctor, as after the first-run setup.
fn staffed_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let db = synaq_store::open_db(&dir.path().join("kiosk.sqlite3")).unwrap();
    staff::add(
        &db,
        "admin",
        "Әлия Сейітова",
        StaffRole::Admin,
        "admin-pass-1",
        0,
    )
    .unwrap();
    staff::add(
        &db,
        "p1",
        "Иван Смирнов",
        StaffRole::Proctor,
        "proctor-pass-1",
        0,
    )
    .unwrap();
    staff::set_setting(&db, "kiosk_name", "Алматы · 1-киоск").unwrap();
    dir
}

/// Screenshots the screen in the current language, then in the other one, and switches back.
/// Examinee screens are also checked with axe-core: no serious or critical violation.
fn both(k: &Kiosk, name: &str, now: &str) -> Result<()> {
    if name.contains("-exam-") {
        let violations = k.axe()?;
        assert!(
            violations.is_empty(),
            "{name}: accessibility violations: {violations:#?}"
        );
    }
    let other = if now == "kk" { "ru" } else { "kk" };
    k.screenshot(&format!("{name}-{now}"))?;
    k.click(&format!("[data-testid=switch-lang-{other}]"))?;
    std::thread::sleep(Duration::from_millis(300));
    k.screenshot(&format!("{name}-{other}"))?;
    k.click(&format!("[data-testid=switch-lang-{now}]"))?;
    std::thread::sleep(Duration::from_millis(200));
    Ok(())
}

/// [`both`] for a part of a long page: `css` is scrolled into view before each screenshot (the
/// language buttons are at the top, and clicking them scrolls the page there).
fn both_at(k: &Kiosk, name: &str, now: &str, css: &str) -> Result<()> {
    let other = if now == "kk" { "ru" } else { "kk" };
    let show = || {
        k.script(&format!(
            "document.querySelector('{css}')?.scrollIntoView({{ block: 'center' }}); return true"
        ))
    };
    show()?;
    k.screenshot(&format!("{name}-{now}"))?;
    k.click(&format!("[data-testid=switch-lang-{other}]"))?;
    std::thread::sleep(Duration::from_millis(300));
    show()?;
    k.screenshot(&format!("{name}-{other}"))?;
    k.click(&format!("[data-testid=switch-lang-{now}]"))?;
    std::thread::sleep(Duration::from_millis(200));
    Ok(())
}

fn proctor_login(k: &Kiosk) -> Result<()> {
    k.click("[data-testid=staff-entry]")?;
    k.wait_one("[data-testid=screen-staff-login]")?;
    k.click("[data-testid=login-role-proctor]")?;
    k.type_into("[data-testid=login-id]", "p1")?;
    k.type_into("[data-testid=login-password]", "proctor-pass-1")?;
    k.click("[data-testid=login-submit]")?;
    k.wait_one("[data-testid=screen-proctor]")?;
    Ok(())
}

fn admit(k: &Kiosk, shots: Option<&str>) -> Result<()> {
    proctor_login(k)?;
    if let Some(lang) = shots {
        both(k, "10-proctor-admit", lang)?;
    }
    k.type_into("[data-testid=proctor-iin]", "900101300018")?;
    k.wait_texts("small.invalid", "the reason the ИИН is invalid", |t| {
        !t.is_empty()
    })?;
    if let Some(lang) = shots {
        both(k, "11-proctor-invalid-iin", lang)?;
    }
    k.type_into("[data-testid=proctor-iin]", EXAMINEE)?;
    k.wait_one("[data-testid=match-cat-1]")?;
    k.click("[data-testid=document-checked]")?;
    if let Some(lang) = shots {
        both(k, "12-proctor-found", lang)?;
    }
    // The reference photo: a picture with the fixture camera, a clear "no camera" without.
    k.click("[data-testid=take-photo]")?;
    k.wait_one("[data-testid=reference-photo], [data-testid=camera-status]")?;
    if let Some(lang) = shots {
        both(k, "13-proctor-reference-photo", lang)?;
    } else if !k.find_all("[data-testid=reference-photo]")?.is_empty() {
        k.screenshot("14-proctor-reference-photo-camera")?;
    }
    k.click("[data-testid=proctor-start]")?;
    k.wait_one("[data-testid=exam-identity]")?;
    Ok(())
}

fn answer_current(k: &Kiosk, option: usize) -> Result<()> {
    k.click(&format!("[data-testid=option-{option}]"))?;
    k.wait_one("[data-testid=saved-mark]")?;
    // The grid agrees: the question on screen is answered in the backend's status.
    k.wait_one("[data-testid=grid] .cell.current.answered")?;
    Ok(())
}

#[test]
fn languages_and_categories() {
    let data = staffed_dir();
    scenario("languages", &[("SYNAQ_DATA_DIR", data.path())], |k| {
        let buttons = k.wait_texts("[data-testid^=lang-]", "language buttons", |t| t.len() == 3)?;
        assert_eq!(buttons, ["Қазақша", "Русский", "English"]);
        k.screenshot("01-language-choice")?;

        k.click("[data-testid=lang-kk]")?;
        let kk = names(Lang::Kk);
        k.wait_texts("[data-testid=category-name]", "Kazakh names", |t| t == kk)?;
        assert_eq!(k.script("return document.documentElement.lang")?, "kk-KZ");
        let times = k.wait_texts("[data-testid=category-time]", "time limits", |t| {
            t.len() == 6
        })?;
        assert_eq!(times[0], "60 минут");
        assert_eq!(times[3], "240 минут");
        k.screenshot("02-categories-kk")?;

        k.click("[data-testid=switch-lang-ru]")?;
        let ru = names(Lang::Ru);
        k.wait_texts("[data-testid=category-name]", "Russian names", |t| t == ru)?;
        let counts = k.wait_texts("[data-testid=category-questions]", "counts", |t| {
            t.len() == 6
        })?;
        assert_eq!(counts[0], "30 вопросов");
        let (_, header) = bank::read_header_unverified(DEMO_BANK).unwrap();
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

        // Kazakh letters come from the bundled Noto Sans (its latin, cyrillic and cyrillic-ext
        // faces loaded from the app), not from a system font.
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
fn first_run_setup_creates_the_admin() {
    let data = tempfile::tempdir().unwrap();
    // Where removable media appears (SYNAQ_MEDIA_ROOTS): empty until the test "inserts" a drive.
    let media_root = tempfile::tempdir().unwrap();
    let drive = media_root.path().join("EUMC-2026");
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/demo.synaqroster");
    let env = [
        ("SYNAQ_DATA_DIR", data.path()),
        ("SYNAQ_MEDIA_ROOTS", media_root.path()),
    ];
    scenario("first-run", &env, |k| {
        k.click("[data-testid=lang-ru]")?;
        k.wait_one("[data-testid=screen-first-run]")?;
        assert!(
            k.find_all("[data-testid=setup-branch]")?.is_empty(),
            "no branch code nobody reads"
        );
        both(k, "05-first-run", "ru")?;
        k.type_into("[data-testid=setup-kiosk-name]", "Алматы · 1-киоск")?;
        k.type_into("[data-testid=setup-admin-id]", "admin")?;
        k.type_into("[data-testid=setup-admin-name]", "Әлия Сейітова")?;
        k.type_into("[data-testid=setup-password]", "short")?;
        k.type_into("[data-testid=setup-repeat]", "short")?;
        k.click("[data-testid=setup-submit]")?;
        let err = k.text_of("[data-testid=error] p")?;
        assert!(err.contains("не менее 8 символов"), "{err}");
        k.type_into("[data-testid=setup-password]", "admin-pass-1")?;
        k.type_into("[data-testid=setup-repeat]", "admin-pass-1")?;
        k.click("[data-testid=setup-submit]")?;
        k.wait_one("[data-testid=screen-admin]")?;
        k.type_into("[data-testid=new-proctor-id]", "p1")?;
        k.type_into("[data-testid=new-proctor-name]", "Иван Смирнов")?;
        k.type_into("[data-testid=new-proctor-password]", "proctor-pass-1")?;
        k.click("[data-testid=add-proctor]")?;
        k.wait_texts("[data-testid=staff-row]", "two staff rows", |t| {
            t.len() == 2
        })?;
        both(k, "06-admin-staff", "ru")?;
        // The proctor forgot the password: the admin sets a new one.
        k.click("[data-testid=staff-reset-password]")?;
        k.type_into("[data-testid=reset-password]", "proctor-pass-2")?;
        both(k, "06b-admin-reset-password", "ru")?;
        k.click("[data-testid=reset-save]")?;
        let done = k.text_of("[data-testid=reset-done]")?;
        assert!(done.contains("p1"), "{done}");
        // The journal names every staff action so far, in the admin's language, office time.
        k.click("[data-testid=tab-journal]")?;
        let kinds = k.wait_texts("[data-testid=journal-row-kind]", "staff actions", |t| {
            t.len() == 3
        })?;
        assert_eq!(
            kinds,
            [
                "пароль сброшен",
                "добавлен сотрудник",
                "первая настройка киоска"
            ]
        );
        k.wait_one("[data-testid=drives-journal-none]")?;
        // A drive is inserted: the journal is written to it by one press, with a readable name.
        std::fs::create_dir(&drive).unwrap();
        std::fs::write(drive.join("tampered.synaqbank"), {
            let mut bytes = DEMO_BANK.to_vec();
            bytes[900] ^= 1;
            bytes
        })
        .unwrap();
        std::fs::create_dir(drive.join("2026-12")).unwrap();
        std::fs::copy(&roster, drive.join("2026-12/alm-01.synaqroster")).unwrap();
        k.click("[data-testid=drives-journal-refresh]")?;
        k.click("[data-testid=drives-journal-drive]")?;
        let saved = k.text_of("[data-testid=exported]")?;
        assert!(
            saved.contains("EUMC-2026/synaq-journal-20") && saved.ends_with(".csv"),
            "{saved}"
        );
        k.wait_texts(
            "[data-testid=journal-row-kind]",
            "the export journalled",
            |t| t.first().is_some_and(|s| s == "запись на съёмный носитель"),
        )?;
        both(k, "07-admin-journal", "ru")?;
        // Import from the drive: files are buttons. A tampered bank is refused with its
        // reason, the signed roster is accepted with a verdict.
        k.click("[data-testid=tab-import]")?;
        k.wait_texts(
            "[data-testid=drives-bank-file] .name",
            "the bank on the drive",
            |t| t == ["tampered.synaqbank"],
        )?;
        k.click("[data-testid=drives-bank-file]")?;
        let err = k.text_of("[data-testid=error] p")?;
        assert!(err.starts_with("Подпись банка недействительна"), "{err}");
        k.click("[data-testid=drives-roster-file]")?;
        let verdict = k.text_of("[data-testid=import-verdict]")?;
        assert!(
            verdict.starts_with("Список принят: филиал ALM-01"),
            "{verdict}"
        );
        both(k, "07b-admin-import", "ru")?;
        k.click("[data-testid=tab-diagnostics]")?;
        k.wait_one("[data-testid=diagnostics] dl")?;
        both(k, "07c-admin-diagnostics", "ru")?;
        k.click("[data-testid=tab-settings]")?;
        k.type_into("[data-testid=settings-interval]", "9")?;
        k.click("[data-testid=settings-save]")?;
        let err = k.text_of("[data-testid=error] p")?;
        assert!(err.starts_with("Интервал съёмки"), "{err}");
        k.type_into("[data-testid=settings-interval]", "3")?;
        k.click("[data-testid=settings-save]")?;
        k.wait_one("[data-testid=settings-saved]")?;
        both(k, "07d-admin-settings", "ru")?;
        k.click("[data-testid=tab-journal]")?;
        k.wait_texts(
            "[data-testid=journal-row-kind]",
            "imports and settings",
            |t| t.len() == 7 && t[..3] == ["настройки сохранены", "импорт списка", "файл отклонён"],
        )?;
        // Shutting down asks first; "Cancel" keeps the kiosk running.
        // (The dialog covers the language buttons: one screenshot per language.)
        for (lang, next) in [("ru", "kk"), ("kk", "ru")] {
            k.click("[data-testid=admin-shut-down]")?;
            k.wait_one("[data-testid=shut-down-confirm]")?;
            k.screenshot(&format!("07e-admin-shut-down-{lang}"))?;
            k.click("[data-testid=shut-down-no]")?;
            assert!(k.find_all("[data-testid=shut-down-confirm]")?.is_empty());
            k.click(&format!("[data-testid=switch-lang-{next}]"))?;
        }
        k.click("[data-testid=admin-leave]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        // The admin shuts the kiosk down: confirmed, journalled, and the window goes.
        k.click("[data-testid=staff-entry]")?;
        k.click("[data-testid=login-role-admin]")?;
        k.type_into("[data-testid=login-id]", "admin")?;
        k.type_into("[data-testid=login-password]", "admin-pass-1")?;
        k.click("[data-testid=login-submit]")?;
        k.click("[data-testid=admin-shut-down]")?;
        // The app may exit before WebDriver answers the click itself.
        let _ = k.click("[data-testid=shut-down-yes]");
        let deadline = Instant::now() + Duration::from_secs(20);
        while k.window_count().is_ok_and(|n| n > 0) {
            assert!(Instant::now() < deadline, "the kiosk did not shut down");
            std::thread::sleep(Duration::from_millis(250));
        }
        Ok(())
    });
    let db = synaq_store::open_db(&data.path().join("kiosk.sqlite3")).unwrap();
    let last: (String, String) = db
        .query_row(
            "SELECT kind, json_extract(data, '$.by') FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(last, ("exit_allowed".to_owned(), "admin".to_owned()));
}

#[test]
fn a_whole_exam_in_the_real_window() {
    let data = staffed_dir();
    scenario("exam", &[("SYNAQ_DATA_DIR", data.path())], |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        k.click("[data-testid=staff-entry]")?;
        both(k, "09-staff-login", "kk")?;
        k.click("[data-testid=switch-lang-kk]")?;
        // A wrong password is refused with the reason.
        k.type_into("[data-testid=login-id]", "p1")?;
        k.type_into("[data-testid=login-password]", "nope-nope")?;
        k.click("[data-testid=login-submit]")?;
        let err = k.text_of("[data-testid=error] p")?;
        assert_eq!(err, "Логин немесе құпиясөз қате.");
        k.click("[data-testid=staff-entry]")?;
        admit(k, Some("kk"))?;

        let name = k.text_of("[data-testid=identity-name]")?;
        assert!(!name.is_empty() && !name.contains(EXAMINEE));
        both(k, "13-exam-identity", "kk")?;
        k.click("[data-testid=identity-confirm]")?;
        k.wait_one("[data-testid=exam-rules]")?;
        both(k, "14-exam-rules", "kk")?;
        k.click("[data-testid=rules-start]")?;
        k.wait_one("[data-testid=exam-question]")?;
        assert_eq!(k.text_of("[data-testid=question-counter]")?, "1-сұрақ / 30");
        both(k, "15-exam-question", "kk")?;
        // Text at 200 % and the high-contrast theme: still one usable screen, still accessible.
        k.click("[data-testid=text-size]")?;
        k.click("[data-testid=text-size]")?;
        k.click("[data-testid=contrast]")?;
        assert_eq!(
            k.script("return document.documentElement.style.fontSize")?,
            "200%"
        );
        let overflow =
            k.script("return document.documentElement.scrollWidth > window.innerWidth")?;
        assert_eq!(overflow, false, "no sideways scrolling at 200 %");
        both(k, "15b-exam-question-200-contrast", "kk")?;
        k.click("[data-testid=text-size]")?;
        k.click("[data-testid=contrast]")?;
        // Keyboard: digit 1 picks the first option, and the answer is saved. (The loop below
        // then picks option 2 here too: for a multiple-choice question both stay chosen.)
        k.keys("1")?;
        k.wait_one("[data-testid=saved-mark]")?;

        // 30 answers: some flagged, one changed, the language switched midway.
        for i in 1..=30 {
            let want = if i <= 15 {
                format!("{i}-сұрақ / 30")
            } else {
                format!("Вопрос {i} из 30")
            };
            k.wait_texts("[data-testid=question-counter]", "the question", |t| {
                t.first().is_some_and(|s| *s == want)
            })?;
            answer_current(k, 1 + i % 2)?;
            if i == 3 || i == 7 {
                k.click("[data-testid=flag]")?;
                k.wait_texts("[data-testid=flag]", "flag set", |t| {
                    t.first()
                        .is_some_and(|s| s.contains("алу") || s.contains("Снять"))
                })?;
            }
            if i == 15 {
                k.click("[data-testid=switch-lang-ru]")?;
                k.wait_texts("[data-testid=question-counter]", "Russian", |t| {
                    t.first().is_some_and(|s| s.starts_with("Вопрос 15"))
                })?;
                k.screenshot("16-exam-question-ru-midway")?;
            }
            if i < 30 {
                k.click("[data-testid=next]")?;
            }
        }
        // Change the answer of question 5.
        k.click("[data-testid=cell-5]")?;
        k.wait_texts("[data-testid=question-counter]", "question 5", |t| {
            t.first().is_some_and(|s| s.starts_with("Вопрос 5 "))
        })?;
        answer_current(k, 3)?;
        k.click("[data-testid=review]")?;
        k.wait_one("[data-testid=exam-review]")?;
        let summary = k.text_of("[data-testid=review-summary]")?;
        assert_eq!(summary, "Отвечено 30 из 30");
        both(k, "17-exam-review", "ru")?;
        k.click("[data-testid=submit]")?;
        k.wait_one("[data-testid=submit-confirm]")?;
        both(k, "18-exam-submit-confirm", "ru")?;
        k.click("[data-testid=submit-yes]")?;
        k.wait_one("[data-testid=exam-result]")?;
        let verdict = k.text_of("[data-testid=result-verdict]")?;
        assert!(
            verdict.starts_with("Сдано") || verdict.starts_with("Не сдано"),
            "{verdict}"
        );
        both(k, "19-exam-result", "ru")?;
        Ok(())
    });
}

/// A bank whose category 1 has one question and one minute, for the time-out run.
fn short_bank(dir: &Path) -> PathBuf {
    let now = unix_now();
    demo_built_bank(dir, "e2e-short", true, now - 60, now + 86_400)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The demo sources built into a bank for the demo kiosk, valid from `not_before` to
/// `not_after`; `short`: one question of one minute per category.
fn demo_built_bank(
    dir: &Path,
    series: &str,
    short: bool,
    not_before: i64,
    not_after: i64,
) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let (src, _) = synaq_author::load_source_dir(&root).expect("demo sources");
    let profile = if short {
        let p = src.profile_toml.replacen(
            "question_count = 30\n",
            "question_count = 1\nminutes_per_question = 1\n",
            1,
        );
        assert_ne!(p, src.profile_toml);
        p
    } else {
        src.profile_toml
    };
    let issuer = IssuerSecret::load(&root.join("keys/demo-issuer.key")).unwrap();
    let kiosk = KioskPublic::load(&root.join("keys/demo-kiosk.pub")).unwrap();
    let content = bank::BankContent {
        profile_toml: profile,
        questions: src.questions,
        media: src.media,
    };
    let meta = BankMeta {
        series: series.into(),
        version: 1,
        created: not_before,
        not_before,
        not_after,
    };
    let bytes = bank::build(&content, &meta, &issuer, &[kiosk], &mut |_, _| {}).unwrap();
    let path = dir.join(format!("{series}.synaqbank"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Regression: an expired bank locked the admin out (the login was refused with the bank's
/// code), so nobody could import the new bank the message asked for. Now: the message, the
/// admin's login, the import, and the next examinee admitted.
#[test]
fn an_expired_bank_is_replaced_by_the_admin_and_the_next_examinee_is_admitted() {
    let data = staffed_dir();
    let media = tempfile::tempdir().unwrap();
    let now = unix_now();
    let expired = demo_built_bank(
        media.path(),
        "e2e-expired",
        false,
        now - 2 * 86_400,
        now - 86_400,
    );
    let fresh = media.path().join("new.synaqbank");
    std::fs::write(&fresh, DEMO_BANK).unwrap();
    let env = [
        ("SYNAQ_BANK", expired.as_path()),
        ("SYNAQ_DATA_DIR", data.path()),
    ];
    scenario("expired-bank", &env, |k| {
        k.click("[data-testid=lang-ru]")?;
        // The examinee is told to ask staff; the technical reason is for staff only.
        k.wait_one("[data-testid=kiosk-not-ready][data-code=bank-expired]")?;
        assert!(k.find_all("[data-testid=error]")?.is_empty());
        both(k, "09-expired-bank", "ru")?;
        k.click("[data-testid=staff-entry]")?;
        k.wait_texts(
            "[data-testid=kiosk-problem] [data-testid=error] p",
            "the Russian expiry message for staff",
            |t| {
                t.first()
                    .is_some_and(|m| m.starts_with("Срок действия банка истёк"))
            },
        )?;
        k.screenshot("09a-expired-bank-staff-ru")?;
        k.click("[data-testid=login-role-admin]")?;
        k.type_into("[data-testid=login-id]", "admin")?;
        k.type_into("[data-testid=login-password]", "admin-pass-1")?;
        k.click("[data-testid=login-submit]")?;
        k.wait_one("[data-testid=screen-admin]")?;
        k.click("[data-testid=tab-import]")?;
        // The typed path, as "advanced".
        k.click("[data-testid=import-bank-advanced]")?;
        k.type_into("[data-testid=import-bank-path]", fresh.to_str().unwrap())?;
        k.click("[data-testid=import-bank]")?;
        let verdict = k.text_of("[data-testid=import-verdict]")?;
        assert!(verdict.starts_with("Банк принят"), "{verdict}");
        both(k, "09b-expired-bank-replaced", "ru")?;
        k.click("[data-testid=admin-leave]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        admit(k, None)?;
        k.wait_one("[data-testid=identity-name]")?;
        Ok(())
    });
}

#[test]
fn the_exam_finishes_itself_when_time_is_up() {
    let data = staffed_dir();
    let bank = short_bank(data.path());
    let env = [
        ("SYNAQ_DATA_DIR", data.path()),
        ("SYNAQ_BANK", bank.as_path()),
    ];
    scenario("timeout", &env, |k| {
        k.click("[data-testid=lang-ru]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        admit(k, None)?;
        k.click("[data-testid=identity-confirm]")?;
        k.click("[data-testid=rules-start]")?;
        answer_current(k, 1)?;
        // Under a minute left: the warning shows.
        k.wait_one("[data-testid=countdown-warning]")?;
        both(k, "20-exam-last-minute", "ru")?;
        // Nobody submits: the backend finishes the exam at zero.
        let start = Instant::now();
        k.wait_texts_for(
            "[data-testid=result-time-up]",
            "time-up notice",
            Duration::from_secs(90),
            |t| !t.is_empty(),
        )?;
        assert!(start.elapsed() < Duration::from_secs(75));
        both(k, "21-exam-time-up", "ru")?;
        Ok(())
    });
}

fn kill_app() {
    let bin = std::env::var("SYNAQ_KIOSK_BIN").unwrap();
    let _ = std::process::Command::new("pkill")
        .args(["-KILL", "-f", &bin])
        .status();
    std::thread::sleep(Duration::from_millis(500));
}

#[test]
fn a_killed_kiosk_resumes_with_every_answer() {
    let data = staffed_dir();
    let env = [("SYNAQ_DATA_DIR", data.path())];
    scenario("crash-before", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        admit(k, None)?;
        k.click("[data-testid=identity-confirm]")?;
        k.click("[data-testid=rules-start]")?;
        for _ in 0..5 {
            answer_current(k, 2)?;
            k.click("[data-testid=next]")?;
        }
        Ok(())
    });
    kill_app();
    scenario("crash-after", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=attempt-waiting]")?;
        both(k, "22-after-crash-welcome", "kk")?;
        proctor_login(k)?;
        k.wait_one("[data-testid=proctor-resume]")?;
        let answered = k.text_of("[data-testid=resume-answered]")?;
        assert_eq!(answered, "Жауап берілді: 5 / 30");
        both(k, "23-proctor-resume", "kk")?;
        k.click("[data-testid=proctor-resume-button]")?;
        let err = k.text_of("[data-testid=error] p")?;
        assert_eq!(err, "Тізімнен себепті таңдаңыз.");
        k.script(
            "const s = document.querySelector('[data-testid=reason]');
             s.value = 'technical-fault'; s.dispatchEvent(new Event('change'));",
        )?;
        k.click("[data-testid=proctor-resume-button]")?;
        k.wait_one("[data-testid=exam-question]")?;
        for i in 1..=5 {
            let class = k.attr(&format!("[data-testid=cell-{i}]"), "class")?;
            assert!(
                class.contains("answered"),
                "question {i} lost its answer: {class}"
            );
        }
        let class = k.attr("[data-testid=cell-6]", "class")?;
        assert!(!class.contains("answered"), "{class}");
        // Back where they were: the question last shown, not question 1.
        k.wait_texts("[data-testid=question-counter]", "question 6", |t| {
            t.first().is_some_and(|s| s == "6-сұрақ / 30")
        })?;
        k.screenshot("24-resumed-question-kk")?;
        Ok(())
    });
}

/// Outside the demo a kiosk works only with its sealed key (the systemd credential): without
/// it the start screen says what is missing and nothing is made, in clear or otherwise; with it
/// the kiosk starts at the first-run setup, on no demo bank, and writes no key file.
#[test]
fn outside_the_demo_the_kiosk_needs_its_sealed_key() {
    let data = tempfile::tempdir().unwrap();
    let env = [
        ("SYNAQ_DEMO", Path::new("0")),
        ("SYNAQ_DATA_DIR", data.path()),
    ];
    scenario("no-kiosk-key", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        // The examinee is told to ask staff; staff read what is missing.
        k.wait_one("[data-testid=kiosk-not-ready][data-code=error-kiosk-key-missing]")?;
        k.click("[data-testid=staff-entry]")?;
        k.wait_texts(
            "[data-testid=kiosk-problem] [data-testid=error] p",
            "the Kazakh message for staff",
            |t| {
                t.first()
                    .is_some_and(|m| m.starts_with("Бұл компьютерде киоскінің қорғалған кілті жоқ"))
            },
        )?;
        k.screenshot("08b-no-kiosk-key-staff-kk")?;
        k.click("[data-testid=switch-lang-ru]")?;
        k.wait_texts(
            "[data-testid=kiosk-problem] [data-testid=error] p",
            "the Russian message for staff",
            |t| {
                t.first().is_some_and(|m| {
                    m.starts_with("На этом компьютере нет защищённого ключа киоска")
                })
            },
        )?;
        k.screenshot("08b-no-kiosk-key-staff-ru")?;
        Ok(())
    });
    let made: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
    assert!(made.is_empty(), "nothing is made without a key: {made:?}");

    let creds = tempfile::tempdir().unwrap();
    let sealed = creds.path().join("synaq-kiosk-key");
    let key = synaq_seal::KioskSecret::generate().unwrap();
    synaq_seal::keys::write_secret(&sealed, &key.to_toml()).unwrap();
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/keys");
    let (issuer, evidence) = (keys.join("demo-issuer.pub"), keys.join("demo-evidence.pub"));
    let env = [
        ("SYNAQ_DEMO", Path::new("0")),
        ("SYNAQ_DATA_DIR", data.path()),
        ("CREDENTIALS_DIRECTORY", creds.path()),
        ("SYNAQ_ISSUER_PUB", issuer.as_path()),
        ("SYNAQ_EVIDENCE_PUB", evidence.as_path()),
    ];
    scenario("sealed-key", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=screen-first-run]")?;
        // No demo bank: the bank comes with enrollment, and that is said as what comes next.
        k.wait_one("[data-testid=setup-bank-after-enrollment]")?;
        assert!(k.find_all("[data-testid=error]")?.is_empty());
        both(k, "08c-sealed-key-first-run", "kk")?;
        Ok(())
    });
    assert!(data.path().join("kiosk.sqlite3").exists());
    assert!(
        !data.path().join("kiosk.key").exists(),
        "the sealed key is never written out"
    );
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
        k.screenshot("08-tampered-bank-kk")?;
        k.click("[data-testid=switch-lang-ru]")?;
        k.wait_texts("[data-testid=error] p", "Russian error", |t| {
            t.first()
                .is_some_and(|m| m.starts_with("Подпись банка недействительна"))
        })?;
        k.screenshot("08-tampered-bank-ru")?;
        Ok(())
    });
    let trust = std::fs::read_to_string(dir.path().join("trust.json")).unwrap_or_default();
    assert!(
        !trust.contains("eumc-demo"),
        "a refused bank is never trusted"
    );
}

#[test]
fn the_window_cannot_be_escaped() {
    let data = staffed_dir();
    scenario("lockdown", &[("SYNAQ_DATA_DIR", data.path())], |k| {
        k.wait_one("[data-testid=lang-kk]")?;
        let opened = k.script("return window.open('https://example.com/') === null")?;
        assert_eq!(opened, true, "window.open must be refused");
        k.script("window.location.href = 'https://example.com/'; return true")?;
        std::thread::sleep(Duration::from_millis(500));
        let href = k.script("return window.location.href")?;
        let href = href.as_str().unwrap_or_default();
        assert!(
            href.starts_with("tauri://localhost") || href.starts_with("http://tauri.localhost"),
            "{href}"
        );
        k.script("window.close(); return true")?;
        std::thread::sleep(Duration::from_millis(500));
        // No print dialog (its "Print to file" is a file browser): `print` is gone.
        let print = k.script("return typeof window.print")?;
        assert_eq!(print, "undefined", "window.print must be gone");
        // Still here, still working.
        k.click("[data-testid=lang-ru]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        // Devtools shortcuts open nothing: F12, Ctrl+Shift+I, Ctrl+Shift+J.
        const CTRL: &str = "\u{E009}";
        const SHIFT: &str = "\u{E008}";
        k.chord(&["\u{E03C}"])?;
        k.chord(&[CTRL, SHIFT, "i"])?;
        k.chord(&[CTRL, SHIFT, "j"])?;
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(k.window_count()?, 1);
        k.wait_one("[data-testid=screen-categories]")?;
        // No eval: the CSP forbids it.
        let eval =
            k.script("try { eval('1'); return 'allowed'; } catch (e) { return 'blocked'; }")?;
        assert_eq!(eval, "blocked");
        Ok(())
    });
}

#[test]
fn camera_flags_reach_the_journal_and_the_proctor() {
    let data = staffed_dir();
    {
        let db = synaq_store::open_db(&data.path().join("kiosk.sqlite3")).unwrap();
        staff::set_setting(&db, "capture_interval_secs", "1").unwrap();
    }
    let frames = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fixtures/frames");
    let camera = PathBuf::from(format!("fixture:{}:noface", frames.display()));
    // A disk "almost full" (the warning level set above any real free space): staff see it.
    let env = [
        ("SYNAQ_DATA_DIR", data.path()),
        ("SYNAQ_CAMERA", camera.as_path()),
        ("SYNAQ_DISK_LOW_MB", Path::new("1000000000")),
    ];
    scenario("camera", &env, |k| {
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        admit(k, None)?;
        k.click("[data-testid=identity-confirm]")?;
        k.click("[data-testid=rules-start]")?;
        // An empty seat in front of the camera: the examinee is told what to do (never the
        // proctor's count of flags).
        k.wait_one("[data-testid=camera-notice][data-kind=camera-no-face]")?;
        assert!(k.find_all("[data-testid=proctor-flags]")?.is_empty());
        both(k, "25-exam-camera-flag", "kk")?;
        proctor_login(k)?;
        // The flags, with their time, refresh while the console is open.
        let flags = k.wait_texts("[data-testid=camera-flag]", "camera flags", |t| {
            !t.is_empty()
        })?;
        assert!(flags[0].contains("бет көрінбейді"), "{flags:?}");
        assert!(
            flags[0].chars().nth(2) == Some(':') && flags[0].chars().nth(5) == Some(':'),
            "a flag starts with its time: {flags:?}"
        );
        k.wait_one("[data-testid=proctor-visit]")?;
        both(k, "26-proctor-camera-flags", "kk")?;
        // The proctor's live preview: the newest frame the checks saw.
        k.click("[data-testid=toggle-preview]")?;
        k.wait_one("[data-testid=camera-preview-image]")?;
        let warning = k.text_of("[data-testid=disk-low]")?;
        assert!(warning.contains("МБ"), "{warning}");
        both(k, "27-proctor-live-preview-disk-low", "kk")?;
        // The proctor ends the exam: the result signs the sealed evidence's head.
        // "End for violation" first asks for the violation, then confirms with the name.
        k.click("[data-testid=proctor-end]")?;
        k.wait_one("[data-testid=end-needs-reason]")?;
        k.script(
            "const s = document.querySelector('[data-testid=reason]');
             s.value = 'left-seat'; s.dispatchEvent(new Event('change'));",
        )?;
        k.click("[data-testid=proctor-end]")?;
        let person = k.text_of("[data-testid=end-confirm-person]")?;
        assert!(person.starts_with("Емтихан тапсырушы: "), "{person}");
        assert!(person.len() > "Емтихан тапсырушы: ".len() && !person.contains(EXAMINEE));
        let reason = k.text_of("[data-testid=end-confirm-reason]")?;
        assert_eq!(reason, "Бұзушылық: Орнынан кетті");
        // A modal: the rest of the console waits. "No" goes back with nothing done.
        k.screenshot("27b-proctor-end-confirm-kk")?;
        k.click("[data-testid=end-confirm-no]")?;
        assert!(k.find_all("[data-testid=end-confirm]")?.is_empty());
        k.wait_one("[data-testid=proctor-running]")?;
        k.click("[data-testid=switch-lang-ru]")?;
        k.click("[data-testid=proctor-end]")?;
        k.wait_texts(
            "[data-testid=end-confirm-reason]",
            "the reason in Russian",
            |t| t.first().is_some_and(|s| s.starts_with("Нарушение: ")),
        )?;
        k.screenshot("27b-proctor-end-confirm-ru")?;
        k.click("[data-testid=end-confirm-yes]")?;
        k.wait_one("[data-testid=proctor-admit]")?;
        Ok(())
    });
    let db = synaq_store::open_db(&data.path().join("kiosk.sqlite3")).unwrap();
    let result: String = db
        .query_row("SELECT result FROM outbox", [], |r| r.get(0))
        .unwrap();
    let signed: synaq_store::SignedResult = serde_json::from_str(&result).unwrap();
    assert_eq!(signed.record.finish_reason, "violation");
    let head: synaq_proctor::ChainHead = signed
        .record
        .evidence_head
        .as_deref()
        .expect("an evidence head in the signed result")
        .parse()
        .unwrap();
    // ЕУМЦ's reviewer opens the frames with the evidence secret; the chain ends at that head.
    let secret = synaq_sync::evidence::parse_secret(include_str!(
        "../../../assets/demo/keys/demo-evidence.key"
    ))
    .unwrap();
    // One segment (the camera ran once): evidence/<attempt>/1.
    let dir = std::fs::read_dir(data.path().join("evidence"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("1");
    let reader = synaq_proctor::EvidenceReader::open(&dir, &secret).unwrap();
    reader.verify_head(&head).unwrap();
    assert!(!reader.frames().is_empty());
    // The incident is in the journal, with the frame's hash; the frames are sealed on disk.
    let n: i64 = db
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'incident' AND data LIKE '%camera-no-face%frame=%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(n >= 1, "no camera-no-face incident journalled");
    let photo: String = db
        .query_row(
            "SELECT data FROM journal WHERE kind = 'incident' AND data LIKE '%reference-photo%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        photo.contains(&reader.frames()[0].hash.to_hex()),
        "the reference photo is the first sealed frame: {photo}"
    );
    let sealed = std::fs::read_dir(data.path().join("evidence"))
        .unwrap()
        .count();
    assert_eq!(sealed, 1, "one evidence directory for the attempt");
}

/// Where cargo built the binaries: `CARGO_TARGET_DIR`, or the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        Into::into,
    )
}

/// The reference central, run as ЕУМЦ would: its own process, data directory and certificate.
struct Central {
    child: std::process::Child,
    data: PathBuf,
    port: u16,
    fingerprint: String,
}

fn central_bin() -> PathBuf {
    std::env::var_os("SYNAQ_CENTRAL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/synaq-central"))
}

fn central_admin(data: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(central_bin())
        .arg("--data")
        .arg(data)
        .arg("admin")
        .args(args)
        .output()
        .expect("synaq-central runs");
    assert!(
        out.status.success(),
        "synaq-central admin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Central {
    /// ЕУМЦ with the demo issuer key, the demo bank and roster.
    fn prepare(data: &Path) {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
        let s = |p: PathBuf| p.to_str().unwrap().to_owned();
        central_admin(
            data,
            &[
                "init",
                "--issuer-key",
                &s(demo.join("keys/demo-issuer.key")),
            ],
        );
        central_admin(data, &["branch-add", "ALM-01", "Алматы"]);
        central_admin(data, &["roster-import", &s(demo.join("roster.toml"))]);
        central_admin(data, &["publish-bank", &s(demo.join("demo.synaqbank"))]);
        // The kiosk's proctor, on ЕУМЦ's staff list of the branch: central checks who admitted.
        central_admin(data, &["staff-add", "ALM-01", "p1", "Иван Смирнов"]);
    }

    fn start(data: &Path, port: u16) -> Central {
        use std::io::BufRead as _;
        let base = format!("https://127.0.0.1:{port}");
        let mut child = std::process::Command::new(central_bin())
            .arg("--data")
            .arg(data)
            .args(["--base-url", &base, "serve", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("synaq-central serves");
        let mut line = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        // Keep its output flowing (a full pipe would stall it).
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let fingerprint = line
            .split_whitespace()
            .skip_while(|w| *w != "fingerprint")
            .nth(1)
            .unwrap_or_else(|| panic!("no fingerprint in {line:?}"))
            .to_owned();
        Central {
            child,
            data: data.to_owned(),
            port,
            fingerprint,
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn stop(mut self) -> (PathBuf, u16) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        (self.data.clone(), self.port)
    }
}

impl Drop for Central {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A passed exam already on the kiosk (every answer right, through the kiosk's own engine and
/// key), so the sync has a result to deliver and ЕУМЦ a certificate to issue.
fn passed_exam_on(data: &Path) -> String {
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/keys");
    std::fs::copy(keys.join("demo-kiosk.key"), data.join("kiosk.key")).unwrap();
    let key = synaq_seal::KioskSecret::load(&data.join("kiosk.key")).unwrap();
    let issuer = synaq_seal::IssuerPublic::from_toml(
        &std::fs::read_to_string(keys.join("demo-issuer.pub")).unwrap(),
    )
    .unwrap();
    let trust_dir = tempfile::tempdir().unwrap();
    let mut trust = synaq_seal::FileTrustStore::open(&trust_dir.path().join("trust.json")).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let opened = bank::open(DEMO_BANK, &issuer, &key, now, &mut trust).unwrap();
    let exam_bank = std::sync::Arc::new(synaq_store::ExamBank::new(
        opened.header.series,
        opened.header.version,
        opened.profile,
        opened.content.questions,
    ));
    // An honest exam, as a proctored examinee sits it: started half an hour ago (not before the
    // bank became valid), ten seconds a question, a webcam frame every five seconds from the
    // reference photo on, sealed to ЕУМЦ's (demo) evidence key. Central certifies it with no
    // human step.
    let start = (now - 30 * 60).max(opened.header.not_before + 1);
    let clock = std::sync::Arc::new(synaq_store::FakeClock::new(start * 1000));
    let mut engine = synaq_store::Engine::open(data, clock.clone(), exam_bank.clone()).unwrap();
    let iin = synaq_core::Iin::parse(EXAMINEE).unwrap();
    let attempt = engine
        .admit(
            synaq_store::Admission::new(&iin, &synaq_core::CategoryId::new("cat-1").unwrap(), "p1")
                .started(),
        )
        .unwrap();
    let evidence_pub = synaq_sync::evidence::parse_public(
        &std::fs::read_to_string(keys.join("demo-evidence.pub")).unwrap(),
    )
    .unwrap();
    let mut writer = synaq_proctor::EvidenceWriter::new(
        &data.join("evidence").join(&attempt).join("1"),
        &attempt,
        &evidence_pub,
    )
    .unwrap();
    let mut shot = |k: u32| {
        let img = synaq_proctor::synth::room(160, 120, k);
        let at = synaq_store::Clock::wall_ms(clock.as_ref());
        writer
            .append(&synaq_proctor::Frame {
                bytes: synaq_proctor::synth::jpeg(&img, 80),
                format: synaq_proctor::PixelFormat::Jpeg,
                width: 160,
                height: 120,
                captured_at: std::time::UNIX_EPOCH + Duration::from_millis(at as u64),
            })
            .unwrap();
    };
    shot(0);
    let items = engine.paper().unwrap().items.clone();
    let mut k = 1;
    for (pos, item) in items.iter().enumerate() {
        for _ in 0..2 {
            clock.advance(Duration::from_secs(5));
            engine.tick().unwrap();
            shot(k);
            k += 1;
        }
        let q = exam_bank.question(&item.question).unwrap();
        let right = q
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect();
        engine.show(pos).unwrap();
        engine.answer(pos, right).unwrap();
    }
    engine.record_evidence_heads([writer.head()]).unwrap();
    engine
        .finish(synaq_store::engine::FinishReason::Submitted)
        .unwrap();
    attempt
}

/// The branch admin enrolls the kiosk with ЕУМЦ, syncs while central is down (a calm
/// "offline", the result stays queued), then with central up: the result is delivered, ЕУМЦ
/// issues the certificate, and its number comes back to the kiosk — and checks out on the
/// verification page and offline by `synaq verify-qr`.
/// The newest PDF in `dir` written after `since` (what the virtual printer printed).
fn newest_pdf_since(dir: &Path, since: std::time::SystemTime) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let newest = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .filter(|(t, p)| *t >= since && p.extension().is_some_and(|x| x == "pdf"))
            .max();
        if let Some((_, p)) = newest {
            return p;
        }
        assert!(
            Instant::now() < deadline,
            "nothing printed into {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The QR text on the one page of `pdf`, read from a 150 dpi picture saved as
/// `target/e2e/{name}.png` (for a person to look at).
fn qr_of_pdf(pdf: &Path, name: &str) -> (String, PathBuf) {
    let out = synaq_e2e::out_dir().unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 1")),
        "{info}"
    );
    let prefix = out.join(name);
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(ok.success(), "pdftoppm {}", pdf.display());
    let png = prefix.with_extension("png");
    let z = std::process::Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&png)
        .output()
        .unwrap();
    (String::from_utf8_lossy(&z.stdout).trim().to_owned(), png)
}

/// The check code printed on ЕУМЦ's PDF («Код проверки: XXXX-XX»), read with pdftotext.
fn check_code_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let after = text
        .split("Код проверки:")
        .nth(1)
        .unwrap_or_else(|| panic!("no check code on the paper: {text}"));
    after.split_whitespace().next().unwrap().to_owned()
}

#[test]
fn the_admin_enrolls_and_syncs_and_the_certificate_checks_out() {
    let data = staffed_dir();
    let attempt = passed_exam_on(data.path());
    let central_data = tempfile::tempdir().unwrap();
    Central::prepare(central_data.path());
    let central = Central::start(central_data.path(), free_port());
    let (url, fingerprint) = (central.url(), central.fingerprint.clone());
    // ЕУМЦ's enrollment file, carried to the office on removable media (SYNAQ_MEDIA_ROOTS).
    let media_root = tempfile::tempdir().unwrap();
    let stick = media_root.path().join("EUMC");
    std::fs::create_dir(&stick).unwrap();
    let join = stick.join("alm-01.synaqjoin");
    central_admin(
        central_data.path(),
        &[
            "enroll-file",
            "ALM-01",
            "--out",
            join.to_str().unwrap(),
            "--url",
            &url,
        ],
    );
    let mut central = Some(central);
    // The office's printer: a real CUPS with a virtual PDF printer.
    let cups =
        synaq_e2e::Cups::start().expect("CUPS starts (cups, printer-driver-cups-pdf; as root)");
    let cups_socket = cups.socket();
    let env: [(&str, &Path); 3] = [
        ("SYNAQ_DATA_DIR", data.path()),
        ("CUPS_SERVER", &cups_socket),
        ("SYNAQ_MEDIA_ROOTS", media_root.path()),
    ];
    scenario("sync", &env, |k| {
        k.click("[data-testid=lang-ru]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        k.click("[data-testid=staff-entry]")?;
        k.click("[data-testid=login-role-admin]")?;
        k.type_into("[data-testid=login-id]", "admin")?;
        k.type_into("[data-testid=login-password]", "admin-pass-1")?;
        k.click("[data-testid=login-submit]")?;
        k.click("[data-testid=tab-sync]")?;
        // No typing: the enrollment file on the drive is a button.
        k.wait_texts(
            "[data-testid=drives-enroll-file] .name",
            "the enrollment file",
            |t| t == ["alm-01.synaqjoin"],
        )?;
        both(k, "30-admin-enroll", "ru")?;
        k.click("[data-testid=drives-enroll-file]")?;
        k.wait_texts("[data-testid=sync-url]", "enrolled", |t| t == [url.clone()])?;
        // The table names the person, with the ИИН masked; the search finds them by name or
        // by the last digits of the ИИН.
        let names = k.wait_texts("[data-testid=sync-name]", "the examinee's name", |t| {
            t.len() == 1
        })?;
        assert!(
            !names[0].is_empty() && names[0] != "нет в списке",
            "{names:?}"
        );
        let result = k.text_of("[data-testid=sync-result]")?;
        assert!(result.starts_with("сдал, 100 %"), "{result}");
        k.type_into("[data-testid=sync-search]", "0017")?;
        k.wait_texts("[data-testid=sync-row]", "found by ИИН", |t| {
            t.len() == 1
        })?;
        k.type_into("[data-testid=sync-search]", "Нет такого")?;
        k.wait_texts("[data-testid=sync-row]", "nobody", |t| t.is_empty())?;
        k.type_into(
            "[data-testid=sync-search]",
            &names[0][..names[0].find(' ').unwrap_or(names[0].len())],
        )?;
        k.wait_texts("[data-testid=sync-row]", "found by name", |t| t.len() == 1)?;
        // ЕУМЦ is unreachable: "offline", the result stays queued, no error box.
        let (dir, port) = central.take().unwrap().stop();
        k.click("[data-testid=sync-now]")?;
        k.wait_one("[data-testid=sync-offline]")?;
        assert!(k.find_all("[data-testid=error]")?.is_empty());
        let states = k.wait_texts("[data-testid=sync-row] .badge", "queued", |t| t.len() == 1)?;
        assert_eq!(states, ["ждёт"]);
        both(k, "31-admin-sync-offline", "ru")?;
        // Removable media instead: the bundle goes to ЕУМЦ on a stick, receipts come back.
        k.click("[data-testid=sync-media] summary")?;
        k.click("[data-testid=drives-export-drive]")?;
        k.wait_texts("[data-testid=media-exported]", "exported", |t| {
            t.first().is_some_and(|s| s.contains(".synaqout"))
        })?;
        let bundle = std::fs::read_dir(&stick)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "synaqout"))
            .expect("a results bundle on the stick");
        let receipts = stick.join("receipts.synaqin");
        let out = std::process::Command::new(central_bin())
            .arg("--data")
            .arg(&dir)
            .arg("import")
            .arg(&bundle)
            .arg("--out")
            .arg(&receipts)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "central import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        k.click("[data-testid=drives-receipts-refresh]")?;
        k.click("[data-testid=drives-receipts-file]")?;
        let said = k.wait_texts("[data-testid=media-imported]", "receipts applied", |t| {
            t.len() == 1
        })?;
        assert!(said[0].contains("доставлено 1"), "{said:?}");
        let states = k.wait_texts("[data-testid=sync-row] .badge", "delivered", |t| {
            t.first().is_some_and(|s| s == "доставлен")
        })?;
        assert_eq!(states.len(), 1);
        both(k, "34-admin-sync-removable-media", "ru")?;
        // Back online: the certificate ЕУМЦ issued comes with the next pull.
        central = Some(Central::start(&dir, port));
        k.click("[data-testid=sync-now]")?;
        let numbers = k.wait_texts_for(
            "[data-testid=sync-certificate]",
            "the certificate number",
            Duration::from_secs(60),
            |t| t.first().is_some_and(|n| n.starts_with("KZOT-")),
        )?;
        let states = k.wait_texts("[data-testid=sync-row] .badge", "delivered", |t| {
            t.len() == 1
        })?;
        assert_eq!(states, ["доставлен"]);
        assert!(k.find_all("[data-testid=sync-offline]")?.is_empty());
        both_at(
            k,
            "32-admin-sync-delivered",
            "ru",
            "[data-testid=sync-results]",
        )?;
        let number = numbers[0].clone();
        // The PDF ЕУМЦ rendered follows the pull (checked against the hash the pull signed).
        let db = synaq_store::open_db(&data.path().join("kiosk.sqlite3")).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let original: Vec<u8> = loop {
            let pdf = synaq_store::certificate::pdf(&db, &number, false).unwrap();
            if let Some(pdf) = pdf.filter(|_| {
                synaq_store::certificate::pdf(&db, &number, true)
                    .unwrap()
                    .is_some()
            }) {
                break pdf;
            }
            assert!(
                Instant::now() < deadline,
                "the certificate's PDFs did not arrive"
            );
            std::thread::sleep(Duration::from_millis(300));
        };
        assert!(original.starts_with(b"%PDF-"));
        // The paper copy: the certificate with its QR code; the admin picks the office's
        // printer once and prints with one button, no dialog.
        k.click("[data-testid=sync-certificate]")?;
        let shown = k.text_of("[data-testid=certificate-number]")?;
        assert_eq!(shown, number);
        k.wait_one("[data-testid=certificate-qr]")?;
        k.wait_one("[data-testid=printer]")?;
        k.script(&format!(
            "const s = document.querySelector('[data-testid=printer]'); s.value = '{}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true",
            synaq_e2e::CUPS_PRINTER
        ))?;
        // Chosen: the "choose a printer" placeholder is gone and the button is enabled.
        k.wait_texts("[data-testid=printer] option", "the printer chosen", |t| {
            t.len() == 1
        })?;
        k.wait_texts_for(
            "[data-testid=certificate-print]:not([disabled])",
            "the print button, once the printer is chosen",
            Duration::from_secs(10),
            |t| t.len() == 1,
        )?;
        both_at(k, "33-admin-certificate", "ru", "[data-testid=certificate]")?;
        let printed_before = std::time::SystemTime::now();
        k.click("[data-testid=certificate-print]")?;
        let said = k.wait_texts_for(
            "[data-testid=print-job]",
            "the print job printed",
            Duration::from_secs(90),
            |t| t.first().is_some_and(|s| s.contains("Напечатано")),
        )?;
        assert!(said[0].contains(synaq_e2e::CUPS_PRINTER), "{said:?}");
        both_at(
            k,
            "35-admin-certificate-printed",
            "ru",
            "[data-testid=certificate]",
        )?;
        // What came out of the printer is the certificate ЕУМЦ made: one page whose QR code
        // reads back as the certificate's own.
        let printed = newest_pdf_since(&synaq_e2e::Cups::output_dir(), printed_before);
        let (qr_printed, picture) = qr_of_pdf(&printed, "36-printed-page");
        let qr_kept: String = db
            .query_row(
                "SELECT qr FROM certificates WHERE number = ?1",
                [&number],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            qr_printed,
            qr_kept,
            "the printed page's QR ({})",
            picture.display()
        );
        // A reprint is the copy ЕУМЦ marked, and the journal says so. The printer is out of
        // paper first: the admin is told the job waits, and it prints once it is back.
        cups.set_printer_enabled(false)?;
        k.click("[data-testid=certificate-print]")?;
        k.wait_texts_for(
            "[data-testid=print-job][data-state=printer-stopped]",
            "the job waits for the stopped printer",
            Duration::from_secs(30),
            |t| t.first().is_some_and(|s| s.contains("остановлен")),
        )?;
        both_at(
            k,
            "37-admin-print-printer-stopped",
            "ru",
            "[data-testid=certificate]",
        )?;
        cups.set_printer_enabled(true)?;
        k.wait_texts_for(
            "[data-testid=print-job][data-state=printed]",
            "the copy printed once the printer is back",
            Duration::from_secs(60),
            |t| t.len() == 1,
        )?;
        k.wait_texts_for(
            "[data-testid=print-count]",
            "two prints",
            Duration::from_secs(30),
            |t| t.first().is_some_and(|s| s.contains('2')),
        )?;
        let copies: Vec<bool> = {
            let mut stmt = db
                .prepare("SELECT json_extract(data, '$.copy') FROM journal WHERE kind = 'printed' ORDER BY seq")
                .unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, bool>(0)).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        assert_eq!(copies, [false, true], "the original, then a copy");
        // The check code printed on the paper (read from ЕУМЦ's PDF, as a person reads it).
        let check_code = check_code_of(&original);
        // The certificate as the kiosk keeps it: its QR checks offline with the ЕУМЦ key.
        let (qr, for_attempt): (String, String) = db
            .query_row(
                "SELECT qr, attempt FROM certificates WHERE number = ?1",
                [&number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(for_attempt, attempt);
        assert!(!qr.contains(EXAMINEE), "no full ИИН in the QR");
        let cli = target_dir().join("debug/synaq");
        let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/keys");
        let out = std::process::Command::new(cli)
            .args(["verify-qr", &qr, "--central-pub"])
            .arg(keys.join("demo-issuer.pub"))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.contains(&number),
            "verify-qr: {said}"
        );
        // The public verification page: the status only, until the check code from the
        // paper is typed; then the holder, with the ИИН masked.
        let page = synaq_e2e::https_get_pinned(
            &format!("https://127.0.0.1:{port}/v/{number}"),
            &fingerprint,
        )?;
        assert!(page.contains(&number) && page.contains("Жарамды"), "{page}");
        assert!(!page.contains("0017"), "{page}");
        let page = synaq_e2e::https_get_pinned(
            &format!("https://127.0.0.1:{port}/v/{number}?c={check_code}"),
            &fingerprint,
        )?;
        assert!(page.contains("********0017"), "{page}");
        assert!(!page.contains(EXAMINEE));
        Ok(())
    });
    drop(central);
    drop(cups);
}

/// The proctor admits `iin` for `category` (no screenshots).
fn admit_person(k: &Kiosk, iin: &str, category: &str) -> Result<()> {
    proctor_login(k)?;
    k.type_into("[data-testid=proctor-iin]", iin)?;
    k.wait_one(&format!("[data-testid=match-{category}]"))?;
    k.click(&format!("[data-testid=match-{category}]"))?;
    k.click("[data-testid=document-checked]")?;
    k.click("[data-testid=take-photo]")?;
    k.wait_one("[data-testid=reference-photo], [data-testid=camera-status]")?;
    k.click("[data-testid=proctor-start]")?;
    k.wait_one("[data-testid=exam-identity]")?;
    Ok(())
}

/// Fails unless every element of `css` is inside the viewport, naming where it is.
fn assert_in_view(k: &Kiosk, what: &str, css: &[&str]) -> Result<()> {
    for c in css {
        let (inside, at) = k.in_viewport(c)?;
        assert!(inside, "{what}: {at}");
    }
    Ok(())
}

/// The laptop screens of the offices: the timer and the navigation stay in view at 1366×768
/// and 1280×720, with an image, at 200 % text and with a 120-question grid; the clock stops
/// for a proctor's visit and the examinee comes back to the same question.
#[test]
fn screen_sizes_keep_the_timer_and_navigation_in_view() {
    let data = staffed_dir();
    scenario("sizes", &[("SYNAQ_DATA_DIR", data.path())], |k| {
        k.resize(1280, 720)?;
        k.click("[data-testid=lang-kk]")?;
        k.wait_one("[data-testid=screen-categories]")?;
        // Category 4: 120 questions.
        admit_person(k, "951103401587", "cat-4")?;
        // Before the start there is no clock to show.
        assert!(k.find_all("[data-testid=countdown]")?.is_empty());
        k.click("[data-testid=identity-confirm]")?;
        k.wait_one("[data-testid=exam-rules]")?;
        let camera = k.text_of("[data-testid=rules-camera]")?;
        assert!(camera.contains("ЕУМЦ-ге"), "{camera}");
        both(k, "40-exam-rules-1280x720", "kk")?;
        k.click("[data-testid=rules-start]")?;
        k.wait_one("[data-testid=exam-question]")?;
        k.wait_one("[data-testid=countdown]")?;
        let view = [
            "[data-testid=countdown]",
            "[data-testid=next]",
            "[data-testid=review]",
        ];
        for (w, h) in [(1366, 768), (1280, 720)] {
            k.resize(w, h)?;
            assert_in_view(k, &format!("{w}×{h}"), &view)?;
            both(k, &format!("41-exam-question-{w}x{h}"), "kk")?;
        }
        // English mode: the demo bank has no English question texts, and says so.
        k.click("[data-testid=switch-lang-en]")?;
        let note = k.text_of("[data-testid=questions-in-russian]")?;
        assert!(note.contains("Russian"), "{note}");
        k.screenshot("41b-exam-question-en-1280x720")?;
        k.click("[data-testid=switch-lang-kk]")?;
        assert!(k.find_all("[data-testid=questions-in-russian]")?.is_empty());
        // An image question (the demo bank's signs), if the paper has one in its first 60.
        let mut image = false;
        for _ in 0..60 {
            if !k.find_all("[data-testid=question-image]")?.is_empty() {
                image = true;
                break;
            }
            let before = k.text_of("[data-testid=question-counter]")?;
            k.click("[data-testid=next]")?;
            k.wait_texts("[data-testid=question-counter]", "the next question", |t| {
                t.first().is_some_and(|s| *s != before)
            })?;
        }
        if image {
            assert_in_view(k, "an image question at 1280×720", &view)?;
            let height = k.script(
                "return document.querySelector('[data-testid=question-image]').getBoundingClientRect().height",
            )?;
            assert!(height.as_f64().unwrap_or(999.0) <= 261.0, "image {height}");
            both(k, "42-exam-image-question-1280x720", "kk")?;
        }
        // 200 % text: the clock and the navigation are still there.
        k.click("[data-testid=text-size]")?;
        k.click("[data-testid=text-size]")?;
        assert_in_view(
            k,
            "200 % at 1280×720",
            &["[data-testid=countdown]", "[data-testid=next]"],
        )?;
        both(k, "43-exam-question-200-1280x720", "kk")?;
        k.click("[data-testid=text-size]")?;
        let counter = k.text_of("[data-testid=question-counter]")?;
        // A proctor's visit: the clock stops while the console is open.
        proctor_login(k)?;
        k.wait_one("[data-testid=proctor-visit]")?;
        let before = k.text_of("[data-testid=running-time]")?;
        both(k, "44-proctor-visit-1280x720", "kk")?;
        std::thread::sleep(Duration::from_millis(2_500));
        assert_eq!(k.text_of("[data-testid=running-time]")?, before);
        k.click("[data-testid=proctor-leave]")?;
        k.wait_one("[data-testid=exam-question]")?;
        k.wait_texts("[data-testid=question-counter]", "the same question", |t| {
            t.first().is_some_and(|s| *s == counter)
        })?;
        // The result: the person's summary, cleared back to the language choice.
        k.click("[data-testid=review]")?;
        k.click("[data-testid=submit]")?;
        k.click("[data-testid=submit-yes]")?;
        k.wait_one("[data-testid=exam-result]")?;
        assert_eq!(
            k.text_of("[data-testid=result-name]")?,
            "Гүлнар Қайратқызы Оспанова"
        );
        let date = k.text_of("[data-testid=result-date]")?;
        assert!(
            date.len() == 10 && date.chars().nth(2) == Some('.'),
            "{date}"
        );
        assert_eq!(k.text_of("[data-testid=result-percent]")?, "0 %");
        k.wait_one("[data-testid=result-reregister]")?;
        both(k, "45-exam-result-1280x720", "kk")?;
        k.click("[data-testid=result-close]")?;
        k.wait_one("[data-testid=lang-kk]")?;
        Ok(())
    });
}

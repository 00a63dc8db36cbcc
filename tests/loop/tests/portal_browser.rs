//! The portal in a real browser (Debian's Chromium, headless, through chromedriver), in Kazakh
//! and in Russian, along the path of issue 16 (see [`walk`]). Every page is screenshotted into
//! `target/e2e-portal/` and checked by axe-core; the register and cabinet pages also at phone
//! width, without sideways scrolling.

use synaq_loop::browser::{self, Browser};
use synaq_loop::*;

fn sign_in(b: &Browser, base: &str, lang: &str, login: &str) {
    b.open(&format!("{base}/portal/login?lang={lang}"));
    b.type_into("#login", login);
    b.type_into("#password", PORTAL_PASSWORD);
    b.click("form button[type=submit]");
    b.wait_url(match login {
        "oo" => "/portal/oo",
        "reviewer" => "/portal/review",
        "analyst" => "/portal/analyst",
        _ => "/portal/registrar",
    });
}

fn sign_out(b: &Browser) {
    b.click("form.who button");
    b.wait_url("/portal/login");
}

fn set_date(b: &Browser, id: &str, iso: &str) {
    b.script(&format!("document.getElementById('{id}').value = '{iso}';"));
}

/// Screenshots the page as `NAME` and keeps axe-core's serious findings.
fn look(b: &Browser, name: &str, findings: &mut Vec<String>) {
    b.screenshot(name);
    for f in b.axe() {
        findings.push(format!("{name}: {f}"));
    }
}

/// The ОО's three learners sit at a kiosk of the branch (the loop harness's kiosk with the
/// fixture camera), their exams ending in the last twenty minutes: Айгүл passes and is
/// certified; Иван passes but his result comes without its journal, so central holds it;
/// Әлия fails. This central keeps ЕУМЦ's evidence key, so the reviewer sees the frames.
/// Returns Иван's attempt.
fn the_learners_sit(c: &Running, learners: &[synaq_core::Iin; 3]) -> String {
    let key = synaq_sync::evidence::secret_to_toml(&evidence_key());
    std::fs::write(
        c.dir.path().join(synaq_central::review::EVIDENCE_KEY_FILE),
        key.as_bytes(),
    )
    .unwrap();
    let kiosk = Kiosk::new();
    enroll_offline(&c.central, &kiosk);
    let pull = c
        .central
        .pull(&kiosk.key.id().to_string(), 0, now())
        .unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let clock = kiosk.clock_at((now() - 20 * 60) * 1000);
    let mut engine = kiosk.engine(std::sync::Arc::clone(&bank), clock);
    let [aigul, ivan, aliya] = learners;
    let passed = sit_exam(&mut engine, &bank, aigul, true);
    let held = sit_exam(&mut engine, &bank, ivan, true);
    let failed = sit_exam(&mut engine, &bank, aliya, false);
    // In the kiosk's order (each result names the one before), Иван's without its journal.
    let with_journals = [passed.clone(), failed.clone()];
    let journals = synaq_sync::client::journals_of(engine.connection(), &with_journals).unwrap();
    let id = kiosk.key.id().to_string();
    c.central
        .ingest(Some(&id), &[passed, held.clone(), failed], &journals, now())
        .unwrap();
    assert_eq!(deliver_evidence(&c.central, &kiosk), 3);
    let state = |a: &str| c.central.verdict(a).unwrap().unwrap().0;
    assert_eq!(state(&with_journals[0].record.attempt_id), "certified");
    assert_eq!(state(&with_journals[1].record.attempt_id), "failed");
    assert_eq!(state(&held.record.attempt_id), "held");
    held.record.attempt_id
}

/// The path, in `lang`: an ОО registers three learners (one by the form, two by a
/// spreadsheet after one with a bad row was refused), the registrar confirms them, a kiosk
/// sits their exams, one is held and a reviewer approves it, the ОО sees two certificates,
/// the analyst sees the ОО flagged after more fails, the registrar excludes it, and its next
/// registration is refused.
fn walk(lang: &str, findings: &mut Vec<String>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let c = rt.block_on(start_portal());
    let base = c.base();
    let today = synaq_central::local_date(now() * 1000);
    let to = (today + chrono::Duration::days(30)).to_string();
    let b = Browser::start(1366, 768);
    let words = |kk: &'static str, ru: &'static str| if lang == "kk" { kk } else { ru };
    let learners: [synaq_core::Iin; 3] = ["900101300017", "850715401236", "000229600074"]
        .map(|i| synaq_core::Iin::parse(i).unwrap());

    b.open(&format!("{base}/registry/oo?lang={lang}"));
    assert!(b.page_text().contains("«Қауіпсіз Еңбек» ЖШС"));
    look(&b, &format!("{lang}-01-registry"), findings);
    b.open(&format!("{base}/portal/login?lang={lang}"));
    look(&b, &format!("{lang}-02-login"), findings);
    sign_in(&b, &base, lang, "oo");
    look(&b, &format!("{lang}-03-cabinet-empty"), findings);

    // One learner by the form: the ИИН is judged while it is typed.
    b.open(&format!("{base}/portal/oo/register"));
    b.type_into("#iin", "900101300018");
    assert_eq!(
        b.script("return document.getElementById('iin').getAttribute('aria-invalid')"),
        "true"
    );
    assert_eq!(
        b.text("#iin-hint"),
        words(
            "Бұл дұрыс ЖСН емес: цифрларды тексеріңіз.",
            "Это неверный ИИН: проверьте цифры."
        )
    );
    look(&b, &format!("{lang}-04-register-iin-wrong"), findings);
    b.type_into("#iin", "900101300017");
    assert_eq!(b.text("#iin-hint"), words("ЖСН дұрыс.", "ИИН верный."));
    b.type_into("#name", "Айгүл Нұрланова");
    b.type_into("#payment", "П-2026/15");
    set_date(&b, "one-to", &to);
    b.click("#one button[type=submit]");
    b.wait_url("/portal/oo?done=1");
    assert!(b.page_text().contains("********0017"));
    look(&b, &format!("{lang}-05-registered"), findings);

    // Two by a spreadsheet: with a bad row nobody is registered; corrected, both are.
    let csv =
        std::env::temp_dir().join(format!("synaq-learners-{lang}-{}.csv", std::process::id()));
    std::fs::write(
        &csv,
        "ИИН;ФИО;Платёж\n850715401236;Иванов Иван;P-2\n000229600074;=HYPERLINK(\"x\");P-3\n",
    )
    .unwrap();
    b.open(&format!("{base}/portal/oo/register"));
    set_date(&b, "up-to", &to);
    b.type_into("#file", &csv.display().to_string());
    b.click("#upload button[type=submit]");
    b.wait_url("/portal/oo/upload");
    let page = b.page_text();
    assert!(
        page.contains(words("Ешкім жазылған жоқ", "Никто не записан")),
        "{page}"
    );
    assert!(
        page.contains(words("аты-жөні әріптерден", "ФИО должно состоять из букв")),
        "{page}"
    );
    look(&b, &format!("{lang}-06-upload-row-error"), findings);
    assert_eq!(c.central.learners(OO_BIN, 10).unwrap().len(), 1);
    std::fs::write(
        &csv,
        "ИИН;ФИО;Платёж\n850715401236;Иванов Иван;P-2\n000229600074;Әлия Қанатқызы;P-3\n",
    )
    .unwrap();
    b.open(&format!("{base}/portal/oo/register"));
    set_date(&b, "up-to", &to);
    b.type_into("#file", &csv.display().to_string());
    b.click("#upload button[type=submit]");
    b.wait_url("/portal/oo?done=2");
    std::fs::remove_file(&csv).ok();
    assert_eq!(c.central.learners(OO_BIN, 10).unwrap().len(), 3);
    assert!(b
        .page_text()
        .contains(words("ЕУМЦ растауын күтуде", "ждёт подтверждения ЕУМЦ")));
    look(&b, &format!("{lang}-07-three-registered"), findings);

    // At phone width the forms and the table fit (the table scrolls inside its box).
    let phone = Browser::start(390, 844);
    sign_in(&phone, &base, lang, "oo");
    for (page, name) in [
        ("/portal/oo/register", "08-phone-register"),
        ("/portal/oo", "08-phone-cabinet"),
    ] {
        phone.open(&format!("{base}{page}"));
        let fits = phone.script("return document.documentElement.scrollWidth <= window.innerWidth");
        assert_eq!(fits, true, "{page} at 390 px scrolls sideways");
        look(&phone, &format!("{lang}-{name}"), findings);
    }
    drop(phone);
    sign_out(&b);

    // The registrar confirms the three (payment checked): the branch's kiosks see them now.
    sign_in(&b, &base, lang, "registrar");
    look(&b, &format!("{lang}-09-registrar"), findings);
    b.open(&format!("{base}/portal/registrar/registrations"));
    assert!(b.page_text().contains("Әлия Қанатқызы"));
    look(&b, &format!("{lang}-10-registrations"), findings);
    b.click("#registrations button[value=confirm]");
    b.wait_url("done=3");
    b.open(&format!("{base}/portal/registrar/branches"));
    b.click(&format!("#branch-{BRANCH} form.row-form button"));
    b.wait_text(words("бір реттік код", "Одноразовый код"));
    assert_eq!(b.text("#enroll-code strong").len(), 10);
    look(&b, &format!("{lang}-11-branches-code"), findings);
    b.open(&format!("{base}/portal/registrar/banks"));
    assert!(b.page_text().contains("demo"));
    look(&b, &format!("{lang}-12-banks"), findings);
    sign_out(&b);

    // They sit; one result is held. The reviewer looks at its frames and approves it.
    let held = the_learners_sit(&c, &learners);
    sign_in(&b, &base, lang, "reviewer");
    assert!(b.page_text().contains(&held));
    look(&b, &format!("{lang}-13-review-queue"), findings);
    b.click(&format!("a[href='/portal/review/{held}']"));
    b.wait_url(&held);
    let frames = b.script("return document.querySelectorAll('.frames img').length");
    assert!(frames.as_u64().unwrap_or(0) >= 5, "frames shown: {frames}");
    let decoded = b.script(
        "return [...document.querySelectorAll('.frames img')].every(i => i.complete && i.naturalWidth > 0)",
    );
    assert_eq!(decoded, true, "every frame decodes in the browser");
    look(&b, &format!("{lang}-14-review-case"), findings);
    b.type_into(
        "#reason",
        words("Журнал киоскіде тексерілді", "Журнал проверен на киоске"),
    );
    b.click("#decide button[value=approve]");
    b.wait_url("done=approve");
    look(&b, &format!("{lang}-15-review-approved"), findings);
    assert_eq!(c.central.verdict(&held).unwrap().unwrap().0, "certified");
    sign_out(&b);

    // The ОО sees two certificates (their PDFs download) and the fail with its retake date.
    sign_in(&b, &base, lang, "oo");
    let page = b.page_text();
    assert_eq!(page.matches("(PDF)").count(), 2, "{page}");
    assert!(
        page.contains(words("қайта тапсыру", "пересдача до")),
        "{page}"
    );
    // The links are to the two certificates (the HTTPS test downloads one: a PDF; a script in
    // the page could not, the portal's policy allows it no requests).
    let links = b.script(
        "return [...document.querySelectorAll('a[href^=\"/portal/oo/certificate/\"]')].map(a => a.textContent).join(' ')",
    );
    let numbers: Vec<String> = c
        .central
        .learners(OO_BIN, 10)
        .unwrap()
        .into_iter()
        .filter_map(|l| l.certificate)
        .collect();
    assert_eq!(numbers.len(), 2);
    for n in &numbers {
        assert!(links.as_str().unwrap_or("").contains(n.as_str()), "{links}");
    }
    look(&b, &format!("{lang}-16-cabinet-certificates"), findings);
    sign_out(&b);

    // More of its learners fail: the analyst sees the ОО flagged (more than half failed).
    sit_and_deliver(&c.central, 7300, 0, 3);
    sign_in(&b, &base, lang, "analyst");
    let page = b.page_text();
    assert!(
        page.contains(words(
            "жартысынан көбі тапсыра алмады",
            "не сдали больше половины"
        )),
        "{page}"
    );
    look(&b, &format!("{lang}-17-analyst-ratings"), findings);
    b.open(&format!("{base}/portal/analyst?view=chart"));
    assert_eq!(
        b.script("return document.querySelectorAll('.chart polyline').length"),
        1
    );
    look(&b, &format!("{lang}-18-analyst-chart"), findings);
    b.open(&format!("{base}/portal/analyst?view=watch"));
    look(&b, &format!("{lang}-19-analyst-watch"), findings);
    sign_out(&b);

    // The registrar excludes the ОО, with the reason.
    sign_in(&b, &base, lang, "registrar");
    b.script(&format!(
        "document.getElementById('s-{OO_BIN}').value = 'excluded';"
    ));
    b.type_into(&format!("#r-{OO_BIN}"), "2026: 4 / 6");
    b.click(&format!("form.row-form input[value='{OO_BIN}'] ~ button"));
    b.wait_text(words("шығарылған", "исключена"));
    look(&b, &format!("{lang}-20-excluded"), findings);
    sign_out(&b);

    // The ОО sees why, and its next registration is refused; the public list says so.
    sign_in(&b, &base, lang, "oo");
    assert!(b.page_text().contains("2026: 4 / 6"));
    b.open(&format!("{base}/portal/oo/register"));
    b.type_into("#iin", "880315300511");
    b.type_into("#name", "Серік Болатұлы");
    set_date(&b, "one-to", &to);
    b.click("#one button[type=submit]");
    b.wait_text("080840001239");
    assert!(b.text("#error").contains("080840001239"));
    look(&b, &format!("{lang}-21-registration-refused"), findings);
    assert_eq!(c.central.learners(OO_BIN, 20).unwrap().len(), 6);
    b.open(&format!("{base}/registry/oo"));
    assert!(b.page_text().contains("2026: 4 / 6"));
    look(&b, &format!("{lang}-22-registry-excluded"), findings);
    b.open(&format!("{base}/registry/lecturers"));
    look(&b, &format!("{lang}-23-registry-lecturers"), findings);
    drop(b);
    drop(c);
}

#[test]
fn the_portal_walks_in_a_real_browser_in_kazakh_and_russian() {
    // Only this run's screenshots.
    let _ = std::fs::remove_dir_all(browser::out_dir());
    let mut findings = Vec::new();
    walk("kk", &mut findings);
    walk("ru", &mut findings);
    assert!(findings.is_empty(), "axe-core:\n{}", findings.join("\n"));
}

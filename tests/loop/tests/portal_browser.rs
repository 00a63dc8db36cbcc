//! The portal in a real browser (Debian's Chromium, headless, through chromedriver), in Kazakh
//! and in Russian: the public list, the sign-in, an ОО's cabinet, registering a learner with
//! the ИИН checked while it is typed, a spreadsheet with a bad row, the registrar excluding the
//! ОО, and the ОО's next registration refused. Every page is screenshotted into
//! `target/e2e-portal/` and checked by axe-core; the register and cabinet pages also at phone
//! width, without sideways scrolling.

use synaq_loop::browser::Browser;
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

/// A pass of a learner of [`OO_BIN`] with its webcam evidence delivered but its journal
/// missing: central holds it. The central's data directory gets ЕУМЦ's evidence key.
fn held_exam_with_evidence(c: &Running) -> String {
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
    let mut engine = kiosk.engine(std::sync::Arc::clone(&bank), kiosk.clock());
    let person = iins(7100, 1).remove(0);
    register(&c.central, &person, 1);
    let r = sit_exam(&mut engine, &bank, &person, true);
    c.central
        .ingest(
            Some(&kiosk.key.id().to_string()),
            std::slice::from_ref(&r),
            &[],
            now(),
        )
        .unwrap();
    assert_eq!(deliver_evidence(&c.central, &kiosk), 1);
    r.record.attempt_id
}

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

    b.open(&format!("{base}/registry/oo?lang={lang}"));
    assert!(b.page_text().contains("«Қауіпсіз Еңбек» ЖШС"));
    look(&b, &format!("{lang}-01-registry"), findings);

    b.open(&format!("{base}/portal/login?lang={lang}"));
    look(&b, &format!("{lang}-02-login"), findings);
    sign_in(&b, &base, lang, "oo");
    look(&b, &format!("{lang}-03-cabinet-empty"), findings);

    // One learner: the ИИН is judged while it is typed.
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
    assert!(b.page_text().contains("Айгүл Нұрланова"));
    assert!(b.page_text().contains("********0017"));
    look(&b, &format!("{lang}-05-registered"), findings);

    // A spreadsheet with a bad row: the row's error, nobody registered.
    let csv =
        std::env::temp_dir().join(format!("synaq-learners-{lang}-{}.csv", std::process::id()));
    std::fs::write(
        &csv,
        "ИИН;ФИО;Платёж\n850715401236;Иванов Иван;P-2\n880315300511;=HYPERLINK(\"x\");P-3\n",
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
    std::fs::remove_file(&csv).ok();
    assert_eq!(c.central.learners(OO_BIN, 10).unwrap().len(), 1);

    // At phone width the forms and the table fit (the table scrolls inside its box).
    let phone = Browser::start(390, 844);
    sign_in(&phone, &base, lang, "oo");
    for (page, name) in [
        ("/portal/oo/register", "07-phone-register"),
        ("/portal/oo", "08-phone-cabinet"),
    ] {
        phone.open(&format!("{base}{page}"));
        let fits = phone.script("return document.documentElement.scrollWidth <= window.innerWidth");
        assert_eq!(fits, true, "{page} at 390 px scrolls sideways");
        look(&phone, &format!("{lang}-{name}"), findings);
    }
    drop(phone);
    sign_out(&b);

    // The registrar confirms the registration (payment checked): kiosks see it from now on.
    sign_in(&b, &base, lang, "registrar");
    b.open(&format!("{base}/portal/registrar/registrations"));
    assert!(b.page_text().contains("Айгүл Нұрланова"));
    look(&b, &format!("{lang}-09a-registrations"), findings);
    b.click("#registrations button[value=confirm]");
    b.wait_url("done=1");
    assert_eq!(c.central.pending_registrations(10).unwrap().len(), 0);

    // The registrar excludes the ОО, with the reason.
    b.open(&format!("{base}/portal/registrar"));
    look(&b, &format!("{lang}-09-registrar"), findings);
    b.script(&format!(
        "document.getElementById('s-{OO_BIN}').value = 'excluded';"
    ));
    b.type_into(&format!("#r-{OO_BIN}"), "2026: 6 / 10");
    b.click(&format!("form.row-form input[value='{OO_BIN}'] ~ button"));
    b.wait_url("/portal/registrar");
    b.wait_loaded();
    assert!(b.page_text().contains(words("шығарылған", "исключена")));
    look(&b, &format!("{lang}-10-excluded"), findings);
    // Branches, kiosks and staff: a new enrollment code shown once; the banks.
    b.open(&format!("{base}/portal/registrar/branches"));
    b.click(&format!("#branch-{BRANCH} form.row-form button"));
    b.wait_loaded();
    assert_eq!(b.text("#enroll-code strong").len(), 10);
    look(&b, &format!("{lang}-10b-branches-code"), findings);
    b.open(&format!("{base}/portal/registrar/banks"));
    assert!(b.page_text().contains("demo"));
    look(&b, &format!("{lang}-10c-banks"), findings);
    sign_out(&b);

    // The ОО sees why, and its next registration is refused.
    sign_in(&b, &base, lang, "oo");
    assert!(b.page_text().contains("2026: 6 / 10"));
    b.open(&format!("{base}/portal/oo/register"));
    b.type_into("#iin", "850715401236");
    b.type_into("#name", "Иванов Иван");
    set_date(&b, "one-to", &to);
    b.click("#one button[type=submit]");
    b.wait_loaded();
    assert!(b.text("#error").contains("080840001239"));
    look(&b, &format!("{lang}-11-registration-refused"), findings);
    assert_eq!(c.central.learners(OO_BIN, 10).unwrap().len(), 1);

    b.open(&format!("{base}/registry/oo"));
    assert!(b.page_text().contains("2026: 6 / 10"));
    look(&b, &format!("{lang}-12-registry-excluded"), findings);
    sign_out(&b);

    // An exam of one of its learners came without its journal: held. The reviewer looks at
    // the frames (this central keeps ЕУМЦ's evidence key) and approves it.
    let attempt = held_exam_with_evidence(&c);
    sign_in(&b, &base, lang, "reviewer");
    assert!(b.page_text().contains(&attempt));
    look(&b, &format!("{lang}-13-review-queue"), findings);
    b.click(&format!("a[href='/portal/review/{attempt}']"));
    b.wait_url(&attempt);
    let frames = b.script("return document.querySelectorAll('.frames img').length");
    assert!(frames.as_u64().unwrap_or(0) >= 5, "frames shown: {frames}");
    let loaded = b.script(
        "return [...document.querySelectorAll('.frames img')].every(i => i.complete && i.naturalWidth > 0)",
    );
    assert_eq!(loaded, true, "every frame decodes in the browser");
    look(&b, &format!("{lang}-14-review-case"), findings);
    b.type_into(
        "#reason",
        words("Журнал киоскіде тексерілді", "Журнал проверен на киоске"),
    );
    b.click("#decide button[value=approve]");
    b.wait_url("done=approve");
    look(&b, &format!("{lang}-15-review-approved"), findings);
    assert_eq!(c.central.verdict(&attempt).unwrap().unwrap().0, "certified");
    sign_out(&b);

    // The ОО sees the pass and the certificate.
    sign_in(&b, &base, lang, "oo");
    assert!(b.page_text().contains(words("тапсырды", "сдал")));
    assert!(b.page_text().contains("(PDF)"));
    look(&b, &format!("{lang}-16-cabinet-certificate"), findings);
    sign_out(&b);

    // The analyst: the ОО flagged (more than half failed), its exclusion as the decision, the
    // pass rate by month as a chart, by category and by kiosk.
    sit_and_deliver(&c.central, 7300, 2, 4);
    sign_in(&b, &base, lang, "analyst");
    let page = b.page_text();
    assert!(
        page.contains(words(
            "жартысынан көбі тапсыра алмады",
            "не сдали больше половины"
        )),
        "{page}"
    );
    assert!(
        page.contains("2026: 6 / 10"),
        "the decision and its reason: {page}"
    );
    let lines = b.script("return document.querySelectorAll('.chart polyline').length");
    assert_eq!(lines, 1, "one category");
    look(&b, &format!("{lang}-17-analyst"), findings);
    b.open(&format!("{base}/portal/analyst?by=kiosk"));
    let lines = b.script("return document.querySelectorAll('.chart polyline').length");
    assert_eq!(lines, 2, "two kiosks");
    look(&b, &format!("{lang}-18-analyst-by-kiosk"), findings);
    drop(b);
    drop(c);
}

#[test]
fn the_portal_walks_in_a_real_browser_in_kazakh_and_russian() {
    let mut findings = Vec::new();
    walk("kk", &mut findings);
    walk("ru", &mut findings);
    assert!(findings.is_empty(), "axe-core:\n{}", findings.join("\n"));
}

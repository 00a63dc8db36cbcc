//! The ЕУМЦ portal over real HTTPS on loopback: who may open what (every route × every role,
//! and no session), forms without their token, hostile input, the login's wait after
//! failures, and an ОО registering learners by form and spreadsheet (one bad row registers
//! nobody) until the registrar excludes it. The browser walk is `portal_browser.rs`.

use std::collections::HashMap;

use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::StatusCode;
use synaq_central::portal::web::ROUTES;
use synaq_central::portal::Role;
use synaq_loop::*;

const PASSWORD: &str = PORTAL_PASSWORD;

/// A client with its own cookies that does not follow redirects.
struct Visitor {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

/// What came back.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of `<input … name="NAME" value="…">` on the page.
    fn input(&self, name: &str) -> String {
        let at = self
            .body
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap_or_else(|| panic!("no input {name} in {}", self.body));
        let rest = &self.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl Visitor {
    fn new(c: &Running) -> Visitor {
        Visitor {
            base: c.base(),
            http: reqwest::Client::builder()
                .tls_backend_preconfigured(synaq_sync::tls::client_config(c.pin).unwrap())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Answer {
        let resp = req
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        for v in resp.headers().get_all(SET_COOKIE) {
            let text = v.to_str().unwrap();
            let (kv, _) = text.split_once(';').unwrap_or((text, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        Answer {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }

    async fn upload(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        file_name: &str,
        file: &[u8],
    ) -> Answer {
        const B: &str = "synaq-test-boundary-7d1f";
        let mut body = Vec::new();
        for (k, v) in form {
            body.extend_from_slice(
                format!("--{B}\r\ncontent-disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{B}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\ncontent-type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={B}"))
            .body(body);
        self.send(req).await
    }

    /// Signs in; returns the session's form token (from the page it lands on).
    async fn sign_in(&mut self, login: &str) -> String {
        let page = self.get("/portal/login").await;
        let token = page.input("form_token");
        let a = self
            .post(
                "/portal/login",
                &[
                    ("form_token", &token),
                    ("login", login),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{login}: {}", a.body);
        let home = self.get(a.location()).await;
        home.input("csrf")
    }
}

/// One sign-in attempt through the login form.
async fn attempt(v: &mut Visitor, login: &str, password: &str) -> Answer {
    let page = v.get("/portal/login").await;
    let token = page.input("form_token");
    v.post(
        "/portal/login",
        &[
            ("form_token", &token),
            ("login", login),
            ("password", password),
        ],
    )
    .await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn learners_of(c: &Running) -> usize {
    c.central.learners(OO_BIN, 1000).unwrap().len()
}

fn batch<'a>(csrf: &'a str, from: &'a str, to: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("category", CATEGORY),
        ("branch", BRANCH),
        ("from", from),
        ("to", to),
    ]
}

fn window() -> (String, String) {
    let today = synaq_central::local_date(now() * 1000);
    (
        today.to_string(),
        (today + chrono::Duration::days(30)).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_the_table_says() {
    let c = start_portal().await;
    // Each role's visitor, signed in, and one without a session.
    let mut visitors: Vec<(Option<Role>, Visitor, String)> = Vec::new();
    visitors.push((None, Visitor::new(&c), String::new()));
    for role in Role::ALL {
        let mut v = Visitor::new(&c);
        let csrf = v.sign_in(role.as_str()).await;
        visitors.push((Some(role), v, csrf));
    }
    let mut table = Vec::new();
    for (method, route, roles) in ROUTES {
        if *route == "/portal/logout" {
            continue; // it would end the sessions; checked below
        }
        let path = route
            .replace("{number}", "KZOT-2026-NONE-0000")
            .replace("{attempt}", "no-such-attempt");
        for (role, v, csrf) in &mut visitors {
            let a = if *method == "GET" {
                v.get(&path).await
            } else if path.ends_with("/upload") || path == "/portal/registrar/banks" {
                v.upload(&path, &[("csrf", csrf.as_str())], "none.csv", b"")
                    .await
            } else {
                // The session's form token, nothing else.
                v.post(&path, &[("csrf", csrf.as_str())]).await
            };
            let allowed = role.is_some_and(|r| {
                roles
                    .iter()
                    .any(|x| r == *x || (r == Role::Admin && *x != Role::Oo))
            });
            let expected = match (*method, *route) {
                ("GET", "/portal/login")
                | ("GET", "/registry/oo")
                | ("GET", "/registry/lecturers") => StatusCode::OK,
                // Redirected home, or to the login.
                ("GET", "/portal") => StatusCode::SEE_OTHER,
                // The login form's own token was not sent.
                ("POST", "/portal/login") => StatusCode::FORBIDDEN,
                _ if role.is_none() => StatusCode::SEE_OTHER,
                _ if !allowed => StatusCode::FORBIDDEN,
                // Nobody's certificate or exam: not found (as another ОО's certificate).
                ("GET", "/portal/oo/certificate/{number}")
                | ("GET", "/portal/review/{attempt}")
                | ("POST", "/portal/review/{attempt}/decide")
                | ("POST", "/portal/oo/lecturers/remove")
                | ("POST", "/portal/registrar/kiosks/revoke")
                | ("POST", "/portal/registrar/banks/revoke") => StatusCode::NOT_FOUND,
                ("GET", _) => StatusCode::OK,
                // Past the guard, the empty form is refused field by field.
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            assert_eq!(
                a.status, expected,
                "{method} {path} as {role:?}: {}",
                a.body
            );
            if role.is_none() && expected == StatusCode::SEE_OTHER {
                assert_eq!(a.location(), "/portal/login", "{method} {path}");
            }
            // Every page forbids framing and foreign scripts, and is not cached.
            if a.status == StatusCode::OK {
                let csp = a.headers["content-security-policy"].to_str().unwrap();
                assert!(
                    csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
                );
                assert_eq!(a.headers["cache-control"], "no-store");
            }
            table.push(format!("{method} {path} {role:?} → {}", a.status.as_u16()));
        }
    }
    // Signing out: without a session, to the login; with one, the session ends.
    for (role, v, csrf) in &mut visitors {
        let a = v.post("/portal/logout", &[("csrf", csrf.as_str())]).await;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, "/portal/login"),
            "{role:?}"
        );
        let again = v.get("/portal/oo").await;
        assert_eq!(again.location(), "/portal/login", "{role:?} is signed out");
        table.push(format!(
            "POST /portal/logout {role:?} → {}",
            a.status.as_u16()
        ));
    }
    eprintln!("{}", table.join("\n"));
    assert_eq!(table.len(), ROUTES.len() * 6);
    // The ОО and the others, each refused somewhere.
    assert!(table.iter().any(|l| l.contains("Some(Oo) → 403")));
    assert!(table.iter().any(|l| l.contains("Some(Registrar) → 403")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oo_registers_by_form_and_spreadsheet_and_one_bad_row_registers_nobody() {
    let c = start_portal().await;
    let mut oo = Visitor::new(&c);
    let csrf = oo.sign_in("oo").await;
    let (from, to) = window();

    let page = oo.get("/portal/oo/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-iin"),
        "the live ИИН check is on the form"
    );

    // One person, a wrong ИИН: a clear message, nothing registered, what was typed kept.
    let mut form = batch(&csrf, &from, &to);
    form.extend([
        ("iin", "900101300018"),
        ("name", "Айгүл Нұрланова"),
        ("payment", "P-1"),
    ]);
    let a = oo.post("/portal/oo/register", &form).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("ЖСН дұрыс емес"), "{}", a.body);
    assert!(a.body.contains("value=\"Айгүл Нұрланова\""));
    assert_eq!(learners_of(&c), 0);

    // The right ИИН: registered, and the cabinet shows her, ИИН masked.
    let mut form = batch(&csrf, &from, &to);
    form.extend([
        ("iin", "900101300017"),
        ("name", "Айгүл Нұрланова"),
        ("payment", "P-1"),
    ]);
    let a = oo.post("/portal/oo/register", &form).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let cabinet = oo.get(a.location()).await;
    assert!(cabinet.body.contains("Айгүл Нұрланова"));
    assert!(cabinet.body.contains("********0017"));
    assert!(!cabinet.body.contains("900101300017"), "never the full ИИН");
    assert_eq!(learners_of(&c), 1);

    // A spreadsheet with one bad row (a formula for a name): every row's error, nobody in.
    let csv = "ИИН;ФИО;Платёж\n850715401236;Иванов Иван;P-2\n880315300511;=HYPERLINK(\"http://x\");P-3\n000229600074;Әлия Қанатқызы;P-4\n";
    let a = oo
        .upload(
            "/portal/oo/upload",
            &batch(&csrf, &from, &to),
            "learners.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("<td>3</td>"),
        "the bad row is named: {}",
        a.body
    );
    assert!(
        !a.body.contains("HYPERLINK(\"http"),
        "the formula is not echoed raw"
    );
    assert_eq!(learners_of(&c), 1, "nothing half-imported");

    // The same learners as XLSX, corrected: all registered, with their payment references.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, (iin, name, pay)) in [
        ("850715401236", "Иванов Иван", "P-2"),
        ("880315300511", "Серік Болатұлы", "P-3"),
        ("000229600074", "Әлия Қанатқызы", "P-4"),
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(i as u32, 0, *iin).unwrap();
        sheet.write_string(i as u32, 1, *name).unwrap();
        sheet.write_string(i as u32, 2, *pay).unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let a = oo
        .upload(
            "/portal/oo/upload",
            &batch(&csrf, &from, &to),
            "learners.xlsx",
            &xlsx,
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(learners_of(&c), 4);
    let learners = c.central.learners(OO_BIN, 10).unwrap();
    assert!(learners
        .iter()
        .any(|l| l.name == "Серік Болатұлы" && l.payment == "P-3"));
    // They are the roster kiosks pull: the branch's roster holds them with the ОО's БИН.
    let in_roster: i64 = c
        .central
        .db()
        .query_row(
            "SELECT count(*) FROM roster WHERE oo_bin = ?1 AND branch = ?2 AND registered_by = 'oo'",
            [OO_BIN, BRANCH],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(in_roster, 4);

    // Registering someone again for the same category while their window is open is refused.
    let mut form = batch(&csrf, &from, &to);
    form.extend([
        ("iin", "900101300017"),
        ("name", "Айгүл Нұрланова"),
        ("payment", ""),
    ]);
    let a = oo.post("/portal/oo/register", &form).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("бұрын жазылған"), "{}", a.body);

    // A 10 MB upload: a clear message, nothing registered.
    let big = vec![b'9'; 10 * 1024 * 1024];
    let a = oo
        .upload(
            "/portal/oo/upload",
            &batch(&csrf, &from, &to),
            "big.csv",
            &big,
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.status);
    assert!(a.body.contains("2 МБ"), "{}", a.body);
    assert_eq!(learners_of(&c), 4);

    // In Russian on request.
    let ru = oo.get("/portal/oo?lang=ru").await;
    assert!(ru.body.contains("Записанные экзаменуемые"), "{}", ru.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_need_their_token_and_hostile_text_stays_text() {
    let c = start_portal().await;
    let mut reg = Visitor::new(&c);
    let csrf = reg.sign_in("registrar").await;

    // No token, or another session's token: 403, nothing changed.
    let a = reg
        .post(
            "/portal/registrar/oo",
            &[("bin", "080840001239"), ("name", "Other")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let mut other = Visitor::new(&c);
    let other_csrf = other.sign_in("admin").await;
    let a = reg
        .post(
            "/portal/registrar/oo/status",
            &[
                ("csrf", &other_csrf),
                ("bin", OO_BIN),
                ("status", "excluded"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.central.oo(OO_BIN).unwrap().unwrap().status,
        synaq_central::portal::OoStatus::Active
    );

    // Markup in a name is refused; quotes are kept and shown escaped.
    let a = reg
        .post(
            "/portal/registrar/oo",
            &[
                ("csrf", &csrf),
                ("bin", "080840001239"),
                ("name", "<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!a.body.contains("<script>alert"));
    let a = reg
        .post(
            "/portal/registrar/oo",
            &[
                ("csrf", &csrf),
                ("bin", "080840001239"),
                ("name", "ТОО \"Сапа\" & 'Ко'"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let list = reg.get("/registry/oo").await;
    assert!(
        list.body
            .contains("ТОО &quot;Сапа&quot; &amp; &#x27;Ко&#x27;"),
        "{}",
        list.body
    );

    // Signing out ends the session: its cookie no longer opens anything.
    let a = reg.post("/portal/logout", &[("csrf", &csrf)]).await;
    assert_eq!(a.location(), "/portal/login");
    let a = reg.get("/portal/registrar").await;
    assert_eq!(
        (a.status, a.location()),
        (StatusCode::SEE_OTHER, "/portal/login")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_waits_after_failures_and_says_the_same_for_unknown_logins() {
    let c = start_portal().await;
    // Another account signs in: its session cookie is HTTPS-only, hidden from scripts and
    // never sent cross-site.
    let mut fresh = Visitor::new(&c);
    let page = fresh.get("/portal/login").await;
    let token = page.input("form_token");
    let ok = fresh
        .post(
            "/portal/login",
            &[
                ("form_token", &token),
                ("login", "analyst"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let set = ok
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("__Host-synaq-session="))
        .unwrap();
    for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attr), "{set}");
    }
    let mut v = Visitor::new(&c);
    let wrong = attempt(&mut v, "oo", "wrong password!").await;
    let unknown = attempt(&mut v, "nobody-here", "wrong password!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = |a: &Answer| {
        let at = a.body.find("role=\"alert\"").unwrap();
        a.body[at..at + 120].to_owned()
    };
    assert_eq!(
        message(&wrong),
        message(&unknown),
        "the same words either way"
    );
    // Past five failures the address waits, doubling: after eight, 8 s.
    for _ in 0..6 {
        attempt(&mut v, "oo", "wrong password!").await;
    }
    // Now even the right password waits.
    let right = attempt(&mut v, "oo", PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        right.body
    );
    assert!(right.body.contains(" с "), "{}", right.body);
    // A login form posted without its token changes nothing.
    let a = Visitor::new(&c)
        .post("/portal/login", &[("login", "oo"), ("password", PASSWORD)])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Each attempt is journalled with the login it named: failed, or refused while waiting.
    let journal = c.central.portal_journal_rows(100).unwrap();
    let of_oo = |action: &str| {
        journal
            .iter()
            .filter(|r| r.1 == "oo" && r.2 == action)
            .count()
    };
    assert_eq!(of_oo("login-failed") + of_oo("login-waiting"), 8);
    assert!(of_oo("login-waiting") >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_excluded_oo_cannot_register_and_the_public_list_says_why() {
    let c = start_portal().await;
    let (from, to) = window();
    let mut reg = Visitor::new(&c);
    let rcsrf = reg.sign_in("registrar").await;
    let a = reg
        .post(
            "/portal/registrar/oo/status",
            &[
                ("csrf", &rcsrf),
                ("bin", OO_BIN),
                ("status", "excluded"),
                ("reason", "2026: 6 of 10 learners failed"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    let mut oo = Visitor::new(&c);
    let csrf = oo.sign_in("oo").await;
    let cabinet = oo.get("/portal/oo").await;
    assert!(cabinet.body.contains("2026: 6 of 10 learners failed"));
    let mut form = batch(&csrf, &from, &to);
    form.extend([
        ("iin", "900101300017"),
        ("name", "Айгүл Нұрланова"),
        ("payment", ""),
    ]);
    let a = oo.post("/portal/oo/register", &form).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("шығарылған"), "{}", a.body);
    assert_eq!(learners_of(&c), 0);

    let public = Visitor::new(&c).get("/registry/oo?lang=ru").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("исключена") && public.body.contains("6 of 10"));
    let journal = c.central.portal_journal_rows(100).unwrap();
    assert!(journal
        .iter()
        .any(|r| r.1 == "registrar" && r.2 == "oo-excluded" && r.3.starts_with(OO_BIN)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_approves_a_held_exam_and_the_oo_downloads_its_certificate() {
    let c = start_portal().await;
    let kiosk = Kiosk::new();
    enroll_offline(&c.central, &kiosk);
    let pull = c
        .central
        .pull(&kiosk.key.id().to_string(), 0, now())
        .unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let mut engine = kiosk.engine(std::sync::Arc::clone(&bank), kiosk.clock());
    let person = iins(7000, 1).remove(0);
    register(&c.central, &person, 1);
    let r = sit_exam(&mut engine, &bank, &person, true);
    let attempt = r.record.attempt_id.clone();
    // Pushed without its journal: central holds it for a person.
    c.central
        .ingest(Some(&kiosk.key.id().to_string()), &[r], &[], now())
        .unwrap();
    assert_eq!(c.central.verdict(&attempt).unwrap().unwrap().0, "held");

    let mut rev = Visitor::new(&c);
    let csrf = rev.sign_in("reviewer").await;
    let queue = rev.get("/portal/review?lang=ru").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&attempt));
    assert!(
        queue.body.contains("результат пришёл без журнала экзамена"),
        "the reason, in the reviewer's language: {}",
        queue.body
    );
    let case = rev.get(&format!("/portal/review/{attempt}")).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case
        .body
        .contains(&synaq_central::portal::mask_iin(&person.as_str())));
    assert!(!case.body.contains(&person.as_str()), "never the full ИИН");
    // This server holds no evidence key: the page says how to open the evidence.
    assert!(case.body.contains("review show --key"), "{}", case.body);

    // A decision needs a reason; without one nothing changes.
    let decide = format!("/portal/review/{attempt}/decide");
    let a = rev
        .post(
            &decide,
            &[("csrf", &csrf), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.central.verdict(&attempt).unwrap().unwrap().0, "held");
    let a = rev
        .post(
            &decide,
            &[
                ("csrf", &csrf),
                ("decision", "approve"),
                ("reason", "journal checked on the kiosk"),
            ],
        )
        .await;
    assert_eq!(
        (a.status, a.location()),
        (StatusCode::SEE_OTHER, "/portal/review?done=approve")
    );
    assert_eq!(c.central.verdict(&attempt).unwrap().unwrap().0, "certified");
    let journal = c.central.review_journal(Some(&attempt)).unwrap();
    assert_eq!(
        (journal[0].action.as_str(), journal[0].reviewer.as_str()),
        ("approve", "reviewer")
    );

    // The ОО sees the certificate and downloads its PDF; another number is not found.
    let learners = c.central.learners(OO_BIN, 10).unwrap();
    let number = learners[0].certificate.clone().expect("a certificate");
    let mut oo = Visitor::new(&c);
    oo.sign_in("oo").await;
    let cabinet = oo.get("/portal/oo").await;
    assert!(cabinet.body.contains(&number));
    let pdf = oo.get(&format!("/portal/oo/certificate/{number}")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF"));
    let other = oo.get("/portal/oo/certificate/KZOT-2026-AAAA-BBBB").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // The reviewer revokes it, with a reason: the public page says so.
    let a = rev
        .post(
            "/portal/review/revoke",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("reason", "identity fraud confirmed"),
            ],
        )
        .await;
    assert_eq!(a.location(), "/portal/review?done=revoke");
    assert_eq!(
        c.central.certificate(&number).unwrap().unwrap().status,
        "revoked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analyst_sees_the_flag_the_charts_and_the_decision_trail() {
    let c = start_portal().await;
    // Two passes and three fails for the ОО this year: more than half failed.
    let attempts = sit_and_deliver(&c.central, 7200, 2, 3);
    let states: Vec<String> = attempts
        .iter()
        .map(|a| c.central.verdict(a).unwrap().unwrap().0)
        .collect();
    assert_eq!(
        states,
        ["certified", "certified", "failed", "failed", "failed"]
    );

    let mut an = Visitor::new(&c);
    an.sign_in("analyst").await;
    let page = an.get("/portal/analyst?lang=ru").await;
    assert_eq!(page.status, StatusCode::OK);
    let row_of = |body: &str| {
        let at = body.find("080840001239").expect("the ОО's row");
        let rest = &body[at..];
        rest[..rest.find("</tr>").unwrap_or(rest.len())].to_owned()
    };
    let row = row_of(&page.body);
    assert!(row.contains("<td>2</td><td>3</td>"), "{row}");
    assert!(
        row.contains("60 %") && row.contains("не сдали больше половины"),
        "{row}"
    );
    assert!(row.contains("решения ещё нет"), "{row}");
    // The chart: one line per category, its numbers also as a table.
    let chart = an.get("/portal/analyst?view=chart&lang=ru").await;
    assert!(chart.body.contains("<polyline"), "{}", chart.body);
    assert!(chart.body.contains("40 % (2&#x2f;5)"), "{}", chart.body);
    let by_kiosk = an.get("/portal/analyst?view=chart&by=kiosk").await;
    assert!(by_kiosk.body.contains("<polyline"));

    // The registrar excludes it; the analyst sees the decision with who and why.
    let mut reg = Visitor::new(&c);
    let csrf = reg.sign_in("registrar").await;
    reg.post(
        "/portal/registrar/oo/status",
        &[
            ("csrf", &csrf),
            ("bin", OO_BIN),
            ("status", "excluded"),
            ("reason", "3 of 5 failed"),
        ],
    )
    .await;
    let page = an.get("/portal/analyst?lang=ru").await;
    let row = row_of(&page.body);
    assert!(
        row.contains("исключена · registrar: 3 of 5 failed"),
        "{row}"
    );
    // Not for the ОО.
    let mut oo = Visitor::new(&c);
    oo.sign_in("oo").await;
    assert_eq!(
        oo.get("/portal/analyst").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lecturer_needs_a_valid_lecturers_certificate_and_shows_on_the_public_list() {
    let c = start_portal().await;
    // A lecturer who passed the lecturers' category (6) at a kiosk, certified by central.
    let kiosk = Kiosk::new();
    enroll_offline(&c.central, &kiosk);
    let pull = c
        .central
        .pull(&kiosk.key.id().to_string(), 0, now())
        .unwrap();
    let bank = kiosk.open_bank(&pull, &c.central.public());
    let mut engine = kiosk.engine(std::sync::Arc::clone(&bank), kiosk.clock());
    let [lecturer, worker]: [synaq_core::Iin; 2] = iins(7400, 2).try_into().unwrap();
    c.central
        .add_roster_entry(&entry_in(&lecturer, 1, "cat-6"))
        .unwrap();
    register(&c.central, &worker, 1);
    let results = vec![
        sit_exam_in(&mut engine, &bank, &lecturer, true, "cat-6"),
        sit_exam(&mut engine, &bank, &worker, true),
    ];
    let journals = synaq_sync::client::journals_of(engine.connection(), &results).unwrap();
    c.central
        .ingest(
            Some(&kiosk.key.id().to_string()),
            &results,
            &journals,
            now(),
        )
        .unwrap();
    deliver_evidence(&c.central, &kiosk);
    for r in &results {
        assert_eq!(
            c.central.verdict(&r.record.attempt_id).unwrap().unwrap().0,
            "certified"
        );
    }

    let mut oo = Visitor::new(&c);
    let csrf = oo.sign_in("oo").await;
    // A certificate of another category does not make a lecturer.
    let a = oo
        .post(
            "/portal/oo/lecturers?lang=ru",
            &[("csrf", &csrf), ("iin", &worker.as_str())],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("нет действующего сертификата лектора"),
        "{}",
        a.body
    );
    let a = oo
        .post(
            "/portal/oo/lecturers",
            &[("csrf", &csrf), ("iin", &lecturer.as_str())],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let list = oo.get("/portal/oo/lecturers?lang=ru").await;
    assert!(list.body.contains("сертификат действует"), "{}", list.body);
    let lecturers = c
        .central
        .lecturers(Some(OO_BIN), c.central.office_zone().today())
        .unwrap();
    assert_eq!(lecturers.len(), 1);
    let number = lecturers[0].certificate.clone();

    // The public list: the name, the ОО, the certificate; never the ИИН.
    let public = Visitor::new(&c).get("/registry/lecturers").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains(&lecturers[0].name) && public.body.contains(&number));
    assert!(
        !public.body.contains(&lecturer.as_str()[..8]),
        "no ИИН on a public page"
    );

    // Revoked, the certificate no longer makes them a lecturer: the list says so.
    c.central
        .revoke_certificate(&number, "reviewer", "forged documents", now())
        .unwrap();
    let public = Visitor::new(&c).get("/registry/lecturers?lang=ru").await;
    assert!(
        public.body.contains("сертификат больше не действует"),
        "{}",
        public.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registrar_runs_branches_kiosks_staff_and_banks() {
    let c = start_portal().await;
    let mut reg = Visitor::new(&c);
    let csrf = reg.sign_in("registrar").await;
    let a = reg
        .post(
            "/portal/registrar/branches",
            &[("csrf", &csrf), ("code", "AST-01"), ("name", "Астана")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    // An enrollment code, shown once, and a kiosk enrolls with it over HTTPS.
    let a = reg
        .post(
            "/portal/registrar/branches/code",
            &[("csrf", &csrf), ("branch", "AST-01")],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let mark = "class=\"mono code\">";
    let at = a.body.find(mark).expect("the code") + mark.len();
    let code = a.body[at..at + 10].to_owned();
    let kiosk = Kiosk::new();
    let cert = kiosk.client_of(&c).enroll("AST-01", &code).await.unwrap();
    let id = cert.body.kiosk_id.clone();
    let page = reg.get("/portal/registrar/branches").await;
    assert!(page.body.contains(&id));
    // The code is in nobody's journal.
    let journal = c.central.portal_journal_rows(50).unwrap();
    assert!(journal
        .iter()
        .any(|r| r.2 == "enroll-code" && r.3 == "AST-01"));
    assert!(!journal.iter().any(|r| r.3.contains(&code)));

    // Revoking the kiosk: central refuses it from then on.
    let a = reg
        .post(
            "/portal/registrar/kiosks/revoke",
            &[("csrf", &csrf), ("kiosk", &id)],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(c.central.kiosk(&id).unwrap().unwrap().revoked);

    // A proctor for the branch; a bad id is refused with its field named.
    let a = reg
        .post(
            "/portal/registrar/staff",
            &[
                ("csrf", &csrf),
                ("branch", "AST-01"),
                ("id", "bad id!"),
                ("name", "Ержан"),
                ("role", "proctor"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = reg
        .post(
            "/portal/registrar/staff",
            &[
                ("csrf", &csrf),
                ("branch", "AST-01"),
                ("id", "proctor-7"),
                ("name", "Ержан Бек"),
                ("role", "proctor"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let page = reg.get("/portal/registrar/branches?lang=ru").await;
    assert!(page.body.contains("proctor-7") && page.body.contains("проктор"));

    // A bank: a file that is not one is refused; a signed one is published, then revoked.
    let a = reg
        .upload(
            "/portal/registrar/banks?lang=ru",
            &[("csrf", &csrf)],
            "x.synaqbank",
            b"junk",
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("не является банком вопросов"), "{}", a.body);
    let bank = build_bank(&c.central, "demo", 2);
    let a = reg
        .upload(
            "/portal/registrar/banks",
            &[("csrf", &csrf)],
            "demo-2.synaqbank",
            &bank,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(c.central.bank("demo", 2).unwrap().is_some());
    let a = reg
        .post(
            "/portal/registrar/banks/revoke",
            &[("csrf", &csrf), ("series", "demo"), ("version", "2")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let banks = c.central.banks_overview().unwrap();
    assert!(banks
        .iter()
        .any(|b| b.series == "demo" && b.version == 2 && b.revoked));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_wait_for_the_registrar_before_kiosks_see_them() {
    use base64::Engine as _;
    let c = start_portal().await;
    let (from, to) = window();
    let mut oo = Visitor::new(&c);
    let csrf = oo.sign_in("oo").await;
    let csv = "900101300017;Айгүл Нұрланова;P-1\n850715401236;Иванов Иван;\n";
    let a = oo
        .upload(
            "/portal/oo/upload",
            &batch(&csrf, &from, &to),
            "two.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let cabinet = oo.get("/portal/oo").await;
    assert_eq!(cabinet.body.matches("ЕУМЦ растауын күтуде").count(), 2);

    // A kiosk of the branch sees neither yet.
    let kiosk = Kiosk::new();
    enroll_offline(&c.central, &kiosk);
    let roster_of = |pull: &synaq_sync::proto::PullResponse| {
        pull.roster.as_ref().map_or(0, |r| {
            let bytes = base64::engine::general_purpose::STANDARD.decode(r).unwrap();
            synaq_seal::roster::verify(&bytes, &c.central.public())
                .unwrap()
                .entries
                .len()
        })
    };
    let pull = c
        .central
        .pull(&kiosk.key.id().to_string(), 0, now())
        .unwrap();
    assert_eq!(roster_of(&pull), 0);

    // The registrar refuses one (a reason is needed) and confirms the other.
    let mut reg = Visitor::new(&c);
    let rcsrf = reg.sign_in("registrar").await;
    let page = reg.get("/portal/registrar/registrations").await;
    assert!(page.body.contains("Айгүл Нұрланова") && page.body.contains("Иванов Иван"));
    let pending = c.central.pending_registrations(10).unwrap();
    let (aigul, ivanov) = (pending[0].id.to_string(), pending[1].id.to_string());
    let a = reg
        .post(
            "/portal/registrar/registrations",
            &[
                ("csrf", &rcsrf),
                ("id", &ivanov),
                ("action", "refuse"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = reg
        .post(
            "/portal/registrar/registrations",
            &[
                ("csrf", &rcsrf),
                ("id", &ivanov),
                ("action", "refuse"),
                ("reason", "no payment"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = reg
        .post(
            "/portal/registrar/registrations",
            &[("csrf", &rcsrf), ("id", &aigul), ("action", "confirm")],
        )
        .await;
    assert_eq!(a.location(), "/portal/registrar/registrations?done=1");

    // Now the kiosk gets her, and only her; the ОО sees her registered, him gone.
    let pull = c
        .central
        .pull(&kiosk.key.id().to_string(), 0, now())
        .unwrap();
    assert_eq!(roster_of(&pull), 1);
    let cabinet = oo.get("/portal/oo").await;
    assert!(cabinet.body.contains("Айгүл Нұрланова") && !cabinet.body.contains("Иванов"));
    assert!(!cabinet.body.contains("ЕУМЦ растауын күтуде"));
    let journal = c.central.portal_journal_rows(20).unwrap();
    assert!(journal
        .iter()
        .any(|r| r.2 == "registrations-refuse" && r.3.ends_with("no payment")));
}

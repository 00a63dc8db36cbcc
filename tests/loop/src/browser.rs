//! A real browser for the portal's tests: Debian's Chromium, headless, driven over WebDriver by
//! Debian's `chromedriver` (started here on a free loopback port, killed when dropped).
//! Screenshots go to `target/e2e-portal/`; axe-core (from the UI's `node_modules`) checks each
//! page.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// A Chromium session.
#[derive(Debug)]
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
}

/// Where screenshots go.
pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-portal");
    std::fs::create_dir_all(&dir).expect("target/e2e-portal");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a `width`×`height` window. Central's
    /// certificate is self-signed: the session accepts it (the kiosks pin it instead).
    pub fn start(width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver, or `cargo xtask setup`)");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    format!("--window-size={width},{height}"),
                    "--lang=kk", "--font-render-hinting=none",
                ],
            },
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_owned();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// A WebDriver call, its error as text (`stale element reference: …`).
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let resp = match body {
            Some(b) => ureq::request(method, &url).send_json(b),
            None => ureq::request(method, &url).call(),
        };
        match resp {
            Ok(r) => Ok(r.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
            Err(ureq::Error::Status(code, r)) => {
                let v: Value = r.into_json().unwrap_or(Value::Null);
                Err(format!(
                    "{code} {} {}",
                    v["value"]["error"], v["value"]["message"]
                ))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url` and waits for the page.
    pub fn open(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    /// The current address.
    pub fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits (10 s at most) until the address contains `part`: a click that submits a form
    /// returns before the next page is there.
    pub fn wait_url(&self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.url().contains(part) {
            assert!(
                Instant::now() < deadline,
                "still at {} (waited for {part})",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.wait_loaded();
    }

    /// Waits until the page has loaded.
    pub fn wait_loaded(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.script("return document.readyState") != "complete" {
            assert!(
                Instant::now() < deadline,
                "{} never finished loading",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn element(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = format!("{}{}", self.base, self.s("/element"));
            let found = ureq::post(&url)
                .send_json(json!({"using": "css selector", "value": css}))
                .ok()
                .and_then(|r| r.into_json::<Value>().ok());
            if let Some(id) = found.as_ref().and_then(|v| {
                v["value"]
                    .as_object()
                    .and_then(|o| o.values().next())
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }) {
                return id;
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types `text` into the field `css` (after clearing it).
    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/clear")),
            Some(json!({})),
        );
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/value")),
            Some(json!({ "text": text })),
        );
    }

    /// Clicks `css`.
    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{e}/click")),
            Some(json!({})),
        );
    }

    /// The visible text of `css` (found again if the page changed under it).
    pub fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let e = self.element(css);
            match self.try_call("GET", &self.s(&format!("/element/{e}/text")), None) {
                Ok(v) => return v.as_str().unwrap_or_default().to_owned(),
                // The page changed under the element ("stale element", "node does not belong
                // to the document"): find it again on the new page.
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(err) => panic!("the text of {css}: {err}"),
            }
        }
    }

    /// Waits (10 s at most) until the page's text contains `part`: after a form posted back
    /// to the same address, the address does not say when the new page is there.
    pub fn wait_text(&self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.page_text().contains(part) {
            assert!(
                Instant::now() < deadline,
                "{} never said {part:?}: {}",
                self.url(),
                self.page_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The page's whole visible text.
    pub fn page_text(&self) -> String {
        self.text("body")
    }

    /// Runs `body` in the page; returns its value.
    pub fn script(&self, body: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": body, "args": []})),
        )
    }

    /// Saves a screenshot as `target/e2e-portal/NAME.png`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let v = self.call("GET", &self.s("/screenshot"), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64"))
            .expect("a PNG");
        let path = out_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// axe-core's serious and critical findings on the current page, one line each.
    pub fn axe(&self) -> Vec<String> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the UI's npm modules: `cargo xtask setup`)",
                path.display()
            )
        });
        self.script(&format!("{src}\n;return typeof window.axe;"));
        let v = self.call(
            "POST",
            &self.s("/execute/async"),
            Some(
                json!({"script": "const done = arguments[arguments.length - 1];
                window.axe.run(document).then(r => done({
                    passes: r.passes.length,
                    violations: r.violations
                        .filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => v.id + ' (' + v.impact + '): '
                            + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')),
                }));", "args": []}),
            ),
        );
        assert!(
            v["passes"].as_u64().unwrap_or(0) >= 5,
            "axe-core checked too little: {v}"
        );
        v["violations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

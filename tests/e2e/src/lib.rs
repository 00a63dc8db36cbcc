//! A small W3C WebDriver client for driving the kiosk window through `tauri-driver`.
//!
//! `cargo xtask e2e` builds the kiosk, then runs these tests under `xvfb-run` with:
//! - `SYNAQ_KIOSK_BIN`: the built `synaq-kiosk` binary,
//! - `SYNAQ_TAURI_DRIVER`: the `tauri-driver` binary (2.x),
//! - `SYNAQ_E2E_OUT`: where screenshots go (`target/e2e/`).
//!
//! Run outside xtask they fail with a line that says so; they are never skipped.
#![forbid(unsafe_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// The W3C WebDriver element identifier.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn env_path(var: &str) -> Result<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or_else(|| format!("{var} is not set: run the e2e suite with `cargo xtask e2e`").into())
}

/// Where screenshots are written.
pub fn out_dir() -> Result<PathBuf> {
    let dir = env_path("SYNAQ_E2E_OUT")?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running kiosk window under `tauri-driver`, closed when dropped.
pub struct Kiosk {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("base", &self.base)
            .field("session", &self.session)
            .finish()
    }
}

/// An element found on the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Kiosk {
    /// Starts `tauri-driver` and the kiosk, with extra environment for the app. A driver that
    /// drops the very first request (WebKitWebDriver sometimes dies starting up on a loaded
    /// machine) is started once more; any later failure is the test's.
    pub fn start(app_env: &[(&str, &Path)]) -> Result<Kiosk> {
        match Kiosk::start_once(app_env) {
            Err(e) if e.to_string().contains("POST /session") => {
                eprintln!(
                    "synaq-e2e: the driver failed to open a session ({e}); starting it again"
                );
                Kiosk::start_once(app_env)
            }
            other => other,
        }
    }

    fn start_once(app_env: &[(&str, &Path)]) -> Result<Kiosk> {
        let app = env_path("SYNAQ_KIOSK_BIN")?;
        let driver_bin = env_path("SYNAQ_TAURI_DRIVER")?;
        let (port, native) = (free_port()?, free_port()?);
        let mut cmd = Command::new(&driver_bin);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        // The demo material and keys, unless a scenario says `SYNAQ_DEMO=0`.
        .env("SYNAQ_DEMO", "1");
        for (k, v) in app_env {
            cmd.env(k, v);
        }
        let driver = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", driver_bin.display()))?;
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let mut kiosk = Kiosk {
            driver,
            base,
            session: String::new(),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not listen within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": { "application": app }
            }}
        });
        let v = kiosk.call("POST", "/session", Some(caps))?;
        kiosk.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in {v}"))?
            .to_owned();
        Ok(kiosk)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let req = self.agent.request(method, &url);
        let res = match body {
            Some(b) => req.send_json(b),
            None if method == "POST" => req.send_json(json!({})),
            None => req.call(),
        };
        let v: Value = match res {
            Ok(r) => r.into_json()?,
            Err(ureq::Error::Status(code, r)) => {
                let v: Value = r.into_json().unwrap_or(Value::Null);
                return Err(format!("{method} {path}: HTTP {code}: {}", v["value"]).into());
            }
            Err(e) => return Err(format!("{method} {path}: {e}").into()),
        };
        Ok(v["value"].clone())
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Every element matching a CSS selector, now.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.call(
            "POST",
            &self.s("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_owned())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until `check` accepts the texts of the elements matching `css`, and returns them.
    pub fn wait_texts(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        self.wait_texts_for(css, what, Duration::from_secs(20), check)
    }

    /// [`Kiosk::wait_texts`] with a longer or shorter patience.
    pub fn wait_texts_for(
        &self,
        css: &str,
        what: &str,
        patience: Duration,
        check: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        let deadline = Instant::now() + patience;
        loop {
            let texts = self
                .find_all(css)?
                .iter()
                .map(|e| self.text(e))
                .collect::<Result<Vec<_>>>()?;
            if check(&texts) {
                return Ok(texts);
            }
            if Instant::now() > deadline {
                return Err(
                    format!("timed out waiting for {what} ({css}); last seen: {texts:?}").into(),
                );
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits for one element and returns it.
    pub fn wait_one(&self, css: &str) -> Result<Element> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(e) = self.find_all(css)?.into_iter().next() {
                return Ok(e);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {css}").into());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn text(&self, e: &Element) -> Result<String> {
        let v = self.call("GET", &self.s(&format!("/element/{}/text", e.0)), None)?;
        Ok(v.as_str().unwrap_or_default().trim().to_owned())
    }

    /// Types text into the element matching `css` (after clearing it).
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.wait_one(css)?;
        self.call("POST", &self.s(&format!("/element/{}/clear", e.0)), None)?;
        self.call(
            "POST",
            &self.s(&format!("/element/{}/value", e.0)),
            Some(json!({ "text": text })),
        )?;
        Ok(())
    }

    /// Types keys into the page (whatever has focus), as a person at the keyboard would.
    pub fn keys(&self, text: &str) -> Result<()> {
        let mut actions = Vec::new();
        for c in text.chars() {
            actions.push(json!({"type": "keyDown", "value": c.to_string()}));
            actions.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        self.call(
            "POST",
            &self.s("/actions"),
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )?;
        Ok(())
    }

    /// Presses keys together (a chord such as Ctrl+Shift+I), WebDriver key codes allowed.
    pub fn chord(&self, keys: &[&str]) -> Result<()> {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.call(
            "POST",
            &self.s("/actions"),
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )?;
        Ok(())
    }

    /// How many windows the session can see.
    pub fn window_count(&self) -> Result<usize> {
        let v = self.call("GET", &self.s("/window/handles"), None)?;
        Ok(v.as_array().map_or(0, Vec::len))
    }

    /// An attribute of the first element matching `css`.
    pub fn attr(&self, css: &str, name: &str) -> Result<String> {
        let e = self.wait_one(css)?;
        let v = self.call(
            "GET",
            &self.s(&format!("/element/{}/attribute/{name}", e.0)),
            None,
        )?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The text of the first element matching `css`, once it has one.
    pub fn text_of(&self, css: &str) -> Result<String> {
        let texts = self.wait_texts(css, css, |t| t.first().is_some_and(|s| !s.is_empty()))?;
        Ok(texts[0].clone())
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let e = self.wait_one(css)?;
        self.call("POST", &self.s(&format!("/element/{}/click", e.0)), None)?;
        Ok(())
    }

    /// Runs a script in the page (promises are awaited) and returns its value.
    pub fn script(&self, body: &str) -> Result<Value> {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": body, "args": []})),
        )
    }

    /// Runs axe-core (from the UI's node_modules) on the current screen and returns its serious
    /// and critical violations, one line each.
    pub fn axe(&self) -> Result<Vec<String>> {
        let loaded = self.script("return typeof window.axe !== 'undefined'")?;
        if loaded != Value::Bool(true) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../ui/node_modules/axe-core/axe.min.js");
            let src = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: {e} (run `cargo xtask setup`)", path.display()))?;
            self.script(&format!("{src}\n;return typeof window.axe;"))?;
        }
        let v = self.script(
            "return window.axe.run(document).then(r => ({
                passes: r.passes.length,
                violations: r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): '
                        + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')),
            }))",
        )?;
        // A run that checked nothing would pass everything: make sure the rules ran.
        let passes = v["passes"].as_u64().unwrap_or(0);
        if passes < 5 {
            return Err(format!("axe-core checked only {passes} rules: {v}").into());
        }
        Ok(v["violations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Sizes the window (W3C Set Window Rect), then waits until the page sees the new size.
    /// Under Xvfb there is no window manager: the window keeps this size, at the top left.
    pub fn resize(&self, width: u32, height: u32) -> Result<()> {
        self.call(
            "POST",
            &self.s("/window/rect"),
            Some(json!({ "x": 0, "y": 0, "width": width, "height": height })),
        )?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.script("return [window.innerWidth, window.innerHeight]")?;
            let (w, h) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
            if (w, h) == (u64::from(width), u64::from(height)) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the window is {w}×{h}, not {width}×{height}").into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the element `css` lies wholly inside the window's viewport (its bounding box,
    /// as `getBoundingClientRect` gives it), with the box for the message.
    pub fn in_viewport(&self, css: &str) -> Result<(bool, String)> {
        let sel = serde_json::to_string(css)?;
        let v = self.script(&format!(
            "const e = document.querySelector({sel}); if (!e) return null;
             const r = e.getBoundingClientRect();
             return [r.left, r.top, r.right, r.bottom, window.innerWidth, window.innerHeight];"
        ))?;
        let Some(a) = v.as_array() else {
            return Err(format!("{css}: not on the page").into());
        };
        let n: Vec<f64> = a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect();
        let inside = n[0] >= -0.5
            && n[1] >= -0.5
            && n[2] <= n[4] + 0.5
            && n[3] <= n[5] + 0.5
            && n[2] > n[0]
            && n[3] > n[1];
        Ok((
            inside,
            format!(
                "{css} at ({:.0},{:.0})–({:.0},{:.0}) in a {:.0}×{:.0} viewport",
                n[0], n[1], n[2], n[3], n[4], n[5]
            ),
        ))
    }

    /// Saves a PNG of the window as `target/e2e/NAME.png`.
    /// Saves what the window shows as `<name>.png`. Taken from the X server (cut to the
    /// window's size), after two animation frames so the last change is painted:
    /// WebKitWebDriver's own screenshot waits forever when WebKit paints without DMA-BUF, as
    /// the kiosk does to save memory.
    pub fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let size = self.script(
            "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done([window.outerWidth, window.outerHeight]))));",
        )?;
        let size = (size[0].as_u64(), size[1].as_u64());
        let path = out_dir()?.join(format!("{name}.png"));
        let crop = match size {
            (Some(w), Some(h)) if w > 0 && h > 0 => Some((w as u16, h as u16)),
            _ => None,
        };
        x11_screenshot(&path, crop)?;
        Ok(path)
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &self.s(""), None);
        }
        // SIGTERM lets tauri-driver stop WebKitWebDriver too; SIGKILL would orphan it.
        let _ = Command::new("kill")
            .args(["-TERM", &self.driver.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while matches!(self.driver.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// GETs `url` over HTTPS trusting only the certificate with SHA-256 `fingerprint` (hex), as a
/// kiosk does: how the tests read central's public verification page.
pub fn https_get_pinned(url: &str, fingerprint: &str) -> Result<String> {
    let pin = synaq_sync::CentralPin::parse(fingerprint).map_err(|e| e.to_string())?;
    let client = synaq_sync::tls::http_client(pin).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        let status = resp.status();
        let body = resp.text().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!("GET {url}: HTTP {status}: {body}").into())
        }
    })
}

/// The X screen (`$DISPLAY`, 24-bit Xvfb) as an RGB PNG at `path`: its top-left `crop` (the
/// window, which sits there without a window manager), or all of it.
fn x11_screenshot(path: &Path, crop: Option<(u16, u16)>) -> Result<()> {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat};
    let (conn, screen) = x11rb::connect(None)?;
    let root = &conn.setup().roots[screen];
    let (w, h) = match crop {
        Some((cw, ch)) => (cw.min(root.width_in_pixels), ch.min(root.height_in_pixels)),
        None => (root.width_in_pixels, root.height_in_pixels),
    };
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, root.root, 0, 0, w, h, !0)?
        .reply()?;
    if image.depth != 24 || image.data.len() != usize::from(w) * usize::from(h) * 4 {
        return Err(format!(
            "unexpected X image: depth {}, {} bytes for {w}x{h}",
            image.depth,
            image.data.len()
        )
        .into());
    }
    // 32 bits a pixel, little-endian BGRX.
    let rgb: Vec<u8> = image
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0]])
        .collect();
    let mut encoder = png::Encoder::new(std::fs::File::create(path)?, w.into(), h.into());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&rgb)?;
    Ok(())
}

/// A private CUPS scheduler for the printing scenario: its own configuration and spool in a
/// temporary directory, listening on a Unix socket (give the kiosk `CUPS_SERVER` = [`Cups::socket`]),
/// with one virtual printer, `SynaqPDF`, Debian's `cups-pdf` backend: what it prints lands as a
/// PDF in `$HOME/PDF` of the user the job ran for. `cupsd` and `cups-pdf` need root.
#[derive(Debug)]
pub struct Cups {
    dir: tempfile::TempDir,
    daemon: Child,
}

/// The virtual printer's name.
pub const CUPS_PRINTER: &str = "SynaqPDF";

impl Cups {
    /// Starts `cupsd` and adds the printer.
    pub fn start() -> Result<Cups> {
        let dir = tempfile::Builder::new().prefix("synaq-cups-").tempdir()?;
        let d = dir.path();
        for sub in ["spool", "cache", "state", "log", "ppd"] {
            std::fs::create_dir_all(d.join(sub))?;
        }
        // Filters run as the unprivileged `lp` user and write their temporary files here.
        std::fs::create_dir_all(d.join("tmp"))?;
        std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        std::fs::set_permissions(
            d.join("tmp"),
            std::os::unix::fs::PermissionsExt::from_mode(0o1777),
        )?;
        let socket = d.join("cups.sock");
        std::fs::write(
            d.join("cupsd.conf"),
            format!(
                "Listen {}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  </Limit>\n</Policy>\n",
                socket.display()
            ),
        )?;
        let p = |s: &str| d.join(s).display().to_string();
        std::fs::write(
            d.join("cups-files.conf"),
            format!(
                "ServerRoot {}\nRequestRoot {}\nTempDir {}\nCacheDir {}\nStateDir {}\n\
                 ErrorLog {}\nAccessLog {}\nPageLog {}\n",
                d.display(),
                p("spool"),
                p("tmp"),
                p("cache"),
                p("state"),
                p("log/error_log"),
                p("log/access_log"),
                p("log/page_log"),
            ),
        )?;
        let daemon = Command::new("/usr/sbin/cupsd")
            .arg("-f")
            .arg("-c")
            .arg(d.join("cupsd.conf"))
            .arg("-s")
            .arg(d.join("cups-files.conf"))
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start cupsd (Debian package `cups`): {e}"))?;
        let cups = Cups { dir, daemon };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !cups.socket().exists() {
            if Instant::now() > deadline {
                return Err(format!(
                    "cupsd did not listen within 20 s: {}",
                    std::fs::read_to_string(cups.dir.path().join("log/error_log"))
                        .unwrap_or_default()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let out = Command::new("lpadmin")
            .env("CUPS_SERVER", cups.socket())
            .args(["-p", CUPS_PRINTER, "-E", "-v", "cups-pdf:/", "-P"])
            .arg("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "lpadmin: {} (Debian package `printer-driver-cups-pdf`)",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(cups)
    }

    /// Stops or starts the printer (`cupsdisable`/`cupsenable`), as when paper runs out.
    pub fn set_printer_enabled(&self, on: bool) -> Result<()> {
        let tool = if on { "cupsenable" } else { "cupsdisable" };
        let out = Command::new(tool)
            .env("CUPS_SERVER", self.socket())
            .arg(CUPS_PRINTER)
            .output()?;
        if !out.status.success() {
            return Err(format!("{tool}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        Ok(())
    }

    /// The scheduler's socket (`CUPS_SERVER`).
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    /// Where `cups-pdf` writes what the printer printed for the current user.
    pub fn output_dir() -> PathBuf {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join("PDF")
    }
}

impl Drop for Cups {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
